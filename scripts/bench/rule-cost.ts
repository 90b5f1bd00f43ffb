// Per-rule cost on the 1.44 MB benchmark config (gen-big-conf 1000), in process. Each timed run gets
// a new document version, so per-view caches (levels, chains) start empty; every rule of the registry
// runs on that view in registry order, as validation runs them, and is timed on its own (a rule pays
// for the shared per-view data it is the first to need). Medians of `runs` runs after 5 warm ones.
// Prints a table sorted by cost, then a JSON line. Usage: node --import tsx scripts/bench/rule-cost.ts [file|-] [runs]. Unlike rules.ts (each rule alone on one warm
// view, where per-view caches are warm after the first run) every run here starts from empty caches.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configRules } from '../../server/src/service/analysis/registry';
import type { ConfigView, Rule, RuleContext } from '../../server/src/service/analysis/types';
import { getLanguageService } from '../../server/src/service/languageService';
import { median } from './timing';

const root = resolve(__dirname, '..', '..');
const file = process.argv[2] && process.argv[2] !== '-' ? process.argv[2] : process.env.NGINX_BENCH_CONF;
let text: string;
if (file) text = readFileSync(file, 'utf8');
else {
  const gen = resolve(root, '..', 'shared', 'tools', 'gen-big-conf.mjs');
  const r = spawnSync(process.execPath, [gen, '1000'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`cannot generate the benchmark config with ${gen}`);
  text = r.stdout;
}
const runs = Number(process.argv[3] ?? 9);
const uri = 'file:///bench/nginx.conf';
const ls = getLanguageService();
// the workspace is private to the language service; the benchmark needs the views validation uses
const ws = (ls as unknown as { workspace: { viewsFor(u: string): ConfigView[] } }).workspace;
const settings = (ls as unknown as { settingsFor(u: string): RuleContext["settings"] }).settingsFor(uri);
let version = 0;
function freshView(): ConfigView {
  ls.openDocument(uri, text + `\n# edit ${++version}\n`, version);
  return ws.viewsFor(uri)[0];
}
function run(view: ConfigView, rule: Rule): number {
  const ctx: RuleContext = { source: view.source, view, settings, report: () => {} };
  const t = performance.now();
  rule.check(ctx);
  return performance.now() - t;
}
const per = new Map<string, number[]>();
const totals: number[] = [];
for (let i = 0; i < runs + 5; i++) {
  const view = freshView();
  let sum = 0;
  for (const rule of configRules) {
    const ms = run(view, rule);
    sum += ms;
    if (i >= 5) (per.get(rule.code) ?? per.set(rule.code, []).get(rule.code)!).push(ms);
  }
  if (i >= 5) totals.push(sum);
}
const rows = [...per].map(([code, xs]) => ({ code, family: configRules.find((r) => r.code === code)!.family, ms: median(xs) }));
rows.sort((a, b) => b.ms - a.ms);
for (const r of rows) console.log(`${r.ms.toFixed(2).padStart(8)} ms  ${r.family.padEnd(10)} ${r.code}`);
const allMs = median(totals);
console.log(`${allMs.toFixed(2).padStart(8)} ms  all rules on one view`);
console.log(JSON.stringify({ lines: text.split('\n').length, runs, allRulesMs: +allMs.toFixed(2), perRule: Object.fromEntries(rows.map((r) => [r.code, +r.ms.toFixed(2)])) }));

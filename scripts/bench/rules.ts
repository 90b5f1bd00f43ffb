// Time per rule on the 43k-line file (gen-big-conf 1000): which rules make up "all rules on a fresh
// tree". Each rule runs alone over the view of a warm language service, median of 5. Prints one JSON
// line, the slowest first.   npx tsx scripts/bench/rules.ts [big.conf]
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { getLanguageService } from '../../server/src/service/languageService';
import { configRules } from '../../server/src/service/analysis/registry';
import { validateFile } from '../../server/src/service/analysis/validate';
import { resolveSettings } from '../../server/src/service/settings';

const root = resolve(__dirname, '..', '..');
const file = process.argv[2];
const text = file ? readFileSync(file, 'utf8') : spawnSync(process.execPath, [resolve(root, '..', 'shared', 'tools', 'gen-big-conf.mjs'), '1000'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
const uri = 'file:///bench/nginx.conf';
const ls = getLanguageService();
ls.openDocument(uri, text, 1);
ls.validate(uri); // warm
const ws = (ls as unknown as { workspace: { viewsFor(u: string): Parameters<typeof validateFile>[1]; getSource(u: string): { file: Parameters<typeof validateFile>[0] } } }).workspace;
const views = ws.viewsFor(uri);
const parsed = ws.getSource(uri).file;
const settings = resolveSettings({});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out: [string, number][] = [];
for (const rule of configRules) {
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    validateFile(parsed, views, settings, [rule]);
    ts.push(performance.now() - t);
  }
  out.push([rule.code, Math.round(median(ts) * 100) / 100]);
}
out.sort((a, b) => b[1] - a[1]);
const total = out.reduce((s, [, ms]) => s + ms, 0);
console.log(JSON.stringify({ lines: text.split('\n').length, rules: out.length, sumMs: Math.round(total * 10) / 10, slowest: out.slice(0, 12) }));

// Diagnostics speed on the 1.44 MB benchmark config (gen-big-conf 1000): every rule, through the
// language service up to the LSP Diagnostic objects, on an already parsed document (what an editor pays per change after parsing),
// plus the parse+validate total and the structure rules alone; and real `nginx -t` on the same file
// in the same run (ratio). Prints one JSON line. Usage: node --import tsx scripts/bench/diagnostics.ts [file]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { structureRules } from '../../server/src/service/analysis/rules/structure/index';
import { getLanguageService } from '../../server/src/service/languageService';
import { median, time } from './timing';

const root = resolve(__dirname, '..', '..');
let file = process.argv[2] ?? process.env.NGINX_BENCH_CONF;
let text: string;
if (file) text = readFileSync(file, 'utf8');
else {
  const gen = resolve(root, '..', 'shared', 'tools', 'gen-big-conf.mjs');
  const r = spawnSync(process.execPath, [gen, '1000'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`cannot generate the benchmark config with ${gen}`);
  text = r.stdout;
}


const uri = 'file:///bench/nginx.conf';
// Every timed validation runs on a tree it has never seen (a new version of the document, as after
// a keystroke): caches kept per parsed tree must not flatter the number. The parse is not timed here
// (see parseAndValidateMs and the parse benchmark).
function freshValidation(ls: ReturnType<typeof getLanguageService>): () => number {
  let version = 0;
  return () => {
    ls.openDocument(uri, text + `\n# edit ${++version}\n`, version);
    const t = performance.now();
    // the LSP diagnostics themselves (ranges as line/character, codes, related information)
    ls.validate(uri);
    return performance.now() - t;
  };
}
function timeEach(run: () => number, runs: number, warm: number): number {
  for (let i = 0; i < warm; i++) run();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(run());
  return median(xs);
}
const ls = getLanguageService();
ls.openDocument(uri, text);
const count = ls.validate(uri).length;
// Warm-up as in the parse benchmark: a language server is a long-running process, and the first
// validations of a process still run unoptimized code (and size its heap); the steady state is
// what an editor sees after the first minute. Medians of 15.
const allRulesMs = timeEach(freshValidation(ls), 15, 10);
const structureMs = timeEach(freshValidation(getLanguageService({ rules: structureRules })), 15, 10);
let v = 0;
const parseAndValidateMs = time(() => {
  ls.openDocument(uri, text + `\n# parse ${++v}\n`, 1000 + v);
  ls.validate(uri);
}, 15, 5);

// real nginx -t on the same file: in a private network namespace (listen sockets), with a
// throwaway prefix; the config writes only /tmp/nginx-bench.pid and /dev/null
let nginxMs: number | null = null;
let nginxOk: boolean | null = null;
const nginx = '/usr/sbin/nginx';
if (existsSync(nginx) && process.getuid?.() === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-bench-'));
  const conf = file ?? join(dir, 'nginx.conf');
  if (!file) require('node:fs').writeFileSync(conf, text);
  const run = () => spawnSync('unshare', ['--net', '--', nginx, '-t', '-q', '-p', dir + '/', '-c', conf, '-e', '/dev/null'], { encoding: 'utf8' });
  nginxOk = run().status === 0;
  nginxMs = time(() => { run(); }, 5, 1);
  rmSync(dir, { recursive: true, force: true });
}

console.log(JSON.stringify({
  bytes: text.length,
  findings: count,
  validateAllRulesMs: +allRulesMs.toFixed(1),
  validateStructureRulesMs: +structureMs.toFixed(1),
  parseAndValidateMs: +parseAndValidateMs.toFixed(1),
  targetMs: 60,
  nginxTestMs: nginxMs === null ? null : +nginxMs.toFixed(1),
  nginxAccepts: nginxOk,
  ratioNginxOverOurs: nginxMs === null ? null : +(nginxMs / allRulesMs).toFixed(1),
}));

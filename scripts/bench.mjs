#!/usr/bin/env node
// npm run bench: every speed target, each measured against its peers in the same run.
//   parse      our parser vs nginx-conf and @webantic/nginx-config-parser (gen-big-conf 1000, 1.44 MB)
//   diagnostics, workspace, format: scripts/bench/*.{mjs,ts} (each prints one JSON line)
// Results: a table on stdout and bench-results.json. Timings are medians of warm runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
process.chdir(root);
const gen = resolve(root, '..', 'shared', 'tools', 'gen-big-conf.mjs');
const results = {};

function bigConf(n) {
  if (existsSync(gen)) {
    const r = spawnSync(process.execPath, [gen, String(n)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status === 0) return r.stdout;
  }
  throw new Error(`cannot generate the benchmark config: ${gen} missing`);
}

const dir = mkdtempSync(join(tmpdir(), 'nginx-bench-'));
const big = join(dir, 'big.conf');
writeFileSync(big, bigConf(1000));
process.env.NGINX_BENCH_CONF = big;

const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/parse.ts', big], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (r.status !== 0) { console.error(r.stdout); process.exit(1); }
results.parse = JSON.parse(r.stdout.trim().split('\n').pop());

for (const f of readdirSync('scripts/bench').sort()) {
  // parse ran above; timing.ts is the shared helper module, not a benchmark
  // (and trace-extract.mjs makes traffic.mjs's model from a trace, it measures nothing)
  if (f === 'parse.ts' || f === 'timing.ts' || f === 'trace-extract.mjs' || !/\.(mjs|ts)$/.test(f)) continue;
  const name = f.replace(/\.(mjs|ts)$/, '');
  const args = f.endsWith('.ts') ? ['--import', 'tsx', join('scripts/bench', f), big] : [join('scripts/bench', f), big];
  const t = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  const last = (t.stdout ?? '').trim().split('\n').pop();
  try {
    results[name] = JSON.parse(last);
  } catch {
    results[name] = { error: `exit ${t.status}: ${last}` };
  }
}

console.log('\n## Benchmark results\n');
for (const [k, v] of Object.entries(results)) console.log(`- ${k}: ${JSON.stringify(v)}`);
writeFileSync('bench-results.json', JSON.stringify(results, null, 2) + '\n');

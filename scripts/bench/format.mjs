#!/usr/bin/env node
// Formatter benchmark (issue 7): our formatText against prettier-plugin-nginx and nginxbeautifier, on
// the generated benchmark configs `gen-big-conf.mjs 100` (~0.14 MB) and `gen-big-conf.mjs 1000`
// (~1.44 MB), in the same process and run. Prints ONE JSON line with every number.
//
// Method, the same for every formatter and size: text in memory → formatted text in memory, timed
// with performance.now(); untimed warm-up runs, then timed runs (ours: 20 + 21, plus the process's very first call reported apart; prettier and
// nginxbeautifier, which take seconds: 1 + 3, the same at both sizes); the median is reported (ms),
// with the min. Ours is formatText() (parse + whitespace edits + applying them). prettier:
// prettier.format(text, { parser: 'nginx', plugins: [prettier-plugin-nginx] }). nginxbeautifier has no
// single-call API: its CLI (index.js) runs clean_lines → join_opening_bracket → perform_indentation →
// join('\n') from its library module nginxbeautifier.js, which we call in-process the same way (no
// file I/O, indentation 4 spaces, the CLI's defaults otherwise).
//
// Also: ours on the same two configs with every line's indentation stripped (`ours_unindented`:
// every line needs an edit; `restores_original` says the result equals the generated file).
//
// Usage: node scripts/bench/format.mjs [--quick]   (--quick: fewer runs, for smoke tests)
// Budget: ours ≤ 100 ms on the 1.44 MB config, and linear (time per MB about equal at both sizes).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const quick = process.argv.includes('--quick');

const gen = [path.resolve(repoRoot, '..', 'shared', 'tools', 'gen-big-conf.mjs'), path.join(repoRoot, 'scripts', 'gen-big-conf.mjs')].find((p) => existsSync(p));
if (!gen) {
  console.log(JSON.stringify({ bench: 'format', error: 'gen-big-conf.mjs not found (../shared/tools or scripts/)' }));
  process.exit(1);
}

// Ours is measured as it ships: bundled by esbuild the way esbuild.mjs bundles the server and CLI
// (cjs, node20, not minified), into a temp dir.
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-format-'));
const bundle = path.join(tmp, 'formatting.cjs');
await esbuild.build({
  stdin: {
    contents: `export { formatText } from './server/src/service/features/formatting';
export { computeEdits } from './server/src/service/features/format/engine';
export { parse } from './server/src/service/syntax/parser';`,
    resolveDir: repoRoot, loader: 'ts',
  },
  outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
});
const { formatText, computeEdits, parse } = require(bundle);
rmSync(tmp, { recursive: true, force: true });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
async function time(fn, warmup, runs) {
  for (let i = 0; i < warmup; i++) await fn();
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return { median_ms: +median(ts).toFixed(2), min_ms: +Math.min(...ts).toFixed(2), runs };
}

const sizes = [100, 1000].map((servers) => {
  const text = execFileSync(process.execPath, [gen, String(servers)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { servers, text, mb: +(Buffer.byteLength(text) / 1e6).toFixed(3) };
});

const out = { bench: 'format', node: process.version, loadavg: os.loadavg().map((x) => +x.toFixed(2)), cpus: os.cpus().length, generator: `gen-big-conf.mjs 100|1000`, sizes_mb: sizes.map((s) => s.mb), ours: {}, prettier_plugin_nginx: {}, nginxbeautifier: {} };

// ---- ours
const opts = { tabSize: 4, insertSpaces: true };
{
  // the very first call in a fresh process (code not yet optimized), as a one-shot CLI run sees it
  const t0 = performance.now();
  formatText(sizes[0].text, opts);
  out.ours.cold_first_call_ms = { [`${sizes[0].mb}MB`]: +(performance.now() - t0).toFixed(2) };
}
for (const s of sizes) {
  const r = await time(() => formatText(s.text, opts), quick ? 5 : 20, quick ? 5 : 21);
  const once = formatText(s.text, opts);
  // the two halves of formatText: the lead's parser, and the formatter's pass over its tokens
  const parsed = parse(s.text);
  const parseOnly = await time(() => parse(s.text), 3, quick ? 3 : 11);
  const editsOnly = await time(() => computeEdits(parsed, opts), 3, quick ? 3 : 11);
  out.ours[`${s.mb}MB`] = { ...r, parse_median_ms: parseOnly.median_ms, format_pass_median_ms: editsOnly.median_ms,
    changed: once !== s.text, idempotent: formatText(once, opts) === once };
}
{
  const [a, b] = sizes.map((s) => out.ours[`${s.mb}MB`].median_ms / s.mb);
  const [am, bm] = sizes.map((s) => out.ours[`${s.mb}MB`].min_ms / s.mb);
  out.ours.ms_per_mb = [+a.toFixed(1), +b.toFixed(1)];
  // time-per-MB at 1.44 MB over time-per-MB at 0.14 MB (1 = linear), from medians and from minimums
  out.ours.linear_ratio = +(b / a).toFixed(2);
  out.ours.linear_ratio_min = +(bm / am).toFixed(2);
  out.ours.budget_ms = 100;
  out.ours.within_budget = out.ours[`${sizes[1].mb}MB`].median_ms <= 100;
}

// ---- ours on the same configs with all indentation stripped (every line then needs an edit)
out.ours_unindented = {};
for (const s of sizes) {
  const flat = s.text.replace(/^[ \t]+/gm, '');
  const r = await time(() => formatText(flat, opts), quick ? 3 : 10, quick ? 3 : 11);
  out.ours_unindented[`${s.mb}MB`] = { ...r, restores_original: formatText(flat, opts) === s.text };
}

// ---- prettier-plugin-nginx
try {
  const prettier = await import('prettier');
  const plugin = require('prettier-plugin-nginx');
  out.prettier_plugin_nginx.version = require('prettier-plugin-nginx/package.json').version;
  for (const s of sizes) {
    out.prettier_plugin_nginx[`${s.mb}MB`] = await time(() => prettier.format(s.text, { parser: 'nginx', plugins: [plugin] }), 1, quick ? 1 : 3);
  }
} catch (e) {
  out.prettier_plugin_nginx.error = String(e?.message ?? e).split('\n')[0];
}

// ---- nginxbeautifier (library functions, as its CLI calls them)
try {
  const nb = require('nginxbeautifier/nginxbeautifier.js');
  out.nginxbeautifier.version = require('nginxbeautifier/package.json').version;
  out.nginxbeautifier.method = 'in-process: clean_lines, join_opening_bracket, perform_indentation, join("\\n") (what its CLI does, without file I/O)';
  nb.modifyOptions({ INDENTATION: '    ' });
  const run = (text) => nb.perform_indentation(nb.join_opening_bracket(nb.clean_lines(text))).join('\n');
  for (const s of sizes) {
    out.nginxbeautifier[`${s.mb}MB`] = await time(() => run(s.text), 1, quick ? 1 : 3);
  }
} catch (e) {
  out.nginxbeautifier.error = String(e?.message ?? e).split('\n')[0];
}

console.log(JSON.stringify(out));

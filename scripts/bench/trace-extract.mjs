#!/usr/bin/env node
// Turns a server trace of a real VS Code typing in a large file (NGINX_LS_TRACE_FILE, written by
// server/src/trace.ts during the code-server suite's test "typing in a large file", which adds
// <trace>.meta.json with the VS Code version) into scripts/bench/vscode-trace.json: per keystroke,
// which requests VS Code sent for the document, how long after the keystroke's didChange, and which
// of them it cancelled and when. scripts/bench/traffic.mjs replays that mix.
//   node scripts/bench/trace-extract.mjs TRACE.jsonl... [--code-server VERSION] [--out FILE]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const traceFiles = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
if (!traceFiles.length) {
  console.error('usage: trace-extract.mjs TRACE.jsonl... [--code-server VERSION] [--out FILE]');
  process.exit(2);
}
const out = opt('--out') ?? join(root, 'scripts', 'bench', 'vscode-trace.json');

/** the code-server release the suite ran (scripts/install-vscode-test-deps.sh installs it here) */
function codeServerVersion() {
  if (opt('--code-server')) return opt('--code-server');
  const cache = process.env.VSCODE_TEST_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nginx-ls-vscode-test');
  for (const p of [join(cache, 'code-server', 'node_modules', 'code-server', 'package.json'), join(cache, 'code-server', 'package.json')]) {
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')).version;
  }
  return null;
}

const TAIL_MS = 2000; // after the last keystroke: the debounced requests it still causes

/** One trace: its per-keystroke requests and a summary. */
function extract(traceFile) {
  const metaFile = `${traceFile}.meta.json`;
  if (!existsSync(metaFile)) {
    console.error(`trace-extract: ${metaFile} missing (the code-server test writes it when NGINX_LS_TRACE_FILE is set)`);
    process.exit(1);
  }
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  const entries = readFileSync(traceFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  // the keystrokes: the document's first `meta.keystrokes` ranged didChanges (what follows is the
  // test's revert)
  const uri = meta.uri;
  const changes = entries.filter((e) => e.dir === 'in' && e.method === 'textDocument/didChange' && e.uri === uri && !e.full).slice(0, meta.keystrokes);
  if (!changes.length) {
    console.error(`trace-extract: no didChange of ${uri} in ${traceFile}`);
    process.exit(1);
  }
  // the test's own probes (a hover checking the server has the text) are not VS Code's traffic
  const probes = new Set(meta.probes ?? []);
  // a resolve carries no document: in the test only this one is typed in, so each is its own
  const RESOLVES = new Set(['completionItem/resolve', 'codeLens/resolve']);
  const requests = entries.filter((e) => e.dir === 'in' && e.kind === 'request' && (e.uri === uri || RESOLVES.has(e.method)) && !probes.has(e.method));
  const cancels = new Map(entries.filter((e) => e.dir === 'in' && e.method === '$/cancelRequest').map((e) => [e.cancels, e.t]));
  const answers = new Map(entries.filter((e) => e.dir === 'out' && e.kind === 'response').map((e) => [e.id, e]));
  const describe = (r, from) => {
    const x = { method: r.method, at: Math.round(r.t - from) };
    if (r.rangeLines !== undefined) x.rangeLines = r.rangeLines;
    if (r.only) x.only = r.only;
    if (r.triggerKind !== undefined) x.triggerKind = r.triggerKind;
    if (cancels.has(r.id)) x.cancelledAt = Math.round(cancels.get(r.id) - from);
    const a = answers.get(r.id);
    if (a?.bytes !== undefined) x.answerBytes = a.bytes;
    if (a?.ms !== undefined) x.answeredMs = a.ms;
    return x;
  };
  const keystrokes = changes.map((c, k) => {
    const until = k + 1 < changes.length ? changes[k + 1].t : c.t + TAIL_MS;
    const reqs = requests.filter((r) => r.t >= c.t && r.t < until).map((r) => describe(r, c.t));
    return { at: Math.round(c.t - changes[0].t), requests: reqs };
  });
  // what VS Code asked when the document opened, before the first keystroke (outline, folding,
  // links, inlay hints, code lenses of the visible part): the first work the server does for it
  const opened = entries.find((e) => e.dir === 'in' && e.method === 'textDocument/didOpen' && e.uri === uri);
  const open = opened ? requests.filter((r) => r.t >= opened.t && r.t < changes[0].t).map((r) => describe(r, opened.t)) : [];
  const summary = {};
  for (const k of keystrokes) {
    for (const r of k.requests) {
      const s = (summary[r.method] ??= { requests: 0, cancelled: 0, keystrokesWithIt: 0, medianDelayMs: 0, delays: [] });
      s.requests++;
      if (r.cancelledAt !== undefined) s.cancelled++;
      s.delays.push(r.at);
    }
    for (const m of new Set(k.requests.map((r) => r.method))) summary[m].keystrokesWithIt++;
  }
  for (const s of Object.values(summary)) {
    s.delays.sort((a, b) => a - b);
    s.medianDelayMs = s.delays[Math.floor(s.delays.length / 2)] ?? 0;
    s.perKeystroke = Math.round((s.requests / keystrokes.length) * 100) / 100;
    delete s.delays;
  }
  return { meta, part: { file: { lines: meta.lines }, capturedAt: meta.startedAt, typing: { typed: meta.typed, intervalMs: meta.intervalMs }, summary, open, keystrokes } };
}

const extracted = traceFiles.map(extract);
const versions = new Set(extracted.map((e) => e.meta.vscodeVersion));
if (versions.size > 1) console.error(`trace-extract: warning: traces of several VS Code versions (${[...versions].join(', ')})`);
const meta = extracted[0].meta;
const model = {
  $comment: 'VS Code\'s requests per keystroke for one document, from server traces (scripts/bench/trace-extract.mjs); scripts/bench/traffic.mjs replays the trace of the file size closest to the one it types in',
  vscodeVersion: meta.vscodeVersion,
  appName: meta.appName,
  codeServerVersion: codeServerVersion(),
  uiKind: meta.uiKind,
  traces: extracted.map((e) => e.part),
};
writeFileSync(out, JSON.stringify(model, null, 1) + '\n');
for (const t of model.traces) {
  console.log(`trace-extract: ${t.file.lines} lines, ${t.keystrokes.length} keystrokes, VS Code ${model.vscodeVersion} (code-server ${model.codeServerVersion})`);
  console.log(`  on open: ${t.open.map((r) => r.method.replace(/^textDocument\//, '')).join(', ') || 'nothing'}`);
  for (const [m, x] of Object.entries(t.summary)) console.log(`  ${m}: ${x.perKeystroke}/keystroke, ${x.cancelled} of ${x.requests} cancelled, median ${x.medianDelayMs} ms after the keystroke`);
}
console.log(`-> ${out}`);

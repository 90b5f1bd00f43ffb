#!/usr/bin/env node
// The editor's real traffic, replayed over stdio against the built server (dist/server.js), as VS Code
// sends it while a user types: per keystroke a didChange (the one-character edit when the server
// asks for incremental sync, else the whole text), then completion at the cursor, the
// light-bulb codeAction (no `only`), documentHighlight, documentSymbol (outline, breadcrumbs),
// foldingRange, documentLink and inlayHint for the visible range — all pipelined, without waiting for
// the previous answers, as the editor does. Per request: p50/p95/max of send→answer; per keystroke:
// didChange→publishDiagnostics of that version. Run on gen-big-conf 100 (4.3k lines) and the given
// file (default gen-big-conf 1000, 43k lines). Prints one JSON line.
// With scripts/bench/vscode-trace.json (a trace of VS Code itself, trace-extract.mjs) each keystroke
// sends what VS Code sent after the same keystroke, at the same delays, cancelled where VS Code
// cancelled — resolves included (completionItem/resolve of the last list's best match,
// codeLens/resolve of the lens nearest the cursor) — and the file's opening sends what VS Code asked
// then (reported as `open`); `--all` sends every request above after every keystroke instead (the
// worst case).
//   node scripts/bench/traffic.mjs [big.conf] [--keystrokes N] [--all] [--server dist/server.js]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(new URL('../..', import.meta.url).pathname);
// --server FILE: another build (to compare before and after a change in the same conditions)
const argServer = process.argv.indexOf('--server');
const server = argServer > 0 ? resolve(process.argv[argServer + 1]) : join(root, 'dist', 'server.js');
if (!existsSync(server)) {
  console.error('traffic: dist/server.js missing (npm run build)');
  process.exit(1);
}
const gen = resolve(root, '..', 'shared', 'tools', 'gen-big-conf.mjs');
const argKeys = process.argv.indexOf('--keystrokes');
const KEYSTROKES = argKeys > 0 ? Number(process.argv[argKeys + 1]) : 40;
// the request mix: VS Code's, from a trace of the real editor (scripts/bench/vscode-trace.json, made
// by trace-extract.mjs), unless `--all` (or no trace): every request after every keystroke
const modelFile = join(root, 'scripts', 'bench', 'vscode-trace.json');
const model = !process.argv.includes('--all') && existsSync(modelFile) ? JSON.parse(readFileSync(modelFile, 'utf8')) : null;
/** ms between keystrokes: a fast typist (about 8 characters a second) */
const TYPING_INTERVAL = 120;
const TIMEOUT = 60_000;

function generate(n) {
  const r = spawnSync(process.execPath, [gen, String(n)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`cannot generate the benchmark config with ${gen}`);
  return r.stdout;
}

class Client {
  constructor() {
    this.proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.buf = Buffer.alloc(0);
    this.chunks = [];
    this.have = 0;
    this.need = 0;
    this.id = 0;
    this.pending = new Map();
    this.diagWaiters = [];
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.proc.stdout.on('data', (d) => this.onData(d));
  }
  onData(d) {
    // chunks are joined only once a whole message is there: joining on every 64 KB chunk costs the
    // client time quadratic in a message's size (the 43k-line outline is 1.8 MB), which a real
    // client (vscode-jsonrpc's reader keeps a chunk list) does not spend
    this.chunks.push(d);
    this.have += d.length;
    if (this.have < this.need) return;
    this.buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [];
    this.need = 0;
    for (;;) {
      const sep = this.buf.indexOf('\r\n\r\n');
      if (sep < 0) break;
      const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, sep).toString());
      if (!m) throw new Error('bad header');
      const len = Number(m[1]);
      if (this.buf.length < sep + 4 + len) { this.need = sep + 4 + len; break; }
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString());
      this.buf = this.buf.subarray(sep + 4 + len);
      this.onMessage(msg);
    }
    if (this.buf.length) this.chunks.push(this.buf);
    this.have = this.buf.length;
  }
  onMessage(msg) {
    if (msg.id !== undefined && msg.method) {
      // a request from the server: configuration, registrations, refreshes
      const result = msg.method === 'workspace/configuration' ? msg.params.items.map(() => ({})) : null;
      this.write({ jsonrpc: '2.0', id: msg.id, result });
      return;
    }
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (p) { this.pending.delete(msg.id); p(msg); }
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const now = performance.now();
      for (const w of this.diagWaiters.splice(0)) w(msg.params, now);
    }
  }
  write(msg) {
    const body = Buffer.from(JSON.stringify(msg));
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }
  request(method, params) {
    const id = ++this.id;
    const sent = performance.now();
    const p = new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`${method} timed out`)), TIMEOUT);
      this.pending.set(id, (msg) => {
        clearTimeout(t);
        if (msg.error && msg.error.code !== -32800) rej(new Error(`${method}: ${msg.error.message}`));
        else res({ ms: performance.now() - sent, result: msg.result, cancelled: !!msg.error });
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
    p.id = id;
    return p;
  }
  /** $/cancelRequest for a request not answered yet */
  cancel(id) { if (this.pending.has(id)) this.notify('$/cancelRequest', { id }); }
  notify(method, params) { this.write({ jsonrpc: '2.0', method, params }); }
  /** resolves at the first publishDiagnostics for `uri` at `version` (or later) */
  diagnostics(uri, version) {
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no diagnostics for version ${version}`)), TIMEOUT);
      const wait = (p, now) => {
        if (p.uri === uri && (p.version ?? 0) >= version) { clearTimeout(t); res({ at: now, count: p.diagnostics.length }); }
        else this.diagWaiters.push(wait);
      };
      this.diagWaiters.push(wait);
    });
  }
  async stop() {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    setTimeout(() => this.proc.kill(), 2000).unref();
  }
}

/** the model's trace of the file size closest to `n` lines */
function traceFor(n) {
  return model.traces.reduce((a, b) => (Math.abs(Math.log(b.file.lines / n)) < Math.abs(Math.log(a.file.lines / n)) ? b : a));
}

/** A request's parameters at the cursor (`r`: what the trace says of it: range size, filter, trigger). */
function paramsFor(method, td, cursor, at, r) {
  switch (method) {
    case 'textDocument/completion': return { textDocument: td, position: cursor, context: { triggerKind: r.triggerKind ?? 1 } };
    case 'textDocument/codeAction': return { textDocument: td, range: { start: cursor, end: cursor }, context: { diagnostics: [], triggerKind: r.triggerKind ?? 2, ...(r.only ? { only: r.only } : {}) } };
    case 'textDocument/inlayHint': {
      const half = Math.round((r.rangeLines ?? 60) / 2);
      return { textDocument: td, range: { start: { line: Math.max(0, at - half), character: 0 }, end: { line: at + half, character: 0 } } };
    }
    case 'textDocument/documentHighlight': case 'textDocument/hover': case 'textDocument/definition': case 'textDocument/signatureHelp':
      return { textDocument: td, position: cursor };
    default: return { textDocument: td };
  }
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  const r = (x) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1]) };
}

/** VS Code's client capabilities that change what a server does (code action literals with resolve). */
const capabilities = {
  workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll', 'source.organizeImports'] } },
      resolveSupport: { properties: ['edit'] }, dataSupport: true, isPreferredSupport: true,
    },
    // as vscode-languageclient declares it: documentation and detail may come on completionItem/resolve
    completion: {
      contextSupport: true,
      completionItem: { snippetSupport: true, insertReplaceSupport: true, labelDetailsSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    documentHighlight: {}, documentSymbol: { hierarchicalDocumentSymbolSupport: true }, foldingRange: {}, documentLink: {}, inlayHint: {},
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
  },
};

async function run(label, text) {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-traffic-'));
  const path = join(dir, 'nginx.conf');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const c = new Client();
  const init = await c.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }], capabilities });
  const caps = init.result.capabilities;
  const sync = caps.textDocumentSync;
  const incremental = (typeof sync === 'object' ? sync.change : sync) === 2;
  c.notify('initialized', {});
  let version = 1;
  const firstDiag = c.diagnostics(uri, 1);
  const opened = performance.now();
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version, text } });
  // what VS Code asks when a document opens (the trace's requests before its first keystroke; with
  // `--all` the usual outline, folding, links, inlay hints): timed on their own, as `open`
  const openTimes = {};
  const lines0 = text.split('\n');
  const cursor0 = { line: lines0.findIndex((l) => /^\s*location \/ \{/.test(l)) + 1, character: 0 };
  const openReqs = model
    ? traceFor(lines0.length).open ?? []
    : ['documentSymbol', 'foldingRange', 'documentLink', 'inlayHint', 'codeLens'].map((m) => ({ method: `textDocument/${m}`, at: 0 }));
  const openAnswers = openReqs.filter((r) => r.method.startsWith('textDocument/') && caps[`${r.method.slice(13)}Provider`]).map((r) => new Promise((res) => setTimeout(res, r.at)).then(() => {
    const q = c.request(r.method, paramsFor(r.method, { uri }, cursor0, cursor0.line, r));
    if (r.cancelledAt !== undefined) setTimeout(() => c.cancel(q.id), Math.max(0, r.cancelledAt - r.at));
    return q.then((x) => { if (!x.cancelled) (openTimes[r.method.slice(13)] ??= []).push(x.ms); });
  }));
  const first = await firstDiag;
  const openMs = first.at - opened;
  await Promise.all(openAnswers);

  // the cursor: a new line in the `location /` block of the middle server
  const lines = text.split('\n');
  const servers = lines.map((l, i) => (/^\s*location \/ \{/.test(l) ? i : -1)).filter((i) => i >= 0);
  const at = servers[Math.floor(servers.length / 2)] + 1;
  const typed = 'proxy_read_timeout 3600s;';
  const indent = '            ';
  const times = {};
  const add = (name, ms) => (times[name] ??= []).push(ms);
  const toDiag = [];
  let cancelled = 0;
  // completionItem/resolve asks for the item the suggestion list shows first: the best match of the
  // last completion's items for the word typed so far. With the trace, when VS Code sent one; with
  // `--all`, after every completion.
  let lastItems = null;
  let word = '';
  const shownItem = () => {
    if (!lastItems?.length) return null;
    const matching = lastItems.filter((i) => (i.filterText ?? i.label).startsWith(word));
    return (matching.length ? matching : lastItems).reduce((a, b) => ((b.sortText ?? b.label) < (a.sortText ?? a.label) ? b : a));
  };
  // codeLens/resolve asks for a lens on screen: the last codeLens answer's nearest to the cursor's line
  let lastLenses = null;
  const shownLens = (line) => (lastLenses?.length ? lastLenses.reduce((a, b) => (Math.abs(b.range.start.line - line) < Math.abs(a.range.start.line - line) ? b : a)) : null);
  const resolveShown = async (method, answer) => {
    if (method === 'codeLens') { lastLenses = answer.result ?? null; return; }
    if (method !== 'completion') return;
    lastItems = Array.isArray(answer.result) ? answer.result : answer.result?.items ?? null;
    // as the client does: an item without data of its own resolves with the list's
    const data = answer.result?.itemDefaults?.data;
    if (lastItems && data !== undefined) lastItems = lastItems.map((i) => (i.data === undefined ? { ...i, data } : i));
    if (model || !caps.completionProvider?.resolveProvider) return;
    const item = shownItem();
    if (!item) return;
    const r = await c.request('completionItem/resolve', item);
    if (!r.cancelled) add('completionItem/resolve', r.ms);
  };
  /** what a keystroke's request does with its answer: counted as cancelled, or timed (and its item or lens remembered) */
  const answered = (name) => (x) => { if (x.cancelled) cancelled++; else { add(name, x.ms); return resolveShown(name, x); } };
  let previous = indent; // the line's text before the keystroke (the new line is inserted by the first one)
  // the traced mix: three passes over the trace of this file size (its keystrokes are few, a p95 of
  // one pass would be its maximum)
  const keystrokes = argKeys > 0 || !model ? KEYSTROKES : 3 * traceFor(lines.length).keystrokes.length;
  for (let k = 0; k < keystrokes; k++) {
    // type the directive one character at a time, then delete it again, and so on
    const round = Math.floor(k / typed.length);
    const n = round % 2 === 0 ? (k % typed.length) + 1 : typed.length - (k % typed.length) - 1;
    const line = indent + typed.slice(0, n);
    const next = [...lines.slice(0, at), line, ...lines.slice(at)].join('\n');
    const cursor = { line: at, character: line.length };
    word = line.trim().split(/\s+/).pop() ?? '';
    version++;
    const diag = c.diagnostics(uri, version);
    const sent = performance.now();
    let change;
    if (!incremental) change = { text: next };
    else if (k === 0) change = { range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, text: line + '\n' };
    else if (line.length > previous.length) change = { range: { start: { line: at, character: previous.length }, end: { line: at, character: previous.length } }, text: line.slice(previous.length) };
    else change = { range: { start: cursor, end: { line: at, character: previous.length } }, text: '' };
    previous = line;
    c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    const td = { uri };
    let answers;
    if (!model) {
      // every request at once, every keystroke: the worst case
      const reqs = ['completion', 'documentHighlight', 'codeAction', 'documentSymbol', 'foldingRange', 'documentLink', 'inlayHint'].map((m) => [m, paramsFor(`textDocument/${m}`, td, cursor, at, {})]);
      // the editor asks only for what the server offers
      answers = reqs.filter(([m]) => caps[`${m}Provider`]).map(([m, p]) => c.request(`textDocument/${m}`, p).then(answered(m)));
    } else {
      // what VS Code sent after the same keystroke of the trace: each request at its delay, cancelled
      // when VS Code cancelled it (if not answered by then)
      const trace = traceFor(lines.length);
      const traced = trace.keystrokes[k % trace.keystrokes.length].requests;
      answers = traced.map((r) => new Promise((res) => setTimeout(res, r.at)).then(() => {
        const name = r.method.replace(/^textDocument\//, '');
        let params = paramsFor(r.method, td, cursor, at, r);
        if (r.method === 'completionItem/resolve') {
          params = caps.completionProvider?.resolveProvider ? shownItem() : null;
          if (!params) return; // nothing shown yet (VS Code resolved an item of a list we did not get)
        }
        if (r.method === 'codeLens/resolve') {
          params = caps.codeLensProvider?.resolveProvider ? shownLens(at) : null;
          if (!params) return;
        }
        const q = c.request(r.method, params);
        if (r.cancelledAt !== undefined) setTimeout(() => c.cancel(q.id), Math.max(0, r.cancelledAt - r.at));
        return q.then(answered(name));
      }));
    }
    await Promise.all(answers);
    const d = await diag;
    toDiag.push(d.at - sent);
    const spent = performance.now() - sent;
    // the traced typing's own rhythm (the time to its next keystroke), else a fixed interval
    let gap = TYPING_INTERVAL;
    if (model) {
      const ks = traceFor(lines.length).keystrokes;
      const i = k % ks.length;
      if (i + 1 < ks.length) gap = ks[i + 1].at - ks[i].at;
    }
    if (spent < gap) await new Promise((r) => setTimeout(r, gap - spent));
  }
  // the incremental edits must have left the server with our text: resend it in full and compare the outlines
  if (incremental) {
    const before = JSON.stringify((await c.request('textDocument/documentSymbol', { textDocument: { uri } })).result);
    const last = [...lines.slice(0, at), previous, ...lines.slice(at)].join('\n');
    c.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: last }] });
    const after = JSON.stringify((await c.request('textDocument/documentSymbol', { textDocument: { uri } })).result);
    if (before !== after) throw new Error('traffic: the incremental edits did not reproduce the text (outlines differ)');
  }
  // the light bulb on a WebSocket location asks for source actions only when the user opens the menu
  const wsLine = lines.findIndex((l) => /location \/ws\//.test(l));
  const sourceMenu = wsLine >= 0
    ? await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: wsLine + 1, character: 8 }, end: { line: wsLine + 1, character: 8 } }, context: { diagnostics: [], only: ['source'], triggerKind: 1 } })
    : null;
  await c.stop();
  const out = { lines: lines.length, sync: incremental ? 'incremental' : 'full', openToDiagnosticsMs: Math.round(openMs), keystrokeToDiagnostics: stats(toDiag), cancelled };
  for (const [k, v] of Object.entries(times)) out[k] = stats(v);
  if (Object.keys(openTimes).length) out.open = Object.fromEntries(Object.entries(openTimes).map(([k, v]) => [k, stats(v)]));
  if (sourceMenu) out.sourceActionMenuMs = Math.round(sourceMenu.ms);
  return [label, out];
}

const bigFile = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : null;
// (a bare first argument is the file; option values follow their option)
const big = bigFile ? readFileSync(bigFile, 'utf8') : generate(1000);
const load = loadavg()[0];
const result = Object.fromEntries([await run('lines4k', generate(100)), await run('lines43k', big)]);
result.traffic = model
  ? { model: 'vscode-trace', vscodeVersion: model.vscodeVersion, codeServerVersion: model.codeServerVersion, traces: model.traces.map((t) => ({ lines: t.file.lines, keystrokes: t.keystrokes.length, capturedAt: t.capturedAt })) }
  : { model: 'all requests after every keystroke' };
// the machine's load when the run started and ended (shared machines make timings noisy)
result.loadAverage = [Math.round(load * 100) / 100, Math.round(loadavg()[0] * 100) / 100];
console.log(JSON.stringify(result));

/**
 * NGINX_LS_TRACE_FILE: the server appends one JSON line per protocol message (server/src/trace.ts),
 * which scripts/bench/trace-extract.mjs reads to model an editor's traffic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './client';

test('lsp: NGINX_LS_TRACE_FILE records each message with its method, size and the time to answer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-trace-'));
  const file = join(dir, 'trace.jsonl');
  const conf = 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n';
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const uri = pathToFileURL(join(dir, 'nginx.conf')).href;
  process.env.NGINX_LS_TRACE_FILE = file;
  let client: TestClient;
  try {
    client = new TestClient();
  } finally {
    delete process.env.NGINX_LS_TRACE_FILE;
  }
  try {
    await client.initialize(dir);
    await client.open(uri, conf);
    await client.waitDiagnostics(uri);
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 3, character: 18 }, end: { line: 3, character: 18 } }, text: ' ' }] });
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  } finally {
    await client.shutdown();
  }
  // the trace is flushed at exit at the latest
  const deadline = Date.now() + 5000;
  while ((!existsSync(file) || !readFileSync(file, 'utf8').includes('"shutdown"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const find = (pred: (e: Record<string, unknown>) => boolean, what: string) => {
    const e = lines.find(pred);
    assert.ok(e, `${what} not in the trace:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    return e;
  };
  find((e) => e.dir === 'in' && e.kind === 'request' && e.method === 'initialize', 'initialize');
  const open = find((e) => e.dir === 'in' && e.method === 'textDocument/didOpen', 'didOpen');
  assert.ok((open.bytes as number) > conf.length, 'didOpen size includes the text');
  const change = find((e) => e.dir === 'in' && e.method === 'textDocument/didChange', 'didChange');
  assert.equal(change.changes, 1);
  assert.equal(change.full, false);
  const answer = find((e) => e.dir === 'out' && e.kind === 'response' && e.method === 'textDocument/documentSymbol', 'the documentSymbol answer');
  assert.equal(typeof answer.ms, 'number');
  assert.ok((answer.ms as number) >= 0 && (answer.bytes as number) > 2, JSON.stringify(answer));
  find((e) => e.dir === 'out' && e.kind === 'notification' && e.method === 'textDocument/publishDiagnostics', 'publishDiagnostics');
  // times only go forward
  for (let i = 1; i < lines.length; i++) assert.ok((lines[i].t as number) >= (lines[i - 1].t as number));
});

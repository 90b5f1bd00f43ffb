/**
 * The built server against hostile workspaces (issue 19): a burst of 10,000 file events is absorbed
 * in seconds, and includes of special files never block it (hover keeps answering).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type Hover } from 'vscode-languageserver-protocol';
import { TestClient } from './client';

test('lsp: 10,000 didChangeWatchedFiles events (a git checkout) are absorbed in at most 5 s', { timeout: 120_000 }, async (t) => {
  const ws = mkdtempSync(join(tmpdir(), 'nginx-events-'));
  mkdirSync(join(ws, 'conf.d'));
  writeFileSync(join(ws, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  for (let i = 0; i < 2000; i++) writeFileSync(join(ws, 'conf.d', `s${i}.conf`), `server { listen ${8000 + i}; server_name s${i}.example; }\n`);
  const client = new TestClient();
  try {
    await client.initialize(ws);
    const uri = pathToFileURL(join(ws, 'nginx.conf')).href;
    await client.open(uri, 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    await client.waitDiagnostics(uri, () => true, 20_000);
    const t0 = Date.now();
    // ten notifications of 1,000 events: created, changed and deleted files of the included folder
    for (let b = 0; b < 10; b++) {
      const changes = [];
      for (let i = 0; i < 1000; i++) {
        const n = b * 1000 + i;
        changes.push({ uri: pathToFileURL(join(ws, 'conf.d', `s${n % 2000}.conf`)).href, type: (n % 3) + 1 });
      }
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
    }
    // requests are answered in order: the hover answers once every event has been handled
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 6 } });
    const ms = Date.now() - t0;
    t.diagnostic(`10,000 file events absorbed in ${ms} ms`);
    assert.ok(hover, 'hover answers');
    assert.ok(ms <= 5000, `10,000 file events took ${ms} ms`);
  } finally {
    await client.shutdown();
    rmSync(ws, { recursive: true, force: true });
  }
});

test('lsp: includes of a FIFO and /proc/kmsg: diagnostics within 2 s, hover still answers', { skip: process.platform !== 'linux' && 'needs Linux (mkfifo, /proc)', timeout: 60_000 }, async () => {
  const ws = mkdtempSync(join(tmpdir(), 'nginx-fifo-'));
  const text = 'events {}\nhttp {\n    include fifo.conf;\n    include /proc/kmsg;\n    include /**/*;\n}\n';
  writeFileSync(join(ws, 'nginx.conf'), text);
  execFileSync('mkfifo', [join(ws, 'fifo.conf')]);
  const client = new TestClient();
  try {
    await client.initialize(ws);
    const uri = pathToFileURL(join(ws, 'nginx.conf')).href;
    const t0 = Date.now();
    await client.open(uri, text);
    const d = await client.waitDiagnostics(uri, () => true, 10_000);
    assert.ok(Date.now() - t0 < 2000, `diagnostics after ${Date.now() - t0} ms`);
    const codes = d.diagnostics.map((x) => String(x.code)).sort();
    assert.deepEqual(codes, ['include-outside', 'include-outside', 'include-unreadable']);
    assert.ok(!d.diagnostics.some((x) => /internal error/.test(String(x.message))));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 6 } });
    assert.ok(hover);
  } finally {
    await client.shutdown();
    rmSync(ws, { recursive: true, force: true });
  }
});

test('lsp: deleting the main file on disk re-validates the open files it included', { timeout: 60_000 }, async () => {
  const ws = mkdtempSync(join(tmpdir(), 'nginx-delmain-'));
  mkdirSync(join(ws, 'sites'));
  // the map lives in nginx.conf: without it the site's $connection_upgrade has no map
  writeFileSync(join(ws, 'nginx.conf'), 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }\n    include sites/*.conf;\n}\n');
  const site = 'server {\n    listen 80;\n    location /ws {\n        proxy_pass http://127.0.0.1:3000;\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n        proxy_read_timeout 3600s;\n        proxy_send_timeout 3600s;\n    }\n}\n';
  writeFileSync(join(ws, 'sites', 'a.conf'), site);
  const client = new TestClient();
  try {
    await client.initialize(ws);
    const uri = pathToFileURL(join(ws, 'sites', 'a.conf')).href;
    await client.open(uri, site);
    const first = await client.waitDiagnostics(uri);
    assert.ok(!first.diagnostics.some((d) => d.code === 'ws-map-missing'), JSON.stringify(first.diagnostics));
    client.diagnostics.delete(uri);
    rmSync(join(ws, 'nginx.conf'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(ws, 'nginx.conf')).href, type: 3 }] });
    // (diagnostics of the start-up re-validation may still arrive first: wait for the ones that
    // see the deletion)
    const after = await client.waitDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'ws-map-missing'), 5000);
    assert.ok(after.diagnostics.some((d) => d.code === 'ws-map-missing'), 'the site is analysed without the deleted main file');
  } finally {
    await client.shutdown();
    rmSync(ws, { recursive: true, force: true });
  }
});

// Issue 19, "deaf, not dead": after a framing error the stdio reader is out of step with the stream
// for good, so the server must exit (the client then restarts it) instead of living on without
// answering. A body that is merely invalid JSON costs only that message.
test('stdio: a broken Content-Length header makes the server exit with an error; invalid JSON does not', async () => {
  const bin = join(__dirname, '..', '..', 'bin', 'nginx-language-server.js');
  const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

  const run = (input: string, waitMs: number) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [bin, '--stdio'], { stdio: 'pipe' });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { p.kill(); resolve({ code: null, stdout, stderr }); }, waitMs);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    p.stdin.write(input); // stdin stays open: only the framing may end the process
  });

  const t0 = Date.now();
  const bad = await run('Content-Length: abc\r\n\r\n{}' + frame(init), 5000);
  assert.equal(bad.code, 1, `exit code (stderr: ${bad.stderr})`);
  assert.ok(Date.now() - t0 < 5000);
  assert.match(bad.stderr, /unreadable message framing/);

  const badJson = await run(frame('{"jsonrpc": "2.0", "id": 0, "method": ') + frame(init), 3000);
  assert.equal(badJson.code, null, 'still running after a body that is not JSON');
  assert.match(badJson.stdout, /"id":1,"result":\{"capabilities"/, 'and it answers the next request');
});

// Edits arriving while a long validation runs: the server must end on the newest text (no stale
// publish after it), keep answering requests in between, and survive cancellations of them.
test('lsp: 30 edits during long validations of a 1.4 MB file: diagnostics end on the last text, requests answered, cancellations survived', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-concurrent-'));
  const big = 'events {}\nhttp {\n' + 'server { listen 80; location / { proxy_pass http://127.0.0.1:9000; proxy_set_header Host $host; } }\n'.repeat(14_000) + '}\n';
  const uri = pathToFileURL(join(dir, 'nginx.conf')).href;
  const client = new TestClient();
  try {
    await client.initialize(dir);
    await client.open(uri, big);
    await client.waitDiagnostics(uri, () => true, 60_000);
    const hovers: Promise<unknown>[] = [];
    for (let v = 2; v <= 31; v++) {
      await client.change(uri, big.replace('events {}', `events {}\nunknown_edit_${v} on;`), v);
      hovers.push(client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 10 } }));
      if (v % 5 === 0) {
        const source = new CancellationTokenSource();
        const p = client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }, source.token);
        source.cancel();
        // answered either way: a result if it already ran, RequestCancelled if it had not
        hovers.push(p.then(() => undefined, (err: { code?: number }) => { assert.equal(err.code, -32800); }));
      }
    }
    await Promise.all(hovers);
    const names = (p: { diagnostics: { message: unknown }[] }) => p.diagnostics.map((d) => /unknown_edit_(\d+)/.exec(String(d.message))?.[1]).filter(Boolean);
    await client.waitDiagnostics(uri, (p) => names(p).join() === '31', 60_000);
    // nothing older lands after the newest
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(names(client.diagnostics.get(uri)!), ['31']);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 10 } });
    assert.ok(hover, 'hover answers after the burst');
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

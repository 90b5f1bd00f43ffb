import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './client';

describe('language server over stdio', () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-lsp-'));
  before(async () => {
    client = new TestClient();
  });
  after(async () => {
    await client.shutdown();
  });

  test('initialize announces the features', async () => {
    const r = await client.initialize(dir);
    assert.equal(r.serverInfo?.name, 'nginx-language-server');
    assert.equal(r.capabilities.textDocumentSync && typeof r.capabilities.textDocumentSync === 'object' ? r.capabilities.textDocumentSync.change : 0, 2); // incremental
    assert.ok(r.capabilities.hoverProvider);
    assert.ok(r.capabilities.codeActionProvider);
  });

  test('didOpen publishes syntax errors; didChange updates them', async () => {
    const path = join(dir, 'nginx.conf');
    const uri = pathToFileURL(path).href;
    const broken = 'events {}\nhttp {\n  server {\n    listen 80\n  }\n}\n';
    writeFileSync(path, broken);
    await client.open(uri, broken, 1);
    const first = await client.waitDiagnostics(uri, (p) => p.version === 1);
    const syntax = first.diagnostics.filter((d) => d.code === 'syntax-error');
    assert.equal(syntax.length, 1);
    assert.equal(syntax[0].source, 'nginx');
    assert.equal(syntax[0].range.start.line, 4);
    assert.match(String(syntax[0].message), /missing ";" after the "listen" directive on line 4/);

    await client.change(uri, broken.replace('listen 80', 'listen 80;'), 2);
    const second = await client.waitDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(second.diagnostics.filter((d) => d.code === 'syntax-error'), []);
  });

  test('a binary document gets one clear diagnostic, and the server keeps serving', async () => {
    const uri = pathToFileURL(join(dir, 'blob.conf')).href;
    await client.open(uri, 'GIF89a\u0000\u0001garbage', 1);
    const d = await client.waitDiagnostics(uri);
    assert.equal(d.diagnostics.length, 1);
    assert.match(String(d.diagnostics[0].message), /binary file/);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(hover, null);
  });

  test('requests on unknown documents and odd positions answer without killing the server', async () => {
    const uri = pathToFileURL(join(dir, 'never-opened.conf')).href;
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    const open = pathToFileURL(join(dir, 'small.conf')).href;
    await client.open(open, 'events {}\n', 1);
    await client.waitDiagnostics(open);
    await client.request('textDocument/hover', { textDocument: { uri: open }, position: { line: 999, character: 999 } });
    await client.request('textDocument/completion', { textDocument: { uri: open }, position: { line: -1, character: -5 } });
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: open } });
    assert.ok(Array.isArray(symbols));
    assert.equal(client.proc.exitCode, null, 'server still running');
  });

  test('nginx/assumedVersion answers the version a file is checked for, from its comment', async () => {
    const uri = pathToFileURL(join(dir, 'versioned.conf')).href;
    const text = '# nginx: version=1.26\nevents {}\nhttp { server { listen 443; ssl on; } }\n';
    await client.open(uri, text, 1);
    const d = await client.waitDiagnostics(uri);
    assert.ok(d.diagnostics.some((x) => x.code === 'directive-removed'), JSON.stringify(d.diagnostics));
    const a = await client.request<{ version: string; why: string } | null>('nginx/assumedVersion', { textDocument: { uri } });
    assert.equal(a?.version, '1.26');
    assert.match(a!.why, /comment/);
  });

  test('an empty document is fine', async () => {
    const uri = pathToFileURL(join(dir, 'empty.conf')).href;
    await client.open(uri, '', 1);
    const d = await client.waitDiagnostics(uri);
    assert.deepEqual(d.diagnostics, []);
  });
});

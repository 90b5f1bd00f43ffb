/**
 * What VS Code's traffic needs from the server: the light-bulb request (no `only`) stays cheap and
 * offers fix-all lazily (codeAction/resolve), document highlight marks one symbol, and a request
 * cancelled while queued is answered with RequestCancelled instead of being computed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CancellationTokenSource, type CodeAction, type CompletionItem, type DocumentHighlight } from 'vscode-languageserver-protocol';
import { TestClient } from './client';

const CONF = `events {}
http {
    upstream chat {
        server 127.0.0.1:9000;
    }
    server {
        listen 80;
        server_name chat.example.com;
        root /var/www/chat;
        location /ws/ {
            proxy_pass http://chat;
            proxy_set_header Upgrade $http_upgrade;
        }
    }
}
`;
const WS_LINE = 10;

function workspace(): { dir: string; uri: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-editor-'));
  writeFileSync(join(dir, 'nginx.conf'), CONF);
  return { dir, uri: pathToFileURL(join(dir, 'nginx.conf')).href };
}

test('lsp: the light-bulb request offers fix-all without computing it; resolve computes it', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    const init = await client.initialize(dir, { codeAction: { resolveSupport: { properties: ['edit'] }, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } });
    assert.equal((init.capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, true);
    await client.open(uri, CONF);
    const diags = await client.waitDiagnostics(uri);
    assert.ok(diags.diagnostics.some((d) => String(d.code).startsWith('ws-')), 'the fixture has WebSocket findings');
    const at = { line: WS_LINE, character: 14 };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [], triggerKind: 2 } });
    const lazy = actions.filter((a) => a.kind === 'source.fixAll.nginx-websocket');
    assert.deepEqual(lazy.map((a) => a.title).sort(), ['Fix all WebSocket issues in this file', 'Fix all WebSocket issues in this location']);
    for (const a of lazy) assert.equal(a.edit, undefined, 'not computed before it is picked');
    const resolved = await client.request<CodeAction>('codeAction/resolve', lazy.find((a) => /file/.test(a.title)));
    const edits = resolved.edit?.changes?.[uri] ?? [];
    assert.ok(edits.length > 0, 'resolve fills in the edit');
    assert.match(edits.map((e) => e.newText).join(''), /proxy_http_version 1\.1/);
    // asked for source actions explicitly: computed at once
    const eager = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['source'] } });
    assert.ok(eager.length > 0 && eager.every((a) => a.edit && Object.keys(a.edit.changes ?? {}).length > 0));
  } finally {
    await client.shutdown();
  }
});

test('lsp: a broken WebSocket location is one diagnostic with related information; its preferred quick-fix fixes the location, resolved on pick', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    await client.initialize(dir, { codeAction: { resolveSupport: { properties: ['edit'] }, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } });
    await client.open(uri, CONF);
    const ws = (await client.waitDiagnostics(uri)).diagnostics.filter((d) => String(d.code).startsWith('ws-'));
    assert.equal(ws.length, 1, ws.map((d) => `${d.code}: ${d.message}`).join('\n'));
    const d = ws[0];
    assert.equal(d.range.start.line, WS_LINE - 1, 'on `location /ws/`');
    assert.equal(d.severity, 1);
    assert.match(String(d.message), /^This location has [2-9] WebSocket problems:\n- ws-/);
    const related = d.relatedInformation ?? [];
    assert.ok(related.length >= 2 && related.every((r) => r.location.uri === uri), JSON.stringify(related));
    assert.ok(related.some((r) => /^ws-http-version \(error\): /.test(r.message)));
    // the light bulb sends the diagnostics under the cursor, as VS Code does
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], triggerKind: 2 } });
    const first = actions[0];
    assert.equal(first.title, 'Fix all WebSocket problems in this location');
    assert.equal(first.kind, 'quickfix');
    assert.equal(first.isPreferred, true);
    assert.equal(first.edit, undefined, 'not computed before it is picked');
    assert.ok(actions.some((a) => a.kind === 'quickfix' && a.title === 'Insert proxy_http_version 1.1' && a.edit && !a.isPreferred), 'the members\' own fixes follow');
    const resolved = await client.request<CodeAction>('codeAction/resolve', first);
    assert.equal(resolved.kind, 'quickfix');
    const text = (resolved.edit?.changes?.[uri] ?? []).map((e) => e.newText).join('');
    for (const needle of ['proxy_http_version 1.1', 'proxy_set_header Connection $connection_upgrade', 'map $http_upgrade $connection_upgrade']) assert.ok(text.includes(needle), `resolved edit lacks ${needle}: ${text}`);
  } finally {
    await client.shutdown();
  }
});

test('lsp: a client without codeAction/resolve gets no fix-all on the light bulb, only quick fixes', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    await client.initialize(dir);
    await client.open(uri, CONF);
    await client.waitDiagnostics(uri);
    const at = { line: WS_LINE, character: 14 };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: WS_LINE - 1, character: 0 }, end: at }, context: { diagnostics: [] } });
    assert.deepEqual(actions.filter((a) => a.kind?.startsWith('source')), []);
    assert.ok(actions.some((a) => a.kind === 'quickfix' && a.edit), 'quick fixes still there');
  } finally {
    await client.shutdown();
  }
});

test('lsp: document highlight marks the upstream, not the words that contain its name', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    const init = await client.initialize(dir);
    assert.ok(init.capabilities.documentHighlightProvider);
    await client.open(uri, CONF);
    await client.waitDiagnostics(uri);
    const hl = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position: { line: 2, character: 15 } });
    assert.deepEqual(hl.map((h) => [h.range.start.line, h.range.start.character, h.kind]), [[2, 13, 3], [WS_LINE, 30, 2]]);
  } finally {
    await client.shutdown();
  }
});

test('lsp: a request cancelled while queued is answered with RequestCancelled', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    await client.initialize(dir);
    await client.open(uri, CONF);
    await client.waitDiagnostics(uri);
    // a large change keeps the server busy while the request and its cancellation arrive
    const big = CONF + '# padding\n'.repeat(1) + 'http { server { location / { root /x; } } }\n'.repeat(20_000);
    await client.change(uri, big, 2);
    const source = new CancellationTokenSource();
    const pending = client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }, source.token);
    source.cancel();
    await assert.rejects(pending, (err: { code?: number }) => err.code === -32800);
    // and the server still answers afterwards
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols) && symbols.length > 0);
  } finally {
    await client.shutdown();
  }
});

function includeTree(files: number): { dir: string; main: string; broken: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-unopened-'));
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  for (let i = 0; i < files; i++) writeFileSync(join(dir, 'conf.d', `site${String(i).padStart(5, '0')}.conf`), `server {\n    listen ${10000 + i};\n    location / { root /srv/${i}; }\n}\n`);
  // two errors the CLI finds: an unknown directive and a directive in the wrong block
  writeFileSync(join(dir, 'conf.d', 'broken.conf'), 'server {\n    listen 80;\n    proxy_pas http://x;\n    location / { worker_connections 10; }\n}\n');
  return { dir, main: pathToFileURL(join(dir, 'nginx.conf')).href, broken: pathToFileURL(join(dir, 'conf.d', 'broken.conf')).href };
}

test('lsp: an included file that is not open gets its diagnostics; opening and closing keeps them', async () => {
  const { dir, broken } = includeTree(3);
  const client = new TestClient();
  try {
    await client.initialize(dir);
    const d = await client.waitDiagnostics(broken, (p) => p.diagnostics.length >= 2, 20_000);
    assert.deepEqual(d.diagnostics.map((x) => x.code).sort(), ['directive-context', 'directive-unknown']);
    // the other included files are clean, and got (empty) diagnostics too
    const clean = pathToFileURL(join(dir, 'conf.d', 'site00000.conf')).href;
    assert.deepEqual((await client.waitDiagnostics(clean)).diagnostics, []);
  } finally {
    await client.shutdown();
  }
});

test('lsp: nginx.diagnostics.scope = openFiles checks only open files', async () => {
  const { dir, main, broken } = includeTree(1);
  const client = new TestClient({ diagnostics: { scope: 'openFiles' } });
  try {
    await client.initialize(dir);
    await client.open(main, 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    await client.waitDiagnostics(main);
    // long enough for a workspace run (1 s after the last change) to have happened
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(client.diagnostics.get(broken), undefined);
  } finally {
    await client.shutdown();
  }
});

test('lsp: 10,000 included files are checked without stalling requests', { timeout: 240_000 }, async () => {
  const { dir, main, broken } = includeTree(10_000);
  const client = new TestClient();
  try {
    const t = Date.now();
    await client.initialize(dir);
    await client.open(main, 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    // requests are answered while the unopened files are being checked
    const h = Date.now();
    await client.request('textDocument/documentSymbol', { textDocument: { uri: main } });
    const requestMs = Date.now() - h;
    await client.waitDiagnostics(broken, (p) => p.diagnostics.length >= 2, 200_000);
    const last = pathToFileURL(join(dir, 'conf.d', 'site09998.conf')).href; // broken.conf sorts first: site09999 is the 10,001st, past nginx.diagnostics.maxFiles
    await client.waitDiagnostics(last, () => true, 200_000);
    console.log(`10,000 files: all diagnostics after ${Date.now() - t} ms; a request during the run took ${requestMs} ms`);
    assert.ok(requestMs < 5000, `documentSymbol took ${requestMs} ms during the workspace run`);
  } finally {
    await client.shutdown();
  }
});

test('lsp: a diagnostic\'s code links to the rule page shipped with the server, which exists', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    await client.initialize(dir);
    await client.open(uri, CONF);
    const d = await client.waitDiagnostics(uri, (p) => p.diagnostics.length > 0);
    for (const x of d.diagnostics) {
      const href = x.codeDescription?.href;
      assert.ok(href, `${x.code} has a link`);
      assert.match(href, /^file:\/\//);
      assert.ok(existsSync(fileURLToPath(href)), `${href} exists`);
      assert.match(readFileSync(fileURLToPath(href), 'utf8'), new RegExp(String(x.code)));
    }
  } finally {
    await client.shutdown();
  }
});

test('lsp: formatting a file with a syntax error says where the error is', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    await client.initialize(dir);
    const broken = 'events {}\nhttp {\n    server {\n        listen 80\n    }\n}\n';
    await client.open(uri, broken);
    await client.waitDiagnostics(uri);
    const edits = await client.request<unknown[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.deepEqual(edits, []);
    for (let i = 0; i < 50 && !client.shown.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(client.shown.length, 1, client.stderr + client.logs.join('\n'));
    assert.equal(client.shown[0].type, 2); // warning
    assert.match(client.shown[0].message, /^Not formatted: syntax error on line 5, column \d+: .*"listen"/);
  } finally {
    await client.shutdown();
  }
});

test('lsp: editing an open included file re-validates the open file that includes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-dependents-'));
  const map = "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    '' close;\n}\n";
  const main = 'events {}\nhttp {\n    include maps.conf;\n    server {\n        listen 80;\n        location / {\n            proxy_pass http://127.0.0.1:9000;\n            proxy_set_header Connection $connection_upgrade;\n        }\n    }\n}\n';
  writeFileSync(join(dir, 'maps.conf'), map);
  writeFileSync(join(dir, 'nginx.conf'), main);
  const mainUri = pathToFileURL(join(dir, 'nginx.conf')).href;
  const mapUri = pathToFileURL(join(dir, 'maps.conf')).href;
  const unknown = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.some((d) => d.code === 'variable-unknown');
  const client = new TestClient();
  try {
    await client.initialize(dir);
    await client.open(mainUri, main);
    await client.open(mapUri, map);
    assert.equal(unknown(await client.waitDiagnostics(mainUri)), false, 'the map defines $connection_upgrade');
    // the map goes: only the including file can say its variable is now unknown
    await client.change(mapUri, '# nothing here\n', 2);
    await client.waitDiagnostics(mainUri, unknown);
    await client.change(mapUri, map, 3);
    await client.waitDiagnostics(mainUri, (p) => !unknown(p));
  } finally {
    await client.shutdown();
  }
});

/** Completion in the WebSocket location, at the start of the proxy_set_header line. */
function completeInWsLocation(client: TestClient, uri: string) {
  return client.request<{ items: CompletionItem[]; itemDefaults?: { editRange?: unknown; data?: unknown } }>('textDocument/completion', { textDocument: { uri }, position: { line: WS_LINE + 1, character: 12 } });
}

test('lsp: completion sends directive documentation on completionItem/resolve to a client that resolves it', async () => {
  const { dir, uri } = workspace();
  const client = new TestClient();
  try {
    const init = await client.initialize(dir, { completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail'] } } } });
    assert.equal((init.capabilities.completionProvider as { resolveProvider?: boolean }).resolveProvider, true);
    await client.open(uri, CONF);
    await client.waitDiagnostics(uri);
    const list = await completeInWsLocation(client, uri);
    const item = list.items.find((i) => i.label === 'proxy_read_timeout');
    assert.ok(item, 'proxy_read_timeout offered in a location');
    assert.equal(item.documentation, undefined, 'documentation left for resolve');
    assert.ok(list.items.every((i) => i.kind === 15 || i.documentation === undefined), 'no directive item carries its documentation');
    const resolved = await client.request<CompletionItem>('completionItem/resolve', item);
    assert.match((resolved.documentation as { value: string }).value, /\*\*proxy_read_timeout\*\*/);
    assert.deepEqual(resolved.textEdit, item.textEdit);
    // a client that applies itemDefaults (VS Code) gets the shared range, format and data once
    const vscodeLike = new TestClient();
    try {
      await vscodeLike.initialize(dir, { completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation'] } }, completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } });
      await vscodeLike.open(uri, CONF);
      const shared = await completeInWsLocation(vscodeLike, uri);
      assert.deepEqual(shared.itemDefaults?.editRange, item.textEdit && 'range' in item.textEdit ? item.textEdit.range : null);
      const bare = shared.items.find((i) => i.label === 'proxy_read_timeout')!;
      assert.equal(bare.textEdit, undefined);
      assert.equal(bare.data, undefined, 'the data is the list\'s');
      const got = await vscodeLike.request<CompletionItem>('completionItem/resolve', { ...bare, data: shared.itemDefaults!.data });
      assert.deepEqual(got.documentation, resolved.documentation);
    } finally {
      await vscodeLike.shutdown();
    }
    // a client that does not resolve gets it in the list
    const plain = new TestClient();
    try {
      await plain.initialize(dir);
      await plain.open(uri, CONF);
      const eager = await completeInWsLocation(plain, uri);
      assert.deepEqual(eager.items.find((i) => i.label === 'proxy_read_timeout')!.documentation, resolved.documentation);
    } finally {
      await plain.shutdown();
    }
  } finally {
    await client.shutdown();
  }
});

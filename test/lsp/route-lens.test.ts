/**
 * The route CodeLens over stdio: textDocument/codeLens lists one lens per location of an included
 * site file without a command (cheap), codeLens/resolve proves an example URL with the routing model
 * and makes it a nginx.routeUrl command; nginx.codeLens.routes = false lists none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './client';
import { repoRoot } from '../helpers';

interface Lens { range: { start: { line: number; character: number } }; command?: { title: string; command: string; arguments?: unknown[] }; data?: unknown }

async function withSite(settings: Record<string, unknown>, fn: (client: TestClient, site: string, text: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nginx-ls-route-lens-'));
  cpSync(join(repoRoot, 'test/fixtures/routing/site'), root, { recursive: true });
  const client = new TestClient(settings);
  try {
    await client.initialize(root);
    const site = pathToFileURL(join(root, 'sites/app.conf')).href;
    const text = readFileSync(join(root, 'sites/app.conf'), 'utf8');
    await client.open(site, text);
    await fn(client, site, text);
  } finally {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

test('lsp: route CodeLenses are listed per location and resolved to a proven example URL', async () => {
  await withSite({}, async (client, site, text) => {
    const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: site } });
    assert.deepEqual(lenses.map((l) => l.range.start.line), ['location /', 'location ~', 'location ^~', 'location /api/', 'location ='].map((n) => lineOf(text, n)));
    assert.ok(lenses.every((l) => !l.command), 'listing is cheap: no command until resolved');
    const resolved = await Promise.all(lenses.map((l) => client.request<Lens>('codeLens/resolve', l)));
    assert.deepEqual(resolved.map((l) => l.command?.title), [
      'e.g. http://app.example.com:8080/',
      'e.g. http://app.example.com:8080/x.php',
      'e.g. http://app.example.com:8080/static/',
      'e.g. http://app.example.com:8080/api/',
      'e.g. http://app.example.com:8080/health',
    ]);
    assert.equal(resolved[1].command?.command, 'nginx.routeUrl');
    assert.deepEqual(resolved[1].command?.arguments, [{ uri: site, url: '/x.php', host: 'app.example.com', serverAddress: '127.0.0.1:8080', input: 'http://app.example.com:8080/x.php' }]);
    // the click's request routes where the lens says
    const r = await client.request<{ location: { label: string } | null }>('nginx/route', { textDocument: { uri: site }, ...(resolved[1].command!.arguments![0] as object) });
    assert.equal(r.location?.label, 'location ~ \\.php$');
  });
});

test('lsp: nginx.codeLens.routes = false lists no route lenses', async () => {
  await withSite({ codeLens: { routes: false } }, async (client, site) => {
    // the settings are pulled after `initialized`: ask until they apply (bounded; fails if they never do)
    const deadline = Date.now() + 10_000;
    let lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: site } });
    while (lenses.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: site } });
    }
    assert.deepEqual(lenses, []);
  });
});

/**
 * nginx/route over stdio: the built server answers which server and location of a two-file
 * configuration (nginx.conf including sites/*.conf) handle a request, with each step's file and range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './client';
import { repoRoot } from '../helpers';

interface Step { kind: string; label: string; detail?: string; uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }
interface RouteResult { server: Step | null; location: Step | null; chain: Step[]; normalizedUri: string; notes: string[] }

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

test('lsp: nginx/route picks the server by Host and the location by URI, with ranges in the included file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nginx-ls-route-'));
  cpSync(join(repoRoot, 'test/fixtures/routing/site'), root, { recursive: true });
  const client = new TestClient();
  try {
    await client.initialize(root);
    const main = pathToFileURL(join(root, 'nginx.conf')).href;
    const site = pathToFileURL(join(root, 'sites/app.conf')).href;
    const siteText = readFileSync(join(root, 'sites/app.conf'), 'utf8');
    const mainText = readFileSync(join(root, 'nginx.conf'), 'utf8');
    await client.open(site, siteText);

    // asked from the site file: the Host picks the site's server by its wildcard
    const php = await client.request<RouteResult>('nginx/route', { textDocument: { uri: site }, url: '/a/../b//x.php?q=1', host: 'www.app.example.com:8080', serverAddress: '127.0.0.1:8080' });
    assert.equal(php.normalizedUri, '/b/x.php');
    assert.equal(php.server?.uri, site);
    assert.equal(php.server?.range.start.line, lineOf(siteText, 'server {'));
    assert.match(php.server?.detail ?? '', /wildcard \*\.app\.example\.com/);
    assert.equal(php.location?.label, 'location ~ \\.php$');
    assert.equal(php.location?.range.start.line, lineOf(siteText, 'location ~'));
    assert.equal(php.location?.range.start.character, 4);
    assert.deepEqual(php.chain.map((s) => s.kind), ['handler']);

    // ^~ stops the regex search; the exact location wins over everything
    const st = await client.request<RouteResult>('nginx/route', { textDocument: { uri: site }, url: '/static/x.php', host: 'app.example.com' });
    assert.equal(st.location?.label, 'location ^~ /static/');
    const health = await client.request<RouteResult>('nginx/route', { textDocument: { uri: site }, url: '/health', host: 'app.example.com' });
    assert.equal(health.location?.label, 'location = /health');
    assert.deepEqual(health.chain.map((s) => `${s.kind} ${s.label}`), ['return return 200 "ok"']);

    // try_files: the fallback is an internal redirect to /index.php, which the regex location takes
    const front = await client.request<RouteResult>('nginx/route', { textDocument: { uri: site }, url: '/blog/post', host: 'app.example.com' });
    assert.equal(front.location?.label, 'location /');
    assert.deepEqual(front.chain.map((s) => s.kind), ['try_files', 'location', 'handler']);
    assert.equal(front.chain[1].label, 'location ~ \\.php$');
    assert.ok(front.notes.some((n) => /file system/.test(n)), front.notes.join('; '));

    // the proxied /api/ without its slash: nginx's automatic 301
    const api = await client.request<RouteResult>('nginx/route', { textDocument: { uri: site }, url: '/api', host: 'app.example.com' });
    assert.equal(api.location?.label, 'location /api/');
    assert.equal(api.chain[0]?.kind, 'redirect');
    assert.match(api.chain[0].label, /^301 \/api\//);

    // an unknown Host: the default_server in the main file answers
    const other = await client.request<RouteResult>('nginx/route', { textDocument: { uri: site }, url: '/', host: 'nope.test' });
    assert.equal(other.server?.uri, main);
    assert.equal(other.server?.range.start.line, lineOf(mainText, '    server {'));
    assert.match(other.server?.detail ?? '', /default_server for 0\.0\.0\.0:8080/);
    assert.equal(other.location, null);
    assert.deepEqual(other.chain.map((s) => s.label), ['return 444']);

    // bad input is an answer with a note, not an error
    const bad = await client.request<RouteResult | null>('nginx/route', { textDocument: { uri: site }, url: '' });
    assert.ok(bad && bad.server === null && bad.notes.length === 1);
  } finally {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
});

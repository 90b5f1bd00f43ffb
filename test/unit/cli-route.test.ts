/**
 * `nginx-lint route` (the built CLI): JSON with server, location and chain, each with file and
 * 1-based line of its directive (null when none), text output, and usage errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers';

const bin = join(repoRoot, 'bin', 'nginx-lint.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

test('cli: nginx-lint route --format json names the server and location with file and 1-based line', () => {
  const root = mkdtempSync(join(tmpdir(), 'nginx-cli-route-'));
  cpSync(join(repoRoot, 'test/fixtures/routing/site'), root, { recursive: true });
  const main = join(root, 'nginx.conf');
  const site = join(root, 'sites/app.conf');
  const siteText = readFileSync(site, 'utf8');
  const r = run(['route', '/x/y.php', '--host', 'app.example.com', '--address', '127.0.0.1:8080', '--format', 'json', main]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.server, { file: site, line: lineOf(siteText, 'server {'), label: 'server app.example.com *.app.example.com', detail: 'exact server_name app.example.com' });
  assert.equal(out.location.file, site);
  assert.equal(out.location.line, lineOf(siteText, 'location ~'));
  assert.equal(out.location.label, 'location ~ \\.php$');
  assert.deepEqual(out.chain.map((c: { kind: string; line: number }) => `${c.kind}@${c.line}`), [`handler@${lineOf(siteText, 'fastcgi_pass')}`]);

  // the default server answers an unknown Host at server level: no location
  const d = JSON.parse(run(['route', '/', '--host', 'other.test', '--format', 'json', main]).stdout);
  assert.equal(d.server.file, main);
  assert.equal(d.location, null);
  assert.equal(d.chain[0].label, 'return 444');

  const text = run(['route', '/api', '--host', 'app.example.com', main]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^location {2}.*app\.conf:\d+ {2}location \/api\//m);
  assert.match(text.stdout, /^redirect .*301 \/api\//m);

  const bad = run(['route', main]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /give a URL and a FILE/);
  assert.equal(run(['route', '/', '--format', 'sarif', main]).status, 2);
  assert.equal(run(['route', '/', join(root, 'missing.conf')]).status, 2);
});

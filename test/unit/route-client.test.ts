import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRouteInput, routeRows, routeTitle, type RouteResult, type RouteStep } from '../../client/src/route';

function fields(input: string) {
  const p = parseRouteInput(input);
  assert.ok(p.ok, `parsed: ${input} (${p.ok ? '' : p.error})`);
  return p.fields;
}

test('a full URL gives the path, the Host and the port the connection arrives on', () => {
  assert.deepEqual(fields('http://Example.COM:8080/api/v1?x=1#frag'), { url: '/api/v1?x=1', host: 'example.com', serverAddress: '*:8080' });
  assert.deepEqual(fields('https://example.com'), { url: '/', host: 'example.com', serverAddress: '*:443' });
  assert.deepEqual(fields('http://user:pw@example.com/'), { url: '/', host: 'example.com', serverAddress: '*:80' });
  assert.deepEqual(fields('example.com/a'), { url: '/a', host: 'example.com', serverAddress: '*:80' }, 'no scheme: http');
  assert.deepEqual(fields('http://example.com?q'), { url: '/?q', host: 'example.com', serverAddress: '*:80' });
});

test('an address as host is also the server address', () => {
  assert.deepEqual(fields('http://10.0.0.5:81/x'), { url: '/x', host: '10.0.0.5', serverAddress: '10.0.0.5:81' });
  assert.deepEqual(fields('http://[::1]:8443/x'), { url: '/x', host: '[::1]', serverAddress: '[::1]:8443' });
});

test('a path alone leaves Host and address to the server', () => {
  assert.deepEqual(fields('/images/a%20b.png'), { url: '/images/a%20b.png' });
  assert.deepEqual(fields('  /x  '), { url: '/x' });
});

test('method first, client address after "from"', () => {
  assert.deepEqual(fields('POST http://a.test/upload from 192.168.1.9'), {
    url: '/upload', host: 'a.test', serverAddress: '*:80', method: 'POST', clientAddress: '192.168.1.9',
  });
  assert.deepEqual(fields('/x from [2001:db8::1]'), { url: '/x', clientAddress: '2001:db8::1' });
});

test('input that is not a request is refused with a reason', () => {
  for (const bad of ['', '   ', 'ftp://x/', 'http://:80/', 'http://x:99999/', '/x from nowhere', '/x to 1.2.3.4', 'http://a b']) {
    const p = parseRouteInput(bad);
    assert.equal(p.ok, false, bad);
    assert.ok(!p.ok && p.error.length > 0);
  }
});

const range = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 20 } });
const step = (kind: RouteStep['kind'], label: string, line: number, detail?: string): RouteStep => ({
  kind, label, uri: 'file:///w/site.conf', range: range(line), ...(detail ? { detail } : {}),
});

test('rows: server, location, then the chain once each, then the notes', () => {
  const server = step('server', 'server app.test', 2, 'server_name app.test (exact)');
  const location = step('location', 'location ~ \\.php$', 9, 'first matching regex');
  const result: RouteResult = {
    server,
    location,
    chain: [location, step('try_files', 'try_files $uri =404', 10), step('handler', 'fastcgi_pass php:9000', 11)],
    normalizedUri: '/a.php',
    notes: ['the files try_files tests are not known here'],
  };
  const rows = routeRows(result, (uri, line) => `${uri.replace(/^.*\//, '')}:${line + 1}`);
  assert.deepEqual(rows.map((r) => r.label), [
    '$(server) server app.test',
    '$(symbol-namespace) location ~ \\.php$',
    '$(files) try_files $uri =404',
    '$(play) fastcgi_pass php:9000',
    'notes',
    '$(info) the files try_files tests are not known here',
  ]);
  assert.deepEqual(rows.map((r) => r.description), ['site.conf:3', 'site.conf:10', 'site.conf:11', 'site.conf:12', undefined, undefined]);
  assert.equal(rows[0].detail, 'server_name app.test (exact)');
  assert.equal(rows[4].separator, true);
  assert.equal(rows[3].step?.range.start.line, 11);
});

test('rows say when no server or no location answers', () => {
  const none: RouteResult = { server: null, location: null, chain: [], normalizedUri: '/x', notes: [] };
  assert.deepEqual(routeRows(none, () => '').map((r) => r.label), ['$(info) No server accepts this request']);
  const noLoc: RouteResult = { server: step('server', 'server', 1), location: null, chain: [], normalizedUri: '/x', notes: [] };
  assert.deepEqual(routeRows(noLoc, () => '').map((r) => r.label), ['$(server) server', '$(info) No location matches /x']);
});

test('the title shows the request and the normalized URI when it differs', () => {
  const r = (normalizedUri: string): RouteResult => ({ server: null, location: null, chain: [], normalizedUri, notes: [] });
  assert.equal(routeTitle({ url: '/a//b/../c?x', host: 'h', serverAddress: '*:8080' }, r('/a/c')), 'GET h:8080/a//b/../c?x  (as /a/c)');
  assert.equal(routeTitle({ url: '/a?x', host: 'h', serverAddress: '*:80', method: 'POST' }, r('/a')), 'POST h/a?x');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';

const TEXT = `http {
    server {
        listen 80;
        server_name app.test;
        location / { root /srv; }
        location = /exact { return 200; }
        location /api/ {
            location ~ \\.json$ { return 200; }
        }
        location ~* \\.(png|jpg)$ { expires 1d; }
        location /images/ { root /srv; }
        location ~ \\.php$ { return 200; }
        location ~ /x\\.php$ { return 200; }
        location ~ ^/static/ { return 200; }
        location ^~ /static/ { return 200; }
        location @named { return 200; }
        location ~ "^/\\p{Lu}" { return 200; }
    }
    server {
        listen 127.0.0.1:8080;
        server_name *.other.test;
        location /o/ { return 200; }
    }
}
`;
const uri = 'file:///lens/nginx.conf';

function lenses(settings: unknown = {}) {
  const ls = getLanguageService({ settings: resolveSettings(settings) });
  ls.openDocument(uri, TEXT);
  return ls.routeLenses(uri).map((l) => ({ line: l.range.start.line, ...ls.resolveRouteLens(uri, l.offset)! }));
}

const lineOf = (needle: string) => TEXT.split('\n').findIndex((l) => l.includes(needle));

test('each location gets an example URL the routing model sends to it', () => {
  const byLine = new Map(lenses().map((l) => [l.line, l]));
  const title = (needle: string) => byLine.get(lineOf(needle))?.title;
  assert.equal(title('location / {'), 'e.g. http://app.test/');
  assert.equal(title('location = /exact'), 'e.g. http://app.test/exact');
  assert.equal(title('location /api/'), 'e.g. http://app.test/api/');
  assert.equal(title('location ~ \\.json$'), 'e.g. http://app.test/api/x.json', 'nested: inside its parent prefix');
  assert.equal(title('location ~* \\.(png|jpg)$'), 'e.g. http://app.test/x.png');
  assert.equal(title('location /images/'), 'e.g. http://app.test/images/', 'its own prefix, which the png regex does not take');
  assert.equal(title('location ~ \\.php$'), 'e.g. http://app.test/x.php');
  assert.equal(title('location ^~ /static/'), 'e.g. http://app.test/static/');
  assert.equal(title('location /o/'), 'e.g. http://www.other.test:8080/o/', 'host from the wildcard name, port from listen');
  const o = byLine.get(lineOf('location /o/'))!;
  assert.deepEqual(o.request, { url: 'http://www.other.test:8080/o/', path: '/o/', host: 'www.other.test', serverAddress: '127.0.0.1:8080' });
  assert.ok(o.reaches);
});

test('a location no candidate reaches is called unreachable, with where the request goes instead', () => {
  const byLine = new Map(lenses().map((l) => [l.line, l]));
  const shadowed = byLine.get(lineOf('location ~ /x\\.php$'))!;
  assert.equal(shadowed.reaches, false);
  assert.equal(shadowed.title, `unreachable: http://app.test/x.php goes to location ~ \\.php$ (line ${lineOf('location ~ \\.php$') + 1})`);
  // ^~ /static/ stops the regex search: the regex location is never chosen for /static/…
  const regexStatic = byLine.get(lineOf('location ~ ^/static/'))!;
  assert.equal(regexStatic.reaches, false);
  assert.match(regexStatic.title, /^unreachable: http:\/\/app\.test\/static\/ goes to location \^~ \/static\//);
});

test('named locations have no lens; a pattern that cannot be sampled says so', () => {
  const all = lenses();
  assert.ok(!all.some((l) => l.line === lineOf('location @named')));
  const p = all.find((l) => l.line === lineOf('\\p{Lu}'))!;
  assert.equal(p.title, 'no example URL: the pattern could not be sampled');
  assert.equal(p.request, null);
});

test('nginx.codeLens.routes = false turns them off', () => {
  assert.deepEqual(lenses({ codeLens: { routes: false } }), []);
});

test('a file with no http servers gets no lenses', () => {
  const ls = getLanguageService({ settings: resolveSettings({}) });
  ls.openDocument('file:///lens/events.conf', 'events { worker_connections 10; }\n');
  assert.deepEqual(ls.routeLenses('file:///lens/events.conf'), []);
});

test('locations with no server block to route to get no lenses', () => {
  const ls = getLanguageService({ settings: resolveSettings({}) });
  // a location straight in http, and a `server` missing its block: nothing routes there
  ls.openDocument('file:///lens/noserver.conf', 'http {\n    location / { return 200; }\n    server\n}\n');
  assert.deepEqual(ls.routeLenses('file:///lens/noserver.conf'), []);
  // the same with a server block: the lenses come back
  ls.openDocument('file:///lens/noserver.conf', 'http {\n    location / { return 200; }\n    server { listen 80; location /a/ { return 200; } }\n}\n');
  assert.equal(ls.routeLenses('file:///lens/noserver.conf').length, 2);
});

test('resolving a lens whose location moved gives null, not a wrong lens', () => {
  const ls = getLanguageService({ settings: resolveSettings({}) });
  ls.openDocument(uri, TEXT);
  assert.equal(ls.resolveRouteLens(uri, 3), null);
});

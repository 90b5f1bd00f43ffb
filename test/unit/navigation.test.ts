import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { NodeFileSystem } from '../../server/src/nodeFileSystem';
import { pathToUri } from '../../server/src/service/paths';
import type { Location, Position } from 'vscode-languageserver-types';

const FILES: Record<string, string> = {
  '/etc/nginx/nginx.conf': `events {}
http {
    log_format main '$remote_addr $request';
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    limit_req_zone $binary_remote_addr zone=perip:10m rate=1r/s;
    limit_conn_zone $binary_remote_addr zone=addr:10m;
    proxy_cache_path /var/cache/a keys_zone=cache_a:10m;
    include conf.d/*.conf;
    include sites-enabled/*;
}
`,
  '/etc/nginx/conf.d/upstreams.conf': `upstream backend {
    server 127.0.0.1:8080;
}
`,
  '/etc/nginx/sites-enabled/one': `server {
    server_name one.example;
    access_log /var/log/one.log main;
    limit_req zone=perip burst=5;
    limit_conn addr 10;
    set $target backend;
    location ~ ^/user/(?<user>[a-z]+)$ {
        proxy_cache cache_a;
        proxy_set_header X-User $user;
        proxy_set_header Connection $connection_upgrade;
        proxy_pass http://backend;
        error_page 502 @fallback;
    }
    location @fallback {
        return 503 "$target";
    }
}
`,
  '/etc/nginx/sites-enabled/two': `server {
    server_name two.example;
    location / {
        try_files $uri @fallback;
        proxy_pass http://backend/two;
    }
    location @fallback {
        return 404;
    }
}
`,
};

function setup(files = FILES): LanguageService {
  return getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/etc/nginx'] });
}

/** The position of the `n`-th occurrence of `needle` in a file, plus `delta` characters. */
function at(file: string, needle: string, delta = 1, n = 0): Position {
  const text = FILES[file];
  let o = -1;
  for (let i = 0; i <= n; i++) o = text.indexOf(needle, o + 1);
  assert.ok(o >= 0, `${needle} in ${file}`);
  o += delta;
  const before = text.slice(0, o).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function show(locs: Location[]): string[] {
  return locs.map((l) => {
    const p = l.uri.replace('file:///etc/nginx/', '');
    const text = FILES['/etc/nginx/' + p].split('\n')[l.range.start.line];
    return `${p}:${text.slice(l.range.start.character, l.range.end.character)}`;
  }).sort();
}

const uri = (f: string) => 'file://' + f;
const ONE = '/etc/nginx/sites-enabled/one';
const TWO = '/etc/nginx/sites-enabled/two';

test('definition: upstream, map variable, log_format, zones, cache zone across files', () => {
  const ls = setup();
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, 'http://backend', 8))), ['conf.d/upstreams.conf:backend']);
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, '$connection_upgrade', 3))), ['nginx.conf:connection_upgrade']);
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, ' main;', 2))), ['nginx.conf:main']);
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, 'zone=perip', 6))), ['nginx.conf:perip']);
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, 'addr 10', 1))), ['nginx.conf:addr']);
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, 'cache_a', 1))), ['nginx.conf:cache_a']);
  // a regex named capture and a set variable
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, '$user', 2))), ['sites-enabled/one:user']);
  assert.deepEqual(show(ls.findDefinition(uri(ONE), at(ONE, '"$target"', 3))), ['sites-enabled/one:target']);
  // built-in variables have no definition
  assert.deepEqual(ls.findDefinition(uri('/etc/nginx/nginx.conf'), at('/etc/nginx/nginx.conf', '$http_upgrade', 2)), []);
});

test('definition: named locations resolve within their server', () => {
  const ls = setup();
  const one = ls.findDefinition(uri(ONE), at(ONE, '@fallback', 2));
  assert.equal(one.length, 1);
  assert.equal(one[0].uri, uri(ONE));
  const two = ls.findDefinition(uri(TWO), at(TWO, '@fallback', 2));
  assert.equal(two.length, 1);
  assert.equal(two[0].uri, uri(TWO));
  assert.deepEqual(show(ls.findReferences(uri(TWO), at(TWO, '@fallback', 2), true)), ['sites-enabled/two:fallback', 'sites-enabled/two:fallback']);
});

test('definition on an include: every matched file', () => {
  const ls = setup();
  const main = '/etc/nginx/nginx.conf';
  const locs = ls.findDefinition(uri(main), at(main, 'sites-enabled/*', 3));
  assert.deepEqual(locs.map((l) => l.uri), [uri(ONE), uri(TWO)]);
  assert.deepEqual(locs[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
});

test('references: upstream and variables across files, with and without declarations', () => {
  const ls = setup();
  assert.deepEqual(show(ls.findReferences(uri(ONE), at(ONE, 'http://backend', 8), true)), ['conf.d/upstreams.conf:backend', 'sites-enabled/one:backend', 'sites-enabled/two:backend']);
  assert.deepEqual(show(ls.findReferences(uri(ONE), at(ONE, 'http://backend', 8), false)), ['sites-enabled/one:backend', 'sites-enabled/two:backend']);
  const main = '/etc/nginx/nginx.conf';
  assert.deepEqual(show(ls.findReferences(uri(main), at(main, '$connection_upgrade', 3), true)), ['nginx.conf:connection_upgrade', 'sites-enabled/one:connection_upgrade']);
});

test('rename: upstream across files, variable, named location only in its server, zone', () => {
  const ls = setup();
  const edit = ls.rename(uri(ONE), at(ONE, 'http://backend', 8), 'api');
  assert.ok(edit?.changes);
  assert.deepEqual(Object.keys(edit.changes).sort(), [uri('/etc/nginx/conf.d/upstreams.conf'), uri(ONE), uri(TWO)]);
  assert.ok(Object.values(edit.changes).flat().every((e) => e.newText === 'api'));
  const v = ls.rename(uri(ONE), at(ONE, '$connection_upgrade', 3), '$conn_up');
  assert.equal(Object.values(v!.changes!).flat().length, 2);
  assert.ok(Object.values(v!.changes!).flat().every((e) => e.newText === 'conn_up'));
  const loc = ls.rename(uri(ONE), at(ONE, '@fallback', 2), '@oops');
  assert.deepEqual(Object.keys(loc!.changes!), [uri(ONE)]);
  assert.equal(loc!.changes![uri(ONE)].length, 2);
  const zone = ls.rename(uri(ONE), at(ONE, 'zone=perip', 6), 'per_ip');
  assert.equal(Object.values(zone!.changes!).flat().length, 2);
  const cap = ls.rename(uri(ONE), at(ONE, '$user', 2), 'login');
  assert.equal(cap!.changes![uri(ONE)].length, 2);
});

test('rename: invalid names and clashes are refused; built-ins cannot be renamed', () => {
  const ls = setup();
  assert.throws(() => ls.rename(uri(ONE), at(ONE, '$connection_upgrade', 3), '1abc'), /not a valid variable name/);
  assert.throws(() => ls.rename(uri(ONE), at(ONE, 'http://backend', 8), 'a b'), /not a valid upstream name/);
  assert.throws(() => ls.rename(uri(ONE), at(ONE, '$target', 2), 'user'), /already defined/);
  assert.equal(ls.prepareRename(uri('/etc/nginx/nginx.conf'), at('/etc/nginx/nginx.conf', '$http_upgrade', 2)), null);
  const p = ls.prepareRename(uri(ONE), at(ONE, 'http://backend', 8));
  assert.equal(p?.placeholder, 'backend');
});

test('document links: one per include; a glob links its first match and lists all', () => {
  const ls = setup();
  const links = ls.documentLinks(uri('/etc/nginx/nginx.conf'));
  assert.equal(links.length, 2);
  assert.equal(links[0].target, uri('/etc/nginx/conf.d/upstreams.conf'));
  assert.equal(links[1].target, uri(ONE));
  assert.match(links[1].tooltip!, /2 files match: one, two/);
});

test('debian fixture on disk: a definition through the sites-enabled symlink lands in the real files', () => {
  const root = path.resolve(__dirname, '../fixtures/workspaces/debian');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const site = pathToUri(path.join(root, 'sites-enabled/example.com'));
  ls.openDocument(site, require('node:fs').readFileSync(path.join(root, 'sites-enabled/example.com'), 'utf8'), 1);
  const text: string = ls.workspace.getSource(site)!.file.text;
  const o = text.indexOf('$connection_upgrade') + 2;
  const before = text.slice(0, o).split('\n');
  const defs = ls.findDefinition(site, { line: before.length - 1, character: before[before.length - 1].length });
  assert.deepEqual(defs.map((d) => path.relative(root, d.uri.replace('file://', ''))), ['nginx.conf']);
  const refs = ls.findReferences(site, { line: before.length - 1, character: before[before.length - 1].length }, true);
  // the open (symlink) uri is used for the open document
  assert.ok(refs.some((r) => r.uri === site));
});

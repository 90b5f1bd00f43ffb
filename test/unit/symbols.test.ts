import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { fileSymbols } from '../../server/src/service/workspace/symbols';
import { parse } from '../../server/src/service/syntax/parser';

function outline(list: DocumentSymbol[], depth = 0): string[] {
  return list.flatMap((s) => ['  '.repeat(depth) + s.name, ...outline(s.children ?? [], depth + 1)]);
}

test('document symbols: http, servers named by server_name or listen, locations, upstream, map', () => {
  const ls = getLanguageService();
  ls.openDocument('untitled:a', `events {}
http {
    log_format main '$request';
    upstream app { server 127.0.0.1:1; }
    map $http_upgrade $connection_upgrade { default upgrade; }
    server {
        listen 443 ssl;
        server_name example.com www.example.com;
        location = /health { return 200; }
        location ~* \\.php$ { }
        location @fallback { }
        if ($request_method = POST) { return 405; }
    }
    server {
        listen 8080;
        location / { }
    }
}
stream {
    server { listen 53 udp; proxy_pass dns; }
}
`);
  assert.deepEqual(outline(ls.documentSymbols('untitled:a')), [
    'events',
    'http',
    '  log_format main',
    '  upstream app',
    '  map $http_upgrade $connection_upgrade',
    '  server example.com (+1)',
    '    location = /health',
    '    location ~* \\.php$',
    '    location @fallback',
    '    if ($request_method = POST)',
    '  server :8080',
    '    location /',
    'stream',
    '  server :53',
  ]);
  const server = ls.documentSymbols('untitled:a')[1].children![3];
  assert.equal(server.detail, '443 ssl');
});

test('workspace symbols: every server_name and upstream of the workspace, filtered', () => {
  const fs = new MemoryFileSystem({
    '/etc/nginx/nginx.conf': 'http {\n    include sites-enabled/*;\n    upstream api_pool { server 127.0.0.1:1; }\n}\n',
    '/etc/nginx/sites-enabled/a': 'server { server_name a.example.com; }\n',
    '/etc/nginx/sites-available/b': 'server { server_name b.example.org _; }\n',
  });
  const ls = getLanguageService({ fs, folders: ['/etc/nginx'] });
  const all = ls.workspaceSymbols('').map((s) => s.name).sort();
  assert.deepEqual(all, ['a.example.com', 'api_pool', 'b.example.org']);
  assert.deepEqual(ls.workspaceSymbols('exorg').map((s) => s.name), ['b.example.org']);
  const a = ls.workspaceSymbols('a.ex')[0];
  assert.equal(a.location.uri, 'file:///etc/nginx/sites-enabled/a');
});

test('file symbols: definitions and references found in a file', () => {
  const f = parse(`geo $remote_addr $geo_zone { default a; }
split_clients "\${remote_addr}x" $variant { 50% a; * b; }
server {
    if ($http_x ~ ^(?P<part>.+)$) { set $p $part; }
    fastcgi_pass php_pool;
    proxy_pass http://127.0.0.1:8080;
    rewrite ^/(?<slug>.*)$ /x?s=$slug;
    fastcgi_cache_path /c keys_zone=fc:1m;
}
`);
  const got = fileSymbols(f).map((o) => `${o.def ? 'def' : 'ref'} ${o.kind} ${o.name}`);
  assert.deepEqual(got, [
    'ref variable remote_addr',
    'def variable geo_zone',
    'ref variable remote_addr',
    'def variable variant',
    'ref variable http_x',
    'def variable part',
    'def variable p',
    'ref variable part',
    'ref upstream php_pool',
    'def variable slug',
    'ref variable slug',
    'def cache-zone fc',
  ]);
});

test('document symbols: blocks reused from the previous outline equal a fresh outline after every edit', () => {
  const ls = getLanguageService();
  const uri = 'file:///w/nginx.conf';
  const servers = (n: number) => Array.from({ length: n }, (_, i) => `    server {\n        listen ${8000 + i};\n        server_name s${i}.example.com;\n        location / { }\n        location /api/ { proxy_pass http://b; }\n    }\n`).join('');
  const base = `http {\n${servers(6)}}\n`;
  // typing into a location, a line inserted above others, a server renamed, a brace removed and put back
  const edits = [
    base,
    base.replace('location /api/ { proxy_pass http://b; }', 'location /api/ { proxy_pass http://b; p }'),
    base.replace('location /api/ { proxy_pass http://b; }', 'location /api/ { proxy_pass http://b; proxy_read }'),
    base.replace('    server {\n        listen 8002;', '    server {\n\n        listen 8002;'),
    base.replace('server_name s3.example.com', 'server_name renamed.example.com'),
    base.replace('location / { }\n        location /api/ { proxy_pass http://b; }\n    }\n    server {\n        listen 8004;', 'location / { }\n        location /api/ { proxy_pass http://b; }\n\n    server {\n        listen 8004;'),
    base,
    '',
    base,
    base.replace('server_name s3.example.com', 'server_name s9.example.com'), // same length, same place
  ];
  let version = 1;
  let previous: DocumentSymbol[] = [];
  for (const text of edits) {
    ls.openDocument(uri, text, version++);
    const reused = ls.documentSymbols(uri);
    // a keystroke in the first server leaves the last server (same line, same text) as it was: reused
    if (version === 3) assert.equal(reused[0].children![5], previous[0].children![5]);
    previous = reused;
    assert.deepEqual(reused, (() => {
      const fresh = getLanguageService();
      fresh.openDocument(uri, text, 1);
      return fresh.documentSymbols(uri);
    })(), `after edit ${version - 1}`);
    // asked again for the same version: the same answer
    assert.equal(ls.documentSymbols(uri), reused);
  }
});

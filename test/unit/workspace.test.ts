import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { NodeFileSystem } from '../../server/src/nodeFileSystem';
import { GraphView } from '../../server/src/service/workspace/configView';
import { expandGlob, matchSegment } from '../../server/src/service/workspace/glob';
import { pathToUri, uriToPath } from '../../server/src/service/paths';
import { inferContext } from '../../server/src/service/analysis/view';
import { parse } from '../../server/src/service/syntax/parser';
import { allDirectives } from '../../server/src/service/syntax/query';
import type { ConfigView } from '../../server/src/service/analysis/types';
import type { Directive } from '../../server/src/service/syntax/tree';

const FIX = path.resolve(__dirname, '../fixtures/workspaces');
const RULES = path.resolve(__dirname, '../fixtures/rules');
const u = pathToUri;

function topPath(v: ConfigView): string[] {
  assert.ok(v instanceof GraphView, 'expected a graph view');
  return (v as GraphView).topPath();
}
function find(v: ConfigView, name: string, arg0?: string): Directive {
  for (const d of allDirectives(v.source.file.children)) if (d.name === name && (arg0 === undefined || d.args[0]?.value === arg0)) return d;
  throw new Error(`no ${name} ${arg0 ?? ''}`);
}
function memory(files: Record<string, string>, folders = ['/etc/nginx'], settings?: unknown) {
  const fs = new MemoryFileSystem(files);
  const ls = getLanguageService({ fs, folders, settings: settings ? resolveSettings(settings) : undefined });
  return { fs, ls, ws: ls.workspace };
}
const codes = (ls: ReturnType<typeof getLanguageService>, uri: string) => ls.findingsFor(uri).map((f) => f.code);

// ------------------------------------------------------------------ on disk: Debian tree

test('debian tree: a site file is analysed in http context, through the sites-enabled symlink', () => {
  const root = path.join(FIX, 'debian');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const site = path.join(root, 'sites-available/example.com');
  const uri = u(site);
  ls.openDocument(uri, readFileSync(site, 'utf8'), 1);
  assert.deepEqual(ls.workspace.mainFiles(), [path.join(root, 'nginx.conf')]);
  const views = ls.workspace.viewsFor(uri);
  assert.equal(views.length, 1);
  assert.equal(views[0].inferred, false);
  assert.deepEqual(topPath(views[0]), ['http']);
  assert.equal(views[0].topScope().context, 'http');
  const names = views[0].files().map((f) => path.relative(root, uriToPath(f.uri)!));
  assert.deepEqual(names, ['sites-available/example.com', 'nginx.conf', 'conf.d/maps.conf', 'conf.d/upstreams.conf', 'sites-available/default', 'snippets/ssl.conf', 'snippets/proxy-headers.conf']);
  // the open document is the one the view holds
  assert.equal(views[0].files()[0], ls.workspace.getSource(uri));
});

test('debian tree: scopes continue through the include site up to main; expand replaces includes', () => {
  const root = path.join(FIX, 'debian');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const uri = u(path.join(root, 'sites-available/example.com'));
  const v = ls.workspace.viewsFor(uri)[0];
  const pass = find(v, 'proxy_pass');
  const scopes = v.scopes(pass);
  assert.deepEqual(scopes.map((s) => s.context), ['location', 'server', 'http', 'main']);
  const http = scopes[2];
  assert.equal(http.owner?.name, 'http');
  assert.equal(path.basename(uriToPath(http.source!.uri)!), 'nginx.conf');
  // the http level holds the map of nginx.conf, the upstream of conf.d/ and the servers of sites-enabled/
  const names = http.directives.map((d) => d.name);
  assert.ok(names.includes('map') && names.includes('upstream') && names.includes('limit_req_zone'));
  assert.equal(names.filter((n) => n === 'server').length, 2);
  // resolved includes are replaced; the stock mime.types (absent) stays as an include
  assert.deepEqual(http.directives.filter((d) => d.name === 'include').map((d) => d.args[0].value), ['/etc/nginx/mime.types']);
  // the location's include of a snippet is expanded in place
  const loc = scopes[0].owner!;
  const inLoc = v.expand(loc).map((d) => `${d.name} ${d.args[0]?.value}`);
  assert.deepEqual(inLoc.slice(0, 4), ['proxy_set_header Host', 'proxy_set_header X-Real-IP', 'proxy_set_header X-Forwarded-For', 'proxy_set_header X-Forwarded-Proto']);
  // sourceOf knows directives of other files
  const map = http.directives.find((d) => d.name === 'map')!;
  assert.equal(path.basename(uriToPath(v.sourceOf(map)!.uri)!), 'nginx.conf');
  const up = http.directives.find((d) => d.name === 'upstream')!;
  assert.equal(path.basename(uriToPath(v.sourceOf(up)!.uri)!), 'upstreams.conf');
  // a directive of a snippet: its chain goes snippet -> location -> server -> http -> main
  const snippetDirective = v.expand(loc)[0];
  assert.deepEqual(v.scopes(snippetDirective).map((s) => s.context), ['location', 'server', 'http', 'main']);
});

test('debian tree: a site not enabled is a lone file with an inferred context, its includes resolved against the main prefix', () => {
  const root = path.join(FIX, 'debian');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const uri = u(path.join(root, 'sites-available/staging.example.com'));
  const [v] = ls.workspace.viewsFor(uri);
  assert.equal(v.inferred, true);
  assert.deepEqual(topPath(v), ['http']);
  const server = find(v, 'server');
  assert.ok(v.expand(server).some((d) => d.name === 'proxy_set_header'), 'snippet expanded');
  assert.deepEqual(v.scopes(find(v, 'proxy_pass')).map((s) => s.context), ['location', 'server', 'http', 'main']);
  assert.deepEqual(codes(ls, uri).filter((c) => c.startsWith('include')), []);
});

test('debian tree: the main file itself, stock includes are not reported', () => {
  const root = path.join(FIX, 'debian');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const uri = u(path.join(root, 'nginx.conf'));
  const [v] = ls.workspace.viewsFor(uri);
  assert.deepEqual(topPath(v), []);
  assert.equal(v.topScope().context, 'main');
  assert.deepEqual(codes(ls, uri).filter((c) => c.startsWith('include')), []);
});

test('docker tree: templates stand for the conf.d files they render to', () => {
  const root = path.join(FIX, 'docker');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const uri = u(path.join(root, 'templates/default.conf.template'));
  const views = ls.workspace.viewsFor(uri);
  assert.equal(views.length, 1);
  assert.equal(views[0].inferred, false);
  assert.deepEqual(topPath(views[0]), ['http']);
  // the map in conf.d/websocket-map.conf is part of the configuration
  const files = views[0].files().map((f) => path.relative(root, uriToPath(f.uri)!));
  assert.deepEqual(files, ['templates/default.conf.template', 'nginx.conf', 'conf.d/websocket-map.conf']);
});

test('fragment: a lone site file infers http, its snippet says context=server, relative includes resolve next to it', () => {
  const root = path.join(FIX, 'fragment');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  const site = u(path.join(root, 'site.conf'));
  const [v] = ls.workspace.viewsFor(site);
  assert.equal(v.inferred, true);
  assert.equal(v.topScope().context, 'http');
  const server = find(v, 'listen').parent!;
  assert.ok(v.expand(server).some((d) => d.name === 'proxy_read_timeout'), 'proxy.conf expanded');
  const [sv] = ls.workspace.viewsFor(u(path.join(root, 'proxy.conf')));
  assert.equal(sv.topScope().context, 'server');
  assert.deepEqual(sv.scopes(sv.topScope().directives[0]).map((s) => s.context), ['server', 'http', 'main']);
});

// ------------------------------------------------------------------ in memory

test('a file included from two places gets one view per include site', () => {
  const { ls, ws } = memory({
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include common.conf;\n    server {\n        listen 80;\n        include common.conf;\n    }\n}\n',
    '/etc/nginx/common.conf': 'add_header X-Frame-Options DENY;\n',
  });
  const views = ws.viewsFor('file:///etc/nginx/common.conf');
  assert.equal(views.length, 2);
  assert.deepEqual(views.map(topPath), [['http'], ['http', 'server']]);
  const d = views[1].topScope().directives[0];
  assert.deepEqual(views[1].scopes(d).map((s) => s.context), ['server', 'http', 'main']);
  assert.deepEqual(views[0].scopes(d).map((s) => s.context), ['http', 'main']);
  void ls;
});

test('relative includes resolve against the main file folder, not the including file folder', () => {
  const { ws } = memory({
    '/etc/nginx/nginx.conf': 'http {\n    include sites/a.conf;\n}\n',
    '/etc/nginx/sites/a.conf': 'server {\n    include snippets/x.conf;\n}\n',
    '/etc/nginx/snippets/x.conf': 'listen 80;\n',
    '/etc/nginx/sites/snippets/x.conf': 'listen 81;\n',
  });
  const [v] = ws.viewsFor('file:///etc/nginx/snippets/x.conf');
  assert.deepEqual(topPath(v), ['http', 'server']);
  const [other] = ws.viewsFor('file:///etc/nginx/sites/snippets/x.conf');
  assert.equal(other.inferred, true);
});

test('globs: *, ?, [..] and [!..]; sorted; hidden files and folders are not matched', () => {
  const fs = new MemoryFileSystem({
    '/c/b.conf': '', '/c/a.conf': '', '/c/.hidden.conf': '', '/c/c1.conf': '', '/c/c2.conf': '', '/c/d.txt': '', '/c/sub.conf/x': '',
  });
  const dirs = { readDir: (p: string) => fs.readDir(p) };
  assert.deepEqual(expandGlob(fs, dirs, '/c/*.conf'), ['/c/a.conf', '/c/b.conf', '/c/c1.conf', '/c/c2.conf']);
  assert.deepEqual(expandGlob(fs, dirs, '/c/c?.conf'), ['/c/c1.conf', '/c/c2.conf']);
  assert.deepEqual(expandGlob(fs, dirs, '/c/[ab].conf'), ['/c/a.conf', '/c/b.conf']);
  assert.deepEqual(expandGlob(fs, dirs, '/c/[!ab]*'), ['/c/c1.conf', '/c/c2.conf', '/c/d.txt']);
  assert.deepEqual(expandGlob(fs, dirs, '/c/.*.conf'), ['/c/.hidden.conf']);
  assert.deepEqual(expandGlob(fs, dirs, '/*/a.conf'), ['/c/a.conf']);
  assert.equal(matchSegment('*', '.x'), false);
});

test('include order follows nginx: glob matches sorted, in place', () => {
  const { ws } = memory({
    '/etc/nginx/nginx.conf': 'http {\n    include conf.d/*.conf;\n    server_tokens off;\n}\n',
    '/etc/nginx/conf.d/b.conf': 'gzip on;\n',
    '/etc/nginx/conf.d/a.conf': 'sendfile on;\n',
  });
  const [v] = ws.viewsFor('file:///etc/nginx/nginx.conf');
  const http = find(v, 'http');
  assert.deepEqual(v.expand(http).map((d) => d.name), ['sendfile', 'gzip', 'server_tokens']);
});

test('absolute paths: well-known prefixes map onto the main file folder', () => {
  const { ws } = memory({
    '/home/me/proj/nginx/nginx.conf': 'http {\n    include /etc/nginx/conf.d/*.conf;\n    include /usr/local/nginx/conf/extra.conf;\n}\n',
    '/home/me/proj/nginx/conf.d/site.conf': 'server { listen 80; }\n',
    '/home/me/proj/nginx/extra.conf': 'gzip on;\n',
  }, ['/home/me/proj']);
  for (const f of ['conf.d/site.conf', 'extra.conf']) {
    const [v] = ws.viewsFor(`file:///home/me/proj/nginx/${f}`);
    assert.equal(v.inferred, false, f);
    assert.deepEqual(topPath(v), ['http']);
  }
});

test('absolute paths: a workspace laid out like the root file system', () => {
  const { ws } = memory({
    '/ws/etc/nginx/nginx.conf': 'http {\n    include /etc/nginx/sites-enabled/*;\n    include /etc/myapp/nginx.inc;\n}\n',
    '/ws/etc/nginx/sites-enabled/a': 'server { listen 80; }\n',
    '/ws/etc/myapp/nginx.inc': 'gzip on;\n',
  }, ['/ws']);
  assert.equal(ws.viewsFor('file:///ws/etc/nginx/sites-enabled/a')[0].inferred, false);
  assert.equal(ws.viewsFor('file:///ws/etc/myapp/nginx.inc')[0].inferred, false);
});

test('absolute paths: a prefix detected from the folders the main file holds, and nginx.pathMap', () => {
  const files = {
    '/repo/conf/nginx.conf': 'http {\n    include /srv/nginx/vhosts/*.conf;\n    include /opt/shared/common.conf;\n}\n',
    '/repo/conf/vhosts/a.conf': 'server { listen 80; }\n',
    '/repo/shared/common.conf': 'gzip on;\n',
  };
  const { ws } = memory(files, ['/repo'], { pathMap: { '/opt/shared': 'shared' } });
  assert.equal(ws.viewsFor('file:///repo/conf/vhosts/a.conf')[0].inferred, false, 'detected: vhosts/ exists in the prefix');
  assert.equal(ws.viewsFor('file:///repo/shared/common.conf')[0].inferred, false, 'mapped by settings');
  const { ws: ws2 } = memory(files, ['/repo']);
  assert.equal(ws2.viewsFor('file:///repo/shared/common.conf')[0].inferred, true, 'not mapped without the setting');
});

test('settings.mainFiles chooses the main files', () => {
  const files = {
    '/w/main.conf': 'http {\n    include sites/*.conf;\n}\n',
    '/w/sites/a.conf': 'server { listen 80; }\n',
  };
  const { ws } = memory(files, ['/w'], { mainFiles: ['*.conf'] });
  assert.deepEqual(ws.mainFiles(), ['/w/main.conf']);
  assert.deepEqual(topPath(ws.viewsFor('file:///w/sites/a.conf')[0]), ['http']);
  const { ws: ws2 } = memory(files, ['/w']);
  assert.deepEqual(ws2.mainFiles(), []);
});

test('include cycles are errors on every include of the cycle and expansion stops', () => {
  const root = path.join(RULES, 'include-cycle/bad');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [root] });
  for (const f of ['a.conf', 'b.conf']) {
    const uri = u(path.join(root, f));
    const found = ls.findingsFor(uri).filter((x) => x.code === 'include-cycle');
    assert.equal(found.length, 1, f);
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /include cycle: (a\.conf → b\.conf → a\.conf|b\.conf → a\.conf → b\.conf)/);
  }
  const main = u(path.join(root, 'nginx.conf'));
  assert.deepEqual(codes(ls, main).filter((c) => c.startsWith('include')), []);
  const [v] = ls.workspace.viewsFor(main);
  assert.deepEqual(v.expand(find(v, 'http')).map((d) => d.name), ['add_header']);
  // a lone pair of files that include each other
  const { ls: ls2 } = memory({ '/x/a.conf': 'include /x/b.conf;\n', '/x/b.conf': 'include /x/a.conf;\n' }, ['/x']);
  assert.deepEqual(codes(ls2, 'file:///x/a.conf'), ['include-cycle']);
  assert.deepEqual(codes(ls2, 'file:///x/b.conf'), ['include-cycle']);
  const good = path.join(RULES, 'include-cycle/good');
  const ls3 = getLanguageService({ fs: new NodeFileSystem(), folders: [good] });
  assert.deepEqual(codes(ls3, u(path.join(good, 'nginx.conf'))).filter((c) => c.startsWith('include')), []);
  assert.equal(ls3.workspace.viewsFor(u(path.join(good, 'a.conf'))).length, 2);
});

test('include-missing: bad and good fixtures', () => {
  const bad = path.join(RULES, 'include-missing/bad');
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [bad] });
  const uri = u(path.join(bad, 'nginx.conf'));
  const found = ls.findingsFor(uri).filter((f) => f.code === 'include-missing');
  const text = readFileSync(path.join(bad, 'nginx.conf'), 'utf8');
  assert.deepEqual(found.map((f) => text.slice(f.start, f.end)), ['conf.d/presnet.conf', '/etc/nginx/conf.d/gone.conf']);
  assert.ok(found.every((f) => f.severity === 'warning'));
  const good = path.join(RULES, 'include-missing/good');
  const ls2 = getLanguageService({ fs: new NodeFileSystem(), folders: [good] });
  assert.deepEqual(codes(ls2, u(path.join(good, 'nginx.conf'))).filter((c) => c.startsWith('include')), []);
});

test('include-missing: a fragment workspace (no main file) does not report includes it cannot find', () => {
  const { ls } = memory({ '/f/site.conf': 'server {\n    include snippets/ssl.conf;\n}\n' }, ['/f']);
  assert.deepEqual(codes(ls, 'file:///f/site.conf'), []);
  const { ls: ls2 } = memory({
    '/f/nginx.conf': 'http { }\n',
    '/f/sites-available/site': 'server {\n    include snippets/ssl.conf;\n}\n',
  }, ['/f']);
  assert.deepEqual(codes(ls2, 'file:///f/sites-available/site'), ['include-missing']);
});

test('no file system: a lone document gets the single-file view', () => {
  const ls = getLanguageService();
  ls.openDocument('untitled:1', 'server { listen 80; }\n');
  const [v] = ls.workspace.viewsFor('untitled:1');
  assert.equal(v.inferred, true);
  assert.equal(v.topScope().context, 'http');
});

// ------------------------------------------------------------------ changes

test('open documents override disk; editing an include re-links the graph', () => {
  const { ls, ws } = memory({
    '/etc/nginx/nginx.conf': 'http {\n    include a.conf;\n}\n',
    '/etc/nginx/a.conf': 'server { listen 80; }\n',
    '/etc/nginx/b.conf': 'server { listen 81; }\n',
  });
  assert.equal(ws.viewsFor('file:///etc/nginx/b.conf')[0].inferred, true);
  ls.openDocument('file:///etc/nginx/nginx.conf', 'http {\n    include b.conf;\n}\n', 1);
  assert.equal(ws.viewsFor('file:///etc/nginx/b.conf')[0].inferred, false);
  assert.equal(ws.viewsFor('file:///etc/nginx/a.conf')[0].inferred, true);
  // an edit that keeps the includes keeps the graph, and views see the new tree
  ls.openDocument('file:///etc/nginx/nginx.conf', 'http {\n    gzip on;\n    include b.conf;\n}\n', 2);
  const [v] = ws.viewsFor('file:///etc/nginx/b.conf');
  assert.deepEqual(v.scopes(v.topScope().directives[0])[0].directives.map((d) => d.name), ['gzip', 'server']);
  ls.closeDocument('file:///etc/nginx/nginx.conf');
  assert.equal(ws.viewsFor('file:///etc/nginx/a.conf')[0].inferred, false, 'disk version again');
});

test('files appearing on disk join matching globs; dependents lists the configuration', () => {
  const { ls, ws, fs } = memory({
    '/etc/nginx/nginx.conf': 'http {\n    include conf.d/*.conf;\n}\n',
    '/etc/nginx/conf.d/a.conf': 'server { listen 80; }\n',
  });
  assert.deepEqual(ws.dependents('file:///etc/nginx/conf.d/a.conf').sort(), ['file:///etc/nginx/conf.d/a.conf', 'file:///etc/nginx/nginx.conf']);
  fs.files.set('/etc/nginx/conf.d/b.conf', 'map $http_upgrade $connection_upgrade { default upgrade; }\n');
  ls.fileChanged('file:///etc/nginx/conf.d/b.conf');
  assert.equal(ws.viewsFor('file:///etc/nginx/conf.d/b.conf')[0].inferred, false);
  assert.deepEqual(ws.dependents('file:///etc/nginx/conf.d/a.conf').sort(), ['file:///etc/nginx/conf.d/a.conf', 'file:///etc/nginx/conf.d/b.conf', 'file:///etc/nginx/nginx.conf']);
  // a content change on disk is seen after fileChanged
  fs.files.set('/etc/nginx/conf.d/a.conf', 'server { listen 8080; }\n');
  ls.fileChanged('file:///etc/nginx/conf.d/a.conf');
  assert.match(ws.getSource('file:///etc/nginx/conf.d/a.conf')!.file.text, /8080/);
  fs.files.delete('/etc/nginx/conf.d/b.conf');
  ls.fileChanged('file:///etc/nginx/conf.d/b.conf');
  assert.deepEqual(ws.dependents('file:///etc/nginx/conf.d/a.conf').sort(), ['file:///etc/nginx/conf.d/a.conf', 'file:///etc/nginx/nginx.conf']);
});

// ------------------------------------------------------------------ context inference

test('inferContext: content and first-line comment', () => {
  const ctx = (t: string) => inferContext(parse(t));
  assert.deepEqual(ctx('server { listen 80; }\n'), ['http']);
  assert.deepEqual(ctx('listen 80;\nserver_name a;\n'), ['http', 'server']);
  assert.deepEqual(ctx('location / { root /x; }\n'), ['http', 'server']);
  assert.deepEqual(ctx('proxy_pass http://x;\n'), ['http', 'server', 'location']);
  assert.deepEqual(ctx('events {}\nhttp {}\n'), []);
  assert.deepEqual(ctx('# nginx: context=location\nadd_header X 1;\n'), ['http', 'server', 'location']);
  assert.deepEqual(ctx('server 127.0.0.1:8080;\nkeepalive 16;\n'), ['http', 'upstream']);
  assert.deepEqual(ctx('server {\n    listen 5353 udp;\n    proxy_pass dns;\n}\n'), ['stream']);
  assert.deepEqual(ctx('return 301 https://$host$request_uri;\n'), ['http', 'server']);
  assert.deepEqual(ctx('proxy_set_header Host $host;\n'), ['http']);
});

// ------------------------------------------------------------------ which file holds a directive

test('locate: a directive at any depth is found in the file it was parsed from, by the workspace that holds the file', () => {
  const { ls, ws } = memory({ '/etc/nginx/nginx.conf': 'http {\n  include conf.d/*.conf;\n}\n', '/etc/nginx/conf.d/a.conf': 'server {\n  location / {\n    return 204;\n  }\n}\n' });
  const uri = u('/etc/nginx/conf.d/a.conf');
  const open = ls.openDocument(uri, 'server {\n  location / {\n    return 200;\n  }\n}\n', 1);
  const deep = allDirectives(open.file.children).find((d) => d.name === 'return')!;
  assert.equal(ws.locate(deep)?.source, open);
  assert.equal(ws.locate(deep)?.path, '/etc/nginx/conf.d/a.conf');
  // a file read from disk is located too
  const main = ws.sourceAt('/etc/nginx/nginx.conf')!;
  assert.equal(ws.locate(allDirectives(main.file.children).find((d) => d.name === 'include')!)?.source, main);
  // another workspace does not know this tree, nor this one a tree parsed outside it
  assert.equal(memory({}).ws.locate(deep), null);
  assert.equal(ws.locate(parse('events {}\n').children[0] as Directive), null);
  // the replaced text's tree still knows where it was; the new one answers for the file
  const next = ls.openDocument(uri, 'server {\n  return 204;\n}\n', 2);
  assert.equal(ws.locate(deep)?.source, open);
  assert.equal(ws.locate(allDirectives(next.file.children).find((d) => d.name === 'return')!)?.source, next);
  assert.equal(ws.pathOf(next), '/etc/nginx/conf.d/a.conf');
});

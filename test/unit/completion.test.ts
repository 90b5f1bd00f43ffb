import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InsertTextFormat, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';
import { DIRECTIVE_FREQUENCY } from '../../server/src/service/knowledge/frequency.generated';

/** `|` marks the cursor. */
function complete(fixture: string): CompletionItem[] {
  const offset = fixture.indexOf('|');
  const text = fixture.slice(0, offset) + fixture.slice(offset + 1);
  const ls = getLanguageService();
  ls.openDocument('file:///c/test.conf', text);
  const before = text.slice(0, offset).split('\n');
  return ls.complete('file:///c/test.conf', { line: before.length - 1, character: before[before.length - 1].length }).items;
}
const labels = (items: CompletionItem[]) => items.map((i) => i.label);

describe('completion', () => {
  it('only directives allowed in the enclosing block', () => {
    const inLocation = labels(complete('# nginx: context=main\nevents {}\nhttp { server { location / { | } } }'));
    assert.ok(inLocation.includes('proxy_pass'));
    assert.ok(inLocation.includes('try_files'));
    assert.ok(!inLocation.includes('listen'));
    assert.ok(!inLocation.includes('worker_processes'));
    const inHttp = labels(complete('# nginx: context=main\nevents {}\nhttp { | }'));
    assert.ok(inHttp.includes('server'));
    assert.ok(inHttp.includes('upstream'));
    assert.ok(!inHttp.includes('proxy_pass'));
    assert.ok(!inHttp.includes('listen'));
    const inUpstream = labels(complete('# nginx: context=main\nevents {}\nhttp { upstream b { | } }'));
    assert.ok(inUpstream.includes('server'));
    assert.ok(inUpstream.includes('keepalive'));
    assert.ok(!inUpstream.includes('location'));
  });

  it('stream server vs http server', () => {
    const s = labels(complete('# nginx: context=main\nevents {}\nstream { server { | } }'));
    assert.ok(s.includes('proxy_pass'));
    assert.ok(!s.includes('location'));
  });

  it('if in location vs if in server', () => {
    const lif = labels(complete('# nginx: context=main\nevents {}\nhttp { server { location / { if ($a) { | } } } }'));
    assert.ok(lif.includes('proxy_pass'));
    const sif = labels(complete('# nginx: context=main\nevents {}\nhttp { server { if ($a) { | } } }'));
    assert.ok(!sif.includes('proxy_pass'));
    assert.ok(sif.includes('return'));
  });

  it('snippets for arguments and blocks', () => {
    const items = complete('# nginx: context=main\nevents {}\nhttp { server { location / { prox| } } }');
    const pass = items.find((i) => i.label === 'proxy_pass')!;
    assert.equal(pass.insertTextFormat, InsertTextFormat.Snippet);
    assert.match((pass.textEdit as { newText: string }).newText, /^proxy_pass \$\{1:[^}]+\};$/);
    const buffering = items.find((i) => i.label === 'proxy_buffering')!;
    assert.equal((buffering.textEdit as { newText: string }).newText, 'proxy_buffering ${1|on,off|};');
    const version = items.find((i) => i.label === 'proxy_http_version')!;
    // no nginx.version: the newest release's values (2 from nginx 1.29.4)
    assert.equal((version.textEdit as { newText: string }).newText, 'proxy_http_version ${1|1.0,1.1,2|};');
    const http = complete('# nginx: context=main\n|').find((i) => i.label === 'http')!;
    assert.match((http.textEdit as { newText: string }).newText, /^http \{\n\t\$0\n\}$/);
  });

  it('snippets only in the block they are written for, once each whatever alias is typed', () => {
    const inHttp = complete('# nginx: context=main\nevents {}\nhttp {\n    ws-|\n}');
    const setup = inHttp.filter((i) => i.label === 'ws-setup');
    assert.equal(setup.length, 1, 'ws-setup offered once in http');
    assert.equal(setup[0].insertTextFormat, InsertTextFormat.Snippet);
    assert.match((setup[0].textEdit as { newText: string }).newText, /proxy_http_version 1\.1;/);
    // the alias filters to the same item: no second item labelled websocket-setup
    assert.ok(!inHttp.some((i) => i.label === 'websocket-setup'), 'an alias is a second item');
    assert.match(setup[0].filterText ?? '', /\bwebsocket-setup\b/);
    // the typed word is replaced, not appended to
    const edit = setup[0].textEdit as { range: { start: { character: number }; end: { character: number } } };
    assert.deepEqual([edit.range.start.character, edit.range.end.character], [4, 7]);
    const inLocation = labels(complete('# nginx: context=main\nevents {}\nhttp { server { location / { | } } }'));
    assert.ok(!inLocation.includes('ws-setup'), 'http-level snippet inside a location');
    assert.ok(!inLocation.includes('ws-location'), 'server-level snippet inside a location');
    assert.ok(inLocation.includes('ws-headers'));
    const inServer = labels(complete('# nginx: context=main\nevents {}\nhttp { server { | } }'));
    assert.ok(inServer.includes('ws-location') && inServer.includes('location-proxy'));
    assert.ok(!inServer.includes('ws-setup') && !inServer.includes('ws-headers'));
    const top = labels(complete('# nginx: context=main\n|'));
    assert.ok(!top.some((l) => ['ws-setup', 'ws-location', 'ws-headers', 'server-block'].includes(l)), 'no snippet at the main level');
    // not after a directive name (an argument position), not in a map's entries
    assert.ok(!labels(complete('# nginx: context=main\nevents {}\nhttp { server { location / { proxy_pass ws-| } } }')).includes('ws-headers'));
    assert.ok(!labels(complete('# nginx: context=main\nevents {}\nhttp { map $a $b { ws-| } }')).includes('ws-setup'));
    // a directive named like an alias ranks before the snippet
    const server = complete('# nginx: context=main\nevents {}\nhttp { serv| }');
    const d = server.find((i) => i.label === 'server')!;
    const sn = server.find((i) => i.label === 'server-block')!;
    assert.ok(d.sortText! < sn.sortText!);
    // every snippet is offered in exactly one of http, server, location
    const all = new Set([...labels(inHttp), ...inServer, ...inLocation].filter((l) => /-/.test(l)));
    for (const l of ['ws-setup', 'ws-location', 'ws-map', 'ws-headers', 'socketio-location', 'upstream-keepalive', 'server-block', 'location-proxy', 'server-ssl', 'redirect-https']) {
      assert.ok(all.has(l), `${l} offered nowhere`);
    }
  });

  it('values of flags and enums', () => {
    assert.deepEqual(labels(complete('http { gzip | }')), ['on', 'off']);
    assert.deepEqual(labels(complete('http { server { location / { proxy_http_version 1| } } }')), ['1.0', '1.1', '2']);
    assert.ok(labels(complete('http { ssl_protocols TLSv1.2 | }')).includes('TLSv1.3'));
  });

  it('variables after $: built-in and defined by this configuration', () => {
    const items = complete('http { map $uri $my_target { default 1; } server { set $who 1; return 200 $|; } }');
    const l = labels(items);
    assert.ok(l.includes('$my_target'));
    assert.ok(l.includes('$who'));
    assert.ok(l.includes('$remote_addr'));
    assert.ok(l.includes('$http_NAME'));
    const partial = complete('http { server { return 200 "x$rem|"; } }');
    const edit = partial.find((i) => i.label === '$remote_addr')!.textEdit as { newText: string; range: { start: { character: number } } };
    assert.equal(edit.newText, '$remote_addr');
  });

  it('works in half-typed files (unclosed block, missing ;)', () => {
    const l = labels(complete('# nginx: context=main\nevents {}\nhttp {\n  server {\n    listen 80\n    location / {\n      |'));
    assert.ok(l.includes('proxy_pass'));
    assert.ok(!l.includes('listen'));
    const v = labels(complete('http {\n  server {\n    gzip |'));
    assert.deepEqual(v, ['on', 'off']);
  });

  it('fragment with guessed context: offers directives of any context', () => {
    const l = labels(complete('|'));
    assert.ok(l.includes('proxy_pass') && l.includes('server') && l.includes('worker_processes'));
  });

  it('nothing inside comments or map bodies', () => {
    assert.deepEqual(complete('# prox|'), []);
    assert.deepEqual(complete('http { map $a $b { | } }'), []);
  });
});

it('directive completion ranks by use in real configurations: proxy_pass before proxy_bind', () => {
  const ls = getLanguageService();
  const uri = 'file:///c/nginx.conf';
  const text = 'http {\n  server {\n    location / {\n      proxy_\n    }\n  }\n}\n';
  ls.openDocument(uri, text);
  const items = ls.complete(uri, { line: 3, character: 12 }).items.filter((i) => i.label.startsWith('proxy_'));
  const order = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : a.sortText! > b.sortText! ? 1 : 0)).map((i) => i.label);
  assert.ok(order.indexOf('proxy_pass') < order.indexOf('proxy_bind'), order.slice(0, 10).join(', '));
  // the order follows the generated table
  const ranked = order.filter((n) => n in DIRECTIVE_FREQUENCY);
  for (let i = 1; i < ranked.length; i++) assert.ok(DIRECTIVE_FREQUENCY[ranked[i - 1]] >= DIRECTIVE_FREQUENCY[ranked[i]], `${ranked[i - 1]} before ${ranked[i]}`);
  assert.ok(ranked.length >= 5);
});

describe('completion with lazy documentation (completionItem/resolve)', () => {
  const text = '# nginx: context=main\nevents {}\nhttp { server { location / { proxy_ } } }\n';
  const at = { line: 2, character: text.split('\n')[2].indexOf('proxy_') + 6 };

  it('offers the same items without documentation; resolve adds exactly what eager completion shows', () => {
    const ls = getLanguageService();
    const uri = 'file:///c/lazy.conf';
    ls.openDocument(uri, text);
    const eager = ls.complete(uri, at).items;
    const lazy = ls.complete(uri, at, { lazyDocumentation: true }).items;
    assert.equal(lazy.length, eager.length);
    const directives = lazy.filter((i) => i.data);
    assert.ok(directives.length > 50, `${directives.length} directive items carry data`);
    for (let k = 0; k < eager.length; k++) {
      const e = eager[k];
      const l = lazy[k];
      const { documentation: _d, ...restEager } = e;
      const { documentation: _l, data, ...restLazy } = l;
      assert.deepEqual(restLazy, restEager, e.label);
      if (!data) continue;
      assert.equal(l.documentation, undefined, `${l.label} has no documentation until resolved`);
      assert.deepEqual(ls.resolveCompletion(l).documentation, e.documentation, `${l.label} resolved`);
    }
    const timeout = lazy.find((i) => i.label === 'proxy_read_timeout')!;
    assert.match(JSON.stringify(ls.resolveCompletion(timeout).documentation), /proxy_read_timeout/);
    // resolving reads no document: it works the same once the document is gone
    ls.closeDocument(uri);
    assert.deepEqual(ls.resolveCompletion(timeout).documentation, eager.find((i) => i.label === 'proxy_read_timeout')!.documentation);
  });

  it('with itemDefaults, the items a client fills in equal the full items, and resolve to the same documentation', () => {
    const ls = getLanguageService();
    const uri = 'file:///c/defaults.conf';
    ls.openDocument(uri, text);
    const full = ls.complete(uri, at, { lazyDocumentation: true });
    const shared = ls.complete(uri, at, { lazyDocumentation: true, itemDefaults: true });
    assert.equal(full.itemDefaults, undefined);
    const d = shared.itemDefaults!;
    assert.ok(d.editRange && d.insertTextFormat === InsertTextFormat.Snippet && d.data, JSON.stringify(d));
    assert.ok(JSON.stringify(shared).length * 2 < JSON.stringify(full).length, 'at most half the size');
    // what a client does with the defaults (LSP 3.17 CompletionList.itemDefaults)
    const filled = shared.items.map((i) => {
      const { textEditText, ...rest } = i;
      const item: CompletionItem = { ...rest };
      if (!item.textEdit) item.textEdit = { range: d.editRange as Range, newText: textEditText ?? i.label };
      item.insertTextFormat ??= d.insertTextFormat;
      if (item.data === undefined) item.data = d.data;
      return item;
    });
    assert.equal(filled.length, full.items.length);
    for (let k = 0; k < filled.length; k++) {
      const { data: a, ...x } = filled[k];
      const { data: b, ...y } = full.items[k];
      assert.deepEqual(x, y, full.items[k].label);
      // the snippets carry their own documentation: the shared data reaches them too, and resolve
      // leaves them as they are
      if (b === undefined) assert.deepEqual(ls.resolveCompletion(filled[k]), filled[k], `${filled[k].label} (data ${JSON.stringify(a)})`);
      else assert.deepEqual(ls.resolveCompletion(filled[k]).documentation, ls.resolveCompletion(full.items[k]).documentation, full.items[k].label);
    }
    assert.ok(ls.resolveCompletion(filled.find((i) => i.label === 'proxy_pass')!).documentation);
  });

  it('resolve leaves any other item as it came, and survives garbage', () => {
    const ls = getLanguageService();
    const item = { label: 'x', data: { something: 1 } };
    assert.equal(ls.resolveCompletion(item), item);
    for (const bad of [{ label: 'y' }, { label: 'z', data: null }, { label: 'w', data: { directive: 5, uri: 'u', cx: 1, version: '' } }, { label: 'v', data: 'str' }]) {
      assert.equal(ls.resolveCompletion(bad as CompletionItem), bad);
    }
    // a directive nobody knows resolves to the item unchanged
    const unknown = { label: 'nope', data: { directive: 'no_such_directive', uri: 'file:///c/none.conf', cx: 1, version: '' } };
    assert.equal(ls.resolveCompletion(unknown).documentation, undefined);
  });

  it('the cached lists follow each document\'s nginx version', () => {
    const ls = getLanguageService();
    const body = 'events {}\nhttp { server {  } }\n';
    const col = body.split('\n')[1].indexOf('{  }') + 2;
    ls.openDocument('file:///old/nginx.conf', '# nginx: version=1.22\n' + body);
    ls.openDocument('file:///new/nginx.conf', '# nginx: version=1.26\n' + body);
    for (let round = 0; round < 2; round++) {
      const old = labels(ls.complete('file:///old/nginx.conf', { line: 2, character: col }).items);
      const cur = labels(ls.complete('file:///new/nginx.conf', { line: 2, character: col }).items);
      assert.ok(old.includes('listen') && cur.includes('listen'));
      // `http2 on;` appeared in nginx 1.25.1
      assert.ok(!old.includes('http2'), 'not offered for 1.22');
      assert.ok(cur.includes('http2'), 'offered for 1.26');
    }
  });
});

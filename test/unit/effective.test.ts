/** Effective configuration (analysis/effective.ts) and the hover / "effective configuration" feature built on it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chainFor, defaultProxyHttpVersion, defaultSslProtocols, effectiveArray, effectiveScalar, inheritableArray,
} from '../../server/src/service/analysis/effective';
import { SingleFileView } from '../../server/src/service/analysis/view';
import { timeSeconds } from '../../server/src/service/knowledge/units';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { parse } from '../../server/src/service/syntax/parser';
import { allDirectives } from '../../server/src/service/syntax/query';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';

const CONF = `http {
    proxy_read_timeout 300s;
    proxy_set_header Host $host;
    proxy_set_header X-Real-IP $remote_addr;
    server {
        proxy_http_version 1.1;
        location /a/ {
            proxy_pass http://127.0.0.1:1;
        }
        location /b/ {
            proxy_pass http://127.0.0.1:2;
            proxy_read_timeout 10s;
            proxy_set_header Upgrade $http_upgrade;
            if ($arg_x) {
                proxy_pass http://127.0.0.1:3;
            }
        }
    }
}
`;

function setup(text = CONF) {
  const source = { uri: 'file:///e.conf', file: parse(text) };
  const view = new SingleFileView(source);
  const loc = (path: string) => [...allDirectives(source.file.children)].find((d) => d.name === 'location' && d.args[0].value === path)!;
  return { source, view, loc };
}

test('timeSeconds (what the timeout rules read) follows ngx_parse_time for msec slots', () => {
  assert.equal(timeSeconds('60'), 60);
  assert.equal(timeSeconds('60s'), 60);
  assert.equal(timeSeconds('500ms'), 0.5);
  assert.equal(timeSeconds('1h'), 3600);
  assert.equal(timeSeconds('1h30m'), 5400);
  assert.equal(timeSeconds('1h 30m'), 5400);
  assert.equal(timeSeconds('2d'), 172800);
  assert.equal(timeSeconds('10x'), null);
  assert.equal(timeSeconds('$t'), null);
  assert.equal(timeSeconds('30m1h'), null, 'units must descend, as nginx requires');
  assert.equal(timeSeconds('1M'), null, 'a msec slot refuses months and years');
});

test('proxy_http_version default by nginx version', () => {
  // unknown version: assume the versions in wide use (before 1.29.7), where the default is 1.0
  // nginx's CHANGES: TLSv1.3 on from 1.23.4, TLSv1/TLSv1.1 off from 1.27.3
  assert.equal(defaultSslProtocols(''), null);
  assert.equal(defaultSslProtocols('1.22'), 'TLSv1 TLSv1.1 TLSv1.2');
  assert.equal(defaultSslProtocols('1.26'), 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3');
  assert.equal(defaultSslProtocols('1.27'), 'TLSv1.2 TLSv1.3');
  assert.equal(defaultSslProtocols('1.30.6'), 'TLSv1.2 TLSv1.3');
  assert.equal(defaultProxyHttpVersion(''), '1.0');
  assert.equal(defaultProxyHttpVersion('1.22'), '1.0');
  assert.equal(defaultProxyHttpVersion('1.22.1'), '1.0');
  assert.equal(defaultProxyHttpVersion('1.29.6'), '1.0');
  assert.equal(defaultProxyHttpVersion('1.29.7'), '1.1');
  assert.equal(defaultProxyHttpVersion('1.30'), '1.1');
});

test('scalars: inherited from the innermost level that sets them, else the default', () => {
  const { view, loc } = setup();
  const a = chainFor(view, loc('/a/'));
  assert.deepEqual(a.map((s) => s.context), ['location', 'server', 'http']);
  const rt = effectiveScalar(view, a, 'proxy_read_timeout', '1.22');
  assert.equal(rt.value, '300s');
  assert.equal(rt.scope?.context, 'http');
  assert.equal(rt.local, false);
  assert.equal(rt.isDefault, false);
  assert.equal(effectiveScalar(view, a, 'proxy_http_version', '1.22').scope?.context, 'server');
  const st = effectiveScalar(view, a, 'proxy_send_timeout', '1.22');
  assert.deepEqual([st.value, st.isDefault, st.directive], ['60s', true, null]);
  assert.equal(effectiveScalar(view, a, 'proxy_buffering').value, 'on');
  const b = chainFor(view, loc('/b/'));
  const rb = effectiveScalar(view, b, 'proxy_read_timeout');
  assert.deepEqual([rb.value, rb.local], ['10s', true]);
});

test('arrays: proxy_set_header is inherited only when the level defines none', () => {
  const { view, loc } = setup();
  const a = effectiveArray(chainFor(view, loc('/a/')), 'proxy_set_header');
  assert.deepEqual(a.directives.map((d) => d.args[0].value), ['Host', 'X-Real-IP']);
  assert.equal(a.scope?.context, 'http');
  const bChain = chainFor(view, loc('/b/'));
  const b = effectiveArray(bChain, 'proxy_set_header');
  assert.deepEqual(b.directives.map((d) => d.args[0].value), ['Upgrade'], 'Host and X-Real-IP are not inherited');
  assert.equal(b.local, true);
  assert.deepEqual(inheritableArray(bChain, 'proxy_set_header').directives.map((d) => d.args[0].value), ['Host', 'X-Real-IP']);
  // `if` inside /b/ defines none: it inherits the location's list
  const ifChain = chainFor(view, [...allDirectives(view.source.file.children)].find((d) => d.name === 'if')!);
  assert.deepEqual(ifChain.map((s) => s.context), ['if', 'location', 'server', 'http']);
  assert.deepEqual(effectiveArray(ifChain, 'proxy_set_header').directives.map((d) => d.args[0].value), ['Upgrade']);
});

function lsWith(text: string) {
  const ls = getLanguageService({ settings: resolveSettings({ version: '1.22' }) });
  ls.openDocument('file:///e.conf', text);
  const pos = (needle: string, delta = 0) => {
    const at = text.indexOf(needle) + delta;
    const line = text.slice(0, at).split('\n').length - 1;
    return { line, character: at - (text.lastIndexOf('\n', at - 1) + 1) };
  };
  return { ls, pos };
}

test('hover on a directive in a location: effective value and what it overrides', () => {
  const { ls, pos } = lsWith(CONF);
  const h = ls.hover('file:///e.conf', pos('proxy_read_timeout 10s', 3));
  assert.ok(h);
  const md = (h.contents as { value: string }).value;
  assert.match(md, /Effective here:\*\* `proxy_read_timeout 10s`/);
  assert.match(md, /overrides `300s` from http \(e\.conf:2\)/);
});

test('hover on proxy_set_header says which outer headers are no longer inherited', () => {
  const { ls, pos } = lsWith(CONF);
  const md = (ls.hover('file:///e.conf', pos('proxy_set_header Upgrade', 2))!.contents as { value: string }).value;
  assert.match(md, /not inherited\*\*: `Host`, `X-Real-IP`/);
});

test('effective configuration at a location lists values and sources', () => {
  const { ls, pos } = lsWith(CONF);
  const md = ls.effectiveConfiguration('file:///e.conf', pos('proxy_pass http://127.0.0.1:1'))!;
  assert.match(md, /Effective configuration: `location \/a\/`/);
  assert.match(md, /\| proxy_read_timeout \| `300s` \| http \(e\.conf:2\) \|/);
  assert.match(md, /\| proxy_http_version \| `1\.1` \| server \(e\.conf:6\) \|/);
  assert.match(md, /\| proxy_send_timeout \| `60s` \| nginx default \|/);
  assert.match(md, /\| proxy_set_header \| `Host \$host` \| inherited from http/);
  assert.match(md, /Plain HTTP proxy/);
  const mdB = ls.effectiveConfiguration('file:///e.conf', pos('proxy_pass http://127.0.0.1:2'))!;
  assert.match(mdB, /\| proxy_read_timeout \| `10s` \| here/);
  assert.match(mdB, /\| WebSocket handshake \| HTTP\/1\.1, "Upgrade: websocket", "Connection: close" \|/);
  assert.match(mdB, /\| plain request \| HTTP\/1\.1, no Upgrade header, "Connection: close" \|/);
  assert.match(mdB, /\*\*WebSocket proxy\*\* with problems: the handshake fails/);
});

test('multi-file: the effective value comes from nginx.conf when the location is in an included site file', (t) => {
  const fs = new MemoryFileSystem({
    '/ws/nginx.conf': 'events {}\nhttp {\n    proxy_read_timeout 7200s;\n    include sites-enabled/*.conf;\n}\n',
    '/ws/sites-enabled/app.conf': 'server {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:1;\n    }\n}\n',
  });
  const ls = getLanguageService({ fs, folders: ['/ws'], settings: resolveSettings({ version: '1.22' }) });
  const uri = 'file:///ws/sites-enabled/app.conf';
  ls.openDocument(uri, fs.readFile('/ws/sites-enabled/app.conf')!);
  if ((ls.workspace.viewsFor(uri)[0]?.files().length ?? 0) < 2) return t.skip('workspace does not resolve includes yet');
  const md = ls.effectiveConfiguration(uri, { line: 2, character: 10 })!;
  assert.match(md, /\| proxy_read_timeout \| `7200s` \| http \(nginx\.conf:3\) \|/);
});

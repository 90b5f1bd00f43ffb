/**
 * "Fix all issues" (source.fixAll.nginx): the family-agnostic fix-all driven by the registry's
 * `fixAll` flags, next to its WebSocket variant (source.fixAll.nginx-websocket), which keeps its
 * kind, titles and results.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/service/analysis/edits';
import { fixAllRules, ruleRegistry } from '../../server/src/service/analysis/registry';
import { FIX_ALL_KIND, FIX_ALL_WEBSOCKET_KIND, getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { offsetAt } from '../../server/src/service/syntax/positions';

const URI = 'file:///ws/nginx.conf';
const CONF = `http {
    server {
        listen 443;
        ssl on;
        location /ws/ {
            proxy_pass http://backend;
            proxy_set_header Upgrade $http_upgrade;
        }
    }
}
`;
const ORIGIN = { line: 0, character: 0 };

function service() {
  const ls = getLanguageService({ settings: resolveSettings({ version: '1.26' }) });
  const source = ls.openDocument(URI, CONF);
  return { ls, source };
}

function applied(only: string[], title: string): string {
  const { ls, source } = service();
  const actions = ls.codeActions(URI, { start: ORIGIN, end: ORIGIN }, [], only);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no "${title}"; got ${actions.map((a) => `${a.title} (${a.kind})`).join(', ')}`);
  const edits = action.edit!.changes![URI].map((e) => ({ start: offsetAt(source.file, e.range.start), end: offsetAt(source.file, e.range.end), newText: e.newText }));
  return applyEdits(CONF, edits);
}

test('fix-all membership comes from the registry: every WebSocket rule, and the version replacements', () => {
  const codes = fixAllRules().map((r) => r.code);
  for (const info of ruleRegistry) {
    if (info.family === 'websocket') assert.ok(codes.includes(info.code), `${info.code} is not in fix-all`);
  }
  assert.ok(codes.includes('directive-removed'));
  assert.ok(!codes.includes('directive-unknown'), 'a did-you-mean guess is not applied unattended');
  assert.deepEqual(fixAllRules('websocket').map((r) => r.family).filter((f) => f !== 'websocket'), []);
});

test('source.fixAll.nginx fixes every family it covers; the WebSocket variant only WebSocket', () => {
  const all = applied([FIX_ALL_KIND], 'Fix all issues in this file');
  assert.doesNotMatch(all, /ssl on;/, 'the removed "ssl on;" is replaced');
  assert.match(all, /listen 443 ssl;/);
  assert.match(all, /proxy_http_version 1\.1;/);
  assert.match(all, /map \$http_upgrade \$connection_upgrade/);
  const ws = applied([FIX_ALL_WEBSOCKET_KIND], 'Fix all WebSocket issues in this file');
  assert.match(ws, /ssl on;/, 'the WebSocket variant leaves other families alone');
  assert.match(ws, /proxy_http_version 1\.1;/);
  // the WebSocket part of both is the same
  assert.equal(all.replace('        ssl on;\n', '').replace('listen 443 ssl;', 'listen 443;'), ws.replace('        ssl on;\n', ''));
});

test('a client asking for source.fixAll (fix on save) gets the generic action only, never both', () => {
  const { ls } = service();
  for (const only of [['source.fixAll'], ['source'], [FIX_ALL_KIND]]) {
    const kinds = ls.codeActions(URI, { start: ORIGIN, end: ORIGIN }, [], only).map((a) => a.kind);
    assert.ok(kinds.length > 0, `nothing for ${only}`);
    assert.deepEqual([...new Set(kinds)], [FIX_ALL_KIND], `only ${only}`);
  }
  const kinds = ls.codeActions(URI, { start: ORIGIN, end: ORIGIN }, [], [FIX_ALL_WEBSOCKET_KIND]).map((a) => a.kind);
  assert.deepEqual([...new Set(kinds)], [FIX_ALL_WEBSOCKET_KIND]);
});

test('light bulb (lazy): the generic action is offered beside the WebSocket one when it fixes more, and resolves', () => {
  const { ls } = service();
  const lazy = ls.codeActions(URI, { start: ORIGIN, end: ORIGIN }, [], undefined, true).filter((a) => a.kind?.startsWith('source.'));
  assert.deepEqual(lazy.map((a) => a.title).sort(), ['Fix all WebSocket issues in this file', 'Fix all issues in this file']);
  for (const a of lazy) assert.equal(a.edit, undefined);
  const generic = ls.resolveCodeAction(lazy.find((a) => a.kind === FIX_ALL_KIND)!);
  assert.match(applyEdits(CONF, generic.edit!.changes![URI].map((e) => ({ start: offsetAt(ls.openDocument(URI, CONF).file, e.range.start), end: offsetAt(ls.openDocument(URI, CONF).file, e.range.end), newText: e.newText }))), /listen 443 ssl;/);
  // only WebSocket findings: the generic one would do the same, so only the WebSocket one is offered
  const ls2 = getLanguageService({ settings: resolveSettings({ version: '1.26' }) });
  ls2.openDocument(URI, CONF.replace('        ssl on;\n', ''));
  const kinds = ls2.codeActions(URI, { start: ORIGIN, end: ORIGIN }, [], undefined, true).filter((a) => a.kind?.startsWith('source.')).map((a) => a.kind);
  assert.deepEqual([...new Set(kinds)], [FIX_ALL_WEBSOCKET_KIND]);
});

/**
 * One diagnostic per broken WebSocket location (analysis/group.ts): the most severe member's code and
 * severity on the location's opening, a message that lists every problem, related information at
 * each problem's place, one fix-all quick-fix for the location (preferred, also offered lazily)
 * followed by the members' own fixes; per-rule severities and disable comments decide the members;
 * a file can never fill its markers with WebSocket diagnostics; the CLI's list stays per finding.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { GROUP_BUDGET } from '../../server/src/service/analysis/group';
import { getLanguageService, MAX_DIAGNOSTICS } from '../../server/src/service/languageService';
import { resolveSettings, type Settings } from '../../server/src/service/settings';
import { offsetAt } from '../../server/src/service/syntax/positions';

const URI = 'file:///g/nginx.conf';
const S122 = resolveSettings({ version: '1.22' });

/** A TLS server's /ws/ location with four problems: no Connection, HTTP/1.0, a 10 s read timeout, no X-Forwarded-Proto. */
const BROKEN = `http {
    server {
        listen 443 ssl;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.0;
            proxy_set_header Upgrade $http_upgrade;
            proxy_read_timeout 10s;
        }
    }
}
`;
const LOCATION_LINE = 3;

function service(text: string, settings: Settings = S122) {
  const ls = getLanguageService({ settings });
  ls.openDocument(URI, text);
  return ls;
}

const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const ws = (list: Diagnostic[]) => list.filter((d) => String(d.code).startsWith('ws-'));

function apply(ls: ReturnType<typeof service>, text: string, action: CodeAction): string {
  const file = ls.parsed(URI)!;
  const edits = (action.edit?.changes?.[URI] ?? []).map((e) => ({ start: offsetAt(file, e.range.start), end: offsetAt(file, e.range.end), newText: e.newText }));
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('WebSocket findings of one location: one diagnostic', () => {
  test('four problems → one diagnostic on the location, the most severe code, each problem listed and at its place', () => {
    const ls = service(BROKEN);
    const raw = ls.findingsFor(URI).filter((f) => f.code.startsWith('ws-'));
    assert.deepEqual(raw.map((f) => f.code).sort(), ['ws-connection-header', 'ws-forwarded-proto', 'ws-http-version', 'ws-read-timeout']);
    const shown = ws(ls.validate(URI));
    assert.equal(shown.length, 1, shown.map((d) => msg(d)).join('\n'));
    const d = shown[0];
    // two errors: the rules' order decides (the Connection header before the HTTP version)
    assert.equal(d.code, 'ws-connection-header');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range.start, { line: LOCATION_LINE, character: 8 });
    assert.deepEqual(d.range.end, { line: LOCATION_LINE, character: 21 }); // `location /ws/`
    const lines = msg(d).split('\n');
    assert.equal(lines[0], 'This location has 4 WebSocket problems:');
    assert.deepEqual(lines.slice(1).map((l) => /^- (\S+) \((\w+)\): /.exec(l)?.slice(1, 3).join(' ')), [
      'ws-connection-header error', 'ws-http-version error', 'ws-read-timeout warning', 'ws-forwarded-proto hint',
    ]);
    // each problem at its own place, with its whole message
    const rel = d.relatedInformation!;
    const at = (code: string) => rel.find((r) => r.message.startsWith(`${code} (`))!;
    assert.equal(at('ws-http-version').location.range.start.line, 5); // proxy_http_version 1.0
    assert.equal(at('ws-read-timeout').location.range.start.line, 7); // proxy_read_timeout 10s
    assert.equal(at('ws-connection-header').location.range.start.line, LOCATION_LINE);
    for (const f of raw) assert.ok(rel.some((r) => r.message === `${f.code} (${f.severity}): ${f.message}`), `${f.code}'s whole message is not in the related information`);
    // and the members' own related places (where Upgrade is set)
    assert.ok(rel.some((r) => r.message === 'ws-connection-header: Upgrade is forwarded here' && r.location.range.start.line === 6));
  });

  test('quick-fixes: one fix-all for the location first (preferred), then each problem\'s own fix', () => {
    const ls = service(BROKEN);
    const d = ws(ls.validate(URI))[0];
    const actions = ls.codeActions(URI, d.range, [d], ['quickfix']);
    assert.equal(actions[0].title, 'Fix all WebSocket problems in this location');
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(actions[0].diagnostics, [d]);
    assert.deepEqual(actions.slice(1).map((a) => a.title), [
      'Insert proxy_set_header Connection $connection_upgrade (and the map)', 'Set proxy_http_version 1.1', 'Set proxy_read_timeout 3600s', 'Insert proxy_set_header X-Forwarded-Proto $scheme',
    ]);
    assert.ok(actions.slice(1).every((a) => !a.isPreferred), 'only the fix-all is preferred');
    const fixed = apply(ls, BROKEN, actions[0]);
    for (const needle of ['proxy_http_version 1.1;', 'proxy_set_header Connection $connection_upgrade;', 'proxy_read_timeout 3600s;', 'map $http_upgrade $connection_upgrade {']) {
      assert.ok(fixed.includes(needle), `fix-all result lacks ${needle}:\n${fixed}`);
    }
    assert.deepEqual(ws(service(fixed).validate(URI)).filter((x) => x.severity! < 4).map((x) => msg(x)), [], 'nothing above hint after the fix-all');
  });

  test('the fix-all quick-fix is offered without its edit to a client that resolves, and resolves to the same edit', () => {
    const ls = service(BROKEN);
    const d = ws(ls.validate(URI))[0];
    const eager = ls.codeActions(URI, d.range, [d], ['quickfix'])[0];
    const lazy = ls.codeActions(URI, d.range, [d], ['quickfix'], true)[0];
    assert.equal(lazy.title, eager.title);
    assert.equal(lazy.edit, undefined);
    assert.equal(lazy.kind, 'quickfix');
    const resolved = ls.resolveCodeAction(lazy);
    assert.equal(resolved.kind, 'quickfix');
    assert.equal(resolved.title, eager.title);
    assert.deepEqual(resolved.edit, eager.edit);
  });

  test('the light bulb stays cheap: no fix-all computed for a client that cannot resolve it; no second "in this location" entry for one that can', () => {
    const ls = service(BROKEN);
    const d = ws(ls.validate(URI))[0];
    // no `only` and no resolve support: the members' fixes, nothing that re-validates
    const plain = ls.codeActions(URI, d.range, [d]);
    assert.ok(!plain.some((a) => /^Fix all/.test(a.title)), plain.map((a) => a.title).join(' | '));
    assert.ok(plain.some((a) => a.title === 'Set proxy_http_version 1.1'));
    // a resolving client: the group's fix-all, then the file's source action; the location's source
    // action would be the same fix again
    const lazy = ls.codeActions(URI, d.range, [d], undefined, true).filter((a) => /^Fix all/.test(a.title));
    assert.deepEqual(lazy.map((a) => `${a.title} (${a.kind})`), ['Fix all WebSocket problems in this location (quickfix)', 'Fix all WebSocket issues in this file (source.fixAll.nginx-websocket)']);
    // asked for the source actions by kind, both are there (codeActionsOnSave, the command palette)
    const source = ls.codeActions(URI, d.range, [d], ['source.fixAll.nginx-websocket']);
    assert.deepEqual(source.map((a) => a.title).sort(), ['Fix all WebSocket issues in this file', 'Fix all WebSocket issues in this location']);
  });

  test('a single problem stays that problem, on its own place', () => {
    const text = BROKEN.replace('proxy_http_version 1.0;', 'proxy_http_version 1.1;').replace('proxy_read_timeout 10s;', 'proxy_read_timeout 3600s;')
      .replace('proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_set_header X-Forwarded-Proto $scheme;')
      .replace('http {', "http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }").replace('proxy_read_timeout 3600s;', 'proxy_read_timeout 5s;');
    const ls = service(text);
    const raw = ls.findingsFor(URI).filter((f) => f.code.startsWith('ws-'));
    assert.deepEqual(raw.map((f) => f.code), ['ws-read-timeout']);
    const shown = ws(ls.validate(URI));
    assert.equal(shown.length, 1);
    assert.equal(msg(shown[0]), raw[0].message);
    assert.match(ls.parsed(URI)!.text.split('\n')[shown[0].range.start.line], /proxy_read_timeout 5s/);
    assert.deepEqual(ls.codeActions(URI, shown[0].range, [shown[0]], ['quickfix']).map((a) => a.title), ['Set proxy_read_timeout 3600s']);
  });

  test('each location (and an if block that proxies with its own headers) is a group of its own', () => {
    const two = BROKEN.replace('    }\n}\n', `        location /cable {
            proxy_pass http://127.0.0.1:8081;
            proxy_set_header Upgrade $http_upgrade;
            if ($arg_debug) {
                proxy_set_header X-Debug 1;
            }
        }
    }
}
`);
    const ls = service(two);
    const shown = ws(ls.validate(URI));
    const lines = shown.map((d) => two.split('\n')[d.range.start.line].trim());
    assert.deepEqual(lines, ['location /ws/ {', 'location /cable {', 'if ($arg_debug) {'], shown.map((d) => msg(d)).join('\n---\n'));
    assert.match(msg(shown[1]), /^This location has \d WebSocket problems:/);
    assert.match(msg(shown[2]), /^This if block has \d WebSocket problems:/);
  });
});

describe('templates', () => {
  test('a template\'s location is grouped at the template\'s offsets (findings mapped back from the render)', () => {
    const text = 'server {\n    listen ${PORT};\n    location /ws/ {\n        proxy_pass http://${BACKEND_HOST}:8080;\n        proxy_http_version 1.0;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n';
    const ls = getLanguageService({ settings: S122 });
    const uri = 'file:///g/templates/default.conf.template';
    ls.openDocument(uri, text);
    const d = ws(ls.validate(uri));
    assert.equal(d.length, 1, d.map(msg).join('\n'));
    assert.deepEqual(d[0].range, { start: { line: 2, character: 4 }, end: { line: 2, character: 17 } });
    assert.match(msg(d[0]), /^This location has 3 WebSocket problems:/);
    assert.ok(d[0].relatedInformation!.some((r) => r.message.startsWith('ws-http-version (error)') && r.location.range.start.line === 4));
  });
});

describe('user settings and disable comments decide the members', () => {
  test('nginx.rules: an "off" code drops out of the group; the group takes the most severe remaining code', () => {
    const off = resolveSettings({ version: '1.22', rules: { 'ws-connection-header': 'off' } });
    const d = ws(service(BROKEN, off).validate(URI));
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'ws-http-version');
    assert.match(msg(d[0]), /^This location has 3 WebSocket problems:/);
    assert.doesNotMatch(msg(d[0]), /ws-connection-header/);
    // lowered severities: the read timeout (warning) becomes the worst
    const low = resolveSettings({ version: '1.22', rules: { 'ws-connection-header': 'hint', 'ws-http-version': 'information' } });
    const g = ws(service(BROKEN, low).validate(URI))[0];
    assert.equal(g.code, 'ws-read-timeout');
    assert.equal(g.severity, 2);
    assert.match(msg(g), /- ws-http-version \(information\)/);
    // raised: a member's user severity is the group's when it is the most severe
    const high = resolveSettings({ version: '1.22', rules: { 'ws-forwarded-proto': 'error', 'ws-connection-header': 'warning', 'ws-http-version': 'warning' } });
    assert.equal(ws(service(BROKEN, high).validate(URI))[0].code, 'ws-forwarded-proto');
    // every member off: nothing
    const none = resolveSettings({ version: '1.22', rules: Object.fromEntries(['ws-connection-header', 'ws-http-version', 'ws-read-timeout', 'ws-forwarded-proto'].map((c) => [c, 'off'])) });
    assert.deepEqual(ws(service(BROKEN, none).validate(URI)), []);
  });

  test('a disable comment over a member\'s own line drops it from the group', () => {
    const text = BROKEN.replace('            proxy_http_version 1.0;', '            # nginx-disable-next-line ws-http-version\n            proxy_http_version 1.0;');
    const d = ws(service(text).validate(URI));
    assert.equal(d.length, 1);
    assert.match(msg(d[0]), /^This location has 3 WebSocket problems:/);
    assert.doesNotMatch(msg(d[0]), /ws-http-version/);
  });

  test('a disable comment over the location (where the group is shown) drops that code anywhere in the location, in the CLI list too', () => {
    const text = BROKEN.replace('        location /ws/ {', '        # nginx-disable-next-line ws-read-timeout ws-http-version\n        location /ws/ {');
    const ls = service(text);
    assert.deepEqual(ls.findingsFor(URI).map((f) => f.code).filter((c) => c.startsWith('ws-')).sort(), ['ws-connection-header', 'ws-forwarded-proto']);
    const d = ws(ls.validate(URI));
    assert.equal(d.length, 1);
    assert.match(msg(d[0]), /^This location has 2 WebSocket problems:/);
    // the location's fix-all leaves what was disabled alone
    const fixAll = ls.codeActions(URI, d[0].range, [d[0]], ['quickfix'])[0];
    assert.equal(fixAll.title, 'Fix all WebSocket problems in this location');
    const fixed = apply(ls, text, fixAll);
    assert.match(fixed, /proxy_http_version 1\.0;/);
    assert.match(fixed, /proxy_read_timeout 10s;/);
    assert.match(fixed, /proxy_set_header Connection \$connection_upgrade;/);
  });

  test('"# nginx-disable-next-line" (every code) over the location silences the whole group', () => {
    const text = BROKEN.replace('        location /ws/ {', '        # nginx-disable-next-line\n        location /ws/ {');
    assert.deepEqual(ws(service(text).validate(URI)).map((d) => d.code), []);
  });
});

describe('a file cannot fill its markers with WebSocket diagnostics', () => {
  test(`past ${GROUP_BUDGET} WebSocket diagnostics, the rest are one diagnostic listing them`, () => {
    const n = GROUP_BUDGET + 150;
    const sites = Array.from({ length: n }, (_, i) => `    server {\n        listen ${10000 + i};\n        location /ws/ {\n            proxy_pass http://127.0.0.1:${20000 + i};\n            proxy_set_header Upgrade $http_upgrade;\n        }\n    }`);
    const text = `http {\n${sites.join('\n')}\n}\n`;
    const ls = service(text);
    // one by one (the CLI's list), these findings hit the per-file cap and the rest are lost
    const raw = ls.findingsFor(URI);
    assert.equal(raw.length, MAX_DIAGNOSTICS + 1);
    assert.equal(raw.at(-1)!.code, 'input-limit');
    const shown = ws(ls.validate(URI));
    assert.equal(shown.length, GROUP_BUDGET + 1);
    assert.ok(shown.length < MAX_DIAGNOSTICS);
    const fold = shown[shown.length - 1];
    assert.ok(msg(fold).startsWith(`150 more WebSocket diagnostics in this file (at most ${GROUP_BUDGET} are shown one by one)`), msg(fold));
    assert.equal(fold.relatedInformation!.length, 150);
    assert.equal(fold.severity, 1);
    // the first location not shown one by one is where the fold sits; the related list names each of them
    const firstHidden = shown[GROUP_BUDGET - 1].range.start.line + 7;
    assert.equal(fold.range.start.line, firstHidden);
    assert.deepEqual(fold.relatedInformation!.map((r) => r.location.range.start.line), Array.from({ length: 150 }, (_, i) => firstHidden + 7 * i));
    // its fix is the file's fix-all (offered lazily: it re-validates per fix)
    const acts = ls.codeActions(URI, fold.range, [fold], ['quickfix'], true);
    assert.deepEqual(acts.map((a) => `${a.title} ${a.kind} ${a.isPreferred}`), ['Fix all WebSocket problems in this file quickfix true']);
  });
});

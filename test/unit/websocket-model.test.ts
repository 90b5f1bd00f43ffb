/**
 * The WebSocket behaviour model (analysis/upgradeModel.ts) and the rules on top of it: the false
 * negatives and positives of issue 13, version defaults (1.22 vs 1.30), and self-consistency: the
 * fixes and fix-all turn broken configurations into ones on which the product reports nothing above
 * hint, with and without upstream keepalive, and real nginx -t accepts the result.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nginxSkipReason, nginxT, nginxVersion } from '../oracle/nginxVersions';
import { wsFacts } from '../../server/src/service/analysis/proxy';
import { FIX_ALL_WEBSOCKET_KIND, getLanguageService } from '../../server/src/service/languageService';
import { offsetAt } from '../../server/src/service/syntax/positions';
import { resolveSettings } from '../../server/src/service/settings';
import { applyEdits } from '../../server/src/service/features/formatting';

const URI = 'file:///model/nginx.conf';

function analyse(text: string, version = '1.22') {
  const settings = resolveSettings({ version });
  const ls = getLanguageService({ settings });
  ls.openDocument(URI, text);
  return { ls, list: ls.findingsFor(URI), settings };
}

function facts(text: string, version = '1.22') {
  const settings = resolveSettings({ version });
  const ls = getLanguageService({ settings });
  ls.openDocument(URI, text);
  const view = ls.workspace.viewsFor(URI)[0];
  return wsFacts({ view, settings });
}

const conf = (http: string, server: string, location: string, path = '/ws/', upstream = '127.0.0.1:3000') => `events {}
http {
${http}
    server {
        listen 127.0.0.1:8080;
${server}
        location ${path} {
            proxy_pass http://${upstream};
${location}
        }
    }
}
`;

const MAP = `    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }`;
const WS_HEADERS = `            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;`;

describe('behaviour model', () => {
  test('a correct WebSocket location: handshake ok, plain requests sent "Connection: close" (1.22) ', () => {
    const [f] = facts(conf(MAP, '', WS_HEADERS));
    assert.equal(f.handshake, 'ok');
    assert.deepEqual(f.upgradeRequest, { upgrade: 'websocket', connection: 'upgrade' });
    assert.deepEqual(f.plainRequest, { upgrade: null, connection: 'close' });
  });

  test('no Connection line: nginx sends "close" before 1.29.7 and nothing from it; HTTP/1.1 default from 1.29.7', () => {
    const text = conf('', '', '            proxy_set_header Upgrade $http_upgrade;');
    assert.equal(facts(text, '1.22')[0].upgradeRequest.connection, 'close');
    assert.equal(facts(text, '1.22')[0].httpVersion.value, '1.0');
    assert.equal(facts(text, '1.30')[0].upgradeRequest.connection, null);
    assert.equal(facts(text, '1.30')[0].httpVersion.value, '1.1');
  });

  test('maps are matched case-insensitively, regex keys in order, default, and an empty default', () => {
    const map = (body: string) => conf(`    map $http_upgrade $c {\n${body}\n    }`, '', '            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $c;');
    assert.equal(facts(map('        WebSocket upgrade;\n        default close;'))[0].handshake, 'ok');
    assert.equal(facts(map('        ~*^web upgrade;'))[0].handshake, 'ok');
    assert.equal(facts(map('        ~^Web upgrade;'))[0].handshake, 'broken', 'case-sensitive regex does not match "websocket"');
    assert.equal(facts(map('        websocket upgrade;'))[0].plainRequest.connection, null, 'no default: empty value, no header');
    assert.equal(facts(map('        default upgrade;'))[0].plainRequest.connection, 'upgrade');
  });

  test('the upstream keeps connections alive: keepalive N, or by default for explicit upstreams from 1.29.7', () => {
    const up = (line: string) => conf(`${MAP}\n    upstream app {\n        server 127.0.0.1:3000;\n${line}\n    }`, '', WS_HEADERS, '/ws/', 'app');
    assert.equal(facts(up(''), '1.22')[0].upstreamKeepalive, false);
    assert.equal(facts(up(''), '1.30')[0].upstreamKeepalive, true);
    assert.equal(facts(up('        keepalive 8;'), '1.22')[0].upstreamKeepalive, true);
    assert.equal(facts(up('        keepalive 0;'), '1.30')[0].upstreamKeepalive, false);
  });
});

describe('issue 13: false negatives and positives', () => {
  test('headers at http, Host at server, none in the location: ws-headers-dropped (the server level hides them)', () => {
    const text = conf(`${MAP}\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;`, '        proxy_set_header Host $host;', '            proxy_http_version 1.1;\n            proxy_read_timeout 3600s;');
    const { list } = analyse(text);
    const d = list.filter((f) => f.code === 'ws-headers-dropped');
    assert.equal(d.length, 1, list.map((f) => f.code).join());
    assert.equal(d[0].severity, 'error');
    assert.match(d[0].message, /enclosing server/);
    assert.equal(facts(text)[0].handshake, 'broken');
  });

  test('Connection $http_connection without Upgrade is WebSocket intent: ws-upgrade-header error', () => {
    const { list } = analyse(conf('', '', '            proxy_http_version 1.1;\n            proxy_set_header Connection $http_connection;', '/app/'));
    const u = list.filter((f) => f.code === 'ws-upgrade-header');
    assert.equal(u.length, 1);
    assert.equal(u[0].severity, 'error');
  });

  test('map { websocket upgrade; default close; } is fine (no ws-map-invalid); a map without \'\' sends Connection: upgrade on plain requests', () => {
    const ok = conf('    map $http_upgrade $connection_upgrade {\n        websocket upgrade;\n        default close;\n    }', '', WS_HEADERS);
    assert.deepEqual(analyse(ok).list.filter((f) => f.code.startsWith('ws-')).map((f) => f.code), []);
    const bad = conf('    map $http_upgrade $connection_upgrade {\n        default upgrade;\n    }', '', WS_HEADERS);
    const m = analyse(bad).list.filter((f) => f.code === 'ws-map-invalid');
    assert.equal(m.length, 1);
    assert.match(m[0].message, /^Plain requests through this proxy are sent "Connection: upgrade"/);
  });

  test('a bare proxy_pass on /ws/ is a warning that says how to silence it; on /app/ nothing', () => {
    const u = analyse(conf('', '', '')).list.filter((f) => f.code === 'ws-upgrade-header');
    assert.equal(u.length, 1);
    assert.equal(u[0].severity, 'warning');
    assert.match(u[0].message, /nginx-disable-next-line ws-upgrade-header/);
    assert.deepEqual(analyse(conf('', '', '', '/app/')).list.map((f) => f.code), []);
  });

  test('hard-coded Connection upgrade: information on a WebSocket-only path, warning on a general one', () => {
    const loc = '            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";\n            proxy_read_timeout 3600s;';
    assert.deepEqual(analyse(conf('', '', loc)).list.map((f) => `${f.code}:${f.severity}`), ['ws-connection-hardcoded:information']);
    assert.deepEqual(analyse(conf('', '', loc, '/')).list.map((f) => `${f.code}:${f.severity}`), ['ws-connection-hardcoded:warning']);
  });

  test('Socket.IO pings every 25s: the 60s default read timeout is fine there; nothing about proxy_send_timeout by default', () => {
    const loc = '            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;';
    assert.deepEqual(analyse(conf(MAP, '', loc, '/socket.io/')).list.filter((f) => f.severity !== 'hint').map((f) => f.code), []);
    assert.deepEqual(analyse(conf(MAP, '', loc, '/ws/')).list.map((f) => f.code), ['ws-read-timeout']);
  });

  test('1.30: an explicit upstream keeps connections alive by default, so \'\' close is reported once (at the map)', () => {
    const text = conf(`${MAP}\n    upstream app {\n        server 127.0.0.1:3000;\n    }`, '', WS_HEADERS, '/ws/', 'app');
    assert.deepEqual(analyse(text, '1.22').list.map((f) => f.code), []);
    const k = analyse(text, '1.30').list.filter((f) => f.code === 'ws-keepalive-close');
    assert.equal(k.length, 1);
    assert.ok(text.slice(k[0].start, k[0].end).startsWith("''"), 'reported on the map entry');
  });

  test('gen-big-conf 1000 (correct locations): at most 10 findings in the whole file', (t) => {
    const gen = join(__dirname, '..', '..', '..', 'shared', 'tools', 'gen-big-conf.mjs');
    if (!existsSync(gen)) return t.skip(`${gen} not found`);
    const text = spawnSync(process.execPath, [gen, '1000'], { encoding: 'utf8' }).stdout;
    for (const v of ['1.22', '1.30']) {
      const n = analyse(text, v).list.length;
      assert.ok(n <= 10, `${v}: ${n} findings`);
    }
  });
});

describe('header-duplicate', () => {
  test('bad.conf flagged on the marked lines, good.conf clean, the fix removes the later line', () => {
    const dir = join(__dirname, '..', 'fixtures', 'rules', 'header-duplicate');
    const bad = readFileSync(join(dir, 'bad.conf'), 'utf8');
    const found = analyse(bad).list.filter((f) => f.code === 'header-duplicate');
    const lines = found.map((f) => bad.slice(0, f.start).split('\n').length - 1);
    const marked = bad.split('\n').flatMap((l, i) => (/# flagged/.test(l) ? [i] : []));
    assert.deepEqual(lines, marked);
    const good = readFileSync(join(dir, 'good.conf'), 'utf8');
    assert.deepEqual(analyse(good).list.filter((f) => f.code === 'header-duplicate').map((f) => f.message), []);
    const e = found[0].fixes!()[0].edits[0];
    const fixed = bad.slice(0, e.start) + e.newText + bad.slice(e.end);
    assert.equal(analyse(fixed).list.filter((f) => f.code === 'header-duplicate').length, 1);
    assert.ok(!fixed.includes('proxy_set_header host $host;'));
  });
});

// ------------------------------------------------------------------ self-consistency of the fixes

/**
 * Real `nginx -t` of that version on the text (the project's own oracle helper, so it runs without
 * ../shared): the reason when that nginx cannot run here, else its verdict.
 */
async function nginxVerdict(version: string, text: string): Promise<{ valid: boolean; message: string } | string> {
  const v = nginxVersion(version);
  const skip = nginxSkipReason(v);
  if (skip) return skip;
  return nginxT(v, text);
}

function fixAll(text: string, version: string): string {
  const { ls } = analyse(text, version);
  const source = ls.workspace.getSource(URI)!;
  const actions = ls.codeActions(URI, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_WEBSOCKET_KIND]);
  const action = actions.find((a) => a.title === 'Fix all WebSocket issues in this file');
  if (!action) return text;
  const edits = action.edit!.changes![URI].map((e) => ({ start: offsetAt(source.file, e.range.start), end: offsetAt(source.file, e.range.end), newText: e.newText }));
  return applyEdits(text, edits);
}

const BROKEN: Record<string, (upstream: string) => string> = {
  'bare /ws/': (u) => conf('', '', '', '/ws/', u),
  'hard-coded Connection on /': (u) => conf('', '', '            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";', '/', u),
  'headers hidden by the server level': (u) => conf('    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;', '        proxy_set_header Host $host;', '', '/live/', u),
  'Connection $http_connection only': (u) => conf('', '', '            proxy_set_header Connection $http_connection;', '/app/', u),
  'map without \'\'': (u) => conf('    map $http_upgrade $connection_upgrade {\n        default upgrade;\n    }', '', WS_HEADERS, '/ws/', u),
};

for (const version of ['1.22', '1.30']) {
  for (const keepalive of [false, true]) {
    const upstream = `    upstream app {\n        server 127.0.0.1:3000;\n${keepalive ? '        keepalive 16;\n' : ''}    }`;
    for (const [name, make] of Object.entries(BROKEN)) {
      test(`fix-all (${version}, ${keepalive ? 'keepalive' : 'no keepalive line'}): ${name} → nothing above hint, nginx -t passes`, async (t) => {
        const before = make('app').replace('http {\n', `http {\n${upstream}\n`);
        assert.ok(analyse(before, version).list.some((f) => f.severity === 'error' || f.severity === 'warning'), 'the broken variant is reported');
        const after = fixAll(before, version);
        const left = analyse(after, version).list.filter((f) => f.severity !== 'hint');
        assert.deepEqual(left.map((f) => `${f.code}: ${f.message}`), [], after);
        const r = await nginxVerdict(version, after);
        if (typeof r === 'string') t.diagnostic(`nginx -t not run: ${r}`);
        else assert.equal(r.valid, true, `${r.message}\n${after}`);
      });
    }
  }
}

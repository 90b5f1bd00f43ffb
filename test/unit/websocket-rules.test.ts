/**
 * Every ws-* rule against its bad/good fixture pair (test/fixtures/rules/<code>/). A bad fixture
 * marks each line that must be reported with a `# flagged` comment: the rule must report on every
 * marked line and nowhere else; the good fixture must get no finding of that rule.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { websocketRules } from '../../server/src/service/analysis/rules/websocket/index';
import { getLanguageService } from '../../server/src/service/languageService';
import { positionAt } from '../../server/src/service/syntax/positions';
import { resolveSettings } from '../../server/src/service/settings';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
// nginx 1.22 (the one installed here): proxy_http_version defaults to 1.0
const settings = resolveSettings({ version: '1.22' });

function findings(text: string, s = settings) {
  const ls = getLanguageService({ settings: s });
  const uri = 'file:///fixture/nginx.conf';
  ls.openDocument(uri, text);
  return { ls, uri, list: ls.findingsFor(uri) };
}

function flaggedLines(text: string): number[] {
  return text.split('\n').flatMap((l, i) => (/#\s*flagged\b/.test(l) ? [i] : []));
}

test('there is one fixture pair per ws-* rule and thirteen rules', () => {
  const dirs = readdirSync(FIXTURES).filter((d) => d.startsWith('ws-')).sort();
  assert.deepEqual(dirs, websocketRules.map((r) => r.code).sort());
  assert.equal(websocketRules.length, 13);
});

for (const rule of websocketRules) {
  describe(rule.code, () => {
    test('bad.conf: reported on every line marked "# flagged" and nowhere else', () => {
      const text = readFileSync(join(FIXTURES, rule.code, 'bad.conf'), 'utf8');
      const { list } = findings(text);
      const expected = flaggedLines(text);
      assert.ok(expected.length > 0, 'bad.conf marks no line');
      const mine = list.filter((f) => f.code === rule.code);
      const file = { text, lineStarts: Int32Array.from([0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)]) };
      const got = [...new Set(mine.map((f) => positionAt(file, f.start).line))].sort((a, b) => a - b);
      assert.deepEqual(got, expected, mine.map((f) => `${positionAt(file, f.start).line}: ${f.message}`).join('\n'));
      for (const f of mine) {
        assert.ok(f.message.length > 20, 'message too short');
        const fixes = f.fixes?.() ?? [];
        assert.ok(fixes.length > 0, `${rule.code} at line ${positionAt(file, f.start).line} offers no fix`);
      }
    });
    test('good.conf: not reported', () => {
      const text = readFileSync(join(FIXTURES, rule.code, 'good.conf'), 'utf8');
      const { list } = findings(text);
      assert.deepEqual(list.filter((f) => f.code === rule.code).map((f) => f.message), []);
    });
  });
}

test('severities follow RULES.md (ws-upgrade-header is a warning for a WebSocket-looking path)', () => {
  const expected: Record<string, string> = {
    'ws-http-version': 'error', 'ws-upgrade-header': 'error', 'ws-connection-header': 'error', 'ws-connection-hardcoded': 'warning',
    'ws-map-missing': 'error', 'ws-map-invalid': 'warning', 'ws-read-timeout': 'warning', 'ws-send-timeout': 'warning',
    'ws-headers-dropped': 'error', 'ws-forwarded-proto': 'hint', 'ws-sticky-upstream': 'information', 'ws-keepalive-close': 'information', 'ws-buffering': 'hint',
  };
  for (const r of websocketRules) assert.equal(r.defaultSeverity, expected[r.code], r.code);
  const text = readFileSync(join(FIXTURES, 'ws-upgrade-header', 'bad.conf'), 'utf8');
  const sev = findings(text).list.filter((f) => f.code === 'ws-upgrade-header').map((f) => f.severity);
  assert.deepEqual(sev, ['error', 'warning']);
});

test('proxy_http_version default follows nginx.version: 1.0 before 1.29.7 and when unknown (""), 1.1 from 1.29.7', () => {
  const text = readFileSync(join(FIXTURES, 'ws-http-version', 'bad.conf'), 'utf8');
  const count = (version: string) => findings(text, resolveSettings({ version })).list.filter((f) => f.code === 'ws-http-version').length;
  assert.equal(count('1.22'), 2);
  assert.equal(count('1.29.6'), 2);
  assert.equal(count('1.29.7'), 1, 'only the explicit proxy_http_version 1.0 remains');
  assert.equal(count(''), 2, 'an unknown version must still work on nginx before 1.29.7');
});

test('heartbeatInterval: a read timeout above the heartbeat is fine, one at or below it is not', () => {
  const text = readFileSync(join(FIXTURES, 'ws-read-timeout', 'good.conf'), 'utf8');
  const read = (hb: string) => findings(text, resolveSettings({ version: '1.22', websocket: { heartbeatInterval: hb } })).list.filter((f) => f.code === 'ws-read-timeout').length;
  assert.equal(read(''), 0);
  assert.equal(read('30m'), 0, '3600s > 30m');
  assert.equal(read('1h'), 2, '3600s (set, and inherited as 1h) does not exceed a 1h heartbeat: both WebSocket locations');
  const bad = readFileSync(join(FIXTURES, 'ws-read-timeout', 'bad.conf'), 'utf8');
  const readBad = (hb: string) => findings(bad, resolveSettings({ version: '1.22', websocket: { heartbeatInterval: hb } })).list.filter((f) => f.code === 'ws-read-timeout').length;
  assert.ok(readBad('') > 0);
  assert.equal(readBad('10s'), 0, 'a 10s heartbeat keeps 30s and the 60s default from ever firing');
});

test('nginx.websocket.timeout below 60s is taken as the chosen minimum, so its fix leaves no finding', () => {
  const text = readFileSync(join(FIXTURES, 'ws-read-timeout', 'bad.conf'), 'utf8').replace('proxy_read_timeout 30s;', 'proxy_read_timeout 2s;');
  const s = resolveSettings({ version: '1.22', websocket: { timeout: '30s' } });
  const { list } = findings(text, s);
  const read = list.filter((f) => f.code === 'ws-read-timeout');
  assert.equal(read.length, 1, 'only the explicit 2s is below the chosen 30s; the 60s default is above it');
  const fix = read[0].fixes!()[0];
  assert.equal(fix.title, 'Set proxy_read_timeout 30s');
  const e = fix.edits[0];
  const after = text.slice(0, e.start) + e.newText + text.slice(e.end);
  assert.ok(after.includes('proxy_read_timeout 30s;'));
  assert.equal(findings(after, s).list.filter((f) => f.code === 'ws-read-timeout').length, 0);
});

test('inline disable comment silences a ws rule', () => {
  const text = readFileSync(join(FIXTURES, 'ws-forwarded-proto', 'bad.conf'), 'utf8').replace('        location /ws/ { # flagged', '        # nginx-disable-next-line ws-forwarded-proto\n        location /ws/ {');
  assert.equal(findings(text).list.filter((f) => f.code === 'ws-forwarded-proto').length, 0);
});

test('a lone location fragment (proxy_pass at top level) is analysed as a location', () => {
  const text = '# nginx: context=location\nproxy_pass http://127.0.0.1:3000;\nproxy_set_header Upgrade $http_upgrade;\n';
  const codes = findings(text).list.map((f) => f.code);
  assert.ok(codes.includes('ws-connection-header'), codes.join(','));
  assert.ok(codes.includes('ws-http-version'), codes.join(','));
});

test('if inside a location inherits the location headers; nested locations inherit from the outer one', () => {
  const text = `http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /a/ {
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_set_header X-Forwarded-Proto $scheme;
            location /a/ws/ {
                proxy_pass http://127.0.0.1:1;
            }
            if ($arg_x) {
                proxy_pass http://127.0.0.1:2;
            }
        }
    }
}
`;
  const ws = findings(text).list.filter((f) => f.code.startsWith('ws-'));
  assert.deepEqual(ws.map((f) => f.code), []);
});

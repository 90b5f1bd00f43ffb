/**
 * The WebSocket rules on the real-config corpus (../shared/corpus): files that already proxy
 * WebSockets right (Upgrade from $http_upgrade, Connection from a map on $http_upgrade defined in the
 * same file, proxy_http_version 1.1) get no ws-* error or warning. Counts are in docs/websocket.md
 * (scripts/ws-corpus-report.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyse, buildReport, CORPUS, corpusFiles, doesWebSocketRight } from '../../scripts/ws-corpus-report';

const NO_CORPUS = existsSync(CORPUS) ? null : `corpus not found at ${CORPUS}`;

test('the "does WebSocket right" criterion accepts a correct fixture and rejects broken ones', () => {
  const fx = join(__dirname, '..', 'fixtures', 'rules');
  assert.equal(doesWebSocketRight(readFileSync(join(fx, 'ws-http-version', 'good.conf'), 'utf8')), true);
  assert.equal(doesWebSocketRight(readFileSync(join(fx, 'ws-map-missing', 'bad.conf'), 'utf8')), false, 'no map');
  assert.equal(doesWebSocketRight(readFileSync(join(fx, 'ws-connection-hardcoded', 'bad.conf'), 'utf8')), false, 'literal upgrade');
  assert.equal(doesWebSocketRight(readFileSync(join(fx, 'ws-upgrade-header', 'bad.conf'), 'utf8').replace(/proxy_set_header Upgrade[^\n]*\n/g, '')), false);
});

test('corpus: no ws-* error or warning on the files that already do WebSocket proxying right', (t) => {
  if (NO_CORPUS) return t.skip(NO_CORPUS);
  const files = corpusFiles();
  assert.ok(files.length > 700, `only ${files.length} corpus files`);
  const right = files.filter((f) => doesWebSocketRight(readFileSync(f.path, 'utf8')));
  assert.ok(right.length >= 1, 'no corpus file identified as doing WebSocket proxying right');
  for (const f of right) {
    const { findings } = analyse(f);
    const bad = findings.filter((x) => x.severity === 'error' || x.severity === 'warning');
    assert.deepEqual(bad.map((x) => `${x.code}: ${x.message}`), [], f.rel);
  }
  t.diagnostic(`checked: ${right.map((f) => f.rel).join(', ')}`);
});

test('corpus: ws-* errors and warnings only on files that proxy with WebSocket headers, and no internal errors', (t) => {
  if (NO_CORPUS) return t.skip(NO_CORPUS);
  const r = buildReport();
  for (const [rel, list] of r.perFile) {
    const serious = list.filter((x) => x.severity === 'error' || x.severity === 'warning');
    if (serious.length) assert.ok(r.wsFiles.includes(rel), `${rel} gets ${list.map((x) => x.code).join(', ')} without forwarding Upgrade`);
    for (const x of list) assert.ok(!/internal error/.test(x.message), `${rel}: ${x.message}`);
  }
});

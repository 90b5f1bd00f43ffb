import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';

const TEXT = `http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    server {
        listen 80;
        proxy_read_timeout 300s;
        proxy_set_header X-Real-IP $remote_addr;
        location /ws/ {
            proxy_pass http://127.0.0.1:9000;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /ok/ {
            proxy_pass http://127.0.0.1:9001;
            proxy_http_version 1.1;
            proxy_read_timeout 3600s;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Real-IP $remote_addr;
        }
        location /plain/ {
            proxy_pass http://127.0.0.1:9002;
        }
    }
}
`;
const uri = 'file:///i/nginx.conf';
const all = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

function hints(settings: unknown = {}) {
  const ls = getLanguageService({ settings: resolveSettings(settings) });
  ls.openDocument(uri, TEXT);
  return ls.inlayHints(uri, all);
}

test('a WebSocket location shows its inherited timeout, the default HTTP version and the dropped headers', () => {
  const got = hints({ version: '1.22' });
  assert.equal(got.length, 1, JSON.stringify(got));
  assert.deepEqual(got[0].position, { line: 10, character: 45 });
  assert.equal(got[0].label, 'proxy_read_timeout 300s (from server) · proxy_http_version 1.0 (default) · drops X-Real-IP');
});

test('nothing where the text already says it all, nor at plain locations', () => {
  const got = hints({ version: '1.22' });
  assert.ok(!got.some((h) => h.position.line === 15 || h.position.line === 23));
});

test('nginx.inlayHints.enabled = false turns them off', () => {
  assert.deepEqual(hints({ inlayHints: { enabled: false } }), []);
});

test('only hints inside the asked range', () => {
  const ls = getLanguageService();
  ls.openDocument(uri, TEXT);
  assert.deepEqual(ls.inlayHints(uri, { start: { line: 14, character: 0 }, end: { line: 26, character: 0 } }), []);
});

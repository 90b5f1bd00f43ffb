/**
 * The version-specific verdicts checked with the real `nginx -t` of every installed version
 * (test/oracle/nginxVersions.ts): the HTTP/3 pair, `ssl on;`, `listen … http2`, and every
 * quick-fix of directive-removed / directive-deprecated, whose result must pass `nginx -t` of the
 * version it targets. Our verdict (any error) must match nginx's on each case.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { NGINX_VERSIONS, nginxSkipReason, nginxT } from './nginxVersions';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-lint-versions-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let certs: string | null = null;
/** a throwaway self-signed certificate (nginx -t loads it) */
function cert(): string {
  if (certs) return certs;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj', '/CN=localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore', timeout: 30_000 });
  certs = `ssl_certificate ${dir}/cert.pem;\n    ssl_certificate_key ${dir}/key.pem;`;
  return certs;
}

function findings(text: string, version: string) {
  const ls = getLanguageService({ settings: resolveSettings({ version }) });
  ls.openDocument('file:///t/nginx.conf', text);
  return ls.findingsFor('file:///t/nginx.conf');
}

const CASES: Record<string, (c: string) => string> = {
  'HTTP/3 pair': (c) => `events {}\nhttp {\n  server {\n    listen 8443 ssl;\n    listen 8443 quic reuseport;\n    ${c}\n  }\n}\n`,
  'ssl on': (c) => `events {}\nhttp {\n  server {\n    listen 8443;\n    ssl on;\n    ${c}\n  }\n}\n`,
  'listen http2': (c) => `events {}\nhttp {\n  server {\n    listen 8443 ssl http2;\n    listen [::]:8443 ssl http2;\n    ${c}\n  }\n}\n`,
  'http2 on': (c) => `events {}\nhttp {\n  server {\n    listen 8443 ssl;\n    http2 on;\n    ${c}\n  }\n}\n`,
  'http2_push': (c) => `events {}\nhttp {\n  server {\n    listen 8443 ssl;\n    http2_push_preload on;\n    location / { http2_push /a.css; return 204; }\n    ${c}\n  }\n}\n`,
  'upstream resolve': () => 'events {}\nhttp {\n  resolver 127.0.0.1;\n  upstream u { zone u 64k; server localhost:8080 resolve; }\n  server { listen 8080; location / { proxy_pass http://u; } }\n}\n',
};

for (const v of NGINX_VERSIONS) {
  describe(`nginx ${v.release}: version-specific verdicts and quick-fixes`, { skip: nginxSkipReason(v) }, () => {
    for (const [name, make] of Object.entries(CASES)) {
      it(`${name}: our verdict is nginx's, and every version quick-fix passes nginx -t`, async () => {
        const text = make(cert());
        const real = await nginxT(v, text);
        const f = findings(text, v.setting);
        const errors = f.filter((x) => x.severity === 'error');
        assert.equal(errors.length === 0, real.valid, `nginx ${v.release}: ${real.valid ? 'VALID' : real.message}; ours: ${errors.map((x) => `${x.code}: ${x.message}`).join('; ') || 'no error'}`);
        if (name === 'HTTP/3 pair' && !real.valid) assert.match(errors[0].message, /^invalid parameter "quic"/);
        for (const x of f.filter((y) => y.code === 'directive-removed' || y.code === 'directive-deprecated')) {
          for (const fix of x.fixes?.() ?? []) {
            let out = text;
            for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
            const r = await nginxT(v, out);
            assert.ok(r.valid, `"${fix.title}" on nginx ${v.release}: ${r.message}\n${out}`);
            // nginx no longer warns about what was fixed (it names the directive in its warning)
            const what = /"([^"]+)"/.exec(x.message)?.[1] ?? '';
            assert.ok(!r.warning.includes(`"${what}"`), `"${fix.title}" still warns: ${r.warning}`);
          }
        }
      });
    }
  });
}

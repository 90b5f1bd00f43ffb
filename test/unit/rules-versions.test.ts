/**
 * The version rules (directive-removed, directive-deprecated) and the version-aware handler checks:
 * fixtures named <bad|good>-<nginx.version>-<what>.conf are analysed with that version.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'rules');
const STRUCTURE = ['directive-unknown', 'directive-removed', 'directive-deprecated', 'directive-context', 'directive-args', 'directive-block', 'directive-duplicate', 'value-invalid', 'variable-unknown', 'syntax-error'];

function findings(text: string, version: string) {
  const ls = getLanguageService({ settings: resolveSettings({ version }) });
  ls.openDocument('file:///t/nginx.conf', text);
  return ls.findingsFor('file:///t/nginx.conf');
}

function applyFix(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('version rules: fixtures', () => {
  for (const code of ['directive-removed', 'directive-deprecated']) {
    for (const name of fs.readdirSync(path.join(fixtures, code)).sort()) {
      const m = /^(bad|good)-(\d+\.\d+)-.+\.conf$/.exec(name);
      if (!m) continue;
      const text = fs.readFileSync(path.join(fixtures, code, name), 'utf8');
      if (m[1] === 'bad') {
        it(`${code}: ${name} is flagged on nginx ${m[2]}, and its quick-fix clears it`, () => {
          const expect = /^# expect: (.*)$/m.exec(text)?.[1];
          assert.ok(expect, `${name} has no "# expect:" line`);
          const f = findings(text, m[2]).filter((x) => x.code === code);
          const hit = f.find((x) => new RegExp(expect).test(x.message));
          assert.ok(hit, `${name}: ${f.map((x) => x.message).join(' | ') || 'nothing reported'}`);
          assert.equal(hit.severity, code === 'directive-removed' ? 'error' : 'warning');
          if (code === 'directive-deprecated') assert.equal(hit.deprecated, true);
          const fix = hit.fixes?.()[0];
          assert.ok(fix, `${name}: no quick-fix`);
          const fixed = applyFix(text, fix.edits);
          const after = findings(fixed, m[2]).filter((x) => STRUCTURE.includes(x.code) && x.severity !== 'hint' && x.severity !== 'information');
          assert.deepEqual(after.map((x) => `${x.code}: ${x.message}`), [], `after "${fix.title}":\n${fixed}`);
        });
      } else {
        it(`${code}: ${name} is clean on nginx ${m[2]}`, () => {
          const f = findings(text, m[2]).filter((x) => x.code === code || (STRUCTURE.includes(x.code) && x.severity === 'error'));
          assert.deepEqual(f.map((x) => `${x.code}: ${x.message}`), []);
        });
      }
    }
  }
});

describe('version-aware checks', () => {
  const h3 = 'http {\n  server {\n    listen 443 ssl;\n    listen 443 quic reuseport;\n    ssl_certificate /c.pem;\n    ssl_certificate_key /k.pem;\n  }\n}\n';

  it('the HTTP/3 pair (TCP + UDP on one port) is clean from 1.26 and "invalid parameter quic" on 1.22', () => {
    for (const v of ['1.26', '1.30', '']) {
      assert.deepEqual(findings(h3, v).filter((x) => x.severity === 'error').map((x) => x.message), [], v);
    }
    const old = findings(h3, '1.22').filter((x) => x.severity === 'error');
    assert.equal(old.length, 1);
    assert.match(old[0].message, /^invalid parameter "quic"/);
    // two quic listens of one address in one server are still one socket twice
    const twice = findings(h3.replace('listen 443 ssl;', 'listen 443 quic;'), '1.30').filter((x) => x.code === 'directive-duplicate');
    assert.equal(twice.length, 1);
  });

  it('ssl on: error on 1.26/1.30, deprecation warning on 1.22', () => {
    const text = 'http { server { listen 443; ssl on; ssl_certificate /c.pem; ssl_certificate_key /k.pem; } }';
    for (const v of ['1.26', '1.30']) assert.ok(findings(text, v).some((x) => x.code === 'directive-removed' && x.severity === 'error'), v);
    const f = findings(text, '1.22');
    assert.deepEqual(f.filter((x) => x.severity === 'error').map((x) => x.message), []);
    assert.ok(f.some((x) => x.code === 'directive-deprecated' && x.deprecated));
  });

  it('listen … http2 is deprecated from 1.25.1 only; the http2 on fix needs a known version', () => {
    const text = 'http { server { listen 443 ssl http2; ssl_certificate /c.pem; ssl_certificate_key /k.pem; } }';
    assert.equal(findings(text, '1.22').filter((x) => x.code === 'directive-deprecated').length, 0);
    assert.equal(findings(text, '1.24').filter((x) => x.code === 'directive-deprecated').length, 0);
    assert.ok(findings(text, '1.26').find((x) => x.code === 'directive-deprecated')!.fixes);
    assert.equal(findings(text, '').find((x) => x.code === 'directive-deprecated')!.fixes, undefined);
  });

  it('parameters and directives follow the release that added them', () => {
    const up = 'http { upstream u { zone u 64k; server a.example resolve; } resolver 127.0.0.1; server { location / { proxy_pass http://u; proxy_http_version 2; } } }';
    const e = (v: string) => findings(up, v).filter((x) => x.severity === 'error').map((x) => x.message);
    assert.equal(e('1.30').length, 0, e('1.30').join('\n'));
    assert.ok(e('1.26').some((m) => /invalid parameter "resolve".*1\.27\.3/.test(m)));
    assert.ok(e('1.26').some((m) => /proxy_http_version/.test(m)));
    const ka = 'http { keepalive_min_timeout 1s; }';
    assert.ok(findings(ka, '1.26').some((x) => x.code === 'directive-unknown' && /appeared in a later version \(nginx 1\.\d+\.\d+\)/.test(x.message)));
    assert.equal(findings(ka, '1.30').filter((x) => x.severity === 'error').length, 0);
  });

  it('stream virtual servers share an address from 1.25.5 on', () => {
    const text = '# nginx: context=main\nevents {}\nstream { server { listen 8080; server_name a; proxy_pass 127.0.0.1:1; } server { listen 8080; server_name b; proxy_pass 127.0.0.1:2; } }';
    assert.ok(findings(text, '1.22').some((x) => x.code === 'directive-duplicate'));
    assert.equal(findings(text, '1.26').filter((x) => x.code === 'directive-duplicate').length, 0);
  });

  it('a variable of nginx\'s own modules exists from its release on', () => {
    const text = '# nginx: context=main\nevents {}\nhttp { server { listen 80; return 200 $ssl_sigalg; } }';
    assert.ok(findings(text, '1.26').some((x) => x.code === 'variable-unknown' && /appeared in nginx 1\.29\.3/.test(x.message)));
    assert.equal(findings(text, '1.30').filter((x) => x.code === 'variable-unknown').length, 0);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';

const CODES = ['directive-unknown', 'directive-context', 'directive-args', 'directive-block', 'directive-duplicate', 'value-invalid', 'variable-unknown'];
const fixtures = path.resolve(__dirname, '..', 'fixtures', 'rules');

function findings(text: string, settings?: unknown) {
  const ls = getLanguageService(settings ? { settings: resolveSettings(settings) } : {});
  ls.openDocument('file:///t/test.conf', text);
  return ls.findingsFor('file:///t/test.conf');
}

describe('structure rules: fixtures', () => {
  for (const code of CODES) {
    it(`${code}: bad.conf is flagged`, () => {
      const text = fs.readFileSync(path.join(fixtures, code, 'bad.conf'), 'utf8');
      const f = findings(text).filter((x) => x.code === code);
      assert.ok(f.length > 0, `${code} not reported on bad.conf`);
    });
    it(`${code}: good.conf is clean`, () => {
      const text = fs.readFileSync(path.join(fixtures, code, 'good.conf'), 'utf8');
      const f = findings(text).filter((x) => CODES.includes(x.code) || x.code === 'syntax-error');
      assert.deepEqual(f.map((x) => `${x.code}: ${x.message}`), []);
    });
  }
});

// bad-*.conf: one problem each (every one checked to be rejected by real nginx 1.22.1 with the
// message quoted in docs/rules), flagged by the rule with a message matching `# expect: <regex>`;
// good-*.conf: accepted by real nginx, no structure finding at all. Analysed as nginx 1.22 (the
// version they were checked with).
describe('structure rules: one fixture per nginx handler check', () => {
  for (const code of CODES) {
    const dir = path.join(fixtures, code);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!/^(bad|good)-.+\.conf$/.test(name)) continue;
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      if (name.startsWith('bad-')) {
        it(`${code}: ${name} is flagged`, () => {
          const expect = /^# expect: (.*)$/m.exec(text)?.[1];
          assert.ok(expect, `${name} has no "# expect:" line`);
          const f = findings(text, { version: '1.22' }).filter((x) => x.code === code && x.severity === 'error');
          assert.ok(f.some((x) => new RegExp(expect).test(x.message)), `${name}: ${f.map((x) => x.message).join(' | ') || 'nothing reported'}`);
        });
      } else {
        it(`${code}: ${name} is clean`, () => {
          const f = findings(text, { version: '1.22' }).filter((x) => CODES.includes(x.code) || x.code === 'syntax-error');
          assert.deepEqual(f.map((x) => `${x.code}: ${x.message}`), []);
        });
      }
    }
  }
});

describe('structure rules: behaviour', () => {
  it('directive-unknown offers the close name as a fix', () => {
    const text = 'http { server { location / { proxy_pas http://a; } } }';
    const f = findings(text).find((x) => x.code === 'directive-unknown')!;
    assert.match(f.message, /did you mean "proxy_pass"/);
    const fixes = f.fixes!();
    assert.equal(fixes[0].edits[0].newText, 'proxy_pass');
    assert.equal(text.slice(fixes[0].edits[0].start, fixes[0].edits[0].end), 'proxy_pas');
  });

  it('directive-context names where the directive is allowed', () => {
    const f = findings('# nginx: context=main\nevents {}\nhttp { proxy_pass http://a; }').find((x) => x.code === 'directive-context')!;
    assert.match(f.message, /"proxy_pass" directive is not allowed here/);
    assert.match(f.message, /location/);
  });

  it('distinguishes if in server from if in location', () => {
    // `rewrite_log` is allowed in `if` in server and location; `proxy_pass` only in `if` in location
    const text = '# nginx: context=main\nevents {}\nhttp { server { if ($x) { proxy_pass http://a; } location / { if ($x) { proxy_pass http://a; } } } }\n';
    const f = findings(text).filter((x) => x.code === 'directive-context');
    assert.equal(f.length, 1);
    assert.equal(text.indexOf('proxy_pass'), f[0].start);
  });

  it('a server inside stream is a stream server', () => {
    const ok = findings('# nginx: context=main\nevents {}\nstream { server { listen 1; proxy_pass 127.0.0.1:2; } }');
    assert.deepEqual(ok.filter((x) => x.severity === 'error').map((x) => x.message), []);
    const bad = findings('# nginx: context=main\nevents {}\nstream { server { listen 1; root /x; } }');
    assert.ok(bad.some((x) => x.code === 'directive-context' && /root/.test(x.message)));
  });

  it('fragments with a guessed context get no context errors', () => {
    // a lone file of location-level directives: its context is a guess
    const f = findings('rewrite ^/a /b last;\nproxy_pass http://a;\nif ($x) { return 404; }\n');
    assert.deepEqual(f.filter((x) => x.code === 'directive-context').map((x) => x.message), []);
  });

  it('directive-args reports the expected count', () => {
    const f = findings('http { server { listen 80; root /a /b; } }').find((x) => x.code === 'directive-args')!;
    assert.match(f.message, /expects 1 argument, got 2/);
  });

  it('directive-block: block on simple directive and missing block', () => {
    const f = findings('# nginx: context=main\nevents {}\nhttp { server { root /a { } location /x; } }').filter((x) => x.code === 'directive-block');
    assert.equal(f.length, 2);
  });

  it('directive-duplicate: removes the later one, and follows nginx for repeatable ones', () => {
    const text = 'http {\n    server {\n        root /a;\n        root /b;\n        add_header A 1;\n        add_header A 2;\n    }\n}\n';
    const f = findings(text).filter((x) => x.code === 'directive-duplicate');
    assert.equal(f.length, 1);
    const fix = f[0].fixes!()[0];
    const after = text.slice(0, fix.edits[0].start) + fix.edits[0].newText + text.slice(fix.edits[0].end);
    assert.equal(after, 'http {\n    server {\n        root /a;\n        add_header A 1;\n        add_header A 2;\n    }\n}\n');
    assert.equal(findings(after).filter((x) => x.code === 'directive-duplicate').length, 0);
  });

  it('value-invalid: flags, times, sizes, enums', () => {
    const f = findings('http { gzip yes; proxy_read_timeout 10x; client_max_body_size 10q; proxy_http_version 2.0; ssl_protocols TLSv1.2 TLSv9; }')
      .filter((x) => x.code === 'value-invalid').map((x) => x.message);
    assert.equal(f.length, 5, f.join('\n'));
    assert.match(f[0], /"yes".*"on" or "off"/);
    assert.match(f[3], /"1.0" or "1.1"/);
    assert.match(f[4], /TLSv9/);
  });

  it('value-invalid: nginx time rules (msec slots refuse M and y; units descend)', () => {
    const bad = findings('http { proxy_read_timeout 1M; send_timeout 1m1h; }').filter((x) => x.code === 'value-invalid');
    assert.equal(bad.length, 2);
    const ok = findings('http { proxy_read_timeout 1h30m; send_timeout "1h 30m"; proxy_cache_path /tmp keys_zone=a:1m; }').filter((x) => x.code === 'value-invalid');
    assert.equal(ok.length, 0);
  });

  it('value-invalid: upstream resolve follows nginx.version and nginx.plus', () => {
    const noZone = '# nginx: context=http\nupstream u { server a.example resolve; }';
    const old = findings(noZone, { version: '1.22' }).filter((x) => x.code === 'value-invalid').map((x) => x.message);
    assert.equal(old.length, 1);
    assert.match(old[0], /invalid parameter "resolve"/);
    // 1.27.3+: a valid parameter, but only for upstreams in shared memory
    const latest = findings(noZone).filter((x) => x.code === 'value-invalid').map((x) => x.message);
    assert.equal(latest.length, 1);
    assert.match(latest[0], /requires upstream "u" to be in shared memory/);
    assert.equal(findings('# nginx: context=http\nupstream u { zone u 64k; server a.example resolve; }').filter((x) => x.code === 'value-invalid').length, 0);
    assert.equal(findings('# nginx: context=http\nupstream u { zone u 64k; server a.example resolve slow_start=30s; }', { plus: true }).filter((x) => x.code === 'value-invalid').length, 0);
  });

  it('value-invalid: names defined elsewhere are only checked with the whole configuration in view', () => {
    const use = 'server { listen 80; access_log /tmp/a.log main; limit_req zone=one; }';
    // a fragment (http context): log_format and the zone may live in the including file
    assert.equal(findings(`# nginx: context=http\n${use}`).filter((x) => x.code === 'value-invalid').length, 0);
    // main context, but an include could define them
    assert.equal(findings(`# nginx: context=main\nevents {}\nhttp { include conf.d/*.conf; ${use} }`).filter((x) => x.code === 'value-invalid').length, 0);
    // the whole configuration (stock includes such as mime.types define neither)
    const whole = findings(`# nginx: context=main\nevents {}\nhttp { include mime.types; ${use} }`).filter((x) => x.code === 'value-invalid').map((x) => x.message);
    assert.equal(whole.length, 2, whole.join('\n'));
    // log_format must come before access_log
    const order = findings('# nginx: context=main\nevents {}\nhttp { server { listen 80; access_log /tmp/a.log main; } log_format main $uri; }')
      .filter((x) => x.code === 'value-invalid');
    assert.equal(order.length, 1);
  });

  it('directive-duplicate: listen and location repeats across the file', () => {
    const text = '# nginx: context=http\nserver { listen 80; location /a {} location = /a {} location ~ /a {} location ~ /a {} }\nserver { listen 80; listen [::]:80; }';
    assert.equal(findings(text).filter((x) => x.code === 'directive-duplicate').length, 0);
    const bad = findings('# nginx: context=http\nserver { listen 80 reuseport; location /a {} location ^~ /a {} }\nserver { listen *:80 backlog=10; }')
      .filter((x) => x.code === 'directive-duplicate').map((x) => x.message);
    assert.equal(bad.length, 2, bad.join('\n'));
  });

  it('variable-unknown: a warning for fragments, an error for a whole configuration', () => {
    const frag = findings('# nginx: context=http\nserver { return 200 $nope; }').filter((x) => x.code === 'variable-unknown');
    assert.equal(frag.length, 1);
    assert.equal(frag[0].severity, 'warning');
  });

  it('variable-unknown: captures, map/geo/split_clients definitions, prefixes', () => {
    const text = [
      '# nginx: context=http',
      'geo $remote_addr $geo_flag { default 0; }',
      'split_clients "${remote_addr}x" $variant { 50% a; * b; }',
      'map $uri $m { ~^/(?<first>[^/]+) $first; default ""; }',
      'server { location ~ ^/(?P<p>.+)$ { return 200 "$geo_flag $variant $m $p $1 $http_x_custom $sent_http_etag ${uri}"; } }',
    ].join('\n');
    assert.deepEqual(findings(text).filter((x) => x.code === 'variable-unknown').map((x) => x.message), []);
  });

  it('Plus-only directives are reported unless nginx.plus is on', () => {
    const text = '# nginx: context=http\nkeyval_zone zone=one:32k;\n';
    assert.ok(findings(text).some((x) => x.code === 'directive-unknown' && /NGINX Plus/.test(x.message)));
    assert.equal(findings(text, { plus: true }).filter((x) => x.code === 'directive-unknown').length, 0);
  });

  it('nginx.version: directives that appeared later are unknown to an older nginx', () => {
    const text = '# nginx: context=server\nhttp2 on;\n';
    assert.equal(findings(text).filter((x) => x.code === 'directive-unknown').length, 0);
    assert.ok(findings(text, { version: '1.22' }).some((x) => x.code === 'directive-unknown'));
  });

  it('custom directives from settings are known, with their contexts and argument counts', () => {
    const settings = { customDirectives: [{ name: 'my_directive', contexts: ['location'], args: '1-2' }] };
    const text = '# nginx: context=main\nevents {}\nhttp { server { location / { my_directive a; } my_directive a; } }';
    const f = findings(text, settings);
    assert.equal(f.filter((x) => x.code === 'directive-unknown').length, 0);
    assert.equal(f.filter((x) => x.code === 'directive-context').length, 1);
    assert.equal(findings('# nginx: context=location\nmy_directive a b c;', settings).filter((x) => x.code === 'directive-args').length, 1);
  });

  it('settings: per-rule severity and off', () => {
    const text = 'http { gzip yes; }';
    assert.equal(findings(text, { rules: { 'value-invalid': 'warning' } }).find((x) => x.code === 'value-invalid')!.severity, 'warning');
    assert.equal(findings(text, { rules: { 'value-invalid': 'off' } }).filter((x) => x.code === 'value-invalid').length, 0);
  });

  it('# nginx-disable-next-line silences one rule on the next line', () => {
    const text = 'http {\n    # nginx-disable-next-line value-invalid\n    gzip yes;\n    gzip_vary maybe;\n}\n';
    const f = findings(text).filter((x) => x.code === 'value-invalid');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /maybe/);
  });

  it('entries of map/types and Lua bodies are not directives', () => {
    const text = '# nginx: context=http\ntypes { text/html html; }\nmap $uri $x { default 1; /a 2; }\nserver { location / { content_by_lua_block { local a = 1 } } }\n';
    assert.deepEqual(findings(text).filter((x) => x.severity === 'error').map((x) => x.message), []);
  });
});

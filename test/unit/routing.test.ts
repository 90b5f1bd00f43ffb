/**
 * The routing model's parts on their own: URI normalisation (ngx_http_parse_complex_uri), Host
 * validation (both of nginx's validators), server selection (listen address, server name kinds,
 * default server, conflicts), location selection and the PCRE translation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePath, parseTarget, validateHost } from '../../server/src/service/analysis/routing/uri';
import { execPcre, translatePcre } from '../../server/src/service/analysis/routing/pcre';
import { route } from '../../server/src/service/analysis/routing/route';
import { httpModel, nameTables } from '../../server/src/service/analysis/routing/model';
import { ServerIndex } from '../../server/src/service/analysis/routing/serverIndex';
import { createLanguageService } from '../../server/src/service/index';
import { parse } from '../../server/src/service/syntax/parser';
import type { Directive } from '../../server/src/service/syntax/tree';

test('routing: URI normalisation follows ngx_http_parse_complex_uri', () => {
  const n = (s: string, merge = true) => normalizePath(s, merge).uri;
  assert.equal(n('/a//b///c'), '/a/b/c');
  assert.equal(n('/a//b', false), '/a//b');
  assert.equal(n('/a/./b/.'), '/a/b/');
  assert.equal(n('/a/b/../c'), '/a/c');
  assert.equal(n('/a/b/..'), '/a/');
  assert.equal(n('/..'), null, '".." above the root is a 400');
  assert.equal(n('/a/../..'), null);
  assert.equal(n('/%61%62'), '/ab');
  assert.equal(n('/a%2Fb'), '/a/b', 'a decoded slash is a slash');
  assert.equal(n('/a%2F%2Fb'), '/a/b', 'and takes part in merging');
  assert.equal(n('/a/%2e%2E/b'), '/b', 'decoded dots make dot segments');
  assert.equal(n('/a%25b'), '/a%b');
  assert.equal(n('/a%3Fb'), '/a?b', 'a decoded "?" is part of the path');
  assert.equal(n('/a%23b'), '/a#b');
  assert.equal(n('/a%00'), null, '%00 is a 400');
  assert.equal(n('/a%zz'), null);
  assert.equal(n('/a%4'), null);
  assert.equal(n('/caf%C3%A9'), '/caf\u00c3\u00a9', 'bytes, not characters');
  assert.equal(n('/a.b/c'), '/a.b/c');
  assert.equal(n('/a/..b'), '/a/..b');
  assert.equal(n('/a/...'), '/a/...');
  assert.deepEqual(normalizePath('/a/b?x=1/../y#f'), { uri: '/a/b', args: 'x=1/../y' });
  assert.equal(n('/a/b#frag/../x'), '/a/b');
  assert.equal(n('/a/..?x'), '/', '".." before the arguments');
  assert.equal(parseTarget('/caf\u00e9').uri, '/caf\u00c3\u00a9', 'a raw non-ASCII character is its UTF-8 bytes');
  assert.equal(parseTarget('http://Example.COM:8080').uri, '/');
  assert.equal(parseTarget('http://Example.COM:8080/x').host, 'example.com');
  assert.ok(parseTarget('x/y').error);
});

test('routing: Host validation, before and from nginx 1.29.4', () => {
  for (const version of ['1.22', '1.30']) {
    assert.equal(validateHost('Example.COM', version), 'example.com');
    assert.equal(validateHost('example.com.', version), 'example.com');
    assert.equal(validateHost('example.com:8080', version), 'example.com');
    assert.equal(validateHost('[::1]:80', version), '[::1]');
    assert.equal(validateHost('a..b', version), null);
    assert.equal(validateHost('', version), null);
    assert.equal(validateHost('.', version), null);
    assert.equal(validateHost('a/b', version), null);
  }
  // the old validator ignores what follows the colon; the new one wants a port number
  assert.equal(validateHost('example.com:abc', '1.26'), 'example.com');
  assert.equal(validateHost('example.com:abc', '1.30'), null);
  assert.equal(validateHost('a"b', '1.26'), 'a"b');
  assert.equal(validateHost('a"b', '1.30'), null);
  assert.equal(validateHost('example.com:99999', '1.30'), null);
});

function http(text: string): { directives: readonly Directive[]; expand: (d: Directive) => Directive[] } {
  const file = parse(text);
  const children = (d: Directive) => (d.block?.children ?? []).filter((c): c is Directive => c.kind === 'directive');
  const top = file.children.filter((c): c is Directive => c.kind === 'directive');
  return { directives: top, expand: children };
}

const SERVERS = `
server { listen 80; server_name example.com www.example.com; location / { return 200 s0; } }
server { listen 80; server_name *.example.com; location / { return 200 s1; } }
server { listen 80; server_name .example.org; location / { return 200 s2; } }
server { listen 80; server_name www.example.*; location / { return 200 s3; } }
server { listen 80; server_name ~^(?<n>\\d+)\\.example\\.net$ ~^www\\.; location / { return 200 s4; } }
server { listen 80 default_server; server_name _; location / { return 200 s5; } }
server { listen 127.0.0.1:80; server_name example.com; location / { return 200 s6; } }
server { listen 8080; location / { return 200 s7; } }
server { listen 80; server_name *.a.example.com; }
`;

test('routing: server selection by address, then name: exact, longest leading wildcard, trailing wildcard, regex, default', () => {
  const { directives, expand } = http(SERVERS);
  const which = (host: string | undefined, address = '10.0.0.1:80') => {
    const r = route(directives, expand, { url: '/', host, serverAddress: address });
    return r.serverInfo ? `s${r.serverInfo.index}` : 'none';
  };
  assert.equal(which('example.com'), 's0');
  assert.equal(which('WWW.Example.com'), 's0', 'exact beats the wildcard, case-insensitively');
  assert.equal(which('a.example.com'), 's1');
  assert.equal(which('b.a.example.com'), 's8', 'the longest leading wildcard');
  assert.equal(which('a.example.com.'), 's1', 'a trailing dot is dropped');
  assert.equal(which('example.org'), 's2', '.example.org matches example.org itself');
  assert.equal(which('x.y.example.org'), 's2');
  assert.equal(which('www.example.de'), 's3');
  assert.equal(which('www.example'), 's4', 'www.example.* needs one more label: the regex ^www\\. takes it');
  assert.equal(which('42.example.net'), 's4');
  assert.equal(which('www.other.net'), 's4', 'regexes after the wildcards');
  assert.equal(which('nothing.test'), 's5', 'default_server');
  assert.equal(which(undefined), 's5', 'no Host: the name "" — nobody has it on *:80 here');
  assert.equal(which('example.com', '127.0.0.1:80'), 's6', 'a specific address has its own servers');
  assert.equal(which('www.example.com', '127.0.0.1:80'), 's6', 'only the servers of that address count');
  assert.equal(which('whatever', '10.0.0.1:8080'), 's7');
  assert.equal(which('x', '10.0.0.1:9999'), 'none');
});

test('routing: conflicting server names as ngx_hash_add_key reports them', () => {
  const { directives, expand } = http(`
server { listen 80; server_name a.test .b.test; }
server { listen 80; server_name a.test b.test *.b.test c.*; }
server { listen 80; server_name c.* A.TEST; }
server { listen 81; server_name a.test; }
server { listen 81; server_name *.a.test; }
`);
  const m = httpModel(directives, expand);
  const c80 = nameTables(m.addrs.get('0.0.0.0:80')!).conflicts.map((c) => `${c.name.text}@s${c.server.index}<s${c.winnerServer.index}`);
  assert.deepEqual(c80, ['a.test@s1<s0', 'b.test@s1<s0', '*.b.test@s1<s0', 'c.*@s2<s1', 'A.TEST@s2<s0']);
  assert.deepEqual(nameTables(m.addrs.get('0.0.0.0:81')!).conflicts, []);
});

test('routing: location selection: exact, longest prefix, ^~, regexes in order, nested, auto-redirect, named via try_files', () => {
  const { directives, expand } = http(`server { listen 80;
    location / { return 200 root; }
    location /a/ { return 200 a;
      location /a/b/ { return 200 ab; }
      location ~ \\.txt$ { return 200 a-txt; }
    }
    location ^~ /img/ { return 200 img; }
    location ~ \\.(png|gif)$ { return 200 png; }
    location ~* \\.JPG$ { return 200 jpg; }
    location = /a/ { return 200 a-exact; }
    location /api/ { proxy_pass http://b; }
    location /f/ { try_files $uri @back; }
    location @back { return 200 back; }
    location /old/ { rewrite ^/old/(.*)$ /a/$1 last; }
  }`);
  const loc = (url: string) => {
    const r = route(directives, expand, { url });
    const steps = [r.location, ...r.chain].filter((s) => s?.kind === 'location' || s?.kind === 'redirect');
    return steps.map((s) => s!.label).join(' > ');
  };
  assert.equal(loc('/x'), 'location /');
  assert.equal(loc('/a/'), 'location = /a/');
  assert.equal(loc('/a/x'), 'location /a/');
  assert.equal(loc('/a/b/c'), 'location /a/b/');
  assert.equal(loc('/a/b/c.txt'), 'location ~ \\.txt$', 'the nested regex wins over the nested prefix');
  assert.equal(loc('/a/x.png'), 'location ~ \\.(png|gif)$', 'a top-level regex wins over a prefix');
  assert.equal(loc('/img/x.png'), 'location ^~ /img/', '^~ stops the regex search');
  assert.equal(loc('/X.jpg'), 'location ~* \\.JPG$');
  assert.equal(loc('/api'), 'location /api/ > 301 /api/');
  assert.equal(loc('/f/x'), 'location /f/ > location @back');
  assert.equal(loc('/old/b/x'), 'location /old/ > location /a/b/');
  // a "?" that a capture brings in stays in the URI (found by the oracle: /old/%3F is "/a/?", not "/a/" + args)
  assert.equal(route(directives, expand, { url: '/old/b/%3F' }).chain.find((s) => s.kind === 'rewrite')?.detail, '"/old/b/?" → "/a/b/?" (last)');
});

test('routing: PCRE translation is byte-exact or refuses', () => {
  const ok = (p: string, caseless = false) => {
    const t = translatePcre(p, caseless);
    assert.ok(t.ok, `${p}: ${t.ok ? '' : t.reason}`);
    return (s: string) => !!execPcre(t, s);
  };
  // `$` also matches before a final newline; `.` matches CR but not LF
  assert.ok(ok('\\.php$')('/a.php'));
  assert.ok(ok('\\.php$')('/a.php\n'));
  assert.ok(!ok('\\.php$')('/a.php\n\n'));
  assert.ok(!ok('\\.php\\z')('/a.php\n'));
  assert.ok(ok('\\.php\\Z')('/a.php\n'));
  assert.ok(ok('^a.b$')('a\rb'));
  assert.ok(!ok('^a.b$')('a\nb'));
  assert.ok(ok('(?s)^a.b$')('a\nb'));
  assert.ok(ok('\\Aab')('ab'));
  // case-insensitivity folds ASCII only (JavaScript's `i` would fold the bytes of é too)
  assert.ok(ok('\\.JPG$', true)('/x.jpg'));
  assert.ok(!ok('\u00e9', true)('\u00c3\u0089'), 'é (C3 A9) does not match É (C3 89)');
  assert.ok(ok('\u00e9')('/caf\u00c3\u00a9'), 'a non-ASCII pattern character is its UTF-8 bytes');
  assert.ok(ok('(?i)^/case/')('/CASE/'));
  assert.ok(ok('^/(?i:a)b')('/Ab'));
  assert.ok(!ok('^/(?i:a)b')('/AB'), 'an option group ends with its group');
  assert.ok(ok('[^a-c]', true)('d'));
  assert.ok(!ok('^[^a-c]$', true)('B'), 'a negated class folds before it negates');
  assert.ok(ok('^\\s$')('\x0b'), 'PCRE2 \\s includes VT');
  assert.ok(!ok('^\\s$')('\u00a0'), 'but not NBSP (JavaScript \\s does)');
  assert.ok(ok('^\\v$')('\n'), '\\v is vertical space, not VT alone');
  assert.ok(ok('^[[:alpha:]]+$')('abC'));
  assert.ok(ok('^\\Q.*\\E$')('.*'));
  assert.ok(ok('^(?<n>a)\\k<n>$')('aa'));
  assert.ok(ok('^(?P<n>a)(?P=n)?$'.replace('(?P=n)', '\\k{n}'))('aa'));
  assert.ok(ok('^a{2,3}$')('aaa'));
  assert.ok(ok('x{')('x{'), 'a brace that is no quantifier is literal');
  for (const p of ['a++', '(?>a)', '(?|a)', '(?1)', '(?R)', '\\G', 'a\\K', '\\p{L}', '(*UTF)a', '(?(1)a|b)', 'a{,2}']) {
    const t = translatePcre(p, false);
    assert.ok(!t.ok, `${p} must be refused`);
    assert.ok(t.reason.length > 10);
  }
  assert.ok(!translatePcre('(a)\\1', true).ok, 'a back reference under (?i) is refused');
});

test('routing: the incremental server index finds the same conflicts and default servers as the full model', () => {
  let seed = 5;
  const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const NAMES = ['a.test', 'A.TEST', '.a.test', '*.a.test', 'b.test', '.b.test', 'www.b.*', 'www.b.*', '~^x', 'c.test', '*.c.test'];
  const LISTENS = ['80', '80 default_server', '127.0.0.1:80', '8080', '8080 default_server'];
  const idx = new ServerIndex();
  let compared = 0;
  for (let round = 0; round < 200; round++) {
    const n = 2 + Math.floor(r() * 5);
    let text = '';
    const defaults = new Set<string>();
    for (let i = 0; i < n; i++) {
      const names = Array.from({ length: Math.floor(r() * 4) }, () => pick(NAMES));
      let l = pick(LISTENS);
      const key = l.split(' ')[0];
      if (l.includes('default') && defaults.has(key)) l = key;
      if (l.includes('default')) defaults.add(key);
      text += `server { listen ${l}; ${names.length ? `server_name ${names.join(' ')};` : ''} }\n`;
    }
    const { directives, expand } = http(text);
    const m = httpModel(directives, expand);
    // the index is updated from the previous round's servers, as after an edit
    idx.update(directives, expand);
    for (const a of m.addrs.values()) {
      const t = nameTables(a);
      assert.equal(idx.defaultServer(a.addr), a.defaultServer.directive, `default server on ${a.addr}\n${text}`);
      for (const s of a.servers) {
        const want = (t.conflictsOf.get(s) ?? []).map((c) => `${c.name.text}<${c.winner.text}@${c.winnerServer.index}`);
        const got = idx.conflicts(s.directive, a.addr).map((c) => `${c.name.text}<${c.winner.text}@${m.byDirective.get(c.winnerServer)!.index}`);
        assert.deepEqual(got, want, `server ${s.index} on ${a.addr}\n${text}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 500, `${compared} servers compared`);
});

test('routing: LanguageService.route never throws on bad input', () => {
  const s = createLanguageService();
  const uri = 'file:///bad/nginx.conf';
  s.openDocument(uri, 'http { server { listen 80; location ~ (?>a) { return 200; } location / { return 200; } } }\n', 1);
  const bad: unknown[] = [null, {}, { url: 5 }, { url: '/', host: 5 }, { url: '\u0000\uffff%%%' }, { url: 'http://[::1/x' }, { url: '/'.repeat(100000) }, { url: '/a'.repeat(100000) },
    { url: '/', serverAddress: 'garbage' }, { url: '/a', host: '\u00e9\u00e9' }, { url: '/x', nginxVersion: 'banana' }];
  for (const req of bad) {
    const r = s.route(uri, req as never);
    assert.ok(Array.isArray(r.chain) && Array.isArray(r.notes), JSON.stringify(req));
  }
  // a refused regex is skipped with a note saying so
  const r = s.route(uri, { url: '/a' });
  assert.equal(r.location?.label, 'location /');
  assert.ok(r.notes.some((n) => /atomic groups/.test(n)), r.notes.join('; '));
  assert.equal(s.route('file:///unknown.conf', { url: '/' }).notes[0], 'the document is not known');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodePath,
  exampleFromRegex,
  firstReaching,
  hostCandidates,
  locationPathCandidates,
  requestCandidates,
} from '../../server/src/service/features/routeExamples';

/**
 * Location and server_name regexes as they appear in real configurations; for each, the generated
 * string must match the pattern (checked with JavaScript's engine, which agrees with PCRE on this
 * syntax) in both the full and the minimal mode.
 */
const PATTERNS: [string, boolean][] = [
  ['\\.php$', false],
  ['^/api/v[0-9]+/', false],
  ['\\.(gif|jpg|jpeg|png|webp|svg|ico)$', true],
  ['^/(images|javascript|js|css|flash|media|static)/', false],
  ['^/user/(?<id>\\d+)/profile$', false],
  ['/\\.(?!well-known)', false],
  ['^/(?:en|fr|de)?/docs/?$', false],
  ['^/download/[^/]+\\.(zip|tar\\.gz)$', false],
  ['^/(\\w+)/\\1$', false],
  ['^/[a-z]{2}(-[A-Z]{2})?/', false],
  ['\\.(?i:JPG)$', false],
  ['^/files/[[:alnum:]_-]+$', false],
  ['^/static/.*\\.(css|js)(\\?.*)?$', false],
  ['^/legacy/(.+)$', false],
  ['^/x{2,4}y', false],
  ['^/\\Q$weird$\\E', false],
  ['^/a\\x41b', false],
  ['^/price/\\d+(\\.\\d\\d)?$', false],
  ['^/[^a-z]', true],
  ['^/health(?:z)?$', false],
  ['^/(?!admin)', false],
];

for (const [pattern, caseless] of PATTERNS) {
  for (const minimal of [false, true]) {
    test(`exampleFromRegex /${pattern}/${caseless ? 'i' : ''}${minimal ? ' (minimal)' : ''} matches`, () => {
      const ex = exampleFromRegex(pattern, { caseless, minimal });
      assert.ok(ex, 'a string was generated');
      // \Q…\E and POSIX classes have no JavaScript spelling: translate just those for the check
      const js = pattern
        .replace(/\\Q(.*?)\\E/g, (_, s: string) => s.replace(/[$^.*+?()[\]{}|\\/]/g, '\\$&'))
        .replace(/\[\[:alnum:\]/g, '[a-zA-Z0-9')
        .replace(/\(\?i:JPG\)/, '(?:[jJ][pP][gG])');
      assert.match(ex.text, new RegExp(js, caseless ? 'i' : ''), `${JSON.stringify(ex.text)} matches`);
    });
  }
}

test('exampleFromRegex reports its anchors', () => {
  assert.deepEqual(exampleFromRegex('^/api/'), { text: '/api/', anchoredStart: true, anchoredEnd: false });
  assert.deepEqual(exampleFromRegex('\\.php$'), { text: '.php', anchoredStart: false, anchoredEnd: true });
  assert.deepEqual(exampleFromRegex('\\A/x\\z'), { text: '/x', anchoredStart: true, anchoredEnd: true });
});

test('exampleFromRegex prefers a readable full example and a minimal second one', () => {
  assert.equal(exampleFromRegex('^/(en|fr)?/docs/?$')?.text, '/en/docs/');
  assert.equal(exampleFromRegex('^/(en|fr)?/docs/?$', { minimal: true })?.text, '//docs', 'matches the regex; merge_slashes is for the routing model to judge');
  assert.equal(exampleFromRegex('^/x{2,4}y')?.text, '/xxy');
  assert.equal(exampleFromRegex('^/(.*)\\.php$')?.text, '/a.php');
  assert.equal(exampleFromRegex('^/(.*)\\.php$', { minimal: true })?.text, '/.php');
});

test('exampleFromRegex picks outside a negated class, folding case when caseless', () => {
  assert.equal(exampleFromRegex('^/[^a-c]')?.text, '/x');
  // caseless: [^a-z] also excludes A-Z, so the pick is a digit
  assert.equal(exampleFromRegex('^/[^a-z]', { caseless: true })?.text, '/0');
  assert.equal(exampleFromRegex('^/[^/]+$')?.text, '/a');
});

test('exampleFromRegex gives up rather than guess', () => {
  assert.equal(exampleFromRegex('a^b'), null, '^ after text (only multiline mode matches it)');
  assert.equal(exampleFromRegex('/x$/y'), null, 'text after $');
  assert.equal(exampleFromRegex('^/\\p{Lu}'), null, 'Unicode properties');
  assert.equal(exampleFromRegex('^/\\2(a)(b)'), null, 'a backreference to a group not yet matched');
  assert.equal(exampleFromRegex('^/(?(1)a|b)'), null, 'conditionals');
  assert.equal(exampleFromRegex('^/a)'), null, 'unbalanced )');
  assert.equal(exampleFromRegex('*'), null, 'nothing to repeat');
  assert.equal(exampleFromRegex('^/[^\\x00-\\x{10ffff}]'), null, 'an empty class');
});

test('an alternation falls back to the next branch when one cannot be generated', () => {
  assert.equal(exampleFromRegex('^/(\\p{L}|ok)$')?.text, '/ok');
});

test('encodePath encodes what nginx decodes back', () => {
  assert.equal(encodePath('/a b/%/?#/é'), '/a%20b/%25/%3F%23/%C3%A9');
  assert.equal(encodePath("/keep-._~!$&'()*+,;=:@/"), "/keep-._~!$&'()*+,;=:@/");
});

test('path candidates follow the modifier', () => {
  assert.deepEqual(locationPathCandidates({ modifier: '=', pattern: '/exact' }), ['/exact']);
  assert.deepEqual(locationPathCandidates({ modifier: '', pattern: '/api/' }), ['/api/', '/api/x', '/api/index.html']);
  assert.deepEqual(locationPathCandidates({ modifier: '^~', pattern: '/img' }), ['/img', '/img/x', '/imgx', '/img.html']);
  assert.deepEqual(locationPathCandidates({ modifier: '@', pattern: 'fallback' }), []);
  assert.deepEqual(locationPathCandidates({ modifier: '$', pattern: '$is_api' }), []);
  const php = locationPathCandidates({ modifier: '~', pattern: '\\.php$' });
  assert.ok(php.includes('/x.php'), php.join(' '));
  assert.ok(php.every((p) => p.startsWith('/') && /\.php$/.test(p)), php.join(' '));
  assert.deepEqual(locationPathCandidates({ modifier: '~*', pattern: '^/API/v1/' }).slice(0, 1), ['/API/v1/']);
});

test('nested path candidates start with the enclosing prefix', () => {
  const nested = locationPathCandidates({ modifier: '~', pattern: '\\.json$' }, [{ modifier: '', pattern: '/api/' }]);
  assert.ok(nested.length > 0);
  assert.ok(nested.every((p) => p.startsWith('/api/') && p.endsWith('.json')), nested.join(' '));
  assert.deepEqual(locationPathCandidates({ modifier: '', pattern: '/x' }, [{ modifier: '@', pattern: 'named' }]), []);
});

test('host candidates: exact, wildcard, regex; placeholders skipped', () => {
  assert.deepEqual(hostCandidates(['example.com', 'www.example.com']), ['example.com', 'www.example.com']);
  assert.deepEqual(hostCandidates(['*.example.org']), ['www.example.org']);
  assert.deepEqual(hostCandidates(['.example.net']), ['example.net', 'www.example.net']);
  assert.deepEqual(hostCandidates(['mail.*']), ['mail.com']);
  assert.deepEqual(hostCandidates(['_', '']), []);
  const rx = hostCandidates(['~^(?<user>[a-z]+)\\.users\\.example\\.com$']);
  assert.equal(rx.length, 1);
  assert.match(rx[0], /^[a-z]+\.users\.example\.com$/);
  assert.deepEqual(hostCandidates(['Example.COM']), ['example.com'], 'host names are compared lower-cased');
});

test('request candidates carry host, port and the connection address', () => {
  const c = requestCandidates(['/a b'], ['app.test'], [{ address: '*', port: 8080, ssl: false }, { address: '10.0.0.1', port: 443, ssl: true }]);
  assert.deepEqual(c, [
    { url: 'http://app.test:8080/a%20b', path: '/a%20b', host: 'app.test', serverAddress: '127.0.0.1:8080' },
    { url: 'https://app.test/a%20b', path: '/a%20b', host: 'app.test', serverAddress: '10.0.0.1:443' },
  ]);
  const noName = requestCandidates(['/'], [], []);
  assert.deepEqual(noName, [{ url: 'http://localhost/', path: '/', host: 'localhost', serverAddress: '127.0.0.1:80' }]);
  assert.equal(requestCandidates(Array.from({ length: 50 }, (_, i) => `/${i}`), ['h'], [], 10).length, 10, 'bounded');
});

test('firstReaching returns the first accepted candidate or null', () => {
  assert.equal(firstReaching([1, 2, 3], (n) => n > 1), 2);
  assert.equal(firstReaching([1, 2, 3], () => false), null);
});

test('exampleFromRegex never throws on hostile patterns, and what it builds is bounded', () => {
  assert.equal(exampleFromRegex('('.repeat(20_000) + 'a' + ')'.repeat(20_000)), null, 'nesting beyond the recursion');
  assert.equal(exampleFromRegex('a{1000000}'), null, 'an example too long to show');
  assert.equal(exampleFromRegex('x'.repeat(5000)), null, 'a pattern longer than any location regex');
  // random strings over the regex alphabet (a fixed seed): null or a string, never an exception
  let seed = 17;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const alphabet = ['(', ')', '[', ']', '^', '$', '|', '*', '+', '?', '{', '}', ',', '\\', '.', '-', ':', '<', '>', '=', '!', 'a', 'd', 'w', 'k', 'g', 'Q', 'E', 'x', '1', '2', '/', '#', "'", 'P'];
  let built = 0;
  let checked = 0;
  for (let i = 0; i < 5000; i++) {
    const p = Array.from({ length: 1 + rnd(16) }, () => alphabet[rnd(alphabet.length)]).join('');
    for (const minimal of [false, true]) {
      const ex = exampleFromRegex(p, { minimal });
      if (!ex) continue;
      built++;
      assert.equal(typeof ex.text, 'string', p);
      // where JavaScript reads the pattern as PCRE does, the example must match it (lookarounds and
      // \b are left to the routing model by design; \Q \E \g \k \x and `[]` differ in JavaScript)
      if (/\(\?|\\[QEgkPxb]|\[\^?\]/.test(p)) continue;
      let re: RegExp;
      try { re = new RegExp(p); } catch { continue; }
      checked++;
      assert.match(ex.text, re, `${JSON.stringify(p)}${minimal ? ' (minimal)' : ''} → ${JSON.stringify(ex.text)}`);
    }
  }
  assert.ok(built > 1000, `examples built for ${built} of 10000 random patterns`);
  assert.ok(checked > 500, `${checked} examples checked against JavaScript's engine`);
});

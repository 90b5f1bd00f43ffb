/**
 * The structural regex model (server/src/service/analysis/regex.ts) behind regex-redos,
 * regex-capture-missing and regex-unanchored: ReDoS detection on patterns that must and must not
 * be flagged, capture counting, samples, and the host-check bypasses regex-unanchored builds.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { captureCount, CharSet, findRedos, parseRegex, sampleOf, toJsRegex } from '../../server/src/service/analysis/regex';
import { anchoredPattern, hostCheckBypasses } from '../../server/src/service/analysis/rules/security/regexUnanchored';

describe('findRedos', () => {
  // [pattern, reason, the repeat reported]
  const dangerous: [string, 'nested' | 'alternation', string][] = [
    ['(a+)+$', 'nested', '(a+)+'],
    ['^(a+)+b', 'nested', '(a+)+'],
    ['(a*)*x', 'nested', '(a*)*'],
    ['(.*)*x', 'nested', '(.*)*'],
    ['^(\\w+\\s?)*$', 'nested', '(\\w+\\s?)*'],
    ['(.*,)*$', 'nested', '(.*,)*'],
    ['^(.+/)*$', 'nested', '(.+/)*'],
    ['^/([^/]*)*\\.php$', 'nested', '([^/]*)*'],
    ['(a|b+)+c', 'nested', '(a|b+)+'],
    ['^(a{1,3})+$', 'nested', '(a{1,3})+'],
    ['(?:x+x+)+y', 'nested', '(?:x+x+)+'],
    ['^(\\d+)*$', 'nested', '(\\d+)*'],
    ['^([a-z0-9]+)+\\.example\\.com$', 'nested', '([a-z0-9]+)+'],
    ['^(a+){10}$', 'nested', '(a+){10}'],
    ['^(a|aa)+$', 'alternation', '(a|aa)+'],
    ['^(\\w|\\d)+$', 'alternation', '(\\w|\\d)+'],
    ['^(a|a?)+$', 'alternation', '(a|a?)+'],
    ['^(?:[a-z]|[a-f0-9])+;', 'alternation', '(?:[a-z]|[a-f0-9])+'],
  ];
  for (const [re, reason, text] of dangerous) {
    test(`flags ${re}`, () => {
      const found = findRedos(re);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].reason, reason);
      assert.equal(found[0].text, text);
      assert.equal(re.slice(found[0].start, found[0].end), text);
    });
  }
  const safe = [
    '^/api/(.*)$', '(/[^/]+)+$', '([a-z0-9-]+\\.)*example\\.com$', '(a+b)+$', '(a|b)+c', '(ab|cd)*x', '^/(.*)/(.*)$',
    '(a+)+', '/tail/(a+)+', '^(?>a+)+b', '^(a++)+b', '\\.(jpg|jpeg|png)$', '(\\d{1,3}\\.){3}\\d{1,3}', '^/(\\w+)/(\\d+)$',
    '(\\.\\w+)+$', '^(?:[^/]+/)*[^/]+\\.php$', '^/files/([^/]+/)*index\\.html$', '~*\\.(gif|jpg)$', '^(a{2})+$',
    // case folding: [A-Z] and [a-z] are the same letters under (?i), but `-` separates them
    '(?i)^([a-z]+-)+x$', '^(?<sub>[a-z0-9-]+)\\.example\\.com$', '(\\w+)\\s+(\\w+)$',
    // an unterminated or odd pattern: no crash, no finding
    '(((', '[', '\\', '(?P<n>a)(?P=n)+', 'a{,}', '(?#comment)a+',
  ];
  for (const re of safe) test(`does not flag ${re}`, () => assert.deepEqual(findRedos(re), []));
  test('case-insensitive matching folds letters into the overlap', () => {
    assert.deepEqual(findRedos('^(a|A)+$'), []);
    assert.equal(findRedos('^(a|A)+$', true).length, 1);
  });
});

describe('captureCount', () => {
  const cases: [string, number][] = [
    ['(a)(b)', 2], ['(?<n>a)(b)', 2], ["(?P<x>a)(?'y'b)(c)", 3], ['\\(a\\)', 0], ['[(]a', 0], ['(?:a)(?=b)(?!c)(?<=d)', 0],
    ['(?i)(a)', 1], ['\\Q(a)\\E(b)', 1], ['((a)(b))', 3], ['(?>a)(b)', 1], ['^/(?:api|v[0-9]+)/(.*)$', 1], ['[\\](]+(x)', 1],
    ['(?#a comment)(x)', 1], ['', 0],
  ];
  for (const [re, n] of cases) test(`${re} has ${n}`, () => assert.equal(captureCount(re), n));
});

describe('samples and the JavaScript translation', () => {
  test('a sample the pattern matches, letters preferred, literal dots kept', () => {
    for (const re of ['example.com', '^https?://(www\\.)?example\\.com$', '^/u/(\\w+)/(\\d+)$', '[A-Z]{3}-\\d{2}', '(?i)^ab$']) {
      const s = sampleOf(parseRegex(re).root);
      assert.ok(s !== null, re);
      assert.ok(toJsRegex(re)!.test(s), `${re} ~ ${s}`);
    }
    assert.equal(sampleOf(parseRegex('^https?://(www\\.)?example\\.com$').root), 'http://example.com');
  });
  test('huge nested counts give no sample rather than a huge string', () => {
    assert.equal(sampleOf(parseRegex('((((a{64}){64}){64}){64}){64}').root), null);
    assert.deepEqual(findRedos('((((a{64}){64}){64}){64}){64}x'), []);
  });
  test('syntax JavaScript does not share is not translated', () => {
    for (const re of ['(a++)', '(?>a)', '\\Aa\\z', 'a(?i)b', '\\Qa\\E', '[[:alpha:]]', '\\h']) assert.equal(toJsRegex(re), null, re);
    assert.ok(toJsRegex('(?i)abc')!.flags.includes('i'));
    assert.ok(toJsRegex("(?P<x>a)(?'y'b)")!.test('ab'));
  });
  test('byte sets', () => {
    const s = CharSet.range(97, 122);
    assert.ok(s.has(97) && !s.has(65) && s.folded().has(65));
    assert.ok(s.negate().has(65) && !s.negate().has(98));
    assert.equal(CharSet.of(10).negate().sample(), 97);
  });
});

describe('host-check bypasses (regex-unanchored)', () => {
  const kinds = (re: string, subject: Parameters<typeof hostCheckBypasses>[2], icase = false) => hostCheckBypasses(re, icase, subject).map((b) => b.kind).sort();
  test('unanchored start, end, unescaped dots, domain in the path', () => {
    assert.deepEqual(kinds('example.com', 'origin'), ['dot', 'end', 'start']);
    assert.deepEqual(kinds('example\\.com$', 'origin'), ['start']);
    assert.deepEqual(kinds('^https?://example\\.com', 'origin'), ['end']);
    assert.deepEqual(kinds('^https?://www.example.com$', 'origin'), ['dot']);
    assert.deepEqual(kinds('https://example\\.com/', 'referer'), ['path']);
    assert.deepEqual(kinds('\\.example\\.com', 'valid_referers'), ['end', 'path']);
    // the second alternative is unanchored
    assert.deepEqual(kinds('^https?://([^/]+\\.)?yandex\\.com/|([^/]+\\.)?webvisor\\.com/', 'referer'), ['path', 'start']);
    const b = hostCheckBypasses('example\\.com$', false, 'origin');
    assert.equal(b[0].example, 'evilexample.com');
  });
  test('anchored and escaped checks pass', () => {
    for (const [re, s] of [
      ['^https?://example\\.com$', 'origin'], ['^https?://(www\\.)?example\\.com$', 'origin'], ['^https?://([a-z0-9-]+\\.)*example\\.com(:[0-9]+)?$', 'origin'],
      ['^https?://example\\.com(/|$)', 'referer'], ['^https?:\\/\\/yandex\\.ru\\/', 'referer'], ['^(www\\.)?example\\.com(/|$)', 'valid_referers'],
      ['(^|\\.)example\\.com$', 'host'], ['^www\\.(.*)$', 'host'], ['^https?://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?$', 'origin'],
    ] as const) assert.deepEqual(hostCheckBypasses(re, false, s), [], re);
  });
  test('the fixed pattern has no bypass and still accepts the host', () => {
    for (const [re, s, ok] of [
      ['example.com', 'origin', 'https://api.example.com'], ['example\\.com$', 'host', 'example.com'], ['^https?://example\\.com', 'referer', 'https://example.com/a'],
      ['example.com', 'valid_referers', 'www.example.com/x'],
    ] as const) {
      const fixed = anchoredPattern(re, s)!;
      assert.ok(fixed, re);
      assert.deepEqual(hostCheckBypasses(fixed, false, s), [], fixed);
      assert.ok(toJsRegex(fixed)!.test(ok), `${fixed} ~ ${ok}`);
      assert.deepEqual(findRedos(fixed), [], `${fixed} is not itself a ReDoS`);
    }
    // the start was anchored: the fix does not let subdomains in
    assert.equal(anchoredPattern('^https?://example\\.com', 'origin'), '^https?://example\\.com(:[0-9]+)?$');
    // more than one literal domain: no mechanical fix
    assert.equal(anchoredPattern('^https?://(www\\.)?example\\.com', 'origin'), null);
  });
});

/**
 * Differential test of the structure rules' fast paths (checks/fast.ts: fastAll, fastPrefix and
 * plainArgs with LISTEN_OK, ERROR_PAGE_OK, …; valueInvalid's plainValueOk; duplicates'
 * textLocationKey and the built-in `set` name filter; locationModifier's plain-path shortcut). Each
 * promises to accept only what its exact check accepts, so turning them all off must change no
 * finding — on every corpus file, and on fuzzed directives made to sit at the edges of the patterns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastPaths } from '../../server/src/service/analysis/rules/structure/checks/fast';
import { locationKey, textLocationKey } from '../../server/src/service/analysis/rules/structure/checks/duplicates';
import { resolveSettings } from '../../server/src/service/settings';
import { parse } from '../../server/src/service/syntax/parser';
import { allDirectives } from '../../server/src/service/syntax/query';
import { mulberry32 } from '../fuzz/fuzzCore';
import { corpusText, hasCorpus, NO_CORPUS, oracle } from '../helpers';
import { analyseText, structureRulesOnly } from '../oracle/corpus';

const rules = structureRulesOnly();

function both(text: string, context: string, version = '1.22'): { fast: string; exact: string } {
  const settings = resolveSettings({ version });
  const show = (list: ReturnType<typeof analyseText>) => JSON.stringify(list.map((f) => [f.code, f.start, f.end, f.severity, f.message]));
  const fast = show(analyseText(text, context, rules, settings));
  fastPaths.enabled = false;
  try {
    return { fast, exact: show(analyseText(text, context, rules, settings)) };
  } finally {
    fastPaths.enabled = true;
  }
}

test('fast paths change no finding on the corpus', { skip: !hasCorpus && NO_CORPUS }, () => {
  let files = 0;
  for (const row of oracle()) {
    const { fast, exact } = both(corpusText(row.file), row.context);
    assert.equal(fast, exact, `${row.file}: the findings differ with the fast paths off`);
    files++;
  }
  assert.ok(files > 500, `only ${files} corpus files`);
});

// pieces that sit at the edges of the fast patterns: ports around 65535, odd spacing, quotes,
// escapes, variables, comments, flags each pattern knows or not, values with and without units
const ADDRS = ['80', '0', '65535', '65536', '99999', '8080', '127.0.0.1:80', '1.2.3.4:0', '999.1.1.1:80', '*:443', '[::1]:80', '[::]:65535', '[fe80::1', 'unix:/tmp/s', 'localhost:80', '"80"', '8\\0', '$port', '80#x', ':80', '1.2.3.4'];
const FLAGS = ['', ' default_server', ' ssl', ' http2', ' reuseport', ' proxy_protocol', ' deferred', ' bind', ' quic', ' backlog=511', ' backlog=0', ' so_keepalive=on', ' ipv6only=of', ' default', ' SSL', ' fastopen=3', ' rcvbuf=8k'];
const SPACES = [' ', '  ', '\t', ' \n ', ' # c\n '];
const VALUES: [string, string[]][] = [
  ['gzip', ['on', 'off', 'On', 'yes', '"on"', 'o\\n', '$x']],
  ['proxy_read_timeout', ['60s', '10', '1h30m', '10x', '0', '5ms', '1y', '"60s"', '60 s', '1d2h']],
  ['client_max_body_size', ['10m', '0', '10q', '1G', '10M', '-1', '"1m"', '9999999999999999999k']],
  ['worker_connections', ['1024', '0', '-1', '1e3', '999999999999999999']],
  ['proxy_http_version', ['1.0', '1.1', '2.0', '2', '"1.1"']],
  ['expires', ['30d', 'max', 'off', 'epoch', 'modified +1h', '@15h', '-1', '30 d', '1x']],
  ['error_page', ['404 /404.html', '500 502 =200 /e', '404 =301 http://x', '299 /x', '404', '404 @named', '=404 /x']],
  ['return', ['200', '301 https://x', '999', '200 "ok"', 'https://x', '0', '444']],
  ['proxy_pass', ['http://127.0.0.1:3000', 'http://b', 'http://b:0', 'http://b:65536', 'https://[::1]:443/x', 'http://$h', 'ftp://x', 'http://b:80/path?q', 'http://unix:/tmp/s:']],
  ['set', ['$x 1', '$uri 1', '$URI 1', '$request_uri x', '$http_host y', '"$uri" 1', '$args a']],
];
const LOCATIONS = ['/', '/a', '= /a', '=/a', '^~ /a', '^~/a', '~ \\.php$', '~* x', '@n', '"/a"', '/a\\ b', '/a #c', '= /a/', '/a  ', '  /a', '^/a', '/{a}'];

function fuzzText(rnd: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    switch (Math.floor(rnd() * 4)) {
      case 0: lines.push(`listen${pick(SPACES)}${pick(ADDRS)}${pick(FLAGS)}${pick(FLAGS)}${rnd() < 0.2 ? pick(SPACES) : ''};`); break;
      case 1: { const [name, vals] = pick(VALUES); lines.push(`${rnd() < 0.05 ? '"' + name + '"' : name}${pick(SPACES)}${pick(vals)}${rnd() < 0.2 ? ' ' + pick(vals) : ''};`); break; }
      case 2: lines.push(`location${pick(SPACES)}${pick(LOCATIONS)} { return 200; }`); break;
      default: lines.push(`if${pick(SPACES)}(${pick(['$a', '$a = b', '$a ~ x', '-f $f', '!-e $f', '$a ~* "x y"', '', '$a =', 'a'])}) { return 403; }`);
    }
  }
  return `server {\n    ${lines.join('\n    ')}\n    location /dup { }\n    location /dup { }\n}\nupstream u {\n    server ${pick(ADDRS)}${pick(['', ' weight=2', ' weight=0', ' max_fails=1', ' backup', ' down', ' resolve', ' fail_timeout=10x'])};\n}\n`;
}

test('fast paths change no finding on fuzzed directives (2,000 cases, fixed seed)', () => {
  const rnd = mulberry32(0x5eed);
  for (let i = 0; i < 2000; i++) {
    const text = fuzzText(rnd);
    const version = rnd() < 0.5 ? '1.22' : '1.30';
    const { fast, exact } = both(text, 'http', version);
    assert.equal(fast, exact, `case ${i} (nginx ${version}): the findings differ with the fast paths off:\n${text}`);
  }
});

test('textLocationKey gives locationKey whenever it answers', () => {
  const rnd = mulberry32(7);
  let answered = 0;
  for (let i = 0; i < 3000; i++) {
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const text = `location${pick(SPACES)}${pick(LOCATIONS)}${rnd() < 0.3 ? ' ' + pick(LOCATIONS) : ''} { }\n`;
    for (const d of allDirectives(parse(text).children)) {
      if (d.name !== 'location') continue;
      const fast = textLocationKey(text, d);
      if (fast === undefined) continue;
      answered++;
      assert.equal(fast, locationKey(d), JSON.stringify(text));
    }
  }
  assert.ok(answered > 1000, `the fast path answered only ${answered} times: the test would not test it`);
});

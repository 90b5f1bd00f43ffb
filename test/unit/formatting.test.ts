/**
 * Formatter tests (issue 7).
 *
 * - Fixtures: test/fixtures/format/<case>/{before.conf,after.conf[,options.json]}. options.json may
 *   set tabSize/insertSpaces/alignMapValues and `range: {startLine, endLine}` (0-based, inclusive)
 *   for range formatting; without options the case uses 4 spaces. Every full-format `after.conf` must
 *   also be a fixed point (formatting it again changes nothing).
 * - Properties checked on every result: only whitespace changes (the sequence of words, strings,
 *   comments, `;`, `{`, `}` is identical; comments may lose trailing blanks; Lua bodies only change
 *   line indentation), edits are minimal (never replace text by itself) and ascending.
 * - Range, on-type and language-service behaviour, syntax errors.
 * The corpus-wide checks are in formatting-corpus.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../server/src/service/syntax/parser';
import { significantTokens } from '../../server/src/service/features/format/check';
import { applyEdits, formatFile, formatOnType, formatText, type FormatOptions, type OffsetEdit } from '../../server/src/service/features/formatting';
import { getLanguageService } from '../../server/src/service/languageService';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'format');
const SPACES4: FormatOptions = { tabSize: 4, insertSpaces: true };

function checkEdits(text: string, edits: OffsetEdit[]): void {
  let last = -1;
  for (const e of edits) {
    assert.ok(e.start >= last, `edits ascending and disjoint at ${e.start}`);
    assert.ok(e.end >= e.start && e.end <= text.length);
    const old = text.slice(e.start, e.end);
    assert.match(old, /^[ \t\r\n]*$/, `edit replaces non-whitespace ${JSON.stringify(old)}`);
    assert.match(e.newText, /^[ \t\r\n]*$/, `edit inserts non-whitespace ${JSON.stringify(e.newText)}`);
    assert.notEqual(old, e.newText, `edit at ${e.start} replaces text by itself`);
    last = e.end;
  }
}

interface CaseOptions extends FormatOptions {
  range?: { startLine: number; endLine: number };
}

const cases = existsSync(fixtures) ? readdirSync(fixtures).filter((d) => existsSync(path.join(fixtures, d, 'before.conf'))).sort() : [];

test('fixture cases exist', () => {
  for (const c of ['regex-quantifiers', 'braces-in-quotes', 'comments-after-brace', 'env-templates', 'blank-lines',
    'multiline-arguments', 'lua-block', 'map-types-reindent', 'map-align', 'tabs', 'one-directive-per-line', 'crlf',
    'syntax-error', 'range-partial']) {
    assert.ok(cases.includes(c), `missing fixture ${c}`);
  }
});

for (const c of cases) {
  test(`fixture ${c}`, () => {
    const dir = path.join(fixtures, c);
    const before = readFileSync(path.join(dir, 'before.conf'), 'utf8');
    const expected = readFileSync(path.join(dir, 'after.conf'), 'utf8');
    const optFile = path.join(dir, 'options.json');
    const opts: CaseOptions = existsSync(optFile) ? JSON.parse(readFileSync(optFile, 'utf8')) : SPACES4;
    const file = parse(before);
    let range: { start: number; end: number } | undefined;
    if (opts.range) {
      const ls = file.lineStarts;
      const endLine = opts.range.endLine;
      const end = endLine + 1 < ls.length ? ls[endLine + 1] - 1 : before.length;
      range = { start: ls[opts.range.startLine] + 1, end }; // a selection from inside the first line to the end of the last
    }
    const edits = formatFile(file, opts, range);
    checkEdits(before, edits);
    const actual = applyEdits(before, edits);
    assert.equal(actual, expected);
    assert.deepEqual(significantTokens(actual), significantTokens(before));
    if (!range && file.errors.length === 0) {
      assert.equal(formatText(expected, opts), expected, 'after.conf is a fixed point');
      assert.equal(formatText(before, opts), expected, 'formatText agrees with formatFile');
    }
  });
}

test('syntax errors: no edits, formatText returns null', () => {
  for (const src of [
    'server {\n  listen 80;\n',                       // unclosed block
    'location ~ ^/a{2}$ {\n  return 200;\n}\n',       // unquoted regex quantifier
    'server {\n listen 80\n}\n',                      // missing ;
    'return 200 "unterminated;\n',                    // unterminated string
    '}\n',                                            // stray }
  ]) {
    const f = parse(src);
    assert.ok(f.errors.length > 0, src);
    assert.deepEqual(formatFile(f, SPACES4), []);
    assert.deepEqual(formatFile(f, SPACES4, { start: 0, end: src.length }), []);
    assert.equal(formatText(src, SPACES4), null);
    assert.deepEqual(formatOnType(f, src.indexOf(';') + 1, ';', SPACES4), []);
  }
});

test('already formatted text yields no edits', () => {
  const src = 'http {\n    server {\n        listen 80; # x\n\n        location / {}\n    }\n}\n';
  assert.deepEqual(formatFile(parse(src), SPACES4), []);
});

test('empty and whitespace-only files', () => {
  assert.equal(formatText('', SPACES4), '');
  assert.equal(formatText('  \n\n\t\n', SPACES4), '');
  assert.equal(formatText('# only a comment', SPACES4), '# only a comment\n');
});

test('range formatting touches only whitespace inside the selected lines and never duplicates text', () => {
  const src = 'http {\nserver {\nlisten 80;   \n  server_name a;  location /x { return 200; }\nroot /srv;\n}\n}\n';
  const f = parse(src);
  // select line 3 only (0-based), from its middle to its middle
  const l3 = f.lineStarts[3];
  const edits = formatFile(f, SPACES4, { start: l3 + 5, end: l3 + 10 });
  checkEdits(src, edits);
  for (const e of edits) assert.ok(e.start >= l3 && e.end <= f.lineStarts[4], `edit ${e.start}-${e.end} outside line 3`);
  const out = applyEdits(src, edits);
  assert.equal(out, 'http {\nserver {\nlisten 80;   \n        server_name a;\n        location /x {\n            return 200;\n        }\nroot /srv;\n}\n}\n');
  assert.deepEqual(significantTokens(out), significantTokens(src));
  // a selection ending at column 0 of the next line does not take that line
  const e2 = formatFile(f, SPACES4, { start: f.lineStarts[2], end: f.lineStarts[3] });
  assert.deepEqual(applyEdits(src, e2), 'http {\nserver {\n        listen 80;\n  server_name a;  location /x { return 200; }\nroot /srv;\n}\n}\n');
  // the whole file selected = document formatting
  assert.deepEqual(formatFile(f, SPACES4, { start: 0, end: src.length }), formatFile(f, SPACES4));
  // formatting a range twice is stable
  const again = parse(out);
  const l3b = again.lineStarts[3];
  assert.deepEqual(formatFile(again, SPACES4, { start: l3b, end: again.lineStarts[7] - 1 }), []);
});

test('on-type formatting after } and ;', () => {
  const typedBrace = 'server {\n    location / {\n        root /srv;\n        }';
  const f = parse(typedBrace + '\n}\n');
  const edits = formatOnType(f, typedBrace.length, '}', SPACES4);
  assert.equal(applyEdits(f.text, edits), 'server {\n    location / {\n        root /srv;\n    }\n}\n');

  const typedSemi = 'server {\n  listen   80;';
  const g = parse(typedSemi + '\n}\n');
  assert.equal(applyEdits(g.text, formatOnType(g, typedSemi.length, ';', SPACES4)), 'server {\n    listen 80;\n}\n');

  // only the line typed on changes
  const h = parse('server {\nroot /a;\n  listen   80;\n}\n');
  const at = h.text.indexOf('80;') + 3;
  assert.equal(applyEdits(h.text, formatOnType(h, at, ';', SPACES4)), 'server {\nroot /a;\n    listen 80;\n}\n');

  // a ; or } typed inside a string or comment does nothing
  const s = parse('server {\n  return 200 "a;b}";   # c; d}\n}\n');
  assert.deepEqual(formatOnType(s, s.text.indexOf('a;') + 2, ';', SPACES4), []);
  assert.deepEqual(formatOnType(s, s.text.indexOf('b}') + 2, '}', SPACES4), []);
  assert.deepEqual(formatOnType(s, s.text.indexOf('c;') + 2, ';', SPACES4), []);
  // other characters, or a mismatch between ch and the text, do nothing
  assert.deepEqual(formatOnType(s, s.text.indexOf('200') + 1, '2', SPACES4), []);
  assert.deepEqual(formatOnType(s, s.text.indexOf('";') + 2, '}', SPACES4), []);
});

test('indentation follows the editor options', () => {
  const src = 'http {\nserver {\nlisten 80;\n}\n}\n';
  assert.equal(formatText(src, { tabSize: 2, insertSpaces: true }), 'http {\n  server {\n    listen 80;\n  }\n}\n');
  assert.equal(formatText(src, { tabSize: 8, insertSpaces: false }), 'http {\n\tserver {\n\t\tlisten 80;\n\t}\n}\n');
  // nonsense tab sizes fall back to 4
  assert.equal(formatText(src, { tabSize: 0, insertSpaces: true }), 'http {\n    server {\n        listen 80;\n    }\n}\n');
});

test('arguments are never changed: quotes, escapes, regexes, templates, glued quote and paren', () => {
  const src = [
    'server {',
    'if ($http_x ~* "^(a|b){2,}$") { return 403; }',
    "set $j '{\"k\": \"v}\"}';",
    'rewrite ^/(\\w+)\\ x$ /$1 last;',
    'set $t ${ENV_VALUE};',
    'return 200 "line\\nnext \\"quoted\\" \\\\";',
    '}',
    '',
  ].join('\n');
  const out = formatText(src, SPACES4)!;
  assert.equal(out, [
    'server {',
    '    if ($http_x ~* "^(a|b){2,}$") {',
    '        return 403;',
    '    }',
    "    set $j '{\"k\": \"v}\"}';",
    '    rewrite ^/(\\w+)\\ x$ /$1 last;',
    '    set $t ${ENV_VALUE};',
    '    return 200 "line\\nnext \\"quoted\\" \\\\";',
    '}',
    '',
  ].join('\n'));
  assert.deepEqual(significantTokens(out), significantTokens(src));
});

test('Lua: lines inside long strings and string continuations are not shifted', () => {
  const src = [
    'content_by_lua_block {',
    '            local a = [==[',
    '  raw ]] still raw',
    ']==]',
    '            local b = "x\\',
    '  continued"',
    '            --[[ long',
    '   comment ]]',
    '            ngx.say(a, b)',
    '}',
    '',
  ].join('\n');
  const out = formatText(src, SPACES4)!;
  assert.equal(out, [
    'content_by_lua_block {',
    '    local a = [==[',
    '  raw ]] still raw',
    ']==]',
    '    local b = "x\\',
    '  continued"',
    '    --[[ long',
    '   comment ]]',
    '    ngx.say(a, b)',
    '}',
    '',
  ].join('\n'));
  assert.equal(formatText(out, SPACES4), out);
});

test('map values: kept as written by default, aligned per run when alignMapValues is on', () => {
  const src = 'map $a $b {\n  default  0;\n  ~^x  1;\n\n  longer_key 2;\n  k   3;\n}\n';
  assert.equal(formatText(src, SPACES4), 'map $a $b {\n    default  0;\n    ~^x  1;\n\n    longer_key 2;\n    k   3;\n}\n');
  assert.equal(formatText(src, { ...SPACES4, alignMapValues: true }),
    'map $a $b {\n    default 0;\n    ~^x     1;\n\n    longer_key 2;\n    k          3;\n}\n');
});

test('language service: format, range format and on-type go through the formatter', () => {
  const ls = getLanguageService();
  const uri = 'file:///tmp/format-test/nginx.conf';
  ls.openDocument(uri, 'server {\nlisten 80;\n    root /srv;}\n');
  const all = ls.format(uri, { tabSize: 4, insertSpaces: true });
  assert.ok(all.length > 0);
  for (const e of all) assert.match(e.newText, /^\s*$/);
  const ranged = ls.format(uri, { tabSize: 4, insertSpaces: true }, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  assert.deepEqual(ranged, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '    ' }]);
  const typed = ls.formatOnType(uri, { line: 2, character: 15 }, '}', { tabSize: 4, insertSpaces: true });
  assert.deepEqual(typed, [{ range: { start: { line: 2, character: 14 }, end: { line: 2, character: 14 } }, newText: '\n' }]);
});

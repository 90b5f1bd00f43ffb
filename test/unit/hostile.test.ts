// Hostile input and hostile workspaces (issue 19): bounded time, bounded memory, no reads where
// they don't belong. Every case is small and deterministic (fixed shapes, no randomness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService, MAX_DIAGNOSTICS } from '../../server/src/service/languageService';
import { parse, MAX_NESTING, MAX_SYNTAX_ERRORS, INPUT_LIMIT } from '../../server/src/service/syntax/parser';
import { print, checkTree } from '../../server/src/service/syntax/printer';
import { formatFile } from '../../server/src/service/features/formatting';
import { getFoldingRanges } from '../../server/src/service/features/folding';

const URI = 'untitled:hostile.conf';

/** every finding of a lone document, and the time it took */
function lint(text: string) {
  const ls = getLanguageService();
  ls.openDocument(URI, text, 1);
  const t0 = Date.now();
  const findings = ls.findingsFor(URI);
  return { ls, findings, ms: Date.now() - t0 };
}
const noInternal = (fs: { message: string }[]) => assert.deepEqual(fs.filter((f) => /internal error|call stack/i.test(f.message)), []);

// ------------------------------------------------------------------ nesting

test('200,000 nested closed blocks: normal diagnostics, no stack overflow, the text kept', () => {
  const text = 'a{'.repeat(200_000) + '}'.repeat(200_000) + '\n';
  const file = parse(text);
  assert.equal(print(file), text);
  assert.deepEqual(checkTree(file), []);
  const { findings, ms } = lint(text);
  noInternal(findings);
  assert.ok(findings.some((f) => f.code === 'directive-unknown'), 'the outer levels are still checked');
  const limit = findings.filter((f) => f.code === INPUT_LIMIT);
  assert.equal(limit.length, 1);
  assert.match(limit[0].message, new RegExp(`deeper than ${MAX_NESTING} levels`));
  assert.equal(limit[0].severity, 'warning');
  assert.ok(ms < 5000, `validation took ${ms} ms`);
});

test('the nesting limit: MAX_NESTING levels are analysed, the next one is skipped verbatim', () => {
  const depth = MAX_NESTING;
  const ok = 'http {\n' + 'location / {\n'.repeat(depth - 1) + '}\n'.repeat(depth - 1) + '}\n';
  assert.deepEqual(parse(ok).errors, []);
  const deep = 'http {\n' + 'location / {\n'.repeat(depth) + 'proxy_pass http://x;\n' + '}\n'.repeat(depth) + '}\n';
  const f = parse(deep);
  assert.equal(f.errors.length, 1);
  assert.equal(f.errors[0].code, INPUT_LIMIT);
  assert.equal(print(f), deep);
  assert.deepEqual(checkTree(f), []);
  // the skipped block keeps its `}` matched: nothing after it is in error
  const after = parse(deep + 'events {}\n');
  assert.equal(after.errors.length, 1);
  assert.equal(after.children.length, 2);
});

test('20,000 nested locations: every feature answers (symbols, folding, formatting refuses)', () => {
  const text = 'http { server { ' + 'location / { '.repeat(20_000) + '}'.repeat(20_000) + ' } }\n';
  const { ls, findings } = lint(text);
  noInternal(findings);
  assert.ok(findings.some((f) => f.code === INPUT_LIMIT));
  const syms = ls.documentSymbols(URI);
  assert.ok(syms.length >= 1);
  const folds = getFoldingRanges(ls.parsed(URI)!);
  assert.ok(folds.length <= MAX_NESTING + 2, `${folds.length} folding ranges`);
  assert.ok(ls.hover(URI, { line: 0, character: 1 }) !== undefined);
  // a file with a skipped body is not formatted (its inside cannot be re-indented); no heap blow-up
  assert.deepEqual(ls.format(URI, { tabSize: 4, insertSpaces: true }), []);
});

test('formatting 30,000 nested blocks costs linear memory: it is refused, not quadratic', () => {
  const text = 'a{'.repeat(30_000) + '}'.repeat(30_000) + '\n';
  const t0 = Date.now();
  assert.deepEqual(formatFile(parse(text), { tabSize: 4, insertSpaces: true }), []);
  assert.ok(Date.now() - t0 < 2000);
  // below the limit the output stays proportional to depth² only within the bounded depth
  const ok = 'a{'.repeat(MAX_NESTING - 1) + '}'.repeat(MAX_NESTING - 1) + '\n';
  const edits = formatFile(parse(ok), { tabSize: 4, insertSpaces: true });
  assert.ok(edits.length > 0);
});

test('1,000,000 `{` and 1,000,000 `;`: bounded errors, bounded time', () => {
  for (const text of ['{'.repeat(1_000_000), ';'.repeat(1_000_000)]) {
    const t0 = Date.now();
    const f = parse(text);
    assert.equal(print(f), text);
    assert.ok(f.errors.length <= MAX_SYNTAX_ERRORS + 3, `${f.errors.length} errors`);
    const { findings } = lint(text);
    noInternal(findings);
    assert.ok(findings.length <= MAX_DIAGNOSTICS + 1);
    assert.ok(Date.now() - t0 < 10_000);
  }
  const semis = parse(';'.repeat(5000));
  const last = semis.errors[semis.errors.length - 1];
  assert.equal(last.code, INPUT_LIMIT);
  assert.match(last.message, /^4000 more syntax error/);
});

test('diagnostics per file are capped, with a note saying how many were left out', () => {
  // 1,100 unknown directives: one finding each
  const text = 'bogus_directive_x on;\n'.repeat(1100);
  const { findings, ls } = lint(text);
  assert.equal(findings.length, MAX_DIAGNOSTICS + 1);
  const note = findings[findings.length - 1];
  assert.equal(note.code, INPUT_LIMIT);
  assert.match(note.message, /^100 more diagnostic/);
  assert.equal(ls.validate(URI).length, MAX_DIAGNOSTICS + 1);
});

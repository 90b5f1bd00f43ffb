/**
 * The character analysis of regex captures and the taint of variables the security rules share
 * (server/src/service/analysis/security.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureGroups, CR, DOT, LF, SLASH, valueOffsets } from '../../server/src/service/analysis/security';
import { parse } from '../../server/src/service/syntax/parser';
import type { Directive } from '../../server/src/service/syntax/tree';

const masks = (re: string) => captureGroups(re).map((g) => g.mask);

test('what a capture can hold: ., classes, escapes, flags', () => {
  assert.deepEqual(masks('^/files/(.*)$'), [CR | DOT | SLASH], '. matches everything but LF');
  assert.deepEqual(masks('(?s)^/(.*)$'), [CR | LF | DOT | SLASH], '(?s) makes . match LF');
  assert.deepEqual(masks('^/([^/]+)$'), [CR | LF | DOT]);
  assert.deepEqual(masks('^/(\\W*)(\\S+)(\\d+)([a-z0-9]+)$'), [CR | LF | DOT | SLASH, DOT | SLASH, 0, 0]);
  assert.deepEqual(masks('^/(a|b)/(?<p>[^\\r\\n]*)'), [0, DOT | SLASH]);
  assert.deepEqual(masks('^/([^\r\n/]*)'), [DOT], 'control characters as nginx unescapes them');
  assert.deepEqual(masks('^/(?:x(\\s))(?=(.))'), [CR | LF, CR | DOT | SLASH]);
  assert.deepEqual(captureGroups('(?P<name>.)(?\'q\'.)').map((g) => g.name), ['name', 'q']);
});

test('the atoms that can match CR/LF, and their narrowed form', () => {
  const [g] = captureGroups('^/x/([^/]+\\W.\\s)$');
  assert.deepEqual(g.lineBreakAtoms.map((a) => a.narrowed), ['[^/\\r\\n]', '[^\\w\\r\\n]', '[^\\r\\n]', '[^\\S\\r\\n]']);
  const [h] = captureGroups('^/([\\s\\w]+)$');
  assert.deepEqual(h.lineBreakAtoms.map((a) => a.narrowed), [null], 'a positive class with \\s has no mechanical narrowing');
});

test('valueOffsets maps value characters to file offsets through nginx unescaping', () => {
  const file = parse('location ~ "^/a\\\\d\\r(x)" {}\n');
  const loc = file.children[0] as Directive;
  const w = loc.arg(1)!;
  const at = valueOffsets(w)!;
  assert.equal(w.value, '^/a\\d\r(x)');
  assert.equal(file.text.slice(at[3], at[4] + 1), '\\\\d');
  assert.equal(file.text.slice(at[5], at[6]), '\\r');
  assert.equal(at[w.value.length], w.end - 1);
});

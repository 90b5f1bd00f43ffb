/**
 * The stdio writer's encoder (server/src/encodeCache.ts) splices in remembered JSON: what it writes
 * must always be what JSON.stringify writes (as parsed by the client), for fresh, reused and
 * remembered parts alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerReuse, encodeMessage, jsonEqual } from '../../server/src/encodeCache';

const range = (a: number, b: number) => ({ start: { line: a, character: 0 }, end: { line: b, character: 1 } });
function symbol(name: string, line: number, children?: unknown[], detail?: string): Record<string, unknown> {
  const s: Record<string, unknown> = { name, kind: 2, range: range(line, line + 1), selectionRange: range(line, line) };
  if (detail !== undefined) s.detail = detail;
  if (children) s.children = children;
  return s;
}
const same = (msg: unknown) => assert.deepEqual(JSON.parse(encodeMessage(msg)), JSON.parse(JSON.stringify(msg)));

test('encodeMessage: what JSON.stringify gives, for envelopes, symbol trees, undefined and odd values', () => {
  const leaf = symbol('location /', 3, undefined, 'x "quoted" \\ \u2028');
  const tree = [symbol('http', 0, [symbol('server', 1, [leaf, symbol('location /ws/', 5, [])])]), symbol('events', 9)];
  same({ jsonrpc: '2.0', id: 7, result: tree });
  same({ jsonrpc: '2.0', id: 'a', result: null });
  same({ jsonrpc: '2.0', id: 1, result: [] });
  same({ jsonrpc: '2.0', id: 2, error: { code: -32800, message: 'cancelled', data: undefined } });
  same({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a', version: undefined, diagnostics: [{ range: range(1, 1), message: 'm', code: undefined }] } });
  same({ jsonrpc: '2.0', id: 3, result: { isIncomplete: false, items: [{ label: 'a', textEdit: { range: range(0, 0), newText: '${1:x}' } }] } });
  same({ jsonrpc: '2.0', id: 4, result: [1, 'two', true, null, { nested: [{ deeper: 1 }] }] });
  same({ jsonrpc: '2.0', id: 5, result: 'a string' });
  // a symbol with no other keys than children, and a date (toJSON)
  same({ jsonrpc: '2.0', id: 6, result: [{ selectionRange: undefined, children: [] }], when: new Date(0) });
});

test('encodeMessage: a reused symbol (its JSON remembered) encodes the same inside a new parent', () => {
  const kept = symbol('server', 10, [symbol('location /', 11)]);
  same({ jsonrpc: '2.0', id: 1, result: [symbol('http', 0, [kept])] });
  // second time: `kept` comes from the cache
  same({ jsonrpc: '2.0', id: 2, result: [symbol('http', 0, [kept, symbol('server', 20)])] });
});

test('AnswerReuse: an equal answer is the previous object, a different one replaces it', () => {
  const r = new AnswerReuse();
  const a = [{ startLine: 1, endLine: 3 }, { startLine: 4, endLine: 9, kind: undefined }];
  assert.equal(r.reuse('folding file:///a', a), a);
  const b = [{ startLine: 1, endLine: 3 }, { startLine: 4, endLine: 9 }];
  assert.equal(r.reuse('folding file:///a', b), a, 'equal (an undefined key is no key): the old object');
  const c = [{ startLine: 1, endLine: 3 }, { startLine: 4, endLine: 10 }];
  assert.equal(r.reuse('folding file:///a', c), c);
  assert.equal(r.reuse('folding file:///b', b), b, 'per key');
  // the remembered JSON of a reused array follows it (encoded, then encoded again from the cache)
  same({ jsonrpc: '2.0', id: 1, result: c });
  same({ jsonrpc: '2.0', id: 2, result: r.reuse('folding file:///a', [{ startLine: 1, endLine: 3 }, { startLine: 4, endLine: 10 }]) });
  r.forget('file:///a');
  const d = [{ startLine: 1, endLine: 3 }, { startLine: 4, endLine: 10 }];
  assert.equal(r.reuse('folding file:///a', d), d, 'forgotten with its document');
});

test('jsonEqual', () => {
  assert.ok(jsonEqual({ a: [1, { b: 'x' }], c: undefined }, { a: [1, { b: 'x' }] }));
  assert.ok(!jsonEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }));
  assert.ok(!jsonEqual([1, 2], [1, 2, 3]));
  assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!jsonEqual([], {}));
  assert.ok(!jsonEqual(null, {}));
});

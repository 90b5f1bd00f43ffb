/**
 * The start-up warm-up (server/src/warmUp.ts) must exercise the features for real: every step runs
 * without an error and does its feature's work on the sample configuration.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLanguageService } from '../../server/src/service/index';
import { requestSteps, runSteps, validationSteps } from '../../server/src/warmUp';

test('warm-up: each request step does its feature\'s work on the sample', () => {
  const results = requestSteps(createLanguageService()).map((step) => step());
  const [, symbols, folding, links] = results as [unknown, { children?: unknown[] }[], unknown[], unknown[]];
  const count = (l: { children?: unknown[] }[]): number => l.reduce((n, s) => n + 1 + count((s.children ?? []) as { children?: unknown[] }[]), 0);
  assert.ok(count(symbols) >= 8, `an outline of the servers, upstream and locations: ${count(symbols)}`);
  assert.ok(folding.length >= 8, 'folding ranges');
  // the warm-up service reads no disk: `include mime.types` resolves to nothing
  assert.deepEqual(links, []);
});

test('warm-up: the validation steps find the sample\'s WebSocket problem and offer its fixes', () => {
  const service = createLanguageService();
  const results = validationSteps(service).map((step) => step());
  const diagnostics = results[1] as { code?: unknown }[];
  assert.ok(diagnostics.some((d) => String(d.code).startsWith('ws-')), `WebSocket findings: ${diagnostics.map((d) => d.code).join(', ')}`);
  const actions = results[results.length - 2] as { title: string }[];
  assert.ok(actions.length > 0, 'the light bulb offers something at the WebSocket location');
  // the keystrokes go the way the editor's do: incrementally, each finding what was typed
  assert.ok(service.validationCounts.incremental >= 6, `incremental validations: ${JSON.stringify(service.validationCounts)}`);
  const typed = results.slice(2, -3) as { code?: unknown }[][];
  assert.ok(typed[0].some((d) => d.code === 'directive-unknown'), 'the first keystroke is an unknown directive');
  assert.ok(!typed[typed.length - 1].some((d) => d.code === 'directive-unknown' || d.code === 'syntax-error'), 'the last one is a complete directive');
});

test('warm-up: runSteps logs a failing step and stops', async () => {
  const logged: string[] = [];
  let ran = 0;
  runSteps([() => ran++, () => { throw new Error('boom'); }, () => ran++], (m) => logged.push(m));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ran, 1);
  assert.equal(logged.length, 1);
  assert.match(logged[0], /warm-up step 2 failed: Error: boom/);
});

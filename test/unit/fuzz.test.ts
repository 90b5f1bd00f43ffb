import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, loadSeeds } from '../fuzz/fuzzCore';
import { corpusDir, hasCorpus } from '../helpers';

test('fuzz: 10,000 mutated corpus files: no exception, no hang, ranges inside, exact round trip', () => {
  const seeds = loadSeeds(hasCorpus ? corpusDir : null);
  if (!hasCorpus) console.log('note: ../shared/corpus absent; fuzzing built-in samples only');
  const r = fuzz(seeds, 10_000, 20261125, 10);
  assert.deepEqual(r.failures, []);
  assert.equal(r.cases, 10_000);
  assert.ok(r.serviceCases >= 1000, 'a tenth of the cases go through the whole service');
  console.log(`fuzz: ${r.cases} cases (${r.serviceCases} through the service) in ${Math.round(r.ms)} ms, slowest parse ${r.maxParseMs.toFixed(1)} ms`);
});

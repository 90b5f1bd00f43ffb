/**
 * The noise guard of the practice family (docs/rules/, scripts/practice-corpus-report.ts): over the
 * 754 real configurations of ../shared/corpus, analysed in the context nginx checked them in, no
 * practice finding is an error (on any file nginx accepts, or at all: a practice is not an error),
 * none is above hint on the files that already do WebSocket proxying right (issue 16),
 * server-tokens speaks at most once per configuration for the unset default, and no rule's count
 * grows past a ceiling set a little above what was measured and sampled by hand (docs/security.md,
 * "Corpus"): a change that multiplies a rule's findings must be looked at before the ceiling moves.
 * Skips when the corpus is absent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { practiceRules } from '../../server/src/service/analysis/rules/practice/index';
import { doesWebSocketRight } from '../../scripts/ws-corpus-report';
import { analyseText, corpusDir, oracleSettings, readOracle } from './corpus';

/** Measured 2026-12-02 (nginx.version 1.22): 113, 5, 1, 3, 5, 8, 13. */
const CEILING: Record<string, number> = {
  'server-tokens': 130,
  'autoindex-on': 8,
  'error-log-off': 3,
  'map-no-default': 6,
  'default-server-missing': 8,
  'if-is-evil': 12,
  'worker-connections-nofile': 18,
};

const rows = readOracle();

describe('practice rules over the corpus', { skip: rows ? false : `no ORACLE.tsv in ${corpusDir}` }, () => {
  const counts = new Map<string, number>(practiceRules.map((r) => [r.code, 0]));
  const errors: string[] = [];
  const repeated: string[] = [];
  const wsAbove: string[] = [];
  for (const row of rows ?? []) {
    const text = fs.readFileSync(path.join(corpusDir, row.file), 'utf8');
    // (the parser's syntax errors come along with any rule set: only the practice codes count here)
    const found = analyseText(text, row.context, practiceRules, oracleSettings).filter((f) => counts.has(f.code));
    for (const f of found) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    for (const f of found) if (f.severity === 'error') errors.push(`${row.file}: ${f.code} ${f.message}${row.valid ? ' (nginx accepts the file)' : ''}`);
    if (doesWebSocketRight(text)) for (const f of found) if (f.severity !== 'hint') wsAbove.push(`${row.file}: ${f.severity} ${f.code}`);
    const defaults = found.filter((f) => f.code === 'server-tokens' && f.severity === 'hint').length;
    const https = (text.match(/^\s*http\s*\{/gm) ?? []).length;
    if (defaults > Math.max(1, https)) repeated.push(`${row.file}: ${defaults} server-tokens hints`);
  }

  test('no practice finding is an error', () => {
    assert.deepEqual(errors, []);
  });

  test('no practice finding above hint on the configurations that do WebSocket proxying right', () => {
    assert.deepEqual(wsAbove, []);
  });

  test('server-tokens reports the unset default once per http block, not per server', () => {
    assert.deepEqual(repeated, []);
  });

  for (const r of practiceRules) {
    test(`${r.code}: at most ${CEILING[r.code]} findings on the corpus`, () => {
      assert.ok(CEILING[r.code] !== undefined, `${r.code}: measure it (scripts/practice-corpus-report.ts), sample by hand, set a ceiling`);
      assert.ok(counts.get(r.code)! <= CEILING[r.code], `${r.code}: ${counts.get(r.code)} findings (ceiling ${CEILING[r.code]}): look at them with scripts/practice-corpus-report.ts --list ${r.code}`);
    });
  }
});

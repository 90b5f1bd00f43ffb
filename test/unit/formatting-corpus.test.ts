/**
 * The formatter over every file of the real-config corpus (../shared/corpus, read in place; skipped
 * when absent), with three option sets (4 spaces; 2 spaces + aligned map values; tabs of width 8):
 * - idempotent: format(format(x)) = format(x);
 * - the sequence of non-whitespace tokens is identical before and after (see significantTokens);
 * - the result parses without errors;
 * - a file is refused (null) only when the parser reports a syntax error, and no file nginx accepts
 *   (ORACLE.tsv verdict VALID) is refused.
 * Whether nginx itself still accepts the formatted files is test/oracle/format-nginx.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../server/src/service/syntax/parser';
import { formatText, type FormatOptions } from '../../server/src/service/features/formatting';
import { significantTokens } from '../../server/src/service/features/format/check';

const repoRoot = path.resolve(__dirname, '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');
const present = existsSync(path.join(corpus, 'ORACLE.tsv'));

const OPTION_SETS: FormatOptions[] = [
  { tabSize: 4, insertSpaces: true },
  { tabSize: 2, insertSpaces: true, alignMapValues: true },
  { tabSize: 8, insertSpaces: false },
];

test('formatter over the corpus: idempotent, tokens unchanged, valid files never refused', { skip: present ? false : `corpus not found at ${corpus}` }, (t) => {
  const verdict = new Map<string, string>();
  for (const row of readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').split('\n').slice(1)) {
    const c = row.split('\t');
    if (c[0]) verdict.set(c[0], c[1]);
  }
  const files: string[] = [];
  for (const d of readdirSync(corpus, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === 'tools') continue;
    for (const f of readdirSync(path.join(corpus, d.name), { withFileTypes: true })) if (f.isFile()) files.push(`${d.name}/${f.name}`);
  }
  files.sort();
  assert.ok(files.length > 0);
  const problems: string[] = [];
  let formatted = 0, refused = 0, changed = 0;
  for (const rel of files) {
    const text = readFileSync(path.join(corpus, rel), 'utf8');
    const hasErrors = parse(text).errors.length > 0;
    const before = significantTokens(text);
    for (const opts of OPTION_SETS) {
      const out = formatText(text, opts);
      if (out === null) {
        refused++;
        if (!hasErrors) problems.push(`${rel}: refused without a syntax error`);
        if (verdict.get(rel) === 'VALID') problems.push(`${rel}: nginx accepts it but the formatter refused it`);
        continue;
      }
      formatted++;
      if (out !== text) changed++;
      const tag = `${rel} (${JSON.stringify(opts)})`;
      if (formatText(out, opts) !== out) problems.push(`${tag}: not idempotent`);
      if (parse(out).errors.length) problems.push(`${tag}: result has syntax errors`);
      const after = significantTokens(out);
      if (after.length !== before.length || after.some((s, i) => s !== before[i])) problems.push(`${tag}: token sequence changed`);
    }
  }
  t.diagnostic(`${files.length} files x ${OPTION_SETS.length} option sets: ${formatted} formatted (${changed} changed), ${refused} refused for syntax errors`);
  assert.deepEqual(problems, []);
});

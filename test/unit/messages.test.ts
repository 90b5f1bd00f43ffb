/**
 * The Problems panel shows a message on one line: its head (up to the first ". ", ": " or "; "
 * outside quotes and parentheses) must say what is wrong in at most 100 characters; the details
 * follow. Checked on every finding of every rule over the corpus and the test fixtures, and on the
 * grouped diagnostics the editor shows for WebSocket locations with several findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService } from '../../server/src/service/languageService';
import { FIRST_SENTENCE_MAX, firstSentence } from '../../server/src/service/analysis/message';
import { corpusDir, filesUnder, hasCorpus, repoRoot } from '../helpers';

test('firstSentence stops at the first ". ", ": " or "; " outside quotes and parentheses', () => {
  assert.equal(firstSentence('proxy_read_timeout is 60s. Raise it.'), 'proxy_read_timeout is 60s.');
  assert.equal(firstSentence('unknown variable "$x": not built in'), 'unknown variable "$x"');
  assert.equal(firstSentence('"a: b. c" is odd; really'), '"a: b. c" is odd');
  assert.equal(firstSentence('listen 127.0.0.1:80 uses HTTP/1.1 (see: x. y) twice'), 'listen 127.0.0.1:80 uses HTTP/1.1 (see: x. y) twice');
  assert.equal(firstSentence('no separator at all'), 'no separator at all');
});

test('every message\'s first sentence fits the Problems panel', () => {
  if (!hasCorpus) console.log('corpus not found: checking the test fixtures only');
  const files = [...filesUnder(join(repoRoot, 'test', 'fixtures')), ...(hasCorpus ? filesUnder(corpusDir) : [])]
    .filter((p) => !/\.(tsv|json|md|ts|mjs)$/.test(p));
  const ls = getLanguageService();
  const long: string[] = [];
  const codes = new Set<string>();
  let findings = 0;
  for (const p of files) {
    const uri = `file://${p}`;
    ls.openDocument(uri, readFileSync(p, 'utf8'));
    // each finding (the CLI) and what the editor shows (one diagnostic per WebSocket location)
    for (const f of [...ls.findingsFor(uri), ...ls.shownFindings(uri).filter((x) => x.members || x.scope)]) {
      findings++;
      codes.add(f.code);
      const head = firstSentence(f.message);
      if (head.length > FIRST_SENTENCE_MAX) long.push(`${f.code} (${head.length}): ${head}`);
    }
    ls.closeDocument(uri);
  }
  assert.ok(findings > 200 && codes.size >= 15, `only ${findings} findings of ${codes.size} codes: the check would prove little`);
  assert.deepEqual([...new Set(long)], []);
});

/**
 * The peer suites (test/oracle/peers.ts, docs/security.md): on every test file of the gixy plugins
 * and nginx-lint rules we cover, our verdict is the peer's, except the files of DISAGREEMENTS, each
 * with its reason — and a listed file must still disagree (a fix that makes us agree removes it).
 * Every check of the peers' suites has an explicit mapping (codes, or none with a note), so a new
 * plugin in the corpus is a decision, not a silent skip. Skips when ../shared/corpus is absent.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkOf, comparePeers, DISAGREEMENTS, peerFiles, registeredCodes, summarize } from './peers';

const files = peerFiles();
const skip = files ? false : 'no ../shared/corpus/MANIFEST.tsv: the peer suites are read from the corpus';

describe('peer suites: gixy and nginx-lint test files', { skip }, () => {
  const all = files ?? [];
  const results = files ? comparePeers(all) : [];

  test('the corpus holds both suites', () => {
    assert.ok(all.filter((f) => f.peer === 'gixy').length >= 80, 'gixy tests/plugins/simply files');
    assert.ok(all.filter((f) => f.peer === 'nginx-lint').length >= 40, 'nginx-lint plugins/builtin examples');
  });

  test('every check of the peers is mapped (to codes, or to none with a reason)', () => {
    const unmapped = [...new Set(all.filter((f) => !checkOf(f)).map((f) => `${f.peer} ${f.check}`))];
    assert.deepEqual(unmapped, [], 'add them to GIXY / NGINX_LINT in test/oracle/peers.ts');
    for (const f of all) {
      const c = checkOf(f)!;
      assert.ok(c.codes.length > 0 || c.note, `${f.peer} ${f.check}: no codes and no note saying why`);
    }
  });

  test('the checks we cover include the part A security rules and the practice family', () => {
    const covered = new Set(summarize(results).map((s) => `${s.peer} ${s.check}`));
    for (const c of ['gixy alias_traversal', 'gixy add_header_redefinition', 'gixy host_spoofing', 'gixy http_splitting', 'gixy ssrf',
      'gixy allow_without_deny', 'gixy if_is_evil', 'gixy version_disclosure', 'nginx-lint security/autoindex_enabled',
      'nginx-lint best_practices/map_missing_default', 'nginx-lint best_practices/if_is_evil_in_location']) {
      assert.ok(covered.has(c), `${c} is compared`);
    }
  });

  for (const r of results) {
    const reason = DISAGREEMENTS[r.file];
    test(`${r.peer} ${r.check}: ${r.sourcePath}`, () => {
      const got = `our ${r.codes.join('/')} findings: ${r.findings.length ? r.findings.join(', ') : 'none'}`;
      if (reason) {
        assert.ok(!r.agrees, `listed as a disagreement but we agree now (${got}): remove it from DISAGREEMENTS and docs/security.md`);
      } else {
        const want = r.expect === 'one' ? 'exactly one finding' : r.expect === 'some' ? 'at least one finding' : 'no finding';
        assert.ok(r.agrees, `the peer expects ${want}; ${got}`);
      }
    });
  }

  test('every listed disagreement is a compared file (or of a check this branch does not cover)', () => {
    const known = new Map(all.map((f) => [f.file, f]));
    for (const file of Object.keys(DISAGREEMENTS)) {
      const f = known.get(file);
      assert.ok(f, `${file} is not a peer test file`);
      if (registeredCodes(checkOf(f)).length) assert.ok(results.some((r) => r.file === file), `${file} was not compared`);
      assert.ok(DISAGREEMENTS[file].length > 40, `${file}: say why`);
    }
  });
});

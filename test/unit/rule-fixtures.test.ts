/**
 * The generic rule fixture harness: for every code of the rule registry, a bad fixture whose
 * findings are marked at their exact positions, a good fixture with none, a before/after pair for
 * every rule that has fixes, and its docs page. The format is described in test/rule-fixtures.ts and
 * docs/architecture.md ("Adding a rule"). A new rule is picked up without editing this file; when
 * something is missing the failure says what to add.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ruleInfo, ruleRegistry, type RuleInfo } from '../../server/src/service/analysis/registry';
import {
  actualMarks, analyse, applyFixes, FIX_FIXTURES, fixCasesOf, fixturesOf, markKey, readFixCase, readMarks, RULE_FIXTURES, type Fixture, type Mark,
} from '../rule-fixtures';

const root = join(__dirname, '..', '..');

/** Codes no configuration text produces in the language service (the server and CLI's input guard). */
function exempt(r: RuleInfo): string | null {
  if (r.producers.every((p) => p === 'input')) return 'reported by the server and CLI input guard before any parse (test/unit/cli.test.ts, test/lsp)';
  return null;
}

function expectedMarks(fx: Fixture): { marks: Mark[]; problems: string[] } {
  const marks: Mark[] = [];
  const problems: string[] = [];
  for (const [rel, text] of fx.files) {
    const r = readMarks(rel, text);
    marks.push(...r.marks);
    problems.push(...r.problems);
  }
  return { marks, problems };
}

function diff(expected: Mark[], actual: Mark[], messages: Map<string, string>): string[] {
  const out: string[] = [];
  const left = actual.map(markKey);
  for (const m of expected.map(markKey)) {
    const i = left.indexOf(m);
    if (i >= 0) left.splice(i, 1);
    else out.push(`  missing:    ${m}`);
  }
  for (const m of left) out.push(`  unexpected: ${m}${messages.has(m) ? `  (${messages.get(m)})` : ''}`);
  return out;
}

function rel(p: string): string {
  return p.slice(root.length + 1);
}

test('every fixture folder names a registered code', () => {
  for (const n of readdirSync(RULE_FIXTURES)) assert.ok(ruleInfo(n), `test/fixtures/rules/${n}: no registered rule has this code`);
  for (const n of readdirSync(FIX_FIXTURES)) {
    const code = n.split('.')[0];
    assert.ok(code === 'fix-all' || ruleInfo(code), `test/fixtures/fixes/${n}: no registered rule has the code ${code}`);
  }
});

for (const info of ruleRegistry) {
  describe(`rule ${info.code}`, () => {
    test('has its docs page', () => {
      assert.ok(existsSync(join(root, info.docs)), `${info.code}: write ${info.docs} (what it reports, why it matters, the fix, an example)`);
    });
    const why = exempt(info);
    if (why) {
      test('fixtures', { skip: `${info.code}: ${why}` }, () => {});
      return;
    }
    const { bad, good } = fixturesOf(info.code);
    const dir = `test/fixtures/rules/${info.code}`;
    test('has a bad and a good fixture', () => {
      assert.ok(bad.length > 0, `${info.code}: add ${dir}/bad.conf (or bad-<name>.conf, or a folder bad/) with every finding marked by a "#   ^^^ ${info.code}" line below it`);
      assert.ok(good.length > 0, `${info.code}: add ${dir}/good.conf (or good-<name>.conf, or a folder good/) that gives no ${info.code} finding`);
    });
    let hasFixes = false;
    for (const fx of bad) {
      test(`${fx.name}: exactly the marked findings`, () => {
        const { marks, problems } = expectedMarks(fx);
        assert.deepEqual(problems, [], `${rel(fx.path)}: malformed markers`);
        assert.ok(marks.some((m) => m.code === info.code), `${rel(fx.path)}: no finding of ${info.code} is marked (a "#   ^^^ ${info.code}" line under the line that holds it)`);
        const codes = new Set([info.code, ...marks.map((m) => m.code)]);
        const findings = analyse(fx);
        const actual = actualMarks(fx, codes, findings);
        const messages = new Map<string, string>();
        for (const [file, list] of findings) {
          for (const f of list) {
            if (!codes.has(f.code)) continue;
            const key = markKey(actualMarks({ ...fx, files: new Map([[file, fx.files.get(file)!]]) }, new Set([f.code]), new Map([[file, [f]]]))[0]);
            messages.set(key, f.message);
            if (f.code === info.code && f.fixes && f.fixes().length) hasFixes = true;
          }
        }
        const d = diff(marks, actual, messages);
        assert.deepEqual(d, [], `${rel(fx.path)}: the findings differ from the markers:\n${d.join('\n')}`);
      });
    }
    for (const fx of good) {
      test(`${fx.name}: no ${info.code} finding`, () => {
        const { marks } = expectedMarks(fx);
        assert.deepEqual(marks.filter((m) => m.code === info.code).map(markKey), [], `${rel(fx.path)}: a good fixture marks no ${info.code} finding`);
        const actual = actualMarks(fx, new Set([info.code]));
        assert.deepEqual(actual.map(markKey), [], `${rel(fx.path)}: ${info.code} reported on a good fixture`);
      });
    }
    const cases = fixCasesOf(info.code);
    test('a rule with fixes has a before/after fixture for them', () => {
      // decided on the bad fixtures' findings (run by the tests above, in order)
      if (!hasFixes && !cases.length) return;
      assert.ok(cases.length > 0, `${info.code} offers fixes: add test/fixtures/fixes/${info.code}/before.conf and after.conf (applying its preferred fix to before gives after)`);
    });
    for (const name of cases) {
      test(`fix ${name}: before → after`, () => {
        const c = readFixCase(name);
        assert.ok(c.before, `test/fixtures/fixes/${name}: no before.conf (or before/)`);
        assert.ok(c.after, `test/fixtures/fixes/${name}: no after.conf (or after/)`);
        const found = [...analyse(c.before, c.settings, true).values()].flat().filter((f) => f.code === info.code && f.fixes?.().length);
        assert.ok(found.length > 0, `test/fixtures/fixes/${name}/before: no ${info.code} finding with a fix`);
        const { files } = applyFixes(c.before, info.code, c.settings);
        for (const [file, text] of c.after.files) {
          assert.equal(files.get(file), text, `test/fixtures/fixes/${name}: applying the ${info.code} fixes to before/${file} does not give after/${file}`);
        }
        for (const [file, text] of files) {
          if (!c.after.files.has(file)) assert.equal(text, c.before.files.get(file), `test/fixtures/fixes/${name}: the fix changed ${file}, which after/ does not hold`);
        }
      });
    }
  });
}

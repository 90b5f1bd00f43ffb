/**
 * The security rules against their fixtures (test/fixtures/rules/<code>/, caret-marker format):
 * every finding of <code> in a bad*.conf is marked by a comment line right below its line, `#`
 * then carets under its exact columns then the code, and there is no other; good*.conf files get
 * none. Fixes (test/fixtures/fixes/<code>[.<variant>]/before.conf → after.conf): the preferred (or
 * only) fix of each <code> finding is applied through the language service's code actions until
 * none is left; the result must equal after.conf, re-analyse without the finding and pass real
 * `nginx -t` when nginx is here. UPDATE_FIXTURES=1 writes the after files (review the diff).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { securityRules } from '../../server/src/service/analysis/rules/security/index';
import { allRules } from '../../server/src/service/analysis/rules/index';
import { firstSentence, FIRST_SENTENCE_MAX } from '../../server/src/service/analysis/message';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { positionAt } from '../../server/src/service/syntax/positions';
import { nginxTest, nginxUnavailable } from '../e2e/nginx';

const ROOT = join(__dirname, '..', 'fixtures');
const RULES = join(ROOT, 'rules');
const FIXES = join(ROOT, 'fixes');
const UPDATE = process.env.UPDATE_FIXTURES === '1';
const NO_NGINX = nginxUnavailable();
const URI = 'file:///fixture/nginx.conf';

interface Mark { line: number; start: number; end: number }

/** The expected findings of `code`: caret lines point at the nearest non-marker line above. */
export function caretMarks(text: string, code: string): Mark[] {
  const lines = text.split('\n');
  const out: Mark[] = [];
  let target = -1;
  lines.forEach((l, i) => {
    const m = /^(\s*#\s*)(\^+)\s+([a-z0-9-]+)\s*$/.exec(l);
    if (!m) { target = i; return; }
    if (m[3] !== code || target < 0) return;
    out.push({ line: target, start: m[1].length, end: m[1].length + m[2].length });
  });
  return out;
}

function analyse(text: string) {
  const ls = getLanguageService({ settings: resolveSettings({}) });
  const src = ls.openDocument(URI, text);
  return { ls, src, list: ls.findingsFor(URI) };
}

function got(text: string, code: string): Mark[] {
  const { src, list } = analyse(text);
  const lines = text.split('\n');
  return list.filter((f) => f.code === code).map((f) => {
    const s = positionAt(src.file, f.start);
    const e = positionAt(src.file, f.end);
    return { line: s.line, start: s.character, end: e.line === s.line ? e.character : lines[s.line].length };
  });
}

const sortMarks = (l: Mark[]) => [...l].sort((a, b) => a.line - b.line || a.start - b.start || a.end - b.end);

test('the security family: nine rules, each with its code, description, page and fixtures', () => {
  assert.deepEqual(securityRules.map((r) => r.code).sort(), [
    'add-header-dropped', 'alias-traversal', 'allow-without-deny', 'host-spoofing', 'http-splitting',
    'resolver-missing', 'return-bypasses-access', 'ssrf-proxy-pass', 'status-exposed',
  ]);
  for (const r of securityRules) {
    assert.equal(r.family, 'security', r.code);
    assert.ok(allRules.includes(r), `${r.code} is not registered`);
    assert.ok(existsSync(join(__dirname, '..', '..', 'docs', 'rules', `${r.code}.md`)), `docs/rules/${r.code}.md is missing`);
    assert.ok(existsSync(join(RULES, r.code, 'bad.conf')) && existsSync(join(RULES, r.code, 'good.conf')), `${r.code} fixtures`);
  }
});

for (const rule of securityRules) {
  describe(rule.code, () => {
    const files = readdirSync(join(RULES, rule.code)).filter((f) => f.endsWith('.conf')).sort();
    for (const f of files) {
      const text = readFileSync(join(RULES, rule.code, f), 'utf8');
      if (f.startsWith('bad')) {
        test(`${f}: exactly the marked findings`, () => {
          const expected = sortMarks(caretMarks(text, rule.code));
          assert.ok(expected.length > 0, `${f} marks nothing`);
          assert.deepEqual(sortMarks(got(text, rule.code)), expected);
          for (const x of analyse(text).list.filter((x) => x.code === rule.code)) {
            assert.ok(firstSentence(x.message).length <= FIRST_SENTENCE_MAX, x.message);
          }
        });
      } else {
        test(`${f}: no finding`, () => {
          assert.deepEqual(got(text, rule.code), []);
        });
      }
    }
  });
}

/** Applies the preferred (else the only) quick-fix of each `code` finding, one at a time, through code actions. */
function applyFixes(text: string, code: string): { text: string; applied: number } {
  let applied = 0;
  for (let round = 0; round < 10; round++) {
    const { ls, src, list } = analyse(text);
    const f = list.find((x) => x.code === code && x.fixes);
    if (!f) break;
    const diag = ls.validate(URI).find((d) => d.code === code && d.range.start.line === positionAt(src.file, f.start).line && d.range.start.character === positionAt(src.file, f.start).character);
    assert.ok(diag, 'the finding has a diagnostic');
    const actions = ls.codeActions(URI, diag.range, [diag], ['quickfix']).filter((a) => a.diagnostics?.[0]?.code === code);
    const action = actions.find((a) => a.isPreferred) ?? (actions.length === 1 ? actions[0] : undefined);
    if (!action) break;
    const edits = action.edit?.changes?.[URI] ?? [];
    assert.ok(edits.length > 0, `${action.title}: no edit`);
    text = TextDocument.applyEdits(TextDocument.create(URI, 'nginx', 1, text), edits);
    applied++;
  }
  return { text, applied };
}

describe('security quick-fixes (before.conf → after.conf)', () => {
  const codes = new Set(securityRules.map((r) => r.code));
  for (const dir of readdirSync(FIXES).filter((d) => codes.has(d.split('.')[0])).sort()) {
    const code = dir.split('.')[0];
    test(dir, () => {
      const before = readFileSync(join(FIXES, dir, 'before.conf'), 'utf8');
      const { text, applied } = applyFixes(before, code);
      assert.ok(applied > 0, 'no fix was applied');
      const afterPath = join(FIXES, dir, 'after.conf');
      if (UPDATE) writeFileSync(afterPath, text);
      assert.equal(text, readFileSync(afterPath, 'utf8'));
      assert.deepEqual(analyse(text).list.filter((x) => x.code === code).map((x) => x.message), [], 'the fix leaves the finding');
      assert.equal(applyFixes(text, code).applied, 0, 'a second application changes nothing');
      if (!NO_NGINX && !/# nginx: version=1\.(29|3)/.test(text)) {
        const r = nginxTest(text);
        assert.ok(r.ok, r.output);
      }
    });
  }
});

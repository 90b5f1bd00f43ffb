/**
 * The security family beyond the generic fixture harness (test/unit/rule-fixtures.test.ts, which
 * checks the bad/good fixtures and before/after pairs of every rule): the rules are registered
 * with their pages; each fix pair (test/fixtures/fixes/<code>[.<variant>]/) is replayed through the
 * language service's code actions (the WorkspaceEdit an editor applies) until no finding is left,
 * must equal after.conf, be idempotent, and pass real `nginx -t` when nginx is here.
 * UPDATE_FIXTURES=1 writes the after files (review the diff).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { securityRules } from '../../server/src/service/analysis/rules/security/index';
import { ruleInfo } from '../../server/src/service/analysis/registry';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { positionAt } from '../../server/src/service/syntax/positions';
import { spawnSync } from 'node:child_process';
import { makePrefix, nginxTest, nginxUnavailable, removePrefix } from '../e2e/nginx';

const ROOT = join(__dirname, '..', 'fixtures');
const RULES = join(ROOT, 'rules');
const FIXES = join(ROOT, 'fixes');
const UPDATE = process.env.UPDATE_FIXTURES === '1';
const NO_NGINX = nginxUnavailable();
const URI = 'file:///fixture/nginx.conf';

function analyse(text: string) {
  const ls = getLanguageService({ settings: resolveSettings({}) });
  const src = ls.openDocument(URI, text);
  return { ls, src, list: ls.findingsFor(URI) };
}

test('the security family: every rule of issue #16 parts A and B, each registered, with its page and fixtures', () => {
  assert.deepEqual(securityRules.map((r) => r.code).sort(), [
    'add-header-always', 'add-header-dropped', 'alias-traversal', 'allow-without-deny', 'cve-advisory', 'host-spoofing', 'hostname-resolved-once',
    'hsts-missing', 'http-splitting', 'proxy-pass-normalized', 'regex-capture-missing', 'regex-redos', 'regex-unanchored', 'resolver-external', 'resolver-missing', 'return-bypasses-access',
    'ssl-stapling-resolver', 'ssrf-proxy-pass', 'status-exposed', 'valid-referers-none', 'weak-tls',
  ]);
  for (const r of securityRules) {
    assert.equal(r.family, 'security', r.code);
    assert.equal(ruleInfo(r.code)?.family, 'security', `${r.code} is not in the registry`);
    assert.ok(existsSync(join(__dirname, '..', '..', 'docs', 'rules', `${r.code}.md`)), `docs/rules/${r.code}.md is missing`);
    assert.ok(existsSync(join(RULES, r.code, 'bad.conf')) && existsSync(join(RULES, r.code, 'good.conf')), `${r.code} fixtures`);
  }
});

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

/**
 * `nginx -t` of a pair; an https pair names `ssl_certificate fixture.crt` (relative to the conf
 * folder), for which a throw-away self-signed certificate is made with openssl.
 */
function nginxTestWithCert(text: string): { ok: boolean; output: string } {
  if (!text.includes('fixture.crt')) return nginxTest(text);
  const p = makePrefix('cert');
  try {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-keyout', join(p, 'conf', 'fixture.key'), '-out', join(p, 'conf', 'fixture.crt')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `openssl: ${r.stderr}`);
    return nginxTest(text, 'nginx.conf', p);
  } finally {
    removePrefix(p);
  }
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
        const r = nginxTestWithCert(text);
        assert.ok(r.ok, r.output);
      }
    });
  }
});

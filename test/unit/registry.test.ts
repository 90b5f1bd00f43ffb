/**
 * The rule registry (server/src/service/analysis/registry.ts) is the one list of rules: the
 * settings schema in package.json, docs/rules/README.md and `nginx-lint --list-rules` come from it,
 * and these tests fail on any difference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configRules, fixAllRules, ruleInfo, ruleRegistry } from '../../server/src/service/analysis/registry';
import { packageJsonWithRules, rulesIndexMarkdown } from '../../scripts/lib/rule-tables';

const root = join(__dirname, '..', '..');
const FAMILIES = ['structure', 'versions', 'workspace', 'websocket', 'headers', 'templates', 'security', 'practice', 'routing'];
const REGEN = 'run `node --import tsx scripts/gen-rules.ts` and commit the result';

test('registry: one entry per code, each with a known family, a severity, a description and an existing docs page', () => {
  const seen = new Set<string>();
  for (const r of ruleRegistry) {
    assert.ok(!seen.has(r.code), `${r.code} registered twice`);
    seen.add(r.code);
    assert.match(r.code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${r.code}: codes are kebab-case`);
    assert.ok(FAMILIES.includes(r.family), `${r.code}: unknown family ${r.family}`);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(r.defaultSeverity), `${r.code}: severity ${r.defaultSeverity}`);
    assert.ok(r.description.length > 10 && !r.description.includes('\n'), `${r.code}: a one-line description`);
    assert.ok(existsSync(join(root, r.docs)), `${r.code}: no docs page ${r.docs}`);
    assert.equal(ruleInfo(r.code), r);
  }
  // every rule object that validation runs is in the registry under its own code
  for (const rule of configRules) assert.ok(ruleInfo(rule.code)?.rules.includes(rule), `${rule.code} is not registered`);
  for (const rule of fixAllRules()) assert.ok(ruleInfo(rule.code)?.fixAll, `${rule.code}`);
});

test('registry: every docs/rules page belongs to a registered code (no orphan pages)', () => {
  const pages = readdirSync(join(root, 'docs', 'rules')).filter((n) => n.endsWith('.md') && n !== 'README.md');
  for (const page of pages) assert.ok(ruleInfo(page.replace(/\.md$/, '')), `docs/rules/${page} documents no registered code`);
});

test('package.json nginx.rules schema is the one the registry generates', () => {
  const text = readFileSync(join(root, 'package.json'), 'utf8');
  assert.equal(text, packageJsonWithRules(text), `package.json nginx.rules differs from the registry: ${REGEN}`);
  const pkg = JSON.parse(text);
  const props = pkg.contributes.configuration.properties['nginx.rules'].properties;
  assert.deepEqual(Object.keys(props), ruleRegistry.map((r) => r.code));
});

test('docs/rules/README.md is the index the registry generates', () => {
  const text = readFileSync(join(root, 'docs', 'rules', 'README.md'), 'utf8');
  assert.equal(text, rulesIndexMarkdown(), `docs/rules/README.md differs from the registry: ${REGEN}`);
  for (const r of ruleRegistry) assert.ok(text.includes(`[\`${r.code}\`]`), r.code);
});

test('nginx-lint --list-rules prints every code with its family and default severity', () => {
  const cli = join(root, 'server', 'src', 'cli.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', cli, '--list-rules'], { encoding: 'utf8' });
  const rows = out.trimEnd().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(rows.map((r) => r[0]), ruleRegistry.map((r) => r.code));
  for (const [code, family, severity, fixAll] of rows) {
    const info = ruleInfo(code)!;
    assert.equal(family, info.family, code);
    assert.equal(severity, info.defaultSeverity, code);
    assert.equal(fixAll, info.fixAll ? 'fix-all' : '-', code);
  }
  const json = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', cli, '--list-rules', '--format', 'json'], { encoding: 'utf8' }));
  assert.deepEqual(json.map((r: { code: string }) => r.code), ruleRegistry.map((r) => r.code));
});

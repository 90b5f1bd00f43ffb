/**
 * Writes what the rule registry generates: the `nginx.rules` settings schema in package.json and
 * docs/rules/README.md. Run after adding or changing a rule:
 *
 *   node --import tsx scripts/gen-rules.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageJsonWithRules, rulesIndexMarkdown } from './lib/rule-tables';

const root = join(__dirname, '..');
const pkgPath = join(root, 'package.json');
writeFileSync(pkgPath, packageJsonWithRules(readFileSync(pkgPath, 'utf8')));
writeFileSync(join(root, 'docs', 'rules', 'README.md'), rulesIndexMarkdown());
process.stdout.write('package.json (nginx.rules) and docs/rules/README.md written\n');

/**
 * The rule registry: every code the product reports, with its family, default severity, one-line
 * description, docs page and fix-all membership. Everything that lists rules is derived from it:
 * validation (`configRules`), the `nginx.rules` settings schema in package.json and the index in
 * docs/rules/README.md (scripts/gen-rules.ts writes both; test/unit/registry.test.ts fails when they
 * differ), `nginx-lint --list-rules`, "Fix all" (`fixAllRules`) and the generic fixture harness
 * (test/unit/rule-fixtures.test.ts).
 *
 * A new rule is registered in its family's index.ts (analysis/rules/<family>/index.ts), which
 * rules/index.ts gathers; nothing else needs editing.
 */
import type { SeverityName } from '../settings';
import { INPUT_LIMIT } from '../syntax/parser';
import { allRules } from './rules/index';
import { templateRules } from './rules/templates/index';
import type { TemplateRule } from './rules/templates/types';
import type { Rule, RuleFamily } from './types';

/** What runs a code: a rule over the configuration, a template rule, the parser, the input guard. */
export type Producer = 'rule' | 'template' | 'parser' | 'input';

export interface RuleInfo {
  code: string;
  family: RuleFamily;
  defaultSeverity: SeverityName;
  description: string;
  /** page relative to the repository root */
  docs: string;
  /** member of "Fix all issues" */
  fixAll: boolean;
  /** the producers of the code, e.g. `input-limit` comes from the parser and from a workspace rule */
  producers: Producer[];
  /** the rule objects reporting the code (none for parser and input codes) */
  rules: (Rule | TemplateRule)[];
}

/** The rules run by validateFile over a configuration view, in reporting (and fix-all) order. */
export const configRules: readonly Rule[] = allRules;

/** Codes reported without a rule object: by the parser and by the input guard (binary, BOM, size). */
const BUILT_IN: readonly (Omit<RuleInfo, 'docs' | 'fixAll' | 'rules'>)[] = [
  {
    code: 'syntax-error', family: 'structure', defaultSeverity: 'error', producers: ['parser'],
    description: 'Unbalanced braces, a missing ";", an unterminated quote: what nginx rejects before reading any directive.',
  },
  {
    code: 'input-invalid', family: 'structure', defaultSeverity: 'error', producers: ['input'],
    description: 'A file that is not text nginx can read: binary, not UTF-8, larger than 10 MB, or starting with a byte order mark.',
  },
];

function build(): RuleInfo[] {
  const byCode = new Map<string, RuleInfo>();
  const out: RuleInfo[] = [];
  const add = (r: Omit<RuleInfo, 'docs' | 'fixAll' | 'rules' | 'producers'> & { docs?: string; fixAll?: boolean }, rule: Rule | TemplateRule | null, producer: Producer) => {
    let info = byCode.get(r.code);
    if (!info) {
      info = {
        code: r.code, family: r.family, defaultSeverity: r.defaultSeverity, description: r.description,
        docs: r.docs ?? `docs/rules/${r.code}.md`, fixAll: r.fixAll ?? false, producers: [], rules: [],
      };
      byCode.set(r.code, info);
      out.push(info);
    }
    if (!info.producers.includes(producer)) info.producers.push(producer);
    if (rule) info.rules.push(rule);
    if (r.fixAll) info.fixAll = true;
  };
  for (const b of BUILT_IN) add(b, null, b.producers[0]);
  for (const r of allRules) add(r, r, 'rule');
  for (const r of templateRules) add(r, r, 'template');
  // the parser reports its own limits (nesting depth, error count) under the include-depth rule's code
  byCode.get(INPUT_LIMIT)?.producers.unshift('parser');
  return out;
}

/** Every code, built-in codes first, then rules in registry order (one entry per code). */
export const ruleRegistry: readonly RuleInfo[] = build();

const index = new Map(ruleRegistry.map((r) => [r.code, r]));

export function ruleInfo(code: string): RuleInfo | null {
  return index.get(code) ?? null;
}

/** The rules "Fix all issues" applies, optionally of one family, in registry order (the order fixes apply in). */
export function fixAllRules(family?: RuleFamily): Rule[] {
  return allRules.filter((r) => r.fixAll && (!family || r.family === family));
}

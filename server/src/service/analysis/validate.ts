/**
 * Runs the rules over one file seen through one or more configuration views, applies the user's
 * severities and the inline `# nginx-disable-next-line <code>…` / `# nginx-disable-line` comments, and
 * returns findings (offsets into the analysed file).
 */
import type { Settings, SeverityName } from '../settings';
import type { ParsedFile } from '../syntax/tree';
import { TokenKind } from '../syntax/tree';
import { positionAt } from '../syntax/positions';
import type { ConfigView, Finding, Rule, RuleContext } from './types';

export interface ResolvedFinding extends Finding {
  severity: SeverityName;
}

export const SYNTAX_ERROR = 'syntax-error';

export function validateFile(file: ParsedFile, views: ConfigView[], settings: Settings, rules: readonly Rule[]): ResolvedFinding[] {
  const out = parserFindings(file, settings);
  // the same finding can come through two include sites; with one view there is nothing to merge
  const seen = views.length > 1 ? new Set<string>(out.map(findingKey)) : null;
  for (const view of views) for (const bucket of ruleFindings(view, settings, rules, seen)) for (const f of bucket) out.push(f);
  return withoutDisabled(file, out);
}

/**
 * The finding as the language service keeps it, built as one literal of fixed shape: a large file
 * yields thousands of findings, and copying the reported object (`{...f}`) and then adding a key
 * costs several times more than building it directly.
 */
function resolve(settings: Settings, f: Omit<Finding, 'code'> & { code?: string }, code: string, def: SeverityName): ResolvedFinding | null {
  const configured = settings.rules[code];
  if (configured === 'off') return null;
  return {
    code, message: f.message, start: f.start, end: f.end, severity: configured ?? f.severity ?? def,
    fixes: f.fixes, related: f.related, unnecessary: f.unnecessary, deprecated: f.deprecated, group: f.group,
  };
}

const findingKey = (f: ResolvedFinding) => `${f.code}:${f.start}:${f.end}:${f.message}`;

/** The parser's errors as findings. */
export function parserFindings(file: ParsedFile, settings: Settings): ResolvedFinding[] {
  const out: ResolvedFinding[] = [];
  for (const e of file.errors) {
    // a limit of this tool (nesting depth, error cap) is a warning of its own code, not nginx's error
    const f = resolve(settings, { message: e.message, start: e.start, end: e.end }, e.code ?? SYNTAX_ERROR, e.code ? 'warning' : 'error');
    if (f) out.push(f);
  }
  return out;
}

/**
 * Each rule's findings over one view (one list per rule, in the order of `rules`), before the inline
 * disable comments apply. `seen` (several views) keeps a finding that comes through a second include
 * site out.
 */
export function ruleFindings(view: ConfigView, settings: Settings, rules: readonly Rule[], seen: Set<string> | null = null, focus?: RuleContext['focus']): ResolvedFinding[][] {
  const buckets: ResolvedFinding[][] = rules.map(() => []);
  {
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (settings.rules[rule.code] === 'off') continue;
      const bucket = buckets[i];
      const add = (f: ResolvedFinding | null) => {
        if (!f) return;
        if (seen) {
          const key = findingKey(f);
          if (seen.has(key)) return;
          seen.add(key);
        }
        bucket.push(f);
      };
      try {
        rule.check({
          source: view.source,
          view,
          settings,
          report: (f) => add(resolve(settings, f, f.code ?? rule.code, rule.defaultSeverity)),
          focus,
        });
      } catch (err) {
        // a broken rule must not take the others (or the server) down; surface it as a finding
        add(resolve(settings, { message: `internal error in rule ${rule.code}: ${(err as Error)?.message ?? err}`, start: 0, end: 0, severity: 'hint' }, rule.code, 'hint'));
      }
    }
  }
  return buckets;
}

/** Drops the findings that `# nginx-disable-next-line` / `# nginx-disable-line` comments turn off. */
export function withoutDisabled(file: ParsedFile, out: ResolvedFinding[]): ResolvedFinding[] {
  const disabled = disabledLines(file);
  if (disabled.size === 0) return out;
  const off = (offset: number, code: string) => {
    const codes = disabled.get(positionAt(file, offset).line);
    return !!codes && (codes.has('*') || codes.has(code));
  };
  // a finding of a group is shown on its block's opening line (analysis/group.ts): a comment that
  // disables its code there disables it too, wherever in the block it is
  return out.filter((f) => !off(f.start, f.code) && !(f.group && off(f.group.start, f.code)));
}

/** line → codes disabled on it, from `# nginx-disable-next-line a b` and `# nginx-disable-line a` comments. */
export function disabledLines(file: ParsedFile): Map<number, Set<string>> {
  const map = new Map<number, Set<string>>();
  const { text, tokenKinds, tokenStarts, tokenCount } = file;
  if (text.indexOf('nginx-disable') < 0) return map;
  for (let i = 0; i < tokenCount; i++) {
    if (tokenKinds[i] !== TokenKind.Comment) continue;
    const c = text.slice(tokenStarts[i], tokenStarts[i + 1]);
    const m = /^#\s*nginx-disable-(next-line|line)\b(.*)$/.exec(c);
    if (!m) continue;
    const line = positionAt(file, tokenStarts[i]).line + (m[1] === 'next-line' ? 1 : 0);
    const codes = m[2].split(/[\s,]+/).filter(Boolean);
    const set = map.get(line) ?? new Set<string>();
    if (codes.length === 0) set.add('*');
    for (const c2 of codes) set.add(c2);
    map.set(line, set);
  }
  return map;
}

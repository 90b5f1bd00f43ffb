/**
 * Runs the rules over one file seen through one or more configuration views, applies the user's
 * severities and the inline `# nginx-disable-next-line <code>…` / `# nginx-disable-line` comments, and
 * returns findings (offsets into the analysed file).
 */
import type { Settings, SeverityName } from '../settings';
import type { ParsedFile } from '../syntax/tree';
import { TokenKind } from '../syntax/tree';
import { positionAt } from '../syntax/positions';
import type { ConfigView, Finding, Rule } from './types';

export interface ResolvedFinding extends Finding {
  severity: SeverityName;
}

export const SYNTAX_ERROR = 'syntax-error';

export function validateFile(file: ParsedFile, views: ConfigView[], settings: Settings, rules: readonly Rule[]): ResolvedFinding[] {
  const out: ResolvedFinding[] = [];
  // the same finding can come through two include sites; with one view there is nothing to merge
  const seen = views.length > 1 ? new Set<string>() : null;
  const add = (f: ResolvedFinding) => {
    if (seen) {
      const key = `${f.code}:${f.start}:${f.end}:${f.message}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    out.push(f);
  };
  /**
   * The finding as the language service keeps it, built as one literal of fixed shape: a large file
   * yields thousands of findings, and copying the reported object (`{...f}`) and then adding a key
   * costs several times more than building it directly.
   */
  const resolve = (f: Omit<Finding, 'code'> & { code?: string }, code: string, def: SeverityName): ResolvedFinding | null => {
    const configured = settings.rules[code];
    if (configured === 'off') return null;
    return {
      code, message: f.message, start: f.start, end: f.end, severity: configured ?? f.severity ?? def,
      fixes: f.fixes, related: f.related, unnecessary: f.unnecessary, deprecated: f.deprecated, group: f.group,
    };
  };
  for (const e of file.errors) {
    // a limit of this tool (nesting depth, error cap) is a warning of its own code, not nginx's error
    const f = resolve({ message: e.message, start: e.start, end: e.end }, e.code ?? SYNTAX_ERROR, e.code ? 'warning' : 'error');
    if (f) add(f);
  }
  for (const view of views) {
    for (const rule of rules) {
      if (settings.rules[rule.code] === 'off') continue;
      try {
        rule.check({
          source: view.source,
          view,
          settings,
          report: (f) => {
            const r = resolve(f, f.code ?? rule.code, rule.defaultSeverity);
            if (r) add(r);
          },
        });
      } catch (err) {
        // a broken rule must not take the others (or the server) down; surface it as a finding
        const f = resolve({ message: `internal error in rule ${rule.code}: ${(err as Error)?.message ?? err}`, start: 0, end: 0, severity: 'hint' }, rule.code, 'hint');
        if (f) add(f);
      }
    }
  }
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

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

export function validateFile(file: ParsedFile, views: ConfigView[], settings: Settings, rules: Rule[]): ResolvedFinding[] {
  const out: ResolvedFinding[] = [];
  // the same finding can come through two include sites; with one view there is nothing to merge
  const seen = views.length > 1 ? new Set<string>() : null;
  const add = (f: Finding, def: SeverityName) => {
    if (seen) {
      const key = `${f.code}:${f.start}:${f.end}:${f.message}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    const configured = settings.rules[f.code];
    if (configured === 'off') return;
    // `f` is a fresh object made by the reporting wrapper below: complete it in place
    (f as ResolvedFinding).severity = configured ?? f.severity ?? def;
    out.push(f as ResolvedFinding);
  };
  for (const e of file.errors) {
    add({ code: SYNTAX_ERROR, message: e.message, start: e.start, end: e.end }, 'error');
  }
  for (const view of views) {
    for (const rule of rules) {
      if (settings.rules[rule.code] === 'off') continue;
      try {
        rule.check({
          source: view.source,
          view,
          settings,
          report: (f) => add({ ...f, code: f.code ?? rule.code }, rule.defaultSeverity),
        });
      } catch (err) {
        // a broken rule must not take the others (or the server) down; surface it as a finding
        add({ code: rule.code, message: `internal error in rule ${rule.code}: ${(err as Error)?.message ?? err}`, start: 0, end: 0, severity: 'hint' }, 'hint');
      }
    }
  }
  const disabled = disabledLines(file);
  if (disabled.size === 0) return out;
  return out.filter((f) => {
    const line = positionAt(file, f.start).line;
    const codes = disabled.get(line);
    return !(codes && (codes.has('*') || codes.has(f.code)));
  });
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

/**
 * Validation of a template: the nginx rules run on the rendered text, their findings are mapped
 * back onto the template, and the template rules run on the template itself.
 *
 * Without known values (the editor), the template is rendered several times with stand-in values
 * (template.ts sampleValues) and a finding is kept only when every render reports it at the same
 * template range: whatever a placeholder may hold, it is never the reason for a finding, while a
 * mistake next to it (`listen ${PORT}x`, a typo in a directive name) is reported as usual. With
 * exact values (`nginx-lint --env`), the one render is what envsubst would print.
 */
import type { Fix, Rule, SourceFile } from '../analysis/types';
import { disabledLines, validateFile, type ResolvedFinding } from '../analysis/validate';
import { SingleFileView } from '../analysis/view';
import { templateRules } from '../analysis/rules/templates/index';
import type { Settings } from '../settings';
import { parse } from '../syntax/parser';
import { positionAt } from '../syntax/positions';
import { substitutes } from './env';
import { knownValue, render, sampleRenders, toTemplate, touchesReplacement, type Rendered, type TemplateFile } from './template';

export interface TemplateValidation {
  findings: ResolvedFinding[];
  /** the renders analysed (the first is the one shown by "render template") */
  renders: Rendered[];
}

/** The text envsubst would print with the template's exact values (placeholders without one stay as written). */
export function renderExact(t: TemplateFile, text: string): Rendered {
  // (a name the filter leaves out is not substituted even when the workspace defines it)
  return render(text, t.placeholders, (p) => (t.exact || substitutes(t.env, p.name) ? knownValue(t.env, p.name) : null));
}

function mapFinding(f: ResolvedFinding, r: Rendered, rendered: SourceFile, template: SourceFile, exact: boolean): ResolvedFinding {
  const start = toTemplate(r, f.start, false);
  const end = Math.max(start, toTemplate(r, f.end, true));
  let message = f.message;
  if (touchesReplacement(r, f.start, f.end) && f.end > f.start) {
    // the message quotes the rendered word: quote the template's instead
    const was = rendered.file.text.slice(f.start, f.end);
    const is = template.file.text.slice(start, end);
    // (stand-in values mean nothing to the user; real ones do, so they stay, with the template's text)
    if (exact) message += ` (rendered from "${is}")`;
    else if (was && message.includes(was)) message = message.split(was).join(is);
  }
  const fixes = f.fixes;
  return {
    ...f,
    start,
    end,
    message,
    related: f.related?.map((x) => (x.source === rendered ? { ...x, source: template, start: toTemplate(r, x.start, false), end: toTemplate(r, x.end, true) } : x)),
    group: f.group && { ...f.group, start: toTemplate(r, f.group.start, false), end: Math.max(toTemplate(r, f.group.start, false), toTemplate(r, f.group.end, true)) },
    fixes: fixes && (() => mapFixes(fixes(), r, rendered, template)),
  };
}

/** Fixes whose edits avoid the placeholders, moved onto the template (a fix that would edit a placeholder's text is dropped). */
function mapFixes(fixes: Fix[], r: Rendered, rendered: SourceFile, template: SourceFile): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    let ok = true;
    const edits = fix.edits.map((e) => {
      if (e.source !== rendered) return e;
      if (touchesReplacement(r, e.start, e.end)) ok = false;
      return { ...e, source: template, start: toTemplate(r, e.start, false), end: toTemplate(r, e.end, true) };
    });
    if (ok) out.push({ ...fix, edits });
  }
  return out;
}

const key = (f: ResolvedFinding) => `${f.code}\u0000${f.start}\u0000${f.end}`;

export function validateTemplate(
  t: TemplateFile,
  source: SourceFile,
  settings: Settings,
  rules: readonly Rule[],
  sourceOfPath: (path: string) => SourceFile | null,
): TemplateValidation {
  const text = source.file.text;
  const valueSets = t.exact ? [(p: { name: string }) => knownValue(t.env, p.name)] : sampleRenders(t.placeholders);
  const renders: Rendered[] = [];
  let kept: ResolvedFinding[] | null = null;
  for (const valueOf of valueSets) {
    const r = render(text, t.placeholders, valueOf);
    renders.push(r);
    const rendered: SourceFile = { uri: source.uri, file: r.segments.length ? parse(r.text) : source.file };
    const view = new SingleFileView(rendered, t.outer);
    const list = validateFile(rendered.file, [view], settings, rules).map((f) => mapFinding(f, r, rendered, source, t.exact));
    if (kept === null) kept = list;
    else {
      const here = new Set(list.map(key));
      kept = kept.filter((f) => here.has(key(f)));
    }
  }
  // A finding on a word that is nothing but a placeholder (`ssl_protocols ${PROTOCOLS}`, an enum no
  // stand-in value is) is about the placeholder itself: whatever it will hold decides, not the template.
  const sole = new Set<string>();
  for (const p of t.placeholders) {
    sole.add(`${p.start}:${p.end}`);
    const q = text[p.start - 1];
    if ((q === '"' || q === "'") && text[p.end] === q) sole.add(`${p.start - 1}:${p.end + 1}`);
  }
  const findings = (kept ?? []).filter((f) => t.exact || f.code === 'syntax-error' || !sole.has(`${f.start}:${f.end}`));
  // the template's own rules, on the template's text
  const disabled = disabledLines(source.file);
  for (const rule of templateRules) {
    const configured = settings.rules[rule.code];
    if (configured === 'off') continue;
    try {
      rule.check({
        source,
        template: t,
        settings,
        sourceOfPath,
        report: (f) => {
          const codes = disabled.get(positionAt(source.file, f.start).line);
          if (codes && (codes.has('*') || codes.has(rule.code))) return;
          findings.push({ ...f, code: rule.code, severity: configured ?? f.severity ?? rule.defaultSeverity });
        },
      });
    } catch (err) {
      findings.push({ code: rule.code, message: `internal error in rule ${rule.code}: ${(err as Error)?.message ?? err}`, start: 0, end: 0, severity: 'hint' });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { findings, renders };
}

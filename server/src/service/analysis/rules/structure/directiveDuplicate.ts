/**
 * `directive-duplicate`: a directive nginx accepts once per level written twice on one level
 * (nginx: `"x" directive is duplicate`). Which directives: those whose handler answers "is duplicate"
 * (generated from the sources). Levels are seen with `include` expanded. Fix: remove the later one.
 */
import type { DirectiveSpec } from '../../../knowledge/directiveDb';
import type { Directive } from '../../../syntax/tree';
import type { Rule, SourceFile } from '../../types';
import { analyze, bestSpec, cachedLookup } from './analyze';

/** The text range to delete for a whole statement line (keeps the file tidy). */
export function statementRange(file: SourceFile['file'], d: Directive): { start: number; end: number } {
  const text = file.text;
  let start = d.start;
  let end = d.end;
  let ls = start;
  while (ls > 0 && (text[ls - 1] === ' ' || text[ls - 1] === '\t')) ls--;
  let le = end;
  while (le < text.length && (text[le] === ' ' || text[le] === '\t')) le++;
  if ((ls === 0 || text[ls - 1] === '\n') && (le >= text.length || text[le] === '\n' || text[le] === '\r')) {
    start = ls;
    end = le;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  }
  return { start, end };
}

export const directiveDuplicate: Rule = {
  code: 'directive-duplicate',
  defaultSeverity: 'error',
  description: 'A directive nginx accepts once per level is repeated on the same level (nginx: "is duplicate").',
  check(rc) {
    const a = analyze(rc);
    const { view, source, settings } = rc;
    const report = (d: Directive, first: Directive) => {
      const where = view.sourceOf(first);
      const { start, end } = statementRange(source.file, d);
      rc.report({
        message: `"${d.name}" directive is duplicate: nginx accepts it once per block`,
        start: d.nameWord.start,
        end: d.end,
        related: where ? [{ source: where, start: first.nameWord.start, end: first.end, message: 'first set here' }] : undefined,
        fixes: () => [{ title: `Remove the repeated "${d.name}"`, edits: [{ source, start, end, newText: '' }], isPreferred: true }],
      });
    };
    // levels holding an `include` are seen with it expanded (the repeat may come from another file)
    const withInclude = new Set<Directive | null>();
    for (const c of a.checked) if (c.d.name === 'include') withInclude.add(c.d.parent);
    // fast path: the analysis already knows each directive's spec; group by level and spec
    const seen = new Map<Directive | null, Map<DirectiveSpec, Directive>>();
    for (const c of a.checked) {
      if (!c.spec || !c.spec.duplicateError || withInclude.has(c.d.parent)) continue;
      let level = seen.get(c.d.parent);
      if (!level) { level = new Map(); seen.set(c.d.parent, level); }
      const first = level.get(c.spec);
      if (first) report(c.d, first);
      else level.set(c.spec, c.d);
    }
    for (const owner of withInclude) {
      const ctx = owner ? a.levels.find((l) => l.owner === owner)?.ctx : a.levels.find((l) => l.owner === null)?.ctx;
      if (ctx === undefined) continue;
      const list = owner ? view.expand(owner) : view.topScope().directives;
      const level = new Map<DirectiveSpec, Directive>();
      for (const d of list) {
        if (d.isEntry) continue;
        const info = cachedLookup(d.name, ctx, settings);
        if (info.status !== 'known') continue;
        const spec = bestSpec(info, ctx, d);
        if (!spec || !spec.duplicateError) continue;
        const first = level.get(spec);
        if (!first) { level.set(spec, d); continue; }
        if (view.sourceOf(d)?.uri !== source.uri) continue; // the other file reports it
        report(d, first);
      }
    }
  },
};

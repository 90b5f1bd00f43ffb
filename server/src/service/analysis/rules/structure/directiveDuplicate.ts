/**
 * `directive-duplicate`: a directive nginx accepts once per level written twice on one level
 * (nginx: `"x" directive is duplicate`). Which directives: those whose handler answers "is duplicate"
 * (generated from the sources). Levels are seen with `include` expanded. Fix: remove the later one.
 */
import { argsOk, type DirectiveSpec } from '../../../knowledge/directiveDb';
import type { Directive, Span } from '../../../syntax/tree';
import type { Rule, SourceFile } from '../../types';
import { analyze, bestSpec, cachedLookup } from './analyze';
import { DuplicateTracker } from './checks/duplicates';

/** directives that define a variable, and which argument names it (http modules) */
const FIRST_ARG = () => 0;
const VARIABLE_DEFINERS: ReadonlyMap<string, (n: number) => number> = new Map<string, (n: number) => number>([
  ['set', FIRST_ARG], ['auth_request_set', FIRST_ARG], ['perl_set', FIRST_ARG],
  ['map', () => 1], ['split_clients', () => 1], ['geo', (n: number) => (n === 2 ? 1 : 0)],
]);

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

/** names the duplicate tracker looks at */
const TRACKED: ReadonlySet<string> = new Set(['location', 'valid_referers', 'listen', ...VARIABLE_DEFINERS.keys()]);

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
    // repeats that handler code rejects: locations, listen sockets, built-in variables
    const tracker = new DuplicateTracker((at: Span, message: string, first: Directive | null) => {
      const where = first ? view.sourceOf(first) : null;
      rc.report({
        message, start: at.start, end: at.end,
        related: first && where ? [{ source: where, start: first.nameWord.start, end: first.end, message: 'first here' }] : undefined,
      });
    }, source.file.text);
    // one pass: levels holding an `include`, and the directives the tracker looks at
    const withInclude = new Set<Directive | null>();
    for (const c of a.checked) {
      const name = c.info.name; // a plain field (d.name is a getter)
      if (name === 'include') { withInclude.add(c.d.parent); continue; }
      const spec = c.spec;
      if (!spec || !TRACKED.has(name)) continue;
      if (spec.block !== (c.d.terminator === '{') || !argsOk(spec.args, c.d.argCount)) continue;
      if (name === 'location') { if (spec.module === 'ngx_http_core_module') tracker.location(c.d); }
      else if (name === 'valid_referers') tracker.validReferers(c.d);
      else if (name === 'listen') {
        if (spec.module === 'ngx_http_core_module') tracker.httpListen(c.d);
        else if (spec.module === 'ngx_stream_core_module') tracker.streamListen(c.d);
      } else {
        const which = VARIABLE_DEFINERS.get(name);
        if (which && spec.module.startsWith('ngx_http_')) {
          if (which === FIRST_ARG) { tracker.firstVariable(c.d, name); continue; }
          const w = c.d.args[which(c.d.args.length)];
          if (w) tracker.variable(c.d, w);
        }
      }
    }
    // levels holding an `include` are seen with it expanded (the repeat may come from another file)
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

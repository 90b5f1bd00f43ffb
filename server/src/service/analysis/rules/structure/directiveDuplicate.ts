/**
 * `directive-duplicate`: a directive nginx accepts once per level written twice on one level
 * (nginx: `"x" directive is duplicate`). Which directives: those whose handler answers "is duplicate"
 * (generated from the sources). Levels are seen with `include` expanded. Fix: remove the later one.
 */
import { acrossNamed } from '../../incremental';
import { argsOk, type DirectiveSpec } from '../../../knowledge/directiveDb';
import type { Directive, Span } from '../../../syntax/tree';
import type { Rule, SourceFile } from '../../types';
import { analyze, levelContext, specAt } from './analyze';
import { DuplicateTracker } from './checks/duplicates';
import { paramIn } from '../../../knowledge/versions';
import { isWithin } from '../../../syntax/query';

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

/**
 * The first directive of each spec on every open level, for directives met in document order
 * (each level's directives in order, a nested block's between them). One map from spec to the
 * first directive on the innermost open level that has one; when a level closes, what it
 * changed is undone. A large file has thousands of levels: a map per level would be thousands of
 * objects that all live until the end of the pass. The map is never shrunk (a closed level's
 * entry goes back to null) and the stacks keep their length, so the pass allocates next to
 * nothing: deleting from a Map or shortening an array would make them reallocate over and over.
 */
class FirstPerLevel {
  private readonly first = new Map<DirectiveSpec, Directive | null>();
  /** levels open around the current directive, outermost (the file's top level) first; `depth` of them */
  private readonly owners: (Directive | null)[] = [null];
  /** per open level: where its entries start in the undo log */
  private readonly marks: number[] = [0];
  private depth = 1;
  /** undo log (`undoLen` entries): a spec, and what `first` held for it before */
  private readonly undoSpec: DirectiveSpec[] = [];
  private readonly undoPrev: (Directive | null)[] = [];
  private undoLen = 0;

  /** The first directive of `spec` on `d`'s level before `d`, or null (then `d` is the first). */
  see(d: Directive, spec: DirectiveSpec): Directive | null {
    const level = d.parent;
    this.enter(level);
    const prev = this.first.get(spec) ?? null;
    if (prev !== null && prev.parent === level) return prev;
    this.undoSpec[this.undoLen] = spec;
    this.undoPrev[this.undoLen] = prev;
    this.undoLen++;
    this.first.set(spec, d);
    return null;
  }

  /** makes `level` the innermost open level: closes the levels that are not around it */
  private enter(level: Directive | null): void {
    for (;;) {
      const top = this.owners[this.depth - 1];
      if (top === level) return;
      if (top === null || isWithin(level, top)) {
        // a block of the current level (levels between them hold nothing yet)
        this.owners[this.depth] = level;
        this.marks[this.depth] = this.undoLen;
        this.depth++;
        return;
      }
      this.depth--;
      const mark = this.marks[this.depth];
      for (let i = this.undoLen - 1; i >= mark; i--) this.first.set(this.undoSpec[i], this.undoPrev[i]);
      this.undoLen = mark;
    }
  }
}

export const directiveDuplicate: Rule = {
  code: 'directive-duplicate',
  family: 'structure',
  reach: acrossNamed('listen'),
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
    // stream virtual servers (nginx 1.25.5, the release whose stream `listen` learnt default_server):
    // several servers may share an address, as in http
    const streamVirtual = paramIn('listen:stream', 'default_server', settings)?.status === 'ok';
    const tracker = new DuplicateTracker((at: Span, message: string, first: Directive | null) => {
      const where = first ? view.sourceOf(first) : null;
      rc.report({
        message, start: at.start, end: at.end,
        related: first && where ? [{ source: where, start: first.nameWord.start, end: first.end, message: 'first here' }] : undefined,
      });
    }, source.file.text);
    // One pass: levels holding an `include`, the directives the tracker looks at, and repeats of a
    // spec on one level. Repeats are reported after the pass, in order, once it is known which
    // levels hold an `include` (those are seen with it expanded below: the repeat may come from
    // another file).
    const withInclude = new Set<Directive | null>();
    const { directives, infos, specs } = a;
    const levels = new FirstPerLevel();
    /** repeats found: the directive, then the first one */
    const repeats: Directive[] = [];
    // the level bookkeeping needs the directives in document order (as the analysis visits them);
    // should that ever not hold, each level gets a map of its own instead (below)
    let inOrder = true;
    let lastStart = -1;
    for (let i = 0; i < directives.length; i++) {
      const name = infos[i].name; // a plain field (d.name is a getter)
      const d = directives[i];
      if (name === 'include') { withInclude.add(d.parent); continue; }
      const spec = specs[i];
      if (!spec) continue;
      if (TRACKED.has(name) && spec.block === (d.terminator === '{') && argsOk(spec.args, d.argCount)) {
        if (name === 'location') { if (spec.module === 'ngx_http_core_module') tracker.location(d); }
        else if (name === 'valid_referers') tracker.validReferers(d);
        else if (name === 'listen') {
          if (spec.module === 'ngx_http_core_module') tracker.httpListen(d);
          else if (spec.module === 'ngx_stream_core_module') tracker.streamListen(d, streamVirtual);
        } else {
          const which = VARIABLE_DEFINERS.get(name);
          if (which && spec.module.startsWith('ngx_http_')) {
            if (which === FIRST_ARG) tracker.firstVariable(d, name);
            else {
              const w = d.arg(which(d.argCount));
              if (w) tracker.variable(d, w);
            }
          }
        }
      }
      if (!spec.duplicateError || !inOrder) continue;
      if (d.start <= lastStart) { inOrder = false; continue; }
      lastStart = d.start;
      const first = levels.see(d, spec);
      if (first) repeats.push(d, first);
    }
    if (inOrder) {
      for (let i = 0; i < repeats.length; i += 2) if (!withInclude.has(repeats[i].parent)) report(repeats[i], repeats[i + 1]);
    } else {
      const seen = new Map<Directive | null, Map<DirectiveSpec, Directive>>();
      for (let i = 0; i < directives.length; i++) {
        const d = directives[i];
        const spec = specs[i];
        if (!spec || !spec.duplicateError || withInclude.has(d.parent)) continue;
        let level = seen.get(d.parent);
        if (!level) { level = new Map(); seen.set(d.parent, level); }
        const first = level.get(spec);
        if (first) report(d, first);
        else level.set(spec, d);
      }
    }
    for (const owner of withInclude) {
      const ctx = levelContext(a, owner);
      if (ctx === undefined) continue;
      const list = owner ? view.expand(owner) : view.topScope().directives;
      const level = new Map<DirectiveSpec, Directive>();
      for (const d of list) {
        if (d.isEntry) continue;
        const spec = specAt(d, ctx, settings);
        if (!spec || !spec.duplicateError) continue;
        const first = level.get(spec);
        if (!first) { level.set(spec, d); continue; }
        if (view.sourceOf(d)?.uri !== source.uri) continue; // the other file reports it
        report(d, first);
      }
    }
  },
};

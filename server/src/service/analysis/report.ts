/**
 * Reporting helpers shared by rule families: where a finding about a directive goes (on it when it
 * is in the analysed block of the analysed file, otherwise on the block it concerns), the
 * related-information entry pointing at a directive in any file, and the walk over the directives
 * of the analysed file level by level that the level-based rules (security, practice) share.
 */
import { allDirectives, isWithin } from '../syntax/query';
import type { Directive, Statement } from '../syntax/tree';
import { bodyOf, levelsOf, levelsWithin } from './levels';
import type { ConfigView, Finding, RuleContext, Scope } from './types';

/** The span of a directive's name and arguments (the block header of a location). */
export function headerRange(d: Directive): { start: number; end: number } {
  // a directive starts with its name: d.start spares materializing the name's word
  return { start: d.start, end: headerEnd(d) };
}

function headerEnd(d: Directive): number {
  // arg() makes a throw-away word: `args` would keep every word of the directive
  const n = d.argCount;
  return n ? d.arg(n - 1)!.end : d.nameWord.end;
}

/** `d` lies inside the block of `owner` (at any depth). */
export function isInside(d: Directive, owner: Directive): boolean {
  return isWithin(d.parent, owner);
}

/**
 * Where to report something about directive `d` for a block `owner` whose own header spans
 * [start, end): on `d` when it is in that block in the analysed file, otherwise on the block.
 */
export function placeFor(ctx: RuleContext, place: { owner: Directive | null; start: number; end: number }, d: Directive | null): { start: number; end: number } {
  if (d && ctx.view.sourceOf(d) === ctx.source && (place.owner ? isInside(d, place.owner) : true)) return headerRange(d);
  return { start: place.start, end: place.end };
}

export function related(view: ConfigView, d: Directive | null, message: string): Finding['related'] {
  if (!d) return undefined;
  const source = view.sourceOf(d);
  if (!source) return undefined;
  return [{ source, start: d.start, end: d.end, message }];
}

/**
 * Whether a finding about `d` (on it or inside it) can be kept under `ctx.focus`: always without a
 * focus, and for a directive of another file (the focus is a span of the analysed one).
 */
export function inFocus(ctx: RuleContext, d: Directive): boolean {
  const f = ctx.focus;
  if (!f) return true;
  if (ctx.view.sourceOf(d) !== ctx.source) return true;
  // a directive that starts inside the focus lies inside it: the focus is a whole block
  return d.start >= f.start && d.start < f.end;
}

/** A directive of a level's own body, with the level (its block, null at the top) and its chain. */
export interface LevelDirective {
  d: Directive;
  owner: Directive | null;
  chain: Scope[];
}

/**
 * The directives written in the analysed file that sit directly in a level's own body (levels.ts:
 * includes expanded, not inside a nested block, not the entries of a map-like block) and pass
 * `want`, level by level. The loop the level-based rules share: they report about a directive of
 * this file at the level whose inherited settings decide the finding.
 */
export function* levelDirectives(ctx: RuleContext, want: (d: Directive) => boolean, names?: readonly string[]): Generator<LevelDirective> {
  // every caller reports on the directive it is given: under a focus only the levels there are walked
  if (ctx.focus) {
    for (const x of focusedLevelDirectives(ctx)) if ((!names || names.includes(x.d.name)) && want(x.d)) yield x;
    return;
  }
  if (!names) {
    for (const x of levelDirectiveList(ctx).list) if (want(x.d)) yield x;
    return;
  }
  // `names` holds every name `want` can accept: only their entries are looked at, in the same order
  const { byName } = levelDirectiveList(ctx);
  let list: IndexedLevelDirective[];
  if (names.length === 1) list = byName.get(names[0]) ?? [];
  else {
    list = [];
    for (const n of names) { const l = byName.get(n); if (l) for (const x of l) list.push(x); }
    list.sort((a, b) => a.index - b.index);
  }
  for (const x of list) if (want(x.d)) yield x;
}

interface IndexedLevelDirective extends LevelDirective {
  /** position in the per-view list (the order levelDirectives yields) */
  index: number;
}

/**
 * Every directive levelDirectives can yield, in its order, computed once per view: a dozen rules
 * walk them, and each walk re-expanding every level's body and asking every directive's source
 * cost more than the rules' own work. Callers must not modify the entries.
 */
interface LevelDirectiveList {
  source: RuleContext['source'];
  list: IndexedLevelDirective[];
  byName: Map<string, IndexedLevelDirective[]>;
}
const levelDirectiveCache = new WeakMap<ConfigView, LevelDirectiveList>();

function levelDirectiveList(ctx: RuleContext): LevelDirectiveList {
  const { view, source } = ctx;
  const hit = levelDirectiveCache.get(view);
  if (hit && hit.source === source) return hit;
  const list: IndexedLevelDirective[] = [];
  const byName = new Map<string, IndexedLevelDirective[]>();
  eachOwnDirective(ctx, levelsOf(view), (d, owner, chain) => {
    const x = { d, owner, chain, index: list.length };
    list.push(x);
    const same = byName.get(d.name);
    if (same) same.push(x); else byName.set(d.name, [x]);
  });
  const built = { source, list, byName };
  levelDirectiveCache.set(view, built);
  return built;
}

/** The directives of the analysed file directly in each level's own body, level by level. */
function eachOwnDirective(ctx: RuleContext, levels: readonly { owner: Directive | null; chain: Scope[] }[], fn: (d: Directive, owner: Directive | null, chain: Scope[]) => void): void {
  const { view, source } = ctx;
  for (const { owner, chain } of levels) {
    for (const d of bodyOf(view, owner)) {
      if (d.isEntry || d.parent !== owner || view.sourceOf(d) !== source) continue;
      fn(d, owner, chain);
    }
  }
}

/**
 * levelDirectiveList's entries inside `ctx.focus`, in the same order, without walking the levels
 * outside it: a compact copy still holds a thousand other servers' skeletons, and computing every
 * level's chain was most of what the one rule walking them cost per keystroke.
 */
function focusedLevelDirectives(ctx: RuleContext): LevelDirective[] {
  const { view, source } = ctx;
  const focus = ctx.focus!;
  const hit = focusedCache.get(view);
  if (hit && hit.source === source && hit.start === focus.start && hit.end === focus.end) return hit.list;
  const list: LevelDirective[] = [];
  eachOwnDirective(ctx, levelsWithin(view, focus), (d, owner, chain) => {
    if (d.start >= focus.start && d.start < focus.end) list.push({ d, owner, chain });
  });
  focusedCache.set(view, { source, start: focus.start, end: focus.end, list });
  return list;
}
const focusedCache = new WeakMap<ConfigView, { source: RuleContext['source']; start: number; end: number; list: LevelDirective[] }>();

/**
 * The directives of the analysed file itself (not the files it includes) named in `names`, in
 * source order; the entries of map-like blocks are not directives here. For rules that judge a
 * directive by its own arguments, whatever level it is at.
 */
export function fileDirectives(ctx: RuleContext, names: ReadonlySet<string>): Directive[] {
  const index = fileNameIndex(ctx.source.file.children);
  const out: Directive[] = [];
  for (const n of names) { const l = index.get(n); if (l) for (const d of l) out.push(d); }
  // the walk's order is source order (one file, pre-order): a merge of several names is sorted back
  if (names.size > 1) out.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * The analysed file's directives by name (entries left out), from one walk per parsed tree: a dozen
 * rules ask for a few names each, and each walked all the file's directives.
 */
// keyed like allDirectives' own cache: by the statement list, which a new parse replaces
const fileIndexCache = new WeakMap<Statement[], Map<string, Directive[]>>();

function fileNameIndex(children: Statement[]): Map<string, Directive[]> {
  let index = fileIndexCache.get(children);
  if (index) return index;
  index = new Map();
  for (const d of allDirectives(children)) {
    if (d.isEntry) continue;
    const same = index.get(d.name);
    if (same) same.push(d); else index.set(d.name, [d]);
  }
  fileIndexCache.set(children, index);
  return index;
}

/**
 * One pass over the analysed file shared by the structure rules: the context (Ctx bits) every
 * directive is written in, and what the knowledge layer says about its name there. Cached per view
 * and file, so the six rules walk the tree once.
 *
 * Contexts: the file's top level takes its context from the view (the include site, or an explicit
 * outer path). When that is only a guess (a lone fragment: `view.inferred`), the top level counts as
 * every context a fragment can be included in, so a directive is only out of place when it is out
 * of place everywhere (no false `directive-context` on fragments).
 */
import type { Settings } from '../../../settings';
import type { Directive, ParsedFile, Statement } from '../../../syntax/tree';
import {
  Arg, CTX_ALL, argsOk, childContext, contextMask, lookup, type DirectiveInfo, type DirectiveSpec,
} from '../../../knowledge/directiveDb';
import type { ConfigView, RuleContext } from '../../types';
import { contextComment } from '../../view';

/**
 * The directives checked, in document order, as parallel arrays (index i describes `directives[i]`):
 * one object per directive of a large file would be tens of thousands of objects that live as long
 * as the validation, and each young-generation collection during it would copy them.
 */
export interface Analysis {
  /** the directives checked (entries and the contents of map/Lua/custom bodies are not), in document order */
  directives: Directive[];
  /** Ctx bits each is written in (several when the outer context is unknown) */
  ctxs: Int32Array;
  infos: DirectiveInfo[];
  /** the spec that applies (context matches; best fit for block-ness and argument count), or null */
  specs: (DirectiveSpec | null)[];
  /** levels whose directives were checked: the top level (owner null) and blocks of ordinary directives, with their Ctx bits */
  levelOwners: (Directive | null)[];
  levelCtxs: number[];
  /** the context of the top level was guessed */
  inferred: boolean;
}

/** The Ctx bits of the level `owner` opens (null: the top level), or undefined when it was not checked. */
export function levelContext(a: Analysis, owner: Directive | null): number | undefined {
  const i = a.levelOwners.indexOf(owner);
  return i < 0 ? undefined : a.levelCtxs[i];
}


/**
 * What the knowledge layer says about a name in a context, plus the best spec per shape (block or
 * not, argument count): every answer depends only on those, and a large file asks the same few
 * hundred questions tens of thousands of times.
 */
interface NameFacts {
  info: DirectiveInfo;
  /** bestSpec by shape key (see shapeKey); undefined: not computed yet */
  best: (DirectiveSpec | null | undefined)[];
}

const infoCache = new WeakMap<Settings, Map<number, Map<string, NameFacts>>>();

/** name → facts for one context (and settings object): one map per level, looked up once per level */
function namesFor(ctx: number, settings: Settings): Map<string, NameFacts> {
  let byCtx = infoCache.get(settings);
  if (!byCtx) { byCtx = new Map(); infoCache.set(settings, byCtx); }
  let byName = byCtx.get(ctx);
  if (!byName) { byName = new Map(); byCtx.set(ctx, byName); }
  return byName;
}

function factsOf(byName: Map<string, NameFacts>, name: string, ctx: number, settings: Settings): NameFacts {
  let f = byName.get(name);
  if (!f) { f = { info: lookup(name, ctx, settings), best: [] }; byName.set(name, f); }
  return f;
}

/** The spec that applies to `d` written in `ctx` (bestSpec, memoized by shape), or null when the name is not known. */
function specFrom(facts: NameFacts, ctx: number, d: Directive): DirectiveSpec | null {
  if (facts.info.status !== 'known') return null;
  const key = shapeKey(d);
  const memo = facts.best[key];
  return memo !== undefined ? memo : (facts.best[key] = bestSpec(facts.info, ctx, d));
}

/** What the analysis records as `d`'s spec, for a directive it did not visit (e.g. one an `include` brings into a level). */
export function specAt(d: Directive, ctx: number, settings: Settings): DirectiveSpec | null {
  return specFrom(factsOf(namesFor(ctx, settings), d.name, ctx, settings), ctx, d);
}

/** bestSpec depends on block-ness and the argument count; counts above 8 all behave alike (TAKE1..7, 1MORE, 2MORE, ANY) */
function shapeKey(d: Directive): number {
  const n = d.argCount;
  return ((d.block !== null || d.terminator === '{') ? 16 : 0) + (n > 8 ? 8 : n);
}

/** The spec that fits best: allowed here, then same block-ness, then a valid argument count. */
function bestSpec(info: DirectiveInfo, ctx: number, d: Directive): DirectiveSpec | null {
  let best: DirectiveSpec | null = null;
  let bestScore = -1;
  const hasBlock = d.block !== null || d.terminator === '{';
  // what nginx's table says wins; the reference only adds contexts a newer nginx allows
  for (let pass = 0; pass < 2 && !best; pass++) {
    for (const s of info.specs) {
      if ((s.origin === 'reference') !== (pass === 1)) continue;
      if (ctx !== 0 && (s.contexts & ctx) === 0) continue;
      const score = (s.block === hasBlock ? 2 : 0) + (argsOk(s.args, d.argCount) ? 1 : 0);
      if (score > bestScore) { best = s; bestScore = score; }
      if (score === 3) break;
    }
  }
  return best;
}

const cache = new WeakMap<ConfigView, { file: ParsedFile; settings: Settings; result: Analysis }>();

export function analyze(rc: RuleContext): Analysis {
  const hit = cache.get(rc.view);
  if (hit && hit.file === rc.source.file && hit.settings === rc.settings) return hit.result;
  const result = run(rc);
  cache.set(rc.view, { file: rc.source.file, settings: rc.settings, result });
  return result;
}

/**
 * An array with room for `n` entries, filled by index. Above V8's limit for a preallocated fast
 * array (`new Array(n)` of ~100k and more gives a slow dictionary array), it starts empty and grows.
 */
function sized<T>(n: number): T[] {
  return n <= 60_000 ? new Array<T>(n) : [];
}

function run(rc: RuleContext): Analysis {
  const { view, settings } = rc;
  const file = rc.source.file;
  // sized for every directive of the tree (the checked ones are a subset) and cut to length at the
  // end: growing four arrays of tens of thousands of entries by push would allocate each twice over
  const max = file.directiveCount;
  const directives = sized<Directive>(max);
  let ctxs = new Int32Array(max);
  const infos = sized<DirectiveInfo>(max);
  const specs = sized<DirectiveSpec | null>(max);
  let n = 0;
  const levelOwners: (Directive | null)[] = [];
  const levelCtxs: number[] = [];
  const result = (inferred: boolean): Analysis => {
    directives.length = infos.length = specs.length = n;
    ctxs = ctxs.subarray(0, n);
    return { directives, ctxs, infos, specs, levelOwners, levelCtxs, inferred };
  };
  let first: Directive | null = null;
  for (const s of file.children) if (s.kind === 'directive') { first = s; break; }
  if (!first) return result(view.inferred);
  const inferred = view.inferred && contextComment(file.text) === null;
  let top: number;
  if (inferred) top = CTX_ALL; // every context
  else {
    const chain = view.scopes(first);
    top = contextMask(chain);
    // a file included where there are no directives (inside `map {}`, `types {}`, a Lua block): nothing to check
    if (top === 0) return result(inferred);
  }
  levelOwners.push(null);
  levelCtxs.push(top);
  const visit = (list: Statement[], ctx: number) => {
    const byName = namesFor(ctx, settings);
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.kind !== 'directive' || s.isEntry) continue;
      const facts = factsOf(byName, s.name, ctx, settings);
      const info = facts.info;
      const spec = specFrom(facts, ctx, s);
      directives[n] = s;
      ctxs[n] = ctx;
      infos[n] = info;
      specs[n] = spec;
      n++;
      const b = s.block;
      if (!b || b.body !== 'directives' || info.status !== 'known') continue;
      const own = spec ?? info.specs[0];
      if (!own || own.customBody || own.origin === 'custom' || !(own.args & Arg.BLOCK)) continue;
      // a misplaced block still holds the directives it was meant for: check them in its own context
      const inner = childContext(s.name, ctx) || childContext(s.name, CTX_ALL);
      if (inner === 0) continue;
      levelOwners.push(s);
      levelCtxs.push(inner);
      visit(b.children, inner);
    }
  };
  visit(file.children, top);
  return result(inferred);
}

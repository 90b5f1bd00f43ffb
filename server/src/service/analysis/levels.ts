/**
 * The levels of http configuration in the analysed file (every http/server/location/if/limit_except
 * block, and the file's top level when it is one) with their inheritance chains, the directives of a
 * level's own body, and whether an include that did not resolve hides part of a level. Shared by the
 * rule families that walk levels (security, practice).
 */
import type { Directive, Statement } from '../syntax/tree';
import { chainFor } from './effective';
import type { ConfigView, Scope } from './types';

// ------------------------------------------------------------------------------ blocks

/** Block directives whose body is a level of http configuration. */
const LEVELS = new Set(['http', 'server', 'location', 'if', 'limit_except']);

/**
 * The levels of the analysed file: every http/server/location/if/limit_except block, and the file's
 * top level when it is itself such a level (a site or location fragment). `owner` null = top level.
 * Computed once per view (every security rule walks them); callers must not modify the result.
 */
const levelCache = new WeakMap<ConfigView, { owner: Directive | null; chain: Scope[] }[]>();

export function levelsOf(view: ConfigView): { owner: Directive | null; chain: Scope[] }[] {
  const hit = levelCache.get(view);
  if (hit) return hit;
  const out = levelsWithin(view);
  levelCache.set(view, out);
  return out;
}

/**
 * levelsOf's levels, in its order; with `span`, only the blocks that hold it or overlap it are walked
 * (the levels of one edited server of a compact copy, without the chains of a thousand others).
 * Not cached.
 */
export function levelsWithin(view: ConfigView, span?: { start: number; end: number }): { owner: Directive | null; chain: Scope[] }[] {
  const out: { owner: Directive | null; chain: Scope[] }[] = [];
  const top = view.topScope();
  if (LEVELS.has(top.context)) out.push({ owner: null, chain: chainFor(view, null) });
  const visit = (list: Statement[]) => {
    for (const s of list) {
      if (s.kind !== 'directive' || !s.block || s.isEntry || s.block.body !== 'directives') continue;
      if (span && (s.end <= span.start || s.start >= span.end)) continue;
      if (LEVELS.has(s.name)) out.push({ owner: s, chain: chainFor(view, s) });
      visit(s.block.children);
    }
  };
  visit(view.source.file.children);
  return out;
}

/** The directives of a level's own body (includes expanded). */
export function bodyOf(view: ConfigView, owner: Directive | null): Directive[] {
  return owner ? view.expand(owner) : view.topScope().directives;
}

/** An `include` left in an expanded body: it did not resolve, so the body may hold more than we see. */
export function hasUnresolvedInclude(list: Directive[]): boolean {
  for (const d of list) if (d.name === 'include' && !d.isEntry) return true;
  return false;
}

/** Some level of the chain holds an include that did not resolve (what it adds is out of sight). */
export function chainHasUnresolvedInclude(chain: Scope[]): boolean {
  return chain.some((s) => hasUnresolvedInclude(s.directives));
}

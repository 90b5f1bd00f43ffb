/**
 * The Ctx bits at a place of a file, for features (hover, completion): from the view's knowledge of
 * the file's outer context (or every context when that is only a guess) down through the blocks.
 */
import type { ConfigView } from '../model/config';
import { contextComment } from './view';
import type { Directive } from '../syntax/tree';
import { CTX_ALL, childContext, contextMask } from '../knowledge/directiveDb';


/** Ctx bits of the analysed file's top level (CTX_ALL for a fragment whose context is guessed). */
export function topContext(view: ConfigView): number {
  const file = view.source.file;
  if (view.inferred && contextComment(file.text) === null) return CTX_ALL;
  for (const s of file.children) {
    if (s.kind === 'directive') return contextMask(view.scopes(s));
  }
  // an empty file: ask the view about a stand-in top-level directive
  try {
    const probe = { kind: 'directive', name: '', args: [], parent: null, block: null, isEntry: false } as unknown as Directive;
    return contextMask(view.scopes(probe)) || CTX_ALL;
  } catch {
    return CTX_ALL;
  }
}

/** Ctx bits inside the block of `owner` (null: the file's top level). 0: not a directive context. */
export function contextInside(view: ConfigView, owner: Directive | null, recover = false): number {
  const path: Directive[] = [];
  for (let p = owner; p; p = p.parent) path.push(p);
  let ctx = topContext(view);
  for (let i = path.length - 1; i >= 0 && ctx !== 0; i--) {
    const d = path[i];
    let next = childContext(d.name, ctx) || (ctx === CTX_ALL ? 0 : childContext(d.name, CTX_ALL));
    if (next === 0 && recover) {
      // half-typed text: `listen 80⏎ location / {` reads as one statement; the block belongs to
      // the last block name among its words
      for (let k = d.args.length - 1; k >= 0 && next === 0; k--) next = childContext(d.args[k].value, ctx);
    }
    ctx = next;
  }
  return ctx;
}

/** Ctx bits where directive `d` is written. */
export function contextOf(view: ConfigView, d: Directive): number {
  return contextInside(view, d.parent);
}

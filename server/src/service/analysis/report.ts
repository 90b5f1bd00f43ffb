/**
 * Reporting helpers shared by rule families: where a finding about a directive goes (on it when it
 * is in the analysed block of the analysed file, otherwise on the block it concerns) and the
 * related-information entry pointing at a directive in any file.
 */
import { isWithin } from '../syntax/query';
import type { Directive } from '../syntax/tree';
import type { ConfigView, Finding, RuleContext } from './types';

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

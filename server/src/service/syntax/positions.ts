/** Offset ↔ LSP position conversion over a file's line starts (0-based lines, UTF-16 characters). */
import type { ParsedFile, Position } from './tree';

/**
 * The last index i < count with sorted[i] <= value (0 when there is none): the line of an offset
 * over line starts, the token of an offset over token starts. The one binary search of the project.
 */
export function indexAtOrBefore(sorted: ArrayLike<number>, count: number, value: number): number {
  let lo = 0, hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** The 0-based line holding `offset`. */
export function lineAt(file: Pick<ParsedFile, 'lineStarts'>, offset: number): number {
  return indexAtOrBefore(file.lineStarts, file.lineStarts.length, offset);
}

export function positionAt(file: Pick<ParsedFile, 'lineStarts' | 'text'>, offset: number): Position {
  const ls = file.lineStarts;
  const o = Math.max(0, Math.min(offset, file.text.length));
  const line = indexAtOrBefore(ls, ls.length, o);
  return { line, character: o - ls[line] };
}

export function offsetAt(file: Pick<ParsedFile, 'lineStarts' | 'text'>, pos: Position): number {
  const ls = file.lineStarts;
  if (pos.line < 0) return 0;
  if (pos.line >= ls.length) return file.text.length;
  const lineStart = ls[pos.line];
  const next = pos.line + 1 < ls.length ? ls[pos.line + 1] : file.text.length;
  return Math.max(lineStart, Math.min(lineStart + Math.max(0, pos.character), next));
}

export function rangeOf(file: Pick<ParsedFile, 'lineStarts' | 'text'>, start: number, end: number) {
  return { start: positionAt(file, start), end: positionAt(file, end) };
}

/** The indentation (spaces/tabs) of the line holding `offset`. */
export function indentationAt(file: Pick<ParsedFile, 'lineStarts' | 'text'>, offset: number): string {
  const line = positionAt(file, offset).line;
  const s = file.lineStarts[line];
  let e = s;
  while (e < file.text.length && (file.text[e] === ' ' || file.text[e] === '\t')) e++;
  return file.text.slice(s, e);
}

/**
 * Document, range and on-type formatting (issue 7), and `formatText` for the CLI.
 *
 * Only whitespace between tokens is ever changed (see format/engine.ts), and a file with syntax
 * errors is not formatted at all: guessing at a broken file is how other formatters corrupt configs.
 * The rules are documented in docs/formatting.md.
 */
import { parse } from '../syntax/parser';
import { TokenKind, type ParsedFile } from '../syntax/tree';
import { indexAtOrBefore } from '../syntax/positions';
import { computeEdits, type FormatOptions, type OffsetEdit } from './format/engine';
import { applyEdits } from '../analysis/edits';

export type { FormatOptions, OffsetEdit } from './format/engine';
export { applyEdits } from '../analysis/edits';

/**
 * Whitespace edits that format `file` (or, with `range`, only the lines the range touches), in
 * ascending order and non-overlapping. Empty when the file has syntax errors.
 */
export function formatFile(file: ParsedFile, options: FormatOptions, range?: { start: number; end: number }): OffsetEdit[] {
  if (file.errors.length) return [];
  const edits = computeEdits(file, options);
  if (!range) return edits;
  const { from, to } = lineSpan(file, range.start, range.end);
  const len = file.text.length;
  return edits.filter((e) => e.start >= from && e.end <= to && (e.start < to || to === len || e.start === from));
}

/**
 * After `;` or `}` is typed (the character just before `offset`), formats the line it is on.
 * Nothing when the character is inside a string or comment, or when the file has syntax errors.
 */
export function formatOnType(file: ParsedFile, offset: number, ch: string, options: FormatOptions): OffsetEdit[] {
  if (file.errors.length || (ch !== ';' && ch !== '}')) return [];
  const at = offset - 1;
  if (at < 0 || file.text[at] !== ch) return [];
  const i = tokenIndexAt(file, at);
  const want = ch === ';' ? TokenKind.Semicolon : TokenKind.CloseBrace;
  if (i < 0 || file.tokenKinds[i] !== want) return [];
  return formatFile(file, options, { start: at, end: at });
}

/** The formatted text, or null when `text` has syntax errors (nothing is guessed). */
export function formatText(text: string, options: FormatOptions): string | null {
  const file = parse(text);
  if (file.errors.length) return null;
  return applyEdits(text, computeEdits(file, options));
}

/**
 * Offsets covering the whole lines touched by [start, end]: from the first line's start to the start
 * of the line after the last one (its newline included). A range ending at column 0 of a later line
 * does not take that line.
 */
function lineSpan(file: ParsedFile, start: number, end: number): { from: number; to: number } {
  const ls = file.lineStarts;
  const len = file.text.length;
  const s = Math.max(0, Math.min(start, len));
  let e = Math.max(s, Math.min(end, len));
  const first = lineOf(ls, s);
  if (e > s && ls[lineOf(ls, e)] === e) e--;
  const last = lineOf(ls, e);
  return { from: ls[first], to: last + 1 < ls.length ? ls[last + 1] : len };
}

function lineOf(ls: Int32Array, offset: number): number {
  return indexAtOrBefore(ls, ls.length, offset);
}

function tokenIndexAt(file: ParsedFile, offset: number): number {
  return file.tokenCount ? indexAtOrBefore(file.tokenStarts, file.tokenCount, offset) : -1;
}

/**
 * The text-edit toolkit every rule's fixes and every feature's edits use: the file's indentation,
 * inserting statements into a block indented like their neighbours, replacing a directive's
 * arguments, merging edits into one fix, applying edits to a text, and the minimal edit between two
 * texts. An edit (`TextEditAt`) is an offset range of one source file and the text replacing it.
 */
import { indentationAt, positionAt } from '../syntax/positions';
import type { Directive, ParsedFile, Statement } from '../syntax/tree';
import type { ConfigView, Fix, SourceFile, TextEditAt } from './types';

/** The file's indentation unit: a tab, or the smallest indentation used (default four spaces). */
export function indentUnit(file: ParsedFile): string {
  const text = file.text;
  let best = 0;
  const n = Math.min(file.lineStarts.length, 400);
  for (let i = 0; i < n; i++) {
    const s = file.lineStarts[i];
    let e = s;
    while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
    if (e === s || e >= text.length || text[e] === '\n' || text[e] === '\r' || text[e] === '#') continue;
    if (text[s] === '\t') return '\t';
    const w = e - s;
    if (best === 0 || w < best) best = w;
  }
  return best >= 2 ? ' '.repeat(best) : '    ';
}

function startsLine(file: ParsedFile, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = file.text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

/** Where a statement's line really ends: after its trailing comment when it has one. */
function statementEnd(d: Directive): number {
  return d.trailingComment ? d.trailingComment.end : d.end;
}

function statementsOf(source: SourceFile, owner: Directive | null): Statement[] {
  if (owner) return owner.block ? owner.block.children : [];
  return source.file.children;
}

/** The indentation for a new statement directly inside `owner` (or at the file's top level). */
export function innerIndent(source: SourceFile, owner: Directive | null): string {
  const file = source.file;
  for (const s of statementsOf(source, owner)) {
    if (s.kind === 'directive' && startsLine(file, s.start)) return indentationAt(file, s.start);
  }
  if (!owner) return '';
  return indentationAt(file, owner.start) + indentUnit(file);
}

/**
 * Inserts `lines` (statements without indentation) into the block of `owner` (or the file's top
 * level) after the last direct child named by the first name of `after` that exists, falling back
 * to the start of the block.
 */
export function insertLines(source: SourceFile, owner: Directive | null, lines: string[], after: string[]): TextEditAt {
  const file = source.file;
  const list = statementsOf(source, owner).filter((s): s is Directive => s.kind === 'directive');
  const indent = innerIndent(source, owner);
  let anchor: Directive | null = null;
  for (const name of after) {
    for (const d of list) if (d.name === name) anchor = d;
    if (anchor) break;
  }
  if (anchor) {
    const at = statementEnd(anchor);
    return { source, start: at, end: at, newText: lines.map((l) => '\n' + indent + l).join('') };
  }
  if (owner && owner.block) {
    const at = owner.block.open + 1;
    const closeOnSameLine = owner.block.close >= 0 && !file.text.slice(at, owner.block.close).includes('\n');
    const tail = closeOnSameLine ? '\n' + indentationAt(file, owner.start) : '';
    // keep a comment on the `{` line where it is
    const firstLineEnd = file.text.indexOf('\n', at);
    const rest = file.text.slice(at, firstLineEnd < 0 ? file.text.length : firstLineEnd);
    const insertAt = !closeOnSameLine && /^[ \t]*#/.test(rest) ? at + rest.length : at;
    return { source, start: insertAt, end: insertAt, newText: lines.map((l) => '\n' + indent + l).join('') + tail };
  }
  // top of a fragment: before its first statement, after leading comments
  const first = list[0];
  const at = first ? file.lineStarts[positionAt(file, first.start).line] : file.text.length;
  const prefix = at === file.text.length && at > 0 && !file.text.endsWith('\n') ? '\n' : '';
  return { source, start: at, end: at, newText: prefix + lines.map((l) => indent + l + '\n').join('') };
}

/** Replaces a directive's arguments. */
export function replaceArgs(source: SourceFile, d: Directive, newArgs: string): TextEditAt {
  if (!d.args.length) return { source, start: d.nameWord.end, end: d.nameWord.end, newText: ' ' + newArgs };
  return { source, start: d.args[0].start, end: d.args[d.args.length - 1].end, newText: newArgs };
}

/** Text of a directive as written (for copying inherited lines). */
export function directiveText(view: ConfigView, d: Directive): string {
  const src = view.sourceOf(d) ?? view.source;
  return src.file.text.slice(d.start, d.end);
}

/**
 * A one-fix list (empty when there is nothing to edit). Insertions at the same place in the same
 * file are merged, in order, so the result does not depend on how a client orders equal positions.
 */
export function fix(title: string, edits: (TextEditAt | null)[], isPreferred = true): Fix[] {
  const list: TextEditAt[] = [];
  for (const e of edits) {
    if (!e) continue;
    const same = list.find((x) => x.source.uri === e.source.uri && x.start === x.end && e.start === e.end && x.start === e.start);
    if (same) same.newText += e.newText;
    else list.push({ ...e });
  }
  return list.length ? [{ title, edits: list, isPreferred }] : [];
}

/** An edit of one text: the range [start, end) replaced by newText. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Applies non-overlapping edits of one text. Edits at the same offset apply in the order given.
 * The formatter's edits come ascending (checked in one pass, no sort); others are sorted first.
 */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  if (!edits.length) return text;
  let list = edits;
  for (let i = 1; i < edits.length; i++) {
    if (edits[i].start < edits[i - 1].start) {
      list = [...edits].sort((a, b) => a.start - b.start);
      break;
    }
  }
  const parts: string[] = [];
  let pos = 0;
  for (const e of list) {
    parts.push(text.slice(pos, e.start), e.newText);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/** One edit turning `before` into `after`: the differing middle between their common prefix and suffix. */
export function minimalEdit(before: string, after: string): OffsetEdit | null {
  if (before === after) return null;
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return { start: p, end: before.length - s, newText: after.slice(p, after.length - s) };
}

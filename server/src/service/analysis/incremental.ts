/**
 * Incremental validation: after an edit inside one `server` block, most rules need to look at that
 * block only. A keystroke in a 43,000-line file with a thousand servers would otherwise re-run every
 * rule over every server (hundreds of milliseconds); the editor's budget for diagnostics is 100 ms.
 *
 * Each rule declares how far its findings reach (`Rule.reach`):
 * - `'server'`: a finding inside a server block depends only on that block and the "shell" (the
 *   text outside every server block: http-level directives, maps, upstreams, included files), a
 *   finding in the shell only on the shell;
 * - `{ across }`: as `'server'`, plus the directives `across` accepts in the other servers (their
 *   `listen`s, the variables they `set`), through which alone a server affects findings elsewhere;
 * - `{ across, only: true }`: every finding depends only on the shell and those directives;
 * - none: anything (the rule runs over the whole file after every edit).
 * After an edit inside server S, the language service keeps the previous findings outside S
 * (moved by the edit's length difference where they lie after it) and finds those inside S again
 * over a compact copy of the file: S whole, every other server reduced to a skeleton of the
 * directives the rules look across at (compactFile; every character a copy of the real text, so
 * offsets map back). A rule with `across` whose directives the edit changed in S runs over the
 * whole file; an `only` rule whose directives it left alone is not run at all.
 * test/unit/incremental.test.ts holds every rule to its declaration (over the corpus, servers of
 * different files mixed, and generated configurations) and the whole scheme to full validation
 * over random edits, fixes included.
 *
 * Pure: no workspace here; the language service decides when the previous state still applies.
 */
import type { Directive, ParsedFile, Statement } from '../syntax/tree';
import type { Across, Finding, Fix, SourceFile } from './types';

/** The outermost `server` blocks of a file (inside http, stream, mail or at top level of a site file), in text order. */
export function topServers(file: ParsedFile): Directive[] {
  const out: Directive[] = [];
  const walk = (list: Statement[]) => {
    for (const s of list) {
      if (s.kind !== 'directive' || !s.block) continue;
      if (s.name === 'server') out.push(s);
      // servers are not nested in servers; upstream `server` entries have no block
      else if (s.block.body === 'directives') walk(s.block.children);
    }
  };
  walk(file.children);
  return out;
}

/** What an edit between two versions of a file changed, when it stayed inside one server block. */
export interface ServerEdit {
  /** index of the edited server among `topServers` (same in both versions) */
  index: number;
  /** the server block in the old and the new tree */
  before: Directive;
  after: Directive;
  /** new length − old length */
  delta: number;
  /** the changed text: old [from, to), new [from, to + delta) */
  from: number;
  to: number;
}

/**
 * The one server block whose body holds every changed character, or null (the change touches the
 * shell, a server's `server` word or braces, several servers, or the structure of the file).
 */
export function serverEdit(oldFile: ParsedFile, oldServers: Directive[], newFile: ParsedFile, newServers: Directive[]): ServerEdit | null {
  if (oldServers.length !== newServers.length || oldServers.length < 2) return null;
  const a = oldFile.text, b = newFile.text;
  if (a === b) return null;
  const min = Math.min(a.length, b.length);
  // whole chunks compared as strings first (native comparison of slices, no copies), then units:
  // a unit-by-unit loop over 1.4 MB took 10+ ms per keystroke
  const CHUNK = 8192;
  let pre = 0;
  while (pre + CHUNK <= min && a.slice(pre, pre + CHUNK) === b.slice(pre, pre + CHUNK)) pre += CHUNK;
  while (pre < min && a.charCodeAt(pre) === b.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf + CHUNK <= min - pre && a.slice(a.length - suf - CHUNK, a.length - suf) === b.slice(b.length - suf - CHUNK, b.length - suf)) suf += CHUNK;
  while (suf < min - pre && a.charCodeAt(a.length - 1 - suf) === b.charCodeAt(b.length - 1 - suf)) suf++;
  // changed: old [pre, a.length - suf), new [pre, b.length - suf)
  const oldEnd = a.length - suf;
  const delta = b.length - a.length;
  const index = serverOf(oldServers, pre);
  if (index < 0) return null;
  const before = oldServers[index], after = newServers[index];
  const ob = before.block!, nb = after.block!;
  // strictly between the braces of a block that closes, in both versions
  if (ob.close < 0 || nb.close < 0 || pre <= ob.open || oldEnd > ob.close) return null;
  if (after.start !== before.start || nb.open !== ob.open || nb.close !== ob.close + delta || after.end !== before.end + delta) return null;
  // every other server is where it was (the structure outside the edited block did not move)
  for (let i = 0; i < oldServers.length; i++) {
    if (i === index) continue;
    const o = oldServers[i], n = newServers[i];
    const shift = i > index ? delta : 0;
    if (n.start !== o.start + shift || n.end !== o.end + shift || n.parent?.start !== (o.parent ? o.parent.start + (o.parent.start > before.start ? delta : 0) : undefined)) return null;
  }
  return { index, before, after, delta, from: pre, to: oldEnd };
}

export type { Across };

/** `across` for a rule that looks at other servers' directives of these names. */
export function acrossNamed(...names: string[]): { across: Across } {
  const set = new Set(names);
  return { across: (d) => set.has(d.name) };
}

/** `across` with `only`: the rule's findings depend on servers through these directives alone. */
export function onlyNamed(...names: string[]): { across: Across; only: true } {
  return { ...acrossNamed(...names), only: true };
}

/**
 * Appends the real ranges ([start, end) pairs) of what `keep` accepts among `list`: accepted
 * directives whole (a block: its header, its accepted directives, its closing brace), and the
 * headers and closing braces of the blocks around them. False when a block does not close.
 */
function keptRanges(text: string, list: Statement[], keep: Across, out: number[]): boolean {
  for (const s of list) {
    if (s.kind !== 'directive' || s.isEntry) continue;
    const b = s.block;
    const accepted = keep(s, text);
    if (!b) {
      if (accepted) out.push(s.start, s.end);
      continue;
    }
    if (!accepted && b.body !== 'directives') continue;
    if (b.close < 0) return false;
    const mark = out.length;
    out.push(s.start, b.open + 1);
    if (b.body === 'directives' && !keptRanges(text, b.children, keep, out)) return false;
    if (!accepted && out.length === mark + 2) out.length = mark; // nothing kept inside
    else out.push(b.close, b.close + 1);
  }
  return true;
}

/** A server block reduced to what `keep` accepts (its header and closing brace kept), or null when a block of it does not close. */
export function skeletonRanges(text: string, server: Directive, keep: Across): number[] | null {
  const b = server.block;
  if (!b || b.close < 0) return null;
  const out = [server.start, b.open + 1];
  if (b.body === 'directives' && !keptRanges(text, b.children, keep, out)) return null;
  out.push(b.close, b.close + 1);
  return out;
}

/** skeletonRanges relative to the server's start: what compactFile's `skeletons` hold (the server may move, its skeleton not). */
export function serverSkeleton(text: string, server: Directive, keep: Across): number[] | null {
  const abs = skeletonRanges(text, server, keep);
  return abs && abs.map((o) => o - server.start);
}

/** The text of what `keep` accepts in a server block: the same before and after an edit that left those directives alone. */
export function keyText(text: string, server: Directive, keep: Across): string | null {
  const r = skeletonRanges(text, server, keep);
  if (!r) return null;
  const parts: string[] = [];
  for (let i = 0; i < r.length; i += 2) parts.push(text.slice(r[i], r[i + 1]));
  return parts.join('\n');
}

/**
 * A file with some server blocks reduced to skeletons (skeletonRanges): every character is a copy
 * of one of the real text, and `pieces` maps its offsets back.
 */
export interface Compact {
  text: string;
  /** triples: offset in `text`, offset in the real text, length */
  pieces: number[];
}

/**
 * The real text with every server block for which `whole(i)` is false reduced to its skeleton of
 * the directives `keep` accepts. Null when one of those does not close. `skeletons` (per server,
 * ranges relative to the server's start, or null for "not computed") is read and filled: an edit
 * changes one server, and walking the thousand others again per keystroke costs more than the rest.
 */
export function compactFile(text: string, servers: Directive[], whole: (i: number) => boolean, keep: Across, skeletons: (number[] | null)[] = []): Compact | null {
  const parts: string[] = [];
  const pieces: number[] = [];
  let length = 0;
  const copy = (a: number, b: number) => {
    if (b <= a) return;
    parts.push(text.slice(a, b));
    pieces.push(length, a, b - a);
    length += b - a;
  };
  let at = 0;
  for (let i = 0; i < servers.length; i++) {
    const s = servers[i];
    if (whole(i)) continue;
    let r = skeletons[i];
    if (!r) {
      r = serverSkeleton(text, s, keep);
      if (!r) return null;
      skeletons[i] = r;
    }
    copy(at, s.start);
    for (let k = 0; k < r.length; k += 2) copy(s.start + r[k], s.start + r[k + 1]);
    at = s.end;
  }
  copy(at, text.length);
  return { text: parts.join(''), pieces };
}

/**
 * The real offset of an offset of a compact text. `end`: an exclusive end, mapped by the character
 * before it (an end right after a skeleton is not the start of what follows the server in the real text).
 */
export function realOffset(c: Compact, o: number, end = false): number {
  const p = c.pieces;
  if (p.length === 0) return o;
  const q = end && o > 0 ? o - 1 : o;
  const i = lastPieceFrom(p, 0, q);
  const r = p[i + 1] + (q - p[i]);
  return end && o > 0 ? r + 1 : r;
}

/** The offset in the compact text of a real offset that the copy keeps (-1 when it does not). */
export function compactOffset(c: Compact, real: number): number {
  const p = c.pieces;
  if (p.length === 0) return real;
  // pieces are in the order of the real text too
  const i = lastPieceFrom(p, 1, real);
  const from = p[i + 1];
  return real >= from && real < from + p[i + 2] ? p[i] + (real - from) : -1;
}

/** Index in `pieces` of the last triple whose `column` (0: compact offset, 1: real offset) is at most `o` (the first one if none). */
function lastPieceFrom(p: number[], column: 0 | 1, o: number): number {
  let lo = 0, hi = p.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p[mid * 3 + column] <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo * 3;
}

/** Where a finding lies: the index of the server block holding its start, or -1 (the shell). */
export function serverOf(servers: Directive[], offset: number): number {
  let lo = 0, hi = servers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = servers[mid];
    if (s.end <= offset) lo = mid + 1;
    else if (s.start > offset) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * A finding of the previous version that lies outside the edited block, moved to the new one:
 * offsets after the block shift by the edit's length difference, and the previous source becomes
 * the new one in its related places. Its fixes are `fixes` (the caller's: a fix is a thunk over
 * the tree it was found in, and the carried finding must not keep that tree alive).
 */
export function carryFinding<F extends Finding>(f: F, edit: ServerEdit, oldSource: SourceFile, newSource: SourceFile, fixes: (() => Fix[]) | undefined): F {
  const { delta, to } = edit;
  // offsets after the changed text move; a related place in the edited server (the other end of a
  // conflict between two `listen`s) may lie before or after the change
  const at = (o: number) => (o >= to ? o + delta : o);
  const out: F = { ...f, start: at(f.start), end: at(f.end), fixes };
  if (f.group) out.group = { ...f.group, start: at(f.group.start), end: at(f.group.end) };
  if (f.related) out.related = f.related.map((r) => (r.source === oldSource ? { ...r, source: newSource, start: at(r.start), end: at(r.end) } : r));
  return out;
}

/**
 * A finding of the run over a compact text as a finding of the real source (offsets mapped back),
 * with the caller's `fixes` (those of the compact tree would see the skeletons, not the servers).
 */
export function adoptFinding<F extends Finding>(f: F, compact: Compact, compactSource: SourceFile, real: SourceFile, fixes: (() => Fix[]) | undefined): F {
  const end = (o: number, start: number) => realOffset(compact, o, o !== start);
  const out: F = { ...f, start: realOffset(compact, f.start), end: end(f.end, f.start), fixes };
  if (f.group) out.group = { ...f.group, start: realOffset(compact, f.group.start), end: end(f.group.end, f.group.start) };
  if (f.related) out.related = f.related.map((r) => (r.source === compactSource ? { ...r, source: real, start: realOffset(compact, r.start), end: end(r.end, r.start) } : r));
  return out;
}

/**
 * Variables the configuration defines (set, map, geo, split_clients, named regex captures, custom
 * bodies such as `geoip2 { $name … }`), per file and over a view: for the variable-unknown rule and
 * for features (hover, completion). Per-file results are kept per parsed tree.
 */
import { nginxSpecsOf } from '../knowledge/directiveDb';
import { definedVariable, namedCaptures } from '../knowledge/variables';
import type { Directive, ParsedFile, Statement, Word } from '../syntax/tree';
import type { ConfigView, SourceFile } from './types';

export interface Definition {
  start: number;
  end: number;
  by: string;
}

/**
 * Offsets of every `$` of a tree's text, ascending. Both the rule and the definitions below skip a
 * directive (or a whole block) that has none without reading its name or words: on a large file
 * most directives have no variable at all.
 */
const dollarCache = new WeakMap<ParsedFile, number[]>();

export function dollarOffsets(file: ParsedFile): number[] {
  let out = dollarCache.get(file);
  if (out) return out;
  out = [];
  const text = file.text;
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) out.push(i);
  dollarCache.set(file, out);
  return out;
}

/**
 * A position in sorted offsets for ranges asked in document order (statements, then their words,
 * then their blocks): it only moves forward, so a whole walk costs one pass over the offsets
 * instead of a binary search per statement.
 */
export class OffsetCursor {
  /** index of the first offset ≥ the start last asked for */
  k = 0;
  constructor(readonly at: readonly number[]) {}
  /** moves to the first offset ≥ `start` and returns its index (at.length when none) */
  seek(start: number): number {
    const at = this.at;
    let k = this.k;
    if (k > 0 && at[k - 1] >= start) {
      // asked out of order: find the place again
      let lo = 0, hi = k;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (at[mid] < start) lo = mid + 1; else hi = mid; }
      k = lo;
    } else while (k < at.length && at[k] < start) k++;
    return (this.k = k);
  }
  /** some offset lies in [start, end) */
  any(start: number, end: number): boolean {
    const k = this.seek(start);
    return k < this.at.length && this.at[k] < end;
  }
}

/** known name → its blocks have a custom body (`geoip2 { $name … }`): the knowledge never changes */
const customBodyCache = new Map<string, boolean>();
export function hasCustomBody(name: string): boolean {
  let v = customBodyCache.get(name);
  if (v !== undefined) return v;
  const specs = nginxSpecsOf(name);
  if (!specs) return false; // (unknown names are not kept: typos would pile up in a long session)
  v = specs.some((x) => x.customBody);
  customBodyCache.set(name, v);
  return v;
}

/** the file has a named regex capture: `(?<name>`, `(?P<name>`, `(?'name'` (not `(?:`, `(?i)`, `(?=`, …) */
export function hasNamedCapture(text: string): boolean {
  for (let i = text.indexOf('(?'); i >= 0; i = text.indexOf('(?', i + 2)) {
    let c = text.charCodeAt(i + 2);
    if (c === 39 /* ' */) return true;
    let at = i + 3;
    if (c === 80 /* P */) { c = text.charCodeAt(at); at++; }
    if (c !== 60 /* < */) continue;
    const n = text.charCodeAt(at);
    if ((n >= 65 && n <= 90) || (n >= 97 && n <= 122) || n === 95) return true;
  }
  return false;
}

/** the end of a statement's head (name and arguments): its block's `{`, or its end */
export const headEnd = (s: Directive) => (s.block ? s.block.open : s.end);

/**
 * Adds what statement `s` defines to `defs` (the first definition of a name wins).
 * `inCustomBody`: `s` is in a custom body (`geoip2 { $name … }`); `headHasDollar`: its name or
 * arguments hold a `$` (a defining word starts with one); `captures`: read every word for named
 * regex captures.
 */
export function addDefinitions(defs: Map<string, Definition>, s: Directive, inCustomBody: boolean, headHasDollar: boolean, captures: boolean): void {
  if (inCustomBody && s.name.startsWith('$')) {
    // geoip2 { $name … } and similar blocks define variables by their first word
    const m = /^\$([A-Za-z0-9_]+)$/.exec(s.name);
    if (m && !defs.has(m[1])) defs.set(m[1], { start: s.nameWord.start, end: s.nameWord.end, by: s.parent?.name ?? '' });
  }
  if (!s.isEntry && headHasDollar) {
    const def = definedVariable(s);
    if (def && !defs.has(def.name)) defs.set(def.name, { start: def.start, end: def.end, by: s.name });
  }
  if (captures) {
    // named captures in any regex-looking word (a rare file: the words are all read)
    const add = (w: Word) => {
      if (w.value.indexOf('(?') < 0 || !/\(\?(?:P?<[A-Za-z_]|')/.test(w.value)) return;
      for (const name of namedCaptures(w.value)) if (!defs.has(name)) defs.set(name, { start: w.start, end: w.end, by: 'regex capture' });
    };
    if (s.isEntry) add(s.nameWord);
    else for (const w of s.args) add(w);
  }
}

/**
 * Variables one file defines. Cached per parsed tree: a configuration of 10,000 site files is
 * validated on every keystroke in one of them, and only the edited file's tree is new. (The rule
 * fills it for the file it checks in its own walk; see `check`.)
 */
const fileDefsCache = new WeakMap<ParsedFile, Map<string, Definition>>();

/** The definitions of `file` are known already (variable-unknown fills them in its own walk). */
export function hasFileDefinitions(file: ParsedFile): boolean {
  return fileDefsCache.has(file);
}

/** Keeps the definitions a walk over `file` collected (complete for the file: see fileDefinitions). */
export function rememberFileDefinitions(file: ParsedFile, defs: Map<string, Definition>): void {
  fileDefsCache.set(file, defs);
}

function fileDefinitions(file: ParsedFile): Map<string, Definition> {
  let out = fileDefsCache.get(file);
  if (out) return out;
  const defs = new Map<string, Definition>();
  const captures = hasNamedCapture(file.text);
  // Without captures, only a statement holding a `$` can define anything (a defining word's value
  // starts with `$`, and unescaping never makes a `$`): the others and their blocks are skipped.
  const dollars = captures ? null : new OffsetCursor(dollarOffsets(file));
  const visit = (list: Statement[], customBody: boolean) => {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.kind !== 'directive') continue;
      if (dollars && !dollars.any(s.start, s.end)) continue;
      addDefinitions(defs, s, customBody, !dollars || dollars.any(s.start, headEnd(s)), captures);
      if (s.block && s.block.body !== 'lua') visit(s.block.children, hasCustomBody(s.name));
    }
  };
  visit(file.children, false);
  fileDefsCache.set(file, defs);
  return defs;
}

/** Where `name` is defined in the configuration (first file in view order), or null. */
export function findDefinedVariable(view: ConfigView, name: string): (Definition & { source: SourceFile }) | null {
  for (const source of view.files()) {
    const d = fileDefinitions(source.file).get(name);
    if (d) return { source, ...d };
  }
  return null;
}

/** Names defined by the configuration: collected over every file of the view. */
export function definedVariables(view: ConfigView): Map<string, Definition & { source: SourceFile }> {
  const out = new Map<string, Definition & { source: SourceFile }>();
  for (const source of view.files()) {
    for (const [name, d] of fileDefinitions(source.file)) if (!out.has(name)) out.set(name, { source, ...d });
  }
  return out;
}


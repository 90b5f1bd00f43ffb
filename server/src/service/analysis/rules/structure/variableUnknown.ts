/**
 * `variable-unknown`: `$name` that is neither built in (nor a prefix family such as `$http_…`) nor
 * defined anywhere in the configuration (`set`, `map`, `geo`, `split_clients`, `perl_set`, `js_set`,
 * … or a named regex capture). nginx variables are global, so every file of the view counts.
 */
import { variableMissingIn } from '../../../knowledge/versions';
import type { Settings } from '../../../settings';
import { isBuiltinVariable, namedCaptures, scanVariableRefs, definedVariable } from '../../../knowledge/variables';
import { nginxSpecsOf } from '../../../knowledge/directiveDb';
import { TokenKind, type Directive, type ParsedFile, type Statement, type Word } from '../../../syntax/tree';
import type { ConfigView, Rule, SourceFile } from '../../types';

/** Directives whose arguments are code or regexes, not nginx scripts. */
function skipArgs(d: Directive): number {
  const n = d.name;
  if (n.endsWith('_by_lua') || n === 'perl' || n === 'perl_set' || n === 'perl_modules' || n === 'perl_require') return -1;
  if (n === 'location' || n === 'server_name' || n === 'types' || n === 'log_by_lua') return -1;
  if (n === 'set_by_lua') return 1; // only $res is nginx's; the code is Lua
  return 0;
}

interface Definition {
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

function dollarOffsets(file: ParsedFile): number[] {
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
class OffsetCursor {
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
function hasCustomBody(name: string): boolean {
  let v = customBodyCache.get(name);
  if (v !== undefined) return v;
  const specs = nginxSpecsOf(name);
  if (!specs) return false; // (unknown names are not kept: typos would pile up in a long session)
  v = specs.some((x) => x.customBody);
  customBodyCache.set(name, v);
  return v;
}

/** the file has a named regex capture: `(?<name>`, `(?P<name>`, `(?'name'` (not `(?:`, `(?i)`, `(?=`, …) */
function hasNamedCapture(text: string): boolean {
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
const headEnd = (s: Directive) => (s.block ? s.block.open : s.end);

/**
 * Adds what statement `s` defines to `defs` (the first definition of a name wins).
 * `inCustomBody`: `s` is in a custom body (`geoip2 { $name … }`); `headHasDollar`: its name or
 * arguments hold a `$` (a defining word starts with one); `captures`: read every word for named
 * regex captures.
 */
function addDefinitions(defs: Map<string, Definition>, s: Directive, inCustomBody: boolean, headHasDollar: boolean, captures: boolean): void {
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

/** name → built in? (the answer never changes; the set of names in real configurations is small) */
const builtinCache = new Map<string, boolean>();
function isBuiltin(name: string): boolean {
  let builtin = builtinCache.get(name);
  if (builtin === undefined) { builtin = isBuiltinVariable(name); builtinCache.set(name, builtin); }
  return builtin;
}

/** the message for a built-in variable the configured version lacks, or null */
function missingHint(name: string, settings: Settings): string | null {
  const since = variableMissingIn(name, settings);
  if (since === null || !isBuiltin(name)) return null;
  return `unknown variable "$${name}" in nginx ${settings.version}: ${since ? `it appeared in nginx ${since}` : 'a later nginx removed it'} (see "nginx.version")`;
}

/** text[at, at + s.length) is `s` (a plain loop: the name is short and the text just read) */
function sameText(text: string, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (text.charCodeAt(at + i) !== s.charCodeAt(i)) return false;
  return true;
}

/** the operators of `if (… ~ regex)` whose right operand is a regex, not a script */
const REGEX_OPS: ReadonlySet<string> = new Set(['~', '~*', '!~', '!~*']);

export const variableUnknown: Rule = {
  code: 'variable-unknown',
  family: 'structure',
  defaultSeverity: 'warning',
  description: 'A $variable that is neither built in nor defined anywhere in the configuration.',
  check(rc) {
    const file = rc.source.file;
    const text = file.text;
    if (text.indexOf('$') < 0) return;
    // When the view reaches a real `main` file (the whole configuration is known), nginx itself
    // refuses to start on an unknown variable: report an error. For a fragment it may be defined
    // in a file we do not see: a warning.
    let complete = false;
    if (!rc.view.inferred) {
      const first = file.children.find((s) => s.kind === 'directive');
      if (first && first.kind === 'directive') {
        const chain = rc.view.scopes(first);
        const outer = chain[chain.length - 1];
        complete = !!outer && outer.context === 'main' && outer.source !== null;
      }
    }
    const severity = complete ? 'error' : undefined;
    const { settings } = rc;
    const report = (name: string, start: number, end: number) => rc.report({
      message: missingHint(name, settings) ?? `unknown variable "$${name}": not built in and not defined by set, map, geo, … in this configuration`,
      start,
      end,
      severity,
    });
    /** name → defined somewhere in the configuration (asked once per name and validation) */
    const known = new Map<string, boolean>();
    const isDefined = (name: string): boolean => {
      let v = known.get(name);
      if (v === undefined) known.set(name, (v = findDefinedVariable(rc.view, name) !== null));
      return v;
    };
    // This file's definitions are collected in the same walk as its references (unless known
    // already, or the file has named captures, which need every word read): one walk of a large
    // tree instead of two. Until the walk ends they are incomplete, so references to names that
    // are not built in wait in `pending` (in order) and are looked up after it.
    const defs = fileDefsCache.has(file) || hasNamedCapture(text) ? null : new Map<string, Definition>();
    const pendingName: string[] = [];
    const pendingAt: number[] = [];
    // The "built in?" answers by a hash of the name's characters: a file uses a few dozen names
    // thousands of times, and a name found here needs no string made from the text.
    const NAME_SLOTS = 256;
    const slotName: (string | undefined)[] = new Array(NAME_SLOTS).fill(undefined);
    const slotBuiltin: boolean[] = new Array(NAME_SLOTS).fill(false);
    const ref = (start: number, end: number, nameStart: number, nameEnd: number) => {
      const len = nameEnd - nameStart;
      let h = len;
      for (let i = nameStart; i < nameEnd; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
      const slot = h & (NAME_SLOTS - 1);
      let name = slotName[slot];
      if (name === undefined || name.length !== len || !sameText(text, nameStart, name)) {
        name = text.slice(nameStart, nameEnd);
        slotName[slot] = name;
        // built in, and in the configured nginx version (versions.ts: nginx's own variables per release)
        slotBuiltin[slot] = isBuiltin(name) && variableMissingIn(name, settings) === null;
      }
      if (slotBuiltin[slot]) return;
      if (defs) { pendingName.push(name); pendingAt.push(start, end); return; }
      if (!isDefined(name)) report(name, start, end);
    };
    // A directive or block without a `$` is skipped without touching its name or words; in a
    // statement that has some, each `$` leads to its word through the token arrays (tokens tile
    // the text, one per word): no Word object is made for the arguments.
    const dollars = new OffsetCursor(dollarOffsets(file));
    const at = dollars.at;
    const kinds = file.tokenKinds;
    const starts = file.tokenStarts;
    const count = file.tokenCount;
    /** the token holding offset `p`: searched forward from the previous answer (offsets come in document order) */
    let tok = 0;
    const tokenAt = (p: number): number => {
      let lo = 0, hi = count - 1;
      if (starts[tok] <= p) {
        // gallop: the answer is usually a few tokens on
        lo = tok;
        let step = 1;
        while (lo + step < count && starts[lo + step] <= p) { lo += step; step *= 2; }
        hi = Math.min(lo + step, count) - 1;
      }
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= p) lo = mid; else hi = mid - 1; }
      return (tok = lo);
    };
    /** argument index of word token `t` of `s` (the word tokens between the name and it) */
    const argIndex = (s: Directive, t: number): number => {
      let i = 0;
      for (let u = t - 1; u >= 0 && starts[u] > s.start; u--) if (kinds[u] === TokenKind.Word || kinds[u] === TokenKind.String) i++;
      return i;
    };
    /** the variables in the arguments `skip`… of `s`, whose head ends at `end` */
    const head = (s: Directive, skip: number, end: number) => {
      const name = s.name;
      // only these need to know which argument a word is
      const byIndex = skip > 0 || name === 'if' || name === 'rewrite';
      let k = dollars.seek(s.start);
      while (k < at.length && at[k] < end) {
        const t = tokenAt(at[k]);
        const ws = starts[t];
        const we = t + 1 < count ? starts[t + 1] : text.length;
        while (k < at.length && at[k] < we) k++; // the word's other `$`s
        const kind = kinds[t];
        // (a `$` in a comment between the words, or in the name: not an argument)
        if ((kind !== TokenKind.Word && kind !== TokenKind.String) || ws === s.start) continue;
        if (byIndex) {
          const i = argIndex(s, t);
          if (i < skip) continue;
          // `if (… ~ regex)`, `rewrite regex …`: the regex operand is not a script
          if (name === 'if' && i > 0 && REGEX_OPS.has(s.argValue(i - 1)!)) continue;
          if (name === 'rewrite' && i === 0) continue;
        }
        if (name === 'js_set' && kind === TokenKind.String && text.charCodeAt(ws) === 39 /* ' */) continue;
        scanVariableRefs(text, ws, we, ref);
      }
      dollars.k = k;
    };
    /**
     * `customBody`: the statements are in a custom body (for definitions); `checking`: their
     * references are checked (not in the blocks of a custom-body directive)
     */
    const visit = (list: Statement[], customBody: boolean, checking: boolean) => {
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        if (s.kind !== 'directive') continue;
        if (!dollars.any(s.start, s.end)) continue;
        const end = headEnd(s);
        const headHasDollar = dollars.any(s.start, end);
        if (defs) addDefinitions(defs, s, customBody, headHasDollar, false);
        if (checking && headHasDollar) {
          const skip = s.isEntry ? 0 : skipArgs(s);
          if (skip >= 0) head(s, skip, end);
        }
        if (s.block && s.block.body !== 'lua') {
          const custom = hasCustomBody(s.name);
          const inner = checking && !(custom && s.block.body === 'directives');
          if (inner || defs) visit(s.block.children, custom, inner);
        }
      }
    };
    visit(file.children, false, true);
    if (defs) {
      fileDefsCache.set(file, defs);
      for (let i = 0; i < pendingName.length; i++) {
        const name = pendingName[i];
        if (!isDefined(name)) report(name, pendingAt[2 * i], pendingAt[2 * i + 1]);
      }
    }
  },
};

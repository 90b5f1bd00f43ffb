/**
 * `variable-unknown`: `$name` that is neither built in (nor a prefix family such as `$http_…`) nor
 * defined anywhere in the configuration (`set`, `map`, `geo`, `split_clients`, `perl_set`, `js_set`,
 * … or a named regex capture). nginx variables are global, so every file of the view counts.
 */
import { variableMissingIn } from '../../../knowledge/versions';
import type { Settings } from '../../../settings';
import { definedVariable, isBuiltinVariable, scanVariableRefs } from '../../../knowledge/variables';
import { TokenKind, type Directive, type Statement } from '../../../syntax/tree';
import type { Rule } from '../../types';
import {
  addDefinitions, dollarOffsets, findDefinedVariable, hasCustomBody, hasFileDefinitions, hasNamedCapture, headEnd, OffsetCursor, rememberFileDefinitions,
  type Definition,
} from '../../variables';

/** Directives whose arguments are code or regexes, not nginx scripts. */
function skipArgs(d: Directive): number {
  const n = d.name;
  if (n.endsWith('_by_lua') || n === 'perl' || n === 'perl_set' || n === 'perl_modules' || n === 'perl_require') return -1;
  if (n === 'location' || n === 'server_name' || n === 'types' || n === 'log_by_lua') return -1;
  if (n === 'set_by_lua') return 1; // only $res is nginx's; the code is Lua
  return 0;
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
  reach: { across: (d, text) => definedVariable(d) !== null || hasNamedCapture(text.slice(d.start, d.block ? d.block.open : d.end)) },
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
    const defs = hasFileDefinitions(file) || hasNamedCapture(text) ? null : new Map<string, Definition>();
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
      rememberFileDefinitions(file, defs);
      for (let i = 0; i < pendingName.length; i++) {
        const name = pendingName[i];
        if (!isDefined(name)) report(name, pendingAt[2 * i], pendingAt[2 * i + 1]);
      }
    }
  },
};

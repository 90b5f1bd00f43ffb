/**
 * Fast acceptance straight from the file text. Reading a directive's arguments materialises Word
 * objects and their values, which on a 40k-directive file costs more than the checks themselves.
 * The common, plainly valid spellings are recognised by a sticky regular expression run on the
 * source text from the end of the name; only what it does not recognise goes to the exact check
 * (so a fast pattern may only accept what the exact check accepts, never the reverse).
 */
import type { Directive } from '../../../../syntax/tree';

/**
 * The fast paths are on; test/unit/fast-paths.test.ts turns them off to check, on the corpus and on
 * fuzzed input, that every fast path (these, LISTEN_OK, plainValueOk, textLocationKey, the built-in
 * `set` name filter) changes no finding: each only accepts what its exact check accepts.
 */
export const fastPaths = { enabled: true };

/**
 * a port 1..65535, as regular-expression source. Five digits are tried first: the patterns run
 * without an end anchor, and a shorter first choice (`2000` of `20000`) would end the match early,
 * sending every five-digit port (most of them) to the slow exact check.
 */
export const PORT = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';

/**
 * offset after the directive's name, or -1 when the name is quoted (or the directive is not `name`).
 * Asked for tens of thousands of directives: instead of comparing the source with `name`, the
 * name's value (already read) is compared and the first character looked at. A value equal to
 * `name` whose source does not start with a quote is spelled exactly `name` in the source: an
 * escape would leave a backslash or stand for a quote, tab or line break, none of which a
 * directive name holds.
 */
export function argsFrom(text: string, d: Directive, name: string): number {
  const c = text.charCodeAt(d.start);
  return c !== 34 /* " */ && c !== 39 /* ' */ && d.name === name ? d.start + name.length : -1;
}

/** `re` (sticky) matches from the end of the name to the terminator exactly */
export function fastAll(re: RegExp, text: string, d: Directive, name: string): boolean {
  if (!fastPaths.enabled) return false;
  const from = argsFrom(text, d, name);
  if (from < 0 || d.terminatorOffset < 0) return false;
  re.lastIndex = from;
  return re.test(text) && re.lastIndex === d.terminatorOffset;
}

/** `re` (sticky) matches at the end of the name (its first arguments decide) */
export function fastPrefix(re: RegExp, text: string, d: Directive, name: string): boolean {
  if (!fastPaths.enabled) return false;
  const from = argsFrom(text, d, name);
  if (from < 0 || d.terminatorOffset < 0) return false;
  re.lastIndex = from;
  return re.test(text) && re.lastIndex <= d.terminatorOffset;
}

/**
 * The argument text between the name and the terminator when it is plain (no quotes, escapes,
 * comments or variables), else null.
 */
export function plainArgs(text: string, d: Directive, name: string): string | null {
  if (!fastPaths.enabled) return null;
  const from = argsFrom(text, d, name);
  const to = d.terminatorOffset;
  if (from < 0 || to < from) return null;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 92 || c === 35 || c === 36) return null; // " ' \ # $
  }
  return text.slice(from, to);
}

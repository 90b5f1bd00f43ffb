/**
 * Fast acceptance straight from the file text. Reading a directive's arguments materialises Word
 * objects and their values, which on a 40k-directive file costs more than the checks themselves.
 * The common, plainly valid spellings are recognised by a sticky regular expression run on the
 * source text from the end of the name; only what it does not recognise goes to the exact check
 * (so a fast pattern may only accept what the exact check accepts, never the reverse).
 */
import type { Directive } from '../../../../syntax/tree';

/** a port 1..65535, as regular-expression source */
export const PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

/** offset after the directive's name, or -1 when the name is quoted (or the text is not this directive's) */
export function argsFrom(text: string, d: Directive, name: string): number {
  return text.startsWith(name, d.start) ? d.start + name.length : -1;
}

/** `re` (sticky) matches from the end of the name to the terminator exactly */
export function fastAll(re: RegExp, text: string, d: Directive, name: string): boolean {
  const from = argsFrom(text, d, name);
  if (from < 0 || d.terminatorOffset < 0) return false;
  re.lastIndex = from;
  return re.test(text) && re.lastIndex === d.terminatorOffset;
}

/** `re` (sticky) matches at the end of the name (its first arguments decide) */
export function fastPrefix(re: RegExp, text: string, d: Directive, name: string): boolean {
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
  const from = argsFrom(text, d, name);
  const to = d.terminatorOffset;
  if (from < 0 || to < from) return null;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 92 || c === 35 || c === 36) return null; // " ' \ # $
  }
  return text.slice(from, to);
}

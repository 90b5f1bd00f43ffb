/**
 * What the formatter promises, as a checkable value: the non-whitespace tokens of a text, normalized
 * only in the ways the formatter may change them (a comment's trailing blanks; the leading blanks of
 * each line of a Lua body). format(x) must give the same sequence as x. Used by tests and fuzzing.
 */
import { parse } from '../../syntax/parser';
import { TokenKind } from '../../syntax/tree';

export function significantTokens(text: string): string[] {
  const f = parse(text);
  const out: string[] = [];
  for (let i = 0; i < f.tokenCount; i++) {
    const k = f.tokenKinds[i];
    if (k === TokenKind.Space || k === TokenKind.Newline) continue;
    let s = text.slice(f.tokenStarts[i], f.tokenStarts[i + 1]);
    if (k === TokenKind.Comment) s = s.replace(/[ \t]+$/, '');
    if (k === TokenKind.Raw) s = s.split('\n').map((l) => l.replace(/^[ \t]+/, '')).join('\n');
    out.push(`${k}:${s}`);
  }
  return out;
}

/**
 * Prints a parsed file back to text from its tokens. Because the tokens tile the input, the result
 * is the input byte for byte; `checkTree` verifies the invariants that make that true, so that
 * tests and the fuzzer can prove it rather than assume it.
 */
import type { Block, Directive, ParsedFile, Statement } from './tree';

export function print(file: ParsedFile): string {
  const { text, tokenStarts, tokenCount } = file;
  const parts: string[] = new Array(tokenCount);
  for (let i = 0; i < tokenCount; i++) parts[i] = text.slice(tokenStarts[i], tokenStarts[i + 1]);
  return parts.join('');
}

/** Returns a list of broken invariants (empty when the tree is sound). */
export function checkTree(file: ParsedFile): string[] {
  const problems: string[] = [];
  const { text, tokenStarts, tokenCount } = file;
  const len = text.length;
  if (tokenCount === 0 && len > 0) problems.push('no tokens for non-empty text');
  if (tokenCount > 0 && tokenStarts[0] !== 0) problems.push('first token does not start at 0');
  if (tokenStarts[tokenCount] !== len) problems.push('tokens do not end at the end of the text');
  for (let i = 0; i < tokenCount; i++) {
    if (tokenStarts[i + 1] <= tokenStarts[i]) { problems.push(`empty or backwards token ${i}`); break; }
  }
  for (const e of file.errors) {
    if (!(e.start >= 0 && e.end >= e.start && e.end <= len)) problems.push(`error range out of text: ${e.message}`);
  }
  const visit = (list: Statement[], lo: number, hi: number, parent: Directive | null): void => {
    let prev = lo;
    for (const s of list) {
      if (s.start < prev || s.end > hi || s.end < s.start) {
        problems.push(`node out of order or outside its parent at ${s.start}-${s.end}`);
        return;
      }
      prev = s.end;
      if (s.kind === 'directive') {
        if (s.parent !== parent) problems.push(`wrong parent at ${s.start}`);
        if (text.slice(s.nameWord.start, s.nameWord.end) !== s.nameWord.raw) problems.push(`name text mismatch at ${s.start}`);
        for (const a of s.args) {
          if (a.start < s.nameWord.end || a.end > s.end || text.slice(a.start, a.end) !== a.raw) problems.push(`argument mismatch at ${a.start}`);
        }
        if (s.block) checkBlock(s.block, s);
      }
    }
  };
  const checkBlock = (b: Block, owner: Directive): void => {
    if (b.owner !== owner) problems.push(`block owner mismatch at ${b.start}`);
    if (text[b.open] !== '{') problems.push(`block does not open with { at ${b.open}`);
    if (b.close >= 0 && text[b.close] !== '}') problems.push(`block does not close with } at ${b.close}`);
    if (b.end > owner.end || b.start < owner.start) problems.push(`block outside its directive at ${b.start}`);
    visit(b.children, b.open + 1, b.close >= 0 ? b.close : len, owner);
  };
  visit(file.children, 0, len, null);
  return problems;
}

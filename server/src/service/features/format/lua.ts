/**
 * Re-indentation of a `*_by_lua_block` body: the whole body is shifted by one uniform amount so its
 * least-indented line sits one level inside the block; nothing is reflowed. Lines that begin inside
 * a Lua string or long comment (`[[ … ]]`, `--[[ … ]]`, a `"…\` continuation) are never touched,
 * because their leading whitespace is part of a value.
 */

const LF = 0x0a, CR = 0x0d, DQ = 0x22, SQ = 0x27, BSL = 0x5c,
  LBRACKET = 0x5b, EQ = 0x3d, DASH = 0x2d;

/**
 * For each line of `text[from, to)` after the first, whether the line starts inside a string or a
 * long comment. `starts` are the offsets of those lines (after each LF).
 */
export function luaLineStates(text: string, from: number, to: number): { starts: number[]; inside: boolean[] } {
  const starts: number[] = [];
  const inside: boolean[] = [];
  // state: 0 code, 1 short string, 2 long bracket (string or comment)
  let state = 0;
  let quote = 0;
  let closer = '';
  let pos = from;
  while (pos < to) {
    const c = text.charCodeAt(pos);
    if (c === LF) {
      pos++;
      if (state === 1) state = 0; // an unfinished short string ends at the line end (as the parser reads it)
      starts.push(pos);
      inside.push(state !== 0);
      continue;
    }
    if (state === 1) {
      if (c === BSL) {
        // an escaped newline continues the string onto the next line
        const n = text.charCodeAt(pos + 1);
        const skip = n === LF ? 2 : n === CR && text.charCodeAt(pos + 2) === LF ? 3 : 0;
        if (skip) { pos += skip; starts.push(pos); inside.push(true); continue; }
        pos += 2;
        continue;
      }
      if (c === quote) state = 0;
      pos++;
      continue;
    }
    if (state === 2) {
      if (c === 0x5d /* ] */ && text.startsWith(closer, pos)) { state = 0; pos += closer.length; continue; }
      pos++;
      continue;
    }
    if (c === DQ || c === SQ) { state = 1; quote = c; pos++; continue; }
    if (c === LBRACKET) {
      const lvl = longOpen(text, pos);
      if (lvl >= 0) { state = 2; closer = ']' + '='.repeat(lvl) + ']'; pos += lvl + 2; continue; }
      pos++;
      continue;
    }
    if (c === DASH && text.charCodeAt(pos + 1) === DASH) {
      pos += 2;
      if (text.charCodeAt(pos) === LBRACKET) {
        const lvl = longOpen(text, pos);
        if (lvl >= 0) { state = 2; closer = ']' + '='.repeat(lvl) + ']'; pos += lvl + 2; continue; }
      }
      while (pos < to && text.charCodeAt(pos) !== LF) pos++;
      continue;
    }
    pos++;
  }
  return { starts, inside };
}

/** Level of a Lua long bracket opening at `pos` (`[[` → 0, `[=[` → 1), or -1. */
function longOpen(text: string, pos: number): number {
  let p = pos + 1;
  let lvl = 0;
  while (text.charCodeAt(p) === EQ) { lvl++; p++; }
  return text.charCodeAt(p) === LBRACKET ? lvl : -1;
}

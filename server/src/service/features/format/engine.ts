/**
 * The formatter's core: one pass over the lossless token stream that decides, for every run of
 * whitespace between two non-whitespace tokens, what that whitespace should be, and emits an edit
 * only where it differs. Nothing but whitespace is ever replaced, so the sequence of words, strings,
 * comments, `;`, `{` and `}` is the same before and after by construction (comments lose trailing
 * blanks; Lua bodies only have line indentation changed outside strings and long comments).
 *
 * Edits are fine-grained (a line's trailing blanks, a run of surplus blank lines, a line's
 * indentation are separate edits), so range formatting is a filter: keep the edits that lie inside
 * the selected lines.
 */
import { TokenKind, type Block, type BodyKind, type ParsedFile, type Statement } from '../../syntax/tree';
import { bodyKindFor, wordValue } from '../../syntax/parser';
import { luaLineStates } from './lua';
import type { OffsetEdit } from '../../analysis/edits';
import { lineAt } from '../../syntax/positions';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  alignMapValues?: boolean;
}

/** Offset-based edits against `file.text` (the project's one edit shape, analysis/edits.ts). */
export type { OffsetEdit };

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** All whitespace edits for a whole file, in ascending order. The caller checks `file.errors`. */
export function computeEdits(file: ParsedFile, options: FormatOptions): OffsetEdit[] {
  const { text, tokenKinds: kinds, tokenStarts: starts, tokenCount: n } = file;
  const len = text.length;
  const edits: OffsetEdit[] = [];
  if (len === 0) return edits;

  const ts = Number.isInteger(options.tabSize) && options.tabSize > 0 ? options.tabSize : 4;
  const spaces = options.insertSpaces !== false;
  const eol = detectEol(file);

  const depthCache: string[] = [];
  const depthIndent = (d: number): string => {
    let s = depthCache[d];
    if (s === undefined) s = depthCache[d] = spaces ? ' '.repeat(d * ts) : '\t'.repeat(d);
    return s;
  };
  const widthIndent = (w: number): string => {
    if (spaces) return ' '.repeat(w);
    return '\t'.repeat(Math.floor(w / ts)) + ' '.repeat(w % ts);
  };
  /** visual width of text[a, b) (tabs to the next tab stop) */
  const widthOf = (a: number, b: number): number => {
    let w = 0;
    for (let p = a; p < b; p++) w = text.charCodeAt(p) === TAB ? w - (w % ts) + ts : w + 1;
    return w;
  };
  const replace = (s: number, e: number, t: string): void => {
    if (e - s === t.length) {
      let k = 0;
      while (k < t.length && text.charCodeAt(s + k) === t.charCodeAt(k)) k++;
      if (k === t.length) return;
    }
    edits.push({ start: s, end: e, newText: t });
  };

  // value padding for aligned map/types entries, by the end offset of the entry's key
  const pads = new Map<number, number>();
  if (options.alignMapValues === true) collectPads(file.children, pads, text);

  let depth = 0;
  const bodyStack: BodyKind[] = [];
  let inStmt = false;
  let stmtEntry = false;
  let wordIdx = 0;
  let prev = 0; // kind of the previous non-whitespace token; 0 at the start of the file
  let prevEnd = 0;
  let stmtNewCol = 0;
  // The statement's first line, recorded cheaply (offsets of its words and the new gap before each)
  // and turned into columns only when a continuation line needs them.
  let firstLine = false;
  let stmtAfterNl = false;
  let stmtLineWs = 0;
  const lineWords: number[] = []; // start, end pairs
  const lineGaps: string[] = []; // new gap text before word j (j >= 1)
  let nWords = 0; // words recorded in lineWords/lineGaps for the current statement
  let colsReady = false;
  let stmtDelta = 0;
  const colsOrig: number[] = [];
  const colsNew: number[] = [];
  /** column after text[a, b) when it starts at column `col` */
  const advance = (col: number, a: number, b: number): number => {
    for (let p = a; p < b; p++) col = text.charCodeAt(p) === TAB ? col - (col % ts) + ts : col + 1;
    return col;
  };
  const advanceStr = (col: number, s: string): number => {
    for (let p = 0; p < s.length; p++) col = s.charCodeAt(p) === TAB ? col - (col % ts) + ts : col + 1;
    return col;
  };
  /** columns of the words on the statement's first line, before and after formatting */
  const ensureCols = (): void => {
    if (colsReady) return;
    colsReady = true;
    colsOrig.length = 0;
    colsNew.length = 0;
    const s0 = lineWords[0];
    let o = stmtAfterNl ? widthOf(stmtLineWs, s0) : columnOf(file, s0, widthOf);
    stmtDelta = stmtNewCol - o;
    let w = stmtNewCol;
    for (let j = 0; j < nWords; j++) {
      const ws = lineWords[2 * j], we = lineWords[2 * j + 1];
      if (j > 0) {
        o = advance(o, lineWords[2 * j - 1], ws);
        w = advanceStr(w, lineGaps[j]);
      }
      colsOrig.push(o);
      colsNew.push(w);
      if (hasNewline(text, ws, we)) break; // a word spanning lines ends the first line
      o = advance(o, ws, we);
      w = advance(w, ws, we);
    }
  };
  /**
   * Indentation of a continuation line of a statement (one whose original indentation is
   * text[lineWsStart, gapEnd)): under the same word of the first line when it was aligned under one,
   * else shifted by as much as the statement moved; at least one level deeper than the statement.
   */
  const contIndent = (lineWsStart: number, gapEnd: number): string => {
    ensureCols();
    const w = widthOf(lineWsStart, gapEnd);
    const k = colsOrig.indexOf(w);
    const target = k >= 0 ? colsNew[k] : w + stmtDelta;
    return widthIndent(Math.max(target, stmtNewCol + ts));
  };

  // the current gap: [gapStart, gapEnd) with `nl` newline tokens, the first and last of them at
  // [firstNl, firstNlEnd) and [lastNl, lastNlEnd)
  let gapStart = 0, gapEnd = 0, nl = 0, firstNl = -1, firstNlEnd = -1, lastNl = -1, lastNlEnd = -1;
  /** lays the gap out as `k` newlines (1, or 2 for one blank line) followed by `indent` */
  const layout = (k: number, indent: string): void => {
    if (nl === 0) { replace(gapStart, gapEnd, eol + indent); return; }
    replace(gapStart, firstNl, '');
    if (nl > 1) {
      if (k >= 2) {
        // keep exactly one blank line: the first newline, then the last one; drop what is between
        // and the blanks on the kept blank line
        replace(firstNlEnd, lastNl, '');
      } else {
        replace(firstNlEnd, lastNlEnd, '');
      }
    }
    replace(lastNlEnd, gapEnd, indent);
  };


  let i = 0;
  for (;;) {
    // ---- the whitespace gap before token i
    gapStart = i < n ? starts[i] : len;
    nl = 0;
    firstNl = -1; firstNlEnd = -1; lastNl = -1; lastNlEnd = -1;
    while (i < n) {
      const k = kinds[i];
      if (k === TokenKind.Newline) {
        nl++;
        lastNl = starts[i];
        lastNlEnd = starts[i + 1];
        if (nl === 1) { firstNl = lastNl; firstNlEnd = lastNlEnd; }
      } else if (k !== TokenKind.Space) break;
      i++;
    }
    gapEnd = i < n ? starts[i] : len;

    if (i >= n) {
      // end of file: one final newline after the last token
      if (prev === 0) replace(gapStart, gapEnd, '');
      else if (nl === 0) replace(gapStart, gapEnd, eol);
      else {
        replace(gapStart, firstNl, '');
        replace(firstNlEnd, gapEnd, '');
      }
      break;
    }

    const kind = kinds[i];
    const tokStart = gapEnd;
    const tokEnd = starts[i + 1];
    const body: BodyKind = bodyStack.length ? bodyStack[bodyStack.length - 1] : 'directives';

    switch (kind) {
      case TokenKind.Comment: {
        if (prev === 0) replace(gapStart, gapEnd, '');
        else if (nl === 0) replace(gapStart, gapEnd, ' ');
        else layout(prev === TokenKind.OpenBrace ? 1 : Math.min(nl, 2), inStmt ? contIndent(lastNlEnd, gapEnd) : depthIndent(depth));
        // trailing blanks of the comment line
        let e = tokEnd;
        while (e > tokStart + 1 && isBlank(text.charCodeAt(e - 1))) e--;
        if (e < tokEnd) edits.push({ start: e, end: tokEnd, newText: '' });
        break;
      }
      case TokenKind.Word:
      case TokenKind.String: {
        if (!inStmt) {
          if (prev === 0) replace(gapStart, gapEnd, '');
          else layout(nl === 0 || prev === TokenKind.OpenBrace ? 1 : Math.min(nl, 2), depthIndent(depth));
          stmtNewCol = depth * ts;
          stmtAfterNl = nl > 0;
          stmtLineWs = lastNlEnd;
          inStmt = true;
          stmtEntry = body === 'entries';
          wordIdx = 0;
          firstLine = true;
          colsReady = false;
          nWords = 0;
        } else {
          wordIdx++;
          if (nl > 0) {
            firstLine = false;
            layout(Math.min(nl, 2), contIndent(lastNlEnd, gapEnd));
          } else {
            let gap: string;
            if (gapStart === gapEnd) gap = ''; // glued to a closing quote (`"…")`): keep it glued
            else if (!stmtEntry) gap = ' ';
            else {
              // map/types entries keep their spacing, unless values are aligned
              const pad = wordIdx === 1 && prev !== TokenKind.Comment ? pads.get(prevEnd) : undefined;
              gap = pad !== undefined ? ' '.repeat(pad) : text.slice(gapStart, gapEnd);
            }
            replace(gapStart, gapEnd, gap);
            if (firstLine) lineGaps[nWords] = gap;
          }
        }
        if (firstLine) {
          lineWords[2 * nWords] = tokStart;
          lineWords[2 * nWords + 1] = tokEnd;
          nWords++;
        }
        break;
      }
      case TokenKind.Semicolon: {
        if (prev === TokenKind.Comment) layout(Math.min(nl, 2), contIndent(lastNlEnd, gapEnd));
        else replace(gapStart, gapEnd, '');
        inStmt = false;
        break;
      }
      case TokenKind.OpenBrace: {
        if (prev === TokenKind.Comment) layout(1, depthIndent(depth));
        else replace(gapStart, gapEnd, ' ');
        inStmt = false;
        depth++;
        bodyStack.push(bodyKindFor(nameValue(text, lineWords[0], lineWords[1]), body));
        break;
      }
      case TokenKind.CloseBrace: {
        if (prev === TokenKind.Raw) {
          // the Lua body ends right at the brace; its last line was handled with the body
        } else if (prev === TokenKind.OpenBrace && nl === 0) replace(gapStart, gapEnd, '');
        else layout(1, depthIndent(Math.max(0, depth - 1)));
        inStmt = false;
        if (depth > 0) depth--;
        bodyStack.pop();
        break;
      }
      case TokenKind.Raw: {
        luaBody(tokStart, tokEnd, Math.max(0, depth - 1));
        break;
      }
      default:
        break;
    }
    prev = kind;
    prevEnd = tokEnd;
    i++;
  }
  return edits;

  /** Shifts a Lua body uniformly so its least-indented line is one level inside the block. */
  function luaBody(rs: number, re: number, ownerDepth: number): void {
    const firstLf = text.indexOf('\n', rs);
    if (firstLf < 0 || firstLf >= re) return; // a one-line body stays as it is
    // blanks after `{` on the opening line
    let p = rs;
    while (p < firstLf && isBlank(text.charCodeAt(p))) p++;
    if (p === firstLf || (text.charCodeAt(p) === CR && p + 1 === firstLf)) replace(rs, p, '');
    const { starts: ls, inside } = luaLineStates(text, rs, re);
    // per line: -1 untouched, -2 blank, -3 last line before `}` (blank), else the indentation width
    const ws = new Int32Array(ls.length);
    const wsEnd = new Int32Array(ls.length);
    let min = Infinity;
    for (let j = 0; j < ls.length; j++) {
      ws[j] = -1;
      if (inside[j]) continue;
      const s = ls[j];
      let w = s;
      while (w < re && isBlank(text.charCodeAt(w))) w++;
      wsEnd[j] = w;
      if (w === re && j === ls.length - 1) { ws[j] = -3; continue; }
      const c = w < re ? text.charCodeAt(w) : LF;
      if (c === LF || (c === CR && text.charCodeAt(w + 1) === LF)) { ws[j] = -2; continue; }
      const width = widthOf(s, w);
      ws[j] = width;
      if (width < min) min = width;
    }
    const delta = min === Infinity ? 0 : (ownerDepth + 1) * ts - min;
    for (let j = 0; j < ls.length; j++) {
      const v = ws[j];
      if (v === -1) continue;
      if (v === -2) replace(ls[j], wsEnd[j], '');
      else if (v === -3) replace(ls[j], wsEnd[j], depthIndent(ownerDepth));
      else replace(ls[j], wsEnd[j], widthIndent(v + delta));
    }
  }
}

function detectEol(file: ParsedFile): string {
  const { tokenKinds: kinds, tokenStarts: starts, tokenCount: n, text } = file;
  for (let i = 0; i < n; i++) {
    if (kinds[i] === TokenKind.Newline) return text.charCodeAt(starts[i]) === CR ? '\r\n' : '\n';
  }
  return '\n';
}

/** Visual column of `offset` in its line of the original text. */
function columnOf(file: ParsedFile, offset: number, widthOf: (a: number, b: number) => number): number {
  return widthOf(file.lineStarts[lineAt(file, offset)], offset);
}

/**
 * When aligning, the padding after the key of each map/types entry. Alignment runs over consecutive
 * entries; a blank line starts a new run. Entries whose value is not on the key's line, and keys
 * spanning lines, do not take part.
 */
function collectPads(list: Statement[], pads: Map<number, number>, text: string): void {
  for (const s of list) {
    if (s.kind !== 'directive' || !s.block) continue;
    if (s.block.body === 'entries') alignEntries(s.block, pads, text);
    else if (s.block.children.length) collectPads(s.block.children, pads, text);
  }
}

/** A directive name as nginx reads it (quotes removed, escapes resolved): the parser's own reading. */
function nameValue(text: string, start: number, end: number): string {
  const c = text.charCodeAt(start);
  return wordValue(text, start, end, c === 0x22 || c === 0x27);
}

function alignEntries(b: Block, pads: Map<number, number>, text: string): void {
  let run: { key: number; width: number }[] = [];
  const flush = (): void => {
    let max = 0;
    for (const r of run) if (r.width > max) max = r.width;
    for (const r of run) pads.set(r.key, max + 1 - r.width);
    run = [];
  };
  let prevEnd = b.open + 1;
  for (const c of b.children) {
    if (hasBlankLine(text, prevEnd, c.start)) flush();
    prevEnd = c.kind === 'directive' ? (c.trailingComment ? c.trailingComment.end : c.end) : c.end;
    if (c.kind !== 'directive' || !c.isEntry || !c.args.length || c.block) continue;
    const key = c.nameWord;
    if (key.raw.indexOf('\n') >= 0 || hasNewline(text, key.end, c.args[0].start)) continue;
    run.push({ key: key.end, width: key.raw.length });
  }
  flush();
}

function hasNewline(text: string, a: number, b: number): boolean {
  for (let p = a; p < b; p++) if (text.charCodeAt(p) === LF) return true;
  return false;
}

/** true when text[a, b) (whitespace) holds two or more newlines */
function hasBlankLine(text: string, a: number, b: number): boolean {
  let seen = 0;
  for (let p = a; p < b; p++) {
    if (text.charCodeAt(p) === LF && ++seen >= 2) return true;
  }
  return false;
}

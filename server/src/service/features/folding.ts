import type { FoldingRange } from 'vscode-languageserver-types';
import { positionAt } from '../syntax/positions';
import { TokenKind, type ParsedFile, type Statement } from '../syntax/tree';

/** Folding ranges: every block spanning lines, runs of own-line comments, and `# region` markers. */
export function getFoldingRanges(file: ParsedFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  // the line starts and the text read once: the editor asks for folding after every keystroke, and
  // a large file has thousands of blocks
  const lines = { lineStarts: file.lineStarts, text: file.text };
  const visit = (list: Statement[]) => {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.kind !== 'directive') continue;
      const b = s.block;
      if (!b) continue;
      const start = positionAt(lines, b.open).line;
      const endOffset = b.close >= 0 ? b.close : lines.text.length;
      const end = positionAt(lines, endOffset).line - (b.close >= 0 ? 1 : 0);
      if (end > start) out.push({ startLine: start, endLine: end });
      if (b.children.length) visit(b.children);
    }
  };
  visit(file.children);
  // comment runs and regions
  const regions: number[] = [];
  let runStart = -1, runEnd = -1;
  const kinds = file.tokenKinds, starts = file.tokenStarts, count = file.tokenCount;
  for (let i = 0; i < count; i++) {
    if (kinds[i] !== TokenKind.Comment) continue;
    const at = starts[i];
    const line = positionAt(lines, at).line;
    const text = lines.text.slice(at, starts[i + 1]);
    if (/^#\s*region\b/.test(text)) regions.push(line);
    else if (/^#\s*endregion\b/.test(text) && regions.length) out.push({ startLine: regions.pop()!, endLine: line, kind: 'region' });
    const ownLine = lines.text.slice(lines.lineStarts[line], at).trim() === '';
    if (!ownLine) continue;
    if (line === runEnd + 1) runEnd = line;
    else {
      if (runEnd > runStart && runStart >= 0) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
      runStart = runEnd = line;
    }
  }
  if (runEnd > runStart && runStart >= 0) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
  return out;
}

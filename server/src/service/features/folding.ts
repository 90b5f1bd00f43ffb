import type { FoldingRange } from 'vscode-languageserver-types';
import { positionAt } from '../syntax/positions';
import { TokenKind, type ParsedFile, type Statement } from '../syntax/tree';

/** Folding ranges: every block spanning lines, runs of own-line comments, and `# region` markers. */
export function getFoldingRanges(file: ParsedFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  const visit = (list: Statement[]) => {
    for (const s of list) {
      if (s.kind !== 'directive' || !s.block) continue;
      const start = positionAt(file, s.block.open).line;
      const endOffset = s.block.close >= 0 ? s.block.close : file.text.length;
      const end = positionAt(file, endOffset).line - (s.block.close >= 0 ? 1 : 0);
      if (end > start) out.push({ startLine: start, endLine: end });
      visit(s.block.children);
    }
  };
  visit(file.children);
  // comment runs and regions
  const regions: number[] = [];
  let runStart = -1, runEnd = -1;
  for (let i = 0; i < file.tokenCount; i++) {
    if (file.tokenKinds[i] !== TokenKind.Comment) continue;
    const at = file.tokenStarts[i];
    const line = positionAt(file, at).line;
    const text = file.text.slice(at, file.tokenStarts[i + 1]);
    if (/^#\s*region\b/.test(text)) regions.push(line);
    else if (/^#\s*endregion\b/.test(text) && regions.length) out.push({ startLine: regions.pop()!, endLine: line, kind: 'region' });
    const ownLine = file.text.slice(file.lineStarts[line], at).trim() === '';
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

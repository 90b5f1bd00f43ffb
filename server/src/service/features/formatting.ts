// Placeholder until issue 7 (formatter) lands.
import type { ParsedFile } from '../syntax/tree';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  alignMapValues?: boolean;
}

/** Offset-based edits against `file.text`. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export function formatFile(_file: ParsedFile, _options: FormatOptions, _range?: { start: number; end: number }): OffsetEdit[] {
  return [];
}

export function formatOnType(_file: ParsedFile, _offset: number, _ch: string, _options: FormatOptions): OffsetEdit[] {
  return [];
}

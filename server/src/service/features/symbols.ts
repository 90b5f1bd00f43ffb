// Placeholder until issue 4 (workspace model) lands.
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver-types';
import type { ParsedFile } from '../syntax/tree';
import type { Workspace } from '../workspace/workspace';

export function documentSymbols(_file: ParsedFile): DocumentSymbol[] {
  return [];
}
export function workspaceSymbols(_workspace: Workspace, _query: string): SymbolInformation[] {
  return [];
}

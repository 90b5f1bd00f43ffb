// Placeholder until issue 4 (workspace model) lands.
import type { FeatureContext, OffsetLocation } from './context';

export function findDefinition(_ctx: FeatureContext, _offset: number): OffsetLocation[] {
  return [];
}
export function findReferences(_ctx: FeatureContext, _offset: number, _includeDeclaration: boolean): OffsetLocation[] {
  return [];
}
/** The range of the symbol that would be renamed, or null when nothing renameable is there. */
export function prepareRename(_ctx: FeatureContext, _offset: number): { start: number; end: number; placeholder: string } | null {
  return null;
}
export function rename(_ctx: FeatureContext, _offset: number, _newName: string): { location: OffsetLocation; newText: string }[] | null {
  return null;
}
export function documentLinks(_ctx: FeatureContext): { start: number; end: number; target: string; tooltip?: string }[] {
  return [];
}

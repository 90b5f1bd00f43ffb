// Placeholder until issue 5 (WebSocket) lands: applies every WebSocket fix to a location or a file.
import type { Fix } from '../analysis/types';
import type { FeatureContext } from './context';

/** One combined fix applying all WebSocket fixes in the file (or only in the location at `offset`). */
export function fixAllWebSocket(_ctx: FeatureContext, _offset: number | null): Fix | null {
  return null;
}

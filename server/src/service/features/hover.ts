// Placeholder until issue 3 (directive knowledge) lands: directive/variable/value hover.
import type { FeatureContext } from './context';

export interface HoverSection {
  markdown: string;
  start: number;
  end: number;
}

export function getHover(_ctx: FeatureContext, _offset: number): HoverSection | null {
  return null;
}

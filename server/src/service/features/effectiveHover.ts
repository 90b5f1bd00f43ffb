// Placeholder until issue 5 (WebSocket / effective configuration) lands.
import type { FeatureContext } from './context';

/** Markdown describing the effective value of the directive at `offset` and where it comes from. */
export function getEffectiveHover(_ctx: FeatureContext, _offset: number): string | null {
  return null;
}

/** Markdown listing the effective configuration at `offset` (command "Show effective configuration here"). */
export function describeEffectiveConfiguration(_ctx: FeatureContext, _offset: number): string | null {
  return null;
}

/**
 * Inlay hints: at the `proxy_pass` of a WebSocket location, the effective values the text does not
 * show — a `proxy_read_timeout` / `proxy_http_version` that is nginx's default or inherited from an
 * outer level, and the outer `proxy_set_header` lines this level stops inheriting.
 */
import { factsFor, findTargets } from '../analysis/proxy';
import { headerEntries, type EffectiveValue } from '../analysis/effective';
import type { FeatureContext } from './context';

export interface OffsetInlayHint {
  offset: number;
  label: string;
  tooltip: string;
}

function origin(v: EffectiveValue): string {
  return v.isDefault ? 'default' : `from ${v.scope?.context ?? 'outer level'}`;
}

export function getInlayHints(ctx: FeatureContext, start: number, end: number): OffsetInlayHint[] {
  const out: OffsetInlayHint[] = [];
  // facts only for the targets in the range: the editor asks for the visible lines on every scroll
  for (const t of findTargets(ctx.view, start, end)) {
    const pass = t.proxyPass;
    if (pass.end < start || pass.start > end) continue;
    const f = factsFor(ctx.view, t, ctx.settings);
    if (!f.isWs) continue;
    if (ctx.view.sourceOf(pass) !== ctx.source) continue; // the proxy_pass of an included file
    const at = pass.end;
    const parts: string[] = [];
    const tips: string[] = [];
    const rt = f.readTimeout;
    if (!rt.local && rt.value) {
      parts.push(`proxy_read_timeout ${rt.value} (${origin(rt)})`);
      tips.push(rt.isDefault
        ? `No proxy_read_timeout here or above: nginx's default ${rt.value} closes an idle WebSocket after that long.`
        : `proxy_read_timeout ${rt.value} is inherited from the ${rt.scope?.context ?? 'outer'} level.`);
    }
    const hv = f.httpVersion;
    if (!hv.local && hv.value) {
      parts.push(`proxy_http_version ${hv.value} (${origin(hv)})`);
      tips.push(hv.isDefault
        ? `No proxy_http_version here or above: nginx ${ctx.settings.version || '(latest)'} talks HTTP/${hv.value} to the backend.`
        : `proxy_http_version ${hv.value} is inherited from the ${hv.scope?.context ?? 'outer'} level.`);
    }
    // any outer proxy_set_header this level's own list stops (the ws rule only reports Upgrade/Connection)
    const parent = f.inheritedHeaders;
    if (f.headers.local && parent.directives.length) {
      const own = new Set(f.entries.map((e) => e.header.toLowerCase()));
      const names = headerEntries(parent.directives).map((e) => e.header).filter((h) => !own.has(h.toLowerCase()));
      if (names.length) {
        parts.push(`drops ${names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ')}`);
        tips.push(`This level has its own proxy_set_header lines, so the ${parent.scope?.context ?? 'outer'}-level ones are not inherited: ${names.join(', ')}.`);
      }
    }
    if (parts.length) out.push({ offset: at, label: parts.join(' · '), tooltip: tips.join('\n\n') });
  }
  return out;
}

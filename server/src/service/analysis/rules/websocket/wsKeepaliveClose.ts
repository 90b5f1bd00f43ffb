/** ws-keepalive-close: the upstream keeps connections alive but the map sends "Connection: close" on plain requests. */
import type { Directive } from '../../../syntax/tree';
import type { ConfigView, Finding, Fix, Rule } from '../../types';
import { connectionMaps, findUpstream, fix, mapEntry, MAP_VAR, placeFor, related, wsFacts } from './common';

export const wsKeepaliveClose: Rule = {
  code: 'ws-keepalive-close',
  defaultSeverity: 'hint',
  description: "Upstream keepalive defeated by the map sending close for plain requests",
  check(ctx) {
    // The first map whose '' entry sends close, and what every finding says about it: the same for
    // all locations (a large configuration has one per site), so made once and shared.
    let closing: Closing | null | undefined;
    for (const f of wsFacts(ctx)) {
      if (!f.isWs || !f.upstreamName || !f.connection || !f.connection.value.includes(MAP_VAR)) continue;
      const up = findUpstream(ctx.view, f.upstreamName);
      if (!up || !hasKeepalive(ctx.view.expand(up.upstream))) continue;
      if (closing === undefined) closing = closingEntry(ctx.view);
      if (!closing) continue;
      const at = placeFor(ctx, f.target, f.target.proxyPass);
      ctx.report({
        message: `Upstream "${f.upstreamName}" keepalive is wasted: the $connection_upgrade map sends "Connection: close" on plain requests, so those connections are never reused. Map '' to "" instead (no Connection header; HTTP/1.1 keeps the connection).`,
        start: at.start,
        end: at.end,
        related: closing.related,
        fixes: closing.fixes,
      });
    }
  },
};

function hasKeepalive(body: Directive[]): boolean {
  for (const d of body) if (d.name === 'keepalive') return true;
  return false;
}

/** The `'' close` entry of a `$connection_upgrade` map, with the related information and fix of its findings. */
interface Closing {
  related: Finding['related'];
  fixes: () => Fix[];
}

/** The `'' close` entry of the first `$connection_upgrade` map that has one. */
function closingEntry(view: ConfigView): Closing | null {
  for (const m of connectionMaps(view)) {
    const entry = mapEntry(m.map, '');
    if (entry && entry.nameWord.quote && entry.argValue(0) === 'close') {
      const source = m.source;
      return {
        related: related(view, entry, "'' maps to close here"),
        fixes: () => {
          const v = entry.args[0];
          return fix(`Map '' to "" in the $connection_upgrade map`, [{ source, start: v.start, end: v.end, newText: '""' }]);
        },
      };
    }
  }
  return null;
}

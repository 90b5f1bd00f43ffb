/** ws-keepalive-close: the upstream keeps connections alive but the map sends "Connection: close" on plain requests. */
import type { Rule } from '../../types';
import { connectionMaps, findUpstream, fix, mapEntry, MAP_VAR, placeFor, related, wsFacts } from './common';

export const wsKeepaliveClose: Rule = {
  code: 'ws-keepalive-close',
  defaultSeverity: 'hint',
  description: "Upstream keepalive defeated by the map sending close for plain requests",
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.isWs || !f.upstreamName || !f.connection || !f.connection.value.includes(MAP_VAR)) continue;
      const up = findUpstream(ctx.view, f.upstreamName);
      if (!up || !ctx.view.expand(up.upstream).some((d) => d.name === 'keepalive')) continue;
      const maps = connectionMaps(ctx.view);
      const entry = maps.map((m) => ({ ...m, entry: mapEntry(m.map, '') })).find((m) => m.entry && m.entry.nameWord.quote && m.entry.args[0]?.value === 'close');
      if (!entry || !entry.entry) continue;
      ctx.report({
        message: `Upstream "${f.upstreamName}" has keepalive, but the $connection_upgrade map sends "Connection: close" on plain requests, so those connections are never reused. Map '' to "" instead (no Connection header; HTTP/1.1 keeps the connection).`,
        ...placeFor(ctx, f.target, f.target.proxyPass),
        related: related(ctx.view, entry.entry, "'' maps to close here"),
        fixes: () => {
          const v = entry.entry!.args[0];
          return fix(`Map '' to "" in the $connection_upgrade map`, [{ source: entry.source, start: v.start, end: v.end, newText: '""' }]);
        },
      });
    }
  },
};

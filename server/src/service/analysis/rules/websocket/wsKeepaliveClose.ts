/**
 * ws-keepalive-close: the upstream keeps connections alive (`keepalive N`, or by default for an
 * explicit upstream from nginx 1.29.7) but the map sends "Connection: close" on plain requests, so
 * none of their connections is reused. The cause is the one map: reported once per file (on the
 * map's '' entry when the map is in it), not once per location.
 */
import { onlyNamed } from '../../incremental';
import type { Finding, FindingGroup, Rule } from '../../types';
import { fix } from '../../edits';
import { connectionMaps, mapEntry, MAP_VAR, wsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';
import { hasToken } from '../../upgradeModel';

export const wsKeepaliveClose: Rule = {
  code: 'ws-keepalive-close',
  family: 'websocket',
  reach: onlyNamed('proxy_pass', 'proxy_set_header', 'proxy_http_version', 'location', 'if', 'limit_except'),
  fixAll: true,
  defaultSeverity: 'information',
  description: "Upstream keepalive defeated by the map sending close for plain requests",
  check(ctx) {
    const affected = new Set<string>();
    let first: { start: number; end: number } | null = null;
    let firstGroup: FindingGroup | null = null;
    for (const f of wsFacts(ctx)) {
      if (!f.isWs || !f.connection || !f.connection.value.includes(MAP_VAR)) continue;
      if (!hasToken(f.plainRequest.connection, 'close') || !f.upstreamKeepalive) continue;
      affected.add(f.upstreamName!);
      if (!first) { first = placeFor(ctx, f.target, f.target.proxyPass); firstGroup = groupOf(f.target); }
    }
    if (!first) return;
    for (const m of connectionMaps(ctx.view)) {
      const entry = mapEntry(m.map, '');
      if (!entry || !entry.nameWord.quote || entry.argValue(0) !== 'close') continue;
      const here = m.source === ctx.source;
      const list = [...affected];
      const names = list.slice(0, 3).map((n) => `"${n}"`).join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
      const rel: Finding['related'] = here ? undefined : related(ctx.view, entry, "'' maps to close here");
      ctx.report({
        message: `Upstream keepalive is wasted: ${names} keep${list.length > 1 ? '' : 's'} connections alive, but the $connection_upgrade map sends "Connection: close" on plain requests, so those connections are never reused. Map '' to "" instead (no Connection header; HTTP/1.1 keeps the connection).`,
        start: here ? entry.start : first.start,
        end: here ? entry.end : first.end,
        related: rel,
        group: here ? undefined : firstGroup!,
        fixes: () => fix(`Map '' to "" in the $connection_upgrade map`, [{ source: m.source, start: entry.args[0].start, end: entry.args[0].end, newText: '""' }]),
      });
      return;
    }
  },
};

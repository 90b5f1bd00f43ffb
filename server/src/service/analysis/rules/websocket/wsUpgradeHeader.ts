/**
 * ws-upgrade-header: `Connection` asks for an upgrade but `Upgrade` is not forwarded (error); or a
 * block that is likely a WebSocket endpoint (its path, its upstream's name, or buffering off with a
 * long read timeout) forwards neither header (warning: the handshake would fail).
 */
import type { Rule } from '../../types';
import { fix } from '../../edits';
import { droppedHeaders, headerEdits, websocketProxyEdits, wsFacts, groupOf } from '../../proxy';
import { related } from '../../report';

export const wsUpgradeHeader: Rule = {
  code: 'ws-upgrade-header',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'error',
  description: 'Connection set for an upgrade without forwarding Upgrade, or a likely WebSocket endpoint that forwards neither',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      const t = f.target;
      if (f.connectionForUpgrade && !f.upgradeForwarded) {
        if (droppedHeaders(f)) continue; // ws-headers-dropped says why and restores both
        ctx.report({
          message: 'The Connection header asks for an upgrade but the Upgrade header is not forwarded: nginx does not pass the client\'s hop-by-hop headers on, so the backend never sees "Upgrade: websocket" and refuses the handshake. Add proxy_set_header Upgrade $http_upgrade.',
          start: t.start,
          end: t.end,
          group: groupOf(t),
          related: related(ctx.view, f.connection?.directive ?? null, 'Connection is set here'),
          fixes: () => fix('Insert proxy_set_header Upgrade $http_upgrade', headerEdits(ctx.view, f, [['Upgrade', '$http_upgrade']])),
        });
      } else if (f.likelyWs && !f.upgradeForwarded && !f.connectionForUpgrade) {
        const why = f.looksWs ? `"${t.path}" looks like a WebSocket endpoint` : f.upstreamName && !f.looksWs && /ws|socket|cable|signalr/i.test(f.upstreamName)
          ? `upstream "${f.upstreamName}" looks like a WebSocket backend`
          : 'buffering is off with a long read timeout, as for WebSockets';
        ctx.report({
          message: `No Upgrade or Connection header is forwarded, but ${why}: every WebSocket handshake through it fails (the backend answers 400 or a plain response). If it carries WebSockets, forward both headers over HTTP/1.1; if it does not, put "# nginx-disable-next-line ws-upgrade-header" above it.`,
          start: t.start,
          end: t.end,
          group: groupOf(t),
          severity: 'warning',
          fixes: () => fix('Make this a WebSocket proxy (Upgrade and Connection headers, HTTP/1.1, map, timeouts)', websocketProxyEdits(ctx, f)),
        });
      }
    }
  },
};

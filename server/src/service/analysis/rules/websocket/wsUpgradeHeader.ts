/**
 * ws-upgrade-header: `Connection` is set for an upgrade but `Upgrade` is not forwarded (error); or a
 * location whose path looks like a WebSocket endpoint forwards neither header (hint).
 */
import type { Rule } from '../../types';
import { droppedHeaders, fix, headerEdits, insertLines, mapEdit, MAP_VAR, related, targetSource, wsFacts } from './common';

export const wsUpgradeHeader: Rule = {
  code: 'ws-upgrade-header',
  defaultSeverity: 'error',
  description: 'Connection set for an upgrade without forwarding Upgrade, or a WebSocket-looking path that forwards neither',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      const t = f.target;
      if (f.connectionForUpgrade && !f.upgradeForwarded) {
        ctx.report({
          message: 'The Connection header asks for an upgrade but the Upgrade header is not forwarded: nginx drops hop-by-hop headers, so the backend never sees "Upgrade: websocket". Add proxy_set_header Upgrade $http_upgrade.',
          start: t.start,
          end: t.end,
          related: related(ctx.view, f.connection?.directive ?? null, 'Connection is set here'),
          fixes: () => fix('Insert proxy_set_header Upgrade $http_upgrade', headerEdits(ctx.view, f, [['Upgrade', '$http_upgrade']])),
        });
      } else if (!f.isWs && f.looksWs && !droppedHeaders(f)) {
        ctx.report({
          message: `No Upgrade or Connection header is forwarded, but "${t.path}" looks like a WebSocket endpoint: a WebSocket handshake through it fails. If it carries WebSockets, forward both headers over HTTP/1.1.`,
          start: t.start,
          end: t.end,
          severity: 'hint',
          fixes: () => {
            const edits = headerEdits(ctx.view, f, [['Upgrade', '$http_upgrade'], ['Connection', MAP_VAR]]);
            if (f.httpVersion.value !== '1.1' && !f.httpVersion.local) {
              // right after proxy_pass, ahead of any header lines inserted at the same place
              edits.unshift(insertLines(targetSource(ctx.view, t), t.owner, ['proxy_http_version 1.1;'], ['proxy_pass']));
            }
            return fix('Make this a WebSocket proxy (Upgrade and Connection headers, HTTP/1.1, map)', [...edits, mapEdit(ctx.view, f.chain)]);
          },
        });
      }
    }
  },
};

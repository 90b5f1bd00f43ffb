/**
 * ws-connection-header: Upgrade is forwarded but the handshake nginx sends carries no Connection
 * header with the `upgrade` token (none set: nginx sends "close" before 1.29.7 and nothing from it;
 * set to "" or to a value without `upgrade`). A wrong `$connection_upgrade` map is ws-map-invalid's.
 */
import type { Rule } from '../../types';
import { fix } from '../../edits';
import { headerEdits, mapEdit, mapTable, MAP_VAR, wsFacts, groupOf } from '../../proxy';
import { related } from '../../report';
import { describeSent, hasToken } from '../../upgradeModel';

const VAR_RE = /\$\{?([A-Za-z0-9_]+)/g;

export const wsConnectionHeader: Rule = {
  code: 'ws-connection-header',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'error',
  description: 'Upgrade forwarded without an effective Connection: upgrade on the handshake',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.upgradeForwarded) continue;
      const sent = f.upgradeRequest.connection;
      if (sent === undefined || hasToken(sent, 'upgrade')) continue;
      // a map of the configuration decides: ws-map-invalid reports the map itself
      if (f.connection && [...f.connection.value.matchAll(VAR_RE)].some((m) => mapTable(ctx.view).has(m[1].toLowerCase()))) continue;
      const message = !f.connection
        ? `Upgrade is forwarded but no Connection header is set: nginx then sends ${describeSent('Connection', sent)}, so the backend refuses the upgrade. Add proxy_set_header Connection $connection_upgrade.`
        : `Upgrade is forwarded without "Connection: upgrade": the handshake is sent ${describeSent('Connection', sent)}, so the backend refuses the upgrade. Set it from the $connection_upgrade map.`;
      ctx.report({
        message,
        start: f.target.start,
        end: f.target.end,
        group: groupOf(f.target),
        related: related(ctx.view, f.upgrade?.directive ?? null, 'Upgrade is forwarded here'),
        fixes: () => fix('Insert proxy_set_header Connection $connection_upgrade (and the map)', [
          ...headerEdits(ctx.view, f, [['Connection', MAP_VAR]]),
          mapEdit(ctx.view, f.chain, ctx.settings),
        ]),
      });
    }
  },
};

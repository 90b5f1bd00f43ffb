/** ws-connection-header: Upgrade is forwarded but no Connection header is set (nginx then sends "Connection: close"). */
import type { Rule } from '../../types';
import { fix, headerEdits, mapEdit, MAP_VAR, related, wsFacts } from './common';

export const wsConnectionHeader: Rule = {
  code: 'ws-connection-header',
  defaultSeverity: 'error',
  description: 'Upgrade forwarded without an effective Connection header',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.upgradeForwarded || (f.connection && f.connection.value !== '')) continue;
      const empty = !!f.connection;
      ctx.report({
        message: empty
          ? 'Upgrade is forwarded but the Connection header is set to "": no "Connection: upgrade" reaches the backend, so the handshake fails. Set it from the $connection_upgrade map.'
          : 'Upgrade is forwarded but no Connection header is set: nginx then sends "Connection: close" and the backend refuses the upgrade. Add proxy_set_header Connection $connection_upgrade.',
        start: f.target.start,
        end: f.target.end,
        related: related(ctx.view, f.upgrade?.directive ?? null, 'Upgrade is forwarded here'),
        fixes: () => fix('Insert proxy_set_header Connection $connection_upgrade (and the map)', [
          ...headerEdits(ctx.view, f, [['Connection', MAP_VAR]]),
          mapEdit(ctx.view, f.chain),
        ]),
      });
    }
  },
};

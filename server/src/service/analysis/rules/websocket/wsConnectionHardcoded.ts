/**
 * ws-connection-hardcoded: `proxy_set_header Connection "upgrade"` is sent on plain requests too.
 * Where the block only carries WebSockets (a WebSocket path that serves no polling/SSE) nothing else
 * goes through it, so that is information; elsewhere a warning.
 */
import type { Rule } from '../../types';
import { fix, replaceArgs } from '../../edits';
import { mapEdit, MAP_VAR, wsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';

export const wsConnectionHardcoded: Rule = {
  code: 'ws-connection-hardcoded',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'warning',
  description: 'Connection header hard-coded to "upgrade" instead of $connection_upgrade',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      const c = f.connection;
      if (!c || !/^upgrade$/i.test(c.value.trim())) continue;
      const wsOnly = f.looksWs && !f.polling;
      const at = placeFor(ctx, f.target, c.directive);
      ctx.report({
        message: wsOnly
          ? `Connection is hard-coded to "upgrade": fine while "${f.target.path}" only carries WebSockets, but any plain request through it is sent "Connection: upgrade" too. $connection_upgrade from a map on $http_upgrade sends it only on handshakes.`
          : 'Connection is hard-coded to "upgrade": plain HTTP requests through this location are sent "Connection: upgrade" too, which defeats keepalive and lets h2c upgrade attempts through. Use $connection_upgrade from a map on $http_upgrade.',
        start: at.start,
        end: at.end,
        group: groupOf(f.target),
        severity: wsOnly ? 'information' : undefined,
        related: related(ctx.view, c.directive, 'Connection is set here'),
        fixes: () => {
          const source = ctx.view.sourceOf(c.directive);
          if (!source) return [];
          return fix('Use $connection_upgrade (and add the map)', [
            replaceArgs(source, c.directive, `${c.directive.args[0].raw} ${MAP_VAR}`),
            mapEdit(ctx.view, f.chain, ctx.settings),
          ]);
        },
      });
    }
  },
};

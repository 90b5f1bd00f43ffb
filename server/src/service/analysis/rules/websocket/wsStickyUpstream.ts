/** ws-sticky-upstream: a WebSocket location balances over several servers without session affinity. */
import type { Directive } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { findUpstream, fix, innerIndent, placeFor, related, wsFacts } from './common';

const STICKY = new Set(['ip_hash', 'hash', 'sticky', 'sticky_cookie_insert']);

export const wsStickyUpstream: Rule = {
  code: 'ws-sticky-upstream',
  defaultSeverity: 'information',
  description: 'WebSocket location proxying to an upstream with two or more servers and no ip_hash/hash/sticky',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.isWs || !f.upstreamName) continue;
      const up = findUpstream(ctx.view, f.upstreamName);
      if (!up) continue;
      const body = ctx.view.expand(up.upstream);
      const servers = body.filter((d) => d.name === 'server');
      // backup and down servers take no share of the load: only the balanced ones need affinity
      const balanced = servers.filter((d) => !d.args.some((a) => a.value === 'backup' || a.value === 'down'));
      if (balanced.length < 2 || body.some((d) => STICKY.has(d.name))) continue;
      ctx.report({
        message: `Upstream "${f.upstreamName}" balances over ${balanced.length} servers without ip_hash/hash/sticky: reconnects and long-polling fallbacks (Socket.IO, SockJS, SignalR) land on a server that does not know the session.`,
        ...placeFor(ctx, f.target, f.target.proxyPass),
        related: related(ctx.view, up.upstream, 'the upstream'),
        fixes: () => {
          // ip_hash cannot be combined with backup servers
          if (servers.some((s: Directive) => s.args.some((a) => a.value === 'backup'))) return [];
          const b = up.upstream.block!;
          const indent = innerIndent(up.source, up.upstream);
          // before keepalive and the servers: a balancing method must come before keepalive
          return fix('Insert ip_hash; in the upstream', [{ source: up.source, start: b.open + 1, end: b.open + 1, newText: '\n' + indent + 'ip_hash;' }]);
        },
      });
    }
  },
};

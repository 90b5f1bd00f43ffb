/** ws-sticky-upstream: a WebSocket location balances over several servers without session affinity. */
import type { Directive } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { fix, innerIndent } from '../../edits';
import { findUpstream, wsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';

const STICKY = new Set(['ip_hash', 'hash', 'sticky', 'sticky_cookie_insert']);

/** An argument of `d` equals `flag` or `other` (read without keeping the directive's words). */
function hasFlag(d: Directive, flag: string, other = flag): boolean {
  for (let i = 0; i < d.argCount; i++) {
    const v = d.argValue(i);
    if (v === flag || v === other) return true;
  }
  return false;
}

export const wsStickyUpstream: Rule = {
  code: 'ws-sticky-upstream',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'information',
  description: 'WebSocket location proxying to an upstream with two or more servers and no ip_hash/hash/sticky',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.isWs || !f.upstreamName) continue;
      const up = findUpstream(ctx.view, f.upstreamName);
      if (!up) continue;
      const body = ctx.view.expand(up.upstream);
      // backup and down servers take no share of the load: only the balanced ones need affinity
      let balanced = 0;
      let sticky = false;
      for (const d of body) {
        if (d.name === 'server' && !hasFlag(d, 'backup', 'down')) balanced++;
        else if (STICKY.has(d.name)) sticky = true;
      }
      if (balanced < 2 || sticky) continue;
      const at = placeFor(ctx, f.target, f.target.proxyPass);
      ctx.report({
        message: `Upstream "${f.upstreamName}" balances over ${balanced} servers without ip_hash/hash/sticky: reconnects and long-polling fallbacks (Socket.IO, SockJS, SignalR) land on a server that does not know the session.`,
        start: at.start,
        end: at.end,
        group: groupOf(f.target),
        related: related(ctx.view, up.upstream, 'the upstream'),
        fixes: () => {
          // ip_hash cannot be combined with backup servers
          if (body.some((s) => s.name === 'server' && hasFlag(s, 'backup'))) return [];
          const b = up.upstream.block!;
          const indent = innerIndent(up.source, up.upstream);
          // before keepalive and the servers: a balancing method must come before keepalive
          return fix('Insert ip_hash; in the upstream', [{ source: up.source, start: b.open + 1, end: b.open + 1, newText: '\n' + indent + 'ip_hash;' }]);
        },
      });
    }
  },
};

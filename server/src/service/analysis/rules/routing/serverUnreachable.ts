/**
 * server-unreachable: a server no request can select. On every address it listens on it is not the
 * default server and every name it has is ignored there as a conflict (server-name-conflict), so
 * ngx_http_find_virtual_server never returns it — typically a copy of a site left enabled, or a
 * second server without server_name on the same port. Related information points at the servers
 * that take its names.
 */
import { onlyNamed } from '../../incremental';
import type { Rule } from '../../types';
import type { SourceFile } from '../../../model/config';
import { routingFacts } from '../../routing/facts';

export const serverUnreachable: Rule = {
  code: 'server-unreachable',
  family: 'routing',
  reach: onlyNamed('listen', 'server_name'),
  defaultSeverity: 'warning',
  description: 'A server no request can reach: not a default server, and every name it has is taken by an earlier server on each address',
  check(ctx) {
    const facts = routingFacts(ctx.view);
    if (!facts) return;
    for (const { directive: server, facts: f } of facts.own) {
      if (ctx.view.sourceOf(server) !== ctx.source) continue;
      let reachable = false;
      const related: { source: SourceFile; start: number; end: number; message: string }[] = [];
      const addrs: string[] = [];
      for (const l of f.listens) {
        if (addrs.includes(l.addr)) continue;
        const idx = facts.index;
        if (idx.count(l.addr) < 2 || idx.defaultServer(l.addr) === server) { reachable = true; break; }
        const lost = idx.conflicts(server, l.addr);
        // a regex name is never a conflict: any name not lost keeps the server reachable
        if (lost.length < f.names.length) { reachable = true; break; }
        addrs.push(l.addr);
        for (const c of lost) {
          const src = ctx.view.sourceOf(c.winnerServer);
          if (src && !related.some((r) => r.start === c.winnerServer.nameWord.start && r.source === src)) {
            related.push({ source: src, start: c.winnerServer.nameWord.start, end: c.winnerServer.nameWord.end, message: `this server takes ${c.winner.text} on ${c.addr}` });
          }
        }
      }
      if (reachable) continue;
      const names = f.names.map((n) => n.text).join(' ');
      ctx.report({
        message: `no request can reach this server: on ${addrs.join(', ')} it is not the default server and every name it has (${names}) belongs to an earlier server there`,
        start: server.nameWord.start,
        end: server.nameWord.end,
        related,
      });
    }
  },
};

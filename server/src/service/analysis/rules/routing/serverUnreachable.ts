/**
 * server-unreachable: a server no request can select. On every address it listens on it is not the
 * default server and every name it has is ignored there as a conflict (server-name-conflict), so
 * ngx_http_find_virtual_server never returns it — typically a copy of a site left enabled, or a
 * second server without server_name on the same port. Related information points at the servers
 * that take its names and at the default server.
 */
import type { Rule } from '../../types';
import { routingFacts } from '../../routing/facts';
import { nameTables } from '../../routing/model';
import { serverLabel } from '../../routing/route';

export const serverUnreachable: Rule = {
  code: 'server-unreachable',
  family: 'routing',
  defaultSeverity: 'warning',
  description: 'A server no request can reach: not a default server, and every name it has is taken by an earlier server on each address',
  check(ctx) {
    const facts = routingFacts(ctx.view);
    if (!facts) return;
    for (const server of facts.own) {
      if (ctx.view.sourceOf(server.directive) !== ctx.source) continue;
      let reachable = false;
      const related: { source: NonNullable<ReturnType<typeof ctx.view.sourceOf>>; start: number; end: number; message: string }[] = [];
      const addrs: string[] = [];
      for (const l of server.listens) {
        const addr = facts.model.addrs.get(l.addr);
        if (!addr || addr.servers.length < 2 || addr.defaultServer === server) { reachable = true; break; }
        const lost = nameTables(addr).conflictsOf.get(server) ?? [];
        // a regex name is never a conflict; any name not lost keeps the server reachable
        if (lost.length < server.names.length) { reachable = true; break; }
        if (!addrs.includes(addr.addr)) addrs.push(addr.addr);
        for (const c of lost) {
          const src = ctx.view.sourceOf(c.winnerServer.directive);
          if (src && !related.some((r) => r.start === c.winnerServer.directive.start && r.source === src)) {
            related.push({ source: src, start: c.winnerServer.directive.nameWord.start, end: c.winnerServer.directive.nameWord.end, message: `${serverLabel(c.winnerServer)} takes ${c.winner.text} on ${c.addr}` });
          }
        }
      }
      if (reachable) continue;
      const names = server.names.map((n) => n.text).join(' ');
      ctx.report({
        message: `no request can reach this server: on ${addrs.join(', ')} it is not the default server and every name it has (${names}) belongs to an earlier server there`,
        start: server.directive.nameWord.start,
        end: server.directive.nameWord.end,
        related,
      });
    }
  },
};

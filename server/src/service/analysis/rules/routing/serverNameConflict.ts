/**
 * server-name-conflict: a server_name that an earlier server on the same listen address already
 * has. nginx warns "conflicting server name "x" on 0.0.0.0:80, ignored" and the later one never
 * gets the name (ngx_hash_add_key: an exact name and ".x" share the exact keys, "*.x" and ".x"
 * the leading-wildcard keys). Related information points at the server that keeps the name.
 */
import { onlyNamed } from '../../incremental';
import type { Rule } from '../../types';
import { routingFacts } from '../../routing/facts';
import type { NameInfo } from '../../routing/model';
import type { IndexConflict } from '../../routing/serverIndex';
import { asciiLower } from '../../routing/uri';

export const serverNameConflict: Rule = {
  code: 'server-name-conflict',
  family: 'routing',
  reach: onlyNamed('listen', 'server_name'),
  defaultSeverity: 'warning',
  description: 'A server_name an earlier server on the same address already has: nginx ignores it ("conflicting server name")',
  check(ctx) {
    const facts = routingFacts(ctx.view);
    if (!facts) return;
    for (const { directive: server, facts: f } of facts.own) {
      // one finding per name, listing every address where it conflicts
      const byName = new Map<NameInfo, IndexConflict[]>();
      const seen = new Set<string>();
      for (const l of f.listens) {
        if (seen.has(l.addr)) continue;
        seen.add(l.addr);
        for (const c of facts.index.conflicts(server, l.addr)) {
          const list = byName.get(c.name);
          if (list) list.push(c);
          else byName.set(c.name, [c]);
        }
      }
      for (const list of byName.values()) {
        const c = list[0];
        const d = c.name.arg >= 0 ? c.name.directive : server;
        if (ctx.view.sourceOf(d) !== ctx.source) continue;
        const word = c.name.arg >= 0 ? d.arg(c.name.arg)! : d.nameWord;
        const addrs = list.map((x) => x.addr).join(', ');
        const implicit = c.name.arg < 0 ? ' (a server without server_name has the name "")' : '';
        const related = [];
        for (const x of list) {
          const wd = x.winner.arg >= 0 ? x.winner.directive : x.winnerServer;
          const src = ctx.view.sourceOf(wd);
          if (!src) continue;
          const ww = x.winner.arg >= 0 ? wd.arg(x.winner.arg)! : wd.nameWord;
          related.push({ source: src, start: ww.start, end: ww.end, message: `this server keeps ${x.winner.text} on ${x.addr}` });
        }
        ctx.report({
          // nginx prints the name lowercased, as it stores it
          message: `conflicting server name "${c.name.arg >= 0 ? asciiLower(c.name.text) : ''}" on ${addrs}, ignored${implicit}: an earlier server on the same address has ${c.winner.text === c.name.text ? 'it' : c.winner.text}, so this server never gets requests for it`,
          start: word.start,
          end: word.end,
          related,
        });
      }
    }
  },
};

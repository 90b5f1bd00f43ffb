/** Shared body of ws-read-timeout and ws-send-timeout. */
import type { Rule } from '../../types';
import { fix, insertLines, replaceArgs } from '../../edits';
import { targetSource, wsFacts, type WsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';
import { timeoutFixValue, timeoutProblem } from '../../timeouts';

export function timeoutRule(code: string, name: 'proxy_read_timeout' | 'proxy_send_timeout', pick: (f: WsFacts) => WsFacts['readTimeout'], what: string, description: string): Rule {
  return {
    code,
    family: 'websocket',
    reach: 'server',
    fixAll: true,
    defaultSeverity: 'warning',
    description,
    check(ctx) {
      for (const f of wsFacts(ctx)) {
        if (!f.isWs) continue;
        const v = pick(f);
        const problem = timeoutProblem(v, ctx.settings, f.target.path, name === 'proxy_read_timeout' ? 'read' : 'send');
        if (!problem) continue;
        const at = placeFor(ctx, f.target, v.local ? v.directive : null);
        ctx.report({
          message: `${problem}: nginx closes the WebSocket when ${what} for that long (clients see close code 1006). Raise it${name === 'proxy_read_timeout' ? ' above your heartbeat interval' : ''}.`,
          start: at.start,
          end: at.end,
          group: groupOf(f.target),
          related: v.local ? undefined : related(ctx.view, v.directive, `${name} inherited from here`),
          fixes: () => {
            const value = timeoutFixValue(ctx.settings);
            const source = targetSource(ctx.view, f.target);
            if (v.directive && v.local && ctx.view.sourceOf(v.directive) === source) {
              return fix(`Set ${name} ${value}`, [replaceArgs(source, v.directive, value)]);
            }
            return fix(`Insert ${name} ${value}`, [
              insertLines(source, f.target.owner, [`${name} ${value};`], ['proxy_read_timeout', 'proxy_send_timeout', 'proxy_set_header', 'proxy_http_version', 'proxy_pass']),
            ]);
          },
        });
      }
    },
  };
}

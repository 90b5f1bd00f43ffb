/** ws-buffering: a path that also serves long-polling or server-sent events should not buffer responses. */
import type { Rule } from '../../types';
import { fix, insertLines, replaceArgs } from '../../edits';
import { targetSource, wsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';

export const wsBuffering: Rule = {
  code: 'ws-buffering',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'hint',
  description: 'Polling/SSE path proxied with proxy_buffering on',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!(f.isWs || f.looksWs) || !f.polling || f.buffering.value !== 'on') continue;
      const b = f.buffering;
      const at = placeFor(ctx, f.target, b.local ? b.directive : null);
      ctx.report({
        message: `"${f.target.path}" also serves long-polling / server-sent events, and proxy_buffering is on${b.isDefault ? ' (the default)' : ''}: polling replies and events are held back until the buffer fills. (It does not affect the upgraded WebSocket itself.)`,
        start: at.start,
        end: at.end,
        group: groupOf(f.target),
        related: b.local ? undefined : related(ctx.view, b.directive, 'proxy_buffering inherited from here'),
        fixes: () => {
          const source = targetSource(ctx.view, f.target);
          if (b.directive && b.local && ctx.view.sourceOf(b.directive) === source) return fix('Set proxy_buffering off', [replaceArgs(source, b.directive, 'off')]);
          return fix('Insert proxy_buffering off', [insertLines(source, f.target.owner, ['proxy_buffering off;'], ['proxy_buffering', 'proxy_set_header', 'proxy_http_version', 'proxy_pass'])]);
        },
      });
    }
  },
};

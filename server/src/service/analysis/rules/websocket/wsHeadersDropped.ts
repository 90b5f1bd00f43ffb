/**
 * ws-headers-dropped: a level between the proxying block and the one that sets Upgrade/Connection
 * has proxy_set_header lines of its own (the block itself, or an intermediate server/location), so
 * the WebSocket headers are not inherited: nginx inherits the list only into a level that defines none.
 */
import type { Rule } from '../../types';
import { directiveText, fix, insertLines } from '../../edits';
import { droppedHeaders, targetSource, wsFacts, groupOf } from '../../proxy';

export const wsHeadersDropped: Rule = {
  code: 'ws-headers-dropped',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'error',
  description: 'An inner level\'s proxy_set_header stops the inheritance of Upgrade/Connection set at an outer level',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      const dropped = droppedHeaders(f);
      if (!dropped) continue;
      const level = dropped.parent.scope?.context ?? 'outer';
      const names = dropped.missing.map((e) => e.header).join(', ');
      const own = !dropped.inherited.length;
      const hider = own ? 'This block sets its own proxy_set_header' : `The enclosing ${dropped.hiding?.context ?? 'level'} sets its own proxy_set_header`;
      const hidingLine = dropped.inherited[0] ?? null;
      const hidingSource = hidingLine ? ctx.view.sourceOf(hidingLine) : null;
      ctx.report({
        message: `${hider}: none of the ${level}-level proxy_set_header lines reach this proxy, so the WebSocket headers (${names}) are not sent and the handshake fails. Repeat them here.`,
        start: f.target.start,
        end: f.target.end,
        group: groupOf(f.target),
        related: [
          ...dropped.missing.flatMap((e) => {
            const s = ctx.view.sourceOf(e.directive);
            return s ? [{ source: s, start: e.directive.start, end: e.directive.end, message: `not inherited: ${e.header}` }] : [];
          }),
          ...(hidingLine && hidingSource ? [{ source: hidingSource, start: hidingLine.start, end: hidingLine.end, message: 'this level\'s own proxy_set_header hides the outer ones' }] : []),
        ],
        fixes: () => fix(`Copy the ${level}-level proxy_set_header lines into this block`, [
          insertLines(targetSource(ctx.view, f.target), f.target.owner, [...dropped.inherited, ...dropped.missing.map((e) => e.directive)].map((d) => directiveText(ctx.view, d)), ['proxy_set_header', 'proxy_http_version', 'proxy_pass']),
        ]),
      });
    }
  },
};

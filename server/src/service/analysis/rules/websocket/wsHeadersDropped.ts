/**
 * ws-headers-dropped: the location defines some proxy_set_header, so the Upgrade/Connection headers
 * set at an outer level are not inherited (nginx inherits the array only when a level defines none).
 */
import type { Rule } from '../../types';
import { directiveText, droppedHeaders, fix, insertLines, targetSource, wsFacts } from './common';

export const wsHeadersDropped: Rule = {
  code: 'ws-headers-dropped',
  defaultSeverity: 'error',
  description: 'Location-level proxy_set_header stops the inheritance of Upgrade/Connection set at an outer level',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      const dropped = droppedHeaders(f);
      if (!dropped) continue;
      const level = dropped.parent.scope?.context ?? 'outer';
      const names = dropped.missing.map((e) => e.header).join(', ');
      ctx.report({
        message: `This block sets its own proxy_set_header: none of the ${level}-level proxy_set_header lines are inherited, so the WebSocket headers (${names}) are dropped. Repeat them here.`,
        start: f.target.start,
        end: f.target.end,
        related: dropped.missing.flatMap((e) => {
          const s = ctx.view.sourceOf(e.directive);
          return s ? [{ source: s, start: e.directive.start, end: e.directive.end, message: `not inherited: ${e.header}` }] : [];
        }),
        fixes: () => fix(`Copy the ${level}-level proxy_set_header lines into this block`, [
          insertLines(targetSource(ctx.view, f.target), f.target.owner, dropped.missing.map((e) => directiveText(ctx.view, e.directive)), ['proxy_set_header', 'proxy_http_version', 'proxy_pass']),
        ]),
      });
    }
  },
};

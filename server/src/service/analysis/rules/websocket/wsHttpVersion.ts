/** ws-http-version: a WebSocket location must talk HTTP/1.1 to the backend (nginx's default is 1.0 before 1.29.7). */
import type { Rule } from '../../types';
import { fix, insertLines, replaceArgs } from '../../edits';
import { targetSource, wsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';

export const wsHttpVersion: Rule = {
  code: 'ws-http-version',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'error',
  description: 'WebSocket location whose effective proxy_http_version is not 1.1',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.isWs || f.httpVersion.value === '1.1') continue;
      const hv = f.httpVersion;
      const why = hv.isDefault
        ? ctx.settings.version
          ? `proxy_http_version is not set, and nginx ${ctx.settings.version} defaults to 1.0`
          : 'proxy_http_version is not set, and nginx before 1.29.7 defaults to 1.0 (set "nginx.version" if you only target newer)'
        : `the effective proxy_http_version is ${hv.value}`;
      const at = placeFor(ctx, f.target, hv.directive);
      ctx.report({
        message: `WebSocket proxying needs proxy_http_version 1.1: ${why}, so nginx sends the handshake as HTTP/1.0. Lenient backends (Node's ws, many frameworks) still answer 101; servers that follow RFC 6455 (§4.2.1: HTTP/1.1 or higher) refuse it with 400, and a keepalive upstream cannot reuse HTTP/1.0 connections.`,
        start: at.start,
        end: at.end,
        group: groupOf(f.target),
        related: hv.local ? undefined : related(ctx.view, hv.directive, 'proxy_http_version inherited from here'),
        fixes: () => {
          const source = targetSource(ctx.view, f.target);
          if (hv.directive && hv.local && ctx.view.sourceOf(hv.directive) === source) {
            return fix('Set proxy_http_version 1.1', [replaceArgs(source, hv.directive, '1.1')]);
          }
          return fix('Insert proxy_http_version 1.1', [insertLines(source, f.target.owner, ['proxy_http_version 1.1;'], ['proxy_pass'])]);
        },
      });
    }
  },
};

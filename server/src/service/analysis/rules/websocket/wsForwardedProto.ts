/**
 * ws-forwarded-proto: where nginx terminates TLS (a `listen … ssl` or `quic` in the server), the
 * backend cannot tell wss:// from ws:// without X-Forwarded-Proto. On a plain-HTTP server the
 * header would only say "http": nothing to report there.
 */
import { hasHeader } from '../../effective';
import type { Rule } from '../../types';
import { fix } from '../../edits';
import { headerEdits, wsFacts, type WsFacts, groupOf } from '../../proxy';

function terminatesTls(f: WsFacts): boolean {
  const server = f.chain.find((s) => s.context === 'server');
  if (!server) return false;
  for (const d of server.directives) {
    if (d.isEntry) continue;
    if (d.name === 'ssl' && d.argValue(0) === 'on') return true;
    if (d.name !== 'listen') continue;
    for (let i = 1; i < d.argCount; i++) {
      const a = d.argValue(i);
      if (a === 'ssl' || a === 'quic') return true;
    }
  }
  return false;
}

export const wsForwardedProto: Rule = {
  code: 'ws-forwarded-proto',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'hint',
  description: 'WebSocket location on a TLS server without an X-Forwarded-Proto header',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.isWs) continue;
      if (hasHeader(f.headers.directives, 'X-Forwarded-Proto', 'Forwarded')) continue;
      if (!terminatesTls(f)) continue;
      ctx.report({
        message: 'No X-Forwarded-Proto header: nginx terminates TLS here, and the backend cannot tell wss:// from ws:// (Origin checks and generated URLs may be wrong). Add proxy_set_header X-Forwarded-Proto $scheme.',
        start: f.target.start,
        end: f.target.end,
        group: groupOf(f.target),
        fixes: () => fix('Insert proxy_set_header X-Forwarded-Proto $scheme', headerEdits(ctx.view, f, [['X-Forwarded-Proto', '$scheme']])),
      });
    }
  },
};

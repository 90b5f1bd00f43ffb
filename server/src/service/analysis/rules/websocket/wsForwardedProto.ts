/** ws-forwarded-proto: without X-Forwarded-Proto the backend cannot tell wss:// from ws://. */
import type { Rule } from '../../types';
import { hasHeader } from '../../effective';
import { fix, headerEdits, wsFacts } from './common';

export const wsForwardedProto: Rule = {
  code: 'ws-forwarded-proto',
  defaultSeverity: 'hint',
  description: 'WebSocket location without an X-Forwarded-Proto header',
  check(ctx) {
    for (const f of wsFacts(ctx)) {
      if (!f.isWs) continue;
      if (hasHeader(f.headers.directives, 'X-Forwarded-Proto', 'Forwarded')) continue;
      ctx.report({
        message: 'No X-Forwarded-Proto header: the backend cannot tell wss:// from ws:// (Origin checks and generated URLs may be wrong). Add proxy_set_header X-Forwarded-Proto $scheme.',
        start: f.target.start,
        end: f.target.end,
        fixes: () => fix('Insert proxy_set_header X-Forwarded-Proto $scheme', headerEdits(ctx.view, f, [['X-Forwarded-Proto', '$scheme']])),
      });
    }
  },
};

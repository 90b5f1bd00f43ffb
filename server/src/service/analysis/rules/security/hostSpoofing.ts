/**
 * host-spoofing: `proxy_set_header Host $http_host` (or grpc_set_header, or a Host taken from a
 * query argument). nginx picks the server block by the host of an absolute request line when there
 * is one (`GET http://legit.example/ HTTP/1.1`), and `$host` follows it; `$http_host` is the Host
 * header as sent, which the client may set to anything else. So a request routed to the legitimate
 * server carries the attacker's Host to the backend (links, redirects, password-reset mails built
 * from it): proven on real nginx in test/e2e/security-exploits.test.ts. Fix: `$host` (which drops
 * the port the client sent: `$host:$server_port` keeps one).
 */
import type { Rule } from '../../types';
import { refsIn } from '../../security';

const NAMES = new Set(['proxy_set_header', 'grpc_set_header']);

export const hostSpoofing: Rule = {
  code: 'host-spoofing',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'proxy_set_header Host $http_host: the backend gets the Host the client chose, not the one nginx routed by',
  check(ctx) {
    const { source } = ctx;
    const visit = (list: typeof source.file.children) => {
      for (const s of list) {
        if (s.kind !== 'directive' || s.isEntry) continue;
        if (NAMES.has(s.name) && s.argCount === 2 && s.argValue(0)!.toLowerCase() === 'host') {
          const word = s.arg(1)!;
          const refs = refsIn(word.value);
          const bad = refs.find((r) => r.name === 'http_host' || r.name.startsWith('arg_'));
          if (bad) {
            const fromArg = bad.name.startsWith('arg_');
            const inner = word.quote ? word.raw.slice(1, -1) : word.raw;
            // offsets of the reference in the raw text (only when raw and value agree)
            const at = inner === word.value ? word.start + (word.quote ? 1 : 0) + bad.start : -1;
            ctx.report({
              message: fromArg
                ? `The backend's Host comes from the query argument $${bad.name}: any client picks it. Use $host.`
                : `Host $http_host passes the client's Host header unchecked: use $host, the host nginx routed by. With an absolute request line the two differ.`,
              start: word.start,
              end: word.end,
              fixes: at >= 0 && !fromArg
                ? () => [{ title: 'Use $host', isPreferred: true, edits: [{ source, start: at, end: at + (bad.end - bad.start), newText: '$host' }] }]
                : undefined,
            });
          }
        }
        if (s.block && s.block.body === 'directives') visit(s.block.children);
      }
    };
    visit(source.file.children);
  },
};

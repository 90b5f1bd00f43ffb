/**
 * ssrf-proxy-pass: the scheme or the host of an upstream address (proxy_pass, grpc_pass,
 * fastcgi_pass, uwsgi_pass, scgi_pass) comes from request data — a header (`$http_host`, `$host`),
 * a query argument, a cookie, or a regex capture of the URI that can hold a host name (a `.`) —
 * directly or through `set`/`map`. nginx then connects wherever the client says: internal services,
 * loopback ports, cloud metadata addresses (proven on real nginx: a request picks the loopback port
 * nginx connects to, test/e2e/security-exploits.test.ts). Locations marked `internal` (and named
 * ones) are not reachable by clients and are skipped. No mechanical fix: the page shows a `map`
 * that only lets known backends through.
 */
import type { Rule } from '../../types';
import { levelDirectives } from '../../report';
import { accessControl, addressParts, DOT, PASS_DIRECTIVES, PASS_NAMES, refsIn, taintOf } from '../../security';

export const ssrfProxyPass: Rule = {
  code: 'ssrf-proxy-pass',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'The upstream host or scheme comes from request data: clients choose where nginx connects',
  check(ctx) {
    const { view, source } = ctx;
    for (const { d, chain } of levelDirectives(ctx, (x) => PASS_DIRECTIVES.has(x.name) && (x.argValue(0) ?? '').includes('$'), PASS_NAMES)) {
      if (accessControl(view, chain).internal) continue;
      const parts = addressParts(view, chain, d);
      if (!parts) continue;
      const at = parts.via ?? d;
      let culprit: { name: string; part: string } | null = null;
      for (const r of refsIn(parts.value)) {
        const inScheme = r.start >= parts.scheme[0] && r.end <= parts.scheme[1];
        const inHost = r.start >= parts.host[0] && r.start < parts.host[1];
        if (!inScheme && !inHost) continue;
        const t = taintOf(view, chain, at, r.name);
        if (!t.controlled) continue;
        // a capture like ([a-z]+) or (https?) cannot name another host or protocol; one that can hold a "." can
        if (!(t.mask & DOT) && !/^(http_|arg_|cookie_)|^(host|args|query_string|request_body)$/.test(r.name)) continue;
        culprit = { name: r.name, part: inScheme ? 'scheme' : parts.host[0] === 0 ? 'address' : 'host' };
        break;
      }
      if (!culprit) continue;
      const word = d.arg(0)!;
      ctx.report({
        message: `The upstream ${culprit.part} comes from $${culprit.name}, which the client controls: nginx connects wherever the request says. Map the value to known backends.`,
        start: word.start,
        end: word.end,
        related: parts.via ? [{ source, start: parts.via.start, end: parts.via.end, message: 'the address is built here' }] : undefined,
      });
    }
  },
};

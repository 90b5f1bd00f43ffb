/**
 * status-exposed: a status or API handler (`stub_status`, NGINX Plus `api` and the older `status`,
 * the VTS module's `vhost_traffic_status_display`, the upstream-check module's `check_status`) in a
 * location with no access control in effect: no allow/deny list that denies someone, no
 * auth_basic/auth_request/auth_jwt, not `internal`, and a server that listens on more than loopback
 * addresses or unix sockets. Anyone who finds the path reads connection counts (and, with
 * `api write=on`, changes the upstreams): proven on real nginx in test/e2e/security-exploits.test.ts.
 * Fix: `allow 127.0.0.1; allow ::1; deny all;` before the handler. (A warning for `api write=on` too:
 * the write exploit needs NGINX Plus, which the tests cannot run, and only proven exploits are errors.)
 */
import type { Rule } from '../../types';
import { chainHasUnresolvedInclude } from '../../levels';
import { headerRange, levelDirectives } from '../../report';
import { accessControl, listensLocallyOnly } from '../../security';
import { innerIndent } from '../../edits';

const HANDLERS = new Set(['stub_status', 'api', 'status', 'vhost_traffic_status_display', 'check_status']);

export const statusExposed: Rule = {
  code: 'status-exposed',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'A status page or API (stub_status, api, …) that anyone can reach',
  check(ctx) {
    const { view, source } = ctx;
    for (const { d, owner, chain } of levelDirectives(ctx, (x) => HANDLERS.has(x.name), [...HANDLERS])) {
      if (chain[0]?.context !== 'location') continue;
      if (d.name === 'stub_status' && d.argValue(0) === 'off') continue;
      const access = accessControl(view, chain);
      if (access.denies || access.auth || access.internal || listensLocallyOnly(chain)) continue;
      // an include that did not resolve may hold the allow/deny or the auth
      if (chainHasUnresolvedInclude(chain)) continue;
      const write = d.name === 'api' && /^write=on$/.test(d.argValue(0) ?? '');
      const text = source.file.text;
      const lineStart = text.lastIndexOf('\n', d.start - 1) + 1;
      const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, d.start));
      const indent = innerIndent(source, owner);
      const lines = ['allow 127.0.0.1;', 'allow ::1;', 'deny all;'];
      ctx.report({
        message: write
          ? `api write=on is open to every client: anyone can change the upstreams. Restrict it with allow/deny or auth.`
          : `${d.name} answers every client: nothing restricts who reads it. Add allow/deny (or auth) to the location.`,
        ...headerRange(d),
        fixes: () => [{
          title: 'Allow only local clients (allow 127.0.0.1; allow ::1; deny all;)',
          isPreferred: true,
          edits: [onOwnLine
            ? { source, start: lineStart, end: lineStart, newText: lines.map((l) => indent + l + '\n').join('') }
            : { source, start: d.start, end: d.start, newText: lines.join(' ') + ' ' }],
        }],
      });
    }
  },
};

/**
 * server-tokens: nginx names its version in the `Server` response header and on its own error pages
 * unless `server_tokens off` (the default is `on`). A version tells an attacker which advisories
 * apply. Reported once per configuration, at the `http` block, when the http level leaves the
 * default and some server of it does not set `off` itself; an explicit `server_tokens on` (or
 * `build`) is reported where it is written. A lone site or location file is never told about the
 * default: its http block (and whatever it sets) lives in another file; nor is a file with an http
 * block but no `events` (nginx refuses it as a configuration: an example or a fragment). Servers
 * that only listen on loopback addresses or unix sockets tell no one else, so a configuration made
 * only of them is not reported either. Fix: `server_tokens off;`.
 */
import { onlyNamed } from '../../incremental';
import { firstNamed } from '../../effective';
import { insertLines, replaceArgs } from '../../edits';
import type { Rule } from '../../types';
import { eachDirective, hasUnresolvedInclude, httpBlocks, listensLocallyOnly } from './common';

export const serverTokens: Rule = {
  code: 'server-tokens',
  family: 'practice',
  reach: onlyNamed('server_tokens', 'listen'),
  defaultSeverity: 'information',
  description: 'server_tokens is on (nginx\'s default): the Server header and error pages disclose the nginx version',
  fixAll: true,
  check(ctx) {
    const { view, source } = ctx;
    eachDirective(source.file.children, (d) => {
      if (d.name !== 'server_tokens' || d.argCount !== 1) return;
      const v = d.argValue(0)!;
      // `off`; a string or variable is NGINX Plus's own Server header value
      if (v !== 'on' && v !== 'build') return;
      ctx.report({
        message: `server_tokens ${v} sends the nginx version${v === 'build' ? ' and build name' : ''} in the Server header and on error pages. Use server_tokens off.`,
        start: d.arg(0)!.start,
        end: d.arg(0)!.end,
        fixes: () => [{ title: 'Change to server_tokens off', isPreferred: true, edits: [replaceArgs(source, d, 'off')] }],
      });
    });
    // the default is reported only in a whole configuration (nginx refuses one without `events`):
    // an example or a fragment with an http block is not where its server_tokens is decided
    const whole = view.topScope().context === 'main' && view.topScope().directives.some((d) => d.name === 'events' && !!d.block);
    for (const http of whole ? httpBlocks(view) : []) {
      const body = view.expand(http);
      if (firstNamed(body, 'server_tokens') || hasUnresolvedInclude(body)) continue;
      const servers = body.filter((d) => d.name === 'server' && d.block);
      // no server, or every server says it itself (an `on` there is reported above)
      const disclosing = servers.filter((s) => {
        const own = view.expand(s);
        return !firstNamed(own, 'server_tokens') && !listensLocallyOnly(own);
      });
      if (!disclosing.length) continue;
      ctx.report({
        message: 'server_tokens is not set, so it is on: every response\'s Server header and error page names the nginx version. Add server_tokens off; to http.',
        severity: 'hint',
        start: http.nameWord.start,
        end: http.nameWord.end,
        fixes: () => [{ title: 'Add server_tokens off; to http', isPreferred: true, edits: [insertLines(source, http, ['server_tokens off;'], ['default_type', 'include'])] }],
      });
    }
  },
};

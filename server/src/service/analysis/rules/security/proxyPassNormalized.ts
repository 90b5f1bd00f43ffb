/**
 * proxy-pass-normalized: `proxy_pass` with a URI part — even just `/` — and no variables. nginx then
 * builds the upstream request from the *normalised, decoded* URI: it replaces the matched location
 * prefix with the URI part (ngx_http_proxy_create_request, location->uri set), so `%2F` reaches the
 * backend as `/`, `%2e%2e` and `..` segments are already resolved, and `//` merged; without a URI
 * part nginx passes the client's request line as it came. A backend that routes or authorises on
 * the raw path (encoded slashes in IDs, signed URLs, its own traversal checks) sees something else
 * than what was sent. Same concern as gixy's proxy_pass_normalized. A hint: for most backends the
 * normalised URI is what is wanted.
 *
 * Fix (preferred, only where it is equivalent but for the normalisation): when the URI part equals
 * the location's prefix (`location /api/ { proxy_pass http://b/api/; }`, `location / { proxy_pass
 * http://b/; }`), drop it — nginx then passes the original URI, which starts with the same prefix.
 */
import { levelDirectives } from '../../report';
import { locationMatch } from '../../security';
import type { Rule } from '../../types';

export const proxyPassNormalized: Rule = {
  code: 'proxy-pass-normalized',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'hint',
  description: 'proxy_pass with a URI part sends the normalised, decoded URI to the backend instead of the original',
  check(ctx) {
    const { source } = ctx;
    for (const { d, owner } of levelDirectives(ctx, (x) => x.name === 'proxy_pass' && x.argCount === 1, ['proxy_pass'])) {
      const word = d.arg(0)!;
      const v = word.value;
      if (v.includes('$')) continue;
      const m = /^([a-z]+:\/\/)(\[[^\]]*\]|[^/]*)(\/.*)$/i.exec(v);
      if (!m || /^unix:/i.test(m[2])) continue;
      // inside `if` / `limit_except` the URI part is rejected or ignored by nginx; a regex location
      // cannot have one: only prefix and exact locations are concerned
      const loc = owner && owner.name === 'location' ? locationMatch(owner) : null;
      if (!loc || (loc.modifier !== '' && loc.modifier !== '^~' && loc.modifier !== '=')) continue;
      const uri = m[3];
      const same = uri === loc.path && loc.modifier !== '=';
      const simple = word.raw === v;
      const at = word.start + m[1].length + m[2].length;
      ctx.report({
        message: `With the URI part ${uri.length <= 24 ? `"${uri}"` : 'here'} the backend gets the normalised, decoded URI, not the client's. %2F becomes /, ../ is resolved.`,
        start: word.start,
        end: word.end,
        fixes: same && simple
          ? () => [{ title: `Remove the URI part "${uri}" (pass the original URI)`, isPreferred: true, edits: [{ source, start: at, end: word.end, newText: '' }] }]
          : undefined,
      });
    }
  },
};

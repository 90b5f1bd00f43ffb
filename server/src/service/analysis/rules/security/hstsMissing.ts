/**
 * hsts-missing: an https server (a `listen … ssl` or `… quic`, or the old `ssl on`) that sends no
 * Strict-Transport-Security header — neither its own add_header nor one it inherits, nor one in
 * any of its locations (more_set_headers counts too). Without HSTS a browser that follows an http://
 * link or types the bare name makes its first request in clear text, which an on-path attacker can
 * answer (SSL stripping). A hint: a backend may set the header itself. Servers that refuse TLS
 * handshakes (`ssl_reject_handshake on`, a catch-all) are not concerned. Fix (offered, not
 * preferred: a browser then refuses plain http for the site for a year, which must be meant):
 * `add_header Strict-Transport-Security "max-age=31536000" always;` — only where adding an
 * add_header to the server drops no inherited one (add-header-dropped).
 */
import type { Directive } from '../../../syntax/tree';
import { directivesNamed, effectiveScalar, inheritableArray } from '../../effective';
import { insertLines } from '../../edits';
import { chainHasUnresolvedInclude, levelsOf } from '../../levels';
import type { ConfigView, Rule } from '../../types';

const HSTS = /strict-transport-security/i;

/** A directive in the server's expanded body, at any depth, satisfies `pred`. */
function anyBelow(view: ConfigView, list: Directive[], pred: (d: Directive) => boolean, depth = 0): boolean {
  for (const d of list) {
    if (d.isEntry) continue;
    if (pred(d)) return true;
    if (d.block && d.block.body === 'directives' && depth < 8 && anyBelow(view, view.expand(d), pred, depth + 1)) return true;
  }
  return false;
}

const setsHsts = (d: Directive) => (d.name === 'add_header' && HSTS.test(d.argValue(0) ?? '')) || (d.name === 'more_set_headers' && HSTS.test(d.argValue(d.argCount - 1) ?? ''));

export const hstsMissing: Rule = {
  code: 'hsts-missing',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'hint',
  description: 'An https server sends no Strict-Transport-Security header',
  check(ctx) {
    const { view, source } = ctx;
    for (const { owner, chain } of levelsOf(view)) {
      if (!owner || owner.name !== 'server' || view.sourceOf(owner) !== source) continue;
      if (chain.some((s) => s.context === 'stream' || s.context === 'mail')) continue;
      const body = view.expand(owner);
      const tls = directivesNamed(body, 'listen').find((l) => Array.from({ length: l.argCount }, (_, i) => l.argValue(i)).some((a) => a === 'ssl' || a === 'quic'))
        ?? directivesNamed(body, 'ssl').find((d) => d.argValue(0) === 'on');
      if (!tls || view.sourceOf(tls) !== source) continue;
      if (effectiveScalar(view, chain, 'ssl_reject_handshake').value === 'on') continue;
      // without the http level in view (a lone site file) an http-level header is out of sight
      if (!chain.some((s) => s.context === 'http' && s.owner)) continue;
      if (chainHasUnresolvedInclude(chain) || anyBelow(view, body, (d) => d.name === 'include')) continue;
      if (anyBelow(view, body, setsHsts)) continue;
      if (chain.slice(1).some((s) => s.directives.some(setsHsts))) continue;
      const own = directivesNamed(body, 'add_header');
      const dropsInherited = !own.length && inheritableArray(chain, 'add_header').directives.length > 0;
      ctx.report({
        message: 'This https server sends no Strict-Transport-Security header: a browser\'s first plain-http request can be intercepted.',
        start: tls.start,
        end: tls.arg(tls.argCount - 1)?.end ?? tls.nameWord.end,
        fixes: dropsInherited ? undefined : () => [{
          title: 'Add "add_header Strict-Transport-Security "max-age=31536000" always;"',
          isPreferred: false,
          edits: [insertLines(source, owner, ['add_header Strict-Transport-Security "max-age=31536000" always;'], ['add_header', 'ssl_certificate_key', 'ssl_certificate', 'server_name', 'listen'])],
        }],
      });
    }
  },
};

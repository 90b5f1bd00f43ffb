/**
 * ssl-stapling-resolver: `ssl_stapling on` where no `resolver` is in effect. To fetch the OCSP
 * response nginx resolves the responder's host name (from the certificate's AIA, or
 * `ssl_stapling_responder`) with its own resolver; without one it logs "no resolver defined to
 * resolve …" and never staples — silently, since stapling is best-effort and the handshake goes on
 * without it. Not reported when `ssl_stapling_file` gives the response from a file, or the responder
 * is an IP literal. When the http level is out of sight (a lone server file) or an include did not
 * resolve, a resolver may be there: information. A warning; no fix (the resolver's address is
 * site-specific).
 */
import { effectiveScalar } from '../../effective';
import { chainHasUnresolvedInclude } from '../../levels';
import { headerRange, levelDirectives } from '../../report';
import type { Rule } from '../../types';

export const sslStaplingResolver: Rule = {
  code: 'ssl-stapling-resolver',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'ssl_stapling on without a resolver: nginx cannot reach the OCSP responder and never staples',
  check(ctx) {
    const { view } = ctx;
    for (const { d, chain } of levelDirectives(ctx, (x) => x.name === 'ssl_stapling' && x.argValue(0) === 'on', ['ssl_stapling'])) {
      if (chain.some((s) => s.context === 'stream' || s.context === 'mail')) continue;
      if (effectiveScalar(view, chain, 'resolver').directive) continue;
      if (effectiveScalar(view, chain, 'ssl_stapling_file').directive) continue;
      const responder = effectiveScalar(view, chain, 'ssl_stapling_responder').value;
      if (/^https?:\/\/(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\])(:\d+)?(\/|$)/.test(responder)) continue;
      const complete = chain.some((s) => s.context === 'http' && s.owner) && !chainHasUnresolvedInclude(chain);
      ctx.report({
        message: 'ssl_stapling is on but no resolver is set: nginx cannot resolve the OCSP responder and silently staples nothing.',
        severity: complete ? undefined : 'information',
        ...headerRange(d),
      });
    }
  },
};

/**
 * return-bypasses-access: `return` (with a non-error status) or a `rewrite` that leaves the level
 * (redirect, permanent, last, or no flag) where allow/deny or authentication is in effect. The
 * rewrite module runs in nginx's rewrite phases (server rewrite, then location rewrite), before the
 * access phase where allow/deny, auth_basic and auth_request decide: a denied client gets the
 * `return`'s response, the redirect, or the location the rewrite jumps to (proven on real nginx in
 * test/e2e/security-exploits.test.ts: `deny 127.0.0.1; return 200 …` answers 127.0.0.1). A
 * `rewrite … break` stays in the location and is checked. No mechanical fix: the page shows the
 * `try_files` idiom that runs the answer after the access phase.
 */
import { headerRange, levelDirectives, related } from '../../report';
import type { Rule, Scope } from '../../types';
import { accessControl } from '../../security';

export const returnBypassesAccess: Rule = {
  code: 'return-bypasses-access',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'return / rewrite run in the rewrite phase, before allow/deny and auth: denied clients get the answer',
  check(ctx) {
    const { view } = ctx;
    // the access control of a level, computed once per level
    const accessOf = new Map<Scope, ReturnType<typeof accessControl>>();
    for (const { d, chain } of levelDirectives(ctx, (x) => x.name === 'return' || x.name === 'rewrite', ['return', 'rewrite'])) {
      if (chain[0]?.context === 'http' || chain[0]?.context === 'limit_except') continue;
      let what = '';
      if (d.name === 'return') {
        const code = d.argValue(0) ?? '';
        if (/^\d+$/.test(code) && (Number(code) >= 400 || Number(code) === 204)) continue;
        what = /^3\d\d$/.test(code) || d.argCount === 1 ? 'redirect' : 'response';
      } else if (d.name === 'rewrite') {
        const flag = d.argValue(2) ?? '';
        if (flag === 'break') continue;
        what = flag === 'redirect' || flag === 'permanent' || /^(https?:\/\/|\$scheme)/.test(d.argValue(1) ?? '') ? 'redirect' : 'rewritten request';
      } else continue;
      let access = accessOf.get(chain[0]);
      if (!access) accessOf.set(chain[0], (access = accessControl(view, chain)));
      if (access.internal) continue;
      const guard = access.denies ? access.rules.find((r) => r.name === 'deny')! : access.auth;
      if (!guard) continue;
      const by = guard.name === 'deny' ? 'deny' : guard.name;
      ctx.report({
        message: `${d.name} runs before ${by} (rewrite phase, then access phase): clients it should stop still get the ${what}. Serve it after the access check.`,
        ...headerRange(d),
        related: related(view, guard, 'the access control it bypasses'),
      });
    }
  },
};

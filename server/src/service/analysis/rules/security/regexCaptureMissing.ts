/**
 * regex-capture-missing: `$N` where the regex it refers to has fewer than N capture groups (named
 * groups are numbered too). nginx expands a capture that does not exist to the empty string, with
 * no warning: `rewrite ^/a/(.*)$ /b/$2;` sends everything to `/b/`. Checked where the regex is
 * certain: a `rewrite`'s replacement against its own regex when it has groups (one without keeps
 * the captures of the match before it); a map entry's value against its key; the
 * directives of a regex location or an `if (… ~ …)` block (their own lines, not nested blocks) when
 * no other regex at that level (a `rewrite`, an `if` with a regex) may have replaced the captures
 * by then. A warning; no mechanical fix (which group was meant is not known).
 */
import type { Directive } from '../../../syntax/tree';
import { allDirectives } from '../../../syntax/query';
import { captureCount, regexSites } from '../../regex';
import { refsIn } from '../../security';
import type { Rule, RuleContext } from '../../types';

/** Reports the `$N` of `d`'s arguments [from, to) above `groups`. */
function checkRefs(ctx: RuleContext, d: Directive, from: number, groups: number, what: string, to = d.argCount): void {
  for (let i = from; i < to; i++) {
    const w = d.arg(i)!;
    for (const r of refsIn(w.value)) {
      if (!/^\d$/.test(r.name) || Number(r.name) <= groups) continue;
      ctx.report({
        message: `$${r.name} refers to capture ${r.name}, but ${what} has ${groups === 0 ? 'no capture group' : groups === 1 ? 'only one' : `only ${groups}`}: nginx puts an empty string there.`,
        start: w.start,
        end: w.end,
      });
      return;
    }
  }
}

/** A directive of a level that runs a regex of its own (and so may replace the level's captures). */
function runsRegex(d: Directive): boolean {
  return d.name === 'rewrite' || (d.name === 'if' && regexSites(d).length > 0);
}

export const regexCaptureMissing: Rule = {
  code: 'regex-capture-missing',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: '$N refers to a capture group the regex does not have: nginx substitutes an empty string',
  check(ctx) {
    for (const d of allDirectives(ctx.source.file.children)) {
      if (d.isEntry) {
        const site = regexSites(d)[0];
        if (site && d.argCount >= 1) checkRefs(ctx, d, d.argCount - 1, captureCount(site.re), 'the map entry\'s regex');
        continue;
      }
      if (d.name === 'rewrite' && d.argCount >= 2) {
        // a regex without groups leaves the captures of the match before it in place
        // (ngx_http_regex_exec updates them only when the regex has some): `if ($args ~ "^q=(.+)")
        // { rewrite ^ /search/$1?; }` is an idiom, and where those captures come from is not checked
        const groups = captureCount(d.argValue(0)!);
        if (groups > 0) checkRefs(ctx, d, 1, groups, 'the rewrite\'s regex', 2);
        continue;
      }
      if ((d.name !== 'location' && d.name !== 'if') || !d.block || d.block.body !== 'directives') continue;
      const sites = regexSites(d);
      if (sites.length !== 1) continue;
      const body = d.block.children.filter((s): s is Directive => s.kind === 'directive' && !s.isEntry);
      // a regex run at the level may leave other captures to the directives after it
      if (body.some(runsRegex) || body.some((s) => s.name === 'include')) continue;
      const groups = captureCount(sites[0].re);
      for (const s of body) if (!s.block) checkRefs(ctx, s, 0, groups, `the ${d.name} regex`);
    }
  },
};

/**
 * allow-without-deny: a level's allow/deny list has `allow` lines but no `deny`. nginx checks the
 * list in order and lets through whoever matches no line (ngx_http_access_handler declines), so
 * `allow 10.0.0.0/8;` alone lets everyone in; and the list replaces an outer one, so a server-level
 * `deny all` is not inherited by a location with its own `allow`. `allow all` alone (reopening a
 * location below a denied server) and `satisfy any` with authentication (where `allow` grants
 * access without a password) are meaningful and not reported. Fix: `deny all;` after the last
 * `allow`, or, when an outer level has a list, that list's lines (the outer `deny all` with them).
 */
import type { Directive } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { bodyOf, hasUnresolvedInclude, levelsOf } from '../../levels';
import { accessControl } from '../../security';
import { directiveText, innerIndent } from '../../edits';

export const allowWithoutDeny: Rule = {
  code: 'allow-without-deny',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'allow lines without deny: nginx lets through everyone the list does not match',
  check(ctx) {
    const { view, source } = ctx;
    for (const { owner, chain } of levelsOf(view)) {
      const body = bodyOf(view, owner);
      const own = body.filter((d) => !d.isEntry && (d.name === 'allow' || d.name === 'deny'));
      if (!own.length || own.some((d) => d.name === 'deny')) continue;
      // an include that did not resolve may hold the deny
      if (hasUnresolvedInclude(body)) continue;
      if (own.every((d) => d.argValue(0) === 'all')) continue;
      const last = own[own.length - 1];
      if (view.sourceOf(last) !== source) continue;
      const access = accessControl(view, chain);
      if (access.satisfy === 'any' && access.auth) continue;
      // the outer allow/deny list this one replaces
      let outer: Directive[] = [];
      for (let i = 1; i < chain.length; i++) {
        const l = chain[i].directives.filter((d) => !d.isEntry && (d.name === 'allow' || d.name === 'deny'));
        if (l.length) { outer = l; break; }
      }
      const outerDenies = outer.some((d) => d.name === 'deny');
      const indent = innerIndent(source, owner);
      const text = source.file.text;
      const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
      const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, last.start));
      const at = last.trailingComment ? last.trailingComment.end : last.end;
      const lines = outerDenies ? outer.map((d) => directiveText(view, d)) : ['deny all;'];
      ctx.report({
        message: outerDenies
          ? `This allow list replaces the outer one, whose deny is not inherited: every client is let through. Add the outer lines here.`
          : `allow without deny lets every client through: nginx allows whoever matches no line. Add "deny all;" after the last allow.`,
        start: last.start,
        end: last.end,
        related: outerDenies ? outer.flatMap((d) => { const s = view.sourceOf(d); return s ? [{ source: s, start: d.start, end: d.end, message: 'not inherited: this level has its own allow' }] : []; }) : undefined,
        fixes: () => [{
          title: outerDenies ? 'Copy the outer allow/deny lines after the last allow' : 'Add "deny all;" after the last allow',
          isPreferred: true,
          edits: [{ source, start: at, end: at, newText: lines.map((l) => (onOwnLine ? '\n' + indent : ' ') + l).join('') }],
        }],
      });
    }
  },
};

/**
 * `directive-removed`: a directive nginx had but the configured `nginx.version` no longer has
 * (`ssl` from 1.25.1): nginx stops with `unknown directive "ssl"`. The replacement is offered where
 * it is mechanical (see fixes.ts).
 */
import { nginxSpecsOf } from '../../../knowledge/directiveDb';
import { compareVersions, deprecationOf } from '../../../knowledge/versions';
import type { Rule } from '../../types';
import { analyze } from '../structure/analyze';
import { sslOnFix } from './fixes';

/** the first release without any spec of the name (the newest `until` of its specs) */
function removedIn(name: string): string {
  let until = '';
  for (const s of nginxSpecsOf(name) ?? []) if (s.until && (!until || compareVersions(s.until, until) > 0)) until = s.until;
  return until;
}

export const directiveRemoved: Rule = {
  code: 'directive-removed',
  family: 'versions',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'error',
  description: 'Directive removed from nginx in or before the configured nginx.version (nginx: unknown directive).',
  check(rc) {
    const { directives, infos } = analyze(rc);
    for (let i = 0; i < directives.length; i++) {
      if (infos[i].status !== 'removed') continue;
      const d = directives[i];
      const until = removedIn(d.name);
      // what nginx said to use while it still accepted the directive
      const old = (nginxSpecsOf(d.name) ?? []).map((s) => deprecationOf(d.name, s.module, undefined)).find((x) => x && x.use);
      const use = old ? `; use the "${old.use}" directive instead` : '';
      const source = rc.source;
      rc.report({
        message: `unknown directive "${d.name}": nginx ${until} removed it ("nginx.version" is ${rc.settings.version})${use}`,
        start: d.nameWord.start,
        end: d.nameWord.end,
        fixes: d.name === 'ssl' ? () => { const f = sslOnFix(source, d); return f ? [f] : []; } : undefined,
      });
    }
  },
};

/** `directive-unknown`: a name nginx does not know (nor `nginx.customDirectives`), with "did you mean" fixes. */
import { nginxSpecsOf, suggestNames, TABLE_VERSION } from '../../../knowledge/directiveDb';
import { compareVersions } from '../../../knowledge/versions';
import type { Fix, Rule } from '../../types';
import { analyze } from './analyze';

/** " (nginx 1.25.1)": the first release of nginx's table that has it, when known */
function appeared(name: string): string {
  let since = '';
  for (const s of nginxSpecsOf(name) ?? []) if (s.since && (!since || compareVersions(s.since, since) < 0)) since = s.since;
  return since ? ` (nginx ${since})` : '';
}

export const directiveUnknown: Rule = {
  code: 'directive-unknown',
  family: 'structure',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'Directive name unknown to nginx (official and packaged modules, plus nginx.customDirectives).',
  check(rc) {
    const { directives, ctxs, infos } = analyze(rc);
    for (let i = 0; i < directives.length; i++) {
      const info = infos[i];
      // 'removed': directive-removed reports it
      if (info.status === 'known' || info.status === 'removed') continue;
      const d = directives[i];
      const w = d.nameWord;
      if (info.status === 'plus') {
        rc.report({ message: `"${d.name}" is an NGINX Plus directive; open-source nginx rejects it (set "nginx.plus" if this configuration runs on NGINX Plus)`, start: w.start, end: w.end });
        continue;
      }
      if (info.status === 'newer') {
        rc.report({ message: `unknown directive "${d.name}" in nginx ${rc.settings.version || TABLE_VERSION}: it appeared in a later version${appeared(d.name)} (see "nginx.version")`, start: w.start, end: w.end });
        continue;
      }
      const suggestions = suggestNames(d.name, ctxs[i], rc.settings);
      const hint = suggestions.length ? ` (did you mean "${suggestions[0]}"?)` : '';
      const source = rc.source;
      rc.report({
        message: `unknown directive "${shortName(d.name)}"${hint}`,
        start: w.start,
        end: w.end,
        fixes: suggestions.length
          ? () => suggestions.map((s, i): Fix => ({
            title: `Change to "${s}"`,
            edits: [{ source, start: w.start, end: w.end, newText: s }],
            isPreferred: i === 0 && suggestions.length === 1,
          }))
          : undefined,
      });
    }
  },
};

/** A name as the message shows it: one line, at most 60 characters (a stray quote can make a "name" of a whole script). */
function shortName(name: string): string {
  const flat = name.replace(/\s+/g, ' ');
  return flat.length > 60 ? flat.slice(0, 59) + '…' : flat;
}

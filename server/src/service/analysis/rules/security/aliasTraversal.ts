/**
 * alias-traversal: `alias` in a prefix location whose path does not end with `/`. nginx maps a URI
 * to a file by replacing the location's prefix with the alias (ngx_http_map_uri_to_path), and its
 * URI normalisation only removes whole `..` segments: `/static../etc/passwd` matches
 * `location /static`, keeps `static..` as one segment, and becomes `/var/www/static/../etc/passwd`
 * with `alias /var/www/static/` — a file outside the alias root (proven on real nginx in
 * test/e2e/security-exploits.test.ts). With an alias that does not end with `/` either, the same
 * request cannot climb, but `/staticX` reaches the sibling path `/var/www/staticX` (a warning).
 * Regex and exact locations are not concerned. Fix: add the slash to the location (and to the alias
 * when it has none), so the prefix ends at a segment boundary.
 */
import type { Rule } from '../../types';
import { locationMatch } from '../../security';

export const aliasTraversal: Rule = {
  code: 'alias-traversal',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'alias in a prefix location without a trailing slash: /static../ reads outside the alias root',
  check(ctx) {
    const { source } = ctx;
    const visit = (list: typeof source.file.children) => {
      for (const s of list) {
        if (s.kind !== 'directive' || s.isEntry) continue;
        if (s.name === 'alias' && s.argCount === 1) {
          const loc = s.parent;
          const m = loc ? locationMatch(loc) : null;
          if (loc && m && (m.modifier === '' || m.modifier === '^~') && !m.path.endsWith('/') && !m.path.includes('$')) {
            const alias = s.argValue(0)!;
            const climbs = alias.endsWith('/');
            const aliasWord = s.arg(0)!;
            const pathWord = m.word;
            const pathFixable = pathWord.raw === pathWord.value || (pathWord.quote !== null && pathWord.raw.slice(1, -1) === pathWord.value);
            const aliasFixable = aliasWord.raw === aliasWord.value || (aliasWord.quote !== null && aliasWord.raw.slice(1, -1) === aliasWord.value);
            const pathEnd = pathWord.quote ? pathWord.end - 1 : pathWord.end;
            const aliasEnd = aliasWord.quote ? aliasWord.end - 1 : aliasWord.end;
            ctx.report({
              message: climbs
                ? `location ${m.path} has no trailing slash but its alias does: "${m.path}../" reads files outside ${alias}. Add the slash to the location.`
                : `location ${m.path} has no trailing slash: "${m.path}X" maps to the sibling path ${alias}X. End both the location and the alias with a slash.`,
              severity: climbs ? undefined : 'warning',
              start: aliasWord.start,
              end: aliasWord.end,
              related: [{ source, start: loc.start, end: pathWord.end, message: 'the prefix location without a trailing slash' }],
              fixes: pathFixable && (climbs || aliasFixable)
                ? () => [{
                  title: climbs ? `Change the location to ${m.path}/` : `Change the location to ${m.path}/ and the alias to ${alias}/`,
                  isPreferred: true,
                  edits: [
                    { source, start: pathEnd, end: pathEnd, newText: '/' },
                    ...(climbs ? [] : [{ source, start: aliasEnd, end: aliasEnd, newText: '/' }]),
                  ],
                }]
                : undefined,
            });
          }
        }
        if (s.block && s.block.body === 'directives') visit(s.block.children);
      }
    };
    visit(source.file.children);
  },
};

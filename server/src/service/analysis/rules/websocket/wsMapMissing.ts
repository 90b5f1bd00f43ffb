/** ws-map-missing: `$connection_upgrade` is used but no `map $http_upgrade $connection_upgrade` exists at http level. */
import { allDirectives } from '../../../syntax/query';
import type { Rule } from '../../types';
import { fix } from '../../edits';
import { mapDefined, mapEdit, usesMapVar, groupAround } from '../../proxy';

export const wsMapMissing: Rule = {
  code: 'ws-map-missing',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'error',
  description: '$connection_upgrade used without the map $http_upgrade $connection_upgrade at http level',
  check(ctx) {
    // cheap questions first: most files either never mention the variable or have the map
    if (ctx.source.file.text.indexOf('connection_upgrade') < 0 || mapDefined(ctx.view)) return;
    const users = allDirectives(ctx.source.file.children).filter((d) => !d.isEntry && d.name !== 'map' && usesMapVar(d));
    for (const d of users) {
      const word = d.args.find((a) => a.value.includes('connection_upgrade')) ?? d.nameWord;
      ctx.report({
        message: '$connection_upgrade is not defined: add "map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }" at http level (nginx -t fails with "unknown variable" without it).',
        start: word.start,
        end: word.end,
        group: groupAround(ctx, d),
        fixes: () => fix('Insert the map $http_upgrade $connection_upgrade block at http level', [mapEdit(ctx.view, ctx.view.scopes(d), ctx.settings)]),
      });
    }
  },
};

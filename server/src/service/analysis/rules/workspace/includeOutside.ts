/**
 * include-outside: an `include` whose files lie outside the workspace folders and the folders
 * `nginx.pathMap` maps onto. The server does not read them (a configuration must not make the
 * editor open `/etc/shadow` or list `/`); the user maps the folder to have it analysed.
 */
import type { Rule } from '../../types';
import { includesOf } from '../../../syntax/query';

export const includeOutside: Rule = {
  code: 'include-outside',
  family: 'workspace',
  reach: 'server',
  defaultSeverity: 'information',
  description: 'An include that leads outside the workspace and mapped folders (not read).',
  check(ctx) {
    for (const d of includesOf(ctx.source.file)) {
      const info = ctx.view.includeInfo?.(d);
      if (!info?.outside?.length) continue;
      const w = d.args[0];
      const where = info.outside[0];
      const more = info.outside.length > 1 ? ` (and ${info.outside.length - 1} more)` : '';
      ctx.report({
        message: `not read: ${where}${more} is outside the workspace; map it with nginx.pathMap to have it analysed`,
        start: w.start,
        end: w.end,
      });
    }
  },
};

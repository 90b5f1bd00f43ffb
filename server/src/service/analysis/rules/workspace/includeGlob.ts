/**
 * include-glob: an `include` glob that can never match in part (an empty range such as `[z-a]`,
 * which nginx's glob(3) treats as matching nothing), or whose expansion stopped at a bound (too many
 * folders listed or files matched, docs/limits.md). The rest of the configuration is still checked.
 */
import type { Rule } from '../../types';
import { includesOf } from '../../../syntax/query';

export const includeGlob: Rule = {
  code: 'include-glob',
  family: 'workspace',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'An include glob that cannot match, or that matches too much to expand.',
  check(ctx) {
    for (const d of includesOf(ctx.source.file)) {
      const info = ctx.view.includeInfo?.(d);
      if (!info?.note) continue;
      const w = d.args[0];
      ctx.report({ message: `include ${info.pattern}: ${info.note}`, start: w.start, end: w.end });
    }
  },
};

/**
 * include-cycle: an include chain returns to a file already on it (nginx would recurse until it runs
 * out of file descriptors).
 */
import type { Rule } from '../../types';
import { allDirectives } from '../../../syntax/query';
import { includeInfoOf } from '../../../workspace/configView';
import { basename } from '../../../workspace/paths';

export const includeCycle: Rule = {
  code: 'include-cycle',
  defaultSeverity: 'error',
  description: 'an include chain that includes a file already on it',
  check(ctx) {
    for (const d of allDirectives(ctx.source.file.children)) {
      if (d.name !== 'include' || !d.args[0]) continue;
      const info = includeInfoOf(ctx.view, d);
      if (!info?.cycle) continue;
      const w = d.args[0];
      ctx.report({
        message: `include cycle: ${info.cycle.map(basename).join(' → ')}`,
        start: w.start,
        end: w.end,
      });
    }
  },
};

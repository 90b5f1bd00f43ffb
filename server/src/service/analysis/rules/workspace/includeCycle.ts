/**
 * include-cycle: an include chain returns to a file already on it (nginx would recurse until it runs
 * out of file descriptors).
 */
import type { Rule } from '../../types';
import { includesOf } from '../../../syntax/query';
import { basename } from '../../../paths';

export const includeCycle: Rule = {
  code: 'include-cycle',
  family: 'workspace',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'An include chain that includes a file already on it.',
  check(ctx) {
    // the file's include directives (with an argument), cached per tree
    for (const d of includesOf(ctx.source.file)) {
      const info = ctx.view.includeInfo?.(d);
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

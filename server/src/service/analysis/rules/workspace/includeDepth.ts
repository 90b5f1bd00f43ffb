/**
 * input-limit (include depth): an `include` at the end of a chain MAX_INCLUDE_DEPTH files deep is
 * not followed (configGraph.ts). The same code as the parser's nesting and error limits: a limit of
 * this tool, not an error nginx would report.
 */
import type { Rule } from '../../types';
import { includesOf } from '../../../syntax/query';
import { MAX_INCLUDE_DEPTH } from '../../../model/config';
import { INPUT_LIMIT } from '../../../syntax/parser';

export const includeDepth: Rule = {
  code: INPUT_LIMIT,
  family: 'workspace',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'A limit of this tool was reached (nesting, include depth, error or diagnostic count).',
  check(ctx) {
    for (const d of includesOf(ctx.source.file)) {
      if (!ctx.view.includeInfo?.(d)?.tooDeep) continue;
      const w = d.args[0];
      ctx.report({
        message: `includes nested more than ${MAX_INCLUDE_DEPTH} files deep are not followed: this include is not analysed`,
        start: w.start,
        end: w.end,
      });
    }
  },
};

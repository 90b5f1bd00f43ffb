/** `directive-context`: a known directive written in a block where nginx does not allow it. */
import { contextNames } from '../../../knowledge/directiveDb';
import type { Rule } from '../../types';
import { analyze } from './analyze';

export const directiveContext: Rule = {
  code: 'directive-context',
  defaultSeverity: 'error',
  description: 'Directive not allowed in this block (nginx: "… directive is not allowed here").',
  check(rc) {
    for (const { d, info, spec, ctx } of analyze(rc).checked) {
      if (info.status !== 'known' || spec || ctx === 0) continue;
      let allowed = 0;
      for (const s of info.specs) allowed |= s.contexts;
      const where = contextNames(allowed);
      rc.report({
        message: `"${d.name}" directive is not allowed here${where.length ? ` (allowed in: ${where.join(', ')})` : ''}`,
        start: d.nameWord.start,
        end: d.nameWord.end,
      });
    }
  },
};

/** `directive-context`: a known directive written in a block where nginx does not allow it. */
import { contextNames } from '../../../knowledge/directiveDb';
import type { Rule } from '../../types';
import { analyze } from './analyze';

export const directiveContext: Rule = {
  code: 'directive-context',
  family: 'structure',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'Directive not allowed in this block (nginx: "… directive is not allowed here").',
  check(rc) {
    const { directives, ctxs, infos, specs } = analyze(rc);
    for (let i = 0; i < directives.length; i++) {
      const info = infos[i];
      if (info.status !== 'known' || specs[i] || ctxs[i] === 0) continue;
      const d = directives[i];
      let allowed = 0;
      for (const s of info.specs) allowed |= s.contexts;
      const where = contextNames(allowed);
      rc.report({
        message: `"${d.name}" directive is not allowed here${where.length ? `; allowed in: ${where.join(', ')}` : ''}`,
        start: d.nameWord.start,
        end: d.nameWord.end,
      });
    }
  },
};

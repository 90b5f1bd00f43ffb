/** `directive-args`: wrong number of arguments, per nginx's own table (TAKE1, TAKE12, 1MORE, FLAG…). */
import { argsOk, describeArgs } from '../../../knowledge/directiveDb';
import type { Rule } from '../../types';
import { analyze } from './analyze';

export const directiveArgs: Rule = {
  code: 'directive-args',
  family: 'structure',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'Wrong number of arguments (nginx: "invalid number of arguments in … directive").',
  check(rc) {
    const { directives, specs } = analyze(rc);
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i];
      const spec = specs[i];
      if (!spec || d.terminator === null) continue;
      if (spec.block !== (d.terminator === '{')) continue; // directive-block says it; nginx stops there too
      // the count comes from the tokens: materializing every directive's words costs more than all the checks
      const n = d.argCount;
      if (argsOk(spec.args, n)) continue;
      const start = n ? d.args[0].start : d.nameWord.start;
      const end = n ? d.args[n - 1].end : d.nameWord.end;
      const exp = describeArgs(spec.args);
      rc.report({
        message: `invalid number of arguments in "${d.name}" directive: expects ${exp} argument${/^1\b/.test(exp) ? '' : 's'}, got ${n}`,
        start: n > 0 && start < end ? start : d.nameWord.start,
        end: n > 0 && start < end ? end : d.nameWord.end,
      });
    }
  },
};

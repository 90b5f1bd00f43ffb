/** `directive-block`: a block given to a simple directive, or `;` where nginx requires a block. */
import type { Rule } from '../../types';
import { analyze } from './analyze';

export const directiveBlock: Rule = {
  code: 'directive-block',
  family: 'structure',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'A block given to a simple directive, or a block directive without its block.',
  check(rc) {
    const { directives, specs } = analyze(rc);
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i];
      const spec = specs[i];
      if (!spec || d.terminator === null) continue; // a missing terminator is a syntax error already
      const hasBlock = d.terminator === '{';
      if (spec.block && !hasBlock) {
        rc.report({ message: `directive "${d.name}" has no opening "{": it takes a block`, start: d.nameWord.start, end: d.terminatorOffset + 1 });
      } else if (!spec.block && hasBlock) {
        rc.report({ message: `directive "${d.name}" is not terminated by ";": it does not take a block`, start: d.nameWord.start, end: d.terminatorOffset + 1 });
      }
    }
  },
};

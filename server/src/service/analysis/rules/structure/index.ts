import type { Rule } from '../../types';
import { directiveArgs } from './directiveArgs';
import { directiveBlock } from './directiveBlock';
import { directiveContext } from './directiveContext';
import { directiveDuplicate } from './directiveDuplicate';
import { directiveUnknown } from './directiveUnknown';
import { valueInvalid } from './valueInvalid';
import { variableUnknown } from './variableUnknown';

/** Rules of the "structure" family (see docs/rules/). */
export const structureRules: Rule[] = [
  directiveUnknown, directiveContext, directiveBlock, directiveArgs, directiveDuplicate, valueInvalid, variableUnknown,
];

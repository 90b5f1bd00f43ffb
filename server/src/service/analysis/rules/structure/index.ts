import type { Rule } from '../../types';

/** Rules of the "structure" family (see docs/rules/). */
export const structureRules: Rule[] = [];

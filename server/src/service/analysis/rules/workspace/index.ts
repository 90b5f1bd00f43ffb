import type { Rule } from '../../types';
import { includeCycle } from './includeCycle';
import { includeMissing } from './includeMissing';

/** Rules of the "workspace" family (see docs/rules/). */
export const workspaceRules: Rule[] = [includeMissing, includeCycle];

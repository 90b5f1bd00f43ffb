import type { Rule } from '../../types';
import { directiveDeprecated } from './directiveDeprecated';
import { directiveRemoved } from './directiveRemoved';

/** Rules of the "versions" family: what the configured nginx.version removed or deprecates (see docs/rules/). */
export const versionRules: Rule[] = [directiveRemoved, directiveDeprecated];

import type { Rule } from '../../types';
import { includeCycle } from './includeCycle';
import { includeMissing } from './includeMissing';
import { includeOutside } from './includeOutside';
import { includeUnreadable } from './includeUnreadable';
import { includeGlob } from './includeGlob';
import { includeDepth } from './includeDepth';

/** Rules of the "workspace" family (see docs/rules/). */
export const workspaceRules: Rule[] = [includeMissing, includeCycle, includeOutside, includeUnreadable, includeGlob, includeDepth];

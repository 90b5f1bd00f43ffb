import type { Rule } from '../../types';

/** Rules of the "workspace" family (see docs/rules/). */
export const workspaceRules: Rule[] = [];

import type { Rule } from '../../types';

/** Rules of the "websocket" family (see docs/rules/). */
export const websocketRules: Rule[] = [];

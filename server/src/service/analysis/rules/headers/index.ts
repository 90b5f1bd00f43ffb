import type { Rule } from '../../types';
import { headerDuplicate } from './headerDuplicate';

/** Rules of the "headers" family (see docs/rules/). */
export const headerRules: Rule[] = [headerDuplicate];

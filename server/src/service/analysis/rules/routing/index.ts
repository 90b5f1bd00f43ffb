import type { Rule } from '../../types';
import { locationUnreachable } from './locationUnreachable';
import { serverNameConflict } from './serverNameConflict';
import { serverUnreachable } from './serverUnreachable';

/** Rules of the "routing" family, from the routing model (analysis/routing/; docs/routing.md). */
export const routingRules: Rule[] = [serverNameConflict, serverUnreachable, locationUnreachable];

import type { Rule } from '../types';
import { headerRules } from './headers/index';
import { practiceRules } from './practice/index';
import { routingRules } from './routing/index';
import { securityRules } from './security/index';
import { structureRules } from './structure/index';
import { versionRules } from './versions/index';
import { websocketRules } from './websocket/index';
import { workspaceRules } from './workspace/index';

/** Every rule, in reporting order. `syntax-error` is produced by the parser, not by a rule. */
export const allRules: Rule[] = [...structureRules, ...versionRules, ...workspaceRules, ...websocketRules, ...headerRules, ...securityRules, ...practiceRules, ...routingRules];

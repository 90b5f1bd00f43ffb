import type { Rule } from '../../types';
import { autoindexOn } from './autoindexOn';
import { defaultServerMissing } from './defaultServerMissing';
import { errorLogOff } from './errorLogOff';
import { ifIsEvil } from './ifIsEvil';
import { mapNoDefault } from './mapNoDefault';
import { serverTokens } from './serverTokens';
import { workerConnectionsNofile } from './workerConnectionsNofile';

/** Rules of the "practice" family: configurations nginx accepts and runs, but that work against their author (docs/rules/). */
export const practiceRules: Rule[] = [
  serverTokens,
  autoindexOn,
  errorLogOff,
  mapNoDefault,
  defaultServerMissing,
  ifIsEvil,
  workerConnectionsNofile,
];

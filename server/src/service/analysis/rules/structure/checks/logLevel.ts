/**
 * `error_log file [level]` (ngx_log_set_levels): one of emerg … debug, or debug_* names (only
 * without another level); "invalid log level", "duplicate log level".
 */
import { DEBUG_LOG_LEVELS, LOG_LEVELS } from '../../../../knowledge/handlerTables';
import type { DirectiveCheck } from './types';

export const checkErrorLog: DirectiveCheck = (d, _module, _settings, report) => {
  let level = false;
  let debug = false;
  for (let i = 1; i < d.args.length; i++) {
    const w = d.args[i];
    const v = w.value;
    if (LOG_LEVELS.has(v)) {
      if (level || debug) { report(w, `duplicate log level "${v}" in "error_log"`); return; }
      level = true;
      continue;
    }
    if (DEBUG_LOG_LEVELS.has(v) && !level) { debug = true; continue; }
    report(w, `invalid log level "${v}" in "error_log": use one of debug, info, notice, warn, error, crit, alert, emerg`);
    return;
  }
};

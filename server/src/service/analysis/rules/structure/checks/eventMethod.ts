/** `use` (ngx_event_use): the event method must be compiled in; Linux builds have epoll, poll, select. */
import { EVENT_METHODS_LINUX, EVENT_METHODS_OTHER } from '../../../../knowledge/handlerTables';
import type { DirectiveCheck } from './types';

export const checkUse: DirectiveCheck = (d, _module, _settings, report) => {
  const w = d.args[0];
  if (!w || EVENT_METHODS_LINUX.has(w.value)) return;
  const other = EVENT_METHODS_OTHER[w.value];
  report(w, `invalid event type "${w.value}"${other ? `: it exists on ${other} only;` : ':'} nginx on Linux has epoll, poll, select (usually leave "use" out)`);
};

/**
 * Numbers and times read by custom handlers: `worker_connections` (ngx_event_connections, "invalid
 * number"), `worker_processes` (ngx_set_worker_processes: a number or auto), `keepalive_timeout` in
 * http (ngx_http_core_keepalive: timeout in msec, then the header's seconds).
 */
import { parseTime } from '../../../../knowledge/units';
import { atoi, type DirectiveCheck } from './types';

export const checkWorkerConnections: DirectiveCheck = (d, _module, _settings, report) => {
  const w = d.args[0];
  if (w && atoi(w.value) < 0) report(w, `invalid number "${w.value}" in "worker_connections"`);
};

export const checkWorkerProcesses: DirectiveCheck = (d, _module, _settings, report) => {
  const w = d.args[0];
  if (w && w.value !== 'auto' && atoi(w.value) < 0) report(w, `invalid value "${w.value}" in "worker_processes" directive: a number or "auto"`);
};

export const checkKeepaliveTimeout: DirectiveCheck = (d, module, _settings, report) => {
  if (module !== 'ngx_http_core_module') return;
  const [a, b] = d.args;
  if (a && parseTime(a.value, 'msec') === null) report(a, `invalid value "${a.value}" in "keepalive_timeout" directive: not a time (e.g. 75s)`);
  if (b && parseTime(b.value, 'sec') === null) report(b, `invalid value "${b.value}" in "keepalive_timeout" directive: the header timeout is a time in seconds (e.g. 60s)`);
};

/**
 * `server` inside `upstream` (ngx_http_upstream_server, ngx_stream_upstream_server): the port of
 * the address, and the parameters weight=, max_conns=, max_fails=, fail_timeout=, backup, down
 * ("invalid parameter"); `resolve` and `service=` from nginx 1.27.3 on, and the NGINX Plus ones
 * (slow_start=, route=, drain) with `nginx.plus`.
 */
import { compareVersions } from '../../../../knowledge/directiveDb';
import {
  UPSTREAM_SERVER_FLAGS, UPSTREAM_SERVER_FLAGS_1273, UPSTREAM_SERVER_FLAGS_PLUS, UPSTREAM_SERVER_KEYS,
  UPSTREAM_SERVER_KEYS_1273, UPSTREAM_SERVER_KEYS_PLUS,
} from '../../../../knowledge/handlerTables';
import { parseTime } from '../../../../knowledge/units';
import type { Settings } from '../../../../settings';
import { addressPortProblem } from './address';
import { fastAll, PORT } from './fast';
import { atoi, type DirectiveCheck } from './types';

/** plainly valid: host[:port] or unix:path with the classic parameters */
const SERVER_OK = new RegExp(String.raw`\s+(?:[A-Za-z0-9_.-]+(?::${PORT})?|unix:[^\s;'"#{}$]+)(?:\s+(?:weight=[1-9][0-9]{0,3}|max_fails=[0-9]{1,4}|max_conns=[0-9]{1,6}|fail_timeout=[0-9]{1,5}[smh]?|backup|down))*\s*`, 'y');

/** the configured version has nginx ≥ 1.27.3's upstream `resolve` (an unset version means the latest) */
export function hasOpenSourceResolve(settings: Settings): boolean {
  const v = settings.version;
  if (!v) return true;
  return v.split('.').length <= 2 ? compareVersions(v, '1.27') >= 0 : compareVersions(v, '1.27.3') >= 0;
}

export const checkUpstreamServer: DirectiveCheck = (d, module, settings, report, text) => {
  if (module !== 'ngx_http_upstream_module' && module !== 'ngx_stream_upstream_module') return;
  if (fastAll(SERVER_OK, text, d, 'server') || d.args.length === 0) return;
  const addr = d.args[0];
  const p = addressPortProblem(addr.value);
  if (p) report(addr, `${p} in upstream "${addr.value}"`);
  const oss = hasOpenSourceResolve(settings);
  for (let i = 1; i < d.args.length; i++) {
    const w = d.args[i];
    const v = w.value;
    if (UPSTREAM_SERVER_FLAGS.has(v)) continue;
    if (settings.plus ? UPSTREAM_SERVER_FLAGS_PLUS.has(v) : oss && UPSTREAM_SERVER_FLAGS_1273.has(v)) continue;
    const eq = v.indexOf('=');
    const key = eq > 0 ? v.slice(0, eq) : '';
    const kind = UPSTREAM_SERVER_KEYS.get(key);
    if (kind === undefined) {
      if (eq > 0 && (settings.plus ? UPSTREAM_SERVER_KEYS_PLUS.has(key) : oss && UPSTREAM_SERVER_KEYS_1273.has(key))) continue;
      const why = (UPSTREAM_SERVER_FLAGS_PLUS.has(v) || UPSTREAM_SERVER_KEYS_PLUS.has(key))
        ? (UPSTREAM_SERVER_FLAGS_1273.has(v) || UPSTREAM_SERVER_KEYS_1273.has(key) ? 'open-source nginx has it from 1.27.3 on; before that NGINX Plus only' : 'NGINX Plus only')
        : 'nginx knows weight=, max_conns=, max_fails=, fail_timeout=, backup, down';
      report(w, `invalid parameter "${v}" of "server" in upstream (${why})`);
      continue;
    }
    const val = v.slice(eq + 1);
    const ok = kind === 'posnum' ? atoi(val) > 0 : kind === 'num' ? atoi(val) >= 0 : kind === 'sec' ? parseTime(val, 'sec') !== null : true;
    if (!ok) report(w, `invalid parameter "${v}" of "server" in upstream`);
  }
};

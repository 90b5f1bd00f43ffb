/**
 * `server` inside `upstream` (ngx_http_upstream_server, ngx_stream_upstream_server): the port of
 * the address, and the parameters the configured nginx version's handler knows ("invalid
 * parameter"; per release from nginx's sources, see versions.ts: weight=, max_conns=, max_fails=,
 * fail_timeout=, backup, down; `resolve` and `service=` from 1.27.3, `route=` and `drain` in http
 * from 1.29.6), plus the NGINX Plus ones (slow_start=, …) with `nginx.plus`.
 */
import { UPSTREAM_SERVER_FLAGS_PLUS, UPSTREAM_SERVER_KEYS, UPSTREAM_SERVER_KEYS_PLUS } from '../../../../knowledge/handlerTables';
import { parseTime } from '../../../../knowledge/units';
import { paramFacts, paramIn, versionAtLeast, type ParamHandler } from '../../../../knowledge/versions';
import type { Settings } from '../../../../settings';
import { addressPortProblem } from './address';
import { fastAll, PORT } from './fast';
import { atoi, type DirectiveCheck } from './types';

/** plainly valid: host[:port] or unix:path with the classic parameters */
const SERVER_OK = new RegExp(String.raw`\s+(?:[A-Za-z0-9_.-]+(?::${PORT})?|unix:[^\s;'"#{}$]+)(?:\s+(?:weight=[1-9][0-9]{0,3}|max_fails=[0-9]{1,4}|max_conns=[0-9]{1,6}|fail_timeout=[0-9]{1,5}[smh]?|backup|down))*\s*`, 'y');

/** the configured version has nginx ≥ 1.27.3's upstream `resolve` (an unset version means the latest) */
export function hasOpenSourceResolve(settings: Settings): boolean {
  return versionAtLeast(settings, '1.27.3');
}

export const checkUpstreamServer: DirectiveCheck = (d, module, settings, report, text) => {
  if (module !== 'ngx_http_upstream_module' && module !== 'ngx_stream_upstream_module') return;
  if (fastAll(SERVER_OK, text, d, 'server') || d.args.length === 0) return;
  const addr = d.args[0];
  const p = addressPortProblem(addr.value);
  if (p) report(addr, `${p} in upstream "${addr.value}"`);
  const handler: ParamHandler = module === 'ngx_http_upstream_module' ? 'server:upstream' : 'server:stream_upstream';
  for (let i = 1; i < d.args.length; i++) {
    const w = d.args[i];
    const v = w.value;
    const eq = v.indexOf('=');
    const key = eq > 0 ? v.slice(0, eq) : '';
    const fact = paramIn(handler, eq > 0 ? `${key}=` : v, settings);
    if (fact?.status !== 'ok') {
      if (settings.plus && (eq > 0 ? UPSTREAM_SERVER_KEYS_PLUS.has(key) : UPSTREAM_SERVER_FLAGS_PLUS.has(v))) continue;
      const plusOnly = eq > 0 ? UPSTREAM_SERVER_KEYS_PLUS.has(key) : UPSTREAM_SERVER_FLAGS_PLUS.has(v);
      const here = paramFacts(handler).filter((f) => paramIn(handler, f.name, settings)?.fact === f).map((f) => f.name);
      const why = fact?.status === 'newer'
        ? `open-source nginx has it from ${fact.fact.since} on${plusOnly ? '; before that NGINX Plus only' : ''}; "nginx.version" is ${settings.version}`
        : plusOnly ? 'NGINX Plus only' : `nginx knows ${here.join(', ')}`;
      report(w, `invalid parameter "${v}" of "server" in upstream; ${why}`);
      continue;
    }
    if (eq < 0) continue;
    const kind = UPSTREAM_SERVER_KEYS.get(key) ?? 'any';
    const val = v.slice(eq + 1);
    const ok = kind === 'posnum' ? atoi(val) > 0 : kind === 'num' ? atoi(val) >= 0 : kind === 'sec' ? parseTime(val, 'sec') !== null : true;
    if (!ok) report(w, `invalid parameter "${v}" of "server" in upstream`);
  }
};

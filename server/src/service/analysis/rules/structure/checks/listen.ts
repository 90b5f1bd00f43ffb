/**
 * `listen` (ngx_http_core_listen, ngx_stream_core_listen, ngx_mail_core_listen): the address's
 * port, and every further parameter must be one the handler of the configured nginx version knows
 * ("invalid parameter"; the per-release facts come from nginx's sources, see versions.ts), with a
 * value it can parse ("invalid backlog", "invalid ipv6only flags", …).
 */
import { parseSize } from '../../../../knowledge/units';
import { LISTEN_KEYS } from '../../../../knowledge/handlerTables';
import { paramFacts, paramIn, type ParamHandler } from '../../../../knowledge/versions';
import type { Settings } from '../../../../settings';
import { addressPortProblem } from './address';
import { fastAll, PORT } from './fast';
import { atoi, family, type DirectiveCheck } from './types';

/** " (it appeared in nginx 1.25.0; "nginx.version" is 1.22)" for a parameter the configured version lacks */
function versionHint(handler: ParamHandler, name: string, settings: Settings): string {
  const p = paramIn(handler, name, settings);
  if (!p || p.status === 'ok') return '';
  return p.status === 'newer'
    ? ` (it appeared in nginx ${p.fact.since}; "nginx.version" is ${settings.version})`
    : ` (nginx ${p.fact.until} removed it; "nginx.version" is ${settings.version})`;
}

/** plainly valid http listen: [ipv4:|*:|[ipv6]:]port with common flags */
const LISTEN_OK = new RegExp(String.raw`\s+(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}:|\*:|\[[0-9a-fA-F:.]+\]:)?${PORT}(?:\s+(?:default_server|ssl|http2|reuseport|proxy_protocol|deferred|bind))*\s*`, 'y');

export const checkListen: DirectiveCheck = (d, module, settings, report, text) => {
  const fam = family(module);
  if (fam === 'core' || (fam === 'http' && fastAll(LISTEN_OK, text, d, 'listen')) || d.args.length === 0) return;
  const addr = d.args[0];
  if (!addr.value.includes('$')) {
    const p = addressPortProblem(addr.value, { listen: true });
    if (p) report(addr, `${p} in "${addr.value}" of the "listen" directive`);
  }
  const handler: ParamHandler = `listen:${fam}`;
  const keys = LISTEN_KEYS[fam];
  for (let i = 1; i < d.args.length; i++) {
    const w = d.args[i];
    const v = w.value;
    const eq = v.indexOf('=');
    const known = paramIn(handler, eq > 0 ? v.slice(0, eq + 1) : v, settings)?.status === 'ok';
    if (known && eq < 0) continue;
    const kind = known ? keys.get(v.slice(0, eq)) ?? 'any' : undefined;
    if (kind === undefined) {
      const here = paramFacts(handler).filter((f) => paramIn(handler, f.name, settings)?.fact === f).map((f) => f.name);
      const hint = versionHint(handler, eq > 0 ? v.slice(0, eq + 1) : v, settings);
      report(w, `invalid parameter "${v}" of the "listen" directive${hint || `; nginx knows ${[...new Set(here)].join(', ')}`}`);
      continue;
    }
    const key = v.slice(0, eq);
    const val = v.slice(eq + 1);
    let ok = true;
    switch (kind) {
      case 'num': ok = key === 'backlog' ? atoi(val) > 0 : atoi(val) >= 0; break;
      case 'size': ok = parseSize(val, 'size') !== null; break;
      case 'onoff': ok = val === 'on' || val === 'off'; break;
      case 'keepalive': ok = val === 'on' || val === 'off' || /^[0-9a-z]*:[0-9a-z]*:[0-9]*$/.test(val); break;
      default: break;
    }
    if (!ok) report(w, key === 'ipv6only' ? `invalid ipv6only flags "${val}" (use ipv6only=on or ipv6only=off)` : key === 'so_keepalive' ? `invalid so_keepalive value: "${val}"` : `invalid ${key} "${v}"`);
  }
};

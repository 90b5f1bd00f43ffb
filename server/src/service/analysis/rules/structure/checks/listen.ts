/**
 * `listen` (ngx_http_core_listen, ngx_stream_core_listen, ngx_mail_core_listen): the address's
 * port, and every further parameter must be one the handler knows ("invalid parameter"), with a
 * value it can parse ("invalid backlog", "invalid ipv6only flags", …).
 */
import { parseSize } from '../../../../knowledge/units';
import { LISTEN_FLAGS, LISTEN_KEYS } from '../../../../knowledge/handlerTables';
import { addressPortProblem } from './address';
import { fastAll, PORT } from './fast';
import { atoi, family, type DirectiveCheck } from './types';

/** plainly valid http listen: [ipv4:|*:|[ipv6]:]port with common flags */
const LISTEN_OK = new RegExp(String.raw`\s+(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}:|\*:|\[[0-9a-fA-F:.]+\]:)?${PORT}(?:\s+(?:default_server|ssl|http2|reuseport|proxy_protocol|deferred|bind))*\s*`, 'y');

export const checkListen: DirectiveCheck = (d, module, _settings, report, text) => {
  const fam = family(module);
  if (fam === 'core' || (fam === 'http' && fastAll(LISTEN_OK, text, d, 'listen')) || d.args.length === 0) return;
  const addr = d.args[0];
  if (!addr.value.includes('$')) {
    const p = addressPortProblem(addr.value, { listen: true });
    if (p) report(addr, `${p} in "${addr.value}" of the "listen" directive`);
  }
  const flags = LISTEN_FLAGS[fam];
  const keys = LISTEN_KEYS[fam];
  for (let i = 1; i < d.args.length; i++) {
    const w = d.args[i];
    const v = w.value;
    if (flags.has(v)) continue;
    const eq = v.indexOf('=');
    const kind = eq > 0 ? keys.get(v.slice(0, eq)) : undefined;
    if (kind === undefined) {
      report(w, `invalid parameter "${v}" of the "listen" directive (nginx knows ${[...flags, ...[...keys.keys()].map((k) => `${k}=`)].join(', ')})`);
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

/**
 * `allow` / `deny` (ngx_http_access_rule, ngx_stream_access_rule via ngx_ptocidr): `all`, `unix:`,
 * or an IPv4/IPv6 address with an optional /prefix — host names are "invalid parameter".
 * IPv6 text is only checked for its character set (no false error on unusual spellings).
 */
import { ipv4 } from './address';
import { atoi, type DirectiveCheck } from './types';

const IPV6_CHARS = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

export const checkAccess: DirectiveCheck = (d, _module, _settings, report) => {
  const w = d.args[0];
  if (!w) return;
  const v = w.value;
  if (v === 'all' || v === 'unix:') return;
  const slash = v.indexOf('/');
  const addr = slash >= 0 ? v.slice(0, slash) : v;
  let ok: boolean;
  let max = 32;
  if (ipv4(addr) !== null) ok = true;
  else if (IPV6_CHARS.test(addr)) { ok = true; max = 128; }
  else ok = false;
  if (ok && slash >= 0) {
    const n = atoi(v.slice(slash + 1));
    ok = n >= 0 && n <= max;
  }
  if (!ok) report(w, `invalid parameter "${v}" in "${d.name}": use an address (192.168.1.0/24, 2001:db8::/32), "unix:" or "all"; host names are not allowed`);
};

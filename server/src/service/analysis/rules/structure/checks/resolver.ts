/**
 * `resolver address ... [valid=time] [ipv4=on|off] [ipv6=on|off] [status_zone=zone]`
 * (ngx_resolver_create): each address goes through ngx_parse_url, so an IPv6 address needs
 * brackets (`[::1]`), else nginx reads a port after its first colon ("invalid port in resolver").
 */
import { addressPortProblem } from './address';
import type { DirectiveCheck } from './types';

export const checkResolver: DirectiveCheck = (d, _module, _settings, report) => {
  for (const w of d.args) {
    const v = w.value;
    if (v.includes('=') || v.includes('$')) continue;
    const p = addressPortProblem(v);
    if (p) report(w, `${p} in resolver "${v}"${(v.match(/:/g)?.length ?? 0) > 1 && !v.startsWith('[') ? ': write an IPv6 address in brackets, e.g. [::1]' : ''}`);
  }
};

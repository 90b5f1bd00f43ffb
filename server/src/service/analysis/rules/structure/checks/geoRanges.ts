/**
 * `geo` with `ranges` (ngx_http_geo_range, ngx_stream_geo_range): every entry other than default,
 * include, proxy, delete is `first-last` with two IPv4 addresses, first ≤ last ("invalid range").
 */
import { ipv4 } from './address';
import type { DirectiveCheck } from './types';

const num = (ip: string) => ip.split('.').reduce((a, x) => a * 256 + Number(x), 0);

function rangeOk(s: string): boolean {
  const dash = s.indexOf('-');
  if (dash < 0) return false;
  const a = ipv4(s.slice(0, dash));
  const b = ipv4(s.slice(dash + 1));
  return a !== null && b !== null && num(a) <= num(b);
}

export const checkGeo: DirectiveCheck = (d, _module, _settings, report) => {
  const b = d.block;
  if (!b || b.body !== 'entries') return;
  let ranges = false;
  for (const s of b.children) {
    if (s.kind !== 'directive') continue;
    if (s.name === 'ranges' && s.args.length === 0) { ranges = true; continue; }
    if (!ranges || s.args.length !== 1) continue;
    const key = s.name;
    if (key === 'default' || key === 'include' || key === 'proxy') continue;
    const net = key === 'delete' ? s.args[0] : s.nameWord;
    if (!rangeOk(net.value)) report(net, `invalid range "${net.value}": after "ranges" every entry is first-last (e.g. 10.0.0.0-10.0.0.255)`);
  }
};

/**
 * `proxy_cache_valid`, `fastcgi_cache_valid`, `uwsgi_cache_valid`, `scgi_cache_valid`
 * (ngx_http_file_cache_valid_set_slot): `[code ...] time`, each code `any` or 100..599.
 */
import { parseTime } from '../../../../knowledge/units';
import { atoi, type DirectiveCheck } from './types';

export const checkCacheValid: DirectiveCheck = (d, _module, _settings, report) => {
  const a = d.args;
  if (a.length === 0) return;
  const t = a[a.length - 1];
  if (parseTime(t.value, 'sec') === null) report(t, `invalid time value "${t.value}" in "${d.name}": the last argument is the caching time (e.g. 10m, 1h)`);
  for (let i = 0; i < a.length - 1; i++) {
    const v = a[i].value;
    if (v === 'any') continue;
    const n = atoi(v);
    if (n < 100 || n > 599) report(a[i], `invalid status "${v}" in "${d.name}": use status codes 100..599 or "any", then a time`);
  }
};

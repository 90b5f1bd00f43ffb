/**
 * Names that must be defined somewhere in the configuration; checked only when the whole
 * configuration is in view (the file's top level is the main context, known rather than guessed,
 * and it has no `include` that could define them elsewhere):
 *  - `access_log path format` in http: the format must be `combined` or a `log_format` written
 *    before it (ngx_http_log_set_log: "unknown log format");
 *  - `limit_req zone=name` / `limit_conn name`: a `limit_req_zone` / `limit_conn_zone` must define
 *    the zone's size (ngx_init_cycle: "zero size shared memory zone").
 * An include of one of the stock files nginx ships (mime.types, fastcgi_params, …) does not count:
 * they hold `types` entries and `*_param` lines only.
 */
import type { Directive } from '../../../../syntax/tree';
import type { Report } from './types';

const STOCK_INCLUDES = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'proxy_params', 'uwsgi_params', 'scgi_params', 'koi-utf', 'koi-win', 'win-utf',
]);

/** `include` of a stock file shipped with nginx (by its file name, any directory) */
export function isStockInclude(d: Directive): boolean {
  const w = d.args[0];
  if (!w || d.args.length !== 1) return false;
  const v = w.value;
  return STOCK_INCLUDES.has(v.slice(v.lastIndexOf('/') + 1));
}

export interface NameUse { d: Directive; module: string }

export function checkDefinedNames(uses: readonly NameUse[], report: Report): void {
  const formats = new Set<string>(['combined']);
  const reqZones = new Set<string>();
  const connZones = new Set<string>();
  const streamConnZones = new Set<string>();
  const zoneName = (d: Directive): string | null => {
    for (const a of d.args) if (a.value.startsWith('zone=')) { const v = a.value.slice(5); const c = v.indexOf(':'); return c >= 0 ? v.slice(0, c) : null; }
    return null;
  };
  for (const { d, module } of uses) {
    if (d.name === 'limit_req_zone') { const n = zoneName(d); if (n) reqZones.add(n); }
    else if (d.name === 'limit_conn_zone') { const n = zoneName(d); if (n) (module === 'ngx_stream_limit_conn_module' ? streamConnZones : connZones).add(n); }
  }
  for (const { d, module } of uses) {
    switch (d.name) {
      case 'log_format':
        if (module === 'ngx_http_log_module' && d.args[0]) formats.add(d.args[0].value);
        break;
      case 'access_log': {
        if (module !== 'ngx_http_log_module' || d.args.length < 2 || d.args[0].value === 'off') break;
        const w = d.args[1];
        if (!formats.has(w.value)) report(w, `unknown log format "${w.value}": define it with log_format (in http, before this line) or use "combined"`);
        break;
      }
      case 'limit_req': {
        const z = d.args.find((a) => a.value.startsWith('zone='));
        if (z && !reqZones.has(z.value.slice(5))) report(z, `zero size shared memory zone "${z.value.slice(5)}": no limit_req_zone defines it`);
        break;
      }
      case 'limit_conn': {
        const z = d.args[0];
        const set = module === 'ngx_stream_limit_conn_module' ? streamConnZones : connZones;
        if (z && !set.has(z.value)) report(z, `zero size shared memory zone "${z.value}": no limit_conn_zone defines it`);
        break;
      }
    }
  }
}

export const DEFINED_NAME_DIRECTIVES: ReadonlySet<string> = new Set(['log_format', 'access_log', 'limit_req', 'limit_conn', 'limit_req_zone', 'limit_conn_zone']);

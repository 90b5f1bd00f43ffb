/**
 * Optional last arguments that must be one keyword: `add_header`/`add_trailer name value [always]`
 * (ngx_http_headers_add), `fastcgi_param`/`scgi_param`/`uwsgi_param name value [if_not_empty]`
 * (ngx_http_upstream_param_set_slot). Anything else: "invalid parameter".
 */
import type { DirectiveCheck } from './types';

function keywordAt(index: number, keyword: string): DirectiveCheck {
  return (d, _module, _settings, report) => {
    // the value alone; the word (its range) only for a report
    const v = d.argValue(index);
    if (v !== undefined && v !== keyword) report(d.arg(index)!, `invalid parameter "${v}" in "${d.name}": the only option after the value is "${keyword}"`);
  };
}

export const checkAlways = keywordAt(2, 'always');
export const checkIfNotEmpty = keywordAt(2, 'if_not_empty');

/**
 * Optional last arguments that must be one keyword: `add_header`/`add_trailer name value [always]`
 * (ngx_http_headers_add), `fastcgi_param`/`scgi_param`/`uwsgi_param name value [if_not_empty]`
 * (ngx_http_upstream_param_set_slot). Anything else: "invalid parameter".
 */
import type { DirectiveCheck } from './types';

function keywordAt(index: number, keyword: string): DirectiveCheck {
  return (d, _module, _settings, report) => {
    if (d.args.length <= index) return;
    const w = d.args[index];
    if (w && w.value !== keyword) report(w, `invalid parameter "${w.value}" in "${d.name}": the only option after the value is "${keyword}"`);
  };
}

export const checkAlways = keywordAt(2, 'always');
export const checkIfNotEmpty = keywordAt(2, 'if_not_empty');

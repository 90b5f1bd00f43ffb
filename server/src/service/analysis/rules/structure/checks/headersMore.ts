/**
 * headers-more options (ngx_http_headers_more_parse_directive in headers_out.c / headers_in.c of
 * headers-more-nginx-module 0.34): output-header directives take -s and -t (each with a value),
 * input-header ones -t (with a value) and -r; anything else starting with "-" is "invalid option name".
 */
import type { DirectiveCheck } from './types';

function options(input: boolean): DirectiveCheck {
  return (d, _module, _settings, report) => {
    const a = d.args;
    for (let i = 0; i < a.length; i++) {
      const v = a[i].value;
      if (v.length === 0 || v[0] !== '-') continue;
      if (v === '-t' || (!input && v === '-s')) {
        if (i === a.length - 1) { report(a[i], `${d.name}: option ${v} takes an argument`); return; }
        i++;
        continue;
      }
      if (input && v === '-r') continue;
      report(a[i], `${d.name}: invalid option name: "${v}" (options: ${input ? '-t types, -r' : '-s statuses, -t types'})`);
      return;
    }
  };
}

export const checkMoreHeadersOut = options(false);
export const checkMoreHeadersIn = options(true);

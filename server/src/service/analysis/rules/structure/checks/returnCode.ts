/**
 * `return` in http (ngx_http_rewrite_return): the first argument is a status code 0..999, or —
 * alone — a URL starting with http://, https:// or $scheme ("invalid return code").
 */
import { fastPrefix } from './fast';
import { atoi, type DirectiveCheck } from './types';

const CODE_FIRST = /[ \t\r\n]+[0-9]{1,3}(?=[ \t\r\n;])/y;

export const checkReturn: DirectiveCheck = (d, module, _settings, report, text) => {
  if (module !== 'ngx_http_rewrite_module' || fastPrefix(CODE_FIRST, text, d, 'return') || d.args.length === 0) return;
  const w = d.args[0];
  const v = w.value;
  const n = atoi(v);
  if (n >= 0) {
    if (n > 999) report(w, `invalid return code "${v}": a status code is 0..999`);
    return;
  }
  if (d.args.length === 1 && (v.startsWith('http://') || v.startsWith('https://') || v.startsWith('$scheme'))) return;
  report(w, d.args.length === 1
    ? `invalid return code "${v}": use a status code, or a URL starting with http://, https:// or $scheme`
    : `invalid return code "${v}": the first of two arguments must be a status code`);
};

/**
 * `error_page code ... [=[response]] uri` (ngx_http_core_error_page): every code is a number
 * 300..599 (not 499), `=response` a number; "invalid value", "value … must be between 300 and 599".
 */
import { fastAll } from './fast';
import { atoi, type DirectiveCheck } from './types';

const ERROR_PAGE_OK = /(?:\s+(?:3[0-9]{2}|4(?:[0-8][0-9]|9[0-8])|5[0-9]{2}))+(?:\s+=[0-9]{0,3})?\s+[^\s;'"#{}]+\s*/y;

export const checkErrorPage: DirectiveCheck = (d, _module, _settings, report, text) => {
  if (fastAll(ERROR_PAGE_OK, text, d, 'error_page')) return;
  const a = d.args;
  if (a.length < 2) return;
  let codesEnd = a.length - 1;
  const eq = a[a.length - 2];
  if (eq.value.startsWith('=')) {
    if (a.length === 2) { report(eq, `invalid value "${eq.value}" in "error_page": status codes come first, e.g. error_page 404 =200 /empty.gif`); return; }
    if (eq.value.length > 1 && atoi(eq.value.slice(1)) < 0) { report(eq, `invalid value "${eq.value}" in "error_page": use =code (e.g. =200) or a bare =`); return; }
    codesEnd--;
  }
  for (let i = 0; i < codesEnd; i++) {
    const w = a[i];
    const n = atoi(w.value);
    if (n < 0 || n === 499) report(w, `invalid value "${w.value}" in "error_page": status codes first (300..599), the URI last`);
    else if (n < 300 || n > 599) report(w, `value "${w.value}" must be between 300 and 599 in "error_page"`);
  }
};

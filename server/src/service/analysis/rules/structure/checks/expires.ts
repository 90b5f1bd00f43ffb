/**
 * `expires` (ngx_http_headers_expires, ngx_http_parse_expires): `[modified] time`, `epoch`, `max`,
 * `off`, `@time` (under 24 hours), `+time`/`-time`; values with variables are read per request.
 */
import { parseTime } from '../../../../knowledge/units';
import { fastAll } from './fast';
import { hasVariable, type DirectiveCheck } from './types';

const EXPIRES_OK = /\s+(?:epoch|max|off|(?:modified\s+)?[-+]?[0-9]{1,6}[smhdwMy]?)\s*/y;

export const checkExpires: DirectiveCheck = (d, _module, _settings, report, text) => {
  if (fastAll(EXPIRES_OK, text, d, 'expires')) return;
  const a = d.args;
  if (a.length === 0 || a.length > 2) return;
  let modified = false;
  if (a.length === 2) {
    if (a[0].value !== 'modified') {
      report(a[0], `invalid value "${a[0].value}" in "expires" directive: with two arguments the first must be "modified"`);
      return;
    }
    modified = true;
  }
  const w = a[a.length - 1];
  let v = w.value;
  if (hasVariable(v)) return;
  if (!modified && (v === 'epoch' || v === 'max' || v === 'off')) return;
  let daily = false;
  if (v.startsWith('@')) {
    if (modified) { report(w, `invalid value "${v}" in "expires" directive: daily time cannot be used with "modified" parameter`); return; }
    daily = true;
    v = v.slice(1);
  } else if (v.startsWith('+') || v.startsWith('-')) v = v.slice(1);
  const t = parseTime(v, 'sec');
  if (t === null) {
    report(w, `invalid value "${w.value}" in "expires" directive: use a time (30d, 1h, -1), "@15h30m", ${modified ? '' : '"epoch", "max", "off", '}or a variable`);
    return;
  }
  if (daily && t > 24 * 3600) report(w, `invalid value "${w.value}" in "expires" directive: daily time value must be less than 24 hours`);
};

/**
 * `ssl_session_cache` (ngx_http_ssl_session_cache, and the stream and mail copies): each argument
 * is off, none, builtin, builtin:N or shared:name:size (at least 8 pages: 32k with 4k pages).
 */
import { parseSize } from '../../../../knowledge/units';
import { atoi, type DirectiveCheck } from './types';

export const checkSessionCache: DirectiveCheck = (d, _module, _settings, report) => {
  for (const w of d.args) {
    const v = w.value;
    if (v === 'off' || v === 'none' || v === 'builtin') continue;
    if (v.length > 8 && v.startsWith('builtin:')) {
      if (atoi(v.slice(8)) < 0) report(w, `invalid session cache "${v}": builtin:N takes a number of sessions`);
      continue;
    }
    if (v.length > 7 && v.startsWith('shared:')) {
      const colon = v.indexOf(':', 7);
      // (1.22 reads k and m; g is accepted too, no false error if a newer nginx reads it)
      const size = colon > 7 ? parseSize(v.slice(colon + 1), 'off') : null;
      if (size === null) report(w, `invalid session cache "${v}": use shared:name:size, e.g. shared:SSL:10m`);
      else if (size < 32768) report(w, `session cache "${v}" is too small (at least 8 memory pages, e.g. 1m)`);
      continue;
    }
    report(w, `invalid session cache "${v}": use off, none, builtin[:size] or shared:name:size`);
  }
};

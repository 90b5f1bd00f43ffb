/** `location modifier uri` (ngx_http_core_location): the modifier is =, ^~, ~ or ~*. */
import { argsFrom, fastPaths } from './fast';
import type { DirectiveCheck } from './types';

export const checkLocationModifier: DirectiveCheck = (d, _module, _settings, report, text) => {
  // `location /path` and `location @name` (the usual spellings) have no modifier: no need to read them
  let i = fastPaths.enabled ? argsFrom(text, d, 'location') : -1;
  if (i >= 0) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    const c = text.charCodeAt(i);
    if (c === 47 || c === 64) return;
    // a valid modifier written as its own word (`location ~* \.png$`, `location = /x`): nothing to report
    const n = c === 126 /* ~ */ ? (text.charCodeAt(i + 1) === 42 /* * */ ? 2 : 1) : c === 61 /* = */ ? 1 : c === 94 /* ^ */ && text.charCodeAt(i + 1) === 126 ? 2 : 0;
    const after = text.charCodeAt(i + n);
    if (n > 0 && (after === 32 || after === 9 || after === 10 || after === 13)) return;
  }
  if (d.argCount !== 2) return;
  const m = d.argValue(0)!;
  if (m !== '=' && m !== '^~' && m !== '~' && m !== '~*') report(d.arg(0)!, `invalid location modifier "${m}": use =, ^~, ~ or ~*`);
};

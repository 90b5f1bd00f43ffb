/** `location modifier uri` (ngx_http_core_location): the modifier is =, ^~, ~ or ~*. */
import { argsFrom } from './fast';
import type { DirectiveCheck } from './types';

export const checkLocationModifier: DirectiveCheck = (d, _module, _settings, report, text) => {
  // `location /path` and `location @name` (the usual spellings) have no modifier: no need to read them
  let i = argsFrom(text, d, 'location');
  if (i >= 0) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    const c = text.charCodeAt(i);
    if (c === 47 || c === 64) return;
  }
  if (d.argCount !== 2) return;
  const m = d.args[0].value;
  if (m !== '=' && m !== '^~' && m !== '~' && m !== '~*') report(d.args[0], `invalid location modifier "${m}": use =, ^~, ~ or ~*`);
};

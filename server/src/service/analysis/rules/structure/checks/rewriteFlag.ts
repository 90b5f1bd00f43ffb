/** `rewrite regex replacement [flag]` (ngx_http_rewrite): the flag is last, break, redirect or permanent. */
import type { DirectiveCheck } from './types';

const FLAGS = new Set(['last', 'break', 'redirect', 'permanent']);

export const checkRewriteFlag: DirectiveCheck = (d, module, _settings, report) => {
  if (d.args.length < 3) return;
  const w = d.args[2];
  if (module === 'ngx_http_rewrite_module' && w && !FLAGS.has(w.value)) report(w, `invalid parameter "${w.value}" in "rewrite": the flag is last, break, redirect or permanent`);
};

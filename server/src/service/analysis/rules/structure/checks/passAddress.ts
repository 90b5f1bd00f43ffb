/**
 * The address of `proxy_pass`, `fastcgi_pass`, `uwsgi_pass`, `scgi_pass`, `grpc_pass`,
 * `memcached_pass` (and stream `proxy_pass`) without variables: nginx parses it when reading the
 * configuration (ngx_http_upstream_add → ngx_parse_url): "invalid port", and for http
 * `proxy_pass` "invalid URL prefix" when it does not start with http:// or https://.
 */
import { addressPortProblem } from './address';
import { fastAll, PORT } from './fast';

const TOKEN_WITH_VAR = String.raw`[^\s;'"#{}]*\$[^\s;'"#{}]*`;
/** plainly valid: http(s)://host[:port][/uri], or anything with a variable (checked per request) */
const PROXY_OK = new RegExp(String.raw`\s+(?:https?://[A-Za-z0-9_.-]+(?::${PORT})?(?:[/?][^\s;'"#{}$]*)?|${TOKEN_WITH_VAR})\s*`, 'y');
/** host[:port], unix:path, or anything with a variable */
const PASS_OK = new RegExp(String.raw`\s+(?:[A-Za-z0-9_.-]+(?::${PORT})?|unix:[^\s;'"#{}]+|${TOKEN_WITH_VAR})\s*`, 'y');
import type { DirectiveCheck } from './types';

/** URL schemes nginx strips (case-insensitively) before the address, per http directive */
const SCHEMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['proxy_pass', ['http://', 'https://']],
  ['uwsgi_pass', ['uwsgi://', 'suwsgi://']],
  ['grpc_pass', ['grpc://', 'grpcs://']],
]);

function stripScheme(v: string, schemes: readonly string[]): string | null {
  for (let i = 0; i < schemes.length; i++) if (v.startsWith(schemes[i])) return v.slice(schemes[i].length);
  const lower = v.toLowerCase();
  for (let i = 0; i < schemes.length; i++) if (lower.startsWith(schemes[i])) return v.slice(schemes[i].length);
  return null;
}

export const checkPassAddress: DirectiveCheck = (d, module, _settings, report, text) => {
  const name = d.name;
  const http = module.charCodeAt(4) === 104; /* ngx_http_ */
  if (fastAll(http && name === 'proxy_pass' ? PROXY_OK : PASS_OK, text, d, name)) return;
  if (d.args.length === 0) return;
  const w = d.args[0];
  let v = w.value;
  if (v.includes('$')) return;
  const schemes = http ? SCHEMES.get(name) : undefined;
  let uriPart = false;
  if (schemes) {
    const rest = stripScheme(v, schemes);
    if (rest !== null) v = rest;
    else if (name === 'proxy_pass') { report(w, `invalid URL prefix in "${w.value}": proxy_pass needs http:// or https://`); return; }
    uriPart = name === 'proxy_pass';
  }
  const p = addressPortProblem(v, { uriPart });
  if (p) report(w, `${p} in upstream "${v}"`);
};

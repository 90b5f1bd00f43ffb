/**
 * Effective configuration: the value nginx uses for a directive at some level after inheritance
 * (http → server → location → nested location / if / limit_except).
 *
 * nginx merges each module's configuration level by level (ngx_http_core_merge_loc_conf and the
 * module's merge_loc_conf): a scalar directive set at an outer level is inherited unless the inner
 * level sets it again. Array directives (`proxy_set_header`, `add_header`, …) are inherited as a
 * whole, and **only when the inner level defines none of them** (ngx_http_proxy_merge_loc_conf:
 * `if (conf->headers_source == NULL) conf->headers_source = prev->headers_source`). When nothing sets
 * a directive, nginx's compiled-in default applies; for `proxy_http_version` that default depends on
 * the nginx version (1.0 before 1.29.7, 1.1 from it).
 *
 * Everything here works on a ConfigView, so includes (and the files they come from) are followed.
 */
import type { Directive } from '../syntax/tree';
import type { ConfigView, Scope, SourceFile } from './types';

/** Array directives: the whole list is inherited only when the inner level defines none of them. */
export const ARRAY_DIRECTIVES = new Set([
  'proxy_set_header', 'add_header', 'add_trailer', 'fastcgi_param', 'uwsgi_param', 'scgi_param',
  'grpc_set_header', 'proxy_hide_header', 'proxy_pass_header',
]);

/** The levels whose values take part in http inheritance. */
const HTTP_LEVELS = new Set(['http', 'server', 'location', 'if', 'limit_except']);

/** nginx version from which proxy_http_version defaults to 1.1 */
export const HTTP11_DEFAULT_SINCE = [1, 29, 7];

/** Compiled-in defaults of the directives the WebSocket rules and the hover look at. */
export function defaultValue(name: string, version: string): string | null {
  switch (name) {
    case 'proxy_http_version': return defaultProxyHttpVersion(version);
    case 'proxy_read_timeout': return '60s';
    case 'proxy_send_timeout': return '60s';
    case 'proxy_connect_timeout': return '60s';
    case 'proxy_buffering': return 'on';
    case 'proxy_request_buffering': return 'on';
    case 'proxy_cache': return 'off';
    case 'proxy_redirect': return 'default';
    case 'proxy_buffer_size': return '4k|8k';
    case 'proxy_socket_keepalive': return 'off';
    case 'proxy_ssl_server_name': return 'off';
    case 'proxy_ssl_verify': return 'off';
    case 'proxy_intercept_errors': return 'off';
    case 'proxy_next_upstream': return 'error timeout';
    case 'client_max_body_size': return '1m';
    case 'keepalive_timeout': return '75s';
    case 'send_timeout': return '60s';
    case 'client_body_timeout': return '60s';
    default: return null;
  }
}

/** Parses "1.26", "1.29.7", "nginx/1.22.1"; null for '' or garbage. */
export function parseVersion(v: string): number[] | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '');
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * nginx's default proxy_http_version for a target version. An unset version ('') is unknown, and then
 * the configuration must work on the nginx versions in wide use (every LTS distribution ships one
 * older than 1.29.7), so the default is taken as 1.0: the WebSocket rules would rather ask for an
 * explicit `proxy_http_version 1.1` than let the 400 through. Setting nginx.version ≥ 1.29.7 lifts it.
 */
export function defaultProxyHttpVersion(version: string): '1.0' | '1.1' {
  const v = parseVersion(version);
  if (!v) return '1.0';
  return compareVersions(v, HTTP11_DEFAULT_SINCE) >= 0 ? '1.1' : '1.0';
}

const TIME_UNITS: Record<string, number> = {
  ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000,
};

/**
 * An nginx time value in seconds (ngx_parse_time: "90", "30s", "1h30m", "1h 30m", "500ms"); null
 * when malformed or when it holds a variable.
 */
export function parseTime(value: string): number | null {
  const s = value.trim();
  if (!s || s.includes('$')) return null;
  const re = /(\d+)\s*(ms|s|m|h|d|w|M|y)?\s*/gy;
  let total = 0;
  let pos = 0;
  let parts = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[0].length === 0) return null;
    total += Number(m[1]) * TIME_UNITS[m[2] ?? 's'];
    pos = re.lastIndex;
    parts++;
    // a bare number is only valid alone
    if (!m[2] && (parts > 1 || pos < s.length)) return null;
  }
  return parts ? total : null;
}

/** Where an effective value comes from. */
export interface EffectiveValue {
  name: string;
  /** argument values (unquoted); for a default, the default split on spaces */
  args: string[];
  /** args joined by one space */
  value: string;
  /** the directive that sets it, or null when nginx's default applies */
  directive: Directive | null;
  /** the file of `directive` */
  source: SourceFile | null;
  /** the level that sets it (null for a default) */
  scope: Scope | null;
  /** true when no level sets it and the compiled-in default applies */
  isDefault: boolean;
  /** true when set at the level being asked about (not inherited) */
  local: boolean;
}

/** The directives of an array directive family as seen at one level. */
export interface EffectiveArray {
  name: string;
  directives: Directive[];
  /** the level whose list applies (null: no level defines any) */
  scope: Scope | null;
  /** true when the list is the level's own */
  local: boolean;
}

/** The scope formed by a block directive's own body, includes expanded. */
export function ownScope(view: ConfigView, owner: Directive): Scope {
  return { owner, context: owner.name, directives: view.expand(owner), source: view.sourceOf(owner) };
}

/**
 * The inheritance chain for the body of `owner` (a location, if, server, …): its own level first,
 * then every enclosing level that takes part in http inheritance, outermost last.
 */
export function chainFor(view: ConfigView, owner: Directive | null): Scope[] {
  const own = owner ? [ownScope(view, owner)] : [view.topScope()];
  const outer = owner ? view.scopes(owner) : [];
  if (!owner) {
    // a fragment's top level: the levels above it come from scopes() of any top-level directive
    const first = view.topScope().directives[0];
    if (first) outer.push(...view.scopes(first).slice(1));
  }
  return [...own, ...outer].filter((s) => HTTP_LEVELS.has(s.context));
}

function sourceFor(view: ConfigView, d: Directive, scope: Scope): SourceFile | null {
  return view.sourceOf(d) ?? scope.source;
}

/**
 * Directives of a level by name. The http level of a large configuration holds every site's
 * directives (includes expanded: 10k+), and each location asks it for several names; the workspace
 * caches expanded lists, so indexing each list once makes those lookups O(1).
 */
const byNameCache = new WeakMap<Directive[], Map<string, Directive[]>>();

export function directivesNamed(list: Directive[], name: string): Directive[] {
  // a location or server body is a handful of directives: scanning beats building an index
  if (list.length <= 24) {
    let out: Directive[] | null = null;
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      if (d.name === name && !d.isEntry) (out ??= []).push(d);
    }
    return out ?? NONE;
  }
  let index = byNameCache.get(list);
  if (!index) {
    index = new Map();
    for (const d of list) {
      if (d.isEntry) continue;
      const same = index.get(d.name);
      if (same) same.push(d);
      else index.set(d.name, [d]);
    }
    byNameCache.set(list, index);
  }
  return index.get(name) ?? NONE;
}
const NONE: Directive[] = [];

/** The effective value of a scalar directive for the chain (innermost first). */
export function effectiveScalar(view: ConfigView, chain: Scope[], name: string, version = ''): EffectiveValue {
  for (let i = 0; i < chain.length; i++) {
    const scope = chain[i];
    // nginx rejects a second one at the same level; the first is what a reader would take
    const d = directivesNamed(scope.directives, name)[0];
    if (d) {
      const args = d.args.map((a) => a.value);
      return { name, args, value: args.join(' '), directive: d, source: sourceFor(view, d, scope), scope, isDefault: false, local: i === 0 };
    }
  }
  const def = defaultValue(name, version);
  const args = def ? def.split(' ') : [];
  return { name, args, value: def ?? '', directive: null, source: null, scope: null, isDefault: true, local: false };
}

/** The effective list of an array directive (`proxy_set_header`, `add_header`, …). */
export function effectiveArray(chain: Scope[], name: string): EffectiveArray {
  for (let i = 0; i < chain.length; i++) {
    const list = directivesNamed(chain[i].directives, name);
    if (list.length) return { name, directives: list.slice(), scope: chain[i], local: i === 0 };
  }
  return { name, directives: [], scope: null, local: false };
}

/** The list the level would inherit if it defined none itself (the next outer level that defines any). */
export function inheritableArray(chain: Scope[], name: string): EffectiveArray {
  return effectiveArray(chain.slice(1), name);
}

/** Value of `name`: an effective scalar or, for array directives, the effective list. */
export function effectiveValue(view: ConfigView, chain: Scope[], name: string, version = ''): EffectiveValue | EffectiveArray {
  return ARRAY_DIRECTIVES.has(name) ? effectiveArray(chain, name) : effectiveScalar(view, chain, name, version);
}

/** A header set by proxy_set_header: name (as written), value, directive. */
export interface HeaderEntry {
  header: string;
  value: string;
  directive: Directive;
}

export function headerEntries(list: Directive[]): HeaderEntry[] {
  const out: HeaderEntry[] = [];
  for (const d of list) {
    if (d.args.length < 1) continue;
    out.push({ header: d.args[0].value, value: d.args[1]?.value ?? '', directive: d });
  }
  return out;
}

/** The last proxy_set_header for a header name (case-insensitive), as nginx sends the last one… of the list it builds. */
export function findHeader(entries: HeaderEntry[], header: string): HeaderEntry | null {
  let found: HeaderEntry | null = null;
  for (const e of entries) if (e.header.toLowerCase() === header.toLowerCase()) found = e;
  return found;
}

/** The levels a hover or the effective-configuration command describes: the innermost location/if/limit_except/server/http around `d`. */
export function innermostHttpLevel(d: Directive): Directive | null {
  for (let p: Directive | null = d.block ? d : d.parent; p; p = p.parent) {
    if (HTTP_LEVELS.has(p.name)) return p;
  }
  return null;
}

/** Human-readable place of a directive: `server (app.conf:12)`. */
export function describePlace(source: SourceFile | null, d: Directive | null): string {
  if (!d || !source) return 'nginx default';
  const line = lineOf(source, d.start) + 1;
  const file = source.uri.replace(/^.*\//, '');
  const level = d.parent ? d.parent.name : 'top level';
  return `${level} (${file}:${line})`;
}

function lineOf(source: SourceFile, offset: number): number {
  const ls = source.file.lineStarts;
  let lo = 0, hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo;
}

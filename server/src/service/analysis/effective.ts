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
import { compareVersions, releaseOf, writtenVersionAtLeast } from '../knowledge/versions';
import { httpDefault } from '../knowledge/directiveDb';
import type { Directive } from '../syntax/tree';
import { sameIgnoringCase } from '../syntax/text';
import type { ConfigView, Scope, SourceFile } from './types';
import { lineAt } from '../syntax/positions';

/** Array directives: the whole list is inherited only when the inner level defines none of them. */
export const ARRAY_DIRECTIVES = new Set([
  'proxy_set_header', 'add_header', 'add_trailer', 'fastcgi_param', 'uwsgi_param', 'scgi_param',
  'grpc_set_header', 'proxy_hide_header', 'proxy_pass_header',
]);

/** The levels whose values take part in http inheritance. */
const HTTP_LEVELS = new Set(['http', 'server', 'location', 'if', 'limit_except']);

/** nginx version from which proxy_http_version defaults to 1.1 */
export const HTTP11_DEFAULT_SINCE = '1.29.7';

/**
 * nginx's compiled-in default of an http-level directive for a target version: the two whose default
 * changed between the versions people run are answered from the version, every other one is the
 * documented default (@nginx/reference-lib).
 */
export function defaultValue(name: string, version: string): string | null {
  switch (name) {
    case 'proxy_http_version': return defaultProxyHttpVersion(version);
    case 'ssl_protocols': case 'proxy_ssl_protocols': case 'grpc_ssl_protocols': case 'uwsgi_ssl_protocols': return defaultSslProtocols(version);
    default: return httpDefault(name);
  }
}

/**
 * nginx's default proxy_http_version for a target version. An unset version ('') is unknown, and then
 * the configuration must work on the nginx versions in wide use (every LTS distribution ships one
 * older than 1.29.7), so the default is taken as 1.0: the WebSocket rules would rather ask for an
 * explicit `proxy_http_version 1.1` than let the 400 through. Setting nginx.version ≥ 1.29.7 lifts it.
 */
export function defaultProxyHttpVersion(version: string): '1.0' | '1.1' {
  return writtenVersionAtLeast(version, HTTP11_DEFAULT_SINCE) ? '1.1' : '1.0';
}

/**
 * nginx's default `ssl_protocols` (and the proxy/grpc/uwsgi ones) for a target version (nginx's
 * CHANGES: TLSv1.3 on by default from 1.23.4, TLSv1 and TLSv1.1 off from 1.27.3); null when the
 * version is unknown (no claim either way).
 */
export function defaultSslProtocols(version: string): string | null {
  // "1.27" is the newest 1.27.x release, not 1.27.0
  const release = releaseOf(version);
  if (!release) return null;
  if (compareVersions(release, '1.27.3') >= 0) return 'TLSv1.2 TLSv1.3';
  if (compareVersions(release, '1.23.4') >= 0) return 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3';
  return 'TLSv1 TLSv1.1 TLSv1.2';
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
  /** the list that applies, in order; shared with the level's index, so callers must not modify it */
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
 * Per view, the levels enclosing the children of each block: every location of a server shares the
 * server's, http's (and the include sites') levels, so a large configuration builds them once per
 * enclosing block rather than once per location. Views are made anew for each validation, so
 * nothing outlives the trees it was built from.
 */
const outerCache = new WeakMap<ConfigView, Map<Directive, Scope[]>>();

/**
 * The inheritance chain for the body of `owner` (a location, if, server, …): its own level first,
 * then every enclosing level that takes part in http inheritance, outermost last. The levels above
 * `owner` are shared between calls on the same view: callers must not modify the chain's scopes.
 */
export function chainFor(view: ConfigView, owner: Directive | null): Scope[] {
  if (!owner) {
    // a fragment's top level: the levels above it come from scopes() of any top-level directive
    const top = view.topScope();
    const levels = [top];
    const first = top.directives[0];
    if (first) {
      const outer = view.scopes(first);
      for (let i = 1; i < outer.length; i++) levels.push(outer[i]);
    }
    return levels.filter((s) => HTTP_LEVELS.has(s.context));
  }
  const outer = enclosingChain(view, owner);
  if (!HTTP_LEVELS.has(owner.name)) return outer.slice();
  const chain = new Array<Scope>(outer.length + 1);
  chain[0] = ownScope(view, owner);
  for (let i = 0; i < outer.length; i++) chain[i + 1] = outer[i];
  return chain;
}

/**
 * The levels above `owner`'s own that take part in http inheritance, innermost first: `chainFor`
 * without the owner's level. Shared by the blocks of one parent: callers must not modify it.
 */
export function enclosingChain(view: ConfigView, owner: Directive): Scope[] {
  let memo = outerCache.get(view);
  if (!memo) outerCache.set(view, (memo = new Map()));
  return outerLevels(view, owner, memo);
}

/**
 * The http-inheritance levels enclosing `owner` (not its own), innermost first: what
 * `view.scopes(owner)` lists, filtered. A block's level is built as scopes() builds it (the file
 * holding the block, else the analysed one); above a file's top level only the view knows the
 * levels (include sites, inferred contexts), so that part comes from scopes().
 */
function outerLevels(view: ConfigView, owner: Directive, memo: Map<Directive, Scope[]>): Scope[] {
  const p = owner.parent;
  if (!p) {
    const levels: Scope[] = [];
    for (const s of view.scopes(owner)) if (HTTP_LEVELS.has(s.context)) levels.push(s);
    return levels;
  }
  // what encloses a block's children is the same for all of them
  let levels = memo.get(p);
  if (levels) return levels;
  const above = outerLevels(view, p, memo);
  if (HTTP_LEVELS.has(p.name)) {
    levels = new Array<Scope>(above.length + 1);
    levels[0] = { owner: p, context: p.name, directives: view.expand(p), source: view.sourceOf(p) ?? view.source };
    for (let i = 0; i < above.length; i++) levels[i + 1] = above[i];
  } else {
    levels = above;
  }
  memo.set(p, levels);
  return levels;
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

/** a location or server body is a handful of directives: scanning beats building an index */
const SCAN_LIMIT = 24;

export function directivesNamed(list: Directive[], name: string): Directive[] {
  if (list.length <= SCAN_LIMIT) {
    // counted first so that the result is allocated at its size (push would reserve room for 17)
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      if (d.name === name && !d.isEntry) n++;
    }
    if (n === 0) return NONE;
    const out = new Array<Directive>(n);
    for (let i = 0, j = 0; j < n; i++) {
      const d = list[i];
      if (d.name === name && !d.isEntry) out[j++] = d;
    }
    return out;
  }
  return nameIndex(list).get(name) ?? NONE;
}

/** `directivesNamed(list, name)[0]`, without collecting the others. */
export function firstNamed(list: Directive[], name: string): Directive | null {
  if (list.length <= SCAN_LIMIT) {
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      if (d.name === name && !d.isEntry) return d;
    }
    return null;
  }
  return nameIndex(list).get(name)?.[0] ?? null;
}

function nameIndex(list: Directive[]): Map<string, Directive[]> {
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
  return index;
}
const NONE: Directive[] = [];

/** The argument values of `d` joined by one space, read without materializing its words. */
function argsText(d: Directive): string {
  const n = d.argCount;
  if (n === 0) return '';
  let text = d.argValue(0)!;
  for (let i = 1; i < n; i++) text += ' ' + d.argValue(i)!;
  return text;
}

/**
 * An EffectiveValue whose `args` list is built on first use: rules only compare `value`, and a large
 * configuration asks for several values per location.
 */
class Scalar implements EffectiveValue {
  private argList: string[] | undefined;
  constructor(
    readonly name: string,
    readonly value: string,
    readonly directive: Directive | null,
    readonly source: SourceFile | null,
    readonly scope: Scope | null,
    readonly isDefault: boolean,
    readonly local: boolean,
  ) {}
  get args(): string[] {
    if (!this.argList) {
      const d = this.directive;
      if (d) {
        this.argList = [];
        for (let i = 0; i < d.argCount; i++) this.argList.push(d.argValue(i)!);
      } else {
        this.argList = this.value ? this.value.split(' ') : [];
      }
    }
    return this.argList;
  }
}

/** The effective value of a scalar directive for the chain (innermost first). */
export function effectiveScalar(view: ConfigView, chain: Scope[], name: string, version = ''): EffectiveValue {
  return effectiveScalarWith(view, chain, name, chain.length ? firstNamed(chain[0].directives, name) : null, version);
}

/**
 * `effectiveScalar` for a caller that has already looked at the innermost level: `own` is the first
 * `name` directive of `chain[0]` (null when it has none), so only the outer levels are searched.
 */
export function effectiveScalarWith(view: ConfigView, chain: Scope[], name: string, own: Directive | null, version = ''): EffectiveValue {
  if (own) return new Scalar(name, argsText(own), own, sourceFor(view, own, chain[0]), chain[0], false, true);
  for (let i = 1; i < chain.length; i++) {
    const scope = chain[i];
    // nginx rejects a second one at the same level; the first is what a reader would take
    const d = firstNamed(scope.directives, name);
    if (d) return new Scalar(name, argsText(d), d, sourceFor(view, d, scope), scope, false, false);
  }
  return new Scalar(name, defaultValue(name, version) ?? '', null, null, null, true, false);
}

/** The effective list of an array directive (`proxy_set_header`, `add_header`, …). */
export function effectiveArray(chain: Scope[], name: string): EffectiveArray {
  return arrayFrom(chain, 0, name);
}

/** effectiveArray over `chain` from level `from` on (`local`: the list is level `from`'s own). */
function arrayFrom(chain: Scope[], from: number, name: string): EffectiveArray {
  for (let i = from; i < chain.length; i++) {
    const list = directivesNamed(chain[i].directives, name);
    if (list.length) return { name, directives: list, scope: chain[i], local: i === from };
  }
  return { name, directives: NONE, scope: null, local: false };
}

/** The list the level would inherit if it defined none itself (the next outer level that defines any). */
export function inheritableArray(chain: Scope[], name: string): EffectiveArray {
  return arrayFrom(chain, 1, name);
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
    if (d.argCount < 1) continue;
    out.push({ header: d.argValue(0)!, value: d.argValue(1) ?? '', directive: d });
  }
  return out;
}

/** The last proxy_set_header for a header name (case-insensitive), as nginx sends the last one… of the list it builds. */
export function findHeader(entries: HeaderEntry[], header: string): HeaderEntry | null {
  let found: HeaderEntry | null = null;
  for (const e of entries) if (sameIgnoringCase(e.header, header)) found = e;
  return found;
}

/**
 * Whether a proxy_set_header line of `list` sets `header` (or `alternative`), case-insensitively:
 * `findHeader(headerEntries(list), …) !== null` in one pass, without building the entries.
 */
export function hasHeader(list: Directive[], header: string, alternative?: string): boolean {
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (d.argCount < 1) continue;
    const name = d.argValue(0)!;
    if (sameIgnoringCase(name, header) || (alternative !== undefined && sameIgnoringCase(name, alternative))) return true;
  }
  return false;
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
  const line = lineAt(source.file, d.start) + 1;
  const file = source.uri.replace(/^.*\//, '');
  const level = d.parent ? d.parent.name : 'top level';
  return `${level} (${file}:${line})`;
}



/**
 * The directive knowledge API: what nginx accepts (from the generated ngx_command_t table) joined
 * with what the documentation says (from @nginx/reference-lib, NGINX's machine-readable reference),
 * plus the user's custom directives. Rules, hover and completion ask this module; they never keep
 * directive tables of their own.
 *
 * Contexts are bits (`Ctx`): one per place a directive can be written, as nginx distinguishes them
 * (an `if` in a server is not an `if` in a location; a `server` in `stream` is a stream server).
 */
import type * as Ref from '@nginx/reference-lib' with { 'resolution-mode': 'import' };
import type { Scope } from '../model/config';
import type { CustomDirective, Settings } from '../settings';
import { DIRECTIVE_ROWS, MODULES, SOURCE_VERSION } from './directives.generated';
import { VERSIONED_MODULES, VERSIONED_ROWS } from './directiveVersions.generated';
import { compareVersions, inRange, NEWEST_RELEASE, releaseOf } from './versions';

export { compareVersions };

// reference-lib is an ES module; this project compiles to CommonJS (Node ≥ 20.19 and esbuild both
// load it through require).
const ref: typeof Ref = require('@nginx/reference-lib');

export const Ctx = {
  main: 1, events: 2, http: 4, server: 8, location: 16, upstream: 32,
  /** `if` inside `server` (NGX_HTTP_SIF_CONF) */
  sif: 64,
  /** `if` inside `location` (NGX_HTTP_LIF_CONF) */
  lif: 128,
  limit_except: 256, stream: 512, stream_server: 1024, stream_upstream: 2048, mail: 4096, mail_server: 8192,
} as const;
export const CTX_ALL = 0x3fff;

/** nginx's NGX_CONF_* argument bits (low 13 bits of ngx_command_t.type). */
export const Arg = {
  NOARGS: 0x1, TAKE1: 0x2, TAKE2: 0x4, TAKE3: 0x8, TAKE4: 0x10, TAKE5: 0x20, TAKE6: 0x40, TAKE7: 0x80,
  BLOCK: 0x100, FLAG: 0x200, ANY: 0x400, MORE1: 0x800, MORE2: 0x1000,
} as const;

/** Context bit → the name people write in docs (reference-lib's spelling). */
export const CTX_NAMES: Record<number, string> = {
  1: 'main', 2: 'events', 4: 'http', 8: 'server', 16: 'location', 32: 'upstream', 64: 'if in server', 128: 'if in location',
  256: 'limit_except', 512: 'stream', 1024: 'stream server', 2048: 'stream upstream', 4096: 'mail', 8192: 'mail server',
};

export type SlotKind = '' | 'flag' | 'str' | 'str_array' | 'keyval' | 'num' | 'size' | 'off' | 'msec' | 'sec' | 'bufs' | 'enum' | 'bitmask' | 'path' | 'access';

/** One way a directive can be written (a name may have several: `server` in http, upstream, stream, mail). */
export interface DirectiveSpec {
  name: string;
  module: string;
  /** Ctx bits where this spec applies */
  contexts: number;
  /** Arg bits; `Arg.ANY` when unknown */
  args: number;
  block: boolean;
  /** standard nginx slot handler ('' = custom handler or unknown) */
  slot: SlotKind;
  /** allowed values of an enum or bitmask slot */
  values: readonly string[];
  /** nginx answers "is duplicate" when it is set twice on one level */
  duplicateError: boolean;
  /** the block body is not directives (map, geo, types, geoip2, Lua blocks, …) */
  customBody: boolean;
  /** where the spec comes from */
  origin: 'nginx' | 'reference' | 'custom';
  /** the nginx releases that have this spec: [since, until), '' = open end (nginx's own modules; see versions.ts) */
  since?: string;
  until?: string;
}

export interface DirectiveDoc {
  name: string;
  module: string;
  /** markdown */
  description: string;
  /** markdown syntax lines (arguments only, without the name) */
  syntax: readonly string[];
  default: string;
  contexts: readonly string[];
  isBlock: boolean;
  url: string | null;
}

export type DirectiveStatus =
  /** known to nginx (or a custom directive) */
  | 'known'
  /** only in the reference: an NGINX Plus directive while `nginx.plus` is off */
  | 'plus'
  /** not in the configured `nginx.version`: it appeared later (in nginx's table, or only in the reference) */
  | 'newer'
  /** nginx had it, but the configured `nginx.version` no longer does (`ssl` from 1.25.1) */
  | 'removed'
  | 'unknown';

export interface DirectiveInfo {
  name: string;
  status: DirectiveStatus;
  /** every spec of the name (nginx table, custom, and reference-only ones) */
  specs: readonly DirectiveSpec[];
  /** the spec that applies in the given contexts, if any */
  spec: DirectiveSpec | null;
  /** the reference documentation that best matches `spec` (or the first one of the name); computed on first access */
  readonly doc: DirectiveDoc | null;
  isPlus: boolean;
}

/** nginx version the generated table was read from. */
export const TABLE_VERSION = SOURCE_VERSION;

// ------------------------------------------------------------------ the nginx table (built once)

// nginx's own modules come from the per-release table (every release from 1.22.0 to the newest tag);
// the third-party modules of Debian's packages from the 1.22.1 table (they are versioned on their own)
const versionedModules = new Set(VERSIONED_MODULES);
const nginxSpecs = new Map<string, DirectiveSpec[]>();
function addSpec(spec: DirectiveSpec): void {
  const list = nginxSpecs.get(spec.name);
  if (list) list.push(spec); else nginxSpecs.set(spec.name, [spec]);
}
// Modules of the 1.22.1 table that are in no nginx release but in Debian's 1.22 package only: its
// patch ngx_http_header_count_module (`max_headers`, which nginx itself has from 1.29.8). They exist
// for 1.22.x and an unknown version, not for the newer builds.
const DEBIAN_1_22_ONLY = new Set(['ngx_http_header_count_module']);
for (const r of DIRECTIVE_ROWS) {
  if (versionedModules.has(MODULES[r[1]])) continue;
  addSpec({
    name: r[0], module: MODULES[r[1]], contexts: r[2], args: r[3], block: (r[3] & Arg.BLOCK) !== 0,
    slot: r[4] as SlotKind, values: r[5], duplicateError: (r[6] & 1) !== 0, customBody: (r[6] & 2) !== 0, origin: 'nginx',
    ...(DEBIAN_1_22_ONLY.has(MODULES[r[1]]) ? { since: '', until: '1.23.0' } : {}),
  });
}
for (const r of VERSIONED_ROWS) {
  addSpec({
    name: r[0], module: VERSIONED_MODULES[r[1]], contexts: r[2], args: r[3], block: (r[3] & Arg.BLOCK) !== 0,
    slot: r[4] as SlotKind, values: r[5], duplicateError: (r[6] & 1) !== 0, customBody: (r[6] & 2) !== 0, origin: 'nginx',
    since: r[7], until: r[8],
  });
}
// newest first: with an unknown version the spec of the newest release that has one applies
for (const list of nginxSpecs.values()) list.sort((a, b) => untilRank(b) - untilRank(a));
function untilRank(s: DirectiveSpec): number {
  return !s.until ? Number.MAX_SAFE_INTEGER : versionNumber(s.until);
}
function versionNumber(v: string): number {
  const [a, b, c] = v.split('.').map((x) => parseInt(x, 10) || 0);
  return (a * 1000 + (b ?? 0)) * 1000 + (c ?? 0);
}

const versionCache = new Map<string, Map<string, readonly DirectiveSpec[]>>();
/** The nginx-table specs of `name` in the configured version (all of them when it is unknown). */
function nginxSpecsIn(name: string, settings: Settings | undefined): readonly DirectiveSpec[] | undefined {
  const all = nginxSpecs.get(name);
  if (!all) return undefined;
  const release = releaseOf(settings?.version);
  if (release === null) return all;
  let cache = versionCache.get(release);
  if (!cache) versionCache.set(release, (cache = new Map()));
  let l = cache.get(name);
  if (!l) {
    l = all.filter((s) => s.since === undefined || inRange(s.since, s.until ?? '', release));
    cache.set(name, l);
  }
  return l;
}

// ------------------------------------------------------------------ the reference (built lazily)

/** Modules sold with NGINX Plus only (not part of open-source nginx). */
const PLUS_MODULES = new Set([
  'ngx_http_api_module', 'ngx_http_auth_jwt_module', 'ngx_http_f4f_module', 'ngx_http_hls_module', 'ngx_http_keyval_module',
  'ngx_http_session_log_module', 'ngx_http_status_module', 'ngx_http_upstream_conf_module', 'ngx_http_upstream_hc_module',
  'ngx_stream_keyval_module', 'ngx_stream_upstream_hc_module', 'ngx_stream_zone_sync_module', 'ngx_mgmt_module',
  'ngx_http_oidc_module', 'ngx_http_internal_redirect_module', 'ngx_http_auth_require_module',
  'ngx_stream_mqtt_filter_module', 'ngx_stream_mqtt_preread_module',
]);
/** Open-source modules that live outside the nginx source tree (versioned on their own). */
const SEPARATE_MODULES = new Set(['ngx_http_js_module', 'ngx_stream_js_module', 'ngx_otel_module', 'ngx_http_acme_module']);
const PLUS_TEXT = /directive is available as part of our\s*(?:>\s*)?\[?commercial subscription/;

function normModule(m: string): string {
  return m.replace(/_filter_module$/, '_module');
}

function docUrl(module: string, name: string): string | null {
  if (module === 'Core functionality') return `https://nginx.org/en/docs/ngx_core_module.html#${name}`;
  const m = /^ngx_(http|stream|mail)_/.exec(module);
  if (m) return `https://nginx.org/en/docs/${m[1]}/${module}.html#${name}`;
  if (module.startsWith('ngx_')) return `https://nginx.org/en/docs/${module}.html#${name}`;
  return null;
}

/** Documentation pages of third-party modules (the reference covers only NGINX's own). */
const THIRD_PARTY_DOCS: Record<string, string> = {
  ngx_http_lua_module: 'https://github.com/openresty/lua-nginx-module#',
  ngx_http_headers_more_filter_module: 'https://github.com/openresty/headers-more-nginx-module#',
  ngx_http_echo_module: 'https://github.com/openresty/echo-nginx-module#',
  ngx_http_fancyindex_module: 'https://github.com/aperezdc/ngx-fancyindex#',
  ngx_http_geoip2_module: 'https://github.com/leev/ngx_http_geoip2_module#',
  ngx_stream_geoip2_module: 'https://github.com/leev/ngx_http_geoip2_module#',
  ngx_http_subs_filter_module: 'https://github.com/yaoweibin/ngx_http_substitutions_filter_module#',
  ngx_http_dav_ext_module: 'https://github.com/arut/nginx-dav-ext-module#',
  ngx_nchan_module: 'https://nchan.io/#',
  ngx_http_cache_purge_module: 'https://github.com/FRiCKLE/ngx_cache_purge#',
  ngx_http_auth_pam_module: 'https://github.com/sto/ngx_http_auth_pam_module#',
  ngx_http_uploadprogress_module: 'https://github.com/masterzen/nginx-upload-progress-module#',
  ngx_http_upstream_fair_module: 'https://github.com/gnosek/nginx-upstream-fair#',
  ndk_http_module: 'https://github.com/vision5/ngx_devel_kit#',
};

export function thirdPartyDocUrl(module: string, name: string): string | null {
  const base = THIRD_PARTY_DOCS[module];
  return base ? base + name : null;
}

function refContexts(module: string, contexts: readonly string[]): number {
  const stream = module.startsWith('ngx_stream_');
  const mail = module.startsWith('ngx_mail_');
  let m = 0;
  for (const c of contexts) {
    switch (c) {
      case 'main': m |= Ctx.main; break;
      case 'events': m |= Ctx.events; break;
      case 'http': m |= Ctx.http; break;
      case 'server': m |= stream ? Ctx.stream_server : mail ? Ctx.mail_server : Ctx.server; break;
      case 'location': m |= Ctx.location; break;
      case 'upstream': m |= stream ? Ctx.stream_upstream : Ctx.upstream; break;
      case 'if': m |= Ctx.sif | Ctx.lif; break;
      case 'if in location': m |= Ctx.lif; break;
      case 'limit_except': m |= Ctx.limit_except; break;
      case 'stream': m |= Ctx.stream; break;
      case 'mail': m |= Ctx.mail; break;
      default: break; // Plus-only blocks (oidc_provider, mgmt, acme_issuer)
    }
  }
  return m;
}

interface RefData {
  docs: Map<string, DirectiveDoc[]>;
  /** reference-only specs (names not in the nginx table), and their Plus flag */
  specs: Map<string, { spec: DirectiveSpec; plus: boolean; separate: boolean }[]>;
  variables: Map<string, { description: string; module: string }>;
}
let refData: RefData | null = null;

function reference(): RefData {
  if (refData) return refData;
  const docs = new Map<string, DirectiveDoc[]>();
  const specs: RefData['specs'] = new Map();
  for (const d of ref.getDirectives(ref.Format.Markdown)) {
    const doc: DirectiveDoc = {
      name: d.name, module: d.module, description: d.description, syntax: d.syntax, default: d.default,
      contexts: d.contexts, isBlock: d.isBlock, url: docUrl(d.module, d.name),
    };
    const list = docs.get(d.name);
    if (list) list.push(doc); else docs.set(d.name, [doc]);
    const ctx = refContexts(d.module, d.contexts);
    const plus = PLUS_MODULES.has(d.module) || PLUS_TEXT.test(d.description);
    const separate = SEPARATE_MODULES.has(d.module);
    const spec: DirectiveSpec = {
      name: d.name, module: d.module, contexts: ctx, args: Arg.ANY | (d.isBlock ? Arg.BLOCK : 0), block: d.isBlock, slot: '',
      values: [], duplicateError: false, customBody: false, origin: 'reference',
    };
    const l2 = specs.get(d.name);
    if (l2) l2.push({ spec, plus, separate }); else specs.set(d.name, [{ spec, plus, separate }]);
  }
  const variables = new Map<string, { description: string; module: string }>();
  for (const v of ref.getVariables(ref.Format.Markdown)) {
    const name = v.name.replace(/^\$/, '');
    if (!variables.has(name)) variables.set(name, { description: v.description, module: v.module });
  }
  refData = { docs, specs, variables };
  return refData;
}

/** Reference variables (name without `$`, `NAME` suffix marks prefix families) with their description. */
export function referenceVariables(): ReadonlyMap<string, { description: string; module: string }> {
  return reference().variables;
}

// ------------------------------------------------------------------ versions and settings

/** true when the configured version is not newer than the newest release of the table (reference-only directives did not exist) */
function versionIsTableOrOlder(settings: Settings | undefined): boolean {
  const v = settings?.version;
  if (!v) return false;
  // "1.31" means any 1.31.x
  const newest = NEWEST_RELEASE.split('.');
  if (v.split('.').length <= 2) return compareVersions(v, `${newest[0]}.${newest[1]}`) <= 0;
  return compareVersions(v, NEWEST_RELEASE) <= 0;
}

function customArgs(a: string | number | undefined): number {
  if (a === undefined || a === 'any') return Arg.ANY;
  if (typeof a === 'number') return a === 0 ? Arg.NOARGS : a <= 7 ? 1 << a : Arg.ANY;
  const s = String(a).trim();
  let m = /^(\d+)$/.exec(s);
  if (m) return customArgs(Number(m[1]));
  m = /^(\d+)\s*-\s*(\d+)$/.exec(s);
  if (m) {
    let bits = 0;
    for (let i = Number(m[1]); i <= Math.min(7, Number(m[2])); i++) bits |= i === 0 ? Arg.NOARGS : 1 << i;
    return bits || Arg.ANY;
  }
  m = /^(\d+)\s*\+$/.exec(s);
  if (m) return Number(m[1]) <= 0 ? Arg.ANY : Number(m[1]) === 1 ? Arg.MORE1 : Number(m[1]) === 2 ? Arg.MORE2 : Arg.ANY;
  return Arg.ANY;
}

function customContexts(list: string[]): number {
  let m = 0;
  for (const c of list) {
    const k = c.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (k === 'any' || k === '*') return CTX_ALL;
    if (k === 'if') m |= Ctx.sif | Ctx.lif;
    else if (k === 'if_in_location') m |= Ctx.lif;
    else if (k === 'if_in_server') m |= Ctx.sif;
    else if (k in Ctx) m |= Ctx[k as keyof typeof Ctx];
  }
  return m || CTX_ALL;
}

const customCache = new WeakMap<CustomDirective[], Map<string, DirectiveSpec[]>>();
function customSpecs(settings: Settings | undefined): Map<string, DirectiveSpec[]> | null {
  const list = settings?.customDirectives;
  if (!list || list.length === 0) return null;
  let map = customCache.get(list);
  if (map) return map;
  map = new Map();
  for (const c of list) {
    const spec: DirectiveSpec = {
      name: c.name, module: 'custom (nginx.customDirectives)', contexts: customContexts(c.contexts), args: customArgs(c.args),
      block: !!c.block, slot: '', values: [], duplicateError: false, customBody: !!c.block, origin: 'custom',
    };
    const l = map.get(c.name);
    if (l) l.push(spec); else map.set(c.name, [spec]);
  }
  customCache.set(list, map);
  return map;
}

// ------------------------------------------------------------------ lookup

/** The nginx-table specs of a name in any release (fast path for hot loops; no reference, no settings). */
export function nginxSpecsOf(name: string): readonly DirectiveSpec[] | undefined {
  return nginxSpecs.get(name);
}

/** Every name nginx knows in any release (the generated tables). */
export function nginxDirectiveNames(): IterableIterator<string> {
  return nginxSpecs.keys();
}

/**
 * What is known about `name` written in contexts `ctx` (Ctx bits; 0 = unknown context: the first
 * spec is returned). `settings` brings custom directives, `nginx.plus` and `nginx.version`.
 */
export function lookup(name: string, ctx: number = 0, settings?: Settings): DirectiveInfo {
  const custom = customSpecs(settings)?.get(name);
  const anyVersion = nginxSpecs.get(name);
  let fromNginx = nginxSpecsIn(name, settings);
  if (fromNginx && fromNginx.length === 0) fromNginx = undefined;
  let status: DirectiveStatus = 'unknown';
  let isPlus = false;
  const specs: DirectiveSpec[] = [];
  if (custom) specs.push(...custom);
  if (fromNginx) specs.push(...fromNginx);
  if (specs.length) status = 'known';
  const refSpecs = reference().specs.get(name);
  if (refSpecs) {
    const older = versionIsTableOrOlder(settings);
    for (const r of refSpecs) {
      // a reference context nginx's table lacks is a newer feature (or a Plus one)
      if (fromNginx && older) continue;
      if (r.plus && !settings?.plus) {
        if (!fromNginx && !custom) isPlus = true;
        continue;
      }
      if (!fromNginx && older && !r.separate) continue;
      specs.push(r.spec);
    }
    if (status === 'unknown') {
      if (specs.length) status = 'known';
      else if (isPlus) status = 'plus';
      else status = 'newer';
    }
  }
  if (status !== 'known' && anyVersion && !fromNginx) {
    // nginx has it in other releases: newer than the configured version, or removed by it
    const release = releaseOf(settings?.version) ?? NEWEST_RELEASE;
    status = anyVersion.some((s) => s.since && compareVersions(release, s.since) < 0) ? 'newer' : 'removed';
    isPlus = false;
  }
  let spec: DirectiveSpec | null = null;
  if (specs.length) {
    if (ctx === 0) spec = specs[0];
    else for (const s of specs) if (s.contexts & ctx) { spec = s; break; }
  }
  if (!isPlus && refSpecs && !fromNginx && !custom) isPlus = refSpecs.every((r) => r.plus);
  return new Info(name, status, specs, spec, isPlus);
}

/** DirectiveInfo with the documentation looked up only when asked for (rules never ask). */
class Info implements DirectiveInfo {
  private docCache: DirectiveDoc | null | undefined;
  constructor(
    readonly name: string, readonly status: DirectiveStatus, readonly specs: readonly DirectiveSpec[],
    readonly spec: DirectiveSpec | null, readonly isPlus: boolean,
  ) {}
  get doc(): DirectiveDoc | null {
    if (this.docCache === undefined) this.docCache = docFor(this.name, this.spec ?? this.specs[0] ?? null);
    return this.docCache;
  }
}

/** The reference page that matches a spec (same module, else same family, else the first). */
export function docFor(name: string, spec: DirectiveSpec | null): DirectiveDoc | null {
  const docs = reference().docs.get(name);
  if (!docs || docs.length === 0) return null;
  if (!spec) return docs[0];
  const mod = normModule(spec.module);
  const exact = docs.find((d) => normModule(d.module) === mod);
  if (exact) return exact;
  // nginx's C module names and the docs' names differ for a few (ngx_http_upstream_keepalive_module → ngx_http_upstream_module)
  const family = /^ngx_(http|stream|mail)_/.exec(spec.module)?.[1];
  const byCtx = docs.find((d) => (refContexts(d.module, d.contexts) & spec.contexts) !== 0 && (!family || d.module.startsWith(`ngx_${family}_`)));
  if (byCtx) return byCtx;
  if (spec.origin === 'nginx' && !family && docs.some((d) => d.module === 'Core functionality')) return docs.find((d) => d.module === 'Core functionality')!;
  return family ? docs.find((d) => d.module.startsWith(`ngx_${family}_`)) ?? null : docs[0];
}

/**
 * The documented default of an http-level directive (reference-lib's "Default:" line, e.g. "60s",
 * "4k|8k"), or null when it has none. It is the default of current nginx: a caller that knows a
 * default changed between versions answers those names itself (analysis/effective.ts).
 */
export function httpDefault(name: string): string | null {
  const doc = reference().docs.get(name)?.find((d) => d.module.startsWith('ngx_http_'));
  return doc && doc.default !== '' ? doc.default : null;
}

/** Every name known in the given settings (nginx table, custom, reference). */
export function allDirectiveNames(settings?: Settings): string[] {
  const names = new Set<string>(nginxSpecs.keys());
  const custom = customSpecs(settings);
  if (custom) for (const k of custom.keys()) names.add(k);
  for (const k of reference().specs.keys()) names.add(k);
  return [...names];
}

/**
 * Directives that may be written in contexts `ctx` (for completion): name → the applicable spec.
 * Plus-only names are left out unless `nginx.plus` is on.
 */
export function directivesFor(ctx: number, settings?: Settings): DirectiveInfo[] {
  const out: DirectiveInfo[] = [];
  for (const name of allDirectiveNames(settings)) {
    const info = lookup(name, ctx, settings);
    if (info.status === 'known' && info.spec && (ctx === 0 || (info.spec.contexts & ctx))) out.push(info);
  }
  return out;
}

// ------------------------------------------------------------------ contexts

/**
 * The context a block opens, given the context it is written in (Ctx bits, several at once for an
 * unknown outer context). 0: the block does not hold ordinary directives (map, types, Lua, unknown).
 */
export function childContext(blockName: string, outer: number): number {
  let m = 0;
  switch (blockName) {
    case 'http': if (outer & Ctx.main) m |= Ctx.http; break;
    case 'events': if (outer & Ctx.main) m |= Ctx.events; break;
    case 'stream': if (outer & Ctx.main) m |= Ctx.stream; break;
    case 'mail': if (outer & Ctx.main) m |= Ctx.mail; break;
    case 'server':
      if (outer & Ctx.http) m |= Ctx.server;
      if (outer & Ctx.stream) m |= Ctx.stream_server;
      if (outer & Ctx.mail) m |= Ctx.mail_server;
      break;
    case 'location': if (outer & (Ctx.server | Ctx.location)) m |= Ctx.location; break;
    case 'if':
      if (outer & Ctx.server) m |= Ctx.sif;
      if (outer & Ctx.location) m |= Ctx.lif;
      break;
    case 'limit_except': if (outer & Ctx.location) m |= Ctx.limit_except; break;
    case 'upstream':
      if (outer & Ctx.http) m |= Ctx.upstream;
      if (outer & Ctx.stream) m |= Ctx.stream_upstream;
      break;
  }
  return m;
}

/** Ctx bit of a chain of block names, outermost first (['http', 'server']; [] = main). 0 when it is not a directive context. */
export function contextOfPath(path: readonly string[]): number {
  let c: number = Ctx.main;
  for (const name of path) {
    if (name === 'main') continue;
    c = childContext(name, c);
    if (c === 0) return 0;
  }
  return c;
}

/** Ctx bit of the innermost scope of a ConfigView scope chain (innermost first). 0 when it is not a directive context. */
export function contextMask(scopes: readonly Scope[]): number {
  const path: string[] = [];
  for (let i = scopes.length - 1; i >= 0; i--) path.push(scopes[i].context);
  return contextOfPath(path);
}

/** Human list of contexts ("http, server, location"). */
export function contextNames(bits: number): string[] {
  const out: string[] = [];
  for (let b = 1; b <= 8192; b <<= 1) if (bits & b) out.push(CTX_NAMES[b]);
  return out;
}

// ------------------------------------------------------------------ arguments

/** Whether `n` arguments satisfy nginx's argument bits (ngx_conf_handler). */
export function argsOk(args: number, n: number): boolean {
  if (args & Arg.ANY) return true;
  if (args & Arg.FLAG) return n === 1;
  if (args & Arg.MORE1) return n >= 1;
  if (args & Arg.MORE2) return n >= 2;
  if (n > 7) return false;
  return (args & (1 << n)) !== 0;
}

/** "1", "1 or 2", "1 to 4", "at least 1", "no", "on or off", "any number of" */
export function describeArgs(args: number): string {
  if (args & Arg.ANY) return 'any number of';
  if (args & Arg.FLAG) return '1 (on or off)';
  if (args & Arg.MORE1) return 'at least 1';
  if (args & Arg.MORE2) return 'at least 2';
  const ns: number[] = [];
  for (let i = 0; i <= 7; i++) if (args & (1 << i)) ns.push(i);
  if (ns.length === 0) return 'no';
  if (ns.length === 1) return ns[0] === 0 ? 'no' : String(ns[0]);
  const contiguous = ns.every((v, i) => i === 0 || v === ns[i - 1] + 1);
  if (contiguous && ns.length > 2) return `${ns[0]} to ${ns[ns.length - 1]}`;
  return ns.slice(0, -1).join(', ') + ' or ' + ns[ns.length - 1];
}

// ------------------------------------------------------------------ names

/** Levenshtein distance with an early exit above `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array(b.length + 1);
  let cur = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // transposition
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev[j - 2 < 0 ? 0 : j - 2] + 1);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Close known names for a misspelt one, best first (those allowed in `ctx` first). */
export function suggestNames(name: string, ctx = 0, settings?: Settings, limit = 3): string[] {
  const max = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  const lower = name.toLowerCase();
  const scored: { n: string; d: number }[] = [];
  for (const cand of allDirectiveNames(settings)) {
    const d = cand === lower ? 0 : editDistance(lower, cand, max);
    if (d <= max) scored.push({ n: cand, d });
  }
  const allowed = (n: string) => {
    const info = lookup(n, ctx, settings);
    return info.status === 'known' && (!ctx || !!info.spec);
  };
  scored.sort((x, y) => Number(allowed(y.n)) - Number(allowed(x.n)) || x.d - y.d || (x.n < y.n ? -1 : 1));
  return scored.filter((s) => lookup(s.n, 0, settings).status === 'known').slice(0, limit).map((s) => s.n);
}

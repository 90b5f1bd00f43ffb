/**
 * The routing model: which `server` a connection and Host pick (ngx_http_init_connection,
 * ngx_http_find_virtual_server over the server-name hashes built by ngx_http_server_names) and
 * which `location` a URI picks (ngx_http_core_find_location over the static location tree and the
 * regex list of each level, nested locations included). Built from the expanded directives of one
 * `http` level; cached per directive array (the include expansion hands out a new array whenever
 * something below changed), so a lookup on a 10,000-server configuration costs a few hash probes.
 */
import type { Directive } from '../../syntax/tree';
import { translatePcre, type Translated } from './pcre';
import { asciiLower, toBytes } from './uri';

/** `directives`: the level's directives with includes expanded; `expand` expands a block */
export type Expand = (d: Directive) => Directive[];

export interface ListenInfo {
  directive: Directive;
  /** "0.0.0.0:80", "127.0.0.1:8080", "[::]:443", "unix:/run/x.sock" */
  addr: string;
  port: string;
  wildcard: boolean;
  family: 'inet' | 'inet6' | 'unix';
  defaultServer: boolean;
}

export type NameKind = 'exact' | 'head' | 'tail' | 'regex';

export interface NameInfo {
  directive: Directive;
  /** the argument index in its `server_name` directive */
  arg: number;
  /** as written */
  text: string;
  /** lowercase; for `head` the suffix without `*.`/`.`, for `tail` the prefix with its trailing dot (`www.example.`) */
  key: string;
  kind: NameKind;
  /** `.example.com`: also matches `example.com` itself */
  dot?: boolean;
  regex?: Translated;
}

export interface ServerInfo {
  directive: Directive;
  /** index in configuration order */
  index: number;
  body: Directive[];
  listens: ListenInfo[];
  /** true when the server has no `listen` (nginx listens on *:80 as root, *:8000 otherwise) */
  implicitListen: boolean;
  names: NameInfo[];
}

/** One listening address with its servers, default server and name tables (nginx's ngx_http_conf_addr_t). */
export interface AddrConf {
  addr: string;
  port: string;
  family: ListenInfo['family'];
  wildcard: boolean;
  servers: ServerInfo[];
  defaultServer: ServerInfo;
  /** the listen that made it the default (explicit default_server, else the first server's listen) */
  defaultListen: ListenInfo | null;
  explicitDefault: boolean;
  /** built on first use */
  names?: NameTables;
}

export interface Conflict {
  name: NameInfo;
  server: ServerInfo;
  /** the earlier name it collides with */
  winner: NameInfo;
  winnerServer: ServerInfo;
  addr: string;
}

export interface NameTables {
  exact: Map<string, { server: ServerInfo; name: NameInfo }>;
  head: Map<string, { server: ServerInfo; name: NameInfo }>;
  tail: Map<string, { server: ServerInfo; name: NameInfo }>;
  regex: { server: ServerInfo; name: NameInfo }[];
  conflicts: Conflict[];
  /** the conflicts of each server (the names of it that nginx ignores on this address) */
  conflictsOf: Map<ServerInfo, Conflict[]>;
}

export interface HttpModel {
  servers: ServerInfo[];
  addrs: Map<string, AddrConf>;
  notes: string[];
  byDirective: Map<Directive, ServerInfo>;
}

const models = new WeakMap<readonly Directive[], HttpModel>();

/** The model of an http level (its expanded directives), cached per directive array. */
export function httpModel(directives: readonly Directive[], expand: Expand): HttpModel {
  let m = models.get(directives);
  if (!m) {
    m = buildHttpModel(directives, expand);
    models.set(directives, m);
  }
  return m;
}

/**
 * What one server block says about routing (its listens and names), cached per `server` directive:
 * a directive object lives as long as its file's tree, so after an edit of one site file only that
 * file's servers are read again. A server whose block includes other files is read anew each time
 * (the included text may have changed without the server directive changing).
 */
export interface ServerFacts {
  body: Directive[];
  listens: ListenInfo[];
  names: NameInfo[];
  implicitListen: boolean;
  /** false: the block includes files, so the facts are read again each time */
  cached: boolean;
}
const serverFacts = new WeakMap<Directive, ServerFacts>();

export function serverFactsOf(d: Directive, expand: Expand): ServerFacts {
  const hit = serverFacts.get(d);
  if (hit) return hit;
  const body = expand(d);
  const f: ServerFacts = { body, listens: [], names: [], implicitListen: false, cached: false };
  for (const x of body) {
    if (x.name === 'listen') {
      const l = parseListen(x);
      if (l) f.listens.push(l);
    } else if (x.name === 'server_name') {
      for (let i = 0; i < x.argCount; i++) {
        const n = parseServerName(x, i);
        if (n) f.names.push(n);
      }
    }
  }
  // nginx gives a server without server_name the name ""
  if (!f.names.length) f.names.push({ directive: d, arg: -1, text: '""', key: '', kind: 'exact' });
  if (!f.listens.length) {
    f.implicitListen = true;
    f.listens.push({ directive: d, addr: '0.0.0.0:80', port: '80', wildcard: true, family: 'inet', defaultServer: false });
  }
  let includes = false;
  for (const c of d.block?.children ?? []) if (c.kind === 'directive' && c.name === 'include') { includes = true; break; }
  if (!includes) { f.cached = true; serverFacts.set(d, f); }
  return f;
}

function buildHttpModel(directives: readonly Directive[], expand: Expand): HttpModel {
  const servers: ServerInfo[] = [];
  const addrs = new Map<string, AddrConf>();
  const byDirective = new Map<Directive, ServerInfo>();
  for (const d of directives) {
    if (d.name !== 'server' || !d.block || d.isEntry) continue;
    const f = serverFactsOf(d, expand);
    const s: ServerInfo = { directive: d, index: servers.length, body: f.body, listens: f.listens, implicitListen: f.implicitListen, names: f.names };
    servers.push(s);
    byDirective.set(d, s);
    for (let i = 0; i < s.listens.length; i++) {
      const l = s.listens[i];
      // nginx: "duplicate listen" (an error); keep the first
      let dup = false;
      for (let j = 0; j < i; j++) if (s.listens[j].addr === l.addr) { dup = true; break; }
      if (dup) continue;
      let a = addrs.get(l.addr);
      if (!a) {
        a = { addr: l.addr, port: l.port, family: l.family, wildcard: l.wildcard, servers: [], defaultServer: s, defaultListen: l, explicitDefault: false };
        addrs.set(l.addr, a);
      }
      a.servers.push(s);
      if (l.defaultServer && !a.explicitDefault) {
        a.defaultServer = s;
        a.defaultListen = l;
        a.explicitDefault = true;
      }
    }
  }
  return { servers, addrs, notes: [], byDirective };
}

/** `listen` → its address (ngx_http_core_listen + ngx_parse_url, without name resolution beyond localhost) */
export function parseListen(d: Directive): ListenInfo | null {
  const raw = d.argValue(0);
  if (raw === undefined) return null;
  let defaultServer = false;
  for (let i = 1; i < d.argCount; i++) {
    const a = d.argValue(i);
    if (a === 'default_server' || a === 'default') defaultServer = true;
  }
  const base = { directive: d, defaultServer };
  if (raw.startsWith('unix:')) return { ...base, addr: raw, port: '', wildcard: false, family: 'unix' };
  let m = /^\[([0-9a-fA-F:.]*)\](?::(\d+))?$/.exec(raw);
  if (m) {
    const ip = m[1].toLowerCase();
    const wildcard = ip === '::' || /^[0:]+$/.test(ip);
    return { ...base, addr: `[${wildcard ? '::' : ip}]:${m[2] ?? '80'}`, port: m[2] ?? '80', wildcard, family: 'inet6' };
  }
  if (/^\d+$/.test(raw)) return { ...base, addr: `0.0.0.0:${raw}`, port: raw, wildcard: true, family: 'inet' };
  m = /^([^:]+)(?::(\d+))?$/.exec(raw);
  if (!m) return null;
  let host = m[1].toLowerCase();
  const port = m[2] ?? '80';
  if (host === '*') host = '0.0.0.0';
  if (host === 'localhost') host = '127.0.0.1';
  return { ...base, addr: `${host}:${port}`, port, wildcard: host === '0.0.0.0', family: 'inet' };
}

function parseServerName(d: Directive, i: number): NameInfo | null {
  const text = d.argValue(i);
  if (text === undefined) return null;
  const base = { directive: d, arg: i, text };
  if (text.startsWith('~')) {
    const pattern = text.slice(1);
    // nginx compiles a server name regex caselessly when it has an upper-case letter
    return { ...base, key: pattern, kind: 'regex', regex: translatePcre(pattern, /[A-Z]/.test(pattern)) };
  }
  const lc = asciiLower(toBytes(text));
  if (lc.length > 1 && lc[0] === '.') return { ...base, key: lc.slice(1), kind: 'head', dot: true };
  if (lc.length > 2 && lc.startsWith('*.')) return { ...base, key: lc.slice(2), kind: 'head' };
  if (lc.length > 2 && lc.endsWith('.*')) return { ...base, key: lc.slice(0, -1), kind: 'tail' };
  return { ...base, key: lc, kind: 'exact' };
}

/**
 * The server-name tables of one address, with the conflicts ngx_hash_add_key reports ("conflicting
 * server name … on …, ignored"): an exact name and `.name` share the exact keys; `*.name` and
 * `.name` share the leading-wildcard keys; `name.*` the trailing ones.
 */
export function nameTables(a: AddrConf): NameTables {
  if (a.names) return a.names;
  const t: NameTables = { exact: new Map(), head: new Map(), tail: new Map(), regex: [], conflicts: [], conflictsOf: new Map() };
  // the exact keys also hold the "x" of each ".x" (keys_hash in nginx), with the name that put it there
  const exactKeys = new Map<string, { server: ServerInfo; name: NameInfo }>();
  const conflict = (server: ServerInfo, name: NameInfo, w: { server: ServerInfo; name: NameInfo }) => {
    const c = { name, server, winner: w.name, winnerServer: w.server, addr: a.addr };
    t.conflicts.push(c);
    const list = t.conflictsOf.get(server);
    if (list) list.push(c);
    else t.conflictsOf.set(server, [c]);
  };
  // nginx builds no name tables for an address with one server (and no captures): every request gets it
  for (const server of a.servers) {
    for (const name of server.names) {
      const entry = { server, name };
      if (name.kind === 'regex') { t.regex.push(entry); continue; }
      if (name.kind === 'exact') {
        const w = exactKeys.get(name.key);
        if (w) { conflict(server, name, w); continue; }
        exactKeys.set(name.key, entry);
        t.exact.set(name.key, entry);
        continue;
      }
      if (name.kind === 'head') {
        if (name.dot) {
          const w = exactKeys.get(name.key);
          if (w) { conflict(server, name, w); continue; }
          exactKeys.set(name.key, entry);
        }
        const w = t.head.get(name.key);
        if (w) { conflict(server, name, w); continue; }
        t.head.set(name.key, entry);
        continue;
      }
      const w = t.tail.get(name.key);
      if (w) { conflict(server, name, w); continue; }
      t.tail.set(name.key, entry);
    }
  }
  if (a.servers.length === 1) { t.conflicts.length = 0; t.conflictsOf.clear(); } // ngx_http_server_names is not even called
  a.names = t;
  return t;
}

export interface ServerChoice {
  addr: AddrConf;
  server: ServerInfo;
  /** the name that matched, or null: the default server */
  name: NameInfo | null;
  why: string;
}

/** The address config a connection to `address` ("ip:port") lands on: the exact address, else the port's wildcard. */
export function findAddr(m: HttpModel, address: string): AddrConf | null {
  const norm = normalizeAddress(address);
  const exact = m.addrs.get(norm);
  if (exact) return exact;
  const v6 = norm.startsWith('[');
  const port = norm.slice(norm.lastIndexOf(':') + 1);
  const wild = m.addrs.get(v6 ? `[::]:${port}` : `0.0.0.0:${port}`);
  if (wild) return wild;
  // `*:port` (the editor's "http://name:port/", whose address is unknown): the first address
  // that listens on the port, when only specific addresses do
  if (address.trim().startsWith('*:')) for (const a of m.addrs.values()) if (a.port === port) return a;
  return null;
}

export function normalizeAddress(a: string): string {
  let s = a.trim().toLowerCase();
  if (s.startsWith('unix:')) return s;
  if (/^\d+$/.test(s)) return `0.0.0.0:${s}`;
  if (s.startsWith('*:')) s = '0.0.0.0' + s.slice(1);
  if (s.startsWith('localhost')) s = '127.0.0.1' + s.slice(9);
  if (!/:\d+$/.test(s) || (s.startsWith('[') && s.endsWith(']'))) s += ':80';
  return s;
}

/**
 * The server for a validated host (null: no Host at all, HTTP/1.0) on an address: exact name,
 * longest leading wildcard, longest trailing wildcard, regexes in order, else the default server.
 */
export function selectServer(a: AddrConf, host: string | null): ServerChoice {
  const dflt = (why: string): ServerChoice => ({ addr: a, server: a.defaultServer, name: null, why });
  const dfltWhy = () => a.explicitDefault ? `default_server for ${a.addr}` : `first server on ${a.addr} (no default_server)`;
  if (a.servers.length === 1) return { addr: a, server: a.servers[0], name: null, why: `the only server on ${a.addr}` };
  const t = nameTables(a);
  const h = host ?? '';
  const e = t.exact.get(h);
  if (e) return { addr: a, server: e.server, name: e.name, why: h === '' ? 'server_name "" (request without a Host)' : `exact server_name ${h}` };
  if (h) {
    // leading wildcards, the longest first: `.x` matches x itself, then every suffix after a dot
    const whole = t.head.get(h);
    if (whole?.name.dot) return { addr: a, server: whole.server, name: whole.name, why: `wildcard server_name ${whole.name.text}` };
    for (let k = h.indexOf('.'); k >= 0; k = h.indexOf('.', k + 1)) {
      const w = t.head.get(h.slice(k + 1));
      if (w) return { addr: a, server: w.server, name: w.name, why: `longest leading wildcard ${w.name.text}` };
    }
    for (let k = h.lastIndexOf('.'); k > 0; k = h.lastIndexOf('.', k - 1)) {
      if (k === h.length - 1) continue;
      const w = t.tail.get(h.slice(0, k + 1));
      if (w) return { addr: a, server: w.server, name: w.name, why: `longest trailing wildcard ${w.name.text}` };
    }
    for (const r of t.regex) {
      if (r.name.regex?.ok && r.name.regex.regex.test(h)) return { addr: a, server: r.server, name: r.name, why: `first matching regex server_name ${r.name.text}` };
    }
  }
  return dflt(`${host === null ? 'no Host' : `no server_name matches "${h}"`}: ${dfltWhy()}`);
}

// ---------------------------------------------------------------- locations

export type LocMod = '=' | '^~' | '~' | '~*' | '@' | '';

export interface LocationInfo {
  directive: Directive;
  mod: LocMod;
  /** the URI (byte string) or the regex pattern or the @name */
  name: string;
  regex?: Translated;
  body: Directive[];
  /** `location /x/ { proxy_pass …; }`: nginx answers /x with a 301 to /x/ */
  autoRedirect: boolean;
  /** null until first asked */
  level?: LocLevel;
}

export interface LocLevel {
  exact: Map<string, LocationInfo>;
  /** prefix locations (plain and ^~), longest first */
  prefixes: LocationInfo[];
  prefixByName: Map<string, LocationInfo>;
  regexes: LocationInfo[];
  named: Map<string, LocationInfo>;
  /** every location of the level in order (for the rules) */
  all: LocationInfo[];
}

const PASS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);

export function parseLocation(d: Directive, expand: Expand): LocationInfo | null {
  let mod: string, name: string | undefined;
  if (d.argCount >= 2) { mod = d.argValue(0) ?? ''; name = d.argValue(1); }
  else {
    const a = d.argValue(0);
    if (a === undefined) return null;
    if (a.startsWith('=')) { mod = '='; name = a.slice(1); }
    else if (a.startsWith('^~')) { mod = '^~'; name = a.slice(2); }
    else if (a.startsWith('~*')) { mod = '~*'; name = a.slice(2); }
    else if (a.startsWith('~')) { mod = '~'; name = a.slice(1); }
    else if (a.startsWith('@')) { mod = '@'; name = a; }
    else { mod = ''; name = a; }
  }
  if (name === undefined || !['=', '^~', '~', '~*', '@', ''].includes(mod)) return null;
  const body = expand(d);
  const info: LocationInfo = { directive: d, mod: mod as LocMod, name: mod === '~' || mod === '~*' || mod === '@' ? name : toBytes(name), body, autoRedirect: false };
  if (mod === '~' || mod === '~*') info.regex = translatePcre(name, mod === '~*');
  if ((mod === '' || mod === '^~' || mod === '=') && name.endsWith('/')) info.autoRedirect = body.some((x) => PASS.has(x.name));
  return info;
}

const levels = new WeakMap<readonly Directive[], LocLevel>();

/** The locations directly in a level (a server's or a location's expanded body), cached per array. */
export function locLevel(body: readonly Directive[], expand: Expand): LocLevel {
  let l = levels.get(body);
  if (l) return l;
  l = { exact: new Map(), prefixes: [], prefixByName: new Map(), regexes: [], named: new Map(), all: [] };
  for (const d of body) {
    if (d.name !== 'location' || !d.block) continue;
    const loc = parseLocation(d, expand);
    if (!loc) continue;
    l.all.push(loc);
    if (loc.mod === '=') { if (!l.exact.has(loc.name)) l.exact.set(loc.name, loc); }
    else if (loc.mod === '' || loc.mod === '^~') { if (!l.prefixByName.has(loc.name)) { l.prefixByName.set(loc.name, loc); l.prefixes.push(loc); } }
    else if (loc.mod === '@') { if (!l.named.has(loc.name)) l.named.set(loc.name, loc); }
    else l.regexes.push(loc);
  }
  l.prefixes.sort((a, b) => b.name.length - a.name.length);
  levels.set(body, l);
  return l;
}

export interface LocationChoice {
  location: LocationInfo | null;
  /** the enclosing locations chosen on the way (outermost first) */
  path: LocationInfo[];
  /** 'redirect': nginx answers 301 to uri + "/" (the auto-redirect) */
  outcome: 'found' | 'redirect' | 'none';
  why: string;
  notes: string[];
}

type Rc = 'ok' | 'again' | 'done' | 'declined';

/**
 * ngx_http_core_find_location: the static tree of the level (exact match, else longest prefix, with
 * the auto-redirect of `/x/` for `/x`), then — unless the prefix is `^~` or the match exact — the
 * regexes of the level in order; a chosen location's own nested locations are searched the same way.
 */
export function findLocation(serverBody: readonly Directive[], uri: string, expand: Expand): LocationChoice {
  const notes: string[] = [];
  /** the location chosen at each depth so far (nginx's r->loc_conf, with the levels above it) */
  const stack: LocationInfo[] = [];
  let why = '';
  const set = (l: LocationInfo, depth: number, w: string) => {
    stack.length = depth;
    stack.push(l);
    why = w;
  };
  const search = (level: LocLevel, depth: number): Rc => {
    if (depth > 64) return 'declined';
    let rc: Rc = 'declined';
    let noregex = false;
    const ex = level.exact.get(uri);
    if (ex) { set(ex, depth, 'exact match'); return 'ok'; }
    let prefix: LocationInfo | null = level.prefixByName.get(uri) ?? null;
    if (!prefix) {
      const slash = level.exact.get(uri + '/') ?? level.prefixByName.get(uri + '/');
      if (slash?.autoRedirect) { set(slash, depth, `"${showable(uri)}" lacks the trailing slash of a proxied location: 301 to "${showable(uri)}/"`); return 'done'; }
      for (const p of level.prefixes) if (uri.startsWith(p.name)) { prefix = p; break; }
    }
    if (prefix) {
      set(prefix, depth, prefix.mod === '^~' ? 'longest prefix, ^~: no regex search' : 'longest prefix');
      noregex = prefix.mod === '^~';
      rc = search(locLevel(prefix.body, expand), depth + 1);
      if (rc === 'ok' || rc === 'done') return rc;
      rc = 'again';
    }
    if (!noregex) {
      for (const r of level.regexes) {
        if (!r.regex || !r.regex.ok) {
          notes.push(`regex location "${r.name}" was skipped: ${r.regex && !r.regex.ok ? r.regex.reason : 'not translated'}; nginx may pick it`);
          continue;
        }
        r.regex.regex.lastIndex = 0;
        if (r.regex.regex.test(uri)) {
          set(r, depth, 'first matching regex');
          search(locLevel(r.body, expand), depth + 1);
          return 'ok';
        }
      }
    }
    return rc;
  };
  const rc = search(locLevel(serverBody, expand), 0);
  if (!stack.length) return { location: null, path: [], outcome: 'none', why: 'no location matches', notes };
  return { location: stack[stack.length - 1], path: stack.slice(0, -1), outcome: rc === 'done' ? 'redirect' : 'found', why, notes };
}

function showable(s: string): string {
  return s.replace(/[^\x21-\x7e]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

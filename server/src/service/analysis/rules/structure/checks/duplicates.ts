/**
 * Repeats nginx rejects although each directive on its own is fine:
 *  - `duplicate location "x"`: two prefix locations (with or without ^~) or two exact (=) ones of
 *    one path on one level (ngx_http_join_exact_locations in src/http/ngx_http.c);
 *  - `a duplicate listen x`: one server listening twice on one address:port; `duplicate listen
 *    options for x`: two `listen` of one address:port (any servers of the http block) both with
 *    socket options (bind, backlog=, ipv6only=, reuseport, …); `a duplicate default server for x`
 *    (ngx_http_add_addresses / ngx_http_add_server); stream: `duplicate "x" address and port pair`
 *    (ngx_stream_core_listen);
 *  - `conflicting parameter "x"`: one host named twice by the `valid_referers` of one level
 *    (ngx_http_add_referer: the hash of host names refuses a repeat; case-insensitive, path ignored);
 *  - `the duplicate "x" variable`: set/map/geo/split_clients/auth_request_set defining a built-in
 *    variable that is not changeable, e.g. $scheme or $host (ngx_http_add_variable).
 * Only directives of the analysed file are compared (never a false error from an unseen include).
 */
import { FIXED_HTTP_VARIABLES, LISTEN_OPTION_PARAMS } from '../../../../knowledge/handlerTables';
import type { Directive, Span } from '../../../../syntax/tree';
import { listenKey } from './address';
import { argsFrom, fastPaths, plainArgs } from './fast';

/** built-in names as the first word of `set` (sticky, from the end of the name; any case as nginx compares) */
const FIXED_FIRST = new RegExp(String.raw`\s+\$(?:${[...FIXED_HTTP_VARIABLES].join('|')})(?=[\s;])`, 'iy');

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * locationKey read straight from the file text (no Word objects); undefined when the arguments are
 * not plain (quotes, escapes, comments, several words): then ask the exact way.
 */
export function textLocationKey(text: string, d: Directive): string | null | undefined {
  if (!fastPaths.enabled) return undefined;
  let i = argsFrom(text, d, 'location');
  let end = d.terminatorOffset;
  if (i < 0 || end < i) return undefined;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
  if (i >= end) return undefined;
  const c = text.charCodeAt(i);
  if (c === 126 || c === 64) return null; // ~ regex, @ named
  let exact = false;
  if (c === 61) { exact = true; i++; }
  else if (c === 94 && text.charCodeAt(i + 1) === 126) i += 2;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  for (let k = i; k < end; k++) {
    const x = text.charCodeAt(k);
    if (isSpace(x) || x === 34 || x === 39 || x === 92 || x === 35 || x === 123) return undefined;
  }
  if (i >= end) return undefined;
  const path = text.slice(i, end);
  return exact ? '\0' + path : path;
}

export type DupReport = (at: Span, message: string, first: Directive | null) => void;

/** `location`'s path, with "=" before it for an exact match; null for regex and named ones */
export function locationKey(d: Directive): string | null {
  const n = d.args.length;
  if (n !== 1 && n !== 2) return null;
  const a = d.args;
  let name: string;
  let exact = false;
  if (n === 2) {
    const m = a[0].value;
    if (m === '=') exact = true;
    else if (m !== '^~') return null;
    name = a[1].value;
  } else {
    name = a[0].value;
    const c = name.charCodeAt(0);
    if (c === 61) { exact = true; name = name.slice(1); }
    else if (c === 94 && name.charCodeAt(1) === 126) name = name.slice(2);
    else if (c === 126 || c === 64) return null;
  }
  return exact ? '\0' + name : name;
}

export class DuplicateTracker {
  private locations = new Map<Directive | null, Map<string, Directive>>();
  /** http: listen key → per address state; keyed by the block holding the servers */
  private httpAddrs = new Map<Directive | null, Map<string, { first: Directive; servers: Map<Directive | null, Directive> | null; options: Directive | null; def: Directive | null }>>();
  private streamAddrs = new Map<Directive | null, Map<string, Directive>>();
  private referers = new Map<Directive | null, Map<string, Directive>>();

  constructor(private readonly report: DupReport, private readonly text: string) {}

  location(d: Directive): void {
    let key = textLocationKey(this.text, d);
    if (key === undefined) key = locationKey(d);
    if (key === null) return;
    let level = this.locations.get(d.parent);
    if (!level) { level = new Map(); this.locations.set(d.parent, level); }
    const first = level.get(key);
    if (first) {
      const exact = key.charCodeAt(0) === 0;
      this.report({ start: d.nameWord.start, end: d.args[d.args.length - 1].end }, `duplicate location "${exact ? key.slice(1) : key}": nginx accepts one ${exact ? 'exact (=)' : 'prefix (with or without ^~)'} location per path and level`, first);
    }
    else level.set(key, d);
  }

  httpListen(d: Directive): void {
    // `listen <one plain word>`: no options, no default_server; the arguments need not be read
    const raw = plainArgs(this.text, d, 'listen');
    const one = raw !== null ? raw.trim() : '';
    if (one && !/\s/.test(one)) { this.httpListenKey(d, listenKey(one, 80), false, false); return; }
    if (d.args.length === 0) return;
    let options = false;
    let def = false;
    let quic = false;
    for (let i = 1; i < d.args.length; i++) {
      const v = d.args[i].value;
      if (v === 'default_server' || v === 'default') def = true;
      // a QUIC listen is a UDP socket: nginx (≥ 1.25) keys addresses by socket type too, so
      // `listen 443 ssl;` + `listen 443 quic;` are two sockets (ngx_http_add_listen compares lsopt.type)
      if (v === 'quic') quic = true;
      const eq = v.indexOf('=');
      if (LISTEN_OPTION_PARAMS.has(eq > 0 ? v.slice(0, eq) : v)) options = true;
    }
    this.httpListenKey(d, listenKey(d.args[0].value, 80), options, def, quic);
  }

  private httpListenKey(d: Directive, addr: string | null, options: boolean, def: boolean, quic = false): void {
    if (addr === null) return;
    const key = quic ? `${addr} (quic)` : addr;
    const server = d.parent;
    const group = server ? server.parent : null;
    let addrs = this.httpAddrs.get(group);
    if (!addrs) { addrs = new Map(); this.httpAddrs.set(group, addrs); }
    const st = addrs.get(key);
    if (!st) { addrs.set(key, { servers: null, first: d, options: options ? d : null, def: def ? d : null }); return; }
    const range = { start: d.nameWord.start, end: d.terminatorOffset };
    const same = st.first.parent === server ? st.first : st.servers?.get(server);
    if (same) { this.report(range, `a duplicate listen ${key}: this server already listens there`, same); return; }
    if (!st.servers) { st.servers = new Map(); st.servers.set(st.first.parent, st.first); }
    st.servers.set(server, d);
    if (options) {
      if (st.options) { this.report(range, `duplicate listen options for ${key}: socket options (bind, backlog=, ipv6only=, reuseport, …) may be given on one "listen" of an address only`, st.options); return; }
      st.options = d;
    }
    if (def) {
      if (st.def) { this.report(range, `a duplicate default server for ${key}`, st.def); return; }
      st.def = d;
    }
  }

  /**
   * `virtual`: nginx ≥ 1.25.5 (stream virtual servers): servers may share an address:port, one server
   * may not listen there twice ("a duplicate listen x", ngx_stream_add_addresses); before, any
   * repeat of an address in the stream block is refused (ngx_stream_core_listen).
   */
  streamListen(d: Directive, virtual = false): void {
    const w = d.args[0];
    if (!w) return;
    const key = listenKey(w.value, null);
    if (key === null) return;
    const udp = d.args.some((a, i) => i > 0 && a.value === 'udp');
    if (virtual) {
      let addrs = this.streamAddrs.get(d.parent);
      if (!addrs) { addrs = new Map(); this.streamAddrs.set(d.parent, addrs); }
      const k = (udp ? 'udp ' : 'tcp ') + key;
      const first = addrs.get(k);
      if (first) this.report({ start: d.nameWord.start, end: d.args[d.args.length - 1].end }, `a duplicate listen ${key}: this server already listens there`, first);
      else addrs.set(k, d);
      return;
    }
    const group = d.parent ? d.parent.parent : null;
    let addrs = this.streamAddrs.get(group);
    if (!addrs) { addrs = new Map(); this.streamAddrs.set(group, addrs); }
    const k = (udp ? 'udp ' : 'tcp ') + key;
    const first = addrs.get(k);
    if (first) this.report({ start: d.nameWord.start, end: d.args[d.args.length - 1].end }, `duplicate "${key}" address and port pair`, first);
    else addrs.set(k, d);
  }

  validReferers(d: Directive): void {
    let level = this.referers.get(d.parent);
    for (const w of d.args) {
      const v = w.value;
      if (v === 'none' || v === 'blocked' || v === 'server_names' || v.startsWith('~') || v.length === 0) continue;
      const slash = v.indexOf('/');
      const host = (slash >= 0 ? v.slice(0, slash) : v).toLowerCase();
      if (!host) continue;
      if (!level) { level = new Map(); this.referers.set(d.parent, level); }
      const first = level.get(host);
      if (first) this.report(w, `conflicting parameter "${host}": this level's valid_referers already name it`, first === d ? null : first);
      else level.set(host, d);
    }
  }

  /** `set $x …` (and the other first-argument definers): the built-in names, read from the text */
  firstVariable(d: Directive, name: string): void {
    const from = fastPaths.enabled ? argsFrom(this.text, d, name) : -1;
    if (from >= 0) {
      let i = from;
      while (i < d.terminatorOffset && isSpace(this.text.charCodeAt(i))) i++;
      if (this.text.charCodeAt(i) === 36) { // unquoted $name: only a built-in one needs a look
        FIXED_FIRST.lastIndex = from;
        if (!FIXED_FIRST.test(this.text)) return;
      }
    }
    const w = d.args[0];
    if (w) this.variable(d, w);
  }

  /** `w`: the word naming the variable ($name) that a set/map/geo/… defines */
  variable(d: Directive, w: { value: string; start: number; end: number }): void {
    if (!w.value.startsWith('$')) return;
    const name = w.value.slice(1).toLowerCase();
    if (FIXED_HTTP_VARIABLES.has(name)) this.report(w, `the duplicate "${w.value.slice(1)}" variable: $${name} is built in and cannot be set by "${d.name}"; use another name`, null);
  }
}

/**
 * The behaviour model of the WebSocket rules: what nginx sends upstream from one proxying block for
 * an upgrade request and for a plain request, derived from nginx's sources:
 *
 * - proxy_set_header values are complex values; an empty result means the header is not sent
 *   (ngx_http_proxy_create_request skips empty values). Hop-by-hop headers of the client (Upgrade,
 *   Connection, Keep-Alive, …) are never passed on: they are in ngx_http_proxy_headers with "".
 * - Without a Connection line nginx sends `Connection: close` before 1.29.7, and nothing from 1.29.7
 *   (commit "Proxy: enabled HTTP/1.1 by default for upstream connections" also made the default
 *   proxy_http_version 1.1).
 * - map: exact string keys are matched case-insensitively (ngx_hash_add_key lowercases the keys,
 *   ngx_http_map_find lowercases the value looked up), then the regex keys in order (`~`, `~*`
 *   caseless), then `default` (an empty value when there is none). `''` is an ordinary exact key.
 * - Upstream keepalive: an `upstream {}` keeps idle connections only with `keepalive N` before
 *   1.29.7; from 1.29.7 explicit upstreams keep them by default ("Upstream: enabled keepalive by
 *   default for explicit upstreams"; `keepalive 0` turns it off). A connection is reused only when
 *   the response does not close it, which a request sent with `Connection: close` or over HTTP/1.0
 *   makes the backend do.
 *
 * A backend accepts the handshake when the request carries `Upgrade: websocket` and a Connection
 * header with the `upgrade` token; a strict one (RFC 6455 §4.2.1) also requires HTTP/1.1, a lenient
 * one (Node's http parser, npm `ws`) does not.
 */
import type { Directive } from '../syntax/tree';
import type { ConfigView } from './types';

/** The request headers the model evaluates (the client's Upgrade and Connection). */
export interface ClientRequest {
  upgrade: string;
  connection: string;
}

/** A browser's WebSocket handshake. */
export const UPGRADE_REQUEST: ClientRequest = { upgrade: 'websocket', connection: 'Upgrade' };
/** An ordinary request of a browser. */
export const PLAIN_REQUEST: ClientRequest = { upgrade: '', connection: 'keep-alive' };

/** What nginx sends upstream: a header value, null when not sent, undefined when it cannot be known (variables). */
export type Sent = string | null | undefined;

export interface Request {
  upgrade: Sent;
  connection: Sent;
}

/** The handshake as a backend sees it: accepted by every backend, only by lenient ones, by none, or unknown. */
export type Handshake = 'ok' | 'lenient-only' | 'broken' | 'unknown';

/** nginx version from which explicit upstreams keep idle connections by default */
export const KEEPALIVE_DEFAULT_SINCE = '1.29.7';

/** The `map` blocks of the configuration by the variable they define (without `$`), the first of a name winning. */
export type MapTable = Map<string, Directive>;

const VAR_RE = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;

/**
 * The value of a complex value for a request, or undefined when it depends on something the model
 * does not know (another variable, a regex nginx's PCRE reads differently, too deep a chain of maps).
 */
export function evaluate(view: ConfigView, maps: MapTable, value: string, req: ClientRequest, depth = 0): string | undefined {
  if (!value.includes('$')) return value;
  if (depth > 4) return undefined;
  let unknown = false;
  const out = value.replace(VAR_RE, (_m, braced: string | undefined, plain: string | undefined) => {
    const name = (braced ?? plain ?? '').toLowerCase();
    if (name === 'http_upgrade') return req.upgrade;
    if (name === 'http_connection') return req.connection;
    const map = maps.get(name);
    if (map) {
      const v = evaluateMap(view, maps, map, req, depth + 1);
      if (v !== undefined) return v;
    }
    unknown = true;
    return '';
  });
  return unknown ? undefined : out;
}

/** The value a map gives for a request, as ngx_http_map_find looks it up. */
export function evaluateMap(view: ConfigView, maps: MapTable, map: Directive, req: ClientRequest, depth = 0): string | undefined {
  const src = map.argValue(0);
  if (src === undefined) return undefined;
  const key = evaluate(view, maps, src, req, depth);
  if (key === undefined) return undefined;
  const entry = mapLookup(view, map, key);
  if (entry === undefined) return undefined;
  if (entry === null) return '';
  return evaluate(view, maps, entry.argValue(0) ?? '', req, depth);
}

/** The entry of `map` that a key selects (null: none, not even default), undefined when it cannot be known. */
export function mapLookup(view: ConfigView, map: Directive, key: string): Directive | null | undefined {
  const entries = map.block ? view.expand(map) : [];
  const lower = key.toLowerCase();
  let def: Directive | null = null;
  const regexes: Directive[] = [];
  for (const e of entries) {
    if (e.name === 'hostnames') return undefined; // wildcard matching: not modelled
    if (e.name === 'volatile' || e.name === 'include') continue;
    if (e.argCount < 1) continue;
    const k = e.name;
    if (k === 'default' && !e.nameWord.quote) { def = e; continue; }
    if (k.startsWith('~')) { regexes.push(e); continue; }
    const exact = k.startsWith('\\') ? k.slice(1) : k;
    if (exact.toLowerCase() === lower) return e;
  }
  for (const e of regexes) {
    const caseless = e.name.startsWith('~*');
    const pattern = e.name.slice(caseless ? 2 : 1);
    let re: RegExp;
    try {
      re = new RegExp(pattern, caseless ? 'i' : '');
    } catch {
      return undefined;
    }
    if (re.test(key)) return e;
  }
  return def;
}

/** A header value holds the token (comma-separated, case-insensitive), as RFC 7230 lists read. */
export function hasToken(value: Sent, token: string): boolean {
  if (!value) return false;
  // asked for every proxied location: a scan without allocating the parts
  const n = token.length;
  for (let at = 0; at <= value.length;) {
    let end = value.indexOf(',', at);
    if (end < 0) end = value.length;
    let a = at, b = end;
    while (a < b && (value.charCodeAt(a) === 32 || value.charCodeAt(a) === 9)) a++;
    while (b > a && (value.charCodeAt(b - 1) === 32 || value.charCodeAt(b - 1) === 9)) b--;
    if (b - a === n && value.slice(a, b).toLowerCase() === token) return true;
    at = end + 1;
  }
  return false;
}

/** What the backend makes of the upgrade request nginx sends. */
export function handshakeOf(req: Request, httpVersion: string): Handshake {
  if (req.upgrade === undefined || req.connection === undefined) return 'unknown';
  if (!hasToken(req.upgrade, 'websocket') || !hasToken(req.connection, 'upgrade')) return 'broken';
  return httpVersion === '1.1' ? 'ok' : 'lenient-only';
}

/** A short, readable form of a sent header for messages. */
export function describeSent(name: string, v: Sent): string {
  if (v === undefined) return `${name}: (depends on variables)`;
  if (v === null) return `no ${name} header`;
  return `"${name}: ${v}"`;
}

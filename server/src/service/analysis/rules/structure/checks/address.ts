/**
 * Addresses as ngx_parse_url reads them (src/core/ngx_inet.c): only what is certain without
 * resolving names — the port after `host:` or `[ipv6]:` must be a number 1..65535 ("invalid port").
 * Also the key nginx compares listening sockets by (for duplicate `listen`).
 */
import { atoi } from './types';

/** starts with "unix:" (any case), without allocating */
function isUnix(s: string): boolean {
  return s.length >= 5 && s.charCodeAt(4) === 58 && (s.charCodeAt(0) | 32) === 117 && (s.charCodeAt(1) | 32) === 110
    && (s.charCodeAt(2) | 32) === 105 && (s.charCodeAt(3) | 32) === 120;
}

function portOk(text: string, listen: boolean): boolean {
  if (listen) {
    const dash = text.indexOf('-');
    if (dash >= 0) {
      const a = atoi(text.slice(0, dash));
      const b = atoi(text.slice(dash + 1));
      return a >= 1 && a <= 65535 && b >= 1 && b <= 65535 && a <= b;
    }
  }
  const n = atoi(text);
  return n >= 1 && n <= 65535;
}

/**
 * nginx's error for the port part of an address, or null. `uriPart`: a `/uri` may follow (proxy_pass).
 * Host names, IPv6 literals and unix sockets are not checked beyond the port.
 */
export function addressPortProblem(url: string, opts: { listen?: boolean; uriPart?: boolean } = {}): string | null {
  if (isUnix(url)) return null;
  if (url.charCodeAt(0) === 91) {
    const close = url.indexOf(']');
    if (close < 0) return 'invalid host';
    let last = url.length;
    if (opts.uriPart) {
      const slash = url.indexOf('/', close);
      if (slash >= 0) last = slash;
    }
    if (close + 1 >= last) return null;
    if (url[close + 1] !== ':') return 'invalid host';
    return portOk(url.slice(close + 2, last), !!opts.listen) ? null : 'invalid port';
  }
  const port = url.indexOf(':');
  if (port < 0) return null;
  let last = url.length;
  if (opts.uriPart) {
    const slash = url.indexOf('/');
    const q = url.indexOf('?');
    let uri = slash;
    if (q >= 0 && (uri < 0 || q < uri)) uri = q;
    if (uri >= 0) {
      if (uri < port) return null;
      last = uri;
    }
  }
  return portOk(url.slice(port + 1, last), !!opts.listen) ? null : 'invalid port';
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A dotted IPv4 address as ngx_inet_addr accepts it, normalised; null when it is not one. */
export function ipv4(s: string): string | null {
  const m = IPV4.exec(s);
  if (!m) return null;
  const parts = [m[1], m[2], m[3], m[4]].map(Number);
  if (parts.some((x) => x > 255)) return null;
  return parts.join('.');
}

/**
 * The socket a `listen` address names, as a comparable key (`0.0.0.0:80`, `[::]:443`,
 * `unix:/path`), or null when it depends on name resolution or is unusual (then never compared).
 * `defaultPort`: 80 for http, null where a port is required.
 */
export function listenKey(addr: string, defaultPort: number | null): string | null {
  if (isUnix(addr)) return `unix:${addr.slice(5)}`;
  let host: string;
  let port: string | null;
  const v6 = addr.charCodeAt(0) === 91 ? /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(addr) : null;
  if (v6) {
    const h = v6[1].toLowerCase();
    host = `[${h === '::' || h === '0:0:0:0:0:0:0:0' ? '::' : h}]`;
    port = v6[2] ?? null;
  } else {
    const c = addr.lastIndexOf(':');
    if (c < 0) {
      if (atoi(addr) >= 0) { host = '0.0.0.0'; port = addr; }
      else if (addr === '*') { host = '0.0.0.0'; port = null; }
      else { const ip = ipv4(addr); if (!ip) return null; host = ip; port = null; }
    } else {
      const h = addr.slice(0, c);
      port = addr.slice(c + 1);
      if (atoi(port) < 0) return null;
      if (h === '*') host = '0.0.0.0';
      else { const ip = ipv4(h); if (!ip) return null; host = ip; }
    }
  }
  if (port === null) { if (defaultPort === null) return null; port = String(defaultPort); }
  const n = Number(port);
  if (n < 1 || n > 65535) return null;
  return `${host}:${n}`;
}

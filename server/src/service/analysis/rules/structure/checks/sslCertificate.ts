/**
 * `listen … ssl` needs a certificate in the default server of that address (ngx_http_ssl_init:
 * "no "ssl_certificate" is defined for the "listen ... ssl" directive"); with
 * `ssl_reject_handshake on` there, every server of the address needs one or the same option.
 * Checked only when the whole configuration is in view (see wholeConfig.ts): the certificate may
 * come from the http level or an include.
 */
import type { Directive } from '../../../../syntax/tree';
import { listenKey } from './address';
import type { Report } from './types';

export interface SslFacts {
  /** http `listen` directives, in order */
  listens: Directive[];
  /** levels (server or http blocks) holding `ssl_certificate` */
  certs: Set<Directive | null>;
  /** levels holding `ssl_reject_handshake on` */
  rejects: Set<Directive | null>;
}

interface Addr { ssl: boolean; servers: Directive[]; def: Directive | null; sslListen: Map<Directive, Directive> }

export function checkSslCertificates(f: SslFacts, report: Report): void {
  // cheap exit: no `listen … ssl` at all
  let any = false;
  for (const l of f.listens) {
    // (argument values only: most listens have one argument, and no word list is kept)
    const n = l.argCount;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) if (l.argValue(i) === 'ssl') { any = true; break; }
    if (any) break;
  }
  if (!any) return;
  const cert = (s: Directive) => f.certs.has(s) || f.certs.has(s.parent);
  const reject = (s: Directive) => f.rejects.has(s) || f.rejects.has(s.parent);
  const byHttp = new Map<Directive | null, Map<string, Addr>>();
  for (const l of f.listens) {
    const server = l.parent;
    if (!server || server.name !== 'server') continue;
    const key = listenKey(l.args[0].value, 80);
    if (key === null) continue;
    let addrs = byHttp.get(server.parent);
    if (!addrs) { addrs = new Map(); byHttp.set(server.parent, addrs); }
    let a = addrs.get(key);
    if (!a) { a = { ssl: false, servers: [], def: null, sslListen: new Map() }; addrs.set(key, a); }
    if (a.servers[a.servers.length - 1] !== server && !a.servers.includes(server)) a.servers.push(server);
    for (let i = 1; i < l.args.length; i++) {
      const v = l.args[i].value;
      if (v === 'ssl') { a.ssl = true; if (!a.sslListen.has(server)) a.sslListen.set(server, l); }
      else if ((v === 'default_server' || v === 'default') && !a.def) a.def = server;
    }
  }
  const reported = new Set<Directive>();
  const flag = (server: Directive, a: Addr) => {
    if (reported.has(server)) return;
    reported.add(server);
    const at = a.sslListen.get(server) ?? server;
    report({ start: at.nameWord.start, end: at.end }, 'no "ssl_certificate" is defined for the "listen ... ssl" directive: add ssl_certificate and ssl_certificate_key to this server (or to http)');
  };
  for (const addrs of byHttp.values()) {
    for (const a of addrs.values()) {
      if (!a.ssl) continue;
      const def = a.def ?? a.servers[0];
      if (!def || cert(def)) continue;
      if (!reject(def)) { flag(def, a); continue; }
      for (const s of a.servers) if (!cert(s) && !reject(s)) flag(s, a);
    }
  }
}

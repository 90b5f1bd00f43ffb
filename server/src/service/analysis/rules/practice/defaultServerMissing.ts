/**
 * default-server-missing: several servers of one http block listen on the same address and port
 * and none of them is marked `default_server`. nginx then answers every request whose Host matches
 * no server_name — a bare IP, a scanner, a stale DNS name — with the first of them in
 * configuration order (ngx_http_add_addresses: the first server of an address is its default), so
 * which site answers depends on the order includes are read in. Reported once per address, at the
 * first server's `listen` (the one that answers). Fix: add `default_server` to that listen, which
 * states what nginx does today and keeps it when files are reordered.
 *
 * Only http blocks the view can see whole are checked: the analysed file's own `http {`, or the
 * `http {` a site file is included into (when the workspace knows the includer). A lone site file is not checked (another site file,
 * such as Debian's sites-enabled/default, usually holds the default server), nor an http body with
 * an include that did not resolve.
 */
import { onlyNamed } from '../../incremental';
import type { Directive } from '../../../syntax/tree';
import { directivesNamed } from '../../effective';
import type { ConfigView, Rule } from '../../types';
import { hasUnresolvedInclude, httpBlocks } from './common';

/** `listen` address:port as nginx groups them: `80` = `*:80` = `0.0.0.0:80`; null for unix sockets or variables. */
export function listenAddress(listen: Directive): string | null {
  const a = listen.argValue(0);
  if (!a || a.includes('$') || a.startsWith('unix:')) return null;
  let host: string;
  let port: string;
  if (/^\d+$/.test(a)) { host = '*'; port = a; }
  else if (a.startsWith('[')) {
    const close = a.indexOf(']');
    if (close < 0) return null;
    host = a.slice(0, close + 1);
    const rest = a.slice(close + 1);
    port = rest.startsWith(':') ? rest.slice(1) : '80';
  } else {
    const colon = a.lastIndexOf(':');
    host = colon < 0 ? a : a.slice(0, colon);
    port = colon < 0 ? '80' : a.slice(colon + 1);
  }
  if (!/^\d+$/.test(port)) return null;
  if (host === '0.0.0.0') host = '*';
  return `${host.toLowerCase()}:${Number(port)}`;
}

function isDefault(listen: Directive): boolean {
  for (let i = 1; i < listen.argCount; i++) {
    const v = listen.argValue(i);
    if (v === 'default_server' || v === 'default') return true;
  }
  return false;
}

/** The http block bodies the view sees whole, with the directive that opens each (null: the file's top level). */
function httpBodies(view: ConfigView): { owner: Directive | null; body: Directive[] }[] {
  const out = httpBlocks(view).map((h) => ({ owner: h as Directive | null, body: view.expand(h) }));
  const top = view.topScope();
  const first = top.directives[0];
  if (!out.length && top.context === 'http' && first) {
    // a site file included into a real `http {`: that block's body holds every site (includes expanded)
    const http = view.scopes(first).find((s) => s.context === 'http' && s.owner && s.owner.name === 'http');
    if (http?.owner) out.push({ owner: http.owner, body: http.directives });
  }
  return out;
}

interface Group { servers: Directive[]; first: Directive | null; marked: boolean }

/**
 * The servers of an http body grouped by listen address, memoized per http block: every site file
 * of a configuration asks the same question about the same body, and answering it afresh for each
 * made checking 10,000 included site files quadratic (4 ms per file at 2,000 sites, 200 s in all at
 * 10,000). The memo holds while the body is the same list of directives; a server whose block has
 * an `include` may change without its directive changing, so a body with one is never memoized.
 */
const memo = new WeakMap<object, { body: readonly Directive[]; groups: [string, Group][] }>();

function sameList(a: readonly Directive[], b: readonly Directive[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface ServerAddress { addr: string; listen: Directive | null; isDefault: boolean }

/**
 * A server's listen addresses, kept per server directive: an edit of one site file re-groups the
 * 10,000 servers of an http block, and each one's listens were expanded and parsed again. Not kept
 * for a server with an include (what it includes may change while the directive stays). Null when
 * an include of the server did not resolve.
 */
const addressCache = new WeakMap<Directive, ServerAddress[] | null>();
function serverAddresses(view: ConfigView, server: Directive): { addrs: ServerAddress[] | null; withInclude: boolean } {
  const known = addressCache.get(server);
  if (known !== undefined) return { addrs: known, withInclude: false };
  const withInclude = server.block!.children.some((c) => c.kind === 'directive' && c.name === 'include');
  const own = view.expand(server);
  let addrs: ServerAddress[] | null = null;
  if (!hasUnresolvedInclude(own)) {
    const listens = directivesNamed(own, 'listen');
    // a server without listen listens on *:80 (or *:8000 without root privileges)
    addrs = listens.length
      ? listens.map((l) => ({ addr: listenAddress(l) ?? '', listen: l, isDefault: isDefault(l) })).filter((a) => a.addr)
      : [{ addr: '*:80', listen: null, isDefault: false }];
  }
  if (!withInclude) addressCache.set(server, addrs);
  return { addrs, withInclude };
}

/** The addresses with two or more servers and no default_server, in configuration order. */
function listenGroups(view: ConfigView, key: object, body: readonly Directive[]): [string, Group][] {
  const hit = memo.get(key);
  if (hit && sameList(hit.body, body)) return hit.groups;
  // address → the servers listening on it, in configuration order, and whether one is the default
  const groups = new Map<string, Group>();
  let volatile = false;
  // `first`: the listen of the first server (null when that server has none)
  for (const server of body) {
    if (server.name !== 'server' || !server.block || server.isEntry) continue;
    const { addrs, withInclude } = serverAddresses(view, server);
    if (withInclude) volatile = true;
    if (!addrs) continue;
    for (const { addr, listen: l, isDefault: marked } of addrs) {
      let g = groups.get(addr);
      if (!g) groups.set(addr, (g = { servers: [], first: l, marked: false }));
      // servers come one at a time: one already added is the last (`includes` made 10,000 servers on
      // one address quadratic)
      if (g.servers[g.servers.length - 1] !== server) g.servers.push(server);
      if (marked) g.marked = true;
    }
  }
  const unmarked = [...groups].filter(([, g]) => !g.marked && g.servers.length >= 2);
  if (volatile) memo.delete(key);
  else memo.set(key, { body: body.slice(), groups: unmarked });
  return unmarked;
}

/**
 * A short key for a server list: its length and ends (a list of 10,000 servers was joined into one
 * string per group per check). Equal lists have equal keys; the caller compares the lists when two
 * keys are equal.
 */
const listKeys = new WeakMap<Directive[], string>();
function serversKey(view: ConfigView, servers: Directive[]): string {
  const cached = listKeys.get(servers);
  if (cached) return cached;
  const key = servers.length <= 2 ? fullServersKey(view, servers) : `${servers.length} ${serverKey(view, servers[0])} ${serverKey(view, servers[servers.length - 1])}`;
  listKeys.set(servers, key);
  return key;
}
/** the key of a server list that names every server (where two short keys meet) */
function fullServersKey(view: ConfigView, servers: Directive[]): string {
  return servers.map((s) => serverKey(view, s)).join(' ');
}
function serverKey(view: ConfigView, s: Directive): string {
  return `${view.sourceOf(s)?.uri}:${s.start}`;
}

export const defaultServerMissing: Rule = {
  code: 'default-server-missing',
  family: 'practice',
  reach: onlyNamed('listen', 'server_name'),
  defaultSeverity: 'information',
  description: 'Several servers share a listen address and none is default_server: the first answers unknown Host names',
  fixAll: true,
  check(ctx) {
    const { view, source } = ctx;
    for (const { owner, body } of httpBodies(view)) {
      if (hasUnresolvedInclude(body)) continue;
      const groups = listenGroups(view, owner ?? view.source, body);
      // addresses whose servers are the same list (`listen 80; listen [::]:80;` in each) are one finding
      const findings = new Map<string, { addrs: string[]; servers: Directive[]; listens: Directive[] }>();
      for (const [addr, g] of groups) {
        let key = serversKey(view, g.servers);
        // the short key matched another list: the whole list decides
        if (findings.has(key) && !sameList(findings.get(key)!.servers, g.servers)) key = fullServersKey(view, g.servers);
        let f = findings.get(key);
        if (!f) findings.set(key, (f = { addrs: [], servers: g.servers, listens: [] }));
        f.addrs.push(addr);
        if (g.first) f.listens.push(g.first);
      }
      for (const { addrs, servers, listens } of findings.values()) {
        const server = servers[0];
        const listen = listens[0] ?? null;
        if (view.sourceOf(listen ?? server) !== source) continue;
        const message = `${servers.length} servers listen on ${addrs.join(' and ')} and none is default_server: requests for unknown Host names go to the first one. Mark the intended one default_server.`;
        const related = servers.slice(1).map((s) => ({ source: view.sourceOf(s) ?? source, start: s.start, end: s.nameWord.end, message: 'another server on the same address' }));
        if (!listen) {
          // the first server listens on *:80 implicitly (no listen to mark)
          ctx.report({ message, start: server.nameWord.start, end: server.nameWord.end, related });
          continue;
        }
        const marks = listens.filter((l) => view.sourceOf(l) === source).map((l) => l.arg(0)!);
        ctx.report({
          message,
          start: listen.start,
          end: listen.arg(0)!.end,
          related,
          fixes: () => [{
            title: `Mark this server default_server (what nginx does now)`,
            isPreferred: true,
            edits: marks.map((w) => ({ source, start: w.end, end: w.end, newText: ' default_server' })),
          }],
        });
      }
    }
  },
};

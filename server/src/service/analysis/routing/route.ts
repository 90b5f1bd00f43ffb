/**
 * The route of one request through an http level: the server, the location, and what the
 * rewrite module and the content phase do next (return, rewrite … last/break/redirect/permanent,
 * try_files, index, error_page, the handler), as far as it can be known without the file system.
 * Steps point at directives; features/route.ts turns them into ranges.
 */
import type { Directive } from '../../syntax/tree';
import { execPcre, translatePcre } from './pcre';
import { findAddr, findLocation, httpModel, locLevel, selectServer, type Expand, type HttpModel, type LocationInfo, type ServerInfo } from './model';
import { parseTarget, showBytes, validateHost } from './uri';

export interface RouteRequest {
  url: string;
  host?: string;
  method?: string;
  clientAddress?: string;
  /** "ip:port" the request arrives on; default: the first listen of the first server */
  serverAddress?: string;
  nginxVersion?: string;
}

export type StepKind = 'server' | 'location' | 'return' | 'rewrite' | 'try_files' | 'index' | 'error_page' | 'redirect' | 'handler' | 'note';

export interface Step {
  kind: StepKind;
  label: string;
  detail?: string;
  directive: Directive;
}

export interface Route {
  server: Step | null;
  location: Step | null;
  chain: Step[];
  normalizedUri: string;
  notes: string[];
  /** what nginx answers, when it is known: a status (and for redirects the Location) */
  status?: number;
  /** the server and location objects (for the rules and the oracle test) */
  serverInfo?: ServerInfo;
  locationInfo?: LocationInfo;
}

const HANDLERS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'root', 'alias', 'stub_status', 'empty_gif', 'content_by_lua_block', 'content_by_lua', 'content_by_lua_file', 'js_content', 'perl', 'mp4', 'flv', 'autoindex', 'dav_methods', 'uwsgi_pass']);
/** internal redirects and rewrite cycles nginx allows (NGX_HTTP_MAX_URI_CHANGES) */
const MAX_URI_CHANGES = 10;

export function locationLabel(l: LocationInfo): string {
  const d = l.directive;
  const args: string[] = [];
  for (let i = 0; i < d.argCount; i++) args.push(d.arg(i)!.raw);
  return `location ${args.join(' ')}`;
}

function directiveLabel(d: Directive, max = 80): string {
  const args: string[] = [];
  for (let i = 0; i < d.argCount; i++) args.push(d.arg(i)!.raw);
  const s = `${d.name} ${args.join(' ')}`.trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function serverLabel(s: ServerInfo): string {
  const names = s.names.filter((n) => n.arg >= 0).map((n) => n.text);
  return names.length ? `server ${names.slice(0, 3).join(' ')}${names.length > 3 ? ' …' : ''}` : 'server';
}

/** Routes a request through the servers of an http level (its expanded directives). */
export function route(directives: readonly Directive[], expand: Expand, req: RouteRequest, version?: () => string | undefined): Route {
  const m = httpModel(directives, expand);
  return routeIn(m, expand, req, version);
}

/** `version`: the nginx version when the request does not say (asked only when it matters) */
export function routeIn(m: HttpModel, expand: Expand, req: RouteRequest, version?: () => string | undefined): Route {
  const nginxVersion = req.nginxVersion ? req.nginxVersion : version;
  const notes: string[] = [];
  const chain: Step[] = [];
  const out: Route = { server: null, location: null, chain, normalizedUri: '', notes };
  if (!m.servers.length) {
    notes.push('no server blocks in this configuration');
    return out;
  }
  const address = req.serverAddress?.trim() || m.servers[0].listens[0].addr;
  const addr = findAddr(m, address);
  if (!addr) {
    notes.push(`no server listens on ${address}`);
    return out;
  }
  if (m.servers[0].implicitListen && !req.serverAddress) notes.push('the first server has no listen: nginx listens on *:80 (as root; *:8000 otherwise)');
  // the URI is parsed before the Host is known, with the address's default server's merge_slashes
  const target = parseTarget(req.url, mergeSlashes(addr.defaultServer), nginxVersion);
  let host: string | null = null;
  let hostBad = false;
  // the Host header is validated even when an absolute request target names the host, which
  // then wins (ngx_http_process_host)
  if (req.host !== undefined) {
    const h = validateHost(req.host, nginxVersion);
    if (h === null) hostBad = true;
    else host = h;
  }
  if (target.host !== undefined) {
    if (target.host === null) hostBad = true;
    else host = target.host;
  }
  if (target.uri === null || hostBad) {
    const s = addr.defaultServer;
    out.server = { kind: 'server', label: serverLabel(s), detail: `400 Bad Request (${hostBad ? 'invalid Host' : target.error}): answered by ${addr.explicitDefault ? 'the default_server' : 'the first server'} of ${addr.addr}`, directive: s.directive };
    out.serverInfo = s;
    out.status = 400;
    notes.push(hostBad ? `nginx rejects the host "${req.host ?? req.url}" with 400 Bad Request` : `nginx rejects the URI with 400 Bad Request: ${target.error}`);
    return out;
  }
  const choice = selectServer(addr, host);
  const server = choice.server;
  out.serverInfo = server;
  out.server = { kind: 'server', label: serverLabel(server), detail: choice.why, directive: choice.name && choice.name.arg >= 0 ? server.directive : server.directive };
  let uri = target.uri;
  let args = target.args;
  out.normalizedUri = showBytes(uri);
  const ctx: Vars = { host: host ?? '', args, requestUri: req.url, scheme: /^https:/i.test(req.url) ? 'https' : 'http', method: (req.method ?? 'GET').toUpperCase(), changesLeft: MAX_URI_CHANGES + 1 };

  // server rewrite phase: the rewrite module's directives at server level, in order
  const srv = runRewrites(server.body, uri, args, ctx, chain, notes, true);
  if (srv.final) { out.status = srv.status; return finish(out); }
  uri = srv.uri;
  args = srv.args;

  for (;;) {
    const found = findLocation(server.body, uri, expand);
    notes.push(...found.notes);
    if (!found.location) {
      chain.push({ kind: 'note', label: `no location matches "${showBytes(uri)}"`, detail: 'the server level itself handles it (its root, index, or 404)', directive: server.directive });
      out.normalizedUri ||= showBytes(uri);
      return finish(out);
    }
    const loc = found.location;
    const step: Step = { kind: 'location', label: locationLabel(loc), detail: found.why + (found.path.length ? ` (inside ${found.path.map(locationLabel).join(' → ')})` : ''), directive: loc.directive };
    if (!out.location) { out.location = step; out.locationInfo = loc; }
    else chain.push(step);
    if (found.outcome === 'redirect') {
      chain.push({ kind: 'redirect', label: `301 ${showBytes(uri)}/${args ? '?' + args : ''}`, detail: 'automatic redirect: the location ends with "/" and passes requests to a backend', directive: loc.directive });
      out.status = 301;
      return finish(out);
    }
    const next = runLocation(loc, uri, args, ctx, chain, notes, server, expand);
    if (next.kind === 'final') { out.status = next.status; return finish(out); }
    uri = next.uri;
    args = next.args;
    if (!change(ctx)) {
      chain.push({ kind: 'note', label: 'rewrite or internal redirection cycle', detail: `more than ${MAX_URI_CHANGES} URI changes: nginx answers 500`, directive: loc.directive });
      out.status = 500;
      return finish(out);
    }
  }
}

/** One URI change (rewrite … last, an internal redirect): false when nginx gives up with 500 (r->uri_changes reaches 0). */
function change(ctx: Vars): boolean {
  return --ctx.changesLeft > 0;
}

function finish(r: Route): Route {
  return r;
}

function mergeSlashes(s: ServerInfo): boolean {
  for (const d of s.body) if (d.name === 'merge_slashes') return d.argValue(0) !== 'off';
  // http-level merge_slashes is inherited: look at the server's siblings' parent level
  for (let p = s.directive.parent; p; p = p.parent) {
    if (p.block) for (const c of p.block.children) if (c.kind === 'directive' && c.name === 'merge_slashes') return c.argValue(0) !== 'off';
  }
  return true;
}

interface Vars { host: string; args: string; requestUri: string; scheme: string; method: string; changesLeft: number }

type Next = { kind: 'final'; status?: number } | { kind: 'restart'; uri: string; args: string };

/**
 * One location: its rewrite-module directives (return, rewrite, if, set), then what produces the
 * content. `last` and internal redirects restart the location search (returned as 'restart').
 */
function runLocation(loc: LocationInfo, uri: string, args: string, ctx: Vars, chain: Step[], notes: string[], server: ServerInfo, expand: Expand): Next {
  const r = runRewrites(loc.body, uri, args, ctx, chain, notes, false);
  if (r.final) return { kind: 'final', status: r.status };
  if (r.restart) return { kind: 'restart', uri: r.uri, args: r.args };
  uri = r.uri;
  args = r.args;
  const internal = loc.body.find((d) => d.name === 'internal');
  if (internal && loc.mod !== '@') {
    chain.push({ kind: 'note', label: 'internal', detail: 'an external request to an internal location gets 404', directive: internal });
  }
  const errorPages = collectErrorPages(loc, server);
  for (const e of errorPages) chain.push({ kind: 'error_page', label: directiveLabel(e), detail: 'used when the response has one of these statuses', directive: e });
  const tf = loc.body.find((d) => d.name === 'try_files');
  if (tf && tf.argCount >= 2) {
    const last = tf.argValue(tf.argCount - 1)!;
    chain.push({ kind: 'try_files', label: directiveLabel(tf), detail: `checks the files in order (the file system is not known here); when none exists: ${last}`, directive: tf });
    notes.push('try_files depends on the file system: the route shows its fallback');
    if (/^=\d{3}$/.test(last)) return { kind: 'final', status: Number(last.slice(1)) };
    if (last.startsWith('@')) {
      const named = locLevel(server.body, expand).named.get(last);
      if (!named) { notes.push(`named location ${last} is not defined in this server`); return { kind: 'final' }; }
      if (!change(ctx)) { chain.push({ kind: 'note', label: 'rewrite or internal redirection cycle', detail: 'nginx answers 500', directive: tf }); return { kind: 'final', status: 500 }; }
      chain.push({ kind: 'location', label: locationLabel(named), detail: `try_files fallback ${last}`, directive: named.directive });
      const n = runLocation(named, uri, args, ctx, chain, notes, server, expand);
      return n;
    }
    const target = substitute(last, ctx, uri, args, []);
    if (target === null) { notes.push(`the fallback "${last}" uses variables not known here`); return { kind: 'final' }; }
    const q = target.indexOf('?');
    return { kind: 'restart', uri: q < 0 ? target : target.slice(0, q), args: q < 0 ? args : target.slice(q + 1) };
  }
  const handler = loc.body.find((d) => HANDLERS.has(d.name) && d.name !== 'root' && d.name !== 'alias');
  if (handler) { chain.push({ kind: 'handler', label: directiveLabel(handler), directive: handler }); return { kind: 'final' }; }
  const index = loc.body.find((d) => d.name === 'index');
  if (uri.endsWith('/')) {
    chain.push({ kind: 'index', label: index ? directiveLabel(index) : 'index index.html', detail: 'a URI ending in "/": the index module looks for the index files (internal redirect when found)', directive: index ?? loc.directive });
  }
  const files = loc.body.find((d) => d.name === 'root' || d.name === 'alias');
  chain.push({ kind: 'handler', label: files ? `static files (${directiveLabel(files)})` : 'static files (the inherited root)', directive: files ?? loc.directive });
  return { kind: 'final' };
}

function collectErrorPages(loc: LocationInfo, server: ServerInfo): Directive[] {
  const own = loc.body.filter((d) => d.name === 'error_page');
  if (own.length) return own;
  return server.body.filter((d) => d.name === 'error_page');
}

interface RewriteResult { final: boolean; status?: number; restart?: boolean; uri: string; args: string }

/** The rewrite module's directives of one level in order (ngx_http_rewrite_handler). */
function runRewrites(body: readonly Directive[], uri: string, args: string, ctx: Vars, chain: Step[], notes: string[], serverLevel: boolean): RewriteResult {
  for (const d of body) {
    if (d.name === 'return') {
      const a0 = d.argValue(0) ?? '';
      let status: number | undefined = /^\d{3}$/.test(a0) ? Number(a0) : 302;
      if (d.argCount === 0) status = undefined;
      chain.push({ kind: status && status >= 300 && status < 400 ? 'redirect' : 'return', label: directiveLabel(d), detail: serverLevel ? 'at server level: before any location is chosen' : undefined, directive: d });
      return { final: true, status, uri, args };
    }
    if (d.name === 'if') {
      chain.push({ kind: 'note', label: directiveLabel(d), detail: 'the condition is not evaluated here: the route assumes it is false', directive: d });
      notes.push(`"if" conditions are not evaluated (line of ${directiveLabel(d, 40)})`);
      continue;
    }
    if (d.name !== 'rewrite' || d.argCount < 2) continue;
    const pattern = d.argValue(0)!;
    const t = translatePcre(pattern, false);
    if (!t.ok) {
      notes.push(`rewrite "${pattern}" could not be applied: ${t.reason}`);
      chain.push({ kind: 'note', label: directiveLabel(d), detail: `regex not translated: ${t.reason}; the route continues as if it did not match`, directive: d });
      continue;
    }
    const m = execPcre(t, uri);
    if (!m) continue;
    const flag = d.argValue(2) ?? '';
    const replacement = d.argValue(1)!;
    // the arguments start at the replacement's own first "?", never at a "?" a capture brings in
    const qmark = replacement.indexOf('?');
    const uriPart = substitute(qmark < 0 ? replacement : replacement.slice(0, qmark), ctx, uri, args, m);
    const argsPart = qmark < 0 ? '' : substitute(replacement.slice(qmark + 1), ctx, uri, args, m);
    const result = uriPart === null || argsPart === null ? null : qmark < 0 ? uriPart : `${uriPart}?${argsPart}`;
    if (result === null || uriPart === null || argsPart === null) {
      chain.push({ kind: 'rewrite', label: directiveLabel(d), detail: 'matches; the replacement uses variables not known here', directive: d });
      notes.push(`the rewrite "${replacement}" uses variables not known here: the route stops`);
      return { final: true, uri, args };
    }
    const redirect = /^(https?:\/\/|\$scheme)/.test(replacement) || flag === 'redirect' || flag === 'permanent';
    if (redirect) {
      const status = flag === 'permanent' ? 301 : 302;
      chain.push({ kind: 'redirect', label: directiveLabel(d), detail: `${status} to ${result}`, directive: d });
      return { final: true, status, uri, args };
    }
    const nuri = uriPart;
    // a replacement ending in "?" drops the original arguments; otherwise they are appended
    const nargs = qmark < 0 ? args : replacement.endsWith('?') ? argsPart.replace(/\?$/, '') : argsPart + (args ? (argsPart ? '&' : '') + args : '');
    chain.push({ kind: 'rewrite', label: directiveLabel(d), detail: `"${showBytes(uri)}" → "${showBytes(nuri)}"${flag ? ` (${flag})` : ''}`, directive: d });
    uri = nuri;
    args = nargs;
    if (flag === 'last') return serverLevel ? { final: false, uri, args } : { final: false, restart: true, uri, args };
    if (flag === 'break') return { final: false, uri, args };
  }
  return { final: false, uri, args };
}

/** A directive value with $1…$9 and a few request variables; null when it uses another variable. */
function substitute(value: string, ctx: Vars, uri: string, args: string, caps: string[]): string | null {
  let unknown = false;
  const out = value.replace(/\$(\d|\{(\w+)\}|(\w+))/g, (all, digit: string, braced?: string, plain?: string) => {
    if (/^\d$/.test(digit)) return caps[Number(digit)] ?? '';
    const name = braced ?? plain ?? '';
    switch (name) {
      case 'uri': case 'document_uri': return uri;
      case 'args': case 'query_string': return args;
      case 'is_args': return args ? '?' : '';
      case 'host': return ctx.host;
      case 'scheme': return ctx.scheme;
      case 'request_uri': return ctx.requestUri;
      case 'request_method': return ctx.method;
    }
    unknown = true;
    return all;
  });
  return unknown ? null : out;
}

/**
 * What the practice rules share: a walk over the analysed file's directives, the `http` blocks the
 * file holds, stock includes, and whether a level is behind access control (a deliberate directory
 * listing behind `auth_basic` is no finding). Rules do not import another family's files: what the
 * security rules also use comes from analysis/security.ts.
 */
import type { Directive, Statement } from '../../../syntax/tree';
import { accessControl } from '../../security';
import type { ConfigView, Scope } from '../../types';

/** Calls `fn` for every directive of the file (entries of map/geo/types bodies excluded), outermost first. */
export function eachDirective(list: Statement[], fn: (d: Directive) => void): void {
  for (const s of list) {
    if (s.kind !== 'directive' || s.isEntry) continue;
    fn(s);
    if (s.block && s.block.body === 'directives') eachDirective(s.block.children, fn);
  }
}

/** The `http { }` blocks written in the analysed file. */
export function httpBlocks(view: ConfigView): Directive[] {
  const out: Directive[] = [];
  for (const s of view.source.file.children) {
    if (s.kind === 'directive' && !s.isEntry && s.name === 'http' && s.block && s.block.body === 'directives') out.push(s);
  }
  return out;
}

/** Files nginx ships that hold types, parameters or charset tables, never a server or a setting. */
const STOCK = /(^|\/)(mime\.types|fastcgi_params|fastcgi\.conf|proxy_params|uwsgi_params|scgi_params|koi-utf|koi-win|win-utf)$/;

/**
 * An `include` left in an expanded body did not resolve: the body may hold more than we see. The
 * stock files (mime.types, fastcgi_params, …) do not count: every nginx.conf includes some, and
 * what they hold is known.
 */
export function hasUnresolvedInclude(list: Directive[]): boolean {
  for (const d of list) if (d.name === 'include' && !d.isEntry && !STOCK.test(d.argValue(0) ?? '')) return true;
  return false;
}

/**
 * The level is reachable only by some clients: an allow/deny list with a `deny`, auth_basic /
 * auth_request / auth_jwt in effect, or `internal` (analysis/security.ts, shared with the
 * security rules).
 */
export function isAccessControlled(view: ConfigView, chain: Scope[]): boolean {
  const a = accessControl(view, chain);
  return a.denies || !!a.auth || !!a.internal;
}

/** Every `listen` of a server body takes only loopback or unix-socket connections (false without listen: *:80). */
export function listensLocallyOnly(serverBody: Directive[]): boolean {
  const listens = serverBody.filter((d) => d.name === 'listen' && !d.isEntry);
  return listens.length > 0 && listens.every((l) => /^(unix:|127\.|\[::1\]|localhost(:|$))/.test(l.argValue(0) ?? ''));
}

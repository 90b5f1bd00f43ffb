/**
 * How an `include` argument becomes files, the way nginx does it (ngx_conf_include):
 * - a relative path is resolved against the configuration prefix, i.e. the folder of the main file
 *   (`nginx -c /etc/nginx/nginx.conf` → `/etc/nginx`), NOT against the including file's folder;
 * - it is a glob when it contains `*`, `?` or `[`; a glob that matches nothing is fine for nginx;
 * - an absolute path (`/etc/nginx/conf.d/*.conf`) is mapped onto the workspace: `nginx.pathMap`
 *   first, then well-known prefixes (`/etc/nginx`, `/usr/local/nginx/conf`, …) onto the prefix of a
 *   main file, then a prefix whose next segment exists in the configuration prefix, then a workspace
 *   folder laid out like the root file system (`<folder>/etc/nginx/...`), then the path itself.
 * Docker images render `/etc/nginx/templates/*.template` into `/etc/nginx/conf.d/`; a `conf.d` glob
 * therefore also matches the templates of a sibling `templates/` folder.
 */
import type { Directive, ParsedFile } from '../syntax/tree';
import { includesOf } from '../syntax/query';
import type { FileSystem } from './fileSystem';
import { byteOrder, expandGlobBounded, globProblem, hasGlob, matchSegment, type DirCache } from './glob';
import { basename, dirname, isAbsolute, isInside, join, normalize, relative } from '../paths';

export type { IncludeStatus, Resolution } from '../model/config';
import type { Resolution } from '../model/config';

/** Prefixes where distributions keep nginx's configuration. */
export const KNOWN_PREFIXES = [
  '/etc/nginx', '/usr/local/nginx/conf', '/usr/local/etc/nginx', '/opt/nginx/conf', '/etc/openresty',
  '/usr/local/openresty/nginx/conf', '/opt/homebrew/etc/nginx', '/usr/local/openresty/nginx/conf',
  '/etc/angie', '/usr/local/angie/conf',
];

/** Files nginx packages install next to nginx.conf; a workspace copy of a tree often leaves them out. */
const STOCK = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf',
  'proxy_params', 'snippets/fastcgi-php.conf', 'snippets/snakeoil.conf', 'modules-enabled', 'naxsi_core.rules',
]);

export function isStockInclude(rel: string): boolean {
  const r = rel.replace(/^\.\//, '');
  return STOCK.has(r) || STOCK.has(basename(r)) || r.startsWith('modules-enabled/');
}

export interface ResolverOptions {
  fs: FileSystem;
  dirs: DirCache;
  /** canonical path of a file */
  real(path: string): string;
  /** configuration prefix (folder of the main file) */
  prefix: string;
  /** explicit mappings, absolute prefix → absolute folder */
  pathMap: [string, string][];
  /** workspace folders */
  folders: string[];
  /** false when the prefix is a guess (a lone file in a workspace without main file): nothing is 'missing' then */
  sure?: boolean;
  /**
   * The file access policy: whether a path (literal or canonical) may be read or listed. Absent:
   * everything may (the CLI, which reads what the user points it at).
   */
  allowed?(path: string): boolean;
}

/** Resolves include arguments for one configuration; results are memoised per argument. */
export class IncludeResolver {
  private readonly memo = new Map<string, Resolution>();
  constructor(readonly o: ResolverOptions) {}

  resolve(pattern: string): Resolution {
    let r = this.memo.get(pattern);
    if (!r) {
      r = this.compute(pattern);
      this.memo.set(pattern, r);
    }
    return r;
  }

  /** maps an absolute path onto the workspace; returns [mapped, inside-workspace] */
  mapAbsolute(p: string): { path: string; mapped: boolean } {
    const n = normalize(p);
    // 1. explicit settings, longest prefix first
    let best: [string, string] | null = null;
    for (const m of this.o.pathMap) if (isInside(n, m[0]) && (!best || m[0].length > best[0].length)) best = m;
    if (best) return { path: join(best[1], relative(best[0], n)), mapped: true };
    const prefix = this.o.prefix;
    // a workspace that *is* the tree (the server's own /etc/nginx opened as a folder)
    if (isInside(n, prefix)) return { path: n, mapped: true };
    // 2. well-known prefixes onto the configuration prefix
    for (const k of KNOWN_PREFIXES) if (isInside(n, k)) return { path: join(prefix, relative(k, n)), mapped: true };
    // 3. some other prefix whose next segment exists in the configuration prefix
    const segs = n.split('/').filter(Boolean);
    const staticSegs: string[] = [];
    for (const s of segs) {
      if (hasGlob(s)) break;
      staticSegs.push(s);
    }
    for (let i = 1; i < staticSegs.length; i++) {
      const candidate = prefix + '/' + staticSegs[i];
      const isLast = i === segs.length - 1;
      if (isLast ? this.o.fs.isFile(candidate) : this.o.fs.isDirectory(candidate)) {
        return { path: join(prefix, segs.slice(i).join('/')), mapped: true };
      }
    }
    // 4. a workspace folder laid out like the root file system
    const dirSegs = staticSegs.length === segs.length ? staticSegs.slice(0, -1) : staticSegs;
    if (dirSegs.length) {
      for (const f of this.o.folders) {
        if (this.o.fs.isDirectory(join(f, dirSegs.join('/')))) return { path: join(f, n.slice(1)), mapped: true };
      }
    }
    return { path: n, mapped: false };
  }

  private compute(pattern: string): Resolution {
    const glob = hasGlob(pattern);
    if (!pattern || /\$/.test(pattern)) return { pattern, glob, resolved: null, targets: [], status: 'invalid' };
    let abs: string;
    let inside: boolean;
    let rel: string;
    if (isAbsolute(pattern)) {
      const m = this.mapAbsolute(pattern);
      abs = m.path;
      inside = m.mapped;
      rel = inside && isInside(abs, this.o.prefix) ? relative(this.o.prefix, abs) : basename(abs);
    } else {
      abs = join(this.o.prefix, pattern);
      inside = true;
      rel = normalize(pattern);
    }
    const allowed = this.o.allowed;
    // a path outside what may be read is neither read nor listed
    const may = (p: string) => !allowed || (allowed(p) && allowed(this.o.real(p)));
    const outside: string[] = [];
    let note: string | undefined;
    let targets: string[];
    if (glob) {
      const r = expandGlobBounded(this.o.fs, this.o.dirs, abs, allowed ? { allowDir: may } : {});
      targets = r.files;
      outside.push(...r.refused);
      note = r.stopped ?? globProblem(abs) ?? undefined;
    } else if (!may(abs)) {
      // a stat says whether it is there (nothing is opened): absent, it is as unknown as before
      targets = [];
      const real = this.o.real(abs);
      if (this.o.fs.isFile(abs)) outside.push(real === abs ? abs : `${abs} (a link to ${real})`);
    } else targets = this.o.fs.isFile(abs) ? [abs] : [];
    if (may(dirname(dirname(abs)) + '/templates')) targets = this.withTemplates(abs, glob, targets);
    targets = targets.map((t) => this.o.real(t));
    if (allowed) {
      const kept = targets.filter((t) => allowed(t));
      for (const t of targets) if (!allowed(t)) outside.push(t);
      targets = kept;
    }
    const extra = { ...(note ? { note } : {}), ...(outside.length ? { outside } : {}) };
    if (targets.length) return { pattern, glob, resolved: abs, targets, status: 'ok', ...extra };
    if (outside.length) return { pattern, glob, resolved: abs, targets, status: 'outside', ...extra };
    if (glob) return { pattern, glob, resolved: abs, targets, status: 'empty', ...extra };
    if (!inside || this.o.sure === false) return { pattern, glob, resolved: abs, targets, status: 'unknown' };
    if (isStockInclude(rel)) return { pattern, glob, resolved: abs, targets, status: 'stock' };
    return { pattern, glob, resolved: abs, targets, status: 'missing' };
  }

  /** Docker: files of `<prefix>/templates/*.template` stand for `conf.d/*` when not rendered yet. */
  private withTemplates(abs: string, glob: boolean, targets: string[]): string[] {
    const dir = dirname(abs);
    if (basename(dir) !== 'conf.d') return targets;
    const tdir = dirname(dir) + '/templates';
    const entries = this.o.dirs.readDir(tdir);
    if (!entries) return targets;
    const seg = basename(abs);
    const have = new Set(targets.map((t) => basename(t)));
    const extra: [string, string][] = [];
    for (const e of entries) {
      if (e.isDirectory || !e.name.endsWith('.template')) continue;
      const rendered = e.name.slice(0, -'.template'.length);
      if (have.has(rendered)) continue;
      if (glob ? matchSegment(seg, rendered) : rendered === seg) extra.push([dir + '/' + rendered, tdir + '/' + e.name]);
    }
    if (!extra.length) return targets;
    const all: [string, string][] = targets.map((t) => [t, t]);
    all.push(...extra);
    all.sort((a, b) => byteOrder(a[0], b[0]));
    return all.map((x) => x[1]);
  }
}

/** What decides the include graph of a file: its include arguments in order. */
export function includeSignature(file: ParsedFile | null): string {
  if (!file) return '\u0000missing';
  return includesOf(file).map((d) => d.args.map((a) => a.value).join(' ')).join('\n');
}

/** The include argument (nginx takes exactly one). */
export function includeArgument(d: Directive): string {
  return d.args[0]?.value ?? '';
}

/**
 * A ConfigView over a single file: used when no configuration graph knows the file (a lone
 * fragment, a file opened outside any workspace). The context of the file's top level is inferred
 * from its content or from a first-line comment `# nginx: context=http`.
 */
import type { Directive, ParsedFile } from '../syntax/tree';
import { directivesOf } from '../syntax/query';
import type { ConfigView, Scope, SourceFile } from './types';

const MAIN_ONLY = new Set([
  'events', 'http', 'stream', 'mail', 'user', 'worker_processes', 'pid', 'load_module', 'daemon',
  'master_process', 'worker_rlimit_nofile', 'worker_rlimit_core', 'env', 'pcre_jit', 'thread_pool',
  'timer_resolution', 'working_directory', 'lock_file', 'worker_cpu_affinity', 'worker_priority',
  'worker_shutdown_timeout', 'ssl_engine', 'error_log', 'include', 'rtmp',
]);
const HTTP_LEVEL = new Set(['server', 'upstream', 'map', 'geo', 'split_clients', 'log_format', 'limit_req_zone',
  'limit_conn_zone', 'proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path', 'types',
  'server_names_hash_bucket_size', 'server_names_hash_max_size', 'variables_hash_max_size', 'map_hash_bucket_size',
  'lua_package_path', 'lua_shared_dict', 'init_by_lua_block', 'init_worker_by_lua_block']);
const SERVER_LEVEL = new Set(['listen', 'server_name', 'location', 'ssl_certificate', 'ssl_certificate_key',
  // allowed in server/location/if but not at http level
  'return', 'rewrite', 'if', 'set', 'break']);
/** directives of an `upstream {}` body (a file included inside one) */
const UPSTREAM_LEVEL = new Set(['keepalive', 'keepalive_timeout', 'keepalive_requests', 'ip_hash', 'least_conn', 'hash', 'random', 'zone', 'sticky', 'ntlm', 'least_time', 'queue']);
/** inside `server {}`, these say stream rather than http */
const STREAM_SERVER = new Set(['proxy_pass', 'ssl_preread', 'proxy_responses', 'proxy_requests']);
const LOCATION_LEVEL = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'alias',
  'try_files', 'limit_except', 'internal']);

const CONTEXT_COMMENT = /^[ \t]*#[ \t]*nginx:[ \t]*context[ \t]*=[ \t]*([A-Za-z_-]+)?/m;

/**
 * The context a `# nginx: context=<name>` comment in the first 2000 characters names (lower case;
 * '' when the comment names none), or null when there is no such comment: the one reading of that
 * comment (views, the structure rules, features, templates).
 */
export function contextComment(text: string): string | null {
  const m = CONTEXT_COMMENT.exec(text.slice(0, 2000));
  return m ? (m[1] ?? '').toLowerCase() : null;
}

/** The chain of block names around a file's top level, outermost first ([] = main context). */
export function inferContext(file: ParsedFile): string[] {
  const named = contextComment(file.text);
  if (named) return contextPath(named);
  const names = new Set<string>();
  for (const s of file.children) if (s.kind === 'directive') names.add(s.name);
  if (names.size === 0) return [];
  for (const n of names) if (MAIN_ONLY.has(n) && n !== 'include' && n !== 'error_log') return [];
  const tops = directivesOf(file.children);
  // `server host:port;` lines without a block: the body of an upstream
  const simpleServers = tops.filter((d) => d.name === 'server' && !d.block);
  if (simpleServers.length && !tops.some((d) => d.name === 'server' && d.block)) {
    if ([...names].every((n) => n === 'server' || UPSTREAM_LEVEL.has(n) || n === 'include')) return ['http', 'upstream'];
  }
  // a server block whose own level proxies (proxy_pass is a location directive in http) is a stream server
  for (const d of tops) {
    if (d.name !== 'server' || !d.block) continue;
    if (d.block.children.some((c) => c.kind === 'directive' && STREAM_SERVER.has(c.name))) return ['stream'];
  }
  // a server body (listen, server_name, location at the top) is included inside `server {}`
  if ([...names].some((n) => SERVER_LEVEL.has(n)) && !names.has('server')) return ['http', 'server'];
  if ([...names].some((n) => HTTP_LEVEL.has(n))) return ['http'];
  if ([...names].some((n) => LOCATION_LEVEL.has(n))) return ['http', 'server', 'location'];
  if (names.size > 0 && [...names].every((n) => n === 'include' || n === 'error_log')) return [];
  return ['http'];
}

/** Turns a context name from a comment or setting into a block path. */
export function contextPath(name: string): string[] {
  switch (name) {
    case 'main': return [];
    case 'http': return ['http'];
    case 'server': return ['http', 'server'];
    case 'location': return ['http', 'server', 'location'];
    case 'upstream': return ['http', 'upstream'];
    case 'events': return ['events'];
    case 'stream': return ['stream'];
    case 'stream-server': case 'stream_server': return ['stream', 'server'];
    case 'mail': return ['mail'];
    case 'mail-server': case 'mail_server': return ['mail', 'server'];
    default: return ['http'];
  }
}

const EMPTY: Directive[] = [];

export class SingleFileView implements ConfigView {
  readonly inferred: boolean;
  private readonly outer: string[];
  constructor(readonly source: SourceFile, outerPath?: string[]) {
    this.inferred = outerPath === undefined;
    this.outer = outerPath ?? inferContext(source.file);
  }
  topScope(): Scope {
    return {
      owner: null,
      context: this.outer.length ? this.outer[this.outer.length - 1] : 'main',
      directives: directivesOf(this.source.file.children),
      source: this.source,
    };
  }
  scopes(d: Directive): Scope[] {
    const out: Scope[] = [];
    for (let p = d.parent; p; p = p.parent) {
      out.push({ owner: p, context: p.name, directives: p.block ? directivesOf(p.block.children) : EMPTY, source: this.source });
    }
    out.push(this.topScope());
    for (let i = this.outer.length - 2; i >= 0; i--) {
      out.push({ owner: null, context: this.outer[i], directives: [], source: null });
    }
    if (this.outer.length) out.push({ owner: null, context: 'main', directives: [], source: null });
    return out;
  }
  expand(owner: Directive): Directive[] {
    return owner.block ? directivesOf(owner.block.children) : EMPTY;
  }
  private own: readonly SourceFile[] | null = null;
  files(): readonly SourceFile[] {
    return (this.own ??= [this.source]);
  }
  sourceOf(_d: Directive): SourceFile | null {
    return this.source;
  }
}

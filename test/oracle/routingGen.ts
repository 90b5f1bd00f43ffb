/**
 * Generated configurations and requests for the routing oracle (test/oracle/routing.test.ts): a
 * seeded generator of servers on shared and distinct addresses with every kind of server_name,
 * locations of every kind (nested, regex, ^~, exact, named, proxied, rewriting), each answering
 * `return 200 "<id>"` with an X-Route header, and raw requests that stress the normalisation and
 * the Host rules.
 */

/** the fuzzers' seeded PRNG (mulberry32: the same sequence on every machine) */
export { mulberry32 as rng } from '../fuzz/fuzzCore';

export interface GenConfig {
  text: string;
  /** 0-based line of each `server {` → its id, of each `location` → its id */
  serverAt: Map<number, string>;
  locationAt: Map<number, string>;
  /** the addresses a client may connect to ("127.0.0.x:port") */
  addresses: string[];
  /** host names worth sending */
  hosts: string[];
}

const EXACT = ['a.test', 'b.test', 'x.w.test', 'www.t.com', 'A.Test', 'localhost', '_', '""', 'd.test', 'foo.rx.test'];
const HEAD = ['*.w.test', '.d.test', '*.sub.w.test', '*.test', '.rx.test'];
const TAIL = ['www.t.*', 't.*', 'mail.t.*', 'www.*'];
const REGEX = ['~^r\\d+\\.test$', '~^(?<sub>[a-z]+)\\.rx\\.test$', '~^www\\.', '~\\.CASE\\.test$', '~^[a-c]+\\.test$', '~^(www\\.)?t\\.(com|org)$'];

interface LocSpec { head: string; kind: 'plain' | 'proxy' | 'tf' | 'rw' | 'named'; nested?: LocSpec[] }

const PREFIXES = ['/', '/a/', '/a/b', '/a/b/c/', '/A/', '/s/', '/n/', '/x', '/%41', '/café/', '/e/', '/r'];
const EXACTS = ['/', '/e', '/a/b', '/x/', '/n/m/', '/s'];
const REGEXES = ['\\.(png|jpg)$', '\\.php$', '^/a/[^/]+/x$', '/b', '^/S/', '^/n/.*\\.txt$', '(?i)^/case/', '^/d\\d+$', '\\.PNG$', '^/r/(?<rest>.*)$', '^/e/[a-c]+$', '/$'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}
function some<T>(r: () => number, xs: readonly T[], max: number): T[] {
  const n = Math.floor(r() * (max + 1));
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(pick(r, xs));
  return [...new Set(out)];
}

function genLocations(r: () => number, depth: number, parent: string | null): LocSpec[] {
  const out: LocSpec[] = [];
  const used = new Set<string>();
  const within = (p: string) => parent === null || p.startsWith(parent);
  for (const p of some(r, PREFIXES, depth ? 2 : 5)) {
    if (!within(p) || p === parent) continue;
    const mod = r() < 0.3 ? '^~ ' : '';
    if (used.has(p)) continue;
    used.add(p);
    const spec: LocSpec = { head: `${mod}${p}`, kind: 'plain' };
    if (depth < 2 && r() < 0.35) spec.nested = genLocations(r, depth + 1, p);
    out.push(spec);
  }
  for (const p of some(r, EXACTS, depth ? 1 : 3)) if (within(p)) out.push({ head: `= ${p}`, kind: 'plain' });
  for (const re of some(r, REGEXES, depth ? 2 : 4)) {
    const spec: LocSpec = { head: `${r() < 0.3 ? '~*' : '~'} ${re}`, kind: 'plain' };
    if (depth < 2 && r() < 0.2) spec.nested = [{ head: `~ ${pick(r, ['\\.gif$', 'x', '^/r/a'])}`, kind: 'plain' }];
    out.push(spec);
  }
  if (depth === 0) {
    if (r() < 0.5) out.push({ head: '/p/', kind: 'proxy' });
    if (r() < 0.4) out.push({ head: '= /q/', kind: 'proxy' });
    if (r() < 0.5) out.push({ head: '/tf/', kind: 'tf' });
    if (r() < 0.5) out.push({ head: '/rw/', kind: 'rw' });
  }
  // regexes keep their order; shuffle only the order of the written block a little
  return out;
}

/** One configuration with 3–6 servers on two ports (127.0.0.1, 127.0.0.2 and wildcard listens). */
export function genConfig(r: () => number, ports: [number, number], prefix: string, cfgId: number): GenConfig {
  const lines: string[] = [];
  const serverAt = new Map<number, string>();
  const locationAt = new Map<number, string>();
  const [p1, p2] = ports;
  const listenChoices = [`127.0.0.1:${p1}`, `${p1}`, `127.0.0.2:${p1}`, `${p2}`, `127.0.0.1:${p2}`];
  const defaults = new Set<string>();
  const hosts = new Set<string>();
  lines.push('worker_processes 1;', `pid ${prefix}/nginx.pid;`, `error_log ${prefix}/logs/error.log;`, 'events { worker_connections 128; }', 'http {');
  lines.push('    access_log off;', `    root ${prefix}/empty;`);
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) lines.push(`    ${t}_temp_path ${prefix}/tmp/${t};`);
  if (r() < 0.15) lines.push('    merge_slashes off;');
  const nServers = 3 + Math.floor(r() * 4);
  for (let s = 0; s < nServers; s++) {
    const sid = `c${cfgId}s${s}`;
    serverAt.set(lines.length, sid);
    lines.push('    server {');
    const listens = [...new Set(some(r, listenChoices, 2))];
    if (!listens.length) listens.push(pick(r, listenChoices));
    for (const l of listens) {
      const key = /^\d+$/.test(l) ? `*:${l}` : l;
      const dflt = !defaults.has(key) && r() < 0.2;
      if (dflt) defaults.add(key);
      lines.push(`        listen ${l}${dflt ? ' default_server' : ''};`);
    }
    const names = [...some(r, EXACT, 2), ...some(r, HEAD, 1), ...some(r, TAIL, 1), ...some(r, REGEX, 1)];
    if (names.length) lines.push(`        server_name ${names.join(' ')};`);
    for (const n of names) hosts.add(n);
    lines.push(`        add_header X-Server ${sid} always;`);
    let k = 0;
    const emit = (specs: LocSpec[], indent: string) => {
      for (const spec of specs) {
        const lid = `${sid}L${k++}`;
        locationAt.set(lines.length, lid);
        const tag = `add_header X-Route ${lid} always; add_header X-Server ${sid} always;`;
        if (spec.kind === 'proxy') {
          lines.push(`${indent}location ${spec.head} { ${tag} proxy_pass http://127.0.0.1:9; }`);
          continue;
        }
        if (spec.kind === 'tf') {
          lines.push(`${indent}location ${spec.head} { ${tag} try_files /__nothing__ @fallback; }`);
          continue;
        }
        if (spec.kind === 'rw') {
          lines.push(`${indent}location ${spec.head} { ${tag} rewrite ^/rw/(.*)$ /$1 last; return 200 "${lid}"; }`);
          continue;
        }
        if (spec.nested?.length) {
          lines.push(`${indent}location ${spec.head} { ${tag} return 200 "${lid}";`);
          // `return` at this level would answer before nested locations are looked at? No: the
          // location search ends before the rewrite phase, so nested locations still win.
          emit(spec.nested, indent + '    ');
          lines.push(`${indent}}`);
        } else lines.push(`${indent}location ${spec.head} { ${tag} return 200 "${lid}"; }`);
      }
    };
    const locs = genLocations(r, 0, null);
    emit(locs, '        ');
    if (locs.some((l) => l.kind === 'tf')) {
      const lid = `${sid}L${k++}`;
      locationAt.set(lines.length, lid);
      lines.push(`        location @fallback { add_header X-Route ${lid} always; add_header X-Server ${sid} always; return 200 "${lid}"; }`);
    }
    lines.push('    }');
  }
  lines.push('}');
  return {
    text: lines.join('\n') + '\n',
    serverAt,
    locationAt,
    addresses: [`127.0.0.1:${p1}`, `127.0.0.2:${p1}`, `127.0.0.3:${p1}`, `127.0.0.1:${p2}`, `127.0.0.2:${p2}`],
    hosts: [...hosts],
  };
}

const SEGMENTS = ['a', 'b', 'c', 'x', 's', 'S', 'n', 'm', 'e', 'p', 'q', 'tf', 'rw', 'r', 'd1', 'd12', 'case', 'CASE', 'A', 'img.png', 'IMG.PNG', 'f.txt', 'i.php', 'I.PHP',
  'x.jpg', 'caf%C3%A9', 'café', '%41', '%2e', '%2E%2E', '..', '.', '', '%2F', '%2f', 'z', '%25', '%3F', 'e%2e', 'a.gif', 'ab', 'abc', '%00', '%zz', '+', '%20'];

export interface GenRequest {
  /** the request target as sent */
  target: string;
  /** the Host header (undefined: none, an HTTP/1.0 request) */
  host?: string;
  address: string;
  http10: boolean;
}

/** A host header value derived from a server name: matching it, case-changed, with a port or a trailing dot, or junk. */
function hostFrom(r: () => number, names: string[], port: string): string {
  const n = pick(r, names.length ? names : ['a.test']);
  let h: string;
  if (n.startsWith('~')) h = pick(r, ['r12.test', 'r.test', 'foo.rx.test', 'www.anything.io', 'x.case.test', 'abc.test', 'abd.test', 't.com', 'www.t.org', 'bar.rx.test']);
  else if (n.startsWith('*.')) h = pick(r, ['q.', 'a.b.', '']) + n.slice(2);
  else if (n.startsWith('.')) h = pick(r, ['', 'z.', 'y.z.']) + n.slice(1);
  else if (n.endsWith('.*')) h = n.slice(0, -1) + pick(r, ['com', 'co.uk', 'x']);
  else h = n === '""' ? pick(r, ['', 'unknown.test']) : n;
  const v = r();
  if (v < 0.15) h = h.toUpperCase();
  else if (v < 0.25) h += '.';
  else if (v < 0.35) h += ':' + port;
  else if (v < 0.4) h = pick(r, ['127.0.0.1', '[::1]', '[::1]:80', 'a..test', 'bad/host', 'unknown.test', '_', 'x.w.test:abc', '.', 'a.test..', 'foo.w.test:99999']);
  return h;
}

export function genRequest(r: () => number, cfg: GenConfig): GenRequest {
  const address = pick(r, cfg.addresses);
  const nseg = 1 + Math.floor(r() * 4);
  const parts: string[] = [];
  for (let i = 0; i < nseg; i++) parts.push(pick(r, SEGMENTS));
  let path = '/' + parts.join(r() < 0.15 ? '//' : '/');
  if (r() < 0.2) path += '/';
  if (r() < 0.1) path = '/' + path;
  if (r() < 0.1) path += '?q=' + pick(r, ['1', 'a/b', '%2F']);
  if (r() < 0.03) path += '#frag';
  const http10 = r() < 0.1;
  const port = address.split(':')[1];
  const host = http10 && r() < 0.7 ? undefined : hostFrom(r, cfg.hosts, port);
  let target = path;
  if (r() < 0.07) target = `http://${hostFrom(r, cfg.hosts, port)}${path}`;
  return { target, host, address, http10 };
}

/**
 * The routing facts the rules need, kept up to date incrementally: which servers listen on each
 * address, which servers have each server-name key, and which are `default_server`. Rules run on
 * every edit (and for every file of a 10,000-site workspace), so they must not rebuild the model of
 * all servers each time: the index is kept per configuration (its `http` block) and, when the list
 * of servers changes, only the servers that came or went are read (a server's listens and names
 * are cached per `server` directive, model.ts). Conflicts are then decided for one server's names by
 * replaying ngx_hash_add_key over the few servers that share a key with it.
 */
import type { Directive } from '../../syntax/tree';
import { serverFactsOf, type Expand, type NameInfo, type ServerFacts } from './model';

export interface IndexConflict {
  name: NameInfo;
  addr: string;
  /** the earlier server and name that keep it */
  winner: NameInfo;
  winnerServer: Directive;
}

/** the keys a name is stored under (its own table's key, and for ".x" also the exact key "x") */
function keysOf(n: NameInfo): string[] {
  if (n.kind === 'exact') return ['E' + n.key];
  if (n.kind === 'head') return n.dot ? ['E' + n.key, 'H' + n.key] : ['H' + n.key];
  if (n.kind === 'tail') return ['T' + n.key];
  return [];
}

export class ServerIndex {
  private from: readonly Directive[] | null = null;
  /** the servers in configuration order */
  servers: Directive[] = [];
  private readonly facts = new Map<Directive, ServerFacts>();
  /** servers whose facts are read again on each update (their blocks include files) */
  private readonly uncached = new Set<Directive>();
  // one directive, or several: most keys and addresses of a large configuration have one server
  private readonly byKey = new Map<string, Bucket>();
  private readonly byAddr = new Map<string, Bucket>();
  private readonly defaults = new Map<string, Bucket>();
  private pos: Map<Directive, number> | null = null;
  private firstOn = new Map<string, Directive | null>();
  /**
   * Replays of ngx_hash_add_key, per address and key set: what each (server, name) on the address
   * meets. One replay answers every server's question; replaying it per server was quadratic in the
   * servers sharing a key (14,000 `listen 80;` servers without server_name: minutes).
   */
  private replays = new Map<string, Map<NameInfo, { winner: NameInfo; server: Directive } | null>>();

  /** Brings the index to the servers of `directives` (cheap when it is the same array). */
  update(directives: readonly Directive[], expand: Expand): void {
    if (directives === this.from) return;
    this.from = directives;
    const servers: Directive[] = [];
    for (const d of directives) if (d.name === 'server' && d.block && !d.isEntry) servers.push(d);
    const old = this.servers;
    if (old.length === servers.length) {
      // after an edit of one file, the lists differ at that file's servers only: compare in place
      const gone: Directive[] = [];
      const come: Directive[] = [];
      for (let i = 0; i < servers.length; i++) if (old[i] !== servers[i]) { gone.push(old[i]); come.push(servers[i]); }
      if (gone.length) {
        const comeSet = new Set(come);
        for (const d of gone) if (!comeSet.has(d)) this.remove(d);
        for (const d of come) if (!this.facts.has(d)) this.add(d, expand);
      }
    } else {
      const now = new Set(servers);
      for (const d of old) if (!now.has(d)) this.remove(d);
      for (const d of servers) if (!this.facts.has(d)) this.add(d, expand);
    }
    // a server whose block includes files is read again: the included text may have changed
    for (const d of [...this.uncached]) { this.remove(d); this.add(d, expand); }
    this.servers = servers;
    this.pos = null;
    this.lookups = 0;
    this.firstOn = new Map();
    this.replays = new Map();
  }

  private add(d: Directive, expand: Expand): void {
    const f = serverFactsOf(d, expand);
    this.facts.set(d, f);
    if (!f.cached) this.uncached.add(d);
    for (const n of f.names) for (const k of keysOf(n)) put(this.byKey, k, d);
    for (const l of f.listens) {
      put(this.byAddr, l.addr, d);
      if (l.defaultServer) put(this.defaults, l.addr, d);
    }
  }

  private remove(d: Directive): void {
    const f = this.facts.get(d);
    if (!f) return;
    for (const n of f.names) for (const k of keysOf(n)) drop(this.byKey, k, d);
    for (const l of f.listens) {
      drop(this.byAddr, l.addr, d);
      if (l.defaultServer) drop(this.defaults, l.addr, d);
    }
    this.facts.delete(d);
    this.uncached.delete(d);
  }

  factsOf(d: Directive): ServerFacts | undefined {
    return this.facts.get(d);
  }

  /** how many servers listen on an address */
  count(addr: string): number {
    return size(this.byAddr.get(addr));
  }

  private lookups = 0;

  /** a server's place in the configuration: indexOf for the few servers a check asks about, a map once many are asked */
  private position(d: Directive): number {
    if (!this.pos && ++this.lookups < 32) return this.servers.indexOf(d);
    if (!this.pos) {
      this.pos = new Map();
      for (let i = 0; i < this.servers.length; i++) this.pos.set(this.servers[i], i);
    }
    return this.pos.get(d) ?? -1;
  }

  /** The default server of an address: the first with default_server there, else the first server on it. */
  defaultServer(addr: string): Directive | null {
    const hit = this.firstOn.get(addr);
    if (hit !== undefined) return hit;
    let r: Directive | null = null;
    const explicit = this.defaults.get(addr);
    if (explicit) {
      // several default_server listens on one address are an nginx error; take the first
      for (const d of each(explicit)) if (!r || this.position(d) < this.position(r)) r = d;
    } else {
      const on = this.byAddr.get(addr);
      if (on) {
        if (!(on instanceof Set)) r = on;
        else for (const d of this.servers) if (on.has(d)) { r = d; break; }
      }
    }
    this.firstOn.set(addr, r);
    return r;
  }

  /**
   * The names of server `d` that nginx ignores on `addr` ("conflicting server name"), each with
   * the earlier name that keeps it: ngx_hash_add_key replayed over the servers sharing a key.
   */
  conflicts(d: Directive, addr: string): IndexConflict[] {
    const f = this.facts.get(d);
    if (!f || this.count(addr) < 2) return [];
    const out: IndexConflict[] = [];
    for (const n of f.names) {
      const keys = keysOf(n);
      if (!keys.length) continue;
      // the keys whose holders decide this name
      const related = new Set<string>(keys);
      // ".x" ties the exact key "x" and the head key "x" together: follow both
      if (n.kind === 'exact') related.add('H' + n.key);
      if (n.kind === 'head') { related.add('E' + n.key); related.add('H' + n.key); }
      const hit = this.replay(addr, related).get(n);
      const found: IndexConflict | null = hit ? { name: n, addr, winner: hit.winner, winnerServer: hit.server } : null;
      if (found) out.push(found);
    }
    return out;
  }

  /**
   * ngx_hash_add_key over the servers on `addr` in configuration order, for the names with a key in
   * `related`: each name takes its keys in turn until one is busy, and meets that key's holder.
   */
  private replay(addr: string, related: Set<string>): Map<NameInfo, { winner: NameInfo; server: Directive } | null> {
    const memoKey = addr + '\0' + [...related].sort().join('\0');
    const done = this.replays.get(memoKey);
    if (done) return done;
    const cands = new Set<Directive>();
    for (const k of related) for (const c of each(this.byKey.get(k))) {
      if (this.facts.get(c)!.listens.some((l) => l.addr === addr)) cands.add(c);
    }
    const order = [...cands].sort((a, b) => this.position(a) - this.position(b));
    const taken = new Map<string, { winner: NameInfo; server: Directive }>();
    const met = new Map<NameInfo, { winner: NameInfo; server: Directive } | null>();
    for (const c of order) {
      for (const m of this.facts.get(c)!.names) {
        const mk = keysOf(m);
        if (!mk.length || !mk.some((k) => related.has(k))) continue;
        // ".x" claims the exact "x" even when its wildcard key is then found busy
        let busy: { winner: NameInfo; server: Directive } | undefined;
        for (const k of mk) {
          busy = taken.get(k);
          if (busy) break;
          taken.set(k, { winner: m, server: c });
        }
        met.set(m, busy ?? null);
      }
    }
    this.replays.set(memoKey, met);
    return met;
  }
}

type Bucket = Directive | Set<Directive>;



function put(m: Map<string, Bucket>, k: string, d: Directive): void {
  const b = m.get(k);
  if (!b) m.set(k, d);
  else if (b instanceof Set) b.add(d);
  else if (b !== d) m.set(k, new Set([b, d]));
}

function drop(m: Map<string, Bucket>, k: string, d: Directive): void {
  const b = m.get(k);
  if (!b) return;
  if (!(b instanceof Set)) { if (b === d) m.delete(k); return; }
  b.delete(d);
  if (b.size === 1) m.set(k, b.values().next().value!);
  else if (!b.size) m.delete(k);
}

function each(b: Bucket | undefined): Iterable<Directive> {
  return !b ? [] : b instanceof Set ? b : [b];
}

function size(b: Bucket | undefined): number {
  return !b ? 0 : b instanceof Set ? b.size : 1;
}

const indexes = new WeakMap<object, ServerIndex>();

/** The index of one configuration, kept per anchor (its `http` directive, or the file of a lone fragment). */
export function serverIndex(anchor: object, directives: readonly Directive[], expand: Expand): ServerIndex {
  let idx = indexes.get(anchor);
  if (!idx) indexes.set(anchor, (idx = new ServerIndex()));
  idx.update(directives, expand);
  return idx;
}

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
  private members = new Set<Directive>();
  private readonly facts = new Map<Directive, ServerFacts>();
  private readonly byKey = new Map<string, Set<Directive>>();
  private readonly byAddr = new Map<string, Set<Directive>>();
  private pos: Map<Directive, number> | null = null;
  private firstOn = new Map<string, Directive | null>();

  /** Brings the index to the servers of `directives` (cheap when it is the same array). */
  update(directives: readonly Directive[], expand: Expand): void {
    if (directives === this.from) return;
    this.from = directives;
    const servers: Directive[] = [];
    for (const d of directives) if (d.name === 'server' && d.block && !d.isEntry) servers.push(d);
    const now = new Set(servers);
    for (const d of this.members) if (!now.has(d)) this.remove(d);
    for (const d of servers) if (!this.members.has(d)) this.add(d, expand);
    // a server whose block includes files is read again: the included text may have changed
    for (const d of servers) {
      const f = this.facts.get(d)!;
      if (!f.cached) { this.remove(d); this.add(d, expand); }
    }
    this.members = now;
    this.servers = servers;
    this.pos = null;
    this.lookups = 0;
    this.firstOn = new Map();
  }

  private add(d: Directive, expand: Expand): void {
    const f = serverFactsOf(d, expand);
    this.facts.set(d, f);
    this.members.add(d);
    for (const n of f.names) for (const k of keysOf(n)) {
      let s = this.byKey.get(k);
      if (!s) this.byKey.set(k, (s = new Set()));
      s.add(d);
    }
    for (const l of f.listens) {
      let s = this.byAddr.get(l.addr);
      if (!s) this.byAddr.set(l.addr, (s = new Set()));
      s.add(d);
    }
  }

  private remove(d: Directive): void {
    const f = this.facts.get(d);
    if (!f) return;
    for (const n of f.names) for (const k of keysOf(n)) {
      const s = this.byKey.get(k);
      if (s) { s.delete(d); if (!s.size) this.byKey.delete(k); }
    }
    for (const l of f.listens) {
      const s = this.byAddr.get(l.addr);
      if (s) { s.delete(d); if (!s.size) this.byAddr.delete(l.addr); }
    }
    this.facts.delete(d);
  }

  factsOf(d: Directive): ServerFacts | undefined {
    return this.facts.get(d);
  }

  /** how many servers listen on an address */
  count(addr: string): number {
    return this.byAddr.get(addr)?.size ?? 0;
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
    let first: Directive | null = null;
    let explicit: Directive | null = null;
    const on = this.byAddr.get(addr);
    if (on) {
      // walk in order until the answer is sure: the first server on the address, then any explicit default
      for (const d of this.servers) {
        if (!on.has(d)) continue;
        first ??= d;
        if (this.facts.get(d)!.listens.some((l) => l.addr === addr && l.defaultServer)) { explicit = d; break; }
      }
    }
    const r = explicit ?? first;
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
    const me = this.position(d);
    const out: IndexConflict[] = [];
    for (const n of f.names) {
      const keys = keysOf(n);
      if (!keys.length) continue;
      // every server before `d` (and `d` itself) on this address that has one of these keys
      const related = new Set<string>(keys);
      // ".x" ties the exact key "x" and the head key "x" together: follow both
      if (n.kind === 'exact') related.add('H' + n.key);
      if (n.kind === 'head') { related.add('E' + n.key); related.add('H' + n.key); }
      const cands = new Set<Directive>();
      for (const k of related) for (const c of this.byKey.get(k) ?? []) {
        if (c === d || (this.facts.get(c)!.listens.some((l) => l.addr === addr) && this.position(c) < me)) cands.add(c);
      }
      const order = [...cands].sort((a, b) => this.position(a) - this.position(b));
      // replay the additions in order, up to this name
      const taken = new Map<string, { name: NameInfo; server: Directive }>();
      let found: IndexConflict | null = null;
      outer: for (const c of order) {
        for (const m of this.facts.get(c)!.names) {
          const mk = keysOf(m);
          if (!mk.length || !mk.some((k) => related.has(k))) {
            if (c === d && m === n) break outer;
            continue;
          }
          // ngx_hash_add_key takes the keys in turn: ".x" claims the exact "x" even when its
          // wildcard key is then found busy
          let busy: { name: NameInfo; server: Directive } | undefined;
          const target = c === d && m === n;
          for (const k of mk) {
            busy = taken.get(k);
            if (busy) break;
            if (!target) taken.set(k, { name: m, server: c });
          }
          if (target) {
            if (busy) found = { name: n, addr, winner: busy.name, winnerServer: busy.server };
            break outer;
          }
        }
      }
      if (found) out.push(found);
    }
    return out;
  }
}

const indexes = new WeakMap<object, ServerIndex>();

/** The index of one configuration, kept per anchor (its `http` directive, or the file of a lone fragment). */
export function serverIndex(anchor: object, directives: readonly Directive[], expand: Expand): ServerIndex {
  let idx = indexes.get(anchor);
  if (!idx) indexes.set(anchor, (idx = new ServerIndex()));
  idx.update(directives, expand);
  return idx;
}

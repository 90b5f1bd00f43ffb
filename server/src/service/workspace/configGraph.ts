/**
 * One configuration: a root file (a main `nginx.conf`, or a lone file analysed on its own) and every
 * file its `include`s reach, with the include sites of each file. Files are known by canonical path;
 * include edges are kept by the ordinal of the include directive in its file, so an edit that leaves
 * a file's include arguments unchanged does not invalidate the graph (the directives are looked up
 * again in the current tree).
 */
import { MAX_INCLUDE_DEPTH, type IncludeInfo, type SourceFile } from '../model/config';
import type { Directive, Statement } from '../syntax/tree';
import { includeArgument, type IncludeResolver } from './includes';
import { directivesOf, includesOf } from '../syntax/query';

/** Where a file is included: the `ordinal`-th include directive of file `from`. */
export interface Site {
  from: string;
  ordinal: number;
}

/** An include edge: what the include directive resolved to (the model's IncludeInfo). */
export type Edge = IncludeInfo;


export interface FileNode {
  path: string;
  /** one per include directive of the file, by ordinal */
  edges: Edge[];
  /** where the file is included (empty for the root) */
  sites: Site[];
}

/** What a configuration needs from the workspace. */
export interface GraphHost {
  sourceAt(path: string): SourceFile | null;
  /** the file holding a directive, with its canonical path (null for a stale directive) */
  locate(d: Directive): { source: SourceFile; path: string | null } | null;
  /** bumped on every content change; caches built from trees are dropped when it moves */
  readonly epoch: number;
  /** why an existing file was not read (not a regular file, too large, binary), or null */
  unreadable?(path: string): string | null;
}

/** How many include sites of one file are analysed (a snippet included in every server of a big tree). */
export const MAX_VIEWS_PER_FILE = 32;

export class Config {
  readonly nodes = new Map<string, FileNode>();
  /** paths in nginx's reading order (root first) */
  readonly order: string[] = [];
  private chainMemo = new Map<string, Site[][]>();
  private cacheEpoch = -1;
  private expandCache = new WeakMap<object, Directive[]>();
  private filesCache: SourceFile[] | null = null;

  constructor(
    readonly root: string,
    /** inferred block path around the root's top level ([] for a main file) */
    readonly outer: string[],
    /** true when the root is a lone file whose context was guessed */
    readonly inferred: boolean,
    readonly resolver: IncludeResolver,
    readonly host: GraphHost,
  ) {
    this.build();
  }

  private build(): void {
    const onStack = new Set<string>();
    const stack: string[] = [];
    const visit = (path: string): FileNode => {
      const node: FileNode = { path, edges: [], sites: [] };
      this.nodes.set(path, node);
      this.order.push(path);
      const src = this.host.sourceAt(path);
      if (!src) return node;
      onStack.add(path);
      stack.push(path);
      const incs = includesOf(src.file);
      for (let i = 0; i < incs.length; i++) {
        const r = this.resolver.resolve(includeArgument(incs[i]));
        const edge: Edge = { ...r, cycle: null };
        node.edges.push(edge);
        if (stack.length >= MAX_INCLUDE_DEPTH && r.targets.some((t) => !this.nodes.has(t))) {
          edge.tooDeep = true;
          continue;
        }
        for (const t of r.targets) {
          if (onStack.has(t)) {
            edge.cycle = [...stack.slice(stack.indexOf(t)), t];
            continue;
          }
          const tn = this.nodes.get(t) ?? visit(t);
          tn.sites.push({ from: path, ordinal: i });
        }
      }
      stack.pop();
      onStack.delete(path);
      return node;
    };
    const cycles: string[][] = [];
    visit(this.root);
    // every include of a cycle is in error, each told the cycle from its own file
    for (const n of this.nodes.values()) for (const e of n.edges) if (e.cycle) cycles.push(e.cycle);
    for (const cyc of cycles) {
      const ring = cyc.slice(0, -1);
      for (let i = 0; i < ring.length; i++) {
        const from = ring[i];
        const to = ring[(i + 1) % ring.length];
        for (const e of this.nodes.get(from)?.edges ?? []) {
          if (!e.cycle && e.targets.includes(to)) e.cycle = [...ring.slice(i), ...ring.slice(0, i), from];
        }
      }
    }
  }

  has(path: string): boolean {
    return this.nodes.has(path);
  }

  edge(path: string, ordinal: number): Edge | undefined {
    return this.nodes.get(path)?.edges[ordinal];
  }

  /** Include chains from the root to `path` (each a list of sites), at most MAX_VIEWS_PER_FILE. */
  chainsTo(path: string): Site[][] {
    const memo = this.chainMemo.get(path);
    if (memo) return memo;
    let out: Site[][];
    const node = this.nodes.get(path);
    if (!node) out = [];
    else if (path === this.root) out = [[]];
    else {
      out = [];
      this.chainMemo.set(path, out); // guards against revisiting while computing (cycles are not sites)
      for (const s of node.sites) {
        for (const c of this.chainsTo(s.from)) {
          if (out.length >= MAX_VIEWS_PER_FILE) break;
          out.push([...c, s]);
        }
        if (out.length >= MAX_VIEWS_PER_FILE) break;
      }
    }
    this.chainMemo.set(path, out);
    return out;
  }

  /** Drops caches computed from trees when any file changed. */
  private fresh(): void {
    if (this.cacheEpoch !== this.host.epoch) {
      this.cacheEpoch = this.host.epoch;
      this.expandCache = new WeakMap();
      this.filesCache = null;
    }
  }

  /** The include targets of an include directive of file `path`. */
  targetsOf(path: string, d: Directive): string[] {
    const src = this.host.sourceAt(path);
    if (!src) return [];
    const ordinal = includesOf(src.file).indexOf(d);
    return ordinal < 0 ? [] : this.edge(path, ordinal)?.targets ?? [];
  }

  /**
   * A statement list with `include` replaced in place by the included files' top-level directives
   * (recursively; a file already being expanded is skipped). An include that resolves to nothing
   * stays in the list, so that rules can tell the level may hold more than they see.
   */
  expandList(list: Statement[], path: string | null, stack: string[]): Directive[] {
    // a level without `include` expands to its own directives, whatever else changes: cache that
    // per (immutable) statement list, so re-expanding `http` after one of 10,000 sites changed
    // does not walk the other 9,999 again
    const leaf = leafDirectives(list);
    if (leaf) return leaf;
    const out: Directive[] = [];
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      if (s.name !== 'include' || path === null) {
        out.push(s);
        continue;
      }
      const targets = this.targetsOf(path, s);
      if (!targets.length) {
        out.push(s);
        continue;
      }
      for (const t of targets) {
        if (stack.includes(t)) continue;
        const src = this.host.sourceAt(t);
        if (!src) continue;
        const leafList = leafDirectives(src.file.children);
        const inner = leafList ?? this.expandList(src.file.children, t, [...stack, t]);
        for (let i = 0; i < inner.length; i++) out.push(inner[i]);
      }
    }
    return out;
  }

  expandBlock(owner: Directive): Directive[] {
    this.fresh();
    let hit = this.expandCache.get(owner);
    if (hit) return hit;
    const loc = this.host.locate(owner);
    const path = loc?.path ?? null;
    hit = owner.block ? this.expandList(owner.block.children, path && this.nodes.has(path) ? path : null, path ? [path] : []) : [];
    this.expandCache.set(owner, hit);
    return hit;
  }

  expandTop(path: string): Directive[] {
    this.fresh();
    const src = this.host.sourceAt(path);
    if (!src) return [];
    let hit = this.expandCache.get(src.file);
    if (hit) return hit;
    hit = this.expandList(src.file.children, path, [path]);
    this.expandCache.set(src.file, hit);
    return hit;
  }

  /** Every file of the configuration, in reading order. */
  sources(): SourceFile[] {
    this.fresh();
    if (!this.filesCache) {
      const out: SourceFile[] = [];
      for (const p of this.order) {
        const s = this.host.sourceAt(p);
        if (s) out.push(s);
      }
      this.filesCache = out;
    }
    return this.filesCache;
  }
}

/** The directives of a statement list that holds no `include`, cached per list; null when it has one. */
const leafCache = new WeakMap<Statement[], Directive[] | null>();

function leafDirectives(list: Statement[]): Directive[] | null {
  let hit = leafCache.get(list);
  if (hit === undefined) {
    const ds = directivesOf(list);
    hit = ds.some((d) => d.name === 'include') ? null : ds;
    leafCache.set(list, hit);
  }
  return hit;
}

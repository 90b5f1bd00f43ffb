/**
 * The ConfigView of a file inside a configuration graph, seen through one include chain (one view
 * per place the file is included).
 *
 * Semantics rules rely on:
 * - `scopes(d)` lists nginx levels innermost first. The top level of an included file is not a level
 *   of its own: nginx reads it as part of the block holding the `include`, so the chain continues
 *   with that block in the including file (whose `directives` hold this file's directives in place)
 *   and so on up to the main file's top level ('main'). For a lone file (an inferred root) the chain
 *   ends like SingleFileView's: the file's top level, then empty inferred levels, then 'main'.
 * - `expand(owner)` replaces each `include` by the included files' top-level directives, recursively
 *   and cycle-safe; an include that resolves to no file stays in place.
 * - `topScope()` is the analysed file's own top level (includes expanded), with the context of the
 *   block it is included in.
 */
import type { ConfigView, Scope, SourceFile } from '../model/config';
import type { Directive } from '../syntax/tree';
import type { Config, Edge, Site } from './configGraph';
import { includesOf } from '../syntax/query';

export class GraphView implements ConfigView {
  readonly inferred: boolean;
  constructor(
    readonly config: Config,
    readonly source: SourceFile,
    /** canonical path of the analysed file */
    readonly path: string,
    /** include sites from the root down to this file ([] when the file is the root) */
    readonly chain: Site[],
  ) {
    this.inferred = config.inferred;
  }

  /** The include chain of another file of this configuration as seen from this view. */
  private chainOf(path: string): Site[] | null {
    if (path === this.path) return this.chain;
    if (path === this.config.root) return [];
    for (let i = this.chain.length - 1; i >= 0; i--) if (this.chain[i].from === path) return this.chain.slice(0, i);
    return this.config.chainsTo(path)[0] ?? null;
  }

  private includeAt(site: Site): { directive: Directive; source: SourceFile } | null {
    const source = this.config.host.sourceAt(site.from);
    if (!source) return null;
    const directive = includesOf(source.file)[site.ordinal];
    return directive ? { directive, source } : null;
  }

  private blockScope(p: Directive, source: SourceFile | null): Scope {
    return { owner: p, context: p.name, directives: this.expand(p), source };
  }

  /** Appends the levels around the top of file `path` (reached through `chain`). */
  private outerScopes(path: string, chain: Site[], out: Scope[]): void {
    for (let guard = 0; guard < 64; guard++) {
      if (chain.length === 0) {
        const outer = this.config.outer;
        out.push({
          owner: null,
          context: outer.length ? outer[outer.length - 1] : 'main',
          directives: this.config.expandTop(path),
          source: this.config.host.sourceAt(path),
        });
        for (let i = outer.length - 2; i >= 0; i--) out.push({ owner: null, context: outer[i], directives: [], source: null });
        if (outer.length) out.push({ owner: null, context: 'main', directives: [], source: null });
        return;
      }
      const site = chain[chain.length - 1];
      const inc = this.includeAt(site);
      if (!inc) return;
      for (let p = inc.directive.parent; p; p = p.parent) out.push(this.blockScope(p, inc.source));
      path = site.from;
      chain = chain.slice(0, -1);
    }
  }

  scopes(d: Directive): Scope[] {
    const loc = this.config.host.locate(d);
    const source = loc?.source ?? this.source;
    const out: Scope[] = [];
    for (let p = d.parent; p; p = p.parent) out.push(this.blockScope(p, source));
    const path = loc?.path ?? this.path;
    const chain = this.chainOf(path) ?? this.chain;
    this.outerScopes(path, chain, out);
    return out;
  }

  /** Block names from the root's top level down to this file's top level, e.g. ['http', 'server']. */
  topPath(): string[] {
    const names: string[] = [];
    let chain = this.chain;
    while (chain.length) {
      const site = chain[chain.length - 1];
      const inc = this.includeAt(site);
      if (!inc) break;
      for (let p = inc.directive.parent; p; p = p.parent) names.push(p.name);
      chain = chain.slice(0, -1);
    }
    names.reverse();
    return [...this.config.outer, ...names];
  }

  topScope(): Scope {
    const path = this.topPath();
    return {
      owner: null,
      context: path.length ? path[path.length - 1] : 'main',
      directives: this.config.expandTop(this.path),
      source: this.source,
    };
  }

  expand(owner: Directive): Directive[] {
    return this.config.expandBlock(owner);
  }

  private filesMemo: { epoch: number; list: SourceFile[] } | null = null;

  // shared, not copied: a dozen rules ask per validation, and a copy of a 10,000-file list each time
  // was garbage enough to lift the peak memory of the workspace benchmark past its budget
  files(): readonly SourceFile[] {
    const epoch = this.config.host.epoch;
    if (this.filesMemo?.epoch === epoch) return this.filesMemo.list;
    const all = this.config.sources();
    const out: SourceFile[] = [this.source];
    for (const s of all) if (s !== this.source) out.push(s);
    this.filesMemo = { epoch, list: out };
    return out;
  }

  sourceOf(d: Directive): SourceFile | null {
    return this.config.host.locate(d)?.source ?? null;
  }

  /** How an include directive of this configuration resolved (null when `d` is not one). */
  includeInfo(d: Directive): Edge | null {
    const loc = this.config.host.locate(d);
    if (!loc?.path) return null;
    const ordinal = includesOf(loc.source.file).indexOf(d);
    if (ordinal < 0) return null;
    return this.config.edge(loc.path, ordinal) ?? null;
  }

  unreadable(path: string): string | null {
    return this.config.host.unreadable?.(path) ?? null;
  }
}

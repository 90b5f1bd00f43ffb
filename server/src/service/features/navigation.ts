/**
 * Go to definition, find references, rename and document links, across the files of the
 * configuration(s) a file belongs to. Symbols: upstreams, variables (set/map/geo/split_clients/regex
 * captures/…), named locations (per server), log formats, limit_req/limit_conn zones, cache zones,
 * and include targets.
 */
import type { ConfigView, SourceFile } from '../analysis/types';
import { directiveAt, wordAt } from '../syntax/query';
import type { Directive } from '../syntax/tree';
import { includeArgument } from '../workspace/includes';
import { relative } from '../paths';
import { fileSymbols, occurrenceAt, occurrenceNear, occurrencesInFile, validateNewName, type Occurrence, type SymbolHit } from '../workspace/symbols';
import type { FeatureContext, OffsetLocation } from './context';
import { templateDefinition } from '../templates/features';

/** The files of every view of the file (the analysed file first), without duplicates. */
function configFiles(ctx: FeatureContext): SourceFile[] {
  const seen = new Set<string>();
  const out: SourceFile[] = [];
  for (const v of ctx.views) {
    for (const s of v.files()) {
      if (seen.has(s.uri)) continue;
      seen.add(s.uri);
      out.push(s);
    }
  }
  return out;
}

/** The `server` block around a directive (through include sites), as seen from a view. */
function serverOf(view: ConfigView, d: Directive): Directive | null {
  for (const s of view.scopes(d)) if (s.context === 'server' && s.owner) return s.owner;
  return null;
}

/** Every directive inside a block, includes expanded. */
function blockDirectives(view: ConfigView, owner: Directive): Set<Directive> {
  const out = new Set<Directive>();
  const visit = (o: Directive) => {
    for (const d of view.expand(o)) {
      if (out.has(d)) continue;
      out.add(d);
      if (d.block) visit(d);
    }
  };
  visit(owner);
  return out;
}

/** All occurrences of the symbol `occ` (found in ctx.source) in the scope where it is visible. */
function occurrencesOf(ctx: FeatureContext, occ: Occurrence): SymbolHit[] {
  const out: SymbolHit[] = [];
  const seen = new Set<string>();
  const push = (source: SourceFile, o: Occurrence) => {
    const key = `${source.uri}:${o.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ source, occurrence: o });
  };
  if (occ.kind === 'named-location') {
    // named locations belong to their server
    let scoped = false;
    for (const view of ctx.views) {
      const server = serverOf(view, occ.directive);
      if (!server) continue;
      scoped = true;
      const inside = blockDirectives(view, server);
      const files = new Set<SourceFile>();
      for (const d of inside) {
        const s = view.sourceOf(d);
        if (s) files.add(s);
      }
      for (const s of files) for (const o of fileSymbols(s.file)) if (o.kind === occ.kind && o.name === occ.name && inside.has(o.directive)) push(s, o);
    }
    if (scoped) return out;
  }
  for (const s of configFiles(ctx)) for (const o of fileSymbols(s.file)) if (o.kind === occ.kind && o.name === occ.name) push(s, o);
  return out;
}

function toLoc(h: SymbolHit): OffsetLocation {
  return { source: h.source, start: h.occurrence.start, end: h.occurrence.end };
}

/** The include directive whose argument is under the offset. */
function includeAt(ctx: FeatureContext, offset: number): Directive | null {
  const d = directiveAt(ctx.source.file, offset);
  if (!d || d.name !== 'include' || !d.args[0]) return null;
  const w = wordAt(d, offset);
  return w === d.args[0] || w === d.nameWord ? d : null;
}

function includeTargets(ctx: FeatureContext, d: Directive): string[] {
  const seen = new Set<string>();
  for (const v of ctx.views) for (const t of ctx.workspace.includeTargets(v, d)) seen.add(t);
  return [...seen];
}

export function findDefinition(ctx: FeatureContext, offset: number): OffsetLocation[] {
  const placeholder = templateDefinition(ctx, offset);
  if (placeholder) return placeholder;
  const inc = includeAt(ctx, offset);
  if (inc) {
    const out: OffsetLocation[] = [];
    for (const t of includeTargets(ctx, inc)) {
      const source = ctx.workspace.sourceAt(t);
      if (source) out.push({ source, start: 0, end: 0 });
    }
    return out;
  }
  const occ = occurrenceAt(ctx.source.file, offset);
  if (!occ) return [];
  let defs = occurrencesOf(ctx, occ).filter((h) => h.occurrence.def);
  if (!defs.length && occ.kind !== 'named-location') {
    // a file no configuration reaches (or a definition outside it): look through every known file
    for (const s of ctx.workspace.knownSources()) for (const o of fileSymbols(s.file)) if (o.def && o.kind === occ.kind && o.name === occ.name) defs.push({ source: s, occurrence: o });
  }
  return defs.map(toLoc);
}

export function findReferences(ctx: FeatureContext, offset: number, includeDeclaration: boolean): OffsetLocation[] {
  const inc = includeAt(ctx, offset);
  if (inc) return [];
  const occ = occurrenceAt(ctx.source.file, offset);
  if (!occ) return [];
  return occurrencesOf(ctx, occ).filter((h) => includeDeclaration || !h.occurrence.def).map(toLoc);
}

/**
 * The occurrences of the symbol under the cursor in this file (document highlight): the same
 * upstream, variable, named location, zone or log format, not every equal word. Definitions are
 * marked so the editor can show them as writes.
 */
export function documentHighlights(ctx: FeatureContext, offset: number): { start: number; end: number; def: boolean }[] {
  const occ = occurrenceNear(ctx.source.file, offset);
  if (!occ) return [];
  const out: { start: number; end: number; def: boolean }[] = [];
  if (occ.kind === 'named-location') {
    // scoped to their server, which only the views know
    for (const h of occurrencesOf(ctx, occ)) if (h.source.uri === ctx.source.uri) out.push({ start: h.occurrence.start, end: h.occurrence.end, def: h.occurrence.def });
    return out;
  }
  // every other kind is one name space per configuration: this file's occurrences are enough
  for (const o of occurrencesInFile(ctx.source.file, occ.kind, occ.name)) out.push({ start: o.start, end: o.end, def: o.def });
  return out;
}

/** The range of the symbol that would be renamed, or null when nothing renameable is there. */
export function prepareRename(ctx: FeatureContext, offset: number): { start: number; end: number; placeholder: string } | null {
  const occ = occurrenceAt(ctx.source.file, offset);
  if (!occ) return null;
  const hits = occurrencesOf(ctx, occ);
  // only symbols the configuration defines (not built-in variables, not plain addresses)
  if (!hits.some((h) => h.occurrence.def)) return null;
  return { start: occ.start, end: occ.end, placeholder: occ.name };
}

/** Thrown when a new name is not acceptable; the message is meant for the user. */
export class RenameError extends Error {}

export function rename(ctx: FeatureContext, offset: number, newName: string): { location: OffsetLocation; newText: string }[] | null {
  const occ = occurrenceAt(ctx.source.file, offset);
  if (!occ) return null;
  const hits = occurrencesOf(ctx, occ);
  if (!hits.some((h) => h.occurrence.def)) return null;
  const v = validateNewName(occ.kind, newName);
  if ('error' in v) throw new RenameError(v.error);
  if (v.name === occ.name) return [];
  const clash = occurrencesOf(ctx, { ...occ, name: v.name }).some((h) => h.occurrence.def);
  if (clash) throw new RenameError(`'${v.name}' is already defined`);
  return hits.map((h) => ({ location: toLoc(h), newText: v.name }));
}

export function documentLinks(ctx: FeatureContext): { start: number; end: number; target: string; tooltip?: string }[] {
  const out: { start: number; end: number; target: string; tooltip?: string }[] = [];
  const visit = (list: SourceFile['file']['children']) => {
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      if (s.name === 'include' && s.args[0]) {
        const targets = includeTargets(ctx, s);
        if (targets.length) {
          const w = s.args[0];
          const q = w.quote ? 1 : 0;
          const link: { start: number; end: number; target: string; tooltip?: string } = {
            start: w.start + q,
            end: w.end - q,
            target: ctx.workspace.uriOf(targets[0]),
          };
          if (targets.length > 1 || /[*?[]/.test(includeArgument(s))) {
            const base = commonFolder(targets);
            const names = targets.slice(0, 20).map((t) => (base ? relative(base, t) : t));
            link.tooltip = `${targets.length} file${targets.length === 1 ? '' : 's'} match: ${names.join(', ')}${targets.length > 20 ? ', …' : ''}`;
          }
          out.push(link);
        }
      }
      if (s.block && s.block.body !== 'lua') visit(s.block.children);
    }
  };
  visit(ctx.source.file.children);
  return out;
}

function commonFolder(paths: string[]): string {
  if (!paths.length) return '';
  let base = paths[0].slice(0, paths[0].lastIndexOf('/'));
  for (const p of paths) while (base && !p.startsWith(base + '/')) base = base.slice(0, base.lastIndexOf('/'));
  return base;
}


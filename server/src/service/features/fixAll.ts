/**
 * "Fix all issues" (`source.fixAll.nginx`: every rule the registry marks `fixAll`) and its
 * per-family variant "Fix all WebSocket issues" (`source.fixAll.nginx-websocket`), in one location or
 * in the whole file.
 *
 * Fixes are not independent — several rules want the `$connection_upgrade` map, copying the
 * inherited headers changes what the other rules see — so they are applied one at a time to an
 * in-memory copy of the configuration, which is re-parsed and re-validated after each one. The
 * result is one Fix whose edits turn each original file into its final text (one minimal edit per
 * changed file: the differing middle between the common prefix and suffix).
 */
import { applyEdits, minimalEdit } from '../analysis/edits';
import { fixAllRules } from '../analysis/registry';
import type { Fix, Rule, RuleFamily, SourceFile, TextEditAt } from '../analysis/types';
import { validateFile, type ResolvedFinding } from '../analysis/validate';
import { parse } from '../syntax/parser';
import { allDirectives } from '../syntax/query';
import type { Directive, ParsedFile } from '../syntax/tree';
import type { FileSystem } from '../workspace/fileSystem';
import { uriToPath as fileUriToPath } from '../paths';
import { Workspace } from '../workspace/workspace';
import type { FeatureContext } from './context';

/** Upper bound on fixes applied in one run (each re-validates the configuration). */
const MAX_STEPS = 60;

/** One fix-all source action: its code action kind, the rules it applies, and how its title names them. */
export interface FixAllVariant {
  kind: string;
  /** only this family's fix-all rules (none: every family's) */
  family?: RuleFamily;
  /** "issues", "WebSocket issues": the title is `Fix all <what> in this file|location` */
  what: string;
}

/** Code action kind of "Fix all issues": every rule of the registry marked fixAll. */
export const FIX_ALL_KIND = 'source.fixAll.nginx';
/** Code action kind of "Fix all WebSocket issues" (kept for clients and keybindings that ask for it). */
export const FIX_ALL_WEBSOCKET_KIND = 'source.fixAll.nginx-websocket';

export const FIX_ALL: FixAllVariant = { kind: FIX_ALL_KIND, what: 'issues' };
export const FIX_ALL_WEBSOCKET: FixAllVariant = { kind: FIX_ALL_WEBSOCKET_KIND, family: 'websocket', what: 'WebSocket issues' };
/** The generic variant first: when a client asks for `source.fixAll` it gets that one only (see languageService). */
export const FIX_ALL_VARIANTS: readonly FixAllVariant[] = [FIX_ALL, FIX_ALL_WEBSOCKET];

/** The rules of a variant, in registry order (the order their fixes apply in), and that order by code. */
const variantRules = new Map<FixAllVariant, { rules: Rule[]; order: Map<string, number> }>();
function rulesOf(variant: FixAllVariant): { rules: Rule[]; order: Map<string, number> } {
  let r = variantRules.get(variant);
  if (!r) {
    const rules = fixAllRules(variant.family);
    variantRules.set(variant, (r = { rules, order: new Map(rules.map((x, i) => [x.code, i])) }));
  }
  return r;
}

/** The codes a variant fixes (for deciding whether to offer it). */
export function fixAllCodes(variant: FixAllVariant): ReadonlySet<string> {
  return new Set(rulesOf(variant).order.keys());
}

/** A document's path: its file: URI's, or the text itself for a bare absolute path (as tests pass). */
function uriToPath(uri: string): string | null {
  return uri.startsWith('file://') ? fileUriToPath(uri) : uri.startsWith('/') ? uri : null;
}

/** The real file system, with the texts being fixed laid over it. */
class OverlayFileSystem implements FileSystem {
  constructor(private readonly base: FileSystem | null, private readonly texts: Map<string, string>) {}
  private overlay(path: string): string | undefined {
    for (const [uri, text] of this.texts) if (uriToPath(uri) === path) return text;
    return undefined;
  }
  readFile(path: string): string | null {
    return this.overlay(path) ?? this.base?.readFile(path) ?? null;
  }
  readDir(path: string) {
    return this.base?.readDir(path) ?? null;
  }
  isFile(path: string): boolean {
    return this.overlay(path) !== undefined || (this.base?.isFile(path) ?? false);
  }
  isDirectory(path: string): boolean {
    return this.base?.isDirectory(path) ?? false;
  }
}

/** The `location` (or `if`/`limit_except`) around `offset`, as its ordinal among the file's locations. */
function locationOrdinal(file: ParsedFile, offset: number): number {
  let found = -1;
  let i = 0;
  for (const d of allDirectives(file.children)) {
    if (d.name !== 'location' || d.isEntry || !d.block) continue;
    if (d.start <= offset && offset <= d.end) found = i; // innermost wins: nested ones come later
    i++;
  }
  return found;
}

function locationByOrdinal(file: ParsedFile, ordinal: number): Directive | null {
  let i = 0;
  for (const d of allDirectives(file.children)) {
    if (d.name !== 'location' || d.isEntry || !d.block) continue;
    if (i++ === ordinal) return d;
  }
  return null;
}

export interface FixAllResult {
  /** final text per uri (changed files only) */
  texts: Map<string, string>;
  /** titles of the fixes applied, in order */
  applied: string[];
}

/**
 * Applies the variant's fixes iteratively to an in-memory copy; `offset` limits them to the location
 * around it (null: the whole file). Returns the final texts of the changed files.
 */
export function runFixAll(ctx: FeatureContext, offset: number | null, variant: FixAllVariant = FIX_ALL_WEBSOCKET): FixAllResult | null {
  const { rules, order: ORDER } = rulesOf(variant);
  const uri = ctx.source.uri;
  let ordinal = -1;
  if (offset !== null) {
    ordinal = locationOrdinal(ctx.source.file, offset);
    if (ordinal < 0) return null;
  }
  const originals = new Map<string, string>();
  for (const s of [ctx.source, ...ctx.view.files()]) if (!originals.has(s.uri)) originals.set(s.uri, s.file.text);
  const texts = new Map(originals);
  const tried = new Set<string>();
  const applied: string[] = [];
  for (let step = 0; step < MAX_STEPS; step++) {
    const ws = new Workspace(new OverlayFileSystem(ctx.workspace.fs, texts), ctx.workspace.folders);
    ws.settings = ctx.settings;
    for (const [u, t] of texts) ws.setDocument(u, t);
    const src = ws.getSource(uri);
    if (!src) break;
    let findings: ResolvedFinding[] = validateFile(src.file, ws.viewsFor(uri), ctx.settings, rules)
      .filter((f) => ORDER.has(f.code) && f.fixes);
    if (ordinal >= 0) {
      const loc = locationByOrdinal(src.file, ordinal);
      if (!loc) break;
      findings = findings.filter((f) => f.start >= loc.start && f.end <= loc.end);
    }
    findings.sort((a, b) => ORDER.get(a.code)! - ORDER.get(b.code)! || a.start - b.start);
    // One fix per location per round (locations do not affect each other, except through shared
    // edits such as the map, which are de-duplicated); conflicting edits wait for the next round.
    const locations = [...allDirectives(src.file.children)].filter((d) => d.name === 'location' && !d.isEntry && d.block);
    const groupOf = (f: ResolvedFinding): number => {
      let g = -1;
      for (let i = 0; i < locations.length; i++) if (locations[i].start <= f.start && f.end <= locations[i].end) g = i;
      return g;
    };
    const chosen: TextEditAt[] = [];
    const usedGroups = new Set<number>();
    const titles: string[] = [];
    const round = hash(texts);
    for (const f of findings) {
      const group = groupOf(f);
      if (usedGroups.has(group)) continue;
      const key = `${f.code}@${f.start}:${round}`;
      if (tried.has(key)) continue;
      tried.add(key);
      let fixes: Fix[] = [];
      try { fixes = f.fixes!(); } catch { fixes = []; }
      const fix = fixes.find((x) => x.isPreferred) ?? fixes[0];
      if (!fix || !fix.edits.length) continue;
      const fresh = fix.edits.filter((e) => !chosen.some((c) => sameEdit(c, e)));
      if (fresh.some((e) => chosen.some((c) => conflicts(c, e)))) {
        // wait for the next round, keeping this location's order of fixes
        tried.delete(key);
        usedGroups.add(group);
        continue;
      }
      chosen.push(...fresh);
      usedGroups.add(group);
      titles.push(fix.title);
    }
    if (!chosen.length) break;
    const byUri = new Map<string, TextEditAt[]>();
    for (const e of chosen) (byUri.get(e.source.uri) ?? byUri.set(e.source.uri, []).get(e.source.uri)!).push(e);
    let changed = false;
    for (const [u, edits] of byUri) {
      const base = texts.get(u) ?? edits[0].source.file.text;
      if (!originals.has(u)) originals.set(u, edits[0].source.file.text);
      const next = applyEdits(base, edits);
      if (next !== base) { texts.set(u, next); changed = true; }
    }
    if (changed) applied.push(...titles);
  }
  const out = new Map<string, string>();
  for (const [u, t] of texts) if (originals.get(u) !== t) out.set(u, t);
  return { texts: out, applied };
}

function sameEdit(a: TextEditAt, b: TextEditAt): boolean {
  return a.source.uri === b.source.uri && a.start === b.start && a.end === b.end && a.newText === b.newText;
}

function conflicts(a: TextEditAt, b: TextEditAt): boolean {
  if (a.source.uri !== b.source.uri) return false;
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

function hash(texts: Map<string, string>): string {
  let h = 0;
  for (const [u, t] of texts) {
    const s = u + '\0' + t;
    for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  }
  return h.toString(36);
}

/**
 * Results per parsed file (a new parse is a new SourceFile), keyed by scope, settings and the other
 * files' texts: editors ask for code actions on every cursor move, and the answer only changes with
 * the text.
 */
const memo = new WeakMap<SourceFile, Map<string, Fix | null>>();

/** One combined fix applying all WebSocket fixes in the file (or only in the location at `offset`). */
export function fixAllWebSocket(ctx: FeatureContext, offset: number | null): Fix | null {
  return fixAll(ctx, offset, FIX_ALL_WEBSOCKET);
}

/** One combined fix applying all of a variant's fixes in the file (or only in the location at `offset`). */
export function fixAll(ctx: FeatureContext, offset: number | null, variant: FixAllVariant): Fix | null {
  const scope = offset === null ? 'file' : `location#${locationOrdinal(ctx.source.file, offset)}`;
  if (scope === 'location#-1') return null;
  const others = ctx.view.files().filter((f) => f !== ctx.source).map((f) => `${f.uri}:${f.file.text.length}:${hash(new Map([[f.uri, f.file.text]]))}`);
  const key = `${variant.kind}|${scope}|${JSON.stringify(ctx.settings)}|${others.join(',')}`;
  let perFile = memo.get(ctx.source);
  if (!perFile) memo.set(ctx.source, (perFile = new Map()));
  if (perFile.has(key)) return perFile.get(key)!;
  const fix = computeFixAll(ctx, offset, variant);
  if (perFile.size > 32) perFile.clear();
  perFile.set(key, fix);
  return fix;
}

function computeFixAll(ctx: FeatureContext, offset: number | null, variant: FixAllVariant): Fix | null {
  const result = runFixAll(ctx, offset, variant);
  if (!result || result.texts.size === 0) return null;
  const edits: TextEditAt[] = [];
  for (const [u, text] of result.texts) {
    const source: SourceFile = findSource(ctx, u);
    const e = minimalEdit(source.file.text, text);
    if (e) edits.push({ source, ...e });
  }
  if (!edits.length) return null;
  return {
    title: `Fix all ${variant.what} in this ${offset === null ? 'file' : 'location'}`,
    edits,
  };
}

function findSource(ctx: FeatureContext, uri: string): SourceFile {
  if (ctx.source.uri === uri) return ctx.source;
  for (const s of ctx.view.files()) if (s.uri === uri) return s;
  const w = ctx.workspace.getSource(uri);
  if (w) return w;
  const text = ctx.workspace.fs?.readFile(uriToPath(uri) ?? uri) ?? '';
  return { uri, file: parse(text) };
}

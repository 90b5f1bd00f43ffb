/**
 * The nginx language service: a plain library of verbs over a workspace of parsed files, in the
 * manner of vscode-css-languageservice. It speaks LSP *types* (vscode-languageserver-types) but has
 * no connection and no editor imports; server.ts and cli.ts wire it to the outside world.
 */
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  DocumentHighlightKind,
  type CompletionItem, type CompletionList,
  type DocumentHighlight,
  type Diagnostic,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InlayHint,
  type Location,
  type Position,
  type Range,
  type SymbolInformation,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { configRules } from './analysis/registry';
import type { Fix, Rule, SourceFile } from './analysis/types';
import { groupFindings, type ShownFinding } from './analysis/group';
import { validateFile, parserFindings, ruleFindings, withoutDisabled, type ResolvedFinding } from './analysis/validate';
import { adoptFinding, carryFinding, compactFile, compactOffset, keyText, realOffset, serverEdit, serverOf, serverSkeleton, topServers, type Across, type Compact } from './analysis/incremental';
import { directiveItemData, directiveItemDocumentation, getCompletions } from './features/completion';
import type { FeatureContext, OffsetLocation } from './features/context';
import { describeEffectiveConfiguration, getEffectiveHover } from './features/effectiveHover';
import { fixAll, fixAllCodes, FIX_ALL, FIX_ALL_KIND, FIX_ALL_VARIANTS, FIX_ALL_WEBSOCKET, FIX_ALL_WEBSOCKET_KIND, type FixAllVariant } from './features/fixAll';
import { getFoldingRanges } from './features/folding';
import { formatFile, formatOnType, type FormatOptions, type OffsetEdit } from './features/formatting';
import { getHover } from './features/hover';
import { routeRequest, type RouteRequest, type RouteResult } from './features/route';
import { httpLevelOf } from './analysis/routing/level';
import { lensLocations, resolveRouteLens, type LensContext, type ResolvedRouteLens } from './features/routeLens';
import { detectFromFiles, isVersionSource, versionFromComment, type AssumedVersion } from './workspace/versionDetect';
import { join as joinPath, uriToPath } from './paths';
import { getInlayHints } from './features/inlayHints';
import * as nav from './features/navigation';
import { documentSymbols, workspaceSymbols, type OutlineReuse } from './features/symbols';
import { defaultSettings, type Settings, type SeverityName } from './settings';
import { offsetAt, positionAt, rangeOf } from './syntax/positions';
import { directiveAt, enclosingBlockOwner, includesOf } from './syntax/query';
import type { Directive, ParsedFile } from './syntax/tree';
import { INPUT_LIMIT } from './syntax/parser';
import type { FileSystem } from './workspace/fileSystem';
import { Workspace } from './workspace/workspace';
import { GraphView } from './workspace/configView';
import type { ConfigView } from './model/config';
import { pathToUri } from './paths';
import { parse } from './syntax/parser';
import { renderExact, validateTemplate } from './templates/validate';
import { setTemplateValues, templateOf, type TemplateFile } from './templates/template';

export const SOURCE = 'nginx';

/** Code action kinds of "Fix all issues" and of its WebSocket variant (features/fixAll.ts). */
export { FIX_ALL_KIND, FIX_ALL_WEBSOCKET_KIND };

const SEVERITY: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Diagnostics kept per file (then one `input-limit` note); docs/limits.md. */
export const MAX_DIAGNOSTICS = 1000;

/**
 * A parsed file's `# nginx: version=` comment, read once per parse: the version of a site file is
 * asked per validation, and reading every file of a 10,000-file configuration again cost 15 ms.
 */
const commentVersions = new WeakMap<ParsedFile, string | null>();
function commentVersionOf(file: ParsedFile): string | null {
  let v = commentVersions.get(file);
  if (v === undefined) commentVersions.set(file, (v = versionFromComment(file.text)));
  return v;
}

export interface LanguageServiceOptions {
  fs?: FileSystem | null;
  /** workspace folder paths (absolute) */
  folders?: string[];
  settings?: Settings;
  /** rules to run (default: all) */
  rules?: readonly Rule[];
  /**
   * The address of a rule's documentation page (a diagnostic's code links to it), or null when
   * there is none to link to: a link that 404s is worse than no link. Default: no links.
   */
  ruleDocs?: (code: string) => string | null;
}

export interface DiagnosticData {
  /** index of the finding in the last validation of the document */
  index: number;
  version: string;
}

/** the compact copy's other servers reduced to nothing */
const NOTHING: Across = () => false;
/** a directive any of `list` looks across at */
const anyOf = (list: Across[]): Across => (d, t) => { for (const a of list) if (a(d, t)) return true; return false; };

export class LanguageService {
  readonly workspace: Workspace;
  private settings: Settings;
  private readonly rules: readonly Rule[];
  private readonly ruleDocs: (code: string) => string | null;
  /** one link object per code (a large file has thousands of diagnostics of a few codes) */
  private readonly docLinks = new Map<string, { href: string } | null>();
  /**
   * findings per uri, from the last validation, with the text they were computed for: each one
   * (`list`, for the CLI) and as the editor shows them, grouped per block (`shown`, analysis/group.ts)
   */
  private readonly findings = new Map<string, { text: string; generation: number; list: ResolvedFinding[]; shown: ShownFinding[] }>();
  /** per document, each rule's findings of its last analysis, for incremental validation (analyse) */
  private readonly lastRun = new Map<string, LastRun>();
  /** per version of a document, the findings of single rules run again for the fixes of incremental findings */
  private readonly refound = new WeakMap<SourceFile, Map<number, ResolvedFinding[]>>();
  /** analyses of single-view files so far: whole (every rule over the file) and incremental */
  readonly validationCounts = { whole: 0, incremental: 0, prepared: 0 };
  /** rank of each rule code, for the order of a group's members of the same severity */
  private readonly ruleOrder: (code: string) => number;
  /** bumped whenever any file, setting or folder changes: a finding depends on the whole configuration */
  private generation = 0;

  constructor(options: LanguageServiceOptions = {}) {
    this.settings = options.settings ?? defaultSettings;
    this.rules = options.rules ?? configRules;
    this.ruleDocs = options.ruleDocs ?? (() => null);
    const rank = new Map(this.rules.map((r, i) => [r.code, i]));
    this.ruleOrder = (code) => rank.get(code) ?? rank.size;
    this.workspace = new Workspace(options.fs ?? null, options.folders ?? []);
    this.workspace.settings = this.settings;
  }

  configure(settings: Settings): void {
    this.settings = settings;
    this.detected = undefined;
    this.versionSettings.clear();
    this.workspace.settings = settings;
    this.workspace.refresh();
    this.findings.clear();
    this.generation++;
  }

  /** Re-reads the workspace folders (folders or files added or removed). */
  refresh(): void {
    this.workspace.refresh();
    this.generation++;
  }

  /** The workspace folders (absolute paths). */
  folders(): string[] {
    return this.workspace.folders;
  }

  /** Sets the workspace folders; `refresh()` reads them. */
  setFolders(folders: string[]): void {
    this.workspace.folders = folders;
  }

  /**
   * Reads what the configuration includes wherever it is (the CLI: the user pointed it at the
   * files on purpose), with the same file-type, size and glob bounds as in the editor.
   */
  readOutsideWorkspace(): void {
    this.workspace.readOutsideWorkspace = true;
    this.workspace.refresh();
  }

  /** Problems with the settings (a bad glob, a path map entry that is no folder), to log once. */
  settingsProblems(): string[] {
    return this.workspace.settingsProblems();
  }

  /** The files whose analysis depends on any of `uris` (they include them, directly or not). */
  dependentsOfAll(uris: string[]): string[] {
    return this.workspace.dependentsOfAll(uris);
  }

  /** The document is open in the editor (its text comes from the client, not from disk). */
  isOpen(uri: string): boolean {
    return this.workspace.isOpen(uri);
  }

  /** The paths `uri`'s includes reach (transitively, below it only), in nginx's reading order. */
  includedPaths(uri: string): string[] {
    const out: string[] = [];
    for (const view of this.workspace.viewsFor(uri)) {
      if (!(view instanceof GraphView)) continue;
      const nodes = view.config.nodes;
      const seen = new Set<string>([view.path]);
      const queue = [view.path];
      while (queue.length) {
        const node = nodes.get(queue.shift()!);
        if (!node) continue;
        for (const e of node.edges) {
          for (const t of e.targets) {
            if (seen.has(t)) continue;
            seen.add(t);
            queue.push(t);
            if (!out.includes(t)) out.push(t);
          }
        }
      }
    }
    return out;
  }

  /**
   * Files changed on disk (`appearedOrWent`: one was created or deleted), told to the workspace as one
   * batch; the files whose analysis depended on them before the change or depends on them after it.
   * A batch (a `git checkout` sends thousands of events) costs at most two graph builds.
   */
  filesChanged(uris: string[], appearedOrWent: boolean): string[] {
    const affected = new Set(this.dependentsOfAll(uris));
    for (const u of uris) this.fileChanged(u);
    if (appearedOrWent) this.filesAppearedOrWent();
    for (const t of this.dependentsOfAll(uris)) affected.add(t);
    return [...affected];
  }

  /** Files appeared or disappeared (after `fileChanged` for each): rebuild the graphs, keep unrelated caches. */
  filesAppearedOrWent(): void {
    this.workspace.filesAppearedOrWent();
    this.generation++;
  }

  getSettings(): Settings {
    return this.settings;
  }

  // ---------------------------------------------------------------- nginx version

  /** the workspace folders' Dockerfile/compose answer (undefined: not looked yet) */
  private detected: AssumedVersion | null | undefined;
  /** settings with a detected version, one object per version (the rules cache by settings object) */
  private readonly versionSettings = new Map<string, Settings>();

  /**
   * The nginx version `uri` is analysed for, and why: the `nginx.version` setting; else a
   * `# nginx: version=…` comment at the top of the file or of a main file that includes it; else the
   * image of a Dockerfile / compose file / Kubernetes manifest at the top of a workspace folder (or
   * one folder down); else null (unknown).
   */
  assumedVersion(uri: string): AssumedVersion | null {
    if (this.settings.version) return { version: this.settings.version, why: 'the "nginx.version" setting' };
    const source = this.workspace.getSource(uri);
    if (source) {
      const own = versionFromComment(source.file.text);
      if (own) return { version: own, why: 'the `# nginx: version=` comment of this file' };
      for (const view of this.workspace.viewsFor(uri)) {
        for (const f of view.files()) {
          const v = f === source ? null : commentVersionOf(f.file);
          if (v) return { version: v, why: `the \`# nginx: version=\` comment of ${f.uri.slice(f.uri.lastIndexOf('/') + 1)}` };
        }
      }
    }
    if (this.detected === undefined) this.detected = this.detectFromFolders();
    return this.detected;
  }

  /** Dockerfiles, compose files and manifests at the top of each folder and one level down (bounded). */
  private detectFromFolders(): AssumedVersion | null {
    const fs = this.workspace.fs;
    if (!fs) return null;
    const files: { path: string; text: string }[] = [];
    for (const folder of this.workspace.folders) {
      const root = folder.startsWith('file:') ? uriToPath(folder) : folder;
      if (!root) continue;
      const dirs = [root];
      for (const e of fs.readDir(root) ?? []) if (e.isDirectory && !e.name.startsWith('.') && e.name !== 'node_modules') dirs.push(joinPath(root, e.name));
      for (const dir of dirs.slice(0, 50)) {
        for (const e of fs.readDir(dir) ?? []) {
          if (e.isDirectory || !isVersionSource(e.name) || files.length >= 200) continue;
          const text = fs.readFile(joinPath(dir, e.name));
          if (text !== null && text.length < 1_000_000) files.push({ path: joinPath(dir, e.name), text });
        }
      }
    }
    return detectFromFiles(files);
  }

  /** The settings `uri` is analysed with: `nginx.version` filled in by assumedVersion when empty. */
  private settingsFor(uri: string): Settings {
    if (this.settings.version) return this.settings;
    const v = this.assumedVersion(uri);
    if (!v) return this.settings;
    let s = this.versionSettings.get(v.version);
    if (!s) this.versionSettings.set(v.version, (s = { ...this.settings, version: v.version }));
    return s;
  }

  // ---------------------------------------------------------------- documents

  openDocument(uri: string, text: string, version: number | null = null): SourceFile {
    this.generation++;
    return this.workspace.setDocument(uri, text, version);
  }

  closeDocument(uri: string): void {
    this.workspace.closeDocument(uri);
    this.findings.delete(uri);
    this.outlines.delete(uri);
    this.generation++;
  }

  fileChanged(uri: string): void {
    // a Dockerfile / compose file / manifest may name another image now
    if (isVersionSource(uri.slice(uri.lastIndexOf('/') + 1))) { this.detected = undefined; this.findings.clear(); }
    this.workspace.fileChanged(uri);
    this.generation++;
  }

  /** uris whose diagnostics may change when `uri` changes (itself included) */
  dependents(uri: string): string[] {
    return this.workspace.dependents(uri);
  }

  /**
   * The files of the workspace's configurations that are not open, in reading order, at most
   * `settings.diagnostics.maxFiles` (none when the scope is open files only): the files whose
   * problems the editor shows without the user opening them.
   */
  unopenedConfigurationFiles(): string[] {
    const { scope, maxFiles } = this.settings.diagnostics;
    if (scope !== 'configuration' || !this.workspace.fs) return [];
    const out: string[] = [];
    const seen = new Set<string>();
    for (const c of this.workspace.configurations()) {
      for (const path of c.order) {
        if (out.length >= maxFiles) return out;
        const uri = this.workspace.uriOf(path);
        if (seen.has(uri) || this.workspace.isOpen(uri)) continue;
        seen.add(uri);
        out.push(uri);
      }
    }
    return out;
  }

  parsed(uri: string): ParsedFile | null {
    return this.workspace.getSource(uri)?.file ?? null;
  }

  private context(uri: string): FeatureContext | null {
    const source = this.workspace.getSource(uri);
    if (!source) return null;
    const views = this.workspace.viewsFor(uri);
    if (!views.length) return null;
    return { source, view: views[0], views, settings: this.settingsFor(uri), workspace: this.workspace };
  }

  // ---------------------------------------------------------------- diagnostics

  /** Findings with offsets, each on its own (used by the CLI and tests; the editor's are grouped: `shownFindings`). */
  findingsFor(uri: string): ResolvedFinding[] {
    return this.analyse(uri)?.list ?? [];
  }

  /** Findings as the editor shows them: those of one block grouped into one (analysis/group.ts). */
  shownFindings(uri: string): ShownFinding[] {
    const source = this.workspace.getSource(uri);
    return source ? this.currentFindings(uri, source) : [];
  }

  private analyse(uri: string): { list: ResolvedFinding[]; shown: ShownFinding[] } | null {
    const source = this.workspace.getSource(uri);
    if (!source) return null;
    // a template is analysed as the text it renders to (templates/validate.ts)
    const template = templateOf(this.workspace, uri, source.file);
    const settings = this.settingsFor(uri);
    let all: ResolvedFinding[];
    const views = template ? [] : this.workspace.viewsFor(uri);
    if (template || views.length !== 1) {
      this.lastRun.delete(uri);
      all = template
        ? validateTemplate(template, source, settings, this.rules, (p) => this.otherSource(p)).findings
        : validateFile(source.file, views, settings, this.rules);
    } else {
      const servers = topServers(source.file);
      const inc = this.incrementalFindings(uri, source, servers, settings);
      let buckets: ResolvedFinding[][];
      if (inc) {
        buckets = inc.buckets;
        this.validationCounts.incremental++;
      } else {
        buckets = ruleFindings(views[0], settings, this.rules);
        this.validationCounts.whole++;
      }
      this.lastRun.set(uri, { source, servers, settings, buckets, epoch: this.workspace.epoch, skeletons: inc?.skeletons ?? new Map() });
      all = parserFindings(source.file, settings);
      for (const b of buckets) for (const f of b) all.push(f);
      all = withoutDisabled(source.file, all);
    }
    const byPlace = (a: ResolvedFinding, b: ResolvedFinding) => a.start - b.start || a.end - b.end;
    all.sort(byPlace);
    const shown = groupFindings(all, source, this.ruleOrder);
    if (shown !== all) shown.sort(byPlace);
    const entry = { text: source.file.text, generation: this.generation, list: capped(all), shown: shown === all ? capped(all) : capped(shown) };
    this.findings.set(uri, entry);
    return entry;
  }

  /**
   * Each rule's findings after an edit inside one server block, from the previous analysis
   * (analysis/incremental.ts). The rules whose reach is one server, and those that look only at
   * some directives of other servers when the edit left those alone in its server, run over a
   * compact copy: the edited server whole, the others reduced to the directives such rules look at;
   * their findings in the edited server are taken from it and the others carried over. The rest
   * run over the whole file. Null when the previous analysis does not apply (another file, the
   * settings or the includes changed; the edit left its server; fewer than two servers; a server
   * that includes files).
   */
  private incrementalFindings(uri: string, source: SourceFile, servers: Directive[], settings: Settings): Pick<LastRun, 'buckets' | 'skeletons'> | null {
    const last = this.lastRun.get(uri);
    if (!last || last.settings !== settings || last.buckets.length !== this.rules.length || !this.workspace.onlyEditedSince(uri, last.epoch)) return null;
    if (last.source === source) return last;
    const edit = serverEdit(last.source.file, last.servers, source.file, servers);
    if (!edit) return null;
    // a server reduced to a skeleton must not include files (the configuration's files would change)
    if (includesOf(source.file).some((d) => { const i = serverOf(servers, d.start); return i >= 0 && i !== edit.index; })) return null;
    // the skeletons of the previous analysis still hold for all but the edited server
    const skeletons = new Map<string, (number[] | null)[]>();
    for (const [k, list] of last.skeletons) {
      const copy = list.slice();
      copy[edit.index] = null;
      skeletons.set(k, copy);
    }
    // a syntax error elsewhere: error recovery may read the compact copy differently
    const inside = (e: { start: number }, s: Directive) => e.start >= s.start && e.start < s.end;
    if (source.file.errors.some((e) => !inside(e, edit.after)) || last.source.file.errors.some((e) => !inside(e, edit.before))) return null;
    const oldText = last.source.file.text, text = source.file.text;
    // per rule: found again in the edited server over a compact copy (the other servers reduced to
    // nothing, or to the directives some rules look at), carried whole, or the whole file again
    const { local, keyed, carried, wholeIndex, across } = this.ruleSets((a) => {
      const before = keyText(oldText, edit.before, a);
      return before !== null && before === keyText(text, edit.after, a);
    });
    const runCompact = (indices: number[], keep: Across) => {
      if (!indices.length) return { buckets: [] as ResolvedFinding[][], compact: null as Compact | null, source: null as SourceFile | null };
      // skeletons depend on the rules kept: one list per set of rules
      const set = indices.join(',');
      let cached = skeletons.get(set);
      if (!cached) skeletons.set(set, (cached = []));
      const compact = compactFile(text, servers, (i) => i === edit.index, keep, cached);
      if (!compact) return null;
      const tree = parse(compact.text);
      if (tree.errors.some((e) => { const o = realOffset(compact, e.start); return o < edit.after.start || o >= edit.after.end; })) return null;
      // only findings inside the edited server are kept: rules may skip the rest of the copy
      const at = compactOffset(compact, edit.after.start);
      if (at < 0) return null;
      const focus = { start: at, end: at + (edit.after.end - edit.after.start) };
      return this.workspace.withText(uri, tree, () => {
        const views = this.workspace.viewsFor(uri);
        return views.length === 1 ? { source: views[0].source, buckets: ruleFindings(views[0], settings, indices.map((i) => this.rules[i]), null, focus), compact } : null;
      });
    };
    const found1 = runCompact(local, NOTHING);
    const found2 = found1 && runCompact(keyed, anyOf(across));
    if (!found1 || !found2) return null;
    const views = this.workspace.viewsFor(uri);
    if (views.length !== 1) return null;
    const out: ResolvedFinding[][] = new Array(this.rules.length);
    const wholeRules = wholeIndex.map((i) => this.rules[i]);
    const whole = ruleFindings(views[0], settings, wholeRules);
    wholeIndex.forEach((ri, k) => { out[ri] = whole[k]; });
    const { start: from, end: to } = edit.after;
    const carry = (ri: number, bucket: ResolvedFinding[], all: boolean) => {
      for (const f of last.buckets[ri]) {
        if (!all && serverOf(last.servers, f.start) === edit.index) continue;
        const moved = carryFinding(f, edit, last.source, source, undefined);
        if (f.fixes) moved.fixes = this.refoundFixes(uri, source, ri, moved);
        bucket.push(moved);
      }
    };
    for (const ri of carried) carry(ri, (out[ri] = []), true);
    for (const [indices, found] of [[local, found1], [keyed, found2]] as const) {
      indices.forEach((ri, k) => {
        const bucket: ResolvedFinding[] = [];
        // previous findings outside the edited server, then the new ones inside it; analyse sorts by place
        carry(ri, bucket, false);
        for (const f of found.buckets[k]) {
          const real = adoptFinding(f, found.compact!, found.source!, source, undefined);
          if (real.start < from || real.start >= to) continue;
          if (f.fixes) real.fixes = this.refoundFixes(uri, source, ri, real);
          bucket.push(real);
        }
        out[ri] = bucket;
      });
    }
    return { buckets: out, skeletons };
  }

  /**
   * The rules by how an edit inside one server is checked (incrementalFindings): `local` ones over
   * the compact copy without other servers, `keyed` ones over the copy keeping the directives of
   * `across`, `carried` ones not at all, `wholeIndex` ones over the whole file. `unchanged(across)`:
   * whether the edit left the directives a rule looks across at alone in its server.
   */
  private ruleSets(unchanged: (a: Across) => boolean) {
    const local: number[] = [], keyed: number[] = [], carried: number[] = [], wholeIndex: number[] = [];
    const across: Across[] = [];
    this.rules.forEach((r, i) => {
      const reach = r.reach;
      if (reach === 'server') { local.push(i); return; }
      if (!reach || !unchanged(reach.across)) wholeIndex.push(i);
      else if (reach.only) carried.push(i);
      else { keyed.push(i); across.push(reach.across); }
    });
    return { local, keyed, carried, wholeIndex, across };
  }

  /**
   * In idle time after a whole validation of `uri`: the server skeletons its compact copies will
   * need at the first keystroke (for an edit that leaves every directive rules look across at
   * alone, what typing usually is). Building them was a third of the first keystroke's incremental
   * validation after a file opened (43k lines, in process). Nothing observable changes: the
   * skeletons are what that keystroke would have built (serverSkeleton over the same text).
   */
  prepareIncremental(uri: string): void {
    const last = this.lastRun.get(uri);
    if (!last || last.skeletons.size || last.servers.length < 2 || this.workspace.getSource(uri) !== last.source) return;
    const { local, keyed, across } = this.ruleSets(() => true);
    const text = last.source.file.text;
    for (const [indices, keep] of [[local, NOTHING], [keyed, anyOf(across)]] as const) {
      if (!indices.length) continue;
      const list: (number[] | null)[] = [];
      for (const s of last.servers) {
        const r = serverSkeleton(text, s, keep);
        if (!r) return; // the copy cannot be made: the keystroke will validate whole
        list.push(r);
      }
      last.skeletons.set(indices.join(','), list);
    }
    this.validationCounts.prepared++;
  }

  /**
   * The fixes of an incrementally found finding, computed when an editor asks: the finding's rule
   * runs over the whole current file (once per version and rule) and the same finding's own fixes
   * are returned. A fix is a thunk over the tree its finding was found in; the carried finding was
   * found in an older tree, the adopted one in a compact copy, and neither sees the file as it is.
   */
  private refoundFixes(uri: string, source: SourceFile, ruleIndex: number, f: ResolvedFinding): () => Fix[] {
    return () => {
      if (this.workspace.getSource(uri) !== source) return []; // a newer version: its own findings answer
      let memo = this.refound.get(source);
      if (!memo) this.refound.set(source, (memo = new Map()));
      let list = memo.get(ruleIndex);
      if (!list) {
        const views = this.workspace.viewsFor(uri);
        list = views.length === 1 ? ruleFindings(views[0], this.settingsFor(uri), [this.rules[ruleIndex]])[0] : [];
        memo.set(ruleIndex, list);
      }
      const same = list.find((g) => g.start === f.start && g.end === f.end && g.code === f.code && g.message === f.message);
      return same?.fixes?.() ?? [];
    };
  }

  // ---------------------------------------------------------------- templates

  /** The envsubst template a document is (its placeholders and environment), or null for an ordinary file. */
  template(uri: string): TemplateFile | null {
    const source = this.workspace.getSource(uri);
    return source ? templateOf(this.workspace, uri, source.file) : null;
  }

  /**
   * Values to render templates with exactly (the CLI's `--env` / `--env-file`), instead of the
   * workspace's environment sources; null goes back to those.
   */
  setTemplateValues(values: Map<string, string> | null): void {
    setTemplateValues(this.workspace, values);
    this.findings.clear();
    this.generation++;
  }

  /** What envsubst would print for a template with the values known (given, or from the workspace); null for an ordinary file. */
  renderTemplate(uri: string): string | null {
    const source = this.workspace.getSource(uri);
    const t = source ? templateOf(this.workspace, uri, source.file) : null;
    return t && source ? renderExact(t, source.file.text).text : null;
  }

  /** A workspace file that is not nginx configuration (Dockerfile, compose, .env), for locations in it. */
  private otherSource(path: string): SourceFile | null {
    const text = this.workspace.fs?.readFile(path) ?? null;
    return text === null ? null : { uri: pathToUri(path), file: parse(text) };
  }

  /** The diagnostics of a file (reusing the findings of a code action request since the last change). */
  validate(uri: string): Diagnostic[] {
    const source = this.workspace.getSource(uri);
    if (!source) return [];
    return this.currentFindings(uri, source).map((f, index) => this.toDiagnostic(source, f, index));
  }

  private toDiagnostic(source: SourceFile, f: ShownFinding, index: number): Diagnostic {
    const d: Diagnostic = {
      range: rangeOf(source.file, f.start, f.end),
      severity: SEVERITY[f.severity],
      code: f.code,
      source: SOURCE,
      message: f.message,
      data: { index } satisfies Omit<DiagnosticData, 'version'>,
    };
    const link = this.ruleDocLink(f.code);
    if (link) d.codeDescription = link;
    const tags: DiagnosticTag[] = [];
    if (f.unnecessary) tags.push(DiagnosticTag.Unnecessary);
    if (f.deprecated) tags.push(DiagnosticTag.Deprecated);
    if (tags.length) d.tags = tags;
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => ({
        location: { uri: r.source.uri, range: rangeOf(r.source.file, r.start, r.end) },
        message: r.message,
      }));
    }
    return d;
  }

  private ruleDocLink(code: string): { href: string } | null {
    let link = this.docLinks.get(code);
    if (link === undefined) {
      const href = this.ruleDocs(code);
      link = href ? { href } : null;
      this.docLinks.set(code, link);
    }
    return link;
  }

  // ---------------------------------------------------------------- code actions

  /**
   * Quick fixes at `range`, and the "Fix all WebSocket issues" source actions. Editors ask for code
   * actions on every cursor move (VS Code's light bulb sends no `only`), so that request must stay
   * cheap: fix-all (which re-validates the configuration once per fix) is computed only when `only`
   * asks for source actions; otherwise, when the client can resolve code actions (`lazy`), it is
   * offered without its edit, computed by resolveCodeAction() when the user picks it.
   */
  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[], lazy = false): CodeAction[] {
    const source = this.workspace.getSource(uri);
    if (!source) return [];
    const asked = (kind: string) => !!only?.length && only.some((k) => kind === k || kind.startsWith(k + '.'));
    const wants = (kind: string) => !only || only.length === 0 || asked(kind);
    const cached = this.currentFindings(uri, source);
    const out: CodeAction[] = [];
    /** locations whose group already offers the location's fix-all as its quick-fix */
    const groupFixed = new Set<number>();
    if (wants(CodeActionKind.QuickFix)) {
      const start = offsetAt(source.file, range.start);
      const end = offsetAt(source.file, range.end);
      const seenTitles = new Set<string>();
      for (const f of cached) {
        if (!f.fixes && !f.scope) continue;
        // the finding must be one the editor shows at this range (match by code and overlap)
        const overlaps = f.start <= end && start <= f.end;
        const diag = overlaps || diagnostics.length ? diagnostics.find((d) => d.code === f.code && sameRange(d.range, rangeOf(source.file, f.start, f.end))) : undefined;
        if (!diag && !overlaps) continue;
        const shownAs = diag ?? this.toDiagnostic(source, f, cached.indexOf(f));
        // a group (one diagnostic for a block's problems) is fixed as a whole first; its members' own fixes follow
        // (computed here only when the client cannot resolve it later and asked for quick fixes: on a
        // large file it re-validates for up to a second, too slow for every cursor move's light bulb)
        const whole = f.scope && (lazy || asked(CodeActionKind.QuickFix)) ? this.groupFixAll(uri, source, f, shownAs, lazy) : null;
        if (whole) {
          out.push(whole);
          if (whole.title.endsWith('location')) groupFixed.add(enclosingLocation(source.file, f.group!.start)!.start);
        }
        let fixes: Fix[] = [];
        try {
          fixes = f.fixes?.() ?? [];
        } catch {
          fixes = [];
        }
        for (const fix of fixes) {
          const key = `${f.code}:${f.start}:${fix.title}`;
          if (seenTitles.has(key)) continue;
          seenTitles.add(key);
          const action = CodeAction.create(fix.title, this.toWorkspaceEdit(fix), CodeActionKind.QuickFix);
          action.diagnostics = [shownAs];
          if (fix.isPreferred) action.isPreferred = true;
          out.push(action);
        }
      }
    }
    const at = offsetAt(source.file, range.start);
    let location: Directive | null | undefined;
    for (const variant of this.fixAllVariants(only, cached, asked)) {
      const eager = asked(variant.kind);
      if (!eager && !(lazy && wants(variant.kind))) continue;
      // fix-all re-analyses the file per round: only worth it when something it fixes is reported
      const codes = fixAllCodes(variant);
      const fixable = cached.filter((f) => codes.has(f.code) && f.fixes);
      if (!fixable.length) continue;
      if (location === undefined) location = enclosingLocation(source.file, at);
      for (const scope of ['location', 'file'] as const) {
        if (scope === 'location' && (!location || !fixable.some((f) => f.start >= location!.start && f.end <= location!.end))) continue;
        // the same fix as a group's quick-fix, under another name: not twice in the light bulb's menu
        if (scope === 'location' && !eager && variant === FIX_ALL_WEBSOCKET && groupFixed.has(location!.start)) continue;
        if (eager) {
          const action = this.fixAllAction(uri, scope, at, variant);
          if (action) out.push(action);
        } else {
          const action = CodeAction.create(`Fix all ${variant.what} in this ${scope}`, variant.kind);
          action.data = { fixAll: scope, uri, position: range.start, kind: variant.kind } satisfies FixAllData;
          out.push(action);
        }
      }
    }
    return out;
  }

  /**
   * The fix-all variants to consider. A client asking for a prefix of both kinds (`source`,
   * `source.fixAll`: "fix all on save") gets the generic one only, which includes the WebSocket
   * fixes: applying both would apply the same fixes twice. The WebSocket variant is returned when
   * asked by its own kind, and offered on the light bulb (no `only`) as before; the generic one is
   * offered there only when it fixes more than the WebSocket one.
   */
  private fixAllVariants(only: string[] | undefined, cached: ResolvedFinding[], asked: (kind: string) => boolean): FixAllVariant[] {
    if (only?.length) {
      const out: FixAllVariant[] = [];
      if (asked(FIX_ALL_KIND)) out.push(FIX_ALL);
      if (only.includes(FIX_ALL_WEBSOCKET_KIND) || (!out.length && asked(FIX_ALL_WEBSOCKET_KIND))) out.push(FIX_ALL_WEBSOCKET);
      return out;
    }
    const ws = fixAllCodes(FIX_ALL_WEBSOCKET);
    const all = fixAllCodes(FIX_ALL);
    const more = cached.some((f) => f.fixes && all.has(f.code) && !ws.has(f.code));
    return more ? [...FIX_ALL_VARIANTS] : [FIX_ALL_WEBSOCKET];
  }

  /**
   * The quick-fix that fixes every problem of a group's block at once: "Fix all WebSocket problems
   * in this location" (the whole file for a fragment without a location, and for the diagnostic
   * standing for those past the budget), the preferred fix of the grouped diagnostic. Offered
   * without its edit when the client resolves code actions (it re-validates once per fix).
   */
  private groupFixAll(uri: string, source: SourceFile, f: ShownFinding, diagnostic: Diagnostic, lazy: boolean): CodeAction | null {
    if (!f.group || f.group.topic !== 'WebSocket') return null;
    const variant = FIX_ALL_WEBSOCKET;
    const scope = f.scope === 'block' && enclosingLocation(source.file, f.group.start) ? 'location' : 'file';
    const title = `Fix all ${f.group.topic} problems in this ${scope}`;
    let action: CodeAction;
    if (lazy) {
      action = CodeAction.create(title, CodeActionKind.QuickFix);
      action.data = { fixAll: scope, uri, position: rangeOf(source.file, f.group.start, f.group.start).start, kind: variant.kind } satisfies FixAllData;
    } else {
      const whole = this.fixAllAction(uri, scope, f.group.start, variant);
      if (!whole?.edit) return null;
      action = CodeAction.create(title, whole.edit, CodeActionKind.QuickFix);
    }
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    return action;
  }

  /** Fills in the edit of a code action offered lazily (the fix-all source actions and a group's fix-all quick-fix). */
  resolveCodeAction(action: CodeAction): CodeAction {
    const data = action.data as FixAllData | undefined;
    if (!data || (data.fixAll !== 'file' && data.fixAll !== 'location') || typeof data.uri !== 'string') return action;
    const source = this.workspace.getSource(data.uri);
    if (!source) return action;
    // the document may have changed since the offer: answer from its current state (the offered
    // title and kind stay: a group's fix-all stays a quick-fix)
    const variant = FIX_ALL_VARIANTS.find((v) => v.kind === (data.kind ?? FIX_ALL_WEBSOCKET_KIND)) ?? FIX_ALL_WEBSOCKET;
    const resolved = this.fixAllAction(data.uri, data.fixAll, offsetAt(source.file, data.position), variant);
    return { ...action, edit: resolved?.edit ?? { changes: {} } };
  }

  private fixAllAction(uri: string, scope: 'file' | 'location', offset: number, variant: FixAllVariant): CodeAction | null {
    const ctx = this.context(uri);
    if (!ctx) return null;
    const fix = fixAll(ctx, scope === 'file' ? null : offset, variant);
    if (!fix || !fix.edits.length) return null;
    return CodeAction.create(fix.title || `Fix all ${variant.what} in this ${scope}`, this.toWorkspaceEdit(fix), variant.kind);
  }

  /** The findings (as shown) of the last validation when nothing changed since, else a new validation. */
  private currentFindings(uri: string, source: SourceFile): ShownFinding[] {
    const cached = this.findings.get(uri);
    if (cached && cached.text === source.file.text && cached.generation === this.generation) return cached.shown;
    return this.analyse(uri)?.shown ?? [];
  }

  toWorkspaceEdit(fix: Fix): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const e of fix.edits) {
      (changes[e.source.uri] ??= []).push({ range: rangeOf(e.source.file, e.start, e.end), newText: e.newText });
    }
    return { changes };
  }

  // ---------------------------------------------------------------- hover, completion

  hover(uri: string, position: Position): Hover | null {
    const ctx = this.context(uri);
    if (!ctx) return null;
    const offset = offsetAt(ctx.source.file, position);
    const main = getHover(ctx, offset);
    const effective = getEffectiveHover(ctx, offset);
    // the first line says which nginx version the file is checked against, and why (over its
    // directive, or over a `# nginx: …` comment there)
    const firstLine = position.line === 0 && (!!main || /^[ \t]*#[ \t]*nginx:/.test(ctx.source.file.text));
    const assumed = firstLine ? this.assumedVersion(uri) : null;
    const versionNote = firstLine
      ? (assumed ? `Checked for **nginx ${assumed.version}** (from ${assumed.why}).` : 'nginx version unknown: set `nginx.version`, or add `# nginx: version=1.30` at the top.')
      : null;
    if (!main && !effective && !versionNote) return null;
    const parts = [main?.markdown, effective, versionNote].filter((x): x is string => !!x);
    const hover: Hover = { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } };
    if (main) hover.range = rangeOf(ctx.source.file, main.start, main.end);
    return hover;
  }

  /**
   * Completion at `position`. `lazyDocumentation`: directive items come without their documentation,
   * which `resolveCompletion` adds (for a client that resolves `documentation`). `itemDefaults`: the
   * directive items share their range, format and data through the list's `itemDefaults`.
   */
  complete(uri: string, position: Position, options: { lazyDocumentation?: boolean; itemDefaults?: boolean } = {}): CompletionList {
    const ctx = this.context(uri);
    if (!ctx) return { isIncomplete: false, items: [] };
    return getCompletions(ctx, offsetAt(ctx.source.file, position), { lazyDocs: !!options.lazyDocumentation, itemDefaults: !!options.itemDefaults });
  }

  /**
   * The item with what `complete` left out for later (its documentation); any other item as given.
   * Reads no document: the item says which version its list was made for.
   */
  resolveCompletion(item: CompletionItem): CompletionItem {
    const data = directiveItemData(item?.data, item?.label);
    if (!data || item.documentation) return item;
    const settings = !data.version || data.version === this.settings.version ? this.settings : { ...this.settings, version: data.version };
    const doc = directiveItemDocumentation(data, settings);
    return doc ? { ...item, documentation: { kind: 'markdown', value: doc } } : item;
  }

  effectiveConfiguration(uri: string, position: Position): string | null {
    const ctx = this.context(uri);
    if (!ctx) return null;
    return describeEffectiveConfiguration(ctx, offsetAt(ctx.source.file, position));
  }

  // ---------------------------------------------------------------- routing

  /**
   * Which server and location of the configuration `uri` belongs to answer a request, and what
   * happens next (docs/routing.md). Never throws: bad input gives a result with a note.
   */
  route(uri: string, req: RouteRequest): RouteResult {
    const empty = (note: string): RouteResult => ({ server: null, location: null, chain: [], normalizedUri: '', notes: [note] });
    if (!req || typeof req.url !== 'string' || !req.url) return empty('no URL given');
    // a client may send anything: keep the string fields that are strings
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    req = { url: req.url, host: str(req.host), method: str(req.method), clientAddress: str(req.clientAddress), serverAddress: str(req.serverAddress), nginxVersion: str(req.nginxVersion) };
    const source = this.workspace.getSource(uri);
    const views = source ? this.workspace.viewsFor(uri) : [];
    if (!source || !views.length) return empty('the document is not known');
    // not this.context(): its settings detect the version from every file, which a lookup rarely needs
    const version = () => this.settings.version || this.assumedVersion(uri)?.version || undefined;
    return routeRequest({ source, views, version }, req);
  }

  /**
   * Where the route CodeLenses go: one per location header of the file that a URI can reach, each
   * resolved on its own (`resolveRouteLens`) since proving an example costs route lookups. None when
   * nginx.codeLens.routes is off or the file is in no http configuration with servers.
   */
  routeLenses(uri: string): { range: Range; offset: number }[] {
    if (!this.settings.codeLens.routes) return [];
    const ctx = this.lensContext(uri);
    if (!ctx) return [];
    const headers = lensLocations(ctx);
    // servers to route to, without routing: building the routing model here cost 2 ms of the
    // list's 3-7 on 4,300 lines after each edit; the lenses the editor shows resolve through it anyway
    // (on the corpora's 1,232 configurations this answers as routing `/` to a server does)
    if (!headers.length || !ctx.hasServers) return [];
    return headers.map((h) => ({ range: rangeOf(ctx.source.file, h.start, h.end), offset: h.start }));
  }

  /** The text of the route CodeLens of the location starting at `offset`, and the request a click routes (null: no location there any more). */
  resolveRouteLens(uri: string, offset: number): ResolvedRouteLens | null {
    const ctx = this.lensContext(uri);
    if (!ctx) return null;
    const header = lensLocations(ctx).find((h) => h.start === offset);
    if (!header) return null;
    return resolveRouteLens(ctx, header.directive, (c) => this.route(uri, { url: c.path, host: c.host, serverAddress: c.serverAddress }));
  }

  /**
   * The file and its first view, without the settings (the lenses route through `route`, which finds
   * the version itself); `hasServers`: whether that view's http level has a server block.
   */
  private lensContext(uri: string): (LensContext & { hasServers: boolean }) | null {
    const source = this.workspace.getSource(uri);
    const views = source ? this.workspace.viewsFor(uri) : [];
    if (!source || !views.length) return null;
    // the view the route is asked in (features/route.ts): the first whose configuration has servers
    const withServers = views.find(hasHttpServers);
    return { source, view: withServers ?? views[0], hasServers: !!withServers };
  }

  // ---------------------------------------------------------------- navigation

  private toLocation(l: OffsetLocation): Location {
    return { uri: l.source.uri, range: rangeOf(l.source.file, l.start, l.end) };
  }

  findDefinition(uri: string, position: Position): Location[] {
    const ctx = this.context(uri);
    if (!ctx) return [];
    return nav.findDefinition(ctx, offsetAt(ctx.source.file, position)).map((l) => this.toLocation(l));
  }

  findReferences(uri: string, position: Position, includeDeclaration = true): Location[] {
    const ctx = this.context(uri);
    if (!ctx) return [];
    return nav.findReferences(ctx, offsetAt(ctx.source.file, position), includeDeclaration).map((l) => this.toLocation(l));
  }

  prepareRename(uri: string, position: Position): { range: Range; placeholder: string } | null {
    const ctx = this.context(uri);
    if (!ctx) return null;
    const r = nav.prepareRename(ctx, offsetAt(ctx.source.file, position));
    return r ? { range: rangeOf(ctx.source.file, r.start, r.end), placeholder: r.placeholder } : null;
  }

  rename(uri: string, position: Position, newName: string): WorkspaceEdit | null {
    const ctx = this.context(uri);
    if (!ctx) return null;
    const edits = nav.rename(ctx, offsetAt(ctx.source.file, position), newName);
    if (!edits) return null;
    const changes: Record<string, TextEdit[]> = {};
    for (const e of edits) {
      (changes[e.location.source.uri] ??= []).push({ range: rangeOf(e.location.source.file, e.location.start, e.location.end), newText: e.newText });
    }
    return { changes };
  }

  documentHighlights(uri: string, position: Position): DocumentHighlight[] {
    const ctx = this.context(uri);
    if (!ctx) return [];
    return nav.documentHighlights(ctx, offsetAt(ctx.source.file, position)).map((h) => ({
      range: rangeOf(ctx.source.file, h.start, h.end),
      kind: h.def ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
  }

  /** Effective values at WebSocket locations in `range` (none when nginx.inlayHints.enabled is off). */
  inlayHints(uri: string, range: Range): InlayHint[] {
    if (!this.settings.inlayHints.enabled) return [];
    const ctx = this.context(uri);
    if (!ctx) return [];
    const file = ctx.source.file;
    return getInlayHints(ctx, offsetAt(file, range.start), offsetAt(file, range.end)).map((h) => ({
      position: positionAt(file, h.offset),
      label: h.label,
      tooltip: h.tooltip,
      paddingLeft: true,
    }));
  }

  documentLinks(uri: string): DocumentLink[] {
    const ctx = this.context(uri);
    if (!ctx) return [];
    return nav.documentLinks(ctx).map((l) => ({ range: rangeOf(ctx.source.file, l.start, l.end), target: l.target, tooltip: l.tooltip }));
  }

  /** per open document: its last outline (the editor asks again for the same version) and reusable blocks */
  private readonly outlines = new Map<string, { file: ParsedFile; symbols: DocumentSymbol[]; reuse: OutlineReuse }>();

  documentSymbols(uri: string): DocumentSymbol[] {
    const file = this.parsed(uri);
    if (!file) return [];
    if (!this.workspace.isOpen(uri)) return documentSymbols(file); // files on disk: nothing to keep
    let o = this.outlines.get(uri);
    if (o?.file === file) return o.symbols;
    if (!o) this.outlines.set(uri, (o = { file, symbols: [], reuse: { blocks: new Map() } }));
    o.file = file;
    o.symbols = documentSymbols(file, o.reuse);
    return o.symbols;
  }

  workspaceSymbols(query: string): SymbolInformation[] {
    return workspaceSymbols(this.workspace, query);
  }

  foldingRanges(uri: string): FoldingRange[] {
    const file = this.parsed(uri);
    return file ? getFoldingRanges(file) : [];
  }

  // ---------------------------------------------------------------- formatting

  private toTextEdits(file: ParsedFile, edits: OffsetEdit[]): TextEdit[] {
    return edits.map((e) => ({ range: rangeOf(file, e.start, e.end), newText: e.newText }));
  }

  format(uri: string, options: { tabSize: number; insertSpaces: boolean }, range?: Range): TextEdit[] {
    const file = this.parsed(uri);
    if (!file) return [];
    const opts: FormatOptions = { ...options, alignMapValues: this.settings.format.alignMapValues };
    const r = range ? { start: offsetAt(file, range.start), end: offsetAt(file, range.end) } : undefined;
    return this.toTextEdits(file, formatFile(file, opts, r));
  }

  /**
   * Why a document is not formatted (a file with syntax errors is left alone), saying where: the
   * editor shows it instead of silently doing nothing. Null when formatting can proceed.
   */
  formatRefusal(uri: string): string | null {
    const file = this.parsed(uri);
    if (!file || !file.errors.length) return null;
    const e = file.errors[0];
    const at = rangeOf(file, e.start, e.end).start;
    const more = file.errors.length > 1 ? ` (and ${file.errors.length - 1} more)` : '';
    return `Not formatted: syntax error on line ${at.line + 1}, column ${at.character + 1}: ${e.message}${more}. Fix it and format again.`;
  }

  formatOnType(uri: string, position: Position, ch: string, options: { tabSize: number; insertSpaces: boolean }): TextEdit[] {
    const file = this.parsed(uri);
    if (!file) return [];
    const opts: FormatOptions = { ...options, alignMapValues: this.settings.format.alignMapValues };
    return this.toTextEdits(file, formatOnType(file, offsetAt(file, position), ch, opts));
  }
}

/** What a lazily offered fix-all action carries until it is resolved. */
interface FixAllData {
  fixAll: 'file' | 'location';
  /** the variant's code action kind (absent in actions offered before there were variants: WebSocket) */
  kind?: string;
  uri: string;
  position: Position;
}

/** Whether the http level of `view`'s configuration has a server block (a `server` without one is an error, not a server). */
function hasHttpServers(view: ConfigView): boolean {
  return !!httpLevelOf(view)?.directives.some((d) => d.name === 'server' && !!d.block);
}

/** The innermost `location` block around an offset (the scope of "fix all in this location"). */
function enclosingLocation(file: ParsedFile, offset: number): Directive | null {
  for (let d = directiveAt(file, offset) ?? enclosingBlockOwner(file, offset); d; d = d.parent) {
    if (d.name === 'location' && d.block && !d.isEntry && d.start <= offset && offset <= d.end) return d;
  }
  return null;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function getLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  return new LanguageService(options);
}

/**
 * At most MAX_DIAGNOSTICS findings: one message of a million diagnostics costs the editor seconds and
 * gigabytes, so the first ones in the file are kept and the last one kept says how many more there are.
 */
function capped<T extends ResolvedFinding>(list: T[]): T[] {
  if (list.length <= MAX_DIAGNOSTICS) return list;
  const rest = list.length - MAX_DIAGNOSTICS;
  const last = list[MAX_DIAGNOSTICS - 1];
  const out = list.slice(0, MAX_DIAGNOSTICS);
  out.push({ code: INPUT_LIMIT, severity: 'information', start: last.start, end: last.end,
    message: `${rest} more diagnostic(s) in this file are not shown (at most ${MAX_DIAGNOSTICS} per file)` } as T);
  return out;
}

/** What incremental validation keeps of a document's last analysis. */
interface LastRun {
  source: SourceFile;
  /** its outermost server blocks (analysis/incremental.ts, topServers) */
  servers: Directive[];
  settings: Settings;
  /** each rule's findings, in the order of the service's rules, before inline disable comments */
  buckets: ResolvedFinding[][];
  /** the workspace's epoch after the analysis */
  epoch: number;
  /** per set of rules (their indices), each server's skeleton relative to its start (analysis/incremental.ts, compactFile) */
  skeletons: Map<string, (number[] | null)[]>;
}

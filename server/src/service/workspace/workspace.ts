/**
 * The set of nginx files the service knows: documents open in the editor (their text wins) and
 * files read from disk through the FileSystem. It finds the main files (every `nginx.conf` of the
 * workspace folders, or `nginx.mainFiles`), follows their includes into configuration graphs
 * (configGraph.ts) and tells, for any file, how the rest of the configuration looks from it:
 * one ConfigView per place the file is included, or one inferred view for a file no main file
 * reaches. See docs/workspace.md.
 *
 * Caching: each file is parsed once per text (disk files until `fileChanged`, open documents per
 * edit); folder listings are cached until a file of the folder is created or deleted; the graphs
 * are rebuilt only when the include arguments of a file change or files appear or disappear.
 */
import { parse } from '../syntax/parser';
import type { Directive, ParsedFile } from '../syntax/tree';
import type { ConfigView, SourceFile } from '../analysis/types';
import { SingleFileView, inferContext } from '../analysis/view';
import { defaultSettings, type Settings } from '../settings';
import type { FileSystem } from './fileSystem';
import { NGINX_DIR_NAME, NGINX_FILE_NAME } from './fileNames';
import { Config, type GraphHost } from './configGraph';
import { GraphView } from './configView';
import { compileSettingsGlob } from './glob';
import { IncludeResolver, includeArgument, includeSignature } from './includes';
import { includesOf } from '../syntax/query';
import { basename, dirname, isAbsolute, isInside, isSpecialFolder, join, normalize, pathToUri, relative, uriToPath } from '../paths';

interface Entry {
  source: SourceFile;
  version: number | null;
  /** canonical path for `file:` documents */
  path: string | null;
}

type DirEntries = { name: string; isDirectory: boolean }[] | null;

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const MAX_SCAN_ENTRIES = 200_000;

/** `/` or a folder right below it (`/etc`, `/home`, `c:/`): too broad to be a folder includes may read. */
function isTopLevel(p: string): boolean {
  return normalize(p).replace(/^[a-z]:/, '').split('/').filter(Boolean).length <= 1;
}

export class Workspace implements GraphHost {
  /** open documents by uri */
  private readonly entries = new Map<string, Entry>();
  /** open documents by canonical path */
  private readonly openByPath = new Map<string, Entry>();
  /** files read from disk (null: missing) by canonical path */
  private readonly disk = new Map<string, SourceFile | null>();
  private readonly dirs = new Map<string, DirEntries>();
  private readonly reals = new Map<string, string>();
  /** uris of each configuration's files (dependents), until the graph or the open documents change */
  private depsCache = new Map<Config, string[]>();

  private mainsDirty = true;
  private graphDirty = true;
  private mains: string[] = [];
  private configs: Config[] = [];
  private membership = new Map<string, Config[]>();
  private orphans = new Map<string, Config>();
  epoch = 0;
  /**
   * Since which epoch every change was an edit of the text of one open document (`uri`) that left
   * its include directives as they were: incremental validation may start from that document's
   * previous findings (onlyEditedSince).
   */
  private ownEdits = { uri: '', since: Infinity };
  settings: Settings | null = null;
  /**
   * false (the server): includes are read only inside the workspace folders and mapped folders;
   * true (the CLI, pointed at files on purpose): wherever they lead, with the same file-type,
   * size and glob bounds.
   */
  readOutsideWorkspace = false;

  constructor(readonly fs: FileSystem | null = null, public folders: string[] = []) {}

  // ------------------------------------------------------------------ files

  private canonical(path: string): string {
    let r = this.reals.get(path);
    if (r === undefined) {
      r = this.fs?.realPath ? normalize(this.fs.realPath(path)) : path;
      this.reals.set(path, r);
    }
    return r;
  }

  private pathOfUri(uri: string): string | null {
    if (!this.fs) return null;
    const p = uriToPath(uri);
    return p === null ? null : this.canonical(p);
  }

  /** Makes `source` known here (`locate`, `pathOf`): on its tree, not in a WeakMap (ParsedFile.data says why). */
  private register(source: SourceFile, path: string | null): void {
    source.file.data.set(this, { source, path });
  }

  private registered(file: ParsedFile | undefined): { source: SourceFile; path: string | null } | null {
    return (file?.data.get(this) as { source: SourceFile; path: string | null } | undefined) ?? null;
  }

  private readDir(path: string): DirEntries {
    if (this.dirs.has(path)) return this.dirs.get(path)!;
    const list = this.fs?.readDir(path) ?? null;
    this.dirs.set(path, list);
    return list;
  }

  /** The current source of a file (open document or disk), by canonical path. */
  sourceAt(path: string): SourceFile | null {
    const open = this.openByPath.get(path);
    if (open) return open.source;
    if (this.disk.has(path)) return this.disk.get(path)!;
    const text = this.fs?.readFile(path) ?? null;
    const source = text === null ? null : { uri: pathToUri(path), file: parse(text) };
    if (source) this.register(source, path);
    this.disk.set(path, source);
    return source;
  }

  /** Why an existing file was not read (the file system's word for it), or null. */
  unreadable(path: string): string | null {
    if (this.openByPath.has(path) || this.sourceAt(path)) return null;
    return this.fs?.whyUnread?.(path) ?? null;
  }

  /** The file holding a directive and its canonical path. */
  locate(d: Directive): { source: SourceFile; path: string | null } | null {
    return this.registered(d.file);
  }

  /** The canonical path of a source file, when it is a file. */
  pathOf(source: SourceFile): string | null {
    return this.registered(source.file)?.path ?? null;
  }

  /** Sets an open document's text; reparses only when the text changed. */
  setDocument(uri: string, text: string, version: number | null = null): SourceFile {
    const e = this.entries.get(uri);
    if (e && e.source.file.text === text) {
      e.version = version;
      return e.source;
    }
    const path = this.pathOfUri(uri);
    const before = path !== null ? this.loaded(path) : undefined;
    const source = { uri, file: parse(text) };
    this.register(source, path);
    if (e && includeSignature(e.source.file) === includeSignature(source.file)) {
      if (this.ownEdits.uri !== uri) this.ownEdits = { uri, since: this.epoch };
    } else this.ownEdits = { uri: '', since: Infinity };
    const entry: Entry = { source, version, path };
    this.entries.set(uri, entry);
    if (path !== null) {
      if (this.openByPath.get(path)?.source.uri !== uri) this.depsCache.clear();
      this.openByPath.set(path, entry);
    }
    this.epoch++;
    if (path !== null) this.changed(path, before, source);
    return source;
  }

  closeDocument(uri: string): void {
    const e = this.entries.get(uri);
    if (!e) return;
    this.entries.delete(uri);
    if (e.path === null) return;
    if (this.openByPath.get(e.path) === e) this.openByPath.delete(e.path);
    this.depsCache.clear();
    this.epoch++;
    this.ownEdits = { uri: '', since: Infinity };
    this.changed(e.path, e.source, this.sourceAt(e.path));
  }

  /** True when, since `epoch`, nothing changed but the text of the open document `uri`, its includes kept. */
  onlyEditedSince(uri: string, epoch: number): boolean {
    return epoch === this.epoch || (this.ownEdits.uri === uri && epoch >= this.ownEdits.since);
  }

  /**
   * Runs `fn` with the open document `uri` read as `file` instead of its text, then puts its own
   * tree back. `file` must hold the same include directives (the configuration graph is not
   * rebuilt): incremental validation runs rules over a compact copy, most server blocks reduced to skeletons.
   */
  withText<T>(uri: string, file: ParsedFile, fn: () => T): T | null {
    const e = this.entries.get(uri);
    if (!e) return null;
    const own = e.source;
    const stand = { uri, file };
    this.register(stand, e.path);
    e.source = stand;
    // the configurations' per-epoch caches (expansions) must not mix the two trees
    this.epoch++;
    try {
      return fn();
    } finally {
      e.source = own;
      this.epoch++;
    }
  }

  /** A file (or folder) changed, appeared or disappeared on disk. */
  fileChanged(uri: string): void {
    const raw = this.fs ? uriToPath(uri) : null;
    if (raw === null) return;
    this.reals.delete(raw);
    const path = this.canonical(raw);
    this.dirs.delete(dirname(raw));
    this.dirs.delete(dirname(path));
    if (this.dirs.has(path) || this.dirs.has(raw)) {
      // a folder appeared or went: the listings below it are stale too
      for (const d of [...this.dirs.keys()]) if (isInside(d, path) || isInside(d, raw)) this.dirs.delete(d);
      for (const r of [...this.reals.keys()]) if (isInside(r, raw)) this.reals.delete(r);
    }
    const before = this.disk.get(path);
    this.disk.delete(path);
    this.epoch++;
    this.ownEdits = { uri: '', since: Infinity };
    if (before === undefined) {
      // a file we never read: it may be new and match a glob, or be a folder
      this.graphDirty = true;
      if (this.isMainName(path)) this.mainsDirty = true;
      return;
    }
    if (this.openByPath.has(path)) return; // the editor's text wins
    this.changed(path, before, this.sourceAt(path));
  }

  /** what we had for a path before a change (undefined: never read) */
  private loaded(path: string): SourceFile | null | undefined {
    return this.openByPath.get(path)?.source ?? this.disk.get(path);
  }

  private changed(path: string, before: SourceFile | null | undefined, after: SourceFile | null): void {
    if (this.isMainName(path) && (after !== null) !== this.mains.includes(path)) this.mainsDirty = true;
    // lone files are re-resolved lazily
    this.orphans.clear();
    if (before === undefined) {
      if (!this.graphDirty && !this.membership.has(path)) return; // no graph holds it
      this.graphDirty = true;
      return;
    }
    if ((before === null) !== (after === null) || includeSignature(before?.file ?? null) !== includeSignature(after?.file ?? null)) {
      this.graphDirty = true;
    }
  }

  getSource(uri: string): SourceFile | null {
    const e = this.entries.get(uri);
    if (e) return e.source;
    const path = this.pathOfUri(uri);
    return path !== null ? this.sourceAt(path) : null;
  }

  /** Whether a document is open in the editor. */
  isOpen(uri: string): boolean {
    return this.entries.has(uri);
  }

  // ------------------------------------------------------------------ graph

  private get conf(): Settings {
    return this.settings ?? defaultSettings;
  }

  private folderPaths(): string[] {
    return this.folders.map((f) => (f.startsWith('file:') ? uriToPath(f) ?? f : normalize(f)));
  }

  private isMainName(path: string): boolean {
    const globs = this.conf.mainFiles;
    if (!globs.length) return basename(path) === 'nginx.conf';
    for (const f of this.folderPaths()) {
      if (!isInside(path, f)) continue;
      const rel = relative(f, path);
      if (globs.some((g) => compileSettingsGlob(g).test(rel))) return true;
    }
    return isAbsolute(path) && globs.some((g) => isAbsolute(g) && normalize(g) === path);
  }

  /** Problems of the settings' globs (a pattern that can never match), for the output channel. */
  settingsProblems(): string[] {
    const out: string[] = [];
    for (const g of this.conf.mainFiles) {
      const e = compileSettingsGlob(g).error;
      if (e) out.push(`nginx.mainFiles: "${g}": ${e}`);
    }
    if (!this.readOutsideWorkspace) {
      for (const [from, to] of this.pathMap()) {
        if (isTopLevel(to) || isSpecialFolder(to)) out.push(`nginx.pathMap: "${from}" → "${to}": a top-level or system folder is never read; map onto the folder that holds the configuration`);
      }
    }
    return out;
  }

  /**
   * Whether a path found while walking the workspace folders stays in them once symbolic links are
   * resolved: a `rootfs -> /` link must not make the walk crawl the whole disk.
   */
  private inFolders(p: string): boolean {
    const real = this.canonical(p);
    if (isSpecialFolder(real)) return false;
    return this.folderPaths().some((f) => isInside(real, f) || isInside(real, this.canonical(f)));
  }

  private discoverMains(): void {
    const found = new Set<string>();
    let budget = MAX_SCAN_ENTRIES;
    const walk = (dir: string, depth: number) => {
      const list = this.readDir(dir);
      if (!list) return;
      budget -= list.length;
      for (const e of list) {
        const p = dir.endsWith('/') ? dir + e.name : dir + '/' + e.name;
        if (e.isDirectory) {
          if (depth < 12 && budget > 0 && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && this.inFolders(p)) walk(p, depth + 1);
        } else if (this.isMainName(p)) found.add(this.canonical(p));
      }
    };
    for (const f of this.folderPaths()) if (this.fs?.isDirectory(f)) walk(f, 0);
    for (const g of this.conf.mainFiles) if (isAbsolute(g) && this.fs?.isFile(normalize(g))) found.add(this.canonical(normalize(g)));
    for (const e of this.entries.values()) if (e.path !== null && this.isMainName(e.path)) found.add(e.path);
    this.mains = [...found].sort();
  }

  private pathMap(): [string, string][] {
    const base = this.folderPaths()[0] ?? '/';
    return Object.entries(this.conf.pathMap).map(([from, to]) => [normalize(from), isAbsolute(to) ? normalize(to) : join(base, to)]);
  }

  private resolver(prefix: string, sure = true): IncludeResolver {
    const roots = this.readOutsideWorkspace ? null : this.allowedRoots(prefix);
    return new IncludeResolver({
      fs: this.fs!,
      dirs: { readDir: (p) => this.readDir(p) },
      real: (p) => this.canonical(p),
      prefix,
      pathMap: this.pathMap(),
      folders: this.folderPaths(),
      sure,
      allowed: roots ? (p) => !isSpecialFolder(p) && roots.some((r) => isInside(p, r)) : undefined,
    });
  }

  /**
   * The folders include targets may be read from (the file access policy, docs/limits.md): the
   * workspace folders, the folders `nginx.pathMap` maps onto, and the configuration's own prefix,
   * each with symbolic links resolved. A pathMap target or prefix at the top of the file system
   * (`/`, `/etc`, `/home`, …) does not count: `{"/etc/nginx": "/etc"}` must not open `/etc/shadow`.
   */
  private allowedRoots(prefix: string): string[] {
    const roots = new Set<string>();
    for (const f of this.folderPaths()) {
      roots.add(f);
      roots.add(this.canonical(f));
    }
    const own = [prefix, ...this.pathMap().map((m) => m[1])];
    for (const r of own) {
      for (const x of [r, this.canonical(r)]) if (!isTopLevel(x)) roots.add(x);
    }
    return [...roots].filter((r) => !isSpecialFolder(r));
  }

  private ensureGraph(): void {
    if (!this.fs) return;
    if (this.mainsDirty) {
      this.discoverMains();
      this.mainsDirty = false;
      this.graphDirty = true;
    }
    if (!this.graphDirty) return;
    this.graphDirty = false;
    this.orphans.clear();
    this.depsCache.clear();
    this.configs = [];
    this.membership = new Map();
    for (const m of this.mains) {
      if (!this.sourceAt(m)) continue;
      const c = new Config(m, [], false, this.resolver(dirname(m)), this);
      this.configs.push(c);
      for (const p of c.order) {
        const list = this.membership.get(p);
        if (list) list.push(c);
        else this.membership.set(p, [c]);
      }
    }
  }

  /** A configuration rooted at a file no main file reaches, its context inferred. */
  private orphanConfig(path: string, source: SourceFile): Config {
    let c = this.orphans.get(path);
    if (c) return c;
    // where would nginx's prefix be? a folder holding a main file above this one, else the file's own folder or a parent
    const mainDirs = this.mains.map(dirname).filter((d) => isInside(path, d)).sort((a, b) => b.length - a.length);
    const own: string[] = [];
    const folder = this.folderPaths().filter((f) => isInside(path, f)).sort((a, b) => b.length - a.length)[0];
    for (let d = dirname(path); ; d = dirname(d)) {
      own.push(d);
      if (!folder || d === folder || !isInside(d, folder) || d === dirname(d)) break;
    }
    const candidates = [...mainDirs, ...own.filter((d) => !mainDirs.includes(d))];
    const rel = includesOf(source.file).map(includeArgument).filter((a) => a && !isAbsolute(a));
    let prefix = candidates[0] ?? dirname(path);
    if (rel.length) {
      for (const cand of candidates) {
        const r = this.resolver(cand);
        if (rel.some((a) => r.resolve(a).targets.length > 0)) {
          prefix = cand;
          break;
        }
      }
    }
    // without a main file the workspace is a fragment: an include we cannot find is not reported
    const sure = mainDirs.length > 0;
    c = new Config(path, inferContext(source.file), true, this.resolver(prefix, sure), this);
    this.orphans.set(path, c);
    return c;
  }

  /** One view per place the file is used in a configuration (one inferred view for a lone file). */
  viewsFor(uri: string): ConfigView[] {
    const e = this.entries.get(uri);
    const path = e ? e.path : this.pathOfUri(uri);
    const source = e?.source ?? (path !== null ? this.sourceAt(path) : null);
    if (!source) return [];
    if (!this.fs || path === null) return [new SingleFileView(source)];
    this.ensureGraph();
    const views: ConfigView[] = [];
    for (const c of this.membership.get(path) ?? []) {
      for (const chain of c.chainsTo(path)) views.push(new GraphView(c, source, path, chain));
    }
    if (views.length) return views;
    return [new GraphView(this.orphanConfig(path, source), source, path, [])];
  }

  /** The main files found (canonical paths). */
  mainFiles(): string[] {
    if (this.fs) this.ensureGraph();
    return [...this.mains];
  }

  /** The configurations built from the main files. */
  configurations(): readonly Config[] {
    this.ensureGraph();
    return this.configs;
  }

  /** uris whose diagnostics may change when `uri` changes (itself first): every file of every configuration holding it. */
  dependents(uri: string): string[] {
    const out = new Set<string>([uri]);
    const path = this.pathOfUri(uri);
    if (path === null) return [...out];
    this.ensureGraph();
    for (const c of this.membership.get(path) ?? []) {
      let uris = this.depsCache.get(c);
      if (!uris) {
        uris = c.order.map((p) => this.uriOf(p));
        this.depsCache.set(c, uris);
      }
      for (const x of uris) out.add(x);
    }
    for (const c of this.orphans.values()) if (c.has(path)) for (const s of c.sources()) out.add(s.uri);
    // lone files that include this one (their configurations are built lazily, so look at their includes)
    return [...out];
  }

  /**
   * `dependents` of many uris at once (a batch of file events): each configuration's files are
   * added once, not once per changed file of it (10,000 events in a 2,000-file configuration).
   */
  dependentsOfAll(uris: string[]): string[] {
    const out = new Set<string>(uris);
    this.ensureGraph();
    const configs = new Set<Config>();
    const paths: string[] = [];
    for (const uri of uris) {
      const path = this.pathOfUri(uri);
      if (path === null) continue;
      paths.push(path);
      for (const c of this.membership.get(path) ?? []) configs.add(c);
    }
    for (const c of configs) for (const p of c.order) out.add(this.uriOf(p));
    for (const c of this.orphans.values()) if (paths.some((p) => c.has(p))) for (const s of c.sources()) out.add(s.uri);
    return [...out];
  }

  /** Every known source (open documents and files read from disk). */
  allSources(): SourceFile[] {
    const out: SourceFile[] = [];
    for (const e of this.entries.values()) out.push(e.source);
    for (const [p, s] of this.disk) if (s && !this.openByPath.has(p)) out.push(s);
    return out;
  }

  /** Every file of every configuration plus open documents (loads the graphs). */
  knownSources(): SourceFile[] {
    this.ensureGraph();
    return this.allSources();
  }

  /**
   * Every nginx file of the workspace folders, whether a main file reaches it or not (for workspace
   * symbols): the known sources plus files that look like nginx configuration (`*.conf`,
   * `*.conf.template`, `*.nginx`, files in sites-available/, sites-enabled/, conf.d/, snippets/ …).
   */
  workspaceSources(): SourceFile[] {
    this.ensureGraph();
    let budget = MAX_SCAN_ENTRIES;
    const walk = (dir: string, depth: number) => {
      const list = this.readDir(dir);
      if (!list) return;
      budget -= list.length;
      const nginxDir = NGINX_DIR_NAME.test(basename(dir));
      for (const e of list) {
        const p = dir.endsWith('/') ? dir + e.name : dir + '/' + e.name;
        if (e.isDirectory) {
          if (depth < 12 && budget > 0 && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && this.inFolders(p)) walk(p, depth + 1);
        } else if ((nginxDir || NGINX_FILE_NAME.test(e.name)) && this.inFolders(p)) this.sourceAt(this.canonical(p));
      }
    };
    for (const f of this.folderPaths()) if (this.fs?.isDirectory(f)) walk(f, 0);
    return this.allSources();
  }

  /**
   * Files appeared or disappeared (file events already told through `fileChanged`): find the main
   * files and build the graphs again, keeping the folder listings and canonical paths that the
   * events did not touch (a `git checkout` of 10,000 files must not re-list the whole tree per batch).
   */
  filesAppearedOrWent(): void {
    this.mainsDirty = true;
    this.graphDirty = true;
    this.orphans.clear();
    this.epoch++;
    this.ownEdits = { uri: '', since: Infinity };
  }

  /** Re-reads the workspace folders (after settings or folders change). */
  refresh(): void {
    this.mainsDirty = true;
    this.graphDirty = true;
    this.dirs.clear();
    this.reals.clear();
    this.orphans.clear();
    this.epoch++;
    this.ownEdits = { uri: '', since: Infinity };
  }

  /** The files an include directive of a view's file resolves to (canonical paths). */
  includeTargets(view: ConfigView, d: Directive): string[] {
    return view instanceof GraphView ? view.includeInfo(d)?.targets ?? [] : [];
  }

  /** The uri of a file (the open document's, when it is open). */
  uriOf(path: string): string {
    return this.openByPath.get(path)?.source.uri ?? pathToUri(path);
  }
}

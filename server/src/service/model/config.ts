/**
 * The configuration model: one parsed file (SourceFile), a level of nesting as nginx sees it
 * (Scope) and how the rest of the configuration looks from one file (ConfigView). It sits right
 * above syntax/ so that knowledge/, analysis/, workspace/ and features/ can all speak of it
 * (docs/architecture.md, "Layers"). Types and constants only.
 */
import type { Directive, ParsedFile } from '../syntax/tree';

/** One parsed file of a configuration. */
export interface SourceFile {
  uri: string;
  file: ParsedFile;
}

/**
 * A level of nesting as nginx sees it: the file top level or a block, with `include` expanded.
 * `owner` is the directive that opened the block (null: top level of the file, or a level that is
 * only inferred, e.g. the `http` around a lone site file).
 */
export interface Scope {
  owner: Directive | null;
  /** the block name as nginx knows it: 'main', 'events', 'http', 'server', 'location', 'if', 'upstream', 'limit_except', 'stream', 'mail', 'map', 'types', … */
  context: string;
  /** directives directly in this level, includes expanded in place (recursively, cycle-safe), in order */
  directives: Directive[];
  /** the file whose text holds this level's block (or top level) */
  source: SourceFile | null;
}

/** How the rest of the configuration looks from one file. */
export interface ConfigView {
  /** the file being analysed */
  source: SourceFile;
  /**
   * Enclosing scopes of a directive, innermost first, ending with 'main' (or with the outermost
   * inferred level for a fragment). For a directive at the top level of an included file the chain
   * continues through the include site in the including file.
   */
  scopes(d: Directive): Scope[];
  /** the scope formed by the top level of the analysed file (its context is inferred or known from the includer) */
  topScope(): Scope;
  /** the directives of a block with includes expanded */
  expand(owner: Directive): Directive[];
  /** every file of this configuration (the analysed one first); used for cross-file symbols (shared: do not modify) */
  files(): readonly SourceFile[];
  /** the source file that holds a directive */
  sourceOf(d: Directive): SourceFile | null;
  /** true when the context of the file's top level was guessed (lone fragment) rather than known from includes */
  inferred: boolean;
  /**
   * What an `include` directive of the analysed file resolved to, when the view knows a
   * configuration graph (null: a lone file, or not an include the graph followed). This is how
   * include facts reach rules: they never import the workspace.
   */
  includeInfo?(d: Directive): IncludeInfo | null;
  /** why an existing file of the configuration's reach was not read (not a regular file, too large, binary), or null */
  unreadable?(path: string): string | null;
}

export type IncludeStatus =
  /** resolved to one or more files */
  | 'ok'
  /** a glob that matches nothing (fine for nginx) */
  | 'empty'
  /** a plain path inside the workspace that does not exist */
  | 'missing'
  /** a stock file nginx ships (mime.types, fastcgi_params, …) that the workspace does not hold */
  | 'stock'
  /** an absolute path outside the workspace and not on this machine: nothing can be said */
  | 'unknown'
  /** the argument has variables or is empty: nginx would fail or we cannot tell */
  | 'invalid'
  /** every file it names lies outside the workspace folders and mapped folders: not read (access policy) */
  | 'outside';

/** What an include argument resolves to (workspace/includes.ts computes it). */
export interface Resolution {
  pattern: string;
  glob: boolean;
  /** the absolute path/pattern looked up (after mapping), or null */
  resolved: string | null;
  /** canonical paths of the matched files, in nginx's order */
  targets: string[];
  status: IncludeStatus;
  /** a glob that can never match in part (`[z-a]`), or whose expansion stopped at a bound */
  note?: string;
  /** files or folders left unread because they lie outside what may be read */
  outside?: string[];
}

/** What the graph knows about one include directive: its resolution, a cycle, a depth cut. */
export interface IncludeInfo extends Resolution {
  /** when a target is already on the include chain: the chain that closes (paths, the target repeated last) */
  cycle: string[] | null;
  /** true when the targets were not followed: the include chain is MAX_INCLUDE_DEPTH files deep already */
  tooDeep?: boolean;
}

/**
 * How many files deep include chains are followed. nginx has no such limit (each include is a
 * recursive ngx_conf_parse), but real trees are a few files deep, and a hostile chain of 5,000
 * files must neither overflow the stack here nor make every view's scope chain 5,000 levels long.
 */
export const MAX_INCLUDE_DEPTH = 32;

/**
 * The contract between rules, the configuration view and the language service.
 * Rules are pure functions of a RuleContext; they report findings with offsets into one file and
 * optional fixes (text edits, possibly in other files of the same configuration).
 */
import type { Directive, ParsedFile } from '../syntax/tree';
import type { Settings, SeverityName } from '../settings';

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
  /** every file of this configuration (the analysed one first); used for cross-file symbols */
  files(): SourceFile[];
  /** the source file that holds a directive */
  sourceOf(d: Directive): SourceFile | null;
  /** true when the context of the file's top level was guessed (lone fragment) rather than known from includes */
  inferred: boolean;
}

export interface TextEditAt {
  /** the file edited (may differ from the analysed file) */
  source: SourceFile;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEditAt[];
  /** the one fix an editor may apply automatically */
  isPreferred?: boolean;
}

export interface Finding {
  code: string;
  message: string;
  start: number;
  end: number;
  /** overrides the rule's default severity (e.g. a hint variant) */
  severity?: SeverityName;
  /** computed only when an editor asks for code actions */
  fixes?: () => Fix[];
  /** a related place, e.g. where the inherited value comes from */
  related?: { source: SourceFile; start: number; end: number; message: string }[];
  /** extra tags */
  unnecessary?: boolean;
  deprecated?: boolean;
  /**
   * The block the finding is about, when the editor should show the findings of one block as one
   * diagnostic (analysis/group.ts): findings with the same group range and topic are merged.
   */
  group?: FindingGroup;
}

/** Where a group of findings is shown, and what it is called in the group's message. */
export interface FindingGroup {
  /** offsets (in the analysed file) of the grouped diagnostic: the block's opening (`location /ws/`) */
  start: number;
  end: number;
  /** what the findings are about: "WebSocket" */
  topic: string;
  /** what is at the range: "location", "if block", "proxy" */
  subject: string;
}

export interface RuleContext {
  source: SourceFile;
  view: ConfigView;
  settings: Settings;
  report(f: Omit<Finding, 'code'> & { code?: string }): void;
}

/** The rule families (docs/rules/README.md); each owns a folder under analysis/rules/. */
export type RuleFamily = 'structure' | 'versions' | 'workspace' | 'websocket' | 'headers' | 'templates' | 'security' | 'practice' | 'routing';

export interface Rule {
  /** RULES.md code */
  code: string;
  family: RuleFamily;
  defaultSeverity: SeverityName;
  /** one line for docs and settings UI */
  description: string;
  check(ctx: RuleContext): void;
}

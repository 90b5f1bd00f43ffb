/**
 * The contract between rules, the configuration view and the language service.
 * Rules are pure functions of a RuleContext; they report findings with offsets into one file and
 * optional fixes (text edits, possibly in other files of the same configuration).
 */
import type { Settings, SeverityName } from '../settings';

export type { ConfigView, IncludeInfo, Scope, SourceFile } from '../model/config';
import type { ConfigView, SourceFile } from '../model/config';
import type { Directive } from '../syntax/tree';

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

/** The directives of other servers a rule's findings may depend on (`Rule.reach.across`, analysis/incremental.ts). */
export type Across = (d: Directive, text: string) => boolean;

export interface RuleContext {
  source: SourceFile;
  view: ConfigView;
  settings: Settings;
  report(f: Omit<Finding, 'code'> & { code?: string }): void;
  /**
   * Set when only the findings that start inside this span of `source` are kept (incremental
   * validation re-checks one edited server over a compact copy: analysis/incremental.ts). A rule may
   * skip what it could only report outside it (`inFocus`, report.ts); what it finds inside must not
   * change. test/unit/incremental.test.ts compares the result with full validation.
   */
  focus?: { start: number; end: number };
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
  /**
   * The rule's page, relative to the repository root; default `docs/rules/<code>.md`. Several rules
   * may share a code (and so a page).
   */
  docs?: string;
  /**
   * Its preferred fix may be applied unattended by "Fix all issues" (`source.fixAll.nginx`): the fix
   * is mechanical and safe to chain with the others. Default false.
   */
  fixAll?: boolean;
  /**
   * How far the causes of a finding reach, for incremental validation (analysis/incremental.ts).
   * `'server'`: a finding inside a `server` block depends only on that block and on the text
   * outside every server block, and a finding outside server blocks only on that text; so after an
   * edit inside one server only that server is checked again. Absent: the rule looks across servers
   * (conflicting names, variables set elsewhere, "once per configuration" findings) and runs over
   * the whole file after every edit. `{ across }`: like `'server'`, except that a finding may also
   * depend on the directives of other servers that `across` accepts (with the headers of the blocks
   * around them), and a finding outside a server depends on that server only through them (two
   * servers' `listen`s conflict, a variable `set` in one server is known in all). An edit that
   * leaves those directives of its server alone is checked on that server, the others reduced to
   * those directives. test/unit/incremental.test.ts holds every rule marked so to it.
   */
  reach?: 'server' | {
    across: Across;
    /**
     * Every finding depends only on the text outside server blocks and on the directives `across`
     * accepts in every server, the edited one included: an edit that leaves those alone changes
     * none of the rule's findings (they only move with the text).
     */
    only?: boolean;
  };
  check(ctx: RuleContext): void;
}

/**
 * The concrete syntax tree of one nginx configuration file.
 *
 * Lossless: `tokens` tile the whole input (whitespace, newlines and comments included), so printing
 * the tokens gives the input back byte for byte. The tree (`children`, blocks, directives) is a view
 * over the same offsets. All offsets are absolute UTF-16 offsets into `text` (what JavaScript strings
 * and LSP positions use). Errors live beside the tree (`errors`), never inside it.
 */

export const enum TokenKind {
  /** an unquoted word (directive name or argument) */
  Word = 1,
  /** a single- or double-quoted word, quotes included */
  String = 2,
  /** spaces and tabs (and a lone CR) */
  Space = 3,
  /** one LF or CRLF */
  Newline = 4,
  /** `#` to end of line, newline excluded */
  Comment = 5,
  Semicolon = 6,
  OpenBrace = 7,
  CloseBrace = 8,
  /** the body of a `*_by_lua_block { … }` or of a block nested too deeply, braces excluded */
  Raw = 9,
}

export interface Span {
  /** offset of the first character */
  start: number;
  /** offset after the last character */
  end: number;
}

/** One word of a statement: the directive name or an argument. */
export interface Word extends Span {
  /** exact source text, quotes and escapes included */
  raw: string;
  /** the word as nginx sees it: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` unescaped */
  value: string;
  quote: '"' | "'" | null;
}

/** How a block's body is read. */
export type BodyKind =
  /** ordinary directives (`http`, `server`, `location`, `if`, `upstream`, …) */
  | 'directives'
  /** key/value lines of `map`, `geo`, `types`, `split_clients`, `match`, `charset_map` */
  | 'entries'
  /** raw Lua source of `*_by_lua_block` (kept verbatim as one Raw token) */
  | 'lua'
  /**
   * a block nested deeper than MAX_NESTING (parser.ts): kept verbatim as one Raw token, not
   * analysed, so that no consumer of the tree works in proportion to a hostile nesting depth
   */
  | 'skipped';

export interface Block extends Span {
  /** span runs from `{` to the matching `}` inclusive, or to the end of the file when unclosed */
  kind: 'block';
  owner: Directive;
  body: BodyKind;
  /** statements and own-line comments, in source order (empty for Lua bodies) */
  children: Statement[];
  /** offset of `{` */
  open: number;
  /** offset of `}`, or -1 when the block is not closed */
  close: number;
  /** Lua and skipped bodies: the raw content between the braces */
  raw?: Span;
}

/**
 * A statement: name, arguments, terminator, maybe a block. Its span starts where its name starts
 * (`start === nameWord.start`; a nameless directive made up around a stray `{` starts at the `{`)
 * and ends after its terminator or its block's `}`.
 */
export interface Directive extends Span {
  kind: 'directive';
  /** the name's value (for entries: the key) */
  name: string;
  nameWord: Word;
  args: Word[];
  /** `args.length`, without materializing the arguments (cheap on a fresh tree) */
  argCount: number;
  /**
   * `args[i]` without materializing the other arguments (undefined past the end). On a fresh tree
   * rules should prefer this (and `argValue`, `argCount`) to `args`: building every directive's
   * word list costs more than all the structure checks together.
   */
  arg(i: number): Word | undefined;
  /** `args[i].value` without creating a Word (undefined past the end) */
  argValue(i: number): string | undefined;
  /** `;` or `{` that ended the statement, or null when it is missing (a syntax error was reported) */
  terminator: ';' | '{' | null;
  /** offset of the terminator, or -1 */
  terminatorOffset: number;
  block: Block | null;
  /** the directive whose block holds this one; null at the top level of the file */
  parent: Directive | null;
  /** true for a key/value line inside an entries body (`map`, `types`, …) rather than a directive */
  isEntry: boolean;
  /** a comment on the same line after the statement ended (`listen 80; # why`) */
  trailingComment: Comment | null;
  /** the tree this directive belongs to (undefined for one made up outside a parse) */
  readonly file?: ParsedFile;
}

export interface Comment extends Span {
  kind: 'comment';
  /** text after the `#` */
  text: string;
}

export type Statement = Directive | Comment;

export interface SyntaxError extends Span {
  message: string;
  /**
   * set for a limit of this tool rather than an error nginx would report (nesting too deep, too many
   * errors): reported under this code as a warning instead of `syntax-error`
   */
  code?: string;
  /** where the construct that is in error began (e.g. the `{` of an unclosed block) */
  related?: { start: number; end: number; message: string };
}

export interface ParsedFile {
  text: string;
  /** top-level statements */
  children: Statement[];
  /** token kinds, starts and ends (parallel arrays, `tokenCount` long); they tile `text` exactly */
  tokenKinds: Uint8Array;
  tokenStarts: Int32Array;
  tokenCount: number;
  /** how many directives (entries included) the tree holds: lets a walk size its arrays up front */
  directiveCount: number;
  errors: SyntaxError[];
  /** offset of the first character of each line */
  lineStarts: Int32Array;
  /**
   * What other layers keep about this tree, under a key of their own (the workspace: its source
   * and path). A WeakMap keyed by the tree would do the same, but V8's young-generation collections
   * keep every WeakMap entry alive until the next full collection: a keystroke's tree registered in
   * one was copied and promoted whole, even once replaced (14.7 MB promoted per scavenge on a
   * 43k-line file; parse-and-register 16 -> 10-12 ms a keystroke without). Here it dies with the tree.
   */
  readonly data: Map<unknown, unknown>;
}

export interface Position {
  /** 0-based */
  line: number;
  /** 0-based, UTF-16 code units */
  character: number;
}

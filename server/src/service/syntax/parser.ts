/**
 * Lossless, error-tolerant nginx configuration parser.
 *
 * One pass over the text, following nginx's own lexer (src/core/ngx_conf_file.c,
 * ngx_conf_read_token): a word ends at whitespace, `;` or `{` (a `}` inside a word is part of it);
 * quotes only open a string at the start of a word and must be followed by whitespace, `;`, `{` or `)`;
 * a backslash escapes the next character anywhere; `#` starts a comment only where a word could start.
 * Bodies of `*_by_lua_block` are read as raw Lua (lua-nginx-module's own lexer: balanced braces,
 * strings, long brackets and comments). Bodies of `map`, `types`, … hold key/value entries.
 *
 * Errors never stop the parse: each is recorded with a tight range and the parser recovers the way
 * a reader would expect (an unterminated statement ends at `}`, an unclosed block at end of file).
 */
import {
  TokenKind,
  type Block,
  type BodyKind,
  type Comment,
  type Directive,
  type ParsedFile,
  type Statement,
  type Span,
  type SyntaxError,
  type Word,
} from './tree';
import { positionAt } from './positions';

// Token kinds as local constants: a `const enum` imported from another module is not inlined by
// esbuild/tsx, and a property read per token costs more than the whole scan of that token.
const K_WORD = TokenKind.Word as number, K_STRING = TokenKind.String as number, K_SPACE = TokenKind.Space as number,
  K_NEWLINE = TokenKind.Newline as number, K_COMMENT = TokenKind.Comment as number, K_SEMI = TokenKind.Semicolon as number,
  K_OPEN = TokenKind.OpenBrace as number, K_CLOSE = TokenKind.CloseBrace as number, K_RAW = TokenKind.Raw as number;

/**
 * Characters that need a decision inside an unquoted word (1: ends it, 2: backslash, 3: `{`); 0: an
 * ordinary character. One entry per UTF-16 code unit, so the scan needs no range check.
 */
const WORD_CLASS = new Uint8Array(65536);
WORD_CLASS[0x20] = WORD_CLASS[0x09] = WORD_CLASS[0x0a] = WORD_CLASS[0x0d] = WORD_CLASS[0x3b] = 1;
WORD_CLASS[0x5c] = 2;
WORD_CLASS[0x7b] = 3;

const QUANTIFIER = /^\{\d*,?\d*\}/;

const ENTRY_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'match', 'charset_map']);
const LUA_SUFFIX = '_by_lua_block';
/** ENTRY_BLOCKS by name length (most block names are ruled out by their length alone) */
const ENTRY_BY_LENGTH: (string[] | undefined)[] = [];
for (const name of ENTRY_BLOCKS) (ENTRY_BY_LENGTH[name.length] ??= []).push(name);

/** `codes[at…]` holds the characters of `s`. */
function sameChars(codes: Uint8Array | Uint16Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (codes[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a, SEMI = 0x3b, LBRACE = 0x7b, RBRACE = 0x7d,
  HASH = 0x23, DQ = 0x22, SQ = 0x27, BSL = 0x5c, RPAREN = 0x29, DOLLAR = 0x24;

/** A name as it appears in a message: one line, not too long. */
function short(name: string): string {
  const one = name.replace(/[\r\n\t]+/g, ' ');
  return one.length > 40 ? one.slice(0, 37) + '…' : one;
}

/**
 * How deep blocks may nest before their bodies are kept as raw text and not analysed. nginx itself
 * has no such limit (ngx_conf_file.c limits a token to NGX_CONF_BUFFER and a directive to
 * NGX_CONF_MAX_ARGS arguments, not nesting; each block is a recursive ngx_conf_parse on the C stack),
 * but real configurations nest a handful of levels, and every walk of the tree (rules, formatter,
 * folding, symbols) then stays bounded however deep a hostile file nests.
 */
export const MAX_NESTING = 100;
/** Syntax errors kept per file (then one note says how many more there were): 1 MB of `;` is 1,000,000 errors. */
export const MAX_SYNTAX_ERRORS = 1000;
/** The code of findings about a limit of this tool (nesting, error and diagnostic caps). */
export const INPUT_LIMIT = 'input-limit';

export function parse(text: string): ParsedFile {
  return new Parser(text).run();
}

/** The block body kind a directive opens, given the body it sits in. */
export function bodyKindFor(name: string, parentBody: BodyKind): BodyKind {
  if (parentBody === 'entries') return 'entries';
  if (name.endsWith('_by_lua_block')) return 'lua';
  if (ENTRY_BLOCKS.has(name)) return 'entries';
  return 'directives';
}

/** Unescapes a word the way nginx does: \" \' \\ become the character; \t \r \n control characters. */
export function unescape(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BSL && i + 1 < s.length) {
      const n = s[i + 1];
      if (n === '"' || n === "'" || n === '\\') { out += n; i++; continue; }
      if (n === 't') { out += '\t'; i++; continue; }
      if (n === 'r') { out += '\r'; i++; continue; }
      if (n === 'n') { out += '\n'; i++; continue; }
    }
    out += s[i];
  }
  return out;
}

/**
 * Offsets where lines start, as LSP counts lines: after each LF, CRLF or lone CR (a file saved with
 * old Mac line endings is many lines in the editor, not one). `lfOnly` counts as nginx does in its
 * messages ("in file:LINE"): only LF ends a line (ngx_conf_read_token).
 */
export function computeLineStarts(text: string, lfOnly = false): Int32Array {
  // one pass into a buffer sized for ~30 characters a line, grown when needed
  let out = new Int32Array((text.length >> 5) + 16);
  let k = 1;
  const add = (start: number) => {
    if (k === out.length) {
      const bigger = new Int32Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[k++] = start;
  };
  if (lfOnly || text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) add(i + 1);
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) add(i + 1);
    }
  }
  return out.subarray(0, k);
}

const encoder = new TextEncoder();
/**
 * One buffer for the code units of ASCII texts, reused from parse to parse (a parse is synchronous
 * and never nested): a workspace of thousands of files would otherwise leave as many dead buffers
 * outside the JavaScript heap until a collection happens to free them. Kept up to 4 MB.
 */
let scratch: Uint8Array | null = null;
const SCRATCH_MAX = 1 << 22;

/**
 * The text's UTF-16 code units in a typed array, plus two zero entries past the end (so a look-ahead
 * at `pos + 1` needs no bounds check; no code below treats 0 as a delimiter). Reading a typed array
 * is several times cheaper than `charCodeAt`, which re-checks the string's representation on every
 * call, and the scanner reads every character of the file. ASCII text (nearly every configuration)
 * is copied by the native UTF-8 encoder: when every character took one byte, bytes are code units.
 * The array is valid during one parse: the next parse reuses its memory.
 */
function codeUnits(text: string): Uint8Array | Uint16Array {
  const len = text.length;
  let buf = scratch;
  if (!buf || buf.length < len + 2) {
    buf = new Uint8Array(Math.max(len + 2, 4096));
    if (buf.length <= SCRATCH_MAX) scratch = buf;
  }
  const r = encoder.encodeInto(text, buf.subarray(0, len));
  if (r.read === len && r.written === len) {
    buf[len] = 0;
    buf[len + 1] = 0;
    // a view of exactly the text and its padding: a read past it is undefined, as with a fresh array
    return buf.subarray(0, len + 2);
  }
  const units = new Uint16Array(len + 2);
  for (let i = 0; i < len; i++) units[i] = text.charCodeAt(i);
  return units;
}

/** Token storage shared by the parser and the lazily materialized nodes (arrays grow while parsing). */
class TokenStore {
  kinds: Uint8Array;
  starts: Int32Array;
  count = 0;
  /** the finished tree (set when the parse ends): every node reaches its tree through here */
  file: ParsedFile | undefined = undefined;
  constructor(readonly text: string, capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity + 1);
  }
}

/** The value nginx sees for the word at [start, end): quotes removed, escapes processed. */
export function wordValue(src: string, start: number, end: number, quoted: boolean): string {
  if (!quoted) return unescape(src.slice(start, end));
  const q = src.charCodeAt(start);
  let p = start + 1;
  while (p < end) {
    const c = src.charCodeAt(p);
    if (c === BSL) { p += 2; continue; }
    if (c === q) break;
    p++;
  }
  if (p >= end) return unescape(src.slice(start + 1, end)); // unterminated
  // characters glued after the closing quote (an error nginx reports) still belong to the word
  return p + 1 < end ? unescape(src.slice(start + 1, p)) + unescape(src.slice(p + 1, end)) : unescape(src.slice(start + 1, p));
}

/**
 * A word of the source, materialized from its token on first use: a parse must not allocate
 * strings and objects for the 150k words of a large file that most features never look at.
 */
class WordNode implements Word {
  private v: string | undefined;
  constructor(private readonly src: string, public start: number, public end: number, private readonly quoted: boolean) {}
  get value(): string {
    return (this.v ??= wordValue(this.src, this.start, this.end, this.quoted));
  }
  get raw(): string {
    return this.src.slice(this.start, this.end);
  }
  get quote(): '"' | "'" | null {
    return this.quoted ? (this.src[this.start] as '"' | "'") : null;
  }
}

/**
 * Directive names seen so far, by length and first character. Every rule reads every directive's
 * name, and a new string per directive of each new tree (45k on a large file, per keystroke) is
 * memory the young-generation collections copy while the tree lives: the names are a small
 * vocabulary, compared in place and shared. Bounded: an unusual name is read without being kept.
 */
const NAME_TABLE = new Map<number, string[]>();
function directiveName(text: string, start: number, end: number): string {
  const len = end - start;
  // length and three characters: names sharing a length and a first letter are many (proxy_*)
  const key = ((len * 128 + (text.charCodeAt(start) & 127)) * 128 + (text.charCodeAt(end - 1) & 127)) * 128 + (text.charCodeAt(start + (len >> 1)) & 127);
  const known = NAME_TABLE.get(key);
  if (known) for (let i = 0; i < known.length; i++) if (text.startsWith(known[i], start)) return known[i];
  const v = unescape(text.slice(start, end));
  if (v.length === len && NAME_TABLE.size < 4096 && (!known || known.length < 8)) {
    if (known) known.push(v);
    else NAME_TABLE.set(key, [v]);
  }
  return v;
}

/** Rarely set parts of a directive, kept out of the node so the common node stays small. */
interface DirectiveExtras {
  nameWord?: Word;
  args?: Word[];
  trailingComment?: Comment | null;
}

const T_NONE = 0, T_SEMI = 1, T_BRACE = 2, F_ENTRY = 4;

/** A directive whose name and arguments are read from the token store when first asked for. */
class DirectiveNode implements Directive {
  // on the prototype, not on each of the 40k instances of a large file
  get kind(): 'directive' {
    return 'directive';
  }
  block: Block | null = null;
  /** the name, once read (see `name`) */
  private n: string | undefined = undefined;
  private x: DirectiveExtras | undefined = undefined;
  // Fields are few on purpose: a large file has ~45k of these and they all survive the parse, so
  // every field is copied by each young-generation collection during it (8 bytes a field without
  // pointer compression, as Node ships).
  constructor(
    private readonly toks: TokenStore,
    /** token index of the name, or -1 for the nameless directive made up around a stray `{` */
    private readonly nameTok: number,
    /** token index after the last argument token (the terminator's index, or the count at end of file) */
    private readonly tokEnd: number,
    public start: number,
    public end: number,
    /** terminator (T_*) | F_ENTRY */
    private readonly flags: number,
    public parent: Directive | null,
  ) {}
  get file(): ParsedFile | undefined {
    return this.toks.file;
  }
  /** for the parser: the name's token index (-1: none) */
  get nameTokIndex(): number {
    return this.nameTok;
  }
  get terminator(): ';' | '{' | null {
    const t = this.flags & 3;
    return t === T_SEMI ? ';' : t === T_BRACE ? '{' : null;
  }
  get isEntry(): boolean {
    return (this.flags & F_ENTRY) !== 0;
  }
  get trailingComment(): Comment | null {
    return this.x?.trailingComment ?? null;
  }
  set trailingComment(c: Comment | null) {
    (this.x ??= {}).trailingComment = c;
  }
  get terminatorOffset(): number {
    return this.terminator === ';' ? this.end - 1 : this.terminator === '{' && this.block ? this.block.open : -1;
  }
  get nameWord(): Word {
    const x = (this.x ??= {});
    if (x.nameWord) return x.nameWord;
    if (this.nameTok < 0) return (x.nameWord = new WordNode(this.toks.text, this.start, this.start, false));
    const { kinds, starts } = this.toks;
    return (x.nameWord = new WordNode(this.toks.text, starts[this.nameTok], starts[this.nameTok + 1], kinds[this.nameTok] === K_STRING));
  }
  /**
   * The name is read far more often than anything else of a directive, by every rule: it is read
   * straight from its token (no Word object) and kept once computed.
   */
  get name(): string {
    if (this.n !== undefined) return this.n;
    if (this.nameTok < 0) return (this.n = '');
    const { kinds, starts } = this.toks;
    const start = starts[this.nameTok], end = starts[this.nameTok + 1];
    if (kinds[this.nameTok] === K_WORD && !(this.flags & F_ENTRY)) return (this.n = directiveName(this.toks.text, start, end));
    return (this.n = wordValue(this.toks.text, start, end, kinds[this.nameTok] === K_STRING));
  }
  get argCount(): number {
    const a = this.x?.args;
    if (a) return a.length;
    if (this.nameTok < 0) return 0;
    const kinds = this.toks.kinds;
    let n = 0;
    for (let i = this.nameTok + 1; i < this.tokEnd; i++) if (kinds[i] === K_WORD || kinds[i] === K_STRING) n++;
    return n;
  }
  /** token index of argument `i`, or -1 */
  private argTok(i: number): number {
    if (this.nameTok < 0 || i < 0) return -1;
    const kinds = this.toks.kinds;
    for (let t = this.nameTok + 1; t < this.tokEnd; t++) {
      const k = kinds[t];
      if ((k === K_WORD || k === K_STRING) && i-- === 0) return t;
    }
    return -1;
  }
  arg(i: number): Word | undefined {
    const a = this.x?.args;
    if (a) return a[i];
    const t = this.argTok(i);
    if (t < 0) return undefined;
    const { kinds, starts } = this.toks;
    return new WordNode(this.toks.text, starts[t], starts[t + 1], kinds[t] === K_STRING);
  }
  argValue(i: number): string | undefined {
    const a = this.x?.args;
    if (a) return a[i]?.value;
    const t = this.argTok(i);
    if (t < 0) return undefined;
    const { kinds, starts } = this.toks;
    return wordValue(this.toks.text, starts[t], starts[t + 1], kinds[t] === K_STRING);
  }
  get args(): Word[] {
    const x = (this.x ??= {});
    if (x.args) return x.args;
    if (this.nameTok < 0) return (x.args = []);
    const out: Word[] = [];
    const { kinds, starts } = this.toks;
    for (let i = this.nameTok + 1; i < this.tokEnd; i++) {
      const k = kinds[i];
      if (k === K_WORD || k === K_STRING) out.push(new WordNode(this.toks.text, starts[i], starts[i + 1], k === K_STRING));
    }
    return (x.args = out);
  }
}

/** A block; `kind` and `open` (always its start) live on the prototype. */
class BlockNode implements Block {
  get kind(): 'block' {
    return 'block';
  }
  get open(): number {
    return this.start;
  }
  /** offset of `}`, or -1 */
  close = -1;
  /** filled when the block closes (or at end of file), from the parser's pending statements */
  children: Statement[] = NO_STATEMENTS;
  raw: Span | undefined = undefined;
  constructor(public start: number, public end: number, public owner: Directive, public body: BodyKind) {}
}
/** placeholder children of a block until it is finished (every block gets its own array then) */
const NO_STATEMENTS: Statement[] = [];

class Parser {
  private readonly text: string;
  /** `text` as code units (see codeUnits) */
  private readonly codes: Uint8Array | Uint16Array;
  private readonly len: number;
  private readonly toks: TokenStore;
  /** the store's arrays and count, as fields of the parser: `push` runs once per token */
  private kinds: Uint8Array;
  private starts: Int32Array;
  private count = 0;
  private directiveCount = 0;
  /** computed when first needed (an error message, or a consumer of the tree asking for positions) */
  private lineStartsMemo: Int32Array | undefined;
  private readonly errors: SyntaxError[] = [];
  /** errors dropped past MAX_SYNTAX_ERRORS */
  private dropped = 0;
  private readonly top: Statement[] = [];
  /** the blocks open around the current position, innermost last */
  private readonly stack: Block[] = [];
  /**
   * Statements of the open blocks, outermost block's first; `marks[i]` is where the statements of
   * `stack[i]` begin. A block's list is cut out with its exact length when it closes: growing one
   * array per block by `push` would leave most of a 17-slot backing store unused in every block.
   */
  private readonly pending: Statement[] = [];
  /** statements in `pending` (entries past it are stale; not truncating avoids shrinking and regrowing the array) */
  private pendingLen = 0;
  private readonly marks: number[] = [];
  /** the innermost open block (top of `stack`), or null at the top level */
  private cur: Block | null = null;
  /** the statement being read: token index of its first word (-1: none), start and end of its last word */
  private nameTok = -1;
  private lastWordEnd = -1;
  /** the statement that ended last, for trailing comments; cleared at a newline */
  private lastOnLine: Directive | null = null;

  constructor(text: string) {
    this.text = text;
    this.codes = codeUnits(text);
    this.len = text.length;
    // typical density is one token per ~4 characters; arrays grow when needed
    this.toks = new TokenStore(text, Math.max(64, (this.len >> 2) + 16));
    this.kinds = this.toks.kinds;
    this.starts = this.toks.starts;
  }

  private push(kind: number, start: number): void {
    const n = this.count;
    if (n >= this.kinds.length) this.grow();
    this.kinds[n] = kind;
    this.starts[n] = start;
    this.count = n + 1;
  }

  /** Doubles the token arrays; the store (read by nodes during the parse) gets the new ones too. */
  private grow(): void {
    const t = this.toks;
    const k = new Uint8Array(this.kinds.length * 2);
    k.set(this.kinds);
    const s = new Int32Array(k.length + 1);
    s.set(this.starts);
    t.kinds = this.kinds = k;
    t.starts = this.starts = s;
  }

  private error(start: number, end: number, message: string, related?: SyntaxError['related'], force = false): void {
    if (!force && this.errors.length >= MAX_SYNTAX_ERRORS) {
      this.dropped++;
      return;
    }
    this.errors.push(related ? { start, end, message, related } : { start, end, message });
  }

  /** Adds a statement to the innermost open block (or the top level). */
  private add(st: Statement): void {
    if (this.cur) this.pending[this.pendingLen++] = st;
    else this.top.push(st);
  }

  private get parentDirective(): Directive | null {
    return this.cur ? this.cur.owner : null;
  }

  private get body(): BodyKind {
    return this.cur ? this.cur.body : 'directives';
  }

  run(): ParsedFile {
    const text = this.text;
    const codes = this.codes;
    const len = this.len;
    let pos = 0;
    while (pos < len) {
      const c = codes[pos];
      if (c === SPACE || c === TAB || (c === CR && codes[pos + 1] !== LF)) {
        const s = pos;
        pos++;
        while (pos < len) {
          const d = codes[pos];
          if (d === SPACE || d === TAB || (d === CR && codes[pos + 1] !== LF)) pos++;
          else break;
        }
        this.push(K_SPACE, s);
        continue;
      }
      if (c === LF || c === CR) {
        const s = pos;
        pos += c === CR ? 2 : 1;
        this.push(K_NEWLINE, s);
        this.lastOnLine = null;
        continue;
      }
      if (c === HASH) {
        const s = pos;
        while (pos < len) {
          const d = codes[pos];
          if (d === LF || (d === CR && codes[pos + 1] === LF)) break;
          pos++;
        }
        this.push(K_COMMENT, s);
        this.comment(s, pos);
        continue;
      }
      if (c === SEMI) {
        this.push(K_SEMI, pos);
        if (this.nameTok >= 0) this.finish(';', pos, this.count - 1);
        else this.error(pos, pos + 1, 'unexpected ";": there is no directive to end here');
        pos++;
        continue;
      }
      if (c === LBRACE) {
        this.push(K_OPEN, pos);
        pos = this.openBlock(pos);
        continue;
      }
      if (c === RBRACE) {
        this.push(K_CLOSE, pos);
        this.closeBrace(pos);
        pos++;
        continue;
      }
      pos = this.word(pos);
    }
    const t = this.toks;
    t.count = this.count;
    // the end sentinel first: endOfFile may materialize the last word (for its message)
    t.starts[t.count] = len;
    this.endOfFile();
    // computed already when an error message needed a line (nginx's count: the same unless a lone CR)
    let lineStarts = this.lineStartsMemo && text.indexOf('\r') < 0 ? this.lineStartsMemo : undefined;
    return (t.file = {
      text,
      children: this.top,
      tokenKinds: t.kinds,
      tokenStarts: t.starts,
      tokenCount: t.count,
      directiveCount: this.directiveCount,
      errors: this.errors,
      // lazily: a parse does not need positions, and the first feature that does computes them once
      get lineStarts(): Int32Array {
        return (lineStarts ??= computeLineStarts(text));
      },
      data: new Map(),
    });
  }

  /** Reads one word starting at `pos` (not whitespace, `;`, `{`, `}`, `#`) and returns the offset after it. */
  private word(pos: number): number {
    const text = this.text;
    const codes = this.codes;
    const len = this.len;
    const s = pos;
    const c = codes[pos];
    const tokenIndex = this.count;
    if (c === DQ || c === SQ) {
      this.push(K_STRING, s);
      pos++;
      let closed = false;
      while (pos < len) {
        const d = codes[pos];
        if (d === BSL) { pos += 2; continue; }
        if (d === c) { closed = true; break; }
        pos++;
      }
      if (!closed) {
        this.error(s, s + 1, `unterminated string: the ${c === DQ ? '"' : "'"} opened here is never closed`);
        pos = len;
      } else {
        pos++;
        // nginx needs whitespace, ";", "{" or ")" after a closing quote
        const n = pos < len ? codes[pos] : -1;
        if (n !== -1 && n !== SPACE && n !== TAB && n !== CR && n !== LF && n !== SEMI && n !== LBRACE && n !== RPAREN) {
          this.error(pos, pos + 1, `unexpected "${text[pos]}" after a quoted string: put a space before it, or move it inside the quotes`);
          // recover: the glued characters belong to this word
          pos = this.scanBare(pos);
        }
      }
    } else {
      this.push(K_WORD, s);
      pos = this.scanBare(pos);
    }
    if (this.nameTok < 0) this.nameTok = tokenIndex;
    this.lastWordEnd = pos;
    return pos;
  }

  /** End of an unquoted word: whitespace, `;` or `{` (a backslash escapes any character). */
  private scanBare(pos: number): number {
    const text = this.text;
    const codes = this.codes;
    const len = this.len;
    while (pos < len) {
      const d = codes[pos];
      // the common case, an ordinary character, costs one table load
      const cls = WORD_CLASS[d];
      if (cls === 0) { pos++; continue; }
      if (cls === 1) break;
      if (cls === 2) { pos += 2; continue; }
      // a `{`: `${var}`: nginx's lexer keeps a `{` that directly follows `$` inside the word,
      // whatever comes after it (even `${url ;` is accepted: the word is `${url`)
      if (pos > 0 && codes[pos - 1] === DOLLAR) { pos++; continue; }
      // a regex quantifier such as `{2}` or `{1,3}` glued to a word: nginx would open a block here
      const q = QUANTIFIER.exec(text.slice(pos, pos + 24));
      if (q && q[0].length > 2) {
        this.error(pos, pos + q[0].length,
          `unquoted "{" inside an argument: nginx reads it as the start of a block; quote the whole argument (e.g. "…${q[0]}…")`);
        pos += q[0].length;
        continue;
      }
      break;
    }
    return pos > this.len ? this.len : pos;
  }

  private comment(start: number, end: number): void {
    const c: Comment = { kind: 'comment', start, end, text: this.text.slice(start + 1, end) };
    if (this.nameTok >= 0) return; // a comment inside a statement: kept as a token only
    if (this.lastOnLine) {
      this.lastOnLine.trailingComment = c;
      this.lastOnLine = null;
      return;
    }
    this.add(c);
  }

  /**
   * Ends the pending statement. `tokEnd` is the token index after its last argument; the
   * terminator (if any) has already been pushed as a token.
   */
  private finish(term: ';' | '{' | null, termOffset: number, tokEnd: number, synthetic = -1): Directive {
    const nameTok = this.nameTok;
    const start = nameTok >= 0 ? this.starts[nameTok] : synthetic;
    const end = term ? termOffset + 1 : Math.max(this.lastWordEnd, start);
    this.nameTok = -1;
    this.lastWordEnd = -1;
    const flags = (term === ';' ? T_SEMI : term === '{' ? T_BRACE : T_NONE) | (this.body === 'entries' ? F_ENTRY : 0);
    const d = new DirectiveNode(this.toks, nameTok, tokEnd, start, end, flags, this.parentDirective);
    this.directiveCount++;
    this.add(d);
    if (term === ';') this.lastOnLine = d;
    return d;
  }

  private openBlock(pos: number): number {
    let owner: Directive;
    if (this.nameTok >= 0) {
      if (this.body === 'entries') {
        this.error(pos, pos + 1, `unexpected "{": entries of "${this.parentDirective?.name}" cannot open a block`);
      }
      owner = this.finish('{', pos, this.count - 1);
    } else {
      this.error(pos, pos + 1, 'unexpected "{": a block must follow a directive name');
      // recover with a nameless directive so the block's contents still parse
      owner = this.finish('{', pos, this.count - 1, pos);
    }
    const tooDeep = this.stack.length >= MAX_NESTING;
    const body = tooDeep ? 'skipped' : this.bodyKindOf(owner);
    const block = new BlockNode(pos, this.len, owner, body);
    owner.block = block;
    owner.end = this.len;
    this.lastOnLine = null;
    if (body === 'lua') return this.luaBody(block, pos + 1);
    if (tooDeep) return this.skippedBody(block, pos + 1);
    this.stack.push(block);
    this.marks.push(this.pendingLen);
    this.cur = block;
    return pos + 1;
  }

  private closeBrace(pos: number): void {
    if (this.nameTok >= 0) {
      const d = this.finish(null, -1, this.count - 1);
      const name = short(d.name);
      const line = this.lineOf(d.start);
      this.error(pos, pos + 1, `unexpected "}": missing ";" after the "${name}" directive on line ${line + 1}`, {
        start: d.start, end: d.end, message: `"${name}" is not terminated by ";"`,
      });
    }
    const open = this.stack.pop();
    if (open) this.takeChildren(open);
    else {
      this.error(pos, pos + 1, 'unexpected "}": no block is open here');
      this.lastOnLine = null;
      return;
    }
    this.closeBlock(open, pos);
  }

  /** Moves the statements of the innermost open block (just popped from `stack`) into it. */
  private takeChildren(block: Block): void {
    const mark = this.marks.pop()!;
    block.children = this.pending.slice(mark, this.pendingLen);
    this.pendingLen = mark;
    this.cur = this.stack.length ? this.stack[this.stack.length - 1] : null;
  }

  /**
   * bodyKindFor(owner.name, …) without making the name a string: every block owner of a large file
   * passes here, and only a few names matter (`*_by_lua_block`, the entry blocks).
   */
  private bodyKindOf(owner: Directive): BodyKind {
    const parent = this.body;
    if (parent === 'entries') return 'entries';
    const t = (owner as DirectiveNode).nameTokIndex;
    if (t < 0 || this.kinds[t] !== K_WORD) return bodyKindFor(owner.name, parent);
    const s = this.starts[t];
    const n = this.starts[t + 1] - s;
    const codes = this.codes;
    // an escape changes the name: let the string path decide
    for (let i = s; i < s + n; i++) if (codes[i] === BSL) return bodyKindFor(owner.name, parent);
    if (n >= LUA_SUFFIX.length && sameChars(codes, s + n - LUA_SUFFIX.length, LUA_SUFFIX)) return 'lua';
    const candidates = n < ENTRY_BY_LENGTH.length ? ENTRY_BY_LENGTH[n] : undefined;
    if (candidates) for (const name of candidates) if (sameChars(codes, s, name)) return 'entries';
    return 'directives';
  }

  private closeBlock(block: Block, pos: number): void {
    block.close = pos;
    block.end = pos + 1;
    block.owner.end = pos + 1;
    this.lastOnLine = block.owner;
  }

  /** Raw Lua up to the matching `}`; returns the offset after it (or the end of the text). */
  private luaBody(block: Block, from: number): number {
    const codes = this.codes;
    const len = this.len;
    let depth = 0;
    let pos = from;
    while (pos < len) {
      const c = codes[pos];
      if (c === DQ || c === SQ) {
        pos++;
        while (pos < len) {
          const d = codes[pos];
          if (d === BSL) { pos += 2; continue; }
          if (d === c || d === LF) break;
          pos++;
        }
        if (pos < len && codes[pos] === LF) continue; // unfinished Lua string: Lua's problem, not ours
        pos++;
        continue;
      }
      if (c === 0x5b /* [ */) {
        const e = this.longBracket(pos);
        if (e > 0) { pos = e; continue; }
        pos++;
        continue;
      }
      if (c === 0x2d /* - */ && codes[pos + 1] === 0x2d) {
        pos += 2;
        if (codes[pos] === 0x5b) {
          const e = this.longBracket(pos);
          if (e > 0) { pos = e; continue; }
        }
        while (pos < len && codes[pos] !== LF) pos++;
        continue;
      }
      if (c === LBRACE) { depth++; pos++; continue; }
      if (c === RBRACE) {
        if (depth === 0) break;
        depth--;
        pos++;
        continue;
      }
      pos++;
    }
    if (pos > len) pos = len;
    if (pos > from) this.push(K_RAW, from);
    block.raw = { start: from, end: pos };
    block.children = [];
    if (pos < len) {
      this.push(K_CLOSE, pos);
      this.closeBlock(block, pos);
      return pos + 1;
    }
    this.error(len, len, `unexpected end of file, expecting "}" to close the "${block.owner.name}" Lua block`, {
      start: block.open, end: block.open + 1, message: 'the Lua block opened here',
    });
    return len;
  }

  /**
   * The body of a block nested deeper than MAX_NESTING, up to its matching `}` as nginx's lexer
   * would find it (quotes at the start of a word, `#` comments, backslash escapes, `${`), kept as one
   * raw token. One loop with a counter, whatever the depth inside.
   */
  private skippedBody(block: Block, from: number): number {
    const codes = this.codes;
    const len = this.len;
    let depth = 0;
    let pos = from;
    let wordStart = true;
    while (pos < len) {
      const c = codes[pos];
      if (c === BSL) { pos += 2; wordStart = false; continue; }
      if (wordStart && (c === DQ || c === SQ)) {
        pos++;
        while (pos < len && codes[pos] !== c) pos += codes[pos] === BSL ? 2 : 1;
        pos++;
        wordStart = false;
        continue;
      }
      if (wordStart && c === HASH) {
        while (pos < len && codes[pos] !== LF) pos++;
        continue;
      }
      if (c === LBRACE && !(pos > from && codes[pos - 1] === DOLLAR)) { depth++; pos++; wordStart = true; continue; }
      if (c === RBRACE && wordStart) {
        if (depth === 0) break;
        depth--;
        pos++;
        continue;
      }
      wordStart = c === SPACE || c === TAB || c === CR || c === LF || c === SEMI || c === LBRACE;
      pos++;
    }
    if (pos > len) pos = len;
    if (pos > from) this.push(K_RAW, from);
    block.raw = { start: from, end: pos };
    block.children = [];
    this.error(block.open, block.open + 1,
      `blocks nested deeper than ${MAX_NESTING} levels are not analysed (nor formatted); this block's contents are skipped`,
      undefined, true);
    this.errors[this.errors.length - 1].code = INPUT_LIMIT;
    if (pos < len) {
      this.push(K_CLOSE, pos);
      this.closeBlock(block, pos);
      return pos + 1;
    }
    this.error(len, len, `unexpected end of file, expecting "}" to close the "${short(block.owner.name) || '{'}" block`, {
      start: block.open, end: block.open + 1, message: 'the block opened here',
    }, true);
    return len;
  }

  /** A Lua long bracket `[[ … ]]` / `[==[ … ]==]` at `pos`: offset after it, or -1 when `pos` does not open one. */
  private longBracket(pos: number): number {
    const text = this.text;
    const codes = this.codes;
    let p = pos + 1;
    let level = 0;
    while (codes[p] === 0x3d /* = */) { level++; p++; }
    if (codes[p] !== 0x5b) return -1;
    const close = ']' + '='.repeat(level) + ']';
    const e = text.indexOf(close, p + 1);
    return e < 0 ? this.len : e + close.length;
  }

  private endOfFile(): void {
    const len = this.len;
    if (this.dropped) {
      const last = this.errors[this.errors.length - 1];
      this.errors.push({
        start: last.start, end: last.end, code: INPUT_LIMIT,
        message: `${this.dropped} more syntax error(s) after the first ${MAX_SYNTAX_ERRORS} are not reported`,
      });
    }
    if (this.nameTok >= 0) {
      const d = this.finish(null, -1, this.count);
      const name = short(d.name);
      this.error(len, len, `unexpected end of file, expecting ";" or "}": the "${name}" directive is not terminated`, {
        start: d.start, end: d.end, message: `"${name}" starts here`,
      }, true);
    }
    if (this.stack.length) {
      const innermost = this.stack[this.stack.length - 1];
      const names = this.stack.map((b) => b.owner.name || '{').reverse();
      const line = this.lineOf(innermost.open) + 1;
      this.error(len, len,
        `unexpected end of file, expecting "}": ${names.length === 1 ? 'the' : names.length + ' blocks are unclosed, innermost the'} "${names[0]}" block opened on line ${line}`,
        { start: innermost.open, end: innermost.open + 1, message: `"${names[0]}" block opened here` }, true);
      while (this.stack.length) this.takeChildren(this.stack.pop()!);
    }
  }

  private lineOf(offset: number): number {
    // nginx's line numbers in its messages count LFs only
    return positionAt({ lineStarts: (this.lineStartsMemo ??= computeLineStarts(this.text, true)), text: this.text }, offset).line;
  }

}

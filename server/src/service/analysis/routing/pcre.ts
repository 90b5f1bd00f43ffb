/**
 * PCRE (as nginx compiles it: no UTF, so a pattern and its subject are bytes) translated to a
 * JavaScript RegExp that matches exactly the same byte strings, or refused with the reason.
 *
 * Faithfulness over coverage: JavaScript's `.`, `$`, `\s`, `\v` and its case folding differ from
 * PCRE's, so none of them is passed through. Character classes become explicit 256-byte sets;
 * case-insensitivity (`~*`, `(?i)`) is expanded by hand for ASCII letters (PCRE's default tables
 * fold only those; JavaScript's `i` would also fold `é`/`É` bytes). What cannot be expressed
 * (atomic groups, possessive quantifiers, recursion, conditionals, `\G`, `\K`, backtracking verbs,
 * a back reference under case-insensitivity, options changed in mid-pattern for `i`/`m`) is refused.
 */
import { toBytes } from './uri';

export type Translated = { ok: true; regex: RegExp; source: string } | { ok: false; reason: string };

const cache = new Map<string, Translated>();

/** Translates a PCRE pattern (text as written in the configuration); cached per pattern and case mode. */
export function translatePcre(pattern: string, caseless: boolean): Translated {
  const key = (caseless ? 'i' : '-') + pattern;
  let t = cache.get(key);
  if (!t) {
    try {
      t = new Translator(toBytes(pattern), caseless).run();
    } catch (e) {
      t = { ok: false, reason: e instanceof Refusal ? e.message : `not translatable: ${(e as Error).message}` };
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(key, t);
  }
  return t;
}

class Refusal extends Error {}

const hex = (c: number): string => '\\x' + c.toString(16).padStart(2, '0');

type ByteSet = Uint8Array; // 256 entries, 1 = member

function setOf(pred: (c: number) => boolean): ByteSet {
  const s = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (pred(c)) s[c] = 1;
  return s;
}
const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isAlpha = (c: number) => isUpper(c) || isLower(c);
const isWord = (c: number) => isAlpha(c) || isDigit(c) || c === 95;
// PCRE2 \s: space, \t \n \v \f \r (VT included since PCRE 8.34 / PCRE2)
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isHSpace = (c: number) => c === 9 || c === 32 || c === 0xa0;
const isVSpace = (c: number) => (c >= 10 && c <= 13) || c === 0x85;

const POSIX: Record<string, (c: number) => boolean> = {
  alpha: isAlpha, digit: isDigit, alnum: (c) => isAlpha(c) || isDigit(c), upper: isUpper, lower: isLower,
  space: isSpace, blank: (c) => c === 9 || c === 32, word: isWord, xdigit: (c) => isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102),
  punct: (c) => c > 32 && c < 127 && !isAlpha(c) && !isDigit(c), print: (c) => c >= 32 && c < 127, graph: (c) => c > 32 && c < 127,
  cntrl: (c) => c < 32 || c === 127, ascii: (c) => c < 128,
};

function emitSet(s: ByteSet): string {
  let n = 0;
  for (let c = 0; c < 256; c++) n += s[c];
  if (n === 256) return '[\\s\\S]';
  if (n === 0) return '[^\\s\\S]';
  let out = '';
  for (let c = 0; c < 256; c++) {
    if (!s[c]) continue;
    let e = c;
    while (e + 1 < 256 && s[e + 1]) e++;
    out += e === c ? hex(c) : e === c + 1 ? hex(c) + hex(e) : hex(c) + '-' + hex(e);
    c = e;
  }
  return '[' + out + ']';
}

function fold(s: ByteSet): void {
  for (let c = 65; c <= 90; c++) if (s[c] || s[c + 32]) s[c] = s[c + 32] = 1;
}

interface Flags { i: boolean; s: boolean; x: boolean }

class Translator {
  private pos = 0;
  private out = '';
  private groups = 0;
  private flags: Flags;
  private readonly stack: Flags[] = [];
  /** true right after an atom that a quantifier may follow */
  private atom = false;

  constructor(private readonly p: string, caseless: boolean) {
    this.flags = { i: caseless, s: false, x: false };
  }

  run(): Translated {
    this.leadingOptions();
    while (this.pos < this.p.length) this.step();
    if (this.stack.length) throw new Refusal('unbalanced "(" in the regex');
    const source = this.out;
    return { ok: true, regex: new RegExp(source), source };
  }

  /** `(*UTF)`-style verbs and a leading `(?i)` option setting (the one place `i` may change). */
  private leadingOptions(): void {
    if (this.p.startsWith('(*')) throw new Refusal('PCRE start-of-pattern options "(*…)" are not supported');
  }

  private peek(k = 0): number { return this.p.charCodeAt(this.pos + k); }

  private literal(c: number): void {
    if (this.flags.i && isAlpha(c)) this.out += '[' + hex(c & ~0x20) + hex(c | 0x20) + ']';
    else this.out += hex(c);
    this.atom = true;
  }

  private step(): void {
    const c = this.peek();
    if (this.flags.x) {
      if (isSpace(c)) { this.pos++; return; }
      if (c === 35) { while (this.pos < this.p.length && this.peek() !== 10) this.pos++; return; }
    }
    switch (c) {
      case 92: this.pos++; this.escape(); return; // backslash
      case 91: this.pos++; this.out += emitSet(this.cls()); this.atom = true; return;
      case 40: this.pos++; this.open(); return;
      case 41: {
        this.pos++;
        const f = this.stack.pop();
        if (!f) throw new Refusal('unbalanced ")" in the regex');
        this.flags = f;
        this.out += ')';
        this.atom = true;
        return;
      }
      case 124: this.pos++; this.out += '|'; this.atom = false; return;
      case 94: this.pos++; this.out += '(?<![\\s\\S])'; this.atom = false; return;
      // PCRE `$` (no DOLLAR_ENDONLY, no multiline): the very end, or before a newline that ends the subject
      case 36: this.pos++; this.out += '(?=\\n?(?![\\s\\S]))'; this.atom = false; return;
      case 46: this.pos++; this.out += this.flags.s ? '[\\s\\S]' : '[^\\n]'; this.atom = true; return;
      case 42: case 43: case 63: this.pos++; this.quantifier(String.fromCharCode(c)); return;
      case 123: {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.pos));
        if (m) {
          this.pos += m[0].length;
          this.quantifier(m[0]);
          return;
        }
        if (/^\{,\d+\}/.test(this.p.slice(this.pos))) throw new Refusal('"{,n}" means different things in different PCRE2 versions');
        this.pos++;
        this.literal(c);
        return;
      }
      default:
        this.pos++;
        this.literal(c);
    }
  }

  private quantifier(q: string): void {
    if (!this.atom) throw new Refusal(`nothing to repeat before "${q}"`);
    let s = q;
    const n = this.peek();
    if (n === 63) { s += '?'; this.pos++; }
    else if (n === 43) throw new Refusal('possessive quantifiers ("++", "*+", "?+") have no JavaScript equivalent');
    this.out += s;
    this.atom = false;
  }

  private open(): void {
    this.stack.push({ ...this.flags });
    if (this.peek() === 42) throw new Refusal('backtracking control verbs "(*…)" are not supported');
    if (this.peek() !== 63) {
      this.groups++;
      this.out += '(';
      this.atom = false;
      return;
    }
    this.pos++;
    const rest = this.p.slice(this.pos);
    let m: RegExpExecArray | null;
    if (rest[0] === ':' || rest[0] === '=' || rest[0] === '!') { this.out += '(?' + rest[0]; this.pos++; }
    else if (rest.startsWith('<=') || rest.startsWith('<!')) { this.out += '(?' + rest.slice(0, 2); this.pos += 2; }
    else if ((m = /^(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest))) {
      this.groups++;
      this.out += `(?<${m[1] ?? m[2]}>`;
      this.pos += m[0].length;
    } else if (rest[0] === '#') {
      const end = this.p.indexOf(')', this.pos);
      if (end < 0) throw new Refusal('unterminated "(?#" comment');
      this.pos = end + 1;
      this.stack.pop();
      return;
    } else if ((m = /^([imsxnJU]*)(?:-([imsxnJU]*))?([:)])/.exec(rest))) {
      const on = m[1], off = m[2] ?? '';
      if (/[mnJU]/.test(on + off)) throw new Refusal(`the option "(?${on}${off ? '-' + off : ''})" is not supported`);
      const next: Flags = { ...this.flags };
      for (const f of on) next[f as keyof Flags] = true;
      for (const f of off) next[f as keyof Flags] = false;
      this.pos += m[0].length;
      if (m[3] === ')') {
        // `(?i)` applies to the end of the enclosing group: the group we pushed is not a group
        this.stack.pop();
        this.flags = next;
        this.atom = false;
        return;
      }
      this.flags = next;
      this.out += '(?:';
    } else if (rest[0] === '>') throw new Refusal('atomic groups "(?>…)" have no JavaScript equivalent');
    else if (rest[0] === '|') throw new Refusal('branch reset groups "(?|…)" are not supported');
    else if (rest[0] === '(') throw new Refusal('conditional groups "(?(…)…)" are not supported');
    else throw new Refusal(`the group "(?${rest.slice(0, 2)}" (recursion, subroutine call or callout) is not supported`);
    this.atom = false;
  }

  /** after a backslash outside a class */
  private escape(): void {
    const c = this.peek();
    if (Number.isNaN(c)) throw new Refusal('the regex ends with "\\"');
    this.pos++;
    const ch = String.fromCharCode(c);
    const set = this.classEscape(c);
    if (set) { this.out += emitSet(set); this.atom = true; return; }
    switch (ch) {
      case 'A': this.out += '(?<![\\s\\S])'; this.atom = false; return;
      case 'z': this.out += '(?![\\s\\S])'; this.atom = false; return;
      case 'Z': this.out += '(?=\\n?(?![\\s\\S]))'; this.atom = false; return;
      case 'b': this.out += '\\b'; this.atom = false; return;
      case 'B': this.out += '\\B'; this.atom = false; return;
      case 'Q': {
        const end = this.p.indexOf('\\E', this.pos);
        const lit = end < 0 ? this.p.slice(this.pos) : this.p.slice(this.pos, end);
        this.pos = end < 0 ? this.p.length : end + 2;
        for (let k = 0; k < lit.length; k++) this.literal(lit.charCodeAt(k));
        return;
      }
      case 'E': return;
      case 'k': case 'g': {
        const m = /^(?:<(\w+)>|\{(\w+)\}|'(\w+)'|(-?\d+))/.exec(this.p.slice(this.pos));
        if (!m) throw new Refusal(`"\\${ch}" without a group name or number`);
        this.pos += m[0].length;
        const ref = m[1] ?? m[2] ?? m[3] ?? m[4];
        this.backref(/^\d+$/.test(ref) ? `\\${ref}` : /^-/.test(ref) ? null : `\\k<${ref}>`);
        return;
      }
    }
    if (c >= 49 && c <= 57) {
      // \1–\9 and longer numbers: a back reference when that many groups exist so far (PCRE's rule)
      const m = /^\d*/.exec(this.p.slice(this.pos))!;
      const n = Number(ch + m[0]);
      if (n <= 9 || n <= this.groups) {
        this.pos += m[0].length;
        this.backref(`\\${n}`);
        return;
      }
      throw new Refusal(`"\\${ch}${m[0]}" (an octal escape or a reference to a later group) is not supported`);
    }
    const byte = this.charEscape(c);
    if (byte !== null) { this.literal(byte); return; }
    if (isAlpha(c) || isDigit(c)) throw new Refusal(`the escape "\\${ch}" is not supported`);
    this.literal(c); // an escaped punctuation character is itself
  }

  private backref(js: string | null): void {
    if (!js) throw new Refusal('relative back references are not supported');
    if (this.flags.i) throw new Refusal('a back reference in a case-insensitive regex compares case-insensitively in PCRE, not in JavaScript');
    this.out += js;
    this.atom = true;
  }

  /** escapes that stand for one byte (also inside classes); null when `c` is not one */
  private charEscape(c: number): number | null {
    switch (String.fromCharCode(c)) {
      case 'n': return 10;
      case 'r': return 13;
      case 't': return 9;
      case 'f': return 12;
      case 'e': return 27;
      case 'a': return 7;
      case '0': {
        const m = /^[0-7]{0,2}/.exec(this.p.slice(this.pos))!;
        this.pos += m[0].length;
        return parseInt('0' + m[0], 8);
      }
      case 'o': {
        const m = /^\{([0-7]+)\}/.exec(this.p.slice(this.pos));
        if (!m) throw new Refusal('"\\o" without "{octal}"');
        this.pos += m[0].length;
        const v = parseInt(m[1], 8);
        if (v > 255) throw new Refusal('a character above \\xff in a non-UTF regex');
        return v;
      }
      case 'x': {
        const br = /^\{([0-9a-fA-F]+)\}/.exec(this.p.slice(this.pos));
        if (br) {
          this.pos += br[0].length;
          const v = parseInt(br[1], 16);
          if (v > 255) throw new Refusal('a character above \\xff in a non-UTF regex');
          return v;
        }
        const m = /^[0-9a-fA-F]{0,2}/.exec(this.p.slice(this.pos))!;
        this.pos += m[0].length;
        return m[0] ? parseInt(m[0], 16) : 0;
      }
      case 'c': {
        const n = this.peek();
        if (Number.isNaN(n) || n > 127) throw new Refusal('"\\c" needs an ASCII character');
        this.pos++;
        return (isLower(n) ? n - 32 : n) ^ 0x40;
      }
    }
    return null;
  }

  /** the class escapes (\d \w \s \h \v and negations) as byte sets; null otherwise */
  private classEscape(c: number): ByteSet | null {
    switch (String.fromCharCode(c)) {
      case 'd': return setOf(isDigit);
      case 'D': return setOf((x) => !isDigit(x));
      case 'w': return setOf(isWord);
      case 'W': return setOf((x) => !isWord(x));
      case 's': return setOf(isSpace);
      case 'S': return setOf((x) => !isSpace(x));
      case 'h': return setOf(isHSpace);
      case 'H': return setOf((x) => !isHSpace(x));
      case 'v': return setOf(isVSpace);
      case 'V': return setOf((x) => !isVSpace(x));
      case 'N': return setOf((x) => x !== 10);
      case 'R': throw new Refusal('"\\R" is not supported');
      case 'p': case 'P': case 'X': throw new Refusal(`"\\${String.fromCharCode(c)}" needs Unicode properties, which a non-UTF nginx regex does not have`);
      case 'G': case 'K': case 'C': throw new Refusal(`"\\${String.fromCharCode(c)}" has no JavaScript equivalent`);
    }
    return null;
  }

  /** a character class after its "[" */
  private cls(): ByteSet {
    const s = new Uint8Array(256);
    let negate = false;
    if (this.peek() === 94) { negate = true; this.pos++; }
    let first = true;
    for (;;) {
      if (this.pos >= this.p.length) throw new Refusal('unterminated "[" in the regex');
      let c = this.peek();
      if (c === 93 && !first) { this.pos++; break; }
      first = false;
      // POSIX [:name:]
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.pos));
      if (posix) {
        const f = POSIX[posix[2]];
        if (!f) throw new Refusal(`unknown POSIX class "[:${posix[2]}:]"`);
        for (let x = 0; x < 256; x++) if (posix[1] ? !f(x) : f(x)) s[x] = 1;
        this.pos += posix[0].length;
        continue;
      }
      this.pos++;
      let lo: number;
      if (c === 92) {
        c = this.peek();
        this.pos++;
        const set = this.classEscape(c);
        if (set) { for (let x = 0; x < 256; x++) if (set[x]) s[x] = 1; continue; }
        if (c === 98) lo = 8; // \b is backspace in a class
        else if (c === 81 || c === 69) continue; // \Q \E: treat as nothing (rare in classes)
        else {
          const b = this.charEscape(c);
          if (b !== null) lo = b;
          else if (isAlpha(c) || isDigit(c)) throw new Refusal(`the escape "\\${String.fromCharCode(c)}" in a class is not supported`);
          else lo = c;
        }
      } else lo = c;
      // a range?
      if (this.peek() === 45 && this.peek(1) !== 93 && this.pos + 1 < this.p.length) {
        this.pos++;
        let hi = this.peek();
        this.pos++;
        if (hi === 92) {
          const e = this.peek();
          this.pos++;
          if (this.classEscape(e)) throw new Refusal('a range ending in a class escape');
          const b = this.charEscape(e);
          hi = b ?? e;
        } else if (hi === 91 && /^:[a-z]+:\]/.test(this.p.slice(this.pos))) throw new Refusal('a range ending in a POSIX class');
        if (hi < lo) throw new Refusal('a character class range out of order');
        for (let x = lo; x <= hi; x++) s[x] = 1;
      } else s[lo] = 1;
    }
    if (this.flags.i) fold(s);
    if (negate) for (let x = 0; x < 256; x++) s[x] ^= 1;
    return s;
  }
}

/** Whether a translated regex matches a byte string; captures as byte strings ($0 … $n). */
export function execPcre(t: Translated & { ok: true }, subject: string): string[] | null {
  t.regex.lastIndex = 0;
  const m = t.regex.exec(subject);
  return m ? m.map((x) => x ?? '') : null;
}

/**
 * A small structural model of the PCRE patterns nginx configurations hold (location, map, if,
 * server_name, rewrite, valid_referers): a parser to a tree of sequences, alternations, groups,
 * repeats, character sets and assertions, and the questions rules ask of it —
 *
 * - which repeats backtrack catastrophically (regex-redos): an unbounded repeat whose body can match
 *   one string in many ways: a nested unbounded repeat whose characters the body can be made of
 *   alone (`(a+)+`, `(\w+\s?)*`, `(.*,)*`), or alternatives that match a common string (`(a|aa)+`,
 *   `(\w|\d)+`) — when something after the repeat can fail (a repeat at the very end of the pattern
 *   succeeds at once);
 * - how many capture groups a pattern has (named ones are numbered too);
 * - a shortest string the pattern matches, and whether a candidate string matches (regex-unanchored
 *   tests bypasses such as "evilexample.com" against the pattern).
 *
 * Character sets are sets of bytes (nginx runs PCRE on bytes): 256 bits. Case-insensitive matching
 * (`~*`, `(?i)`) folds ASCII letters. Anything the parser does not model (back-references,
 * conditionals, recursion, \p{…} properties) is kept conservative: it never makes a pattern look
 * dangerous.
 */

import type { Directive, Word } from '../syntax/tree';

// ------------------------------------------------------------------------------ character sets

export class CharSet {
  readonly bits = new Uint32Array(8);
  static of(...codes: number[]): CharSet {
    const s = new CharSet();
    for (const c of codes) s.add(c);
    return s;
  }
  static range(lo: number, hi: number): CharSet {
    const s = new CharSet();
    for (let c = lo; c <= hi; c++) s.add(c);
    return s;
  }
  static all(): CharSet {
    const s = new CharSet();
    s.bits.fill(0xffffffff);
    return s;
  }
  add(c: number): void {
    if (c >= 0 && c < 256) this.bits[c >> 5] |= 1 << (c & 31);
  }
  has(c: number): boolean {
    return c >= 0 && c < 256 && (this.bits[c >> 5] & (1 << (c & 31))) !== 0;
  }
  union(o: CharSet): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 8; i++) s.bits[i] = this.bits[i] | o.bits[i];
    return s;
  }
  intersects(o: CharSet): boolean {
    for (let i = 0; i < 8; i++) if (this.bits[i] & o.bits[i]) return true;
    return false;
  }
  negate(): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 8; i++) s.bits[i] = ~this.bits[i];
    return s;
  }
  isEmpty(): boolean {
    return this.bits.every((b) => b === 0);
  }
  /** the same set with both cases of every ASCII letter */
  folded(): CharSet {
    const s = this.union(new CharSet());
    for (let c = 65; c <= 90; c++) if (this.has(c) || this.has(c + 32)) { s.add(c); s.add(c + 32); }
    return s;
  }
  /** one member, preferring a lower-case letter, a digit, then anything printable */
  sample(): number | null {
    for (const [lo, hi] of [[97, 122], [48, 57], [65, 90], [45, 46], [33, 126], [0, 255]]) for (let c = lo; c <= hi; c++) if (this.has(c)) return c;
    return null;
  }
}

const DIGIT = CharSet.range(48, 57);
const WORD = CharSet.range(48, 57).union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of(95));
const SPACE = CharSet.of(9, 10, 11, 12, 13, 32);
const HSPACE = CharSet.of(9, 32, 160);
const VSPACE = CharSet.of(10, 11, 12, 13, 133);
const POSIX: Record<string, CharSet> = {
  alpha: CharSet.range(65, 90).union(CharSet.range(97, 122)),
  digit: DIGIT,
  alnum: CharSet.range(65, 90).union(CharSet.range(97, 122)).union(DIGIT),
  word: WORD,
  space: SPACE,
  blank: CharSet.of(9, 32),
  upper: CharSet.range(65, 90),
  lower: CharSet.range(97, 122),
  xdigit: DIGIT.union(CharSet.range(65, 70)).union(CharSet.range(97, 102)),
  punct: CharSet.range(33, 47).union(CharSet.range(58, 64)).union(CharSet.range(91, 96)).union(CharSet.range(123, 126)),
  print: CharSet.range(32, 126),
  graph: CharSet.range(33, 126),
  cntrl: CharSet.range(0, 31).union(CharSet.of(127)),
  ascii: CharSet.range(0, 127),
};

// ------------------------------------------------------------------------------ tree

export type RegexNode =
  | { kind: 'seq'; items: RegexNode[] }
  | { kind: 'alt'; branches: RegexNode[] }
  /** capture: its number (1-based); atomic groups and lookarounds do not backtrack into */
  | { kind: 'group'; body: RegexNode; capture: number | null; name: string | null; atomic: boolean; look: boolean }
  | { kind: 'repeat'; body: RegexNode; min: number; max: number; possessive: boolean; start: number; end: number }
  | { kind: 'set'; set: CharSet; start: number; end: number }
  /** ^ $ \b \A \z …: matches no character, may fail */
  | { kind: 'assert'; text: string }
  /** a back-reference, \p{…}, a conditional or recursion: what it matches is not modelled */
  | { kind: 'opaque' };

export interface ParsedRegex {
  root: RegexNode;
  /** number of capture groups, named ones included */
  groups: number;
  /** names of the named groups */
  names: string[];
}

class Parser {
  i = 0;
  groups = 0;
  names: string[] = [];
  constructor(readonly re: string, public icase: boolean, public dotall = false, public extended = false) {}

  parse(): ParsedRegex {
    const root = this.alt();
    // a stray `)` ends the pattern as PCRE would reject it; what was read stands
    return { root, groups: this.groups, names: this.names };
  }

  private alt(): RegexNode {
    const branches: RegexNode[] = [this.seq()];
    while (this.re[this.i] === '|') {
      this.i++;
      branches.push(this.seq());
    }
    return branches.length === 1 ? branches[0] : { kind: 'alt', branches };
  }

  private seq(): RegexNode {
    const items: RegexNode[] = [];
    const re = this.re;
    while (this.i < re.length && re[this.i] !== '|' && re[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom();
      if (!atom) continue;
      items.push(this.quantified(atom, start));
    }
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  }

  private quantified(atom: RegexNode, start: number): RegexNode {
    const re = this.re;
    let node = atom;
    for (;;) {
      if (this.extended) this.skipExtended();
      const c = re[this.i];
      let min = -1, max = -1;
      if (c === '*') { min = 0; max = Infinity; this.i++; }
      else if (c === '+') { min = 1; max = Infinity; this.i++; }
      else if (c === '?') { min = 0; max = 1; this.i++; }
      else if (c === '{') {
        const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(re.slice(this.i));
        if (!m || (m[1] === '' && (m[3] ?? '') === '')) break; // a literal `{`
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
        this.i += m[0].length;
      } else break;
      let possessive = false;
      if (re[this.i] === '+') { possessive = true; this.i++; }
      else if (re[this.i] === '?') this.i++; // lazy: the same ways to match, tried in another order
      if (node.kind === 'assert') continue; // a quantified assertion is still an assertion
      node = { kind: 'repeat', body: node, min, max, possessive, start, end: this.i };
    }
    return node;
  }

  private skipExtended(): void {
    const re = this.re;
    for (;;) {
      while (this.i < re.length && /\s/.test(re[this.i])) this.i++;
      if (re[this.i] === '#') { while (this.i < re.length && re[this.i] !== '\n') this.i++; continue; }
      return;
    }
  }

  private lit(codes: CharSet, start: number): RegexNode {
    return { kind: 'set', set: this.icase ? codes.folded() : codes, start, end: this.i };
  }

  /** One atom, or null for something that matches nothing and takes no quantifier (a comment, a flag group). */
  private atom(): RegexNode | null {
    const re = this.re;
    if (this.extended) {
      this.skipExtended();
      if (this.i >= re.length || re[this.i] === '|' || re[this.i] === ')') return null;
    }
    const start = this.i;
    const c = re[this.i];
    if (c === '(') return this.group();
    if (c === '[') return this.lit(this.cls(), start);
    if (c === '.') { this.i++; return this.lit(this.dotall ? CharSet.all() : CharSet.of(10).negate(), start); }
    if (c === '^' || c === '$') { this.i++; return { kind: 'assert', text: c }; }
    if (c === '\\') return this.escape(false) ?? null;
    this.i++;
    return this.lit(CharSet.of(re.charCodeAt(start)), start);
  }

  private group(): RegexNode | null {
    const re = this.re;
    this.i++; // (
    let capture: number | null = null, name: string | null = null, atomic = false, look = false;
    if (re[this.i] === '*') { // (*UTF), (*ANY)… verbs
      const close = re.indexOf(')', this.i);
      this.i = close < 0 ? re.length : close + 1;
      return null;
    }
    if (re[this.i] === '?') {
      const rest = re.slice(this.i + 1);
      const named = /^(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
      const flags = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
      if (named) {
        capture = ++this.groups;
        name = named[1] ?? named[2];
        this.names.push(name);
        this.i += 1 + named[0].length;
      } else if (rest.startsWith('#')) { // (?# comment )
        const close = re.indexOf(')', this.i);
        this.i = close < 0 ? re.length : close + 1;
        return null;
      } else if (/^(?:[=!]|<[=!])/.test(rest)) {
        look = true;
        this.i += 1 + (rest[0] === '<' ? 2 : 1);
      } else if (rest.startsWith('>')) {
        atomic = true;
        this.i += 2;
      } else if (rest.startsWith(':') || rest.startsWith('|')) {
        this.i += 2;
      } else if (flags) {
        const on = flags[1], off = flags[2] ?? '';
        const saved = { icase: this.icase, dotall: this.dotall, extended: this.extended };
        if (on.includes('i')) this.icase = true;
        if (on.includes('s')) this.dotall = true;
        if (on.includes('x')) this.extended = true;
        if (off.includes('i')) this.icase = false;
        if (off.includes('s')) this.dotall = false;
        if (off.includes('x')) this.extended = false;
        this.i += 1 + flags[0].length;
        // (?i) applies to the rest of the enclosing group; (?i:…) to its own body only
        if (flags[3] === ')') return null;
        const body = this.alt();
        if (re[this.i] === ')') this.i++;
        Object.assign(this, saved);
        return { kind: 'group', body, capture: null, name: null, atomic: false, look: false };
      } else {
        // conditionals, recursion, callouts: skip the group, match unknown
        this.skipGroup();
        return { kind: 'opaque' };
      }
    } else {
      capture = ++this.groups;
    }
    const saved = { icase: this.icase, dotall: this.dotall, extended: this.extended };
    const body = this.alt();
    Object.assign(this, saved);
    if (re[this.i] === ')') this.i++;
    return { kind: 'group', body, capture, name, atomic, look };
  }

  private skipGroup(): void {
    let depth = 1;
    while (this.i < this.re.length && depth > 0) {
      const c = this.re[this.i];
      if (c === '\\') { this.i += 2; continue; }
      if (c === '(') depth++;
      if (c === ')') depth--;
      this.i++;
    }
  }

  /** An escape at `\`; inside a class (`inClass`) only sets are returned (as a set node). */
  private escape(inClass: boolean): RegexNode | null {
    const re = this.re;
    const start = this.i;
    const e = re[this.i + 1];
    this.i += 2;
    if (e === undefined) return this.lit(CharSet.of(92), start);
    const set = (s: CharSet) => this.lit(s, start);
    switch (e) {
      case 'd': return set(DIGIT);
      case 'D': return set(DIGIT.negate());
      case 'w': return set(WORD);
      case 'W': return set(WORD.negate());
      case 's': return set(SPACE);
      case 'S': return set(SPACE.negate());
      case 'h': return set(HSPACE);
      case 'H': return set(HSPACE.negate());
      case 'v': return set(VSPACE);
      case 'V': return set(VSPACE.negate());
      case 'N': return set(CharSet.of(10).negate());
      case 'R': return set(VSPACE);
      case 'C': return set(CharSet.all());
      case 't': return set(CharSet.of(9));
      case 'n': return set(CharSet.of(10));
      case 'r': return set(CharSet.of(13));
      case 'f': return set(CharSet.of(12));
      case 'e': return set(CharSet.of(27));
      case 'a': return set(CharSet.of(7));
      case 'x': {
        const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{1,2}))/.exec(re.slice(this.i));
        if (m) this.i += m[0].length;
        return set(CharSet.of(m ? parseInt(m[1] ?? m[2], 16) : 0));
      }
      case 'c': { const ch = re.charCodeAt(this.i); this.i++; return set(CharSet.of((ch & ~32) ^ 64)); }
      case 'p': case 'P': {
        const m = /^(?:\{[^}]*\}|.)/.exec(re.slice(this.i));
        if (m) this.i += m[0].length;
        return inClass ? set(CharSet.all()) : { kind: 'opaque' };
      }
      case 'Q': {
        const end = re.indexOf('\\E', this.i);
        const text = re.slice(this.i, end < 0 ? re.length : end);
        this.i = end < 0 ? re.length : end + 2;
        if (inClass) return set(CharSet.of(...Array.from(text, (ch) => ch.charCodeAt(0))));
        const items: RegexNode[] = Array.from(text, (ch) => ({ kind: 'set' as const, set: this.icase ? CharSet.of(ch.charCodeAt(0)).folded() : CharSet.of(ch.charCodeAt(0)), start, end: this.i }));
        return { kind: 'seq', items };
      }
      case 'E': return null;
      default: break;
    }
    if (!inClass) {
      if ('bBAzZGK'.includes(e)) return { kind: 'assert', text: '\\' + e };
      if (/[1-9]/.test(e) || e === 'k' || e === 'g') {
        // a back-reference: \1, \k<name>, \g{1}
        const m = /^(?:\d+|\{[^}]*\}|<[^>]*>|'[^']*')/.exec(re.slice(this.i));
        if (m && e !== '1' && !/[2-9]/.test(e)) this.i += m[0].length;
        else while (/\d/.test(re[this.i] ?? '')) this.i++;
        return { kind: 'opaque' };
      }
    }
    if (e === '0') {
      const m = /^[0-7]{0,2}/.exec(re.slice(this.i))!;
      this.i += m[0].length;
      return set(CharSet.of(parseInt('0' + m[0], 8)));
    }
    return set(CharSet.of(e.charCodeAt(0)));
  }

  /** A character class at `[`. */
  private cls(): CharSet {
    const re = this.re;
    this.i++;
    let negated = false;
    if (re[this.i] === '^') { negated = true; this.i++; }
    let out = new CharSet();
    let first = true;
    while (this.i < re.length && (re[this.i] !== ']' || first)) {
      first = false;
      let lo: number;
      let single: CharSet | null = null;
      if (re[this.i] === '[' && re[this.i + 1] === ':') {
        const close = re.indexOf(':]', this.i + 2);
        if (close > 0) {
          let name = re.slice(this.i + 2, close);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const s = POSIX[name] ?? CharSet.all();
          out = out.union(neg ? s.negate() : s);
          this.i = close + 2;
          continue;
        }
      }
      if (re[this.i] === '\\') {
        const node = this.escape(true);
        if (!node || node.kind !== 'set') continue;
        single = node.set;
        // a range needs a single character on its left
        const members: number[] = [];
        for (let c = 0; c < 256 && members.length < 2; c++) if (node.set.has(c)) members.push(c);
        lo = members.length === 1 ? members[0] : -1;
      } else {
        lo = re.charCodeAt(this.i);
        this.i++;
      }
      if (lo >= 0 && re[this.i] === '-' && this.i + 1 < re.length && re[this.i + 1] !== ']') {
        this.i++;
        let hi: number;
        if (re[this.i] === '\\') {
          const node = this.escape(true);
          const m = node && node.kind === 'set' ? node.set.sample() : null;
          hi = m ?? lo;
        } else {
          hi = re.charCodeAt(this.i);
          this.i++;
        }
        out = out.union(CharSet.range(lo, Math.max(lo, hi)));
        continue;
      }
      out = out.union(single ?? CharSet.of(lo));
    }
    if (re[this.i] === ']') this.i++;
    if (this.icase) out = out.folded();
    return negated ? out.negate() : out;
  }
}

/** Parses a PCRE pattern (`icase` for `~*`). Never throws. */
export function parseRegex(re: string, icase = false): ParsedRegex {
  return new Parser(re, icase).parse();
}

/** Number of capture groups of a pattern (named groups are numbered too). */
export function captureCount(re: string): number {
  let n = captureCounts.get(re);
  if (n === undefined) remember(captureCounts, re, (n = parseRegex(re).groups));
  return n;
}

/**
 * Answers by pattern: a configuration repeats the same few regexes in many locations, maps and
 * ifs, and three rules ask about each. The answers depend on the pattern text alone; the maps are
 * emptied when they grow past a bound so that a long session does not keep every pattern it saw.
 */
const captureCounts = new Map<string, number>();
const redosByPattern = new Map<string, Redos[]>();
const MEMO_LIMIT = 4096;
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
}

// ------------------------------------------------------------------------------ matching facts

/** The node can match the empty string. */
function nullable(n: RegexNode): boolean {
  switch (n.kind) {
    case 'seq': return n.items.every(nullable);
    case 'alt': return n.branches.some(nullable);
    case 'group': return n.look || nullable(n.body);
    case 'repeat': return n.min === 0 || nullable(n.body);
    case 'set': return false;
    case 'assert': return true;
    case 'opaque': return false;
  }
}

/** Every character the node can consume. */
function charsOf(n: RegexNode): CharSet {
  switch (n.kind) {
    case 'seq': return n.items.reduce((a, x) => a.union(charsOf(x)), new CharSet());
    case 'alt': return n.branches.reduce((a, x) => a.union(charsOf(x)), new CharSet());
    case 'group': return n.look ? new CharSet() : charsOf(n.body);
    case 'repeat': return n.max === 0 ? new CharSet() : charsOf(n.body);
    case 'set': return n.set;
    default: return new CharSet();
  }
}

/**
 * Whether the node can match a non-empty string made only of characters of `s`, and whether it
 * can match the empty one. An assertion is taken as passing; an opaque node as matching nothing.
 */
function within(n: RegexNode, s: CharSet): { empty: boolean; nonempty: boolean } {
  switch (n.kind) {
    case 'set': return { empty: false, nonempty: n.set.intersects(s) };
    case 'assert': return { empty: true, nonempty: false };
    case 'opaque': return { empty: false, nonempty: false };
    case 'group': return n.look ? { empty: true, nonempty: false } : within(n.body, s);
    case 'alt': {
      const r = n.branches.map((b) => within(b, s));
      return { empty: r.some((x) => x.empty), nonempty: r.some((x) => x.nonempty) };
    }
    case 'repeat': {
      if (n.max === 0) return { empty: true, nonempty: false };
      const b = within(n.body, s);
      return { empty: n.min === 0 || b.empty, nonempty: b.nonempty };
    }
    case 'seq': {
      let empty = true, nonempty = false;
      for (const x of n.items) {
        const r = within(x, s);
        if (!r.empty && !r.nonempty) return { empty: false, nonempty: false };
        // a non-empty string: some item non-empty, the others empty or non-empty
        nonempty = (nonempty && (r.empty || r.nonempty)) || (empty && r.nonempty) || (nonempty && r.nonempty);
        empty = empty && r.empty;
      }
      return { empty, nonempty };
    }
  }
}

/** Whether every string the node matches is exactly one character long, and the set of them. */
function singleChar(n: RegexNode): CharSet | null {
  if (n.kind === 'set') return n.set;
  if (n.kind === 'group' && !n.look) return singleChar(n.body);
  if (n.kind === 'repeat' && n.min === 1 && n.max === 1) return singleChar(n.body);
  if (n.kind === 'alt') {
    let u = new CharSet();
    for (const b of n.branches) { const s = singleChar(b); if (!s) return null; u = u.union(s); }
    return u;
  }
  if (n.kind === 'seq' && n.items.length === 1) return singleChar(n.items[0]);
  return null;
}

/** The repeats inside a node that match a variable number of times (`+`, `*`, `{1,3}`; not `?`, `{2}`). */
function variableRepeatsIn(n: RegexNode, out: Extract<RegexNode, { kind: 'repeat' }>[] = []): typeof out {
  switch (n.kind) {
    case 'seq': n.items.forEach((x) => variableRepeatsIn(x, out)); break;
    case 'alt': n.branches.forEach((x) => variableRepeatsIn(x, out)); break;
    case 'group': if (!n.look && !n.atomic) variableRepeatsIn(n.body, out); break;
    case 'repeat':
      if (!n.possessive && n.max > n.min && n.max >= 2) out.push(n);
      variableRepeatsIn(n.body, out);
      break;
    default: break;
  }
  return out;
}

function alternativesOf(n: RegexNode): RegexNode[] | null {
  if (n.kind === 'alt') return n.branches;
  if (n.kind === 'group' && !n.look && !n.atomic) return alternativesOf(n.body);
  if (n.kind === 'seq' && n.items.length === 1) return alternativesOf(n.items[0]);
  return null;
}

export interface Redos {
  /** offsets of the outer repeat in the pattern */
  start: number;
  end: number;
  /** what makes it ambiguous */
  reason: 'nested' | 'alternation';
  /** the pattern text of the repeat */
  text: string;
}

/**
 * The repeats of a pattern that backtrack exponentially on a failing input: an unbounded (or
 * 10-fold or more) repeat, not possessive nor inside an atomic group, whose body can match a
 * string in more than one way — (1) it holds a variable repeat and can be made of that repeat's
 * characters alone, so the iterations can split a run of them anywhere; (2) two of its alternatives
 * match a common string (one of them a single character the other can be made of). Only when the
 * rest of the pattern can fail after it: a repeat that ends the pattern succeeds with its first try.
 */
export function findRedos(re: string, icase = false): Redos[] {
  const key = (icase ? 'i' : 'c') + re;
  let hit = redosByPattern.get(key);
  if (!hit) remember(redosByPattern, key, (hit = computeRedos(re, icase)));
  return hit;
}

function computeRedos(re: string, icase: boolean): Redos[] {
  const { root } = parseRegex(re, icase);
  const out: Redos[] = [];
  const visit = (n: RegexNode, tail: boolean) => {
    switch (n.kind) {
      case 'seq':
        n.items.forEach((x, i) => visit(x, tail && n.items.slice(i + 1).every((y) => nullable(y) && !hasAssert(y))));
        return;
      case 'alt': n.branches.forEach((b) => visit(b, tail)); return;
      case 'group': if (!n.look && !n.atomic) visit(n.body, tail); return;
      case 'repeat': {
        if (!n.possessive && (n.max === Infinity || n.max >= 10) && !tail) {
          const reason = ambiguity(n.body);
          if (reason) {
            out.push({ start: n.start, end: n.end, reason, text: re.slice(n.start, n.end) });
            return; // one finding for the outermost ambiguous repeat
          }
        }
        visit(n.body, false);
        return;
      }
      default: return;
    }
  };
  visit(root, true);
  return out;
}

function hasAssert(n: RegexNode): boolean {
  switch (n.kind) {
    case 'assert': return true;
    case 'seq': return n.items.some(hasAssert);
    case 'alt': return n.branches.some(hasAssert);
    case 'group': return n.look || hasAssert(n.body);
    case 'repeat': return hasAssert(n.body);
    default: return false;
  }
}

function ambiguity(body: RegexNode): Redos['reason'] | null {
  for (const inner of variableRepeatsIn(body)) {
    const s = charsOf(inner.body);
    if (!s.isEmpty() && within(body, s).nonempty) return 'nested';
  }
  const alts = alternativesOf(body);
  if (alts) {
    for (let i = 0; i < alts.length; i++) {
      const one = singleChar(alts[i]);
      if (!one) continue;
      // the other alternative can be made of `one`'s characters: a run of them splits either way
      for (let j = 0; j < alts.length; j++) if (j !== i && within(alts[j], one).nonempty) return 'alternation';
    }
  }
  return null;
}

// ------------------------------------------------------------------------------ strings

/** A shortest string the node matches (letters preferred), or null when none is known. */
export function sampleOf(n: RegexNode): string | null {
  switch (n.kind) {
    case 'set': { const c = n.set.has(46) && n.set.has(10) === false && n.set.has(97) ? 46 : n.set.sample(); return c === null ? null : String.fromCharCode(c); }
    case 'assert': return '';
    case 'opaque': return null;
    case 'group': return n.look ? '' : sampleOf(n.body);
    case 'repeat': {
      if (n.min === 0) return '';
      const b = sampleOf(n.body);
      // nested counts multiply: a sample beyond a few thousand characters says nothing useful
      return b === null || b.length * n.min > 4096 ? null : b.repeat(n.min);
    }
    case 'alt': {
      for (const b of n.branches) { const s = sampleOf(b); if (s !== null) return s; }
      return null;
    }
    case 'seq': {
      let out = '';
      for (const x of n.items) { const s = sampleOf(x); if (s === null) return null; out += s; }
      return out.length > 4096 ? null : out;
    }
  }
}

/**
 * A JavaScript RegExp that matches what the PCRE pattern matches on ASCII input, or null when the
 * pattern uses syntax this translation does not carry over (possessive and atomic forms, \A \z,
 * inline flags after the start, \Q…\E, \h, \R, recursion).
 */
export function toJsRegex(re: string, icase = false): RegExp | null {
  let src = re;
  let flags = icase ? 'i' : '';
  const lead = /^\(\?([a-z]+)\)/.exec(src);
  if (lead) {
    if (/[^is]/.test(lead[1])) return null;
    if (lead[1].includes('i')) flags = 'i';
    if (lead[1].includes('s')) flags += 's';
    src = src.slice(lead[0].length);
  }
  if (/\(\?[a-zA-Z-]*[):]|\(\?>|\(\?[|#(R&0-9+-]|\\[AzZGQEhHRKgkCNpP]|[*+?}]\+|\[:\^?[a-z]+:\]/.test(src.replace(/\(\?:/g, ''))) return null;
  // PCRE's named groups (?P<n>…) and (?'n'…) in JavaScript's spelling
  src = src.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?'([A-Za-z_]\w*)'/g, '(?<$1>');
  try {
    return new RegExp(src, flags);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------ where regexes are


export interface RegexSite {
  /** the pattern as PCRE gets it */
  re: string;
  icase: boolean;
  /** the word holding it; the pattern starts `offset` characters into the word's value */
  word: Word;
  offset: number;
  /** what holds it: "location", "if", "map", "server_name", "rewrite", "valid_referers" */
  where: string;
  /** for `if`: the variable matched ("http_origin"); for a map entry: the map's source variable */
  subject: string | null;
}

const REGEX_HOLDERS = new Set(['location', 'if', 'server_name', 'valid_referers', 'rewrite']);
const NO_SITES: RegexSite[] = [];

/** The regexes a directive (or a map entry) gives PCRE. */
export function regexSites(d: Directive): RegexSite[] {
  // most directives hold no regex: answered without allocating (callers only read the list)
  if (!d.isEntry && !REGEX_HOLDERS.has(d.name)) return NO_SITES;
  const out: RegexSite[] = [];
  const n = d.argCount;
  if (d.isEntry) {
    const map = d.parent;
    if (!map || map.name !== 'map') return out;
    const key = d.name;
    const m = /^~\*?/.exec(key);
    if (!m) return out;
    const subject = (map.argValue(0) ?? '').replace(/^\$\{?|\}$/g, '');
    return [{ re: key.slice(m[0].length), icase: m[0] === '~*', word: d.nameWord, offset: m[0].length, where: 'map', subject }];
  }
  switch (d.name) {
    case 'location': {
      // `location ~ re`, `location ~*re`
      if (n === 2 && (d.argValue(0) === '~' || d.argValue(0) === '~*')) out.push({ re: d.argValue(1)!, icase: d.argValue(0) === '~*', word: d.arg(1)!, offset: 0, where: 'location', subject: null });
      else if (n === 1) {
        const m = /^~\*?/.exec(d.argValue(0)!);
        if (m && d.argValue(0)!.length > m[0].length) out.push({ re: d.argValue(0)!.slice(m[0].length), icase: m[0] === '~*', word: d.arg(0)!, offset: m[0].length, where: 'location', subject: null });
      }
      break;
    }
    case 'if': {
      for (let i = 0; i + 1 < n; i++) {
        const op = d.argValue(i)!;
        if (!/^!?~\*?$/.test(op)) continue;
        const w = d.arg(i + 1)!;
        const v = w.value;
        // the closing parenthesis of the condition may be glued to the pattern
        const re = i + 2 === n && !w.quote && v.endsWith(')') ? v.slice(0, -1) : v;
        const subject = i > 0 ? d.argValue(i - 1)!.replace(/^\(/, '').replace(/^\$\{?|\}$/g, '') : null;
        out.push({ re, icase: op.endsWith('*'), word: w, offset: 0, where: 'if', subject });
      }
      break;
    }
    case 'server_name':
      for (let i = 0; i < n; i++) {
        const v = d.argValue(i)!;
        if (v.startsWith('~') && v.length > 1) out.push({ re: v.slice(1), icase: true, word: d.arg(i)!, offset: 1, where: 'server_name', subject: null });
      }
      break;
    case 'valid_referers':
      for (let i = 0; i < n; i++) {
        const v = d.argValue(i)!;
        if (v.startsWith('~') && v.length > 1) out.push({ re: v.slice(1), icase: true, word: d.arg(i)!, offset: 1, where: 'valid_referers', subject: null });
      }
      break;
    case 'rewrite':
      if (n >= 2) out.push({ re: d.argValue(0)!, icase: false, word: d.arg(0)!, offset: 0, where: 'rewrite', subject: null });
      break;
    default: break;
  }
  return out;
}

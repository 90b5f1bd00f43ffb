/**
 * Example requests for a location: the CodeLens "e.g. http://app.example.com/api/x" above each
 * `location`. Pure: candidates are generated from the location's modifier and pattern (and its
 * enclosing locations and server), and the caller proves each one with the routing model
 * (features/route.ts) — a candidate is shown only when routing it really ends at this location, so
 * a location no candidate reaches is called unreachable instead of being given a URL that lies.
 *
 * The regex side is a generator over the PCRE syntax nginx location and server_name patterns use:
 * it builds one string the pattern matches (or gives up with null on what it cannot produce, such
 * as `\p{…}` or a backreference to a group that produced nothing). It does not decide whether the
 * pattern matches: the routing model does, with its own faithful PCRE translation.
 */

/** The part of a location the generator reads: its modifier and pattern, as nginx splits them. */
export interface LocationPattern {
  /** '' (prefix), '=', '^~', '~', '~*', '@' (named) or '$' (a mainline predicate `location $var`) */
  modifier: string;
  /** the URI, regex or name, without the modifier */
  pattern: string;
}

export interface RegexExampleOptions {
  /** `~*`, `(?i)`: letters match either case */
  caseless?: boolean;
  /**
   * Take the fewest repetitions (`?`/`*` zero times, `{n,m}` n times) instead of one of each;
   * a second candidate when the fuller one is shadowed by another location.
   */
  minimal?: boolean;
}

/** What a generated string must respect: where it is anchored. */
export interface RegexExample {
  text: string;
  /** the pattern can only match at the start of the subject (`^`, `\A`) */
  anchoredStart: boolean;
  /** the pattern can only match at the end of the subject (`$`, `\z`, `\Z`) */
  anchoredEnd: boolean;
}

class GiveUp extends Error {}

/** A set of characters as a predicate (a class, `.`, `\d`, …) with the character to try first. */
type CharTest = (c: string) => boolean;

/** Characters tried, in order, for a class or `.`: readable in a URL first, then anything printable. */
const PREFERRED = 'abcxyz0123456789ABCXYZ-_.~/!$&\'()*+,;=:@% "#<>?[\\]^`{|}';

const isDigit: CharTest = (c) => c >= '0' && c <= '9';
const isWord: CharTest = (c) => /^[A-Za-z0-9_]$/.test(c);
const isSpace: CharTest = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const isHSpace: CharTest = (c) => c === ' ' || c === '\t';

const POSIX: Record<string, CharTest> = {
  alpha: (c) => /^[A-Za-z]$/.test(c),
  digit: isDigit,
  alnum: (c) => /^[A-Za-z0-9]$/.test(c),
  word: isWord,
  upper: (c) => /^[A-Z]$/.test(c),
  lower: (c) => /^[a-z]$/.test(c),
  space: isSpace,
  blank: isHSpace,
  xdigit: (c) => /^[0-9A-Fa-f]$/.test(c),
  punct: (c) => /^[!-/:-@[-`{-~]$/.test(c),
  print: (c) => c >= ' ' && c <= '~',
  graph: (c) => c > ' ' && c <= '~',
};

/** One string `pattern` (PCRE) matches, with its anchors; null when the generator cannot build one. */
export function exampleFromRegex(pattern: string, options: RegexExampleOptions = {}): RegexExample | null {
  // a pattern longer than any real location regex, or one nested deeper than the recursion can
  // follow (RangeError), gets no example rather than a crash
  if (pattern.length > MAX_PATTERN) return null;
  try {
    const ex = new RegexGenerator(pattern, options).run();
    return ex.text.length > MAX_EXAMPLE ? null : ex;
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) return null;
    throw err;
  }
}

const MAX_PATTERN = 4096;
/** longest example worth showing (and routing): `x{100000}` has one, but not a useful one */
const MAX_EXAMPLE = 2048;

class RegexGenerator {
  private i = 0;
  private caseless: boolean;
  private readonly minimal: boolean;
  private readonly groups: (string | undefined)[] = [];
  private readonly named = new Map<string, number>();
  private anchoredStart = false;
  private anchoredEnd = false;
  /** output so far, so `^` in the middle (only valid with nothing before it) can be checked */
  private out = '';

  constructor(private readonly src: string, options: RegexExampleOptions) {
    this.caseless = !!options.caseless;
    this.minimal = !!options.minimal;
  }

  run(): RegexExample {
    const text = this.alternation();
    if (this.i < this.src.length) throw new GiveUp(); // an unbalanced `)`
    return { text, anchoredStart: this.anchoredStart, anchoredEnd: this.anchoredEnd };
  }

  private peek(k = 0): string {
    return this.src[this.i + k] ?? '';
  }

  /** Branches separated by `|`: the first branch that can be generated. */
  private alternation(): string {
    const startOut = this.out;
    const startAnchors = [this.anchoredStart, this.anchoredEnd] as const;
    // the chosen branch's text, output and anchors stand; later branches are only parsed past
    let chosen: { text: string; out: string; anchors: readonly [boolean, boolean] } | null = null;
    for (;;) {
      const branchStart = this.i;
      try {
        const text = this.sequence();
        chosen ??= { text, out: this.out, anchors: [this.anchoredStart, this.anchoredEnd] };
      } catch (err) {
        if (!(err instanceof GiveUp)) throw err;
        this.skipBranch(branchStart);
      }
      this.out = startOut;
      [this.anchoredStart, this.anchoredEnd] = startAnchors;
      if (this.peek() !== '|') break;
      this.i++;
    }
    if (chosen === null) throw new GiveUp();
    this.out = chosen.out;
    [this.anchoredStart, this.anchoredEnd] = chosen.anchors;
    return chosen.text;
  }

  /** After a branch gave up: skip to its end (`|` or `)` at this depth, or the end of the pattern). */
  private skipBranch(from: number): void {
    let depth = 0;
    let inClass = false;
    for (let j = from; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === '\\') { j++; continue; }
      if (inClass) { if (c === ']') inClass = false; continue; }
      if (c === '[') { inClass = true; if (this.src[j + 1] === ']' || (this.src[j + 1] === '^' && this.src[j + 2] === ']')) j += this.src[j + 1] === '^' ? 2 : 1; continue; }
      if (c === '(') depth++;
      else if (c === ')') { if (depth === 0) { this.i = j; return; } depth--; }
      else if (c === '|' && depth === 0) { this.i = j; return; }
    }
    this.i = this.src.length;
  }

  private sequence(): string {
    let text = '';
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const before = this.out;
      const atom = this.atom();
      if (atom === null) continue; // an assertion, a flag group, a comment
      const reps = this.quantifier();
      const piece = reps === 0 ? '' : atom.repeat(reps);
      if (reps === 0) this.out = before;
      else this.out = before + piece;
      if (piece && this.anchoredEnd) throw new GiveUp(); // text after `$`
      text += piece;
    }
    return text;
  }

  /** How many times to repeat the atom just read, from the quantifier after it (1 when none). */
  private quantifier(): number {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '?') { min = 0; max = 1; this.i++; }
    else if (c === '*') { min = 0; max = Infinity; this.i++; }
    else if (c === '+') { min = 1; max = Infinity; this.i++; }
    else if (c === '{') {
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      // `{` that is not a quantifier is a literal in PCRE (`{,n}` is one only from PCRE2 10.43)
      if (!m || (m[1] === '' && m[3] === undefined) || m[1] === '') return 1;
      min = Number(m[1]);
      max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      this.i += m[0].length;
    } else return 1;
    if (this.peek() === '?' || this.peek() === '+') this.i++; // lazy, possessive: the same strings
    if (min > MAX_EXAMPLE) throw new GiveUp();
    if (this.minimal) return min;
    return Math.min(Math.max(min, 1), max);
  }

  /** One atom's text; null for what matches no character (anchors, flags, lookarounds, comments). */
  private atom(): string | null {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
        if (this.out !== '') throw new GiveUp(); // `^` after text: only in multiline mode
        this.anchoredStart = true;
        return null;
      case '$':
        this.anchoredEnd = true;
        return null;
      case '.':
        return this.pick(() => true, false);
      case '[':
        return this.charClass();
      case '(':
        return this.group();
      case '\\':
        return this.escape();
      case '*': case '+': case '?':
        throw new GiveUp(); // a quantifier with nothing to repeat: not a valid pattern
      default:
        return c;
    }
  }

  private group(): string | null {
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i + 1);
      if (rest.startsWith('#')) {
        const close = this.src.indexOf(')', this.i);
        if (close < 0) throw new GiveUp();
        this.i = close + 1;
        return null;
      }
      // lookarounds match no text; the routing model checks the candidate against them
      const look = /^(=|!|<=|<!)/.exec(rest);
      if (look) {
        this.i += 1 + look[0].length;
        const saved = this.out;
        const anchors = [this.anchoredStart, this.anchoredEnd] as const;
        try { this.alternation(); } catch (err) { if (!(err instanceof GiveUp)) throw err; this.skipBranch(this.i); }
        this.out = saved;
        [this.anchoredStart, this.anchoredEnd] = anchors;
        this.expect(')');
        return null;
      }
      const flags = /^([imsxnUJ]*)(?:-([imsxnUJ]*))?(:|\))/.exec(rest);
      if (flags) {
        this.i += 1 + flags[0].length;
        const outer = this.caseless;
        if (flags[1].includes('i')) this.caseless = true;
        if (flags[2]?.includes('i')) this.caseless = false;
        if (flags[3] === ')') return null; // (?i): to the end of the enclosing group
        const text = this.alternation();
        this.expect(')');
        this.caseless = outer;
        return text;
      }
      const name = /^(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
      if (name) {
        this.i += 1 + name[0].length;
        const index = this.groups.length + 1;
        this.named.set(name[1] ?? name[2], index);
        return this.capture(index);
      }
      if (rest.startsWith('>') || rest.startsWith('|')) { // atomic, branch reset: the same strings
        this.i += 2;
        const text = this.alternation();
        this.expect(')');
        return text;
      }
      throw new GiveUp(); // conditionals, recursion, callouts
    }
    return this.capture(this.groups.length + 1);
  }

  private capture(index: number): string {
    this.groups[index - 1] = undefined;
    const outer = this.caseless;
    const text = this.alternation();
    this.expect(')');
    this.caseless = outer;
    this.groups[index - 1] = text;
    return text;
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw new GiveUp();
    this.i++;
  }

  private escape(): string | null {
    const c = this.src[this.i++];
    if (c === undefined) throw new GiveUp();
    switch (c) {
      case 'd': return this.pick(isDigit, false);
      case 'D': return this.pick((x) => !isDigit(x), false);
      case 'w': return this.pick(isWord, false);
      case 'W': return this.pick((x) => !isWord(x), false);
      case 's': return this.pick(isSpace, false);
      case 'S': return this.pick((x) => !isSpace(x), false);
      case 'h': return this.pick(isHSpace, false);
      case 'H': return this.pick((x) => !isHSpace(x), false);
      case 'N': return this.pick((x) => x !== '\n', false);
      case 't': return '\t';
      case 'A':
        if (this.out !== '') throw new GiveUp();
        this.anchoredStart = true;
        return null;
      case 'z': case 'Z':
        this.anchoredEnd = true;
        return null;
      case 'b': case 'B': case 'G':
        return null; // word boundaries: the routing model checks the candidate
      case 'Q': {
        const end = this.src.indexOf('\\E', this.i);
        const text = this.src.slice(this.i, end < 0 ? undefined : end);
        this.i = end < 0 ? this.src.length : end + 2;
        return text;
      }
      case 'E':
        return null;
      case 'x': {
        const m = /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{0,2}))/.exec(this.src.slice(this.i))!;
        this.i += m[0].length;
        const code = parseInt(m[1] ?? (m[2] || '0'), 16);
        if (code < 0x20 || code > 0x10ffff) throw new GiveUp(); // control characters: not in a URI
        return String.fromCodePoint(code);
      }
      case 'k': {
        const m = /^(?:<(\w+)>|'(\w+)'|\{(\w+)\})/.exec(this.src.slice(this.i));
        if (!m) throw new GiveUp();
        this.i += m[0].length;
        return this.backref(this.named.get(m[1] ?? m[2] ?? m[3]));
      }
      case 'g': {
        const m = /^(?:\{(-?\d+)\}|(-?\d+))/.exec(this.src.slice(this.i));
        if (!m) throw new GiveUp();
        this.i += m[0].length;
        const n = Number(m[1] ?? m[2]);
        return this.backref(n < 0 ? this.groups.length + 1 + n : n);
      }
      default:
        if (c >= '1' && c <= '9') {
          const m = /^\d*/.exec(this.src.slice(this.i))!;
          this.i += m[0].length;
          return this.backref(Number(c + m[0]));
        }
        // \p{…}, \X, \R, \n, \0…: characters a URI does not carry, or classes not modelled here
        if (/[A-Za-z0-9]/.test(c)) throw new GiveUp();
        return c; // an escaped punctuation character stands for itself
    }
  }

  private backref(index: number | undefined): string {
    const text = index === undefined ? undefined : this.groups[index - 1];
    if (text === undefined) throw new GiveUp();
    return text;
  }

  private charClass(): string {
    let negated = false;
    if (this.peek() === '^') { negated = true; this.i++; }
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      if (this.i >= this.src.length) throw new GiveUp();
      let c = this.src[this.i];
      if (c === ']' && !first) { this.i++; break; }
      first = false;
      if (c === '[' && this.peek(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
        const posix = m ? POSIX[m[2]] : undefined;
        if (!m || !posix) throw new GiveUp();
        this.i += m[0].length;
        tests.push(m[1] ? (x) => !posix(x) : posix);
        continue;
      }
      this.i++;
      let lo: string;
      if (c === '\\') {
        c = this.src[this.i++] ?? '';
        const cls: Record<string, CharTest> = {
          d: isDigit, D: (x) => !isDigit(x), w: isWord, W: (x) => !isWord(x),
          s: isSpace, S: (x) => !isSpace(x), h: isHSpace, H: (x) => !isHSpace(x),
        };
        if (cls[c]) { tests.push(cls[c]); continue; }
        if (c === 'x') {
          const m = /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{0,2}))/.exec(this.src.slice(this.i))!;
          this.i += m[0].length;
          lo = String.fromCodePoint(parseInt(m[1] ?? (m[2] || '0'), 16));
        } else if (c === 't') lo = '\t';
        else if (c === 'n') lo = '\n';
        else if (c === 'r') lo = '\r';
        else if (/[A-Za-z0-9]/.test(c)) throw new GiveUp();
        else lo = c;
      } else lo = c;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        let hi = this.src[this.i++];
        if (hi === '\\') {
          hi = this.src[this.i++] ?? '';
          if (/[A-Za-z0-9]/.test(hi)) throw new GiveUp();
        }
        const a = lo, b = hi;
        tests.push((x) => x >= a && x <= b);
      } else {
        const a = lo;
        tests.push((x) => x === a);
      }
    }
    const member: CharTest = (x) => tests.some((t) => t(x));
    return this.pick(negated ? (x) => !member(x) : member, negated);
  }

  /**
   * The first preferred character in the set. Case-insensitive matching widens a positive set by
   * the other case and narrows a negated one by it (PCRE folds before testing the class).
   */
  private pick(test: CharTest, negated: boolean): string {
    const fold = (x: string): string[] => (this.caseless ? [x, x.toLowerCase(), x.toUpperCase()] : [x]);
    const inSet = negated
      ? (x: string) => fold(x).every((y) => test(y))
      : (x: string) => fold(x).some((y) => test(y));
    for (const c of PREFERRED) if (c !== '\n' && inSet(c)) return c;
    for (let code = 0xa1; code < 0x250; code++) {
      const c = String.fromCharCode(code);
      if (inSet(c)) return c;
    }
    throw new GiveUp();
  }
}

/** Characters a URI path may carry unencoded (RFC 3986 pchar and `/`). */
const PATH_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

/**
 * A decoded URI path as a request line would carry it: what nginx decodes back (`%20`, `%3F`,
 * `%25`, UTF-8 bytes) is percent-encoded, the rest kept.
 */
export function encodePath(decoded: string): string {
  let out = '';
  for (const ch of decoded) {
    if (PATH_SAFE.test(ch)) { out += ch; continue; }
    for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decoded URI paths worth trying for a location, best first, given the locations it is nested in
 * (outermost first). Candidates are proposals: the routing model says which one, if any, reaches
 * the location. Named and predicate locations are not reached by a URI: no candidates.
 */
export function locationPathCandidates(loc: LocationPattern, parents: readonly LocationPattern[] = []): string[] {
  const out: string[] = [];
  const add = (p: string | null | undefined): void => {
    if (p && !out.includes(p)) out.push(p);
  };
  // what the innermost enclosing location's URIs start with (nested locations must match it too)
  const bases = parents.length ? locationPathCandidates(parents[parents.length - 1], parents.slice(0, -1)) : ['/'];
  if (parents.length && bases.length === 0) return []; // inside a named location, or an unreachable one
  switch (loc.modifier) {
    case '@':
    case '$':
      return [];
    case '=':
      add(loc.pattern);
      return out;
    case '':
    case '^~': {
      const p = loc.pattern;
      add(p);
      // the prefix itself may be taken by an `=` location or a regex: one level deeper
      add(p.endsWith('/') ? `${p}x` : `${p}/x`);
      add(`${p}x`);
      add(p.endsWith('/') ? `${p}index.html` : `${p}.html`);
      return out;
    }
    case '~':
    case '~*': {
      const caseless = loc.modifier === '~*';
      for (const minimal of [false, true]) {
        const ex = exampleFromRegex(loc.pattern, { caseless, minimal });
        if (!ex) continue;
        const g = ex.text;
        if (ex.anchoredStart) {
          add(g);
          continue;
        }
        for (const base of bases.slice(0, 2)) {
          if (g.startsWith(base)) add(g);
          else if (g.startsWith('/') && base.endsWith('/')) add(base + g.slice(1));
          else {
            // a match in the middle of the URI: a name before it (`\.php$` → `/x.php`), then without
            add(`${base}${base.endsWith('/') ? '' : '/'}x${g}`);
            add(base + g);
          }
        }
      }
      return out;
    }
    default:
      return out;
  }
}

/**
 * Host names worth trying for a server's `server_name` list, best first: exact names, a name each
 * wildcard covers, one a regex matches. `""` and `_`-style placeholders are skipped: such a server
 * is reached as a default server, which the caller tries with its listen address.
 */
export function hostCandidates(serverNames: readonly string[]): string[] {
  const out: string[] = [];
  const add = (h: string | null | undefined): void => {
    if (h && !out.includes(h)) out.push(h);
  };
  const exact: string[] = [];
  const wild: string[] = [];
  const regex: string[] = [];
  for (const raw of serverNames) {
    const name = raw.toLowerCase();
    if (name === '' || name === '_' || name === '$hostname') continue;
    if (name.startsWith('~')) regex.push(raw.slice(1));
    else if (name.startsWith('*.')) wild.push(`www.${name.slice(2)}`);
    else if (name.startsWith('.')) { exact.push(name.slice(1)); wild.push(`www${name}`); }
    else if (name.endsWith('.*')) wild.push(`${name.slice(0, -2)}.com`);
    else if (/^[a-z0-9]/.test(name) && !name.includes('*')) exact.push(name);
  }
  exact.forEach(add);
  wild.forEach(add);
  for (const r of regex) {
    // nginx compiles server_name regexes caselessly and matches them against the lower-cased Host
    const ex = exampleFromRegex(r, { caseless: true }) ?? exampleFromRegex(r, { caseless: true, minimal: true });
    if (ex && /^[a-z0-9.-]+$/i.test(ex.text) && ex.text.length > 0) add(ex.text.toLowerCase());
  }
  return out;
}

/** One request to try: what `nginx/route` takes, minus the document. */
export interface RouteCandidate {
  /** `http(s)://host[:port]/path`, what the user would type and what the CodeLens shows */
  url: string;
  /** the request's URI path, percent-encoded */
  path: string;
  host?: string;
  /** `ip:port` the connection arrives on */
  serverAddress?: string;
}

/** A listen endpoint of the server the location is in. */
export interface ListenEndpoint {
  /** `*` or an address (IPv6 in brackets) */
  address: string;
  port: number;
  ssl: boolean;
}

/**
 * The requests to try for a location, best first: each host candidate of its server on each of the
 * server's listen endpoints, each path candidate. Bounded: a lens is computed for every location of
 * a file on every edit, each candidate costs one route lookup.
 */
export function requestCandidates(
  paths: readonly string[],
  hosts: readonly string[],
  listens: readonly ListenEndpoint[],
  limit = 24,
): RouteCandidate[] {
  const out: RouteCandidate[] = [];
  const endpoints = listens.length ? listens : [{ address: '*', port: 80, ssl: false }];
  for (const path of paths) {
    for (const ep of endpoints.slice(0, 2)) {
      const ip = ep.address === '*' ? '127.0.0.1' : ep.address;
      const hostList = hosts.length ? hosts.slice(0, 2) : [ip === '127.0.0.1' ? 'localhost' : ip];
      for (const host of hostList) {
        const scheme = ep.ssl ? 'https' : 'http';
        const defaultPort = ep.ssl ? 443 : 80;
        const encoded = encodePath(path);
        out.push({
          url: `${scheme}://${host}${ep.port === defaultPort ? '' : `:${ep.port}`}${encoded}`,
          path: encoded,
          host,
          serverAddress: `${ip}:${ep.port}`,
        });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

/** The first candidate `reaches` accepts, or null: the location is unreachable as far as we can tell. */
export function firstReaching<T>(candidates: readonly T[], reaches: (c: T) => boolean): T | null {
  for (const c of candidates) if (reaches(c)) return c;
  return null;
}

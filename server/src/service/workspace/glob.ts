/**
 * Glob matching as nginx sees it: `include` patterns go through glob(3) (`*`, `?`, `[…]`, `[!…]`,
 * backslash escapes; a leading `.` in a name is only matched by a literal `.`; matches sorted in
 * byte order, as in nginx's C locale). nginx treats an include as a glob when it contains any of `*?[`.
 */
import type { FileSystem } from './fileSystem';
import { isAbsolute, normalize } from '../paths';

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

// ------------------------------------------------------------------ matching without backtracking
//
// Patterns are compiled to a token list and run as a set of states over the name (a Thompson NFA):
// time is at most (pattern length × name length), whatever the pattern. A regular expression built
// from `*a*a*a*a*b` backtracks exponentially on a long name, and one built from `[z-a]` throws.

const T_LIT = 0, T_ANY = 1, T_CLASS = 2, T_STAR = 3, T_GLOBSTAR = 4, T_GLOBSTAR_SLASH = 5;

interface Tok {
  t: number;
  /** T_LIT: the code unit */
  c?: number;
  /** T_CLASS: inclusive ranges, flat [lo, hi, lo, hi, …] */
  ranges?: number[];
  neg?: boolean;
}

export interface CompiledGlob {
  /** whether the whole of `s` matches */
  test(s: string): boolean;
  /** why part of the pattern can never match (an empty range such as `[z-a]`), or null */
  error: string | null;
}

const NAMED: Record<string, number[]> = {
  alpha: [65, 90, 97, 122], digit: [48, 57], alnum: [48, 57, 65, 90, 97, 122], upper: [65, 90], lower: [97, 122],
  space: [9, 13, 32, 32], blank: [9, 9, 32, 32], xdigit: [48, 57, 65, 70, 97, 102],
  punct: [33, 47, 58, 64, 91, 96, 123, 126], print: [32, 126], graph: [33, 126], cntrl: [0, 31, 127, 127],
};

/**
 * Compiles one glob. `settings`: `**` spans folders and `{a,b}` is handled by the caller; otherwise
 * glob(3) rules for one path segment (`*`, `?`, `[…]`, `[!…]`, backslash escapes).
 */
function compileTokens(p: string, settings: boolean): { toks: Tok[]; error: string | null } {
  const toks: Tok[] = [];
  let error: string | null = null;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length && !settings) {
      toks.push({ t: T_LIT, c: p.charCodeAt(++i) });
    } else if (c === '*') {
      if (settings && p[i + 1] === '*') {
        if (p[i + 2] === '/') {
          toks.push({ t: T_GLOBSTAR_SLASH });
          i += 2;
        } else {
          toks.push({ t: T_GLOBSTAR });
          i += 1;
        }
      } else if (toks[toks.length - 1]?.t !== T_STAR) toks.push({ t: T_STAR }); // `**` in a segment is `*`
    } else if (c === '?') {
      toks.push({ t: T_ANY });
    } else if (c === '[') {
      const r = parseClass(p, i);
      if (!r) {
        toks.push({ t: T_LIT, c: 0x5b });
        continue;
      }
      if (r.error && !error) error = r.error;
      toks.push({ t: T_CLASS, ranges: r.ranges, neg: r.neg });
      i = r.end;
    } else {
      toks.push({ t: T_LIT, c: p.charCodeAt(i) });
    }
  }
  return { toks, error };
}

/** A bracket expression at `i`: its ranges and the index of its `]`, or null when it is not closed (a literal `[`). */
function parseClass(p: string, i: number): { ranges: number[]; neg: boolean; end: number; error: string | null } | null {
  let j = i + 1;
  let neg = false;
  if (p[j] === '!' || p[j] === '^') {
    neg = true;
    j++;
  }
  const ranges: number[] = [];
  let error: string | null = null;
  let first = true;
  while (j < p.length) {
    let c = p[j];
    if (c === ']' && !first) return { ranges, neg, end: j, error };
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      const name = close > 0 ? p.slice(j + 2, close) : '';
      if (close > 0 && NAMED[name]) {
        ranges.push(...NAMED[name]);
        j = close + 2;
        continue;
      }
      if (close > 0) {
        error ??= `unknown character class [:${name}:]: it matches nothing`;
        j = close + 2;
        continue;
      }
    }
    if (c === '\\' && j + 1 < p.length) c = p[++j];
    const lo = c.charCodeAt(0);
    let hi = lo;
    if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
      let h = p[j + 2];
      j += 2;
      if (h === '\\' && j + 1 < p.length) h = p[++j];
      hi = h.charCodeAt(0);
      if (hi < lo) {
        error ??= `the range ${c}-${h} is empty (${JSON.stringify(c)} sorts after ${JSON.stringify(h)}): it matches nothing`;
        j++;
        continue;
      }
    }
    ranges.push(lo, hi);
    j++;
  }
  return null;
}

function inClass(tok: Tok, c: number): boolean {
  const r = tok.ranges!;
  let hit = false;
  for (let k = 0; k < r.length; k += 2) if (c >= r[k] && c <= r[k + 1]) { hit = true; break; }
  return hit !== !!tok.neg;
}

/** Runs the token list over `s` as a set of states: O(tokens × length), no backtracking. */
function run(toks: Tok[], s: string): boolean {
  const m = toks.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (set: Uint8Array) => {
    // epsilon moves go forward only, so one forward sweep closes the set
    for (let i = 0; i < m; i++) {
      if (!set[i]) continue;
      const t = toks[i].t;
      if (t === T_STAR || t === T_GLOBSTAR || t === T_GLOBSTAR_SLASH) set[i + 1] = 1;
    }
  };
  cur[0] = 1;
  close(cur);
  for (let p = 0; p < s.length; p++) {
    const c = s.charCodeAt(p);
    next.fill(0);
    let any = false;
    for (let i = 0; i < m; i++) {
      if (!cur[i]) continue;
      const tok = toks[i];
      switch (tok.t) {
        case T_LIT: if (c === tok.c) { next[i + 1] = 1; any = true; } break;
        case T_ANY: if (c !== 0x2f) { next[i + 1] = 1; any = true; } break;
        case T_CLASS: if (c !== 0x2f && inClass(tok, c)) { next[i + 1] = 1; any = true; } break;
        case T_STAR: if (c !== 0x2f) { next[i] = 1; any = true; } break;
        case T_GLOBSTAR: next[i] = 1; any = true; break;
        case T_GLOBSTAR_SLASH:
          next[i] = 1;
          if (c === 0x2f) next[i + 1] = 1;
          any = true;
          break;
      }
    }
    if (!any) return false;
    close(next);
    const t = cur;
    cur = next;
    next = t;
  }
  return cur[m] === 1;
}

const segmentCache = new Map<string, CompiledGlob>();

/** One path segment of a glob(3) pattern, compiled (cached). Never throws. */
export function compileSegment(pattern: string): CompiledGlob {
  let g = segmentCache.get(pattern);
  if (g) return g;
  const { toks, error } = compileTokens(pattern, false);
  g = { test: (s) => run(toks, s), error };
  if (segmentCache.size > 500) segmentCache.clear();
  segmentCache.set(pattern, g);
  return g;
}

/** Whether a file name matches one glob(3) segment pattern. */
export function matchSegment(pattern: string, name: string): boolean {
  // glob(3) without GLOB_PERIOD: a leading dot must be matched explicitly
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return compileSegment(pattern).test(name);
}

/** Why a glob(3) include pattern can never match in part (the first such segment), or null. */
export function globProblem(pattern: string): string | null {
  for (const seg of normalize(pattern).split('/')) {
    if (!hasGlob(seg)) continue;
    const e = compileSegment(seg).error;
    if (e) return e;
  }
  return null;
}

export interface DirCache {
  readDir(path: string): { name: string; isDirectory: boolean }[] | null;
}

/** Bounds of one include glob's expansion (docs/limits.md). */
export const MAX_GLOB_DIRS = 2000;
export const MAX_GLOB_MATCHES = 50_000;

export interface GlobBounds {
  /** whether a folder may be listed (the file access policy); all may when absent */
  allowDir?(dir: string): boolean;
  maxDirs?: number;
  maxMatches?: number;
}

export interface GlobResult {
  files: string[];
  /** why the expansion stopped early (a bound was reached), or null */
  stopped: string | null;
  /** folders that would have been listed but lie outside what may be read */
  refused: string[];
}

/**
 * The files an absolute glob pattern matches, sorted, listing at most `maxDirs` folders and
 * keeping at most `maxMatches` files. Directories are skipped (nginx would fail on them anyway).
 */
export function expandGlobBounded(fs: FileSystem, dirs: DirCache, pattern: string, bounds: GlobBounds = {}): GlobResult {
  const maxDirs = bounds.maxDirs ?? MAX_GLOB_DIRS;
  const maxMatches = bounds.maxMatches ?? MAX_GLOB_MATCHES;
  const refused: string[] = [];
  let stopped: string | null = null;
  const p = normalize(pattern);
  if (!isAbsolute(p)) return { files: [], stopped, refused };
  let root = '/';
  let rest = p.slice(1);
  if (/^[a-z]:\//.test(p)) {
    root = p.slice(0, 3);
    rest = p.slice(3);
  }
  const segs = rest.split('/').filter(Boolean);
  let current: string[] = [root];
  let listed = 0;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      const base = dir.endsWith('/') ? dir : dir + '/';
      if (!hasGlob(seg)) {
        const literal = base + seg.replace(/\\(.)/g, '$1');
        if (last ? fs.isFile(literal) : fs.isDirectory(literal)) next.push(literal);
        continue;
      }
      if (bounds.allowDir && !bounds.allowDir(dir)) {
        refused.push(dir);
        continue;
      }
      if (listed >= maxDirs) {
        // the folders found so far still go on to the next segment
        stopped ??= `the pattern lists more than ${maxDirs} folders: expansion stopped, later matches are not analysed`;
        break;
      }
      listed++;
      const entries = dirs.readDir(dir);
      if (!entries) continue;
      for (const e of entries) {
        if (!matchSegment(seg, e.name)) continue;
        const full = base + e.name;
        // the listing tells folders from files (links followed): no stat per entry
        if (last) {
          if (!e.isDirectory) next.push(full);
        } else if (e.isDirectory) next.push(full);
        if (next.length >= maxMatches) break;
      }
      if (next.length >= maxMatches) {
        stopped ??= `the pattern matches more than ${maxMatches} ${last ? 'files' : 'folders'}: expansion stopped, later matches are not analysed`;
        break;
      }
    }
    current = next;
    if (!current.length) break;
  }
  return { files: current.length && current[0] !== root ? current.sort(byteOrder) : [], stopped, refused };
}

/** The files an absolute glob pattern matches, sorted (bounded: see expandGlobBounded). */
export function expandGlob(fs: FileSystem, dirs: DirCache, pattern: string): string[] {
  return expandGlobBounded(fs, dirs, pattern).files;
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How many alternatives `{a,b}` groups of a settings glob may expand to. */
const MAX_ALTERNATIVES = 64;

/**
 * A workspace-relative glob as used in settings (`**` spans folders, `{a,b}` alternatives), compiled
 * to the linear-time matcher. Never throws: an impossible part is reported in `error` (the caller
 * logs it once) and simply matches nothing.
 */
export function compileSettingsGlob(glob: string): CompiledGlob {
  let hit = settingsCache.get(glob);
  if (!hit) {
    hit = compileSettings(glob);
    if (settingsCache.size > 500) settingsCache.clear();
    settingsCache.set(glob, hit);
  }
  return hit;
}

const settingsCache = new Map<string, CompiledGlob>();

function compileSettings(glob: string): CompiledGlob {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  // expand `{a,b}` groups (not nested, as before), bounded
  let alts = [''];
  let error: string | null = null;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    const close = c === '{' ? g.indexOf('}', i) : -1;
    if (close < 0) {
      for (let k = 0; k < alts.length; k++) alts[k] += c;
      continue;
    }
    const options = g.slice(i + 1, close).split(',');
    if (alts.length * options.length > MAX_ALTERNATIVES) {
      error = `more than ${MAX_ALTERNATIVES} alternatives in {…} groups: the pattern is not used`;
      alts = [];
      break;
    }
    const out: string[] = [];
    // a literal alternative: its glob characters are not special (as before: they were escaped)
    for (const a of alts) for (const o of options) out.push(a + o.replace(/[*?[\]]/g, '\u0000$&'));
    alts = out;
    i = close;
  }
  const compiled = alts.map((a) => {
    // `\u0000x` marks a literal character from a `{…}` alternative
    const parts = a.split('\u0000');
    const toks: Tok[] = [];
    parts.forEach((part, k) => {
      let body = part;
      if (k > 0) {
        toks.push({ t: T_LIT, c: part.charCodeAt(0) });
        body = part.slice(1);
      }
      const r = compileTokens(body, true);
      if (r.error && !error) error = r.error;
      toks.push(...r.toks);
    });
    return toks;
  });
  return { test: (s) => compiled.some((toks) => run(toks, s)), error };
}

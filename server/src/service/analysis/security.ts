/**
 * Shared analysis of the security rules (the levels they walk are in levels.ts): what a location
 * matches, what a regex capture can hold, where a variable's value comes from (request data, a
 * `set`, a `map`, a capture), and the access control in effect at a level (allow/deny, auth_basic,
 * auth_request, `internal`).
 *
 * The character analysis of regexes is deliberately small: for every capture group it records
 * whether the group can match a few probe characters (CR, LF, `.`, `/`), which is what the rules ask
 * ("can this capture hold a line break?", "can it hold a host name?"), and where in the pattern the
 * atoms that match CR/LF are, so a fix can narrow them.
 */
import type { Directive, Statement, Word } from '../syntax/tree';
import { directivesNamed, effectiveScalar, firstNamed } from './effective';
import type { ConfigView, Scope, SourceFile } from './types';

// ------------------------------------------------------------------------------ locations

export interface LocationMatch {
  /** '' (prefix), '=', '^~', '~', '~*', '@' */
  modifier: string;
  /** the path or regex */
  path: string;
  /** the word holding the path (the path starts `pathOffset` characters into its value) */
  word: Word;
  pathOffset: number;
}

/** How a `location` matches (the modifier may be glued to the path: `location =/x`). */
export function locationMatch(d: Directive): LocationMatch | null {
  if (d.name !== 'location') return null;
  const n = d.argCount;
  if (n === 2) return { modifier: d.argValue(0)!, path: d.argValue(1)!, word: d.arg(1)!, pathOffset: 0 };
  if (n !== 1) return null;
  const v = d.argValue(0)!;
  const word = d.arg(0)!;
  for (const m of ['~*', '^~', '=', '~', '@']) {
    if (v.startsWith(m) && v.length > m.length) return { modifier: m, path: v.slice(m.length), word, pathOffset: m.length };
  }
  return { modifier: '', path: v, word, pathOffset: 0 };
}

/** The innermost location around `d` (d itself when it is one). */
export function enclosingLocation(d: Directive | null): Directive | null {
  for (let p = d; p; p = p.parent) if (p.name === 'location') return p;
  return null;
}

// ------------------------------------------------------------------------------ regexes

/** Probe characters a capture may or may not be able to hold. */
export const CR = 1;
export const LF = 2;
export const DOT = 4;
export const SLASH = 8;
const ALL = CR | LF | DOT | SLASH;

export interface RegexAtom {
  /** offsets in the regex source */
  start: number;
  end: number;
  /** the probes it matches */
  mask: number;
  /** the text that matches the same minus CR and LF, or null when no mechanical narrowing exists */
  narrowed: string | null;
}

export interface CaptureGroup {
  /** 1-based number */
  index: number;
  /** name of a named group, else null */
  name: string | null;
  /** union of the probes its atoms match */
  mask: number;
  /** atoms of the group that can match CR or LF */
  lineBreakAtoms: RegexAtom[];
}

interface ClassResult { end: number; mask: number; negated: boolean; simple: boolean }

/** Probe mask of a backslash escape (outside or inside a class); null for a literal the probes do not care about. */
function escapeMask(c: string, dotall: boolean): number {
  switch (c) {
    case 'r': return CR;
    case 'n': return LF;
    case 's': case 'v': case 'R': return CR | LF;
    case 'S': case 'D': case 'H': return ALL;
    case 'W': return ALL;
    case 'V': return DOT | SLASH;
    case 'N': return dotall ? ALL & ~LF : ALL & ~LF;
    case '.': return DOT;
    case '/': return SLASH;
    default: return 0;
  }
}

function charMask(c: string): number {
  if (c === '\r') return CR;
  if (c === '\n') return LF;
  if (c === '.') return DOT;
  if (c === '/') return SLASH;
  return 0;
}

/** A character class starting at `i` (the `[`). */
function parseClass(re: string, i: number): ClassResult {
  let j = i + 1;
  let negated = false;
  if (re[j] === '^') { negated = true; j++; }
  let mask = 0;
  let simple = true;
  let first = true;
  let prev = -1;
  while (j < re.length && (re[j] !== ']' || first)) {
    first = false;
    const c = re[j];
    if (c === '\\' && j + 1 < re.length) {
      const e = re[j + 1];
      const m = escapeMask(e, false);
      if ('sSdDwWhHvV'.includes(e)) simple = false;
      // \w and \d match none of the probes; \W, \S, \D match them all
      mask |= m;
      prev = -1;
      j += 2;
      continue;
    }
    if (c === '[' && re[j + 1] === ':') {
      const close = re.indexOf(':]', j + 2);
      if (close > 0) {
        const name = re.slice(j + 2, close).replace(/^\^/, '');
        if (name === 'space' || name === 'cntrl') mask |= CR | LF;
        if (name === 'punct' || name === 'graph' || name === 'print') mask |= DOT | SLASH;
        simple = false;
        j = close + 2;
        continue;
      }
    }
    if (c === '-' && prev >= 0 && j + 1 < re.length && re[j + 1] !== ']') {
      const hi = re.charCodeAt(j + 1);
      for (const [probe, code] of [[CR, 13], [LF, 10], [DOT, 46], [SLASH, 47]] as const) if (prev <= code && code <= hi) mask |= probe;
      prev = -1;
      j += 2;
      continue;
    }
    mask |= charMask(c);
    prev = re.charCodeAt(j);
    j++;
  }
  if (negated) mask = ALL & ~mask;
  return { end: Math.min(j + 1, re.length), mask, negated, simple };
}

/**
 * The capture groups of a PCRE pattern with what each can hold. Quantifiers are ignored (a group
 * that can match a character can match it once at least); lookarounds do not count for the groups
 * around them; `(?s)` makes `.` match LF.
 */
export function captureGroups(re: string): CaptureGroup[] {
  // by pattern: the taint analysis asks about the same location regex for every variable of every
  // directive inside it; callers only read the groups. Emptied past a bound (a long session).
  let hit = groupsByPattern.get(re);
  if (!hit) {
    if (groupsByPattern.size >= 4096) groupsByPattern.clear();
    groupsByPattern.set(re, (hit = parseCaptureGroups(re)));
  }
  return hit;
}
const groupsByPattern = new Map<string, CaptureGroup[]>();

function parseCaptureGroups(re: string): CaptureGroup[] {
  const groups: CaptureGroup[] = [];
  // stack of open groups: the capture (or null for a non-capturing / lookaround group) and whether
  // atoms inside count for the enclosing groups
  const stack: { group: CaptureGroup | null; counts: boolean }[] = [];
  let dotall = false;
  const add = (atom: RegexAtom) => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const g = stack[k].group;
      if (g) {
        g.mask |= atom.mask;
        if (atom.mask & (CR | LF)) g.lineBreakAtoms.push(atom);
      }
      if (!stack[k].counts) break;
    }
  };
  let i = 0;
  while (i < re.length) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      const e = re[i + 1];
      let mask = escapeMask(e, dotall);
      let narrowed: string | null = null;
      if (e === 'W') narrowed = '[^\\w\\r\\n]';
      else if (e === 'D') narrowed = '[^\\d\\r\\n]';
      else if (e === 's') narrowed = '[^\\S\\r\\n]';
      else if (e === 'S' || e === 'H') narrowed = e === 'S' ? '\\S' : '[^\\h\\r\\n]';
      if (e === 'S') mask = DOT | SLASH; // \S matches no CR/LF
      if (/[1-9]/.test(e)) mask = ALL; // a back-reference: as wide as we know nothing of
      add({ start: i, end: i + 2, mask, narrowed });
      i += 2;
      continue;
    }
    if (c === '[') {
      const cls = parseClass(re, i);
      let narrowed: string | null = null;
      if (cls.negated && cls.simple && (cls.mask & (CR | LF))) narrowed = re.slice(i, cls.end - 1) + '\\r\\n]';
      add({ start: i, end: cls.end, mask: cls.mask, narrowed });
      i = cls.end;
      continue;
    }
    if (c === '.') {
      add({ start: i, end: i + 1, mask: dotall ? ALL : ALL & ~LF, narrowed: '[^\\r\\n]' });
      i++;
      continue;
    }
    if (c === '(') {
      if (re[i + 1] === '?') {
        const rest = re.slice(i + 2);
        const named = /^(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(rest);
        if (named) {
          const g: CaptureGroup = { index: groups.length + 1, name: named[1] ?? named[2], mask: 0, lineBreakAtoms: [] };
          groups.push(g);
          stack.push({ group: g, counts: true });
          i += 2 + named[0].length;
          continue;
        }
        const flags = /^([a-zA-Z-]*)([:)])/.exec(rest);
        if (flags && !/^[=!<]/.test(rest)) {
          const on = flags[1].split('-')[0];
          if (on.includes('s')) dotall = true;
          if (flags[2] === ')') { i += 2 + flags[0].length; continue; }
          stack.push({ group: null, counts: true });
          i += 2 + flags[0].length;
          continue;
        }
        // lookaround: its atoms do not make the enclosing groups any wider
        const look = /^(?:<?[=!])/.exec(rest);
        stack.push({ group: null, counts: !look });
        i += 2 + (look ? look[0].length : 0);
        continue;
      }
      const g: CaptureGroup = { index: groups.length + 1, name: null, mask: 0, lineBreakAtoms: [] };
      groups.push(g);
      stack.push({ group: g, counts: true });
      i++;
      continue;
    }
    if (c === ')') { stack.pop(); i++; continue; }
    if ('*+?|^$'.includes(c)) { i++; continue; }
    if (c === '{') {
      const q = /^\{\d+(,\d*)?\}/.exec(re.slice(i));
      if (q) { i += q[0].length; continue; }
    }
    add({ start: i, end: i + 1, mask: charMask(c), narrowed: null });
    i++;
  }
  return groups;
}

/** The group a capture reference names: `1`, `2`, … or a name. */
export function groupFor(groups: CaptureGroup[], ref: string): CaptureGroup | null {
  if (/^\d$/.test(ref)) return groups.find((g) => g.index === Number(ref)) ?? null;
  return groups.find((g) => g.name === ref) ?? null;
}

// ------------------------------------------------------------------------------ variables

/** Variables whose whole value is chosen by the client. */
const REQUEST_PREFIXES = ['http_', 'arg_', 'cookie_'];
const REQUEST_VARS = new Set([
  'host', 'http_host', 'args', 'query_string', 'request_uri', 'uri', 'document_uri', 'request', 'request_body',
  'remote_user', 'content_type', 'request_filename', 'fastcgi_path_info', 'fastcgi_script_name', 'is_args',
]);
/** Request variables that always start with `/` (in a URL they end the host part). */
export const PATH_VARS = new Set(['uri', 'document_uri', 'request_uri']);
/** Decoded URI variables: %0D%0A in the request becomes CR LF in them. */
export const DECODED_URI_VARS = new Set(['uri', 'document_uri']);

export function isRequestVariable(name: string): boolean {
  if (REQUEST_VARS.has(name)) return true;
  for (const p of REQUEST_PREFIXES) if (name.startsWith(p) && name.length > p.length) return true;
  return false;
}

/** Variable references in a string value: name and offsets in the value. */
export function refsIn(value: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([0-9])|([A-Za-z_][A-Za-z0-9_]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) {
    if (m.index > 0 && value[m.index - 1] === '\\') continue;
    out.push({ name: m[1] ?? m[2] ?? m[3], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The `set $name …` lines that can give a variable its value when `d` runs: in `d`'s own level and
 * the levels around it (the server's rewrite phase runs before the location's), the nearest first.
 */
export function setsOf(chain: Scope[], name: string): Directive[] {
  const out: Directive[] = [];
  for (const s of chain) {
    for (const d of directivesNamed(s.directives, 'set')) if (d.argValue(0) === '$' + name) out.push(d);
  }
  return out;
}

/** Per view: the `map`/`geo`/`split_clients` blocks of the configuration by the variable they define. */
const mapIndex = new WeakMap<ConfigView, Map<string, Directive[]>>();

/** Every `map`/`geo`/`split_clients`… block of the configuration that defines `$name`. */
export function mapsOf(view: ConfigView, name: string): Directive[] {
  let index = mapIndex.get(view);
  if (!index) {
    const built = new Map<string, Directive[]>();
    const visit = (list: Statement[]) => {
      for (const s of list) {
        if (s.kind !== 'directive' || s.isEntry) continue;
        const v = s.name === 'map' ? s.argValue(1) : s.name === 'geo' || s.name === 'split_clients' ? s.argValue(s.argCount - 1) : undefined;
        if (v && v.startsWith('$') && s.block) {
          const key = v.slice(1).replace(/^\{(.*)\}$/, '$1');
          const l = built.get(key);
          if (l) l.push(s); else built.set(key, [s]);
        }
        if (s.block && s.block.body === 'directives' && (s.name === 'http' || s.name === 'stream')) visit(s.block.children);
      }
    };
    for (const f of view.files()) visit(f.file.children);
    mapIndex.set(view, (index = built));
  }
  return index.get(name) ?? [];
}

/** The values a map (or geo / split_clients) block can give, `default` included. */
export function mapValues(map: Directive): string[] {
  const out: string[] = [];
  for (const s of map.block?.children ?? []) {
    // `hostnames;`, `volatile;`, `ranges;` have no value; an `include` of more entries is not followed
    if (s.kind !== 'directive' || !s.isEntry || s.argCount === 0 || s.name === 'include') continue;
    out.push(s.argValue(s.argCount - 1)!);
  }
  return out;
}

/** The regexes whose captures `d` can see: `if (… ~ re)` blocks around it, then the regex location. */
export function captureSources(d: Directive): string[] {
  const out: string[] = [];
  for (let p = d.parent; p; p = p.parent) {
    if (p.name === 'if') {
      const n = p.argCount;
      for (let i = 0; i + 1 < n; i++) {
        const op = p.argValue(i)!;
        if (op === '~' || op === '~*') out.push(p.argValue(i + 1)!.replace(/\)$/, ''));
      }
    }
    if (p.name === 'location') {
      const m = locationMatch(p);
      if (m && (m.modifier === '~' || m.modifier === '~*')) out.push(m.path);
      break;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------ access control

export interface AccessControl {
  /** the allow/deny list in effect (an inner level's list replaces the outer one) */
  rules: Directive[];
  /** the list denies someone */
  denies: boolean;
  /** auth_basic / auth_request / auth_jwt in effect and not off */
  auth: Directive | null;
  /** `internal` at the level itself or a location around it */
  internal: Directive | null;
  /** effective `satisfy` */
  satisfy: string;
}

/** The allow/deny list, authentication and `internal` in effect for a level's chain (innermost first). */
export function accessControl(view: ConfigView, chain: Scope[]): AccessControl {
  let rules: Directive[] = [];
  for (const s of chain) {
    // the name index answers "none here" without a scan: the outer levels (a whole http body) are
    // shared by every location, and scanning them per level made this quadratic
    if (!firstNamed(s.directives, 'allow') && !firstNamed(s.directives, 'deny')) continue;
    const list = s.directives.filter((d) => !d.isEntry && (d.name === 'allow' || d.name === 'deny'));
    if (list.length) { rules = list; break; }
  }
  let auth: Directive | null = null;
  for (const name of ['auth_basic', 'auth_request', 'auth_jwt']) {
    const v = effectiveScalar(view, chain, name);
    if (v.directive && v.value !== 'off') { auth = v.directive; break; }
  }
  let internal: Directive | null = null;
  for (const s of chain) {
    if (s.context !== 'location' && s.context !== 'if' && s.context !== 'limit_except') break;
    internal = firstNamed(s.directives, 'internal');
    if (internal) break;
  }
  // a named location (`@x`) is reachable only internally
  if (!internal) {
    const loc = chain.find((s) => s.context === 'location' && s.owner)?.owner ?? null;
    const m = loc ? locationMatch(loc) : null;
    if (m && m.modifier === '@' && loc) internal = loc;
  }
  const satisfy = effectiveScalar(view, chain, 'satisfy').value || 'all';
  return { rules, denies: rules.some((d) => d.name === 'deny'), auth, internal, satisfy };
}

/** Every `listen` of the server around a chain only takes loopback or unix-socket connections. */
export function listensLocallyOnly(chain: Scope[]): boolean {
  const server = chain.find((s) => s.context === 'server');
  if (!server) return false;
  const listens = directivesNamed(server.directives, 'listen');
  if (!listens.length) return false;
  return listens.every((l) => {
    const a = l.argValue(0) ?? '';
    return /^(unix:|127\.|\[::1\]|localhost(:|$))/.test(a);
  });
}

/** The source of a directive (the analysed file when unknown). */
export function sourceOf(view: ConfigView, d: Directive): SourceFile {
  return view.sourceOf(d) ?? view.source;
}

// ------------------------------------------------------------------------------ taint

export interface Taint {
  /** the client chooses (part of) the value */
  controlled: boolean;
  /** the probes (CR, LF, DOT, SLASH) a client can put in the value */
  mask: number;
  /** the value always starts with `/` (a URI variable) */
  startsWithSlash: boolean;
  /** the directives the value comes through (`set`, `map`, the regex location) */
  via: Directive[];
}

const CLEAN: Taint = { controlled: false, mask: 0, startsWithSlash: false, via: [] };

/** What the client can put in a built-in request variable. */
function requestTaint(name: string): Taint {
  if (DECODED_URI_VARS.has(name)) return { controlled: true, mask: CR | LF | DOT | SLASH, startsWithSlash: true, via: [] };
  if (name === 'request_uri') return { controlled: true, mask: DOT | SLASH, startsWithSlash: true, via: [] };
  if (name === 'host') return { controlled: true, mask: DOT, startsWithSlash: false, via: [] };
  if (name === 'is_args') return CLEAN;
  // header values, raw query arguments and cookies: no CR/LF (they would end the line)
  return { controlled: true, mask: DOT | SLASH, startsWithSlash: false, via: [] };
}

function union(a: Taint, b: Taint): Taint {
  return { controlled: a.controlled || b.controlled, mask: a.mask | b.mask, startsWithSlash: false, via: [...a.via, ...b.via] };
}

/**
 * What a client can put in variable `name` as directive `d` (at the level of `chain`) sees it:
 * request variables, captures of the regexes around `d`, and what `set` and `map` derive from them.
 */
export function taintOf(view: ConfigView, chain: Scope[], d: Directive, name: string, depth = 0): Taint {
  if (depth > 4) return CLEAN;
  if (/^\d$/.test(name) || captureSources(d).some((re) => captureGroups(re).some((g) => g.name === name))) {
    for (const re of captureSources(d)) {
      const g = groupFor(captureGroups(re), name);
      if (!g) continue;
      const loc = enclosingLocation(d);
      return { controlled: true, mask: g.mask, startsWithSlash: false, via: loc ? [loc] : [] };
    }
    return CLEAN;
  }
  if (isRequestVariable(name)) return requestTaint(name);
  const sets = setsOf(chain, name);
  if (sets.length) {
    const set = sets[0];
    const value = set.argValue(1) ?? '';
    // ngx_http_rewrite_handler starts its script with quote = 1: a numbered capture ($1…$9)
    // copied by `set` is URI-escaped (CR LF become %0D%0A) unless a `rewrite` before it at that
    // level reset the flag. A named capture is a variable, copied raw: `set $q $name` keeps the
    // line break (shown on nginx 1.22.1 for gixy's proxy_from_location_var_var_var case)
    const level = set.parent ? view.expand(set.parent) : view.topScope().directives;
    const before = level.slice(0, Math.max(0, level.indexOf(set)));
    const escaped = !before.some((x) => x.name === 'rewrite');
    let t: Taint = { ...CLEAN, via: [set] };
    for (const r of refsIn(value)) {
      let rt = taintOf(view, chain, set, r.name, depth + 1);
      if (escaped && /^\d$/.test(r.name) && isCapture(set, r.name)) {
        rt = { ...rt, mask: rt.mask & ~(CR | LF) };
      }
      t = union(t, rt);
    }
    const first = refsIn(value)[0];
    if (first && first.start === 0) t.startsWithSlash = taintOf(view, chain, set, first.name, depth + 1).startsWithSlash;
    else if (value.startsWith('/')) t.startsWithSlash = true;
    return t;
  }
  const maps = mapsOf(view, name);
  if (maps.length) {
    const map = maps[0];
    let t: Taint = { ...CLEAN, via: [map] };
    const srcName = (map.argValue(0) ?? '').replace(/^\$\{?|\}$/g, '');
    for (const e of map.block?.children ?? []) {
      if (e.kind !== 'directive' || !e.isEntry || e.argCount < 1) continue;
      const v = e.argValue(e.argCount - 1)!;
      const key = e.name;
      const groups = key.startsWith('~') ? captureGroups(key.replace(/^~\*?/, '')) : [];
      for (const r of refsIn(v)) {
        const g = groupFor(groups, r.name);
        if (g) {
          // a capture of the entry's own regex over the map's source variable
          const st = /^\w+$/.test(srcName) ? taintOf(view, chain, map, srcName, depth + 1) : CLEAN;
          if (st.controlled) t = union(t, { ...st, mask: st.mask & g.mask, startsWithSlash: false });
          continue;
        }
        if (/^\d$/.test(r.name)) continue;
        t = union(t, taintOf(view, chain, map, r.name, depth + 1));
      }
    }
    return t;
  }
  return CLEAN;
}

function isCapture(d: Directive, name: string): boolean {
  if (/^\d$/.test(name)) return true;
  return captureSources(d).some((re) => captureGroups(re).some((g) => g.name === name));
}

// ------------------------------------------------------------------------------ upstream addresses

/** Directives that take an upstream address, with or without a scheme. */
export const PASS_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass']);
/** PASS_DIRECTIVES as a list (levelDirectives' name filter). */
export const PASS_NAMES: readonly string[] = [...PASS_DIRECTIVES];

export interface AddressParts {
  /** the value analysed (after substituting a variable that holds the whole URL) */
  value: string;
  /** `[start, end)` of the scheme in `value` (empty when there is none) */
  scheme: [number, number];
  /** `[start, end)` of the host (and port) in `value` */
  host: [number, number];
  /** the `set` whose value was substituted, if any */
  via: Directive | null;
}

/**
 * Splits an upstream address into scheme and host. When the address is one variable set (by `set`)
 * to a URL at that level, the URL is analysed instead (`set $u "http://x$request_uri"; proxy_pass $u;`).
 * The host ends at the first literal `/` or `?`, or where a variable that always starts with `/`
 * (`$uri`, `$request_uri`) begins.
 */
export function addressParts(view: ConfigView, chain: Scope[], d: Directive): AddressParts | null {
  let value = d.argValue(0);
  if (value === undefined) return null;
  let via: Directive | null = null;
  const whole = /^\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value);
  if (whole) {
    const sets = setsOf(chain, whole[1] ?? whole[2]);
    if (sets.length === 1 && sets[0].argValue(1) !== undefined) {
      via = sets[0];
      value = sets[0].argValue(1)!;
    }
  }
  const refs = refsIn(value);
  const inRef = (i: number) => refs.some((r) => i >= r.start && i < r.end);
  let sep = -1;
  for (let i = value.indexOf('://'); i >= 0; i = value.indexOf('://', i + 1)) if (!inRef(i)) { sep = i; break; }
  const hostStart = sep >= 0 ? sep + 3 : 0;
  let hostEnd = value.length;
  for (let i = hostStart; i < value.length; i++) {
    const r = refs.find((x) => x.start === i);
    if (r) {
      if (PATH_VARS.has(r.name) || taintOf(view, chain, via ?? d, r.name).startsWithSlash) { hostEnd = i; break; }
      i = r.end - 1;
      continue;
    }
    if (value[i] === '/' || value[i] === '?') { hostEnd = i; break; }
  }
  return { value, scheme: sep >= 0 ? [0, sep] : [0, 0], host: [hostStart, hostEnd], via };
}

/**
 * Where each character of a word's value sits in the file: `offsets[i]` is the file offset of value
 * character i (`offsets[value.length]` is the end of the text inside the quotes). nginx's parser
 * turns `\"`, `\'`, `\\` into one character and `\t`, `\r`, `\n` into control characters; null when
 * the raw text does not give the value back that way (then no edit is placed inside the word).
 */
export function valueOffsets(word: Word): number[] | null {
  const raw = word.raw;
  const from = word.quote ? 1 : 0;
  const to = word.quote ? raw.length - 1 : raw.length;
  const out: number[] = [];
  let value = '';
  for (let i = from; i < to; i++) {
    out.push(word.start + i);
    if (raw[i] === '\\' && i + 1 < to) {
      const c = raw[i + 1];
      if (c === '"' || c === "'" || c === '\\') { value += c; i++; continue; }
      if (c === 't' || c === 'r' || c === 'n') { value += c === 't' ? '\t' : c === 'r' ? '\r' : '\n'; i++; continue; }
    }
    value += raw[i];
  }
  out.push(word.start + to);
  return value === word.value ? out : null;
}

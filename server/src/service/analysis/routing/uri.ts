/**
 * The request target as nginx reads it: the URI normalised the way ngx_http_parse_complex_uri does
 * (percent-decoding, `merge_slashes`, `.` and `..` segments, `#` dropped, `?` starts the
 * arguments), and the Host header as ngx_http_validate_host accepts and lowercases it.
 *
 * Strings here are *byte strings*: one char per byte (code 0–255), because nginx matches bytes
 * (its regexes are compiled without UTF) — a percent-decoded `%C3%A9` is two chars, as in nginx.
 */
import { compareVersions, NEWEST_RELEASE, releaseOf } from '../../knowledge/versions';

/** A UTF-16 string as the byte string of its UTF-8 encoding. */
export function toBytes(s: string): string {
  // fast path: ASCII is its own byte string
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

/** A byte string shown to a person: bytes that are not printable ASCII percent-encoded. */
export function showBytes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c <= 0x20 || c >= 0x7f ? '%' + c.toString(16).toUpperCase().padStart(2, '0') : s[i];
  }
  return out;
}

export interface ParsedTarget {
  /** the normalised URI (byte string), or null when nginx answers 400 */
  uri: string | null;
  /** the query string without `?` ('' when none) */
  args: string;
  /** the host of an absolute request target (`GET http://host/path`), lowercase, validated; undefined when not absolute */
  host?: string | null;
  /** why nginx rejects it (400) */
  error?: string;
}

const HEX = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1);

/**
 * Normalises the path part of a request target as ngx_http_parse_complex_uri does (its state
 * machine, rewritten; a decoded `%2F` is a slash and takes part in merging and dot segments, a
 * decoded `%25`, `%23` or `%3F` stays a literal character, `%00` is rejected).
 */
export function normalizePath(raw: string, mergeSlashes = true): { uri: string | null; args: string; error?: string } {
  const enum S { usual, slash, dot, dotDot, quoted, quotedSecond }
  const u: number[] = [];
  let state: S = S.usual;
  let quotedState: S = S.usual;
  let decoded = 0;
  let i = 0;
  const bad = (why: string) => ({ uri: null, args: '', error: why });
  /** the `..` step: back to the slash before the previous segment (nginx: `u -= 4` then scan back) */
  const up = (): boolean => {
    let k = u.length - 4;
    for (;;) {
      if (k < 0) return false;
      if (u[k] === 47) { u.length = k + 1; return true; }
      k--;
    }
  };
  let args = '';
  let ch = raw.charCodeAt(i++);
  let done = false;
  while (i <= raw.length && !done) {
    switch (state) {
      case S.usual:
        if (ch === 47) { state = S.slash; u.push(ch); }
        else if (ch === 37) { quotedState = state; state = S.quoted; }
        else if (ch === 63) { args = cutArgs(raw.slice(i)); done = true; break; }
        else if (ch === 35) { done = true; break; }
        else u.push(ch);
        ch = raw.charCodeAt(i++);
        break;
      case S.slash:
        if (ch === 47) { if (!mergeSlashes) u.push(ch); }
        else if (ch === 46) { state = S.dot; u.push(ch); }
        else if (ch === 37) { quotedState = state; state = S.quoted; }
        else if (ch === 63) { args = cutArgs(raw.slice(i)); done = true; break; }
        else if (ch === 35) { done = true; break; }
        else { state = S.usual; u.push(ch); }
        ch = raw.charCodeAt(i++);
        break;
      case S.dot:
        if (ch === 47) { state = S.slash; u.length--; }
        else if (ch === 46) { state = S.dotDot; u.push(ch); }
        else if (ch === 37) { quotedState = state; state = S.quoted; }
        else if (ch === 63) { u.length--; args = cutArgs(raw.slice(i)); done = true; break; }
        else if (ch === 35) { u.length--; done = true; break; }
        else { state = S.usual; u.push(ch); }
        ch = raw.charCodeAt(i++);
        break;
      case S.dotDot:
        if (ch === 47 || ch === 63 || ch === 35) {
          if (!up()) return bad('the URI goes above the root with ".."');
          if (ch === 63) { args = cutArgs(raw.slice(i)); done = true; break; }
          if (ch === 35) { done = true; break; }
          state = S.slash;
        } else if (ch === 37) { quotedState = state; state = S.quoted; }
        else { state = S.usual; u.push(ch); }
        ch = raw.charCodeAt(i++);
        break;
      case S.quoted: {
        const h = HEX(ch);
        if (h < 0) return bad('a "%" not followed by two hex digits');
        decoded = h;
        state = S.quotedSecond;
        ch = raw.charCodeAt(i++);
        break;
      }
      case S.quotedSecond: {
        const h = HEX(ch);
        if (h < 0) return bad('a "%" not followed by two hex digits');
        ch = (decoded << 4) + h;
        if (ch === 37 || ch === 35 || ch === 63) {
          state = S.usual;
          u.push(ch);
          ch = raw.charCodeAt(i++);
          break;
        }
        if (ch === 0) return bad('"%00" in the URI');
        state = quotedState; // the decoded byte goes through the state it interrupted
        break;
      }
    }
  }
  if (!done) {
    if (state === S.quoted || state === S.quotedSecond) return bad('the URI ends inside a "%" escape');
    if (state === S.dot) u.length--;
    else if (state === S.dotDot && !up()) return bad('the URI goes above the root with ".."');
  }
  return { uri: fromCodes(u), args };
}

/** String.fromCharCode in chunks: a spread of a long URI would overflow the argument limit */
function fromCodes(u: number[]): string {
  let out = '';
  for (let i = 0; i < u.length; i += 8192) out += String.fromCharCode(...u.slice(i, i + 8192));
  return out;
}

function cutArgs(rest: string): string {
  const hash = rest.indexOf('#');
  return hash < 0 ? rest : rest.slice(0, hash);
}

/**
 * Splits a request target (`/path?x`, or absolute `http://host:port/path`) and normalises it.
 * The target is taken as the bytes sent on the request line (non-ASCII characters as UTF-8).
 */
export function parseTarget(target: string, mergeSlashes = true, version?: string | (() => string | undefined)): ParsedTarget {
  let t = toBytes(target);
  let host: string | null | undefined;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(t);
  if (scheme) {
    // ngx_http_parse_request_line: the host is letters, digits, "." and "-" (or an IP literal),
    // then an optional numeric port, then "/", "?" or the end of the target; anything else is a 400
    const m = /^(\[[A-Za-z0-9:._~!$&'()*+,;=-]*\]|[A-Za-z0-9.-]*)(?::\d*)?(?=[/?]|$)/.exec(t.slice(scheme[0].length));
    if (!m) return { uri: null, args: '', host: null, error: 'the host of the absolute request target is not valid' };
    // from 1.29.4 the port goes to ngx_http_validate_host with the host (which checks its range)
    host = validateHost(m[0], version);
    t = t.slice(scheme[0].length + m[0].length);
    if (t === '' || t[0] === '?') t = '/' + t; // nginx: "empty path in URI"
  }
  if (t[0] !== '/') return { uri: null, args: '', host, error: 'the request target does not start with "/"' };
  const r = normalizePath(t, mergeSlashes);
  return { ...r, host };
}

/** The host as nginx keeps it (`version`: the nginx version, e.g. "1.26"; unknown = the newest) after ngx_http_validate_host (port and trailing dot removed, lowercase), or null when it answers 400. */
export function validateHost(host: string, version?: string | (() => string | undefined)): string | null {
  const older = validateHostOld(host);
  const newer = validateHostNew(host);
  // the version is only looked up (it may cost a scan of the workspace) when the validators differ
  if (older === newer) return older;
  const v = typeof version === 'function' ? version() : version;
  // an unknown version counts as the newest
  const release = releaseOf(v) ?? NEWEST_RELEASE;
  return compareVersions(release, '1.29.4') >= 0 ? newer : older;
}

/** ngx_http_validate_host before 1.29.4 */
function validateHostOld(h: string): string | null {
  let dotPos = h.length;
  let hostLen = h.length;
  let state: 'usual' | 'literal' | 'rest' = 'usual';
  for (let i = 0; i < h.length; i++) {
    const ch = h.charCodeAt(i);
    switch (ch) {
      case 46: // .
        if (dotPos === i - 1) return null;
        dotPos = i;
        break;
      case 58: // :
        if (state === 'usual') { hostLen = i; state = 'rest'; }
        break;
      case 91: // [
        if (i === 0) state = 'literal';
        break;
      case 93: // ]
        if (state === 'literal') { hostLen = i + 1; state = 'rest'; }
        break;
      default:
        if (ch === 47 || ch <= 0x20 || ch === 0x7f) return null; // '/' is nginx's path separator on Unix
    }
  }
  if (dotPos === hostLen - 1) hostLen--;
  if (hostLen <= 0) return null;
  return asciiLower(h.slice(0, hostLen));
}

const SUB_DELIMS = new Set("-._~!$&'()*+,;=".split('').map((c) => c.charCodeAt(0)));

/** ngx_http_validate_host from 1.29.4 ("Improved host header validation"): RFC 3986 reg-name or IP literal, then a numeric port */
function validateHostNew(h: string): string | null {
  let dotPos = h.length;
  let hostLen = h.length;
  let state: 'start' | 'host' | 'literal' | 'end' | 'port' = 'start';
  let port = 0;
  for (let i = 0; i < h.length; i++) {
    const ch = h.charCodeAt(i);
    if (state === 'start') {
      if (ch === 91) { state = 'literal'; continue; }
      state = 'host';
    }
    const alnum = (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57);
    if (state === 'host') {
      if (alnum) continue;
      if (ch === 58) { hostLen = i; state = 'port'; continue; }
      if (ch === 46) { if (dotPos === i - 1) return null; dotPos = i; continue; }
      if (SUB_DELIMS.has(ch) || ch === 37) continue;
      return null;
    }
    if (state === 'literal') {
      if (alnum || ch === 58) continue;
      if (ch === 93) { hostLen = i + 1; state = 'end'; continue; }
      if (ch === 46) { if (dotPos === i - 1) return null; dotPos = i; continue; }
      if (SUB_DELIMS.has(ch)) continue;
      return null;
    }
    if (state === 'end') {
      if (ch === 58) { state = 'port'; continue; }
      return null;
    }
    // port
    if (ch >= 48 && ch <= 57) {
      if (port >= 6553 && (port > 6553 || ch - 48 > 5)) return null;
      port = port * 10 + (ch - 48);
      continue;
    }
    return null;
  }
  if (state === 'literal') return null;
  if (dotPos === hostLen - 1) hostLen--;
  if (hostLen <= 0) return null;
  return asciiLower(h.slice(0, hostLen));
}

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

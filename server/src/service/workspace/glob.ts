/**
 * Glob matching as nginx sees it: `include` patterns go through glob(3) (`*`, `?`, `[…]`, `[!…]`,
 * backslash escapes; a leading `.` in a name is only matched by a literal `.`; matches sorted in
 * byte order, as in nginx's C locale). nginx treats an include as a glob when it contains any of `*?[`.
 */
import type { FileSystem } from './fileSystem';
import { isAbsolute, normalize } from './paths';

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

const cache = new Map<string, RegExp>();

/** A regular expression for one path segment of a glob(3) pattern. */
function segmentRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      src += escapeRe(pattern[++i]);
    } else if (c === '*') {
      src += '[^/]*';
    } else if (c === '?') {
      src += '[^/]';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        src += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let neg = false;
      if (body[0] === '!' || body[0] === '^') {
        neg = true;
        body = body.slice(1);
      }
      src += '[' + (neg ? '^' : '') + body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]').replace(/\^/g, '\\^') + ']';
      i = close;
    } else {
      src += escapeRe(c);
    }
  }
  re = new RegExp('^' + src + '$');
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

/** Whether a file name matches one glob(3) segment pattern. */
export function matchSegment(pattern: string, name: string): boolean {
  // glob(3) without GLOB_PERIOD: a leading dot must be matched explicitly
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return segmentRegExp(pattern).test(name);
}

export interface DirCache {
  readDir(path: string): { name: string; isDirectory: boolean }[] | null;
}

/**
 * The files an absolute glob pattern matches, sorted. Directories are skipped (nginx would fail on
 * them anyway). `extra(dir, segment)` may add virtual matches (Docker templates).
 */
export function expandGlob(fs: FileSystem, dirs: DirCache, pattern: string): string[] {
  const p = normalize(pattern);
  if (!isAbsolute(p)) return [];
  let root = '/';
  let rest = p.slice(1);
  if (/^[a-z]:\//.test(p)) {
    root = p.slice(0, 3);
    rest = p.slice(3);
  }
  const segs = rest.split('/').filter(Boolean);
  let current: string[] = [root];
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
      const entries = dirs.readDir(dir);
      if (!entries) continue;
      for (const e of entries) {
        if (!matchSegment(seg, e.name)) continue;
        const full = base + e.name;
        if (last) {
          if (!e.isDirectory && fs.isFile(full)) next.push(full);
        } else if (e.isDirectory) next.push(full);
      }
    }
    current = next;
    if (!current.length) return [];
  }
  return current.sort(byteOrder);
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A regular expression for a workspace-relative glob as used in settings (`**` spans folders,
 * `{a,b}` alternatives).
 */
export function settingsGlobRegExp(glob: string): RegExp {
  let src = '';
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      // `**/` = any number of folders
      if (g[i + 2] === '/') {
        src += '(?:.*/)?';
        i += 2;
      } else {
        src += '.*';
        i += 1;
      }
    } else if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '{') {
      const close = g.indexOf('}', i);
      if (close < 0) { src += '\\{'; continue; }
      src += '(?:' + g.slice(i + 1, close).split(',').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') + ')';
      i = close;
    } else if (c === '[') {
      const close = g.indexOf(']', i + 2);
      if (close < 0) { src += '\\['; continue; }
      let body = g.slice(i + 1, close);
      if (body[0] === '!') body = '^' + body.slice(1);
      src += '[' + body + ']';
      i = close;
    } else src += escapeRe(c);
  }
  return new RegExp('^' + src + '$');
}

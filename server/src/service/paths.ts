/**
 * POSIX-style path helpers and file-URI conversion for the pure core (no `node:path`/`node:url`, so
 * the core also runs in a browser worker). Paths always use `/`; a Windows drive is kept as `c:`.
 * URIs are formatted the way vscode-uri formats them, so that a uri we make for a file on disk is
 * the one an editor would send for the same file.
 */

const DRIVE = /^[a-zA-Z]:/;

export function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[a-zA-Z]:\//.test(p);
}

/** Collapses `//`, `.` and `..` segments; keeps a leading `/` or drive. */
export function normalize(p: string): string {
  let root = '';
  let rest = p.replace(/\\/g, '/');
  const d = DRIVE.exec(rest);
  if (d) {
    root = d[0].toLowerCase();
    rest = rest.slice(2);
  }
  const abs = rest.startsWith('/');
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  if (abs) return root + '/' + body;
  return root + (body || '.');
}

export function join(base: string, rel: string): string {
  if (isAbsolute(rel)) return normalize(rel);
  return normalize(base.endsWith('/') ? base + rel : base + '/' + rel);
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  if (i === 2 && DRIVE.test(p)) return p.slice(0, 3);
  return p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** true when `p` is `dir` or lies below it */
export function isInside(p: string, dir: string): boolean {
  if (dir === '/') return p.startsWith('/');
  return p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** `/proc`, `/sys`, `/dev`: never configuration, and reading their files can block or never end. */
export function isSpecialFolder(p: string): boolean {
  return isInside(p, '/proc') || isInside(p, '/sys') || isInside(p, '/dev');
}

/** `p` relative to `dir` (p must be inside dir). */
export function relative(dir: string, p: string): string {
  if (p === dir) return '';
  return p.slice(dir.endsWith('/') ? dir.length : dir.length + 1);
}

// ------------------------------------------------------------------ URIs

/** The file path of a `file:` URI, or null for other schemes and for URIs with a query or fragment. */
export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file://')) return null;
  if (uri.includes('?') || uri.includes('#')) return null;
  let rest = uri.slice('file://'.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  rest = slash < 0 ? '/' : rest.slice(slash);
  let p: string;
  try {
    p = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (authority && authority !== 'localhost') p = '//' + authority + p; // UNC
  if (/^\/[a-zA-Z]:/.test(p)) p = p[1].toLowerCase() + p.slice(2);
  return normalize(p);
}

/** A `file:` URI for an absolute path, encoded like vscode-uri (`file:///c%3A/x`, `%20` for spaces). */
export function pathToUri(path: string): string {
  let p = path.replace(/\\/g, '/');
  if (DRIVE.test(p)) p = '/' + p[0].toLowerCase() + p.slice(1);
  // one flat string (a character-by-character concatenation would keep a rope of tiny pieces alive)
  return 'file://' + p.replace(/[^A-Za-z0-9\-._~/]+/g, (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()));
}

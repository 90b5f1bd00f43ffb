/**
 * JSON encoding of outgoing messages that does not re-encode what was encoded before.
 *
 * A keystroke in a 43k-line file makes the editor ask again for the outline (8,000 symbols, 1.8 MB
 * of JSON), the folding ranges (8,000) and the links, and the diagnostics (2,000) are published
 * again; most of each answer is what it was one keystroke ago. The outline already reuses the
 * symbol objects of unchanged blocks (features/symbols.ts) and the server hands back the previous
 * answer object when a new one is equal to it (`reuseIfEqual`); this encoder remembers the JSON of
 * those objects (a WeakMap: it lives as long as the object does) and splices it in, so only what
 * changed is encoded. Used by the stdio writer (main.ts); over IPC Node encodes the messages itself.
 */

const encoded = new WeakMap<object, string>();
/** answers handed out by AnswerReuse: nobody changes them afterwards, so their JSON may be kept */
const settled = new WeakSet<object>();

/** an outline node: its `children` are encoded one by one (they are reused by identity) */
function isSymbol(v: object): v is { children?: unknown[] } {
  return 'selectionRange' in v;
}

function encodeValue(v: unknown, depth: number): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const hit = encoded.get(v);
  if (hit !== undefined) return hit;
  let s: string;
  if (Array.isArray(v)) {
    // arrays of plain values are encoded natively (fastest); arrays of symbols piece by piece
    s = v.length && v[0] && typeof v[0] === 'object' && isSymbol(v[0]) ? `[${v.map((x) => encodeValue(x, 0)).join(',')}]` : JSON.stringify(v);
    if (settled.has(v)) encoded.set(v, s);
    return s;
  }
  if (isSymbol(v)) {
    const { children, ...rest } = v as { children?: unknown[] } & Record<string, unknown>;
    const head = JSON.stringify(rest);
    s = children === undefined ? head : `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"children":${encodeValue(children, 0)}}`;
    encoded.set(v, s);
    return s;
  }
  if (depth <= 0 || typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(v);
  // the envelope (message, params): key by key, so a remembered array inside is spliced in
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    parts.push(`${JSON.stringify(k)}:${encodeValue(x, depth - 1)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The JSON of a JSON-RPC message (as JSON.stringify would give it, up to key order). */
export function encodeMessage(msg: unknown): string {
  return encodeValue(msg, 2);
}

/** Structural equality of JSON-like values (what the client would receive). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k in ra) {
    const x = ra[k];
    if (x === undefined) continue;
    na++;
    if (!jsonEqual(x, rb[k])) return false;
  }
  let nb = 0;
  for (const k in rb) if (rb[k] !== undefined) nb++;
  return na === nb;
}

/**
 * Remembers the last answer per key; returns the previous answer object when `next` equals it (so
 * its encoding is reused), else `next`.
 */
export class AnswerReuse {
  private readonly last = new Map<string, unknown>();
  reuse<T>(key: string, next: T): T {
    const prev = this.last.get(key);
    if (prev !== undefined && jsonEqual(prev, next)) return prev as T;
    this.last.set(key, next);
    if (next && typeof next === 'object') settled.add(next);
    return next;
  }
  /** drops the answers kept for `uri` (keys are `<what> <uri>`) */
  forget(uri: string): void {
    for (const k of [...this.last.keys()]) if (k.endsWith(` ${uri}`)) this.last.delete(k);
  }
}

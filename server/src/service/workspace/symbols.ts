/**
 * Cross-file symbols: where upstreams, variables, named locations, log formats and shared-memory
 * zones are defined and referenced. Each file's occurrences are computed once per parsed tree.
 */
import type { SourceFile } from '../analysis/types';
import { directiveAt } from '../syntax/query';
import type { Directive, ParsedFile, Statement, Word } from '../syntax/tree';

export type SymbolKind = 'upstream' | 'variable' | 'named-location' | 'log-format' | 'limit-req-zone' | 'limit-conn-zone' | 'cache-zone';

export interface Occurrence {
  kind: SymbolKind;
  /** the name without `$` / `@` */
  name: string;
  /** offsets of the name in the file (no `$`, `@`, braces or quotes) */
  start: number;
  end: number;
  /** a definition (upstream block, `set`, `map` target, `location @x`, `zone=x:10m`, …) */
  def: boolean;
  directive: Directive;
}

const VARIABLE_SETTERS = new Set(['set', 'auth_request_set', 'perl_set', 'js_set', 'js_var', 'set_by_lua', 'set_by_lua_block', 'set_by_lua_file', 'auth_jwt_claim_set', 'auth_jwt_header_set']);
const PASSES = new Set(['proxy_pass', 'grpc_pass', 'uwsgi_pass', 'scgi_pass', 'fastcgi_pass', 'memcached_pass']);
const CACHE_PATHS = new Set(['proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path']);
const CACHES = new Set(['proxy_cache', 'fastcgi_cache', 'uwsgi_cache', 'scgi_cache']);

const cache = new WeakMap<ParsedFile, Occurrence[]>();

/** Every symbol occurrence of a file, in source order. */
export function fileSymbols(file: ParsedFile): Occurrence[] {
  let list = cache.get(file);
  if (!list) {
    list = collect(file);
    cache.set(file, list);
  }
  return list;
}

/** Offset of a word's content (after an opening quote). */
function contentStart(w: Word): number {
  return w.start + (w.quote ? 1 : 0);
}

function collect(file: ParsedFile): Occurrence[] {
  return collectIn(file.children, null, true);
}

/**
 * The occurrences in one directive's own words (not its block's), e.g. to look at a few directives
 * of a large file without collecting all of it.
 */
export function directiveSymbols(d: Directive): Occurrence[] {
  return collectIn([d], d.parent?.name ?? null, false);
}

function collectIn(list: Statement[], parent: string | null, recurse: boolean): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (kind: SymbolKind, name: string, start: number, def: boolean, d: Directive) => {
    if (name) out.push({ kind, name, start, end: start + name.length, def, directive: d });
  };
  /** `$name` / `${name}` references in a word */
  const vars = (w: Word, d: Directive, skip = 0) => {
    const raw = w.raw;
    const base = w.start;
    for (let i = raw.indexOf('$', skip); i >= 0 && i < raw.length; i = raw.indexOf('$', i + 1)) {
      if (raw[i + 1] === '{') {
        const m = /^[A-Za-z0-9_]+/.exec(raw.slice(i + 2));
        if (m && raw[i + 2 + m[0].length] === '}') add('variable', m[0], base + i + 2, false, d);
      } else {
        const m = /^[A-Za-z0-9_]+/.exec(raw.slice(i + 1));
        if (m && !/^[0-9]+$/.test(m[0])) add('variable', m[0], base + i + 1, false, d);
      }
    }
  };
  /** named captures of a regex word, as variable definitions */
  const captures = (w: Word, d: Directive) => {
    const re = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>|\(\?'([A-Za-z_][A-Za-z0-9_]*)'/g;
    for (let m = re.exec(w.raw); m; m = re.exec(w.raw)) {
      const name = m[1] ?? m[2];
      add('variable', name, w.start + m.index + m[0].indexOf(name), true, d);
    }
  };
  const zoneArg = (w: Word, d: Directive, key: string, kind: SymbolKind, def: boolean) => {
    const v = w.raw;
    const q = w.quote ? 1 : 0;
    if (!v.slice(q).startsWith(key + '=')) return;
    const rest = v.slice(q + key.length + 1).replace(/["']$/, '');
    const name = def ? rest.split(':')[0] : rest;
    if (name && !name.includes('$')) add(kind, name, w.start + q + key.length + 1, def, d);
  };

  const visit = (list: Statement[], parentName: string | null) => {
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      const d = s;
      const a = d.args;
      if (d.isEntry) {
        // map/geo/split_clients entries: keys may be regexes with captures, values may use variables
        if (parentName === 'map') {
          if (d.nameWord.value.startsWith('~')) captures(d.nameWord, d);
          for (const w of a) vars(w, d);
        }
        if (d.block && recurse) visit(d.block.children, parentName);
        continue;
      }
      switch (d.name) {
        case 'upstream':
          if (a[0] && d.block) add('upstream', a[0].value, contentStart(a[0]), true, d);
          break;
        case 'location': {
          const first = a[0];
          if (!first) break;
          if (first.value.startsWith('@')) add('named-location', first.value.slice(1), contentStart(first) + 1, true, d);
          else if ((first.value === '~' || first.value === '~*') && a[1]) captures(a[1], d);
          else if (first.value.startsWith('~')) captures(first, d);
          break;
        }
        case 'server_name':
          for (const w of a) if (w.value.startsWith('~')) captures(w, d);
          break;
        case 'rewrite':
          if (a[0]) captures(a[0], d);
          for (const w of a.slice(1)) vars(w, d);
          break;
        case 'if': {
          for (let i = 0; i < a.length; i++) {
            const v = a[i].value;
            const prev = i > 0 ? a[i - 1].value : '';
            if (prev === '~' || prev === '~*' || prev === '!~' || prev === '!~*') captures(a[i], d);
            else vars(a[i], d);
            void v;
          }
          break;
        }
        case 'map':
          if (a[0]) vars(a[0], d);
          if (a[1] && a[1].value.startsWith('$')) add('variable', a[1].value.slice(1), contentStart(a[1]) + 1, true, d);
          break;
        case 'geo': {
          const target = a[a.length - 1];
          if (a.length === 2) vars(a[0], d);
          if (target && target.value.startsWith('$')) add('variable', target.value.slice(1), contentStart(target) + 1, true, d);
          break;
        }
        case 'split_clients':
          if (a[0]) vars(a[0], d);
          if (a[1] && a[1].value.startsWith('$')) add('variable', a[1].value.slice(1), contentStart(a[1]) + 1, true, d);
          break;
        case 'log_format':
          if (a[0]) add('log-format', a[0].value, contentStart(a[0]), true, d);
          for (const w of a.slice(1)) vars(w, d);
          break;
        case 'access_log':
          for (const w of a) vars(w, d);
          if (a[1] && a[0].value !== 'off' && !a[1].value.includes('=') && !a[1].value.includes('$')) add('log-format', a[1].value, contentStart(a[1]), false, d);
          break;
        case 'limit_req_zone':
          for (const w of a) {
            zoneArg(w, d, 'zone', 'limit-req-zone', true);
            if (w.value.startsWith('$')) vars(w, d);
          }
          break;
        case 'limit_conn_zone':
          for (const w of a) {
            zoneArg(w, d, 'zone', 'limit-conn-zone', true);
            if (w.value.startsWith('$')) vars(w, d);
          }
          break;
        case 'limit_req':
          for (const w of a) zoneArg(w, d, 'zone', 'limit-req-zone', false);
          break;
        case 'limit_conn':
          if (a[0] && !a[0].value.includes('$')) add('limit-conn-zone', a[0].value, contentStart(a[0]), false, d);
          break;
        case 'try_files':
          for (const w of a) vars(w, d);
          if (a.length && a[a.length - 1].value.startsWith('@')) add('named-location', a[a.length - 1].value.slice(1), contentStart(a[a.length - 1]) + 1, false, d);
          break;
        case 'error_page':
        case 'post_action':
          for (const w of a) vars(w, d);
          if (a.length && a[a.length - 1].value.startsWith('@')) add('named-location', a[a.length - 1].value.slice(1), contentStart(a[a.length - 1]) + 1, false, d);
          break;
        default:
          if (VARIABLE_SETTERS.has(d.name)) {
            if (a[0] && a[0].value.startsWith('$')) add('variable', a[0].value.slice(1), contentStart(a[0]) + 1, true, d);
            for (const w of a.slice(1)) vars(w, d);
          } else if (CACHE_PATHS.has(d.name)) {
            for (const w of a) zoneArg(w, d, 'keys_zone', 'cache-zone', true);
          } else if (CACHES.has(d.name)) {
            if (a[0] && a[0].value !== 'off' && !a[0].value.includes('$')) add('cache-zone', a[0].value, contentStart(a[0]), false, d);
          } else if (PASSES.has(d.name) || (d.name === 'proxy_pass')) {
            for (const w of a) vars(w, d);
            if (a[0]) {
              const ref = upstreamRef(a[0]);
              if (ref) add('upstream', ref.name, ref.start, false, d);
            }
          } else if (d.block?.body !== 'lua' && !d.name.endsWith('_by_lua_block')) {
            for (const w of a) vars(w, d);
          }
      }
      if (recurse && d.block && d.block.body !== 'lua') visit(d.block.children, d.name);
    }
  };
  visit(list, parent);
  return out;
}

/** The upstream name in a `*_pass` address (`http://name/x`, `name`, `grpc://name`), when it could be one. */
function upstreamRef(w: Word): { name: string; start: number } | null {
  const v = w.raw.slice(w.quote ? 1 : 0, w.quote ? -1 : undefined);
  if (v.includes('$') || v.startsWith('unix:')) return null;
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:?#\s]+)(:[0-9]+)?/i.exec(v);
  if (!m || m[3]) return null; // with a port it is an address, not an upstream block
  const at = (w.quote ? 1 : 0) + (m[1] ? m[1].length + 3 : 0);
  return { name: m[2], start: w.start + at };
}

/**
 * The occurrence under an offset, looking only at the directive there (cheap on a large file whose
 * symbols were not collected yet); null when the file's symbols are needed to tell.
 */
export function occurrenceNear(file: ParsedFile, offset: number): Occurrence | null {
  const d = directiveAt(file, offset);
  if (!d) return null;
  for (const o of directiveSymbols(d)) if (o.start <= offset && offset <= o.end) return o;
  return null;
}

/**
 * The occurrences of one symbol in a file, found by searching the text for its name and collecting
 * only the directives where it appears (a keystroke makes a new tree; collecting all of a 40k-line
 * file's symbols for every cursor move would cost more than the highlight is worth).
 */
export function occurrencesInFile(file: ParsedFile, kind: SymbolKind, name: string): Occurrence[] {
  if (cache.has(file)) return fileSymbols(file).filter((o) => o.kind === kind && o.name === name);
  const out: Occurrence[] = [];
  const seen = new Set<Directive>();
  const text = file.text;
  for (let i = text.indexOf(name); i >= 0 && name; i = text.indexOf(name, i + name.length)) {
    const d = directiveAt(file, i);
    if (!d || seen.has(d)) continue;
    seen.add(d);
    for (const o of directiveSymbols(d)) if (o.kind === kind && o.name === name) out.push(o);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The occurrence under an offset (name range, end inclusive). */
export function occurrenceAt(file: ParsedFile, offset: number): Occurrence | null {
  for (const o of fileSymbols(file)) if (o.start <= offset && offset <= o.end) return o;
  return null;
}

export interface SymbolHit {
  source: SourceFile;
  occurrence: Occurrence;
}

/** Occurrences of one symbol across files. */
export function findOccurrences(files: Iterable<SourceFile>, kind: SymbolKind, name: string): SymbolHit[] {
  const out: SymbolHit[] = [];
  for (const source of files) {
    for (const o of fileSymbols(source.file)) if (o.kind === kind && o.name === name) out.push({ source, occurrence: o });
  }
  return out;
}

/** Checks a new name for a symbol kind; returns the name to write or an error message. */
export function validateNewName(kind: SymbolKind, input: string): { name: string } | { error: string } {
  let n = input.trim();
  if (kind === 'variable') {
    if (n.startsWith('$')) n = n.slice(1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) return { error: `'${input}' is not a valid variable name (letters, digits and '_', not starting with a digit)` };
    return { name: n };
  }
  if (kind === 'named-location') {
    if (n.startsWith('@')) n = n.slice(1);
    if (!/^[A-Za-z0-9_.\-]+$/.test(n)) return { error: `'${input}' is not a valid named location (letters, digits, '_', '-', '.')` };
    return { name: n };
  }
  if (kind === 'upstream') {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/.test(n)) return { error: `'${input}' is not a valid upstream name (letters, digits, '_', '-', '.'; no port)` };
    return { name: n };
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/.test(n)) return { error: `'${input}' is not a valid name (letters, digits, '_', '-', '.')` };
  return { name: n };
}

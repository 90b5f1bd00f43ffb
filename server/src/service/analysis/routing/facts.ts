/**
 * What the routing rules share: the routing model of the configuration a file belongs to, the
 * file's own server blocks in it, and a conservative inclusion test between simple regexes and
 * prefixes ("every URI this one matches, that one matches too"), which only answers yes when it is
 * sure (literal patterns with ^/$ anchors, and the patterns that match every URI).
 */
import type { ConfigView, SourceFile } from '../../model/config';
import type { Directive, Statement } from '../../syntax/tree';
import { httpLevelOf } from './level';
import type { Expand, LocationInfo, ServerFacts } from './model';
import { serverIndex, type ServerIndex } from './serverIndex';

export interface RoutingFacts {
  index: ServerIndex;
  expand: Expand;
  /** the servers whose `server` directive is in the analysed file, in order, with their facts */
  own: { directive: Directive; facts: ServerFacts }[];
}

const memo = new WeakMap<ConfigView, RoutingFacts | null>();

/** The routing facts for a view (null: the file has no http servers), computed once per view. */
export function routingFacts(view: ConfigView): RoutingFacts | null {
  if (memo.has(view)) return memo.get(view)!;
  let facts: RoutingFacts | null = null;
  const ownServers = serversIn(view.source);
  if (ownServers.length) {
    const level = httpLevelOf(view);
    if (level) {
      const index = serverIndex(level.anchor, level.directives, level.expand);
      const own: RoutingFacts['own'] = [];
      for (const d of ownServers) {
        const f = index.factsOf(d);
        if (f) own.push({ directive: d, facts: f });
      }
      if (own.length) facts = { index, expand: level.expand, own };
    }
  }
  memo.set(view, facts);
  return facts;
}

/** `server` blocks of a file: at its top level (a site file) or in its http blocks. */
function serversIn(source: SourceFile): Directive[] {
  const out: Directive[] = [];
  const visit = (list: Statement[], depth: number) => {
    for (const s of list) {
      if (s.kind !== 'directive' || !s.block || s.isEntry) continue;
      if (s.name === 'server') out.push(s);
      else if (s.name === 'http' && depth === 0) visit(s.block.children, 1);
    }
  };
  visit(source.file.children, 0);
  return out;
}

/** A regex reduced to a literal with anchors, or 'all' (matches every URI), or null (not simple). */
export type SimpleRegex = { start: boolean; end: boolean; lit: string; caseless: boolean } | 'all' | null;

const UNIVERSAL = new Set(['.*', '^.*', '(.*)', '^(.*)', '^/', '/', '^/.*', '/.*', '^/(.*)', '^']);

export function simpleRegex(l: LocationInfo): SimpleRegex {
  if (l.mod !== '~' && l.mod !== '~*') return null;
  const p = l.name;
  if (UNIVERSAL.has(p)) return 'all';
  let i = 0;
  let start = false, end = false;
  if (p[0] === '^') { start = true; i = 1; }
  let lit = '';
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === '$' && i === p.length - 1) { end = true; break; }
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return null;
      lit += n;
      i++;
      continue;
    }
    if ('^$.|?*+()[]{}'.includes(c)) return null;
    lit += c;
  }
  return { start, end, lit, caseless: l.mod === '~*' };
}

const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const hasLetter = (s: string) => /[A-Za-z]/.test(s);

/** Every string `inner` matches, `outer` matches too (sure answers only). */
export function regexCovers(outer: SimpleRegex, inner: SimpleRegex): boolean {
  if (!outer || !inner) return false;
  if (outer === 'all') return true;
  if (inner === 'all') return false;
  let a = outer.lit, b = inner.lit;
  if (outer.caseless) { a = lower(a); b = lower(b); }
  else if (inner.caseless && (hasLetter(b) || hasLetter(a))) return false;
  if (!outer.start && !outer.end) return b.includes(a);
  if (outer.start && !outer.end) return inner.start && b.startsWith(a);
  if (!outer.start && outer.end) return inner.end && b.endsWith(a);
  return inner.start && inner.end && a === b;
}

/** Every URI starting with `prefix` (a byte string) matches the regex. */
export function regexCoversPrefix(r: SimpleRegex, prefix: string): boolean {
  if (!r) return false;
  if (r === 'all') return true;
  if (r.end) return false;
  const p = r.caseless ? lower(prefix) : prefix;
  const lit = r.caseless ? lower(r.lit) : r.lit;
  return r.start ? p.startsWith(lit) : p.includes(lit);
}

/** Small tree queries shared by rules and features. */
import type { Directive, ParsedFile, Statement, Word } from './tree';

const allCache = new WeakMap<Statement[], Directive[]>();

/**
 * Every directive under a statement list (entries included), depth first in source order.
 * Several rules walk the whole file; the flat list is built once per tree (statement lists never
 * change after parsing) and must not be modified by callers.
 */
export function allDirectives(list: Statement[]): readonly Directive[] {
  let out = allCache.get(list);
  if (!out) {
    out = [];
    collect(list, out);
    allCache.set(list, out);
  }
  return out;
}

function collect(list: Statement[], out: Directive[]): void {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s.kind !== 'directive') continue;
    out.push(s);
    if (s.block) collect(s.block.children, out);
  }
}

/** Visits directives depth first; return false from `fn` to skip a directive's block. */
export function walk(list: Statement[], fn: (d: Directive) => boolean | void): void {
  for (const s of list) {
    if (s.kind !== 'directive') continue;
    if (fn(s) === false) continue;
    if (s.block) walk(s.block.children, fn);
  }
}

/** Directives (not comments) of a statement list. */
// Kept on the list itself under a private symbol rather than in a WeakMap: a large file has tens of
// thousands of blocks, and that many WeakMap entries make every garbage collection slower.
const DIRECTIVES = Symbol('directives');
/** longest statement list checked on each call rather than copied once */
const SHORT_LIST = 32;

/**
 * The directives (not comments) of a statement list: the list itself when it is short and holds
 * no comment, else a copy computed once per list (lists never change after parsing). Views hand
 * these out as scope contents, so the same array comes back each time — which keeps per-level
 * indexes (effective.ts) valid. Callers must not modify it.
 */
export function directivesOf(list: Statement[]): Directive[] {
  const tagged = list as Statement[] & { [DIRECTIVES]?: Directive[] };
  let out = tagged[DIRECTIVES];
  if (out) return out;
  // A short list without comments (most location and server bodies) is its own directive list:
  // checking it on each call spares keeping a copy for each of the thousands of blocks of a large file.
  if (list.length <= SHORT_LIST) {
    let comments = false;
    for (let i = 0; i < list.length; i++) if (list[i].kind !== 'directive') { comments = true; break; }
    if (!comments) return list as Directive[];
  }
  out = [];
  for (const s of list) if (s.kind === 'directive') out.push(s);
  tagged[DIRECTIVES] = out;
  return out;
}

/** The innermost directive whose span contains `offset` (end inclusive, so a cursor right after `;` still counts). */
export function directiveAt(file: ParsedFile, offset: number): Directive | null {
  let found: Directive | null = null;
  let list: Statement[] = file.children;
  for (;;) {
    let next: Statement[] | null = null;
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      if (s.start <= offset && offset <= s.end) {
        found = s;
        if (s.block && s.block.open < offset && (s.block.close < 0 || offset <= s.block.close)) next = s.block.children;
        break;
      }
      if (s.start > offset) break;
    }
    if (!next) return found;
    list = next;
  }
}

/** The word (name or argument) of a directive at `offset`, if any. */
export function wordAt(d: Directive, offset: number): Word | null {
  if (d.nameWord.start <= offset && offset <= d.nameWord.end) return d.nameWord;
  for (const a of d.args) if (a.start <= offset && offset <= a.end) return a;
  return null;
}

/**
 * The directive whose block body contains `offset` (the block the cursor is in), or null at the
 * file's top level.
 */
export function enclosingBlockOwner(file: ParsedFile, offset: number): Directive | null {
  let owner: Directive | null = null;
  let list: Statement[] = file.children;
  for (;;) {
    let next: Statement[] | null = null;
    for (const s of list) {
      if (s.kind !== 'directive' || !s.block) continue;
      const b = s.block;
      if (b.open < offset && (b.close < 0 ? offset <= b.end : offset <= b.close)) {
        owner = s;
        next = b.children;
        break;
      }
    }
    if (!next) return owner;
    list = next;
  }
}

/** Block names from the file's top level down to `d` (d excluded), e.g. ['http', 'server']. */
export function blockPath(d: Directive): string[] {
  const out: string[] = [];
  for (let p = d.parent; p; p = p.parent) out.push(p.name);
  return out.reverse();
}

const includeLists = new WeakMap<ParsedFile, Directive[]>();

/** The `include` directives of a file in source order (entries such as `include` inside `map` too). */
export function includesOf(file: ParsedFile): Directive[] {
  let list = includeLists.get(file);
  if (list) return list;
  list = [];
  const text = file.text;
  if (text.indexOf('include') < 0) {
    includeLists.set(file, list);
    return list;
  }
  // test the name in the text: asking a lazily built directive for its name would materialize it
  // (the first character first: this runs for every directive of the file)
  const isInclude = (s: Directive) =>
    text.charCodeAt(s.start) === 0x69 /* i */ && text.startsWith('include', s.start) && /[\s;{]/.test(text[s.start + 7] ?? ';') && s.name === 'include';
  const visit = (children: ParsedFile['children']) => {
    for (let i = 0; i < children.length; i++) {
      const s = children[i];
      if (s.kind !== 'directive') continue;
      if (isInclude(s) && s.argCount >= 1) list!.push(s);
      if (s.block && s.block.body !== 'lua') visit(s.block.children);
    }
  };
  visit(file.children);
  includeLists.set(file, list);
  return list;
}

/** `level` is `owner` or lies in its block, at any depth (null: the top level, in no block). */
export function isWithin(level: Directive | null, owner: Directive): boolean {
  for (let p = level; p; p = p.parent) if (p === owner) return true;
  return false;
}

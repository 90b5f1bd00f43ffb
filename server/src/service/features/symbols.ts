/**
 * Document symbols (the outline) and workspace symbols (every server name and upstream).
 */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import { rangeOf } from '../syntax/positions';
import type { Directive, ParsedFile, Statement } from '../syntax/tree';
import type { Workspace } from '../workspace/workspace';

/** Simple directives worth a line in the outline: they define a name other places refer to. */
const NAMED_SIMPLE: Record<string, SymbolKind> = {
  log_format: SymbolKind.Constant,
  limit_req_zone: SymbolKind.Constant,
  limit_conn_zone: SymbolKind.Constant,
  proxy_cache_path: SymbolKind.Constant,
  fastcgi_cache_path: SymbolKind.Constant,
  uwsgi_cache_path: SymbolKind.Constant,
  scgi_cache_path: SymbolKind.Constant,
  include: SymbolKind.File,
};

// arguments are read one at a time (arg/argValue): `args` would materialize and keep every word of
// every directive of the file, on each outline request of each keystroke
function argText(d: Directive): string {
  const n = d.argCount;
  let out = '';
  for (let i = 0; i < n; i++) out += (i ? ' ' : '') + d.arg(i)!.raw;
  return out;
}

function argValues(d: Directive): string[] {
  const n = d.argCount;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = d.argValue(i)!;
  return out;
}

function serverName(d: Directive): { name: string; detail: string } {
  let names: string[] = [];
  let listens: string[] = [];
  for (const s of d.block?.children ?? []) {
    if (s.kind !== 'directive') continue;
    if (s.name === 'server_name') names = names.concat(argValues(s));
    if (s.name === 'listen' && s.argCount) listens.push(argValues(s).join(' '));
  }
  names = names.filter((n) => n && n !== '_' && n !== '""');
  const name = names.length ? `server ${names[0]}${names.length > 1 ? ` (+${names.length - 1})` : ''}` : listens.length ? `server :${listens[0].split(' ')[0]}` : 'server';
  return { name, detail: listens.join(', ') };
}

function describe(d: Directive): { name: string; detail?: string; kind: SymbolKind } | null {
  if (d.isEntry) return null;
  if (d.block) {
    switch (d.name) {
      case 'server': {
        const s = serverName(d);
        return { ...s, kind: SymbolKind.Class };
      }
      case 'location':
        return { name: `location ${argText(d)}`.trim(), kind: SymbolKind.Method };
      case 'upstream':
        return { name: `upstream ${argText(d)}`, kind: SymbolKind.Interface };
      case 'map':
      case 'geo':
      case 'split_clients':
        return { name: `${d.name} ${argText(d)}`, kind: SymbolKind.Variable };
      case 'if':
        return { name: `if ${argText(d)}`, kind: SymbolKind.Boolean };
      case 'http':
      case 'events':
      case 'stream':
      case 'mail':
        return { name: d.name, kind: SymbolKind.Module };
      default:
        return { name: d.argCount ? `${d.name} ${argText(d)}` : d.name, kind: SymbolKind.Namespace };
    }
  }
  const k = NAMED_SIMPLE[d.name];
  if (k === undefined || !d.argCount) return null;
  return { name: `${d.name} ${d.name.endsWith('_path') || d.name.endsWith('_zone') ? argValues(d).join(' ') : d.argValue(0)}`, kind: k };
}

/**
 * The outline's block subtrees of a previous answer, to reuse for the blocks a keystroke did not
 * touch: the editor asks for the whole outline after every keystroke, and on a 43k-line file
 * building its 8,000 symbols again is most of a keystroke's request time. A subtree is reused when
 * its directive starts at the same line and character and has exactly the same text: its symbols
 * (names from its own words and children, ranges from its own line breaks) are then the same.
 */
export interface OutlineReuse {
  /** `line:character` of a block directive's start → its text (in `text`) and its symbol */
  blocks: Map<string, { text: string; start: number; end: number; sym: DocumentSymbol }>;
}

/** The outline of `file`; with `reuse`, unchanged blocks come from (and new ones go to) it. */
export function documentSymbols(file: ParsedFile, reuse?: OutlineReuse): DocumentSymbol[] {
  const previous = reuse?.blocks;
  const next: OutlineReuse['blocks'] | undefined = reuse ? new Map() : undefined;
  const visit = (list: Statement[]): DocumentSymbol[] => {
    const out: DocumentSymbol[] = [];
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      const range = rangeOf(file, s.start, s.end);
      const nested = !!s.block && s.block.body === 'directives';
      // a block is only ever visited in a body of directives, so the same text parses the same
      const key = nested && next ? `${range.start.line}:${range.start.character}` : '';
      if (key) {
        const old = previous?.get(key);
        if (old && old.end - old.start === s.end - s.start && old.text.substring(old.start, old.end) === file.text.substring(s.start, s.end)) {
          next!.set(key, { text: file.text, start: s.start, end: s.end, sym: old.sym });
          out.push(old.sym);
          continue;
        }
      }
      const info = describe(s);
      if (!info) continue;
      const sym: DocumentSymbol = {
        name: info.name,
        kind: info.kind,
        range,
        selectionRange: rangeOf(file, s.start, s.argCount ? s.arg(s.argCount - 1)!.end : s.nameWord.end),
      };
      if (info.detail) sym.detail = info.detail;
      if (nested) {
        const children = visit(s.block!.children);
        if (children.length) sym.children = children;
      }
      if (key) next!.set(key, { text: file.text, start: s.start, end: s.end, sym });
      out.push(sym);
    }
    return out;
  };
  const out = visit(file.children);
  if (reuse && next) reuse.blocks = next;
  return out;
}

/** VS Code's filter: the query's characters appear in order (case-insensitive). */
function fuzzy(query: string, name: string): boolean {
  if (!query) return true;
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

const MAX_WORKSPACE_SYMBOLS = 5000;

export function workspaceSymbols(workspace: Workspace, query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const source of workspace.workspaceSources()) {
    const file = source.file;
    const visit = (list: Statement[], container: string | undefined) => {
      for (const s of list) {
        if (s.kind !== 'directive' || s.isEntry) continue;
        if (out.length >= MAX_WORKSPACE_SYMBOLS) return;
        if (s.name === 'server_name' && s.parent?.name === 'server') {
          for (const a of s.args) {
            if (!a.value || a.value === '_' || !fuzzy(query, a.value)) continue;
            out.push({ name: a.value, kind: SymbolKind.Class, location: { uri: source.uri, range: rangeOf(file, a.start, a.end) }, containerName: container ?? 'server' });
          }
        } else if (s.name === 'upstream' && s.block && s.args[0] && fuzzy(query, s.args[0].value)) {
          out.push({ name: s.args[0].value, kind: SymbolKind.Interface, location: { uri: source.uri, range: rangeOf(file, s.args[0].start, s.args[0].end) }, containerName: 'upstream' });
        }
        if (s.block && s.block.body === 'directives') visit(s.block.children, s.name === 'server' ? 'server' : container);
      }
    };
    visit(file.children, undefined);
  }
  return out;
}

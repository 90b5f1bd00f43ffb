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

export function documentSymbols(file: ParsedFile): DocumentSymbol[] {
  const visit = (list: Statement[]): DocumentSymbol[] => {
    const out: DocumentSymbol[] = [];
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      const info = describe(s);
      if (!info) continue;
      const sym: DocumentSymbol = {
        name: info.name,
        kind: info.kind,
        range: rangeOf(file, s.start, s.end),
        selectionRange: rangeOf(file, s.start, s.argCount ? s.arg(s.argCount - 1)!.end : s.nameWord.end),
      };
      if (info.detail) sym.detail = info.detail;
      if (s.block && s.block.body === 'directives') {
        const children = visit(s.block.children);
        if (children.length) sym.children = children;
      }
      out.push(sym);
    }
    return out;
  };
  return visit(file.children);
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

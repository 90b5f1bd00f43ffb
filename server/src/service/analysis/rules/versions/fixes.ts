/**
 * The mechanical replacements nginx itself names for what it deprecated or removed:
 *  - `ssl on;` → the `ssl` parameter on every `listen` of the block ("use the "listen ... ssl"
 *    directive instead"; removed in 1.25.1); `ssl off;` is simply dropped;
 *  - `listen … http2` → `http2 on;` in the server ("use the "http2" directive instead", 1.25.1);
 *  - an obsolete directive nginx ignores (`http2_push` from 1.25.1) is dropped.
 */
import type { Directive } from '../../../syntax/tree';
import type { Fix, SourceFile, TextEditAt } from '../../types';
import { statementRange } from '../structure/directiveDuplicate';

function children(owner: Directive | null, file: SourceFile['file']): Directive[] {
  const list = owner ? owner.block?.children ?? [] : file.children;
  return list.filter((s): s is Directive => s.kind === 'directive');
}

/** `ssl on|off;` → listen … ssl; null when there is no `listen` in the block to carry it */
export function sslOnFix(source: SourceFile, d: Directive): Fix | null {
  const value = d.args[0]?.value;
  const remove: TextEditAt = { source, ...statementRange(source.file, d), newText: '' };
  if (value === 'off') return { title: 'Remove "ssl off;" (TLS is off unless a listen has ssl)', edits: [remove], isPreferred: true };
  if (value !== 'on') return null;
  const listens = children(d.parent, source.file).filter((x) => x.name === 'listen' && x.args.length > 0);
  if (listens.length === 0) return null;
  const edits: TextEditAt[] = [remove];
  for (const l of listens) {
    if (l.args.some((a) => a.value === 'ssl' || a.value === 'quic')) continue;
    const last = l.args[l.args.length - 1];
    edits.push({ source, start: last.end, end: last.end, newText: ' ssl' });
  }
  return { title: 'Replace "ssl on;" by the "ssl" parameter of "listen"', edits, isPreferred: true };
}

/** `listen … http2` → `http2 on;` (for every listen of the server, so one `http2 on;` is added) */
export function listenHttp2Fix(source: SourceFile, d: Directive): Fix | null {
  const server = d.parent;
  if (!server || server.name !== 'server') return null;
  const siblings = children(server, source.file);
  const edits: TextEditAt[] = [];
  for (const l of siblings) {
    if (l.name !== 'listen') continue;
    for (let i = 1; i < l.args.length; i++) {
      if (l.args[i].value === 'http2') edits.push({ source, start: l.args[i - 1].end, end: l.args[i].end, newText: '' });
    }
  }
  if (!siblings.some((x) => x.name === 'http2')) {
    // on the line after this listen, with its indentation
    const text = source.file.text;
    const lineStart = text.lastIndexOf('\n', d.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, d.start))?.[0] ?? '';
    const at = d.end;
    edits.push({ source, start: at, end: at, newText: `\n${indent}http2 on;` });
  }
  return { title: 'Replace "listen … http2" by "http2 on;"', edits, isPreferred: true };
}

/** drop a directive nginx ignores */
export function removeFix(source: SourceFile, d: Directive, why: string): Fix {
  return { title: `Remove "${d.name}" (${why})`, edits: [{ source, ...statementRange(source.file, d), newText: '' }] };
}

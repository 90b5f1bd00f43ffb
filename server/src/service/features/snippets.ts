/**
 * Snippets, served by completion rather than contributed to the editor statically: a static
 * contribution is offered everywhere (`ws-setup`, an http-level block, inside a `location`) and once
 * per prefix (each alias a second item). Here each snippet is offered only in the block it is
 * written for (snippets/contexts.json, which test/unit/snippets.test.ts checks with `nginx -t` in
 * that block) and once, whatever alias the user types.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { Ctx } from '../knowledge/directiveDb';
import SNIPPETS from './snippets/nginx.json';
import CONTEXTS from './snippets/contexts.json';

export interface SnippetDef {
  name: string;
  /** what the user types; the first is the label, the others only filter */
  prefixes: string[];
  body: string;
  description: string;
  /** the Ctx bits of the block it is written for */
  context: number;
}

const CONTEXT_BITS: Record<string, number> = { http: Ctx.http, server: Ctx.server, location: Ctx.location };

function load(): SnippetDef[] {
  const contexts = CONTEXTS as Record<string, string>;
  const out: SnippetDef[] = [];
  for (const [name, s] of Object.entries(SNIPPETS as Record<string, { prefix: string | string[]; body: string | string[]; description: string }>)) {
    const context = CONTEXT_BITS[contexts[name]];
    // a snippet without a known block is offered nowhere (the unit test fails for it)
    if (!context) continue;
    out.push({
      name,
      prefixes: Array.isArray(s.prefix) ? s.prefix : [s.prefix],
      body: Array.isArray(s.body) ? s.body.join('\n') : s.body,
      description: s.description,
      context,
    });
  }
  return out;
}

let all: SnippetDef[] | undefined;
export function snippetDefinitions(): readonly SnippetDef[] {
  return (all ??= load());
}

/** The body as it reads once inserted with every placeholder at its default (for the item's preview). */
export function previewOf(body: string): string {
  let prev: string;
  let s = body;
  do {
    prev = s;
    s = s
      .replace(/\$\{\d+:([^{}]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+\}/g, '')
      .replace(/(^|[^\\])\$\d+/g, '$1');
  } while (s !== prev);
  return s.replace(/\\([$}\\])/g, '$1');
}

/**
 * Completion items for the snippets written for a block of context `cx` (Ctx bits), one per snippet,
 * replacing `range` (the word typed so far). Ranked after the directives: a directive named like an
 * alias (`server`) stays first.
 */
export function snippetCompletions(cx: number, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const s of snippetDefinitions()) {
    if (!(s.context & cx)) continue;
    items.push({
      label: s.prefixes[0],
      kind: CompletionItemKind.Snippet,
      detail: s.description,
      documentation: { kind: MarkupKind.Markdown, value: '```nginx\n' + previewOf(s.body) + '\n```' },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: s.body },
      // every alias finds the one item
      filterText: s.prefixes.join(' '),
      sortText: `2${s.prefixes[0]}`,
    });
  }
  return items;
}

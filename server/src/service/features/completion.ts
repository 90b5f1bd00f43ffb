/**
 * Context-aware completion: directive names allowed in the enclosing block (with an argument
 * snippet) and the snippets written for that block, values of flags and enums, and variables after `$` (built in and defined by this
 * configuration). Works on half-typed text: the statement under the cursor is read from the tokens,
 * not from the tree, so a missing `;` or an unclosed block does not matter.
 */
import {
  CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList,
} from 'vscode-languageserver-types';
import { definedVariables } from '../analysis/variables';
import { contextInside } from '../analysis/contextAt';
import { Arg, directivesFor, lookup, type DirectiveInfo } from '../knowledge/directiveDb';
import { DIRECTIVE_FREQUENCY } from '../knowledge/frequency.generated';
import { builtinVariables } from '../knowledge/variables';
import { indexAtOrBefore, rangeOf } from '../syntax/positions';
import { enclosingBlockOwner } from '../syntax/query';
import { TokenKind, type ParsedFile } from '../syntax/tree';
import type { FeatureContext } from './context';
import type { Settings } from '../settings';
import { directiveMarkdown } from './hover';
import { templateCompletions } from '../templates/features';
import { snippetCompletions } from './snippets';

interface Statement {
  /** words of the statement before the cursor (the last one may be partial) */
  words: { text: string; start: number; end: number }[];
  /** the cursor is inside (or right after) the last word */
  inWord: boolean;
}

/** The words of the statement that the cursor is in, up to the cursor. */
function statementAt(file: ParsedFile, offset: number): Statement | null {
  const { tokenKinds, tokenStarts, tokenCount, text } = file;
  // token index containing offset-1
  let i = indexAtOrBefore(tokenStarts, tokenCount, offset - 1);
  if (tokenCount === 0 || offset === 0) return { words: [], inWord: false };
  const endOf = (k: number) => (k + 1 < tokenCount ? tokenStarts[k + 1] : text.length);
  if (tokenKinds[i] === TokenKind.Comment && offset > tokenStarts[i]) return null;
  const words: Statement['words'] = [];
  let inWord = false;
  if ((tokenKinds[i] === TokenKind.Word || tokenKinds[i] === TokenKind.String) && endOf(i) >= offset) inWord = true;
  for (; i >= 0; i--) {
    const k = tokenKinds[i];
    if (k === TokenKind.Semicolon || k === TokenKind.OpenBrace || k === TokenKind.CloseBrace || k === TokenKind.Raw) break;
    if (k === TokenKind.Word || k === TokenKind.String) {
      const start = tokenStarts[i];
      const end = Math.min(endOf(i), offset);
      words.unshift({ text: text.slice(start, end), start, end });
    }
  }
  return { words, inWord };
}

function snippetFor(info: DirectiveInfo): string {
  const name = info.name;
  const spec = info.spec ?? info.specs[0];
  if (!spec) return `${name} $0;`;
  const a = spec.args;
  if (spec.block) {
    if (a & Arg.NOARGS && !(a & ~(Arg.NOARGS | Arg.BLOCK))) return `${name} {\n\t$0\n}`;
    return `${name} \${1:${placeholder(info, 0)}} {\n\t$0\n}`;
  }
  if (a & Arg.FLAG) return `${name} \${1|on,off|};`;
  if (spec.slot === 'enum' && spec.values.length) return `${name} \${1|${spec.values.join(',')}|};`;
  if ((a & (Arg.NOARGS | Arg.ANY)) === Arg.NOARGS && !(a & ~Arg.NOARGS)) return `${name};`;
  let n = 1;
  if (a & Arg.MORE2) n = 2;
  else if (!(a & (Arg.ANY | Arg.MORE1))) { for (let k = 1; k <= 7; k++) if (a & (1 << k)) { n = k; break; } }
  if (a & Arg.NOARGS && !(a & Arg.TAKE1)) n = 0;
  const ph: string[] = [];
  for (let k = 0; k < n; k++) ph.push(`\${${k + 1}:${placeholder(info, k)}}`);
  return `${name}${ph.length ? ' ' + ph.join(' ') : ''};`;
}

/** The k-th argument name of the documented syntax (`*`time`*` → time), or "value". */
function placeholder(info: DirectiveInfo, k: number): string {
  const syn = info.doc?.syntax[0];
  if (syn) {
    const words = syn.replace(/\[[^\]]*\]/g, '').split(/\s+/).map((x) => x.replace(/[*`]/g, '')).filter((x) => x && x !== '|' && x !== '...');
    if (words[k]) return words[k].replace(/[{}$\\]/g, '');
  }
  return 'value';
}

/**
 * Directives people use most come first (measured on the corpus: scripts/generate-frequency.ts);
 * the rest alphabetically after them. Editors sort by match quality first, then by this.
 */
const RANK = new Map(Object.keys(DIRECTIVE_FREQUENCY).map((name, i) => [name, i]));
function frequencySortText(name: string): string {
  const rank = RANK.get(name);
  return rank === undefined ? `1${name}` : `0${String(rank).padStart(4, '0')}`;
}

/** What a directive item carries when its documentation is resolved later (`resolveCompletion`). */
export interface DirectiveItemData {
  /** the directive; absent in the list's shared `itemDefaults.data`, where the item's label names it */
  directive?: string;
  /** the document it was offered in (its settings: version, custom directives) */
  uri: string;
  /** the Ctx bits of the block it was offered in */
  cx: number;
  /** the nginx version the list was made for (resolving must not need the document's text) */
  version: string;
}

/** A directive's item without the range it replaces: the same in every block of one context. */
interface DirectiveItem {
  label: string;
  kind: CompletionItemKind;
  detail: string | undefined;
  newText: string;
  sortText: string;
  /** markdown, built on first use (the longest part of an item: most are never looked at) */
  documentation: () => string | null;
}

/**
 * The directive items of each context, per settings that change what is known. Building them (the
 * snippet, the sort key, the lookup of ~800 names) took most of a completion request, on a small file
 * as on a large one; a context's list only changes with the settings.
 */
const itemCache = new Map<string, DirectiveItem[]>();
function directiveItems(cx: number, settings: Settings): DirectiveItem[] {
  const key = `${cx}|${settings.version}|${settings.plus}|${settings.customDirectives.length ? JSON.stringify(settings.customDirectives) : ''}`;
  let list = itemCache.get(key);
  if (list) return list;
  list = directivesFor(cx, settings).map((info) => {
    let doc: string | null | undefined;
    return {
      label: info.name,
      kind: info.spec?.block ? CompletionItemKind.Module : CompletionItemKind.Keyword,
      detail: info.spec?.module,
      newText: snippetFor(info),
      sortText: frequencySortText(info.name),
      documentation: () => (doc === undefined ? (doc = directiveMarkdown(info, false)) : doc),
    };
  });
  // a handful of contexts and settings in a session; a bound all the same
  if (itemCache.size >= 64) itemCache.clear();
  itemCache.set(key, list);
  return list;
}

/** The `data` of an item offered with `lazyDocs` (with the directive filled in), or null when it is not such an item's. */
export function directiveItemData(data: unknown, label: unknown): Required<DirectiveItemData> | null {
  const d = data as Partial<DirectiveItemData> | null;
  if (!d || typeof d !== 'object' || typeof d.uri !== 'string' || typeof d.cx !== 'number' || typeof d.version !== 'string') return null;
  const directive = d.directive ?? label;
  if (typeof directive !== 'string') return null;
  return { directive, uri: d.uri, cx: d.cx, version: d.version };
}

/** The documentation of a directive item offered with `lazyDocs`. */
export function directiveItemDocumentation(d: Required<DirectiveItemData>, settings: Settings): string | null {
  const info = lookup(d.directive, d.cx, settings);
  return info.status === 'unknown' ? null : directiveMarkdown(info, false);
}

export interface CompletionOptions {
  /** directive items without documentation, which `completionItem/resolve` adds */
  lazyDocs?: boolean;
  /**
   * the client applies a list's `itemDefaults` (editRange, insertTextFormat, data): the directive
   * items then carry only what differs between them (a third of the answer's size)
   */
  itemDefaults?: boolean;
}

/**
 * Completion at `offset`. With `lazyDocs` the directive items carry `data` in place of their
 * documentation, which the editor asks for (`completionItem/resolve`) for the item it shows: a
 * directive list is ~800 items, and its documentation was most of the answer's size.
 */
export function getCompletions(ctx: FeatureContext, offset: number, options: CompletionOptions = {}): CompletionList {
  const { lazyDocs = false, itemDefaults = false } = options;
  // `${` in a template: the placeholder names the workspace defines
  const placeholders = templateCompletions(ctx, offset);
  if (placeholders) return placeholders;
  const file = ctx.source.file;
  const st = statementAt(file, offset);
  if (!st) return { isIncomplete: false, items: [] };
  const items: CompletionItem[] = [];
  const last = st.inWord ? st.words[st.words.length - 1] : null;

  // variables after `$`
  if (last && last.text.lastIndexOf('$') >= 0 && (st.words.length > 1 || last.text.startsWith('$'))) {
    const dollar = last.start + last.text.lastIndexOf('$');
    const range = rangeOf(file, dollar, offset);
    const seen = new Set<string>();
    for (const [name, def] of definedVariables(ctx.view)) {
      seen.add(name);
      items.push({ label: `$${name}`, kind: CompletionItemKind.Variable, detail: `defined by ${def.by}`, textEdit: { range, newText: `$${name}` }, sortText: `0${name}` });
    }
    for (const v of builtinVariables().values()) {
      if (seen.has(v.name)) continue;
      const label = v.prefix ? `$${v.name}NAME` : `$${v.name}`;
      items.push({
        label,
        kind: CompletionItemKind.Variable,
        detail: v.module || 'built-in',
        documentation: v.description ? { kind: MarkupKind.Markdown, value: v.description } : undefined,
        textEdit: { range, newText: v.prefix ? `$${v.name}` : `$${v.name}` },
        sortText: `1${v.name}`,
      });
    }
    return { isIncomplete: false, items };
  }

  const owner = enclosingBlockOwner(file, offset);
  const cx = contextInside(ctx.view, owner, true);
  if (owner && owner.block && owner.block.body !== 'directives') return { isIncomplete: false, items: [] };

  // directive names
  if (st.words.length === 0 || (st.words.length === 1 && st.inWord)) {
    if (cx === 0) return { isIncomplete: false, items: [] };
    const range = last ? rangeOf(file, last.start, offset) : rangeOf(file, offset, offset);
    const data: DirectiveItemData = { uri: ctx.source.uri, cx, version: ctx.settings.version };
    // (no filterText: it defaults to the label, the directive's name)
    for (const b of directiveItems(cx, ctx.settings)) {
      const item: CompletionItem = itemDefaults
        ? { label: b.label, kind: b.kind, detail: b.detail, textEditText: b.newText, sortText: b.sortText }
        : { label: b.label, kind: b.kind, detail: b.detail, insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: b.newText }, sortText: b.sortText };
      if (lazyDocs) {
        if (!itemDefaults) item.data = { ...data, directive: b.label };
      } else {
        const doc = b.documentation();
        if (doc) item.documentation = { kind: MarkupKind.Markdown, value: doc };
      }
      items.push(item);
    }
    // the snippets written for this block, and only those (features/snippets.ts); they set their
    // own edit and documentation
    items.push(...snippetCompletions(cx, range));
    if (!itemDefaults) return { isIncomplete: false, items };
    return { isIncomplete: false, itemDefaults: { editRange: range, insertTextFormat: InsertTextFormat.Snippet, ...(lazyDocs ? { data } : {}) }, items };
  }

  // argument values: flags, enums, bitmasks
  const name = st.words[0].text;
  const argIndex = st.inWord ? st.words.length - 2 : st.words.length - 1;
  const info = lookup(name, cx, ctx.settings);
  const spec = info.spec ?? info.specs[0];
  if (!spec) return { isIncomplete: false, items: [] };
  let values: readonly string[] = [];
  if (spec.args & Arg.FLAG && argIndex === 0) values = ['on', 'off'];
  else if (spec.slot === 'enum' && argIndex === 0) values = spec.values;
  else if (spec.slot === 'bitmask') values = spec.values;
  const range = last ? rangeOf(file, last.start, offset) : rangeOf(file, offset, offset);
  for (const v of values) {
    items.push({ label: v, kind: CompletionItemKind.Value, detail: `${name} value`, textEdit: { range, newText: v } });
  }
  return { isIncomplete: false, items };
}

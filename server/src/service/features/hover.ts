/**
 * Hover on a directive name (syntax, default, contexts, module, description, nginx.org link), on a
 * variable (its description, or where the configuration defines it), and on a time or size
 * argument (its value in plain words, e.g. "3600s = 1 hour").
 */
import { definedVariables } from '../analysis/variables';
import { contextOf } from '../analysis/contextAt';
import {
  contextNames, describeArgs, lookup, thirdPartyDocUrl, type DirectiveInfo, type DirectiveSpec,
} from '../knowledge/directiveDb';
import { humanSize, humanTime, parseSize, parseTime } from '../knowledge/units';
import { builtinVariable, variableRefs } from '../knowledge/variables';
import { positionAt } from '../syntax/positions';
import { directiveAt, wordAt } from '../syntax/query';
import type { Directive, Word } from '../syntax/tree';
import type { SourceFile } from '../analysis/types';
import { occurrenceNear } from '../workspace/symbols';
import type { FeatureContext } from './context';
import { templateHover } from '../templates/features';
import { findDefinition } from './navigation';

export interface HoverSection {
  markdown: string;
  start: number;
  end: number;
}

export function getHover(ctx: FeatureContext, offset: number): HoverSection | null {
  // an envsubst placeholder of a template is not an nginx variable
  const placeholder = templateHover(ctx, offset);
  if (placeholder) return placeholder;
  const file = ctx.source.file;
  const d = directiveAt(file, offset);
  if (!d) return null;
  const w = wordAt(d, offset);
  if (!w) return null;
  // a variable under the cursor wins (also inside map entries)
  const v = variableHover(ctx, w, offset);
  if (v) return v;
  if (d.isEntry) return null;
  if (w !== d.nameWord) {
    const sym = symbolHover(ctx, offset);
    if (sym) return sym;
  }
  if (w === d.nameWord) {
    const info = lookup(d.name, contextOf(ctx.view, d), ctx.settings);
    const md = directiveMarkdown(info);
    return md ? { markdown: md, start: w.start, end: w.end } : null;
  }
  return valueHover(ctx, d, w);
}

// ------------------------------------------------------------------ directives

function firstParagraphs(md: string, max = 1200): string {
  if (md.length <= max) return md;
  const cut = md.lastIndexOf('\n\n', max);
  return md.slice(0, cut > 200 ? cut : max) + '\n\n…';
}

/** Markdown describing a directive (shared with completion's documentation). */
export function directiveMarkdown(info: DirectiveInfo, full = true): string | null {
  if (info.status === 'unknown') return null;
  const spec: DirectiveSpec | null = info.spec ?? info.specs[0] ?? null;
  const doc = info.doc;
  const parts: string[] = [];
  const module = doc?.module ?? spec?.module ?? '';
  parts.push(`**${info.name}**${module ? ` — \`${module}\`` : ''}`);
  if (info.status === 'plus') parts.push('*NGINX Plus only: open-source nginx rejects it (setting `nginx.plus`).*');
  if (info.status === 'newer') parts.push('*Not in the configured `nginx.version`: it appeared later.*');
  if (info.status === 'removed') parts.push('*Not in the configured `nginx.version`: nginx removed it.*');
  const versions = spec?.since || spec?.until ? `nginx ${spec.since ? `${spec.since}` : ''}${spec.until ? `… before ${spec.until}` : ' and later'}` : '';
  if (versions) parts.push(`*In ${versions}.*`);
  if (doc) {
    const syn = doc.syntax.map((s) => `\`${info.name}\` ${s}${doc.isBlock ? ' `{ … }`' : ';'}`);
    if (syn.length) parts.push(`**Syntax:** ${syn.join('  \n')}`);
    parts.push(`**Default:** ${doc.default ? `\`${info.name} ${doc.default};\`` : '—'}`);
  } else if (spec) {
    parts.push(`**Arguments:** ${describeArgs(spec.args)}${spec.block ? ', then a block' : ''}`);
  }
  let allowed = 0;
  for (const s of info.specs) allowed |= s.contexts;
  const ctxList = allowed ? contextNames(allowed) : (doc?.contexts ?? []);
  if (ctxList.length) parts.push(`**Context:** ${ctxList.map((c) => `\`${c}\``).join(', ')}`);
  if (spec?.slot === 'enum' || spec?.slot === 'bitmask') parts.push(`**Values:** ${spec.values.map((x) => `\`${x}\``).join(' | ')}`);
  if (full && doc?.description) parts.push(firstParagraphs(doc.description));
  const url = doc?.url ?? (spec ? thirdPartyDocUrl(spec.module, info.name) : null);
  if (url) parts.push(`[Documentation](${url})`);
  else if (spec?.origin === 'custom') parts.push('*Custom directive from `nginx.customDirectives`.*');
  return parts.join('\n\n');
}

// ------------------------------------------------------------------ variables

function variableHover(ctx: FeatureContext, w: Word, offset: number): HoverSection | null {
  if (w.raw.indexOf('$') < 0) return null;
  const rel = offset - w.start;
  const ref = variableRefs(w.raw).find((r) => r.start <= rel && rel <= r.end);
  if (!ref) return null;
  const start = w.start + ref.start;
  const end = w.start + ref.end;
  const name = ref.name;
  if (/^[0-9]$/.test(name)) {
    return { markdown: `**$${name}**: capture group ${name} of the last matched regular expression (location, if, rewrite, server_name, map)`, start, end };
  }
  const defs = definedVariables(ctx.view);
  const def = defs.get(name);
  if (def) {
    const where = placeLink(ctx, def.source, def.start);
    let markdown = `**$${name}**: defined by \`${def.by}\` at ${where}`;
    // a map, geo or split_clients: its entries are what the variable can be
    const owner = directiveAt(def.source.file, def.start);
    if (owner?.block && (def.by === 'map' || def.by === 'geo' || def.by === 'split_clients')) markdown += `\n\n${excerpt(def.source, owner)}`;
    return { markdown, start, end };
  }
  const b = builtinVariable(name);
  if (b) {
    const title = b.prefix ? `**$${name}**: \`$${b.name}NAME\` family` : `**$${name}**`;
    const body = b.description ? `\n\n${firstParagraphs(b.description, 800)}` : '';
    return { markdown: `${title}${b.module ? ` — \`${b.module}\`` : ''}${body}`, start, end };
  }
  return { markdown: `**$${name}**: not built in and not defined in this configuration`, start, end };
}

// ------------------------------------------------------------------ symbols

const SYMBOL_TITLE: Record<string, string> = {
  upstream: 'upstream',
  'named-location': 'named location',
  'log-format': 'log format',
  'limit-req-zone': 'limit_req zone',
  'limit-conn-zone': 'limit_conn zone',
  'cache-zone': 'cache zone',
};

/** An upstream (also in `proxy_pass http://name`), named location, zone or log format: its definition, with a link. */
function symbolHover(ctx: FeatureContext, offset: number): HoverSection | null {
  const occ = occurrenceNear(ctx.source.file, offset);
  if (!occ || occ.kind === 'variable') return null;
  const title = `**${SYMBOL_TITLE[occ.kind] ?? occ.kind} ${occ.kind === 'named-location' ? '@' : ''}${occ.name}**`;
  const defs = findDefinition(ctx, offset);
  if (!defs.length) {
    // `proxy_pass http://name` without an upstream block is a host name, resolved when nginx starts
    const none = occ.kind === 'upstream' ? 'no `upstream` block of this name: nginx resolves it as a host name at startup' : 'not defined in this configuration';
    return { markdown: `${title}: ${none}`, start: occ.start, end: occ.end };
  }
  const parts = [`${title}: defined at ${defs.map((l) => placeLink(ctx, l.source, l.start)).join(', ')}`];
  const d = directiveAt(defs[0].source.file, defs[0].start);
  if (d) parts.push(excerpt(defs[0].source, d));
  return { markdown: parts.join('\n\n'), start: occ.start, end: occ.end };
}

/** `line 12` in this file, else `file.conf:12`, as a link that opens the place. */
function placeLink(ctx: FeatureContext, source: SourceFile, offset: number): string {
  const line = positionAt(source.file, offset).line + 1;
  const label = source.uri === ctx.source.uri ? `line ${line}` : `${source.uri.replace(/^.*\//, '')}:${line}`;
  return source.uri.startsWith('file:') ? `[${label}](${source.uri}#L${line})` : label;
}

/** A directive's text (its first lines for a block), as an nginx code block. */
function excerpt(source: SourceFile, d: Directive, maxLines = 12): string {
  const text = source.file.text;
  const lines = text.slice(d.start, d.end).replace(/\s+$/, '').split('\n');
  // the directive's own indentation comes off every line
  const indent = d.start - text.lastIndexOf('\n', d.start - 1) - 1;
  const shown = lines.slice(0, maxLines).map((l, i) => (i === 0 ? l : l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))));
  if (lines.length > maxLines) shown.push(`    … (${lines.length - maxLines} more lines)`);
  return '```nginx\n' + shown.join('\n').replace(/```/g, '` ` `') + '\n```';
}

// ------------------------------------------------------------------ values

function valueHover(ctx: FeatureContext, d: Directive, w: Word): HoverSection | null {
  const info = lookup(d.name, contextOf(ctx.view, d), ctx.settings);
  const spec = info.spec ?? info.specs[0];
  const index = d.args.indexOf(w);
  let kind: 'msec' | 'sec' | 'size' | 'off' | null = null;
  if (spec && (spec.slot === 'msec' || spec.slot === 'sec' || spec.slot === 'size' || spec.slot === 'off')) kind = index === 0 ? spec.slot : null;
  else if (spec?.slot === 'bufs' && index === 1) kind = 'size';
  else if (/_timeout$|_time$/.test(d.name) || d.name === 'expires') kind = 'msec';
  else if (/_size$/.test(d.name)) kind = 'off';
  if (!kind) {
    // keyword=value parameters (`keys_zone=one:10m`, `max_size=1g`, `inactive=60m`)
    const m = /^(?:max_size|min_free|max_fails|inactive|fail_timeout|slow_start|timeout|valid|expires|size)=(.+)$/.exec(w.value);
    if (m) {
      const t = parseTime(m[1], 'msec');
      const sz = parseSize(m[1], 'off');
      const text = /size|free/.test(w.value) ? (sz !== null ? humanSize(sz) : null) : t !== null ? humanTime(t) : null;
      return text ? { markdown: `\`${w.value}\`: ${text}`, start: w.start, end: w.end } : null;
    }
    return null;
  }
  let words: string | null = null;
  if (kind === 'msec' || kind === 'sec') {
    const t = parseTime(w.value, kind);
    if (t !== null) words = humanTime(kind === 'sec' ? t * 1000 : t);
    else if (spec?.slot === kind) words = 'not a valid time';
  } else {
    const s = parseSize(w.value, kind);
    if (s !== null) words = humanSize(s);
    else if (spec?.slot === kind) words = 'not a valid size';
  }
  if (!words) return null;
  return { markdown: `\`${w.value}\` = ${words}`, start: w.start, end: w.end };
}

/**
 * Editor features on template placeholders: hover (the placeholder, and each value the workspace
 * gives it and where), completion of the known names after `${`, and go to definition onto the
 * line that defines the name (compose `environment:`, `.env`, `env_file`, Dockerfile `ENV`).
 * hover.ts, completion.ts and navigation.ts call these first and fall back to their own.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver-types';
import type { FeatureContext, OffsetLocation } from '../features/context';
import { parse } from '../syntax/parser';
import { rangeOf } from '../syntax/positions';
import { basename, isInside, pathToUri, relative } from '../paths';
import { IMAGE_ENV, type EnvDefinition } from './env';
import { knownNames, templateOf, type Placeholder, type TemplateFile } from './template';

function templateAt(ctx: FeatureContext): TemplateFile | null {
  return templateOf(ctx.workspace, ctx.source.uri, ctx.source.file);
}

export function placeholderAt(t: TemplateFile, offset: number): Placeholder | null {
  for (const p of t.placeholders) if (p.start <= offset && offset < p.end) return p;
  return null;
}

/** `docker-compose.yml:12`, relative to the workspace folder */
function where(ctx: FeatureContext, d: EnvDefinition): string {
  if (!d.path) return d.detail;
  const folder = ctx.workspace.folders.find((f) => isInside(d.path, f));
  const name = folder ? relative(folder, d.path) : basename(d.path);
  const text = ctx.workspace.fs?.readFile(d.path) ?? null;
  const line = text === null ? null : text.slice(0, d.start).split('\n').length;
  return line === null ? name : `${name}:${line}`;
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

export function templateHover(ctx: FeatureContext, offset: number): { markdown: string; start: number; end: number } | null {
  const t = templateAt(ctx);
  if (!t) return null;
  const p = placeholderAt(t, offset);
  if (!p) return null;
  const parts: string[] = [];
  const written = ctx.source.file.text.slice(p.start, p.end);
  parts.push(`**${code(written)}** — envsubst placeholder: ${t.exact ? 'replaced with the values given on the command line' : 'replaced when the container starts (the nginx image renders templates with envsubst)'}, not an nginx variable.`);
  const defs = t.env.defs.get(p.name) ?? [];
  if (defs.length) {
    const lines = defs.map((d) => `- ${d.value === null ? `${code(p.name)} passed through from the host environment` : code(`${p.name}=${d.value}`)} — ${where(ctx, d)}${d.kind === 'compose' ? ` (${d.detail.replace(/ \(.*\)$/, '')})` : d.kind === 'dockerfile' ? ' (Dockerfile ENV)' : ''}`);
    parts.push((defs.length > 1 ? 'Defined in (the first wins in the container):\n' : 'Defined in:\n') + lines.join('\n'));
  } else if (!t.exact && IMAGE_ENV.includes(p.name)) {
    parts.push('Set in every container of the nginx image (its own environment).');
  } else {
    parts.push(`No environment source of the workspace defines it: envsubst then leaves it as written, and nginx reads it as the variable ${code('$' + p.name)}.`);
  }
  if (!t.exact && t.env.filter && !t.env.filter.test(p.name)) parts.push(`*NGINX_ENVSUBST_FILTER (${code(t.env.filter.source)}) leaves it out: it is not substituted.*`);
  return { markdown: parts.join('\n\n'), start: p.start, end: p.end };
}

/** Completion of placeholder names right after `${` (null: not there, let the nginx completion answer). */
export function templateCompletions(ctx: FeatureContext, offset: number): CompletionList | null {
  const text = ctx.source.file.text;
  let s = offset;
  while (s > 0 && /[A-Za-z0-9_]/.test(text[s - 1])) s--;
  if (s < 2 || text[s - 1] !== '{' || text[s - 2] !== '$') return null;
  const t = templateAt(ctx);
  if (!t) return null;
  let e = offset;
  while (e < text.length && /[A-Za-z0-9_]/.test(text[e])) e++;
  if (text[e] === '}') e++;
  const range = rangeOf(ctx.source.file, s - 2, e);
  const items: CompletionItem[] = knownNames(t).map((name) => {
    const d = t.env.defs.get(name)?.[0];
    return {
      label: `\${${name}}`,
      kind: CompletionItemKind.Constant,
      detail: d ? `${d.value === null ? '(from the host)' : d.value} — ${where(ctx, d)}` : 'set in the nginx image',
      filterText: `\${${name}`,
      textEdit: { range, newText: `\${${name}}` },
      sortText: (d ? '0' : '1') + name,
    };
  });
  return { isIncomplete: false, items };
}

/** Where the placeholder under the cursor is defined (null: not on a placeholder). */
export function templateDefinition(ctx: FeatureContext, offset: number): OffsetLocation[] | null {
  const t = templateAt(ctx);
  if (!t) return null;
  const p = placeholderAt(t, offset);
  if (!p) return null;
  const out: OffsetLocation[] = [];
  for (const d of t.env.defs.get(p.name) ?? []) {
    if (!d.path) continue;
    const text = ctx.workspace.fs?.readFile(d.path) ?? null;
    if (text === null) continue;
    out.push({ source: { uri: pathToUri(d.path), file: parse(text) }, start: d.start, end: d.end });
  }
  return out;
}

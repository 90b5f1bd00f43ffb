/**
 * envsubst templates: which files are templates, where their placeholders are, and how they render.
 *
 * What the official nginx image does at start (docker-entrypoint.d/20-envsubst-on-templates.sh):
 * every `*$NGINX_ENVSUBST_TEMPLATE_SUFFIX` (default `.template`) under `$NGINX_ENVSUBST_TEMPLATE_DIR`
 * (default /etc/nginx/templates) is piped through `envsubst "<list>"` into /etc/nginx/conf.d/
 * (included inside `http {}` by the image's nginx.conf); `*.stream-template` files go to
 * stream-conf.d, included inside `stream {}`. The list holds the names of the defined environment
 * variables that match the ERE `$NGINX_ENVSUBST_FILTER`, so envsubst replaces `$NAME` and `${NAME}`
 * for those names only and leaves every other `$word` — nginx's variables — alone.
 *
 * So in a template, `$NAME` is a placeholder when the environment defines NAME (and the filter
 * allows it); `${NAME}` is taken for one whenever it is not an nginx variable (a built-in or one the
 * file defines), because that spelling is what template authors write, and an undefined one is
 * reported by `template-undefined` rather than as an unknown nginx variable.
 */
import { isBuiltinVariable } from '../knowledge/variables';
import { TokenKind, type ParsedFile } from '../syntax/tree';
import { contextComment, contextPath, inferContext } from '../analysis/view';
import type { FileSystem } from '../workspace/fileSystem';
import { basename, isInside, uriToPath } from '../paths';
import { collectEnvironment, IMAGE_ENV, substitutes, type EnvDefinition, type Environment } from './env';
import { PORT_NAME, type Placeholder, type TemplateFile } from '../model/template';

export { PORT_NAME, type Placeholder, type TemplateFile };

const MARKER = /^[ \t]*#[ \t]*nginx:[ \t]*template\b/m;

/** The leading comment lines of a file (where `# nginx: template` may stand). */
function header(text: string): string {
  const m = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(text.slice(0, 4000));
  const end = m ? m[0].length : 0;
  const next = text.indexOf('\n', end);
  return text.slice(0, next < 0 ? Math.min(text.length, 4000) : next);
}

function hasTemplateName(name: string): boolean {
  return name.endsWith('.template') || name.endsWith('.tmpl') || name.endsWith('.stream-template');
}

/**
 * The blocks around a rendered template. Image templates land in conf.d (http) or stream-conf.d
 * (stream) unless the file itself says otherwise: a `# nginx: context=…` comment, or main-level
 * directives (an nginx.conf.template rendered with NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx). Other
 * templates get the context their content suggests, like any lone file.
 */
function outerOf(file: ParsedFile, name: string, image: boolean): string[] {
  const named = contextComment(file.text);
  if (named) return contextPath(named);
  const inferred = inferContext(file);
  if (!image) return inferred;
  if (name.endsWith('.stream-template')) return ['stream'];
  if (inferred.length === 0 && file.children.some((s) => s.kind === 'directive')) return [];
  if (inferred.length === 1 && inferred[0] === 'stream') return ['stream'];
  return ['http'];
}

/** The placeholders of a template's text (comments skipped: what envsubst puts there is never read by nginx). */
export function scanPlaceholders(file: ParsedFile, isPlaceholder: (name: string, braced: boolean) => boolean): Placeholder[] {
  const out: Placeholder[] = [];
  const { text, tokenKinds, tokenStarts, tokenCount } = file;
  if (text.indexOf('$') < 0) return out;
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (let i = 0; i < tokenCount; i++) {
    const k = tokenKinds[i];
    if (k === TokenKind.Comment || k === TokenKind.Space || k === TokenKind.Newline) continue;
    const s = tokenStarts[i];
    const e = i + 1 < tokenCount ? tokenStarts[i + 1] : text.length;
    const t = text.slice(s, e);
    if (t.indexOf('$') < 0) continue;
    re.lastIndex = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      const braced = m[1] !== undefined;
      const name = m[1] ?? m[2];
      if (isPlaceholder(name, braced)) out.push({ name, start: s + m.index, end: s + m.index + m[0].length, braced });
    }
  }
  return out;
}

/** Names the file itself defines as nginx variables (`set $x`, `map … $x`): `${x}` is then theirs. */
function nginxDefined(file: ParsedFile): Set<string> {
  const out = new Set<string>();
  const re = /(?:^|[\s;{])(?:set|map|geo|split_clients|perl_set|js_set)\s+(?:\S+\s+)?\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) out.add(m[1]);
  return out;
}

/** Command-line values (`--env`, `--env-file`) per language service. */
const givenValues = new WeakMap<object, Map<string, string>>();

/** Sets the values templates are rendered with exactly (the CLI's `--env` / `--env-file`); null: none. */
export function setTemplateValues(owner: object, values: Map<string, string> | null): void {
  if (values) givenValues.set(owner, values);
  else givenValues.delete(owner);
}

export interface TemplateHost {
  fs: FileSystem | null;
  folders: string[];
}

function folderPaths(host: TemplateHost): string[] {
  return host.folders.map((f) => (f.startsWith('file:') ? uriToPath(f) ?? f : f));
}

/**
 * The template a document is, or null when it is an ordinary nginx file. Cheap for ordinary
 * files: the environment is read only for a file whose name, folder or first lines say template.
 */
export function templateOf(host: TemplateHost, uri: string, file: ParsedFile): TemplateFile | null {
  const path = uriToPath(uri);
  const name = basename(path ?? uri.replace(/[?#].*$/, ''));
  const marked = MARKER.test(header(file.text));
  const named = hasTemplateName(name);
  const inTemplatesDir = path !== null && /\/templates\//.test(path);
  const given = givenValues.get(host);
  if (!marked && !named && !inTemplatesDir) return null;
  let env = path !== null ? collectEnvironment(host.fs, path, folderPaths(host)) : collectEnvironment(null, '', []);
  const renderedDir = path !== null && env.templateDirs.some((d) => isInside(path, d) && path !== d);
  const image = (named && !name.endsWith('.tmpl')) || renderedDir || (path !== null && name.endsWith(env.suffix) && env.nginxImage);
  if (!marked && !named && !renderedDir && !(path !== null && env.suffix && name.endsWith(env.suffix))) return null;
  let exact = false;
  if (given) {
    // the command line's values replace the workspace's: the render is what envsubst would print
    env = exactEnvironment(given, env);
    exact = true;
  }
  const defined = nginxDefined(file);
  // (with exact values a `${NAME}` without one is still a placeholder, for template-undefined, but renders as written)
  const isPlaceholder = (n: string, braced: boolean) =>
    (exact ? env.defs.has(n) : substitutes(env, n)) || (braced && !isBuiltinVariable(n) && !defined.has(n));
  return { path, env, image, outer: outerOf(file, name, image), placeholders: scanPlaceholders(file, isPlaceholder), exact };
}

function exactEnvironment(values: Map<string, string>, workspace: Environment): Environment {
  const defs = new Map<string, EnvDefinition[]>();
  for (const [name, value] of values) defs.set(name, [{ name, value, path: '', start: 0, end: 0, kind: 'cli', detail: 'command line' }]);
  return { ...workspace, defs, hasSources: true, filter: null };
}

// ------------------------------------------------------------------ rendering

/** One replaced placeholder: template range → rendered range. */
export interface Segment {
  ts: number;
  te: number;
  rs: number;
  re: number;
}

export interface Rendered {
  text: string;
  segments: Segment[];
}

/** The text with each placeholder replaced by `valueOf(p)` (null: left as written). */
export function render(text: string, placeholders: readonly Placeholder[], valueOf: (p: Placeholder, i: number) => string | null): Rendered {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let at = 0;
  let len = 0;
  placeholders.forEach((p, i) => {
    const v = valueOf(p, i);
    if (v === null) return;
    parts.push(text.slice(at, p.start));
    len += p.start - at;
    segments.push({ ts: p.start, te: p.end, rs: len, re: len + v.length });
    parts.push(v);
    len += v.length;
    at = p.end;
  });
  parts.push(text.slice(at));
  return { text: parts.join(''), segments };
}

/**
 * A rendered offset in template coordinates. Outside replaced text it moves with the text; inside
 * a replacement it goes to the placeholder's start (`end` false) or end (`end` true), so a finding
 * on a rendered word covers the template's word.
 */
export function toTemplate(r: Rendered, offset: number, end: boolean): number {
  let delta = 0;
  for (const s of r.segments) {
    if (offset <= s.rs) break;
    if (offset < s.re) return end ? s.te : s.ts;
    delta = s.te - s.re;
  }
  return offset + delta;
}

/** A template offset in rendered coordinates (the start of a replacement for offsets inside a placeholder). */
export function toRendered(r: Rendered, offset: number): number {
  let delta = 0;
  for (const s of r.segments) {
    if (offset < s.ts) break;
    if (offset < s.te) return s.rs;
    delta = s.re - s.te;
  }
  return offset + delta;
}

/** true when the rendered range [start, end) overlaps a replacement */
export function touchesReplacement(r: Rendered, start: number, end: number): boolean {
  return r.segments.some((s) => (start < s.re && s.rs < end) || (start === end && start > s.rs && start < s.re));
}

const SCHEME = /(^|_)(SCHEME|PROTO|PROTOCOL)($|_)/;
const URL_NAME = /(^|_)(URL|URI|ENDPOINT)($|_)/;

/**
 * Stand-in values for a placeholder whose value the analysis does not know: each analysis of the
 * template uses one of them, and a finding is kept only when every analysis reports it, so no
 * value a placeholder might hold makes a false alarm. A name that says what it is (…_PORT, …_URL,
 * …_SCHEME) gets values of that kind only, so `listen ${PORT}x` is still an invalid port. Values
 * differ per name (`${HTTP_PORT}` and `${HTTPS_PORT}` are not one duplicate `listen`).
 */
export function sampleValues(name: string, ordinal: number): string[] {
  const n = name.toUpperCase();
  const port = String(8080 + (ordinal % 900));
  if (PORT_NAME.test(n)) return [port];
  if (SCHEME.test(n)) return ['http'];
  const host = `h${ordinal}.localhost`;
  if (URL_NAME.test(n)) return [`http://${host}`];
  return [host, port, 'on', `http://${host}`, `/srv/h${ordinal}`];
}

/** The value sets of the sampled analyses: one value per placeholder, per analysis. */
export function sampleRenders(placeholders: readonly Placeholder[]): ((p: Placeholder) => string)[] {
  const ordinals = new Map<string, number>();
  for (const p of placeholders) if (!ordinals.has(p.name)) ordinals.set(p.name, ordinals.size);
  const values = new Map<string, string[]>();
  let count = 1;
  for (const [name, i] of ordinals) {
    const v = sampleValues(name, i);
    values.set(name, v);
    count = Math.max(count, v.length);
  }
  const out: ((p: Placeholder) => string)[] = [];
  for (let k = 0; k < count; k++) out.push((p) => { const v = values.get(p.name)!; return v[Math.min(k, v.length - 1)]; });
  return out;
}

/** The value a placeholder renders to with the environment's own values (exact mode), or null. */
export function knownValue(env: Environment, name: string): string | null {
  for (const d of env.defs.get(name) ?? []) if (d.value !== null) return d.value;
  return null;
}

/** The names that complete after `${`: every name the environment defines, and the image's own. */
export function knownNames(t: TemplateFile): string[] {
  const out = new Set<string>(t.env.defs.keys());
  if (!t.exact) for (const n of IMAGE_ENV) out.add(n);
  // (names the filter leaves out are not substituted: offering them would invite template-undefined)
  return [...out].filter((n) => t.exact || substitutes(t.env, n)).sort();
}

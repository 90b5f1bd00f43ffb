/**
 * Shared analysis of the WebSocket rules: which blocks proxy (targets), what their effective proxy
 * configuration is, and the edits their fixes make (insertions indented like the surroundings,
 * replacements, the `$connection_upgrade` map at http scope, possibly in another file).
 *
 * Every rule reads the same `WsFacts`; they are computed once per view and settings object.
 */
import { allDirectives } from '../../../syntax/query';
import { positionAt } from '../../../syntax/positions';
import { indentationAt } from '../../../syntax/positions';
import type { Directive, ParsedFile, Statement } from '../../../syntax/tree';
import type { Settings } from '../../../settings';
import {
  chainFor, effectiveArray, effectiveScalar, findHeader, headerEntries, inheritableArray, parseTime,
  type EffectiveArray, type EffectiveValue, type HeaderEntry,
} from '../../effective';
import type { ConfigView, Finding, Fix, RuleContext, Scope, SourceFile, TextEditAt } from '../../types';

export const MAP_VAR = '$connection_upgrade';
const MAP_VAR_RE = /\$(?:connection_upgrade(?![A-Za-z0-9_])|\{connection_upgrade\})/;

/** Paths that look like a WebSocket endpoint. */
const WS_PATH_RE = /(?:^|[/^])(?:ws|wss|websockets?|socket\.io|sockjs|cable|hubs?|signalr|graphql-ws|engine\.io)(?:[/$?(]|$)/i;
/** Paths whose endpoint also serves long-polling or server-sent events. */
const POLLING_PATH_RE = /(?:^|[/^])(?:socket\.io|sockjs|signalr|engine\.io|sse|event-?stream|events)(?:[/$?(]|$)/i;

/** A block that proxies: a location (or `if`/`limit_except` in one) holding `proxy_pass`, or the top of a location fragment. */
export interface Target {
  /** the block directive, or null for the top level of a location-context fragment */
  owner: Directive | null;
  proxyPass: Directive;
  /** offsets (in the analysed file) of the place findings are reported on */
  start: number;
  end: number;
  /** the location path (last argument of the location), '' when unknown */
  path: string;
}

export interface WsFacts {
  target: Target;
  chain: Scope[];
  headers: EffectiveArray;
  entries: HeaderEntry[];
  upgrade: HeaderEntry | null;
  connection: HeaderEntry | null;
  /** `Upgrade` is forwarded with a non-empty value */
  upgradeForwarded: boolean;
  /** `Connection` is set to `upgrade` or a variable such as `$connection_upgrade` */
  connectionForUpgrade: boolean;
  /** a WebSocket location per RULES.md */
  isWs: boolean;
  /** the path looks like a WebSocket endpoint */
  looksWs: boolean;
  /** the path also serves polling / SSE */
  polling: boolean;
  httpVersion: EffectiveValue;
  readTimeout: EffectiveValue;
  sendTimeout: EffectiveValue;
  buffering: EffectiveValue;
  /** host part of proxy_pass (upstream name candidate), null when it holds variables */
  upstreamName: string | null;
}

// ------------------------------------------------------------------------------ targets and facts

const cache = new WeakMap<ConfigView, { settings: Settings; facts: WsFacts[] }>();

export function wsFacts(ctx: RuleContext | { view: ConfigView; settings: Settings }): WsFacts[] {
  const hit = cache.get(ctx.view);
  if (hit && hit.settings === ctx.settings) return hit.facts;
  const facts = findTargets(ctx.view).map((t) => factsFor(ctx.view, t, ctx.settings));
  cache.set(ctx.view, { settings: ctx.settings, facts });
  return facts;
}

function headerRange(d: Directive): { start: number; end: number } {
  const last = d.args.length ? d.args[d.args.length - 1] : d.nameWord;
  return { start: d.nameWord.start, end: last.end };
}

export function findTargets(view: ConfigView): Target[] {
  const out: Target[] = [];
  const file = view.source.file;
  for (const d of allDirectives(file.children)) {
    if (!d.block || d.isEntry) continue;
    if (d.name !== 'location' && d.name !== 'if' && d.name !== 'limit_except') continue;
    const pp = view.expand(d).find((x) => x.name === 'proxy_pass' && !x.isEntry);
    if (!pp) continue;
    const loc = d.name === 'location' ? d : enclosingLocation(d);
    const path = loc && loc.args.length ? loc.args[loc.args.length - 1].value : '';
    out.push({ owner: d, proxyPass: pp, ...headerRange(d), path });
  }
  const top = view.topScope();
  if (top.context === 'location' || top.context === 'if') {
    const pp = top.directives.find((x) => x.name === 'proxy_pass' && !x.isEntry && view.sourceOf(x) === view.source);
    if (pp) {
      const around = view.scopes(pp).find((s) => s.context === 'location' && s.owner);
      const path = around?.owner?.args.length ? around.owner.args[around.owner.args.length - 1].value : '';
      out.push({ owner: null, proxyPass: pp, start: pp.start, end: pp.end, path });
    }
  }
  return out;
}

function enclosingLocation(d: Directive): Directive | null {
  for (let p = d.parent; p; p = p.parent) if (p.name === 'location') return p;
  return null;
}

export function factsFor(view: ConfigView, target: Target, settings: Settings): WsFacts {
  const chain = chainFor(view, target.owner);
  const headers = effectiveArray(chain, 'proxy_set_header');
  const entries = headerEntries(headers.directives);
  const upgrade = findHeader(entries, 'Upgrade');
  const connection = findHeader(entries, 'Connection');
  const upgradeForwarded = !!upgrade && upgrade.value !== '';
  const cv = connection?.value ?? '';
  const connectionForUpgrade = /upgrade/i.test(cv);
  const cleanPath = target.path.replace(/\\/g, '');
  const pp = target.proxyPass.args[0]?.value ?? '';
  const hostMatch = /^[a-z]+:\/\/([^/:$?]+)(?::\d+)?(?:[/?]|$)/i.exec(pp);
  return {
    target,
    chain,
    headers,
    entries,
    upgrade,
    connection,
    upgradeForwarded,
    connectionForUpgrade,
    isWs: upgradeForwarded || connectionForUpgrade,
    looksWs: WS_PATH_RE.test(cleanPath),
    polling: POLLING_PATH_RE.test(cleanPath),
    httpVersion: effectiveScalar(view, chain, 'proxy_http_version', settings.version),
    readTimeout: effectiveScalar(view, chain, 'proxy_read_timeout', settings.version),
    sendTimeout: effectiveScalar(view, chain, 'proxy_send_timeout', settings.version),
    buffering: effectiveScalar(view, chain, 'proxy_buffering', settings.version),
    upstreamName: hostMatch && !pp.includes('$') ? hostMatch[1] : null,
  };
}

/** The parent level's headers a location with its own proxy_set_header no longer inherits (Upgrade/Connection among them). */
export function droppedHeaders(f: WsFacts): { parent: EffectiveArray; missing: HeaderEntry[] } | null {
  if (!f.headers.local) return null;
  const parent = inheritableArray(f.chain, 'proxy_set_header');
  if (!parent.directives.length) return null;
  const pe = headerEntries(parent.directives);
  const up = findHeader(pe, 'Upgrade');
  const conn = findHeader(pe, 'Connection');
  const parentWs = (!!up && up.value !== '') || (!!conn && /upgrade/i.test(conn.value));
  if (!parentWs) return null;
  const localNames = new Set(f.entries.map((e) => e.header.toLowerCase()));
  const lacksWs = (up && up.value !== '' && !localNames.has('upgrade')) || (conn && /upgrade/i.test(conn.value) && !localNames.has('connection'));
  if (!lacksWs) return null;
  const missing = pe.filter((e) => !localNames.has(e.header.toLowerCase()));
  return { parent, missing };
}

/** Seconds a WebSocket timeout must exceed: the 60 s default, or twice the heartbeat; a value equal to or above the configured `nginx.websocket.timeout` also passes the first test. */
export function timeoutProblem(value: EffectiveValue, settings: Settings): string | null {
  const secs = parseTime(value.value);
  if (secs === null) return null;
  const hb = parseTime(settings.websocket.heartbeatInterval || '') ?? 0;
  const configured = parseTime(settings.websocket.timeout) ?? 3600;
  if (hb > 0 && secs <= hb * 2) {
    return `${value.name} ${value.value} does not exceed twice the heartbeat interval (${settings.websocket.heartbeatInterval} × 2)`;
  }
  if (secs <= 60 && secs < configured) {
    // neutral wording: what the timer does differs between read and send (the rule says which)
    return value.isDefault
      ? `${value.name} is not set, so nginx's default of 60s applies`
      : `${value.name} is only ${value.value}`;
  }
  return null;
}

/** The value timeout fixes write: `nginx.websocket.timeout`, raised above twice the heartbeat when needed. */
export function timeoutFixValue(settings: Settings): string {
  const configured = settings.websocket.timeout || '3600s';
  const hb = parseTime(settings.websocket.heartbeatInterval || '') ?? 0;
  const c = parseTime(configured);
  if (hb > 0 && (c === null || c <= hb * 2)) return `${Math.ceil(hb * 3)}s`;
  return configured;
}

// ------------------------------------------------------------------------------ maps and upstreams


/** The `$connection_upgrade` maps and the upstreams (by name, first wins) of one file: computed once per parsed tree. */
const fileIndexCache = new WeakMap<ParsedFile, { maps: Directive[]; upstreams: Map<string, Directive> }>();

function fileIndex(file: ParsedFile): { maps: Directive[]; upstreams: Map<string, Directive> } {
  let idx = fileIndexCache.get(file);
  if (idx) return idx;
  idx = { maps: [], upstreams: new Map() };
  // maps and upstreams are block directives: skipping the others keeps the lazily parsed words of
  // ordinary directives unmaterialized
  for (const d of allDirectives(file.children)) {
    if (d.isEntry || !d.block) continue;
    if (d.name === 'map' && d.argCount >= 2 && d.args[1].value === MAP_VAR) idx.maps.push(d);
    else if (d.name === 'upstream' && d.argCount > 0 && !idx.upstreams.has(d.args[0].value)) idx.upstreams.set(d.args[0].value, d);
  }
  fileIndexCache.set(file, idx);
  return idx;
}

/**
 * The `$connection_upgrade` maps of the whole configuration. Views are made anew for each
 * validation, so the expensive part (walking each file) is cached per parsed file; joining the
 * per-file lists is a cheap loop (a 10,000-site configuration has a handful of maps).
 */
const mapsCache = new WeakMap<ConfigView, { map: Directive; source: SourceFile }[]>();

export function connectionMaps(view: ConfigView): { map: Directive; source: SourceFile }[] {
  let maps = mapsCache.get(view);
  if (!maps) {
    maps = [];
    for (const source of view.files()) for (const map of fileIndex(source.file).maps) maps.push({ map, source });
    mapsCache.set(view, maps);
  }
  return maps;
}

export function mapDefined(view: ConfigView): boolean {
  const cached = mapsCache.get(view);
  if (cached) return cached.length > 0;
  for (const source of view.files()) if (fileIndex(source.file).maps.length) return true;
  return false;
}

/** nginx uses the first upstream of a name; the analysed file comes first in files(), so a site's own upstream is found at once. */
const upstreamCache = new WeakMap<ConfigView, Map<string, { upstream: Directive; source: SourceFile } | null>>();

export function findUpstream(view: ConfigView, name: string): { upstream: Directive; source: SourceFile } | null {
  let memo = upstreamCache.get(view);
  if (!memo) upstreamCache.set(view, (memo = new Map()));
  const hit = memo.get(name);
  if (hit !== undefined) return hit;
  let found: { upstream: Directive; source: SourceFile } | null = null;
  for (const source of view.files()) {
    const u = fileIndex(source.file).upstreams.get(name);
    if (u) {
      found = { upstream: u, source };
      break;
    }
  }
  memo.set(name, found);
  return found;
}

export function usesMapVar(d: Directive): boolean {
  return d.args.some((a) => MAP_VAR_RE.test(a.value));
}

export function mapEntry(map: Directive, key: string): Directive | null {
  if (!map.block) return null;
  for (const s of map.block.children) if (s.kind === 'directive' && s.name === key) return s;
  return null;
}


// ------------------------------------------------------------------------------ text edits

/** The file's indentation unit: a tab, or the smallest indentation used (default four spaces). */
export function indentUnit(file: ParsedFile): string {
  const text = file.text;
  let best = 0;
  const n = Math.min(file.lineStarts.length, 400);
  for (let i = 0; i < n; i++) {
    const s = file.lineStarts[i];
    let e = s;
    while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
    if (e === s || e >= text.length || text[e] === '\n' || text[e] === '\r' || text[e] === '#') continue;
    if (text[s] === '\t') return '\t';
    const w = e - s;
    if (best === 0 || w < best) best = w;
  }
  return best >= 2 ? ' '.repeat(best) : '    ';
}

function startsLine(file: ParsedFile, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = file.text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

/** Where a statement's line really ends: after its trailing comment when it has one. */
function statementEnd(d: Directive): number {
  return d.trailingComment ? d.trailingComment.end : d.end;
}

function statementsOf(source: SourceFile, owner: Directive | null): Statement[] {
  if (owner) return owner.block ? owner.block.children : [];
  return source.file.children;
}

/** The indentation for a new statement directly inside `owner` (or at the file's top level). */
export function innerIndent(source: SourceFile, owner: Directive | null): string {
  const file = source.file;
  for (const s of statementsOf(source, owner)) {
    if (s.kind === 'directive' && startsLine(file, s.start)) return indentationAt(file, s.start);
  }
  if (!owner) return '';
  return indentationAt(file, owner.start) + indentUnit(file);
}

/**
 * Inserts `lines` (statements without indentation) into the block of `owner` (or the file's top
 * level) after the last direct child named by the first name of `after` that exists, falling back
 * to the start of the block.
 */
export function insertLines(source: SourceFile, owner: Directive | null, lines: string[], after: string[]): TextEditAt {
  const file = source.file;
  const list = statementsOf(source, owner).filter((s): s is Directive => s.kind === 'directive');
  const indent = innerIndent(source, owner);
  let anchor: Directive | null = null;
  for (const name of after) {
    for (const d of list) if (d.name === name) anchor = d;
    if (anchor) break;
  }
  if (anchor) {
    const at = statementEnd(anchor);
    return { source, start: at, end: at, newText: lines.map((l) => '\n' + indent + l).join('') };
  }
  if (owner && owner.block) {
    const at = owner.block.open + 1;
    const closeOnSameLine = owner.block.close >= 0 && !file.text.slice(at, owner.block.close).includes('\n');
    const tail = closeOnSameLine ? '\n' + indentationAt(file, owner.start) : '';
    // keep a comment on the `{` line where it is
    const firstLineEnd = file.text.indexOf('\n', at);
    const rest = file.text.slice(at, firstLineEnd < 0 ? file.text.length : firstLineEnd);
    const insertAt = !closeOnSameLine && /^[ \t]*#/.test(rest) ? at + rest.length : at;
    return { source, start: insertAt, end: insertAt, newText: lines.map((l) => '\n' + indent + l).join('') + tail };
  }
  // top of a fragment: before its first statement, after leading comments
  const first = list[0];
  const at = first ? file.lineStarts[positionAt(file, first.start).line] : file.text.length;
  const prefix = at === file.text.length && at > 0 && !file.text.endsWith('\n') ? '\n' : '';
  return { source, start: at, end: at, newText: prefix + lines.map((l) => indent + l + '\n').join('') };
}

/** Replaces a directive's arguments. */
export function replaceArgs(source: SourceFile, d: Directive, newArgs: string): TextEditAt {
  if (!d.args.length) return { source, start: d.nameWord.end, end: d.nameWord.end, newText: ' ' + newArgs };
  return { source, start: d.args[0].start, end: d.args[d.args.length - 1].end, newText: newArgs };
}

/** The source holding the target's block (where its fixes insert). */
export function targetSource(view: ConfigView, t: Target): SourceFile {
  return (t.owner ? view.sourceOf(t.owner) : view.sourceOf(t.proxyPass)) ?? view.source;
}

/** Text of a directive as written (for copying inherited lines). */
export function directiveText(view: ConfigView, d: Directive): string {
  const src = view.sourceOf(d) ?? view.source;
  return src.file.text.slice(d.start, d.end);
}

const HEADER_ANCHORS = ['proxy_set_header', 'proxy_http_version', 'proxy_pass'];

/**
 * Edits that make the target's effective headers include `wanted` (header → value): replaces the
 * value of a same-named header at the target's own level, otherwise inserts a line; when the target
 * has no proxy_set_header of its own but inherits some, the inherited lines are copied first so the
 * insertion does not drop them.
 */
export function headerEdits(view: ConfigView, f: WsFacts, wanted: [string, string][]): TextEditAt[] {
  const source = targetSource(view, f.target);
  const edits: TextEditAt[] = [];
  const lines: string[] = [];
  const wantedNames = new Set(wanted.map(([h]) => h.toLowerCase()));
  if (!f.headers.local && f.headers.directives.length) {
    for (const d of f.headers.directives) {
      if (!d.args.length || wantedNames.has(d.args[0].value.toLowerCase())) continue;
      lines.push(directiveText(view, d));
    }
  }
  for (const [h, v] of wanted) {
    const local = f.headers.local ? findHeader(f.entries, h) : null;
    if (local && view.sourceOf(local.directive) === source) {
      if (local.value !== v) edits.push(replaceArgs(source, local.directive, `${h} ${v}`));
    } else {
      lines.push(`proxy_set_header ${h} ${v};`);
    }
  }
  if (lines.length) edits.push(insertLines(source, f.target.owner, lines, HEADER_ANCHORS));
  return edits;
}

/** The map block text, lines without the outer indentation. */
export function mapLines(unit: string, emptyValue = 'close'): string[] {
  return [
    `map $http_upgrade ${MAP_VAR} {`,
    `${unit}default upgrade;`,
    `${unit}''      ${emptyValue};`,
    '}',
  ];
}

/**
 * The edit inserting the `$connection_upgrade` map at http scope — inside `http {` in whichever file
 * holds it (a cross-file edit), or at the top of an http-context fragment — or null when the map
 * already exists or there is no http level to put it in.
 */
export function mapEdit(view: ConfigView, chain: Scope[]): TextEditAt | null {
  if (mapDefined(view)) return null;
  let http = chain.find((s) => s.context === 'http' && s.source);
  if (!http) {
    // the chain may stop below http (e.g. a lone location fragment): look for `http {` in the config
    for (const source of view.files()) {
      const h = source.file.children.find((s): s is Directive => s.kind === 'directive' && s.name === 'http' && !!s.block);
      if (h) { http = { owner: h, context: 'http', directives: [], source }; break; }
    }
  }
  if (!http || !http.source) return null;
  const source = http.source;
  const unit = indentUnit(source.file);
  if (http.owner && http.owner.block) {
    const indent = innerIndent(source, http.owner);
    const b = http.owner.block;
    let at = b.open + 1;
    const lineEnd = source.file.text.indexOf('\n', at);
    const rest = source.file.text.slice(at, lineEnd < 0 ? source.file.text.length : lineEnd);
    if (/^[ \t]*(#.*)?\r?$/.test(rest) && lineEnd >= 0) at = lineEnd; // after a comment on the `{` line
    const firstIsDirective = b.children.length > 0;
    const text = mapLines(unit).map((l) => '\n' + indent + l).join('') + (firstIsDirective ? '\n' : '');
    return { source, start: at, end: at, newText: text };
  }
  const edit = insertLines(source, null, mapLines(unit), []);
  return { ...edit, newText: edit.newText + '\n' };
}

// ------------------------------------------------------------------------------ reporting

/** Reports a finding once per place; fixes are computed lazily. */
export function report(ctx: RuleContext, f: Omit<Finding, 'code'> & { code?: string }): void {
  ctx.report(f);
}

/** Where to report something about directive `d` for target `t`: on `d` when it is in the target's own block in the analysed file, otherwise on the target. */
export function placeFor(ctx: RuleContext, t: Target, d: Directive | null): { start: number; end: number } {
  if (d && ctx.view.sourceOf(d) === ctx.source && (t.owner ? isInside(d, t.owner) : true)) return headerRange(d);
  return { start: t.start, end: t.end };
}

function isInside(d: Directive, owner: Directive): boolean {
  for (let p = d.parent; p; p = p.parent) if (p === owner) return true;
  return false;
}

export function related(view: ConfigView, d: Directive | null, message: string): Finding['related'] {
  if (!d) return undefined;
  const source = view.sourceOf(d);
  if (!source) return undefined;
  return [{ source, start: d.start, end: d.end, message }];
}

/**
 * A one-fix list (empty when there is nothing to edit). Insertions at the same place in the same
 * file are merged, in order, so the result does not depend on how a client orders equal positions.
 */
export function fix(title: string, edits: (TextEditAt | null)[], isPreferred = true): Fix[] {
  const list: TextEditAt[] = [];
  for (const e of edits) {
    if (!e) continue;
    const same = list.find((x) => x.source.uri === e.source.uri && x.start === x.end && e.start === e.end && x.start === e.start);
    if (same) same.newText += e.newText;
    else list.push({ ...e });
  }
  return list.length ? [{ title, edits: list, isPreferred }] : [];
}

/**
 * Shared analysis of the WebSocket rules: which blocks proxy (targets), what their effective proxy
 * configuration is, and the edits their fixes make (insertions indented like the surroundings,
 * replacements, the `$connection_upgrade` map at http scope, possibly in another file).
 *
 * Every rule reads the same `WsFacts`; they are computed once per view and settings object.
 */
import { positionAt } from '../../../syntax/positions';
import { indentationAt } from '../../../syntax/positions';
import type { Directive, ParsedFile, Statement } from '../../../syntax/tree';
import { sameIgnoringCase } from '../../../syntax/text';
import type { Settings } from '../../../settings';
import {
  chainFor, effectiveArray, effectiveScalarWith, enclosingChain, findHeader, headerEntries, inheritableArray, parseTime,
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
  /** the directives of the target's own level, includes expanded (`view.expand(owner)`, or the top level's) */
  body: Directive[];
}

/**
 * The effective proxy configuration of one target. What every rule asks (the Upgrade/Connection
 * headers, whether it is a WebSocket location) is computed up front; the rest (scalars, the full
 * header list, the upstream name) only when a rule asks, since most rules look at a few targets
 * only. Properties are read-only: the same facts serve all rules of a validation.
 */
export interface WsFacts {
  readonly target: Target;
  readonly chain: Scope[];
  readonly headers: EffectiveArray;
  /** the proxy_set_header list the level would inherit if it had none of its own (`inheritableArray`) */
  readonly inheritedHeaders: EffectiveArray;
  /** the outer headers the level's own proxy_set_header lines stop (see `droppedHeaders`) */
  readonly dropped: DroppedHeaders | null;
  /** the proxy_set_header lines of `headers` as name/value pairs */
  readonly entries: HeaderEntry[];
  readonly upgrade: HeaderEntry | null;
  readonly connection: HeaderEntry | null;
  /** `Upgrade` is forwarded with a non-empty value */
  readonly upgradeForwarded: boolean;
  /** `Connection` is set to `upgrade` or a variable such as `$connection_upgrade` */
  readonly connectionForUpgrade: boolean;
  /** a WebSocket location per RULES.md */
  readonly isWs: boolean;
  /** the path looks like a WebSocket endpoint */
  readonly looksWs: boolean;
  /** the path also serves polling / SSE */
  readonly polling: boolean;
  readonly httpVersion: EffectiveValue;
  readonly readTimeout: EffectiveValue;
  readonly sendTimeout: EffectiveValue;
  readonly buffering: EffectiveValue;
  /** host part of proxy_pass (upstream name candidate), null when it holds variables */
  readonly upstreamName: string | null;
}

// ------------------------------------------------------------------------------ targets and facts

const cache = new WeakMap<ConfigView, { settings: Settings; facts: WsFacts[] }>();

export function wsFacts(ctx: RuleContext | { view: ConfigView; settings: Settings }): WsFacts[] {
  const hit = cache.get(ctx.view);
  if (hit && hit.settings === ctx.settings) return hit.facts;
  const targets = findTargets(ctx.view);
  const facts = new Array<WsFacts>(targets.length);
  for (let i = 0; i < targets.length; i++) facts[i] = factsFor(ctx.view, targets[i], ctx.settings);
  cache.set(ctx.view, { settings: ctx.settings, facts });
  return facts;
}

/** The span of a directive's name and arguments (the block header of a location). */
function headerRange(d: Directive): { start: number; end: number } {
  // a directive starts with its name: d.start spares materializing the name's word
  return { start: d.start, end: headerEnd(d) };
}

function headerEnd(d: Directive): number {
  // arg() makes a throw-away word: `args` would keep every word of the directive
  const n = d.argCount;
  return n ? d.arg(n - 1)!.end : d.nameWord.end;
}

/** The last argument's value ('' when there is none or no directive): a location's path. */
function lastArgValue(d: Directive | null): string {
  const n = d ? d.argCount : 0;
  return n ? d!.argValue(n - 1)! : '';
}

/** The first `proxy_pass` of a level (entries excluded). */
function proxyPassIn(list: Directive[]): Directive | null {
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (d.name === 'proxy_pass' && !d.isEntry) return d;
  }
  return null;
}

export function findTargets(view: ConfigView): Target[] {
  const out: Target[] = [];
  const blocks = fileIndex(view.source.file).proxyBlocks;
  for (let i = 0; i < blocks.length; i++) {
    const d = blocks[i];
    const body = view.expand(d);
    const pp = proxyPassIn(body);
    if (!pp) continue;
    const n = d.argCount;
    // arg() makes a throw-away word (`args` would keep every word of the directive); a location's
    // last word is both the end of the range and the path
    const last = n ? d.arg(n - 1)! : null;
    const end = last ? last.end : d.nameWord.end;
    const path = d.name === 'location' ? (last ? last.value : '') : lastArgValue(enclosingLocation(d));
    out.push({ owner: d, proxyPass: pp, start: d.start, end, path, body });
  }
  const top = view.topScope();
  if (top.context === 'location' || top.context === 'if') {
    const pp = top.directives.find((x) => x.name === 'proxy_pass' && !x.isEntry && view.sourceOf(x) === view.source);
    if (pp) {
      const around = view.scopes(pp).find((s) => s.context === 'location' && s.owner);
      const path = lastArgValue(around?.owner ?? null);
      out.push({ owner: null, proxyPass: pp, start: pp.start, end: pp.end, path, body: top.directives });
    }
  }
  return out;
}

function enclosingLocation(d: Directive): Directive | null {
  for (let p = d.parent; p; p = p.parent) if (p.name === 'location') return p;
  return null;
}

const UPGRADE_RE = /upgrade/i;
const UPSTREAM_HOST_RE = /^[a-z]+:\/\/([^/:$?]+)(?::\d+)?(?:[/?]|$)/i;

// the yes/no facts, packed in one field: there is one Facts per proxied location of the configuration
const UPGRADE_FORWARDED = 1;
const CONNECTION_FOR_UPGRADE = 2;
const HEADERS_LOCAL = 4;
/** LOOKS_WS and POLLING hold a value once the KNOWN bit is set */
const LOOKS_WS = 8;
const LOOKS_WS_KNOWN = 16;
const POLLING = 32;
const POLLING_KNOWN = 64;

/**
 * WsFacts of one target. A large configuration has thousands of targets and every rule reads their
 * facts, so the object stays small: yes/no facts share one field, and what only some rules (or fixes)
 * need is computed on first use and kept.
 */
class Facts implements WsFacts {
  readonly upgrade: HeaderEntry | null = null;
  readonly connection: HeaderEntry | null = null;
  private flags = 0;
  /** the proxy_set_header lines that apply (`headers.directives`) */
  private readonly headerList: Directive[];
  // the first of each scalar at the target's own level (null: none there), from the one pass over it
  private readonly ownHv: Directive | null = null;
  private readonly ownRt: Directive | null = null;
  private readonly ownSt: Directive | null = null;
  private readonly ownBuf: Directive | null = null;
  // built on first use: most targets are asked only whether they are WebSocket locations
  private chainMemo: Scope[] | undefined;
  private headersMemo: EffectiveArray | undefined;
  private entryList: HeaderEntry[] | undefined;
  private droppedMemo: DroppedHeaders | null | undefined;
  private hv: EffectiveValue | undefined;
  private rt: EffectiveValue | undefined;
  private st: EffectiveValue | undefined;
  private buf: EffectiveValue | undefined;
  private upstream: string | null | undefined;

  constructor(
    private readonly view: ConfigView,
    private readonly version: string,
    readonly target: Target,
  ) {
    // One pass over the target's own level finds its headers and scalars: every pass over a block's
    // directives costs memory reads, and there is such a block for each proxied location.
    const own = target.body;
    let count = 0;
    let firstHeader = -1;
    let lastHeader = -1;
    for (let i = 0; i < own.length; i++) {
      const d = own[i];
      if (d.isEntry) continue;
      switch (d.name) {
        case 'proxy_set_header':
          count++;
          if (firstHeader < 0) firstHeader = i;
          lastHeader = i;
          break;
        case 'proxy_http_version': this.ownHv ??= d; break;
        case 'proxy_read_timeout': this.ownRt ??= d; break;
        case 'proxy_send_timeout': this.ownSt ??= d; break;
        case 'proxy_buffering': this.ownBuf ??= d; break;
      }
    }
    if (count) {
      // the list effectiveArray gives for a level with its own, allocated at its size
      const list = new Array<Directive>(count);
      for (let i = firstHeader, j = 0; i <= lastHeader; i++) {
        const d = own[i];
        if (d.name === 'proxy_set_header' && !d.isEntry) list[j++] = d;
      }
      this.headerList = list;
      this.flags |= HEADERS_LOCAL;
    } else {
      // none here: the next level's that has some apply
      this.headerList = this.inheritedHeaders.directives;
    }
    // the last line of each name counts (findHeader), so one backward pass finds both
    const list = this.headerList;
    for (let i = list.length - 1; i >= 0 && !(this.upgrade && this.connection); i--) {
      const d = list[i];
      if (d.argCount < 1) continue;
      const name = d.argValue(0)!;
      if (!this.upgrade && sameIgnoringCase(name, 'upgrade')) this.upgrade = { header: name, value: d.argValue(1) ?? '', directive: d };
      else if (!this.connection && sameIgnoringCase(name, 'connection')) this.connection = { header: name, value: d.argValue(1) ?? '', directive: d };
    }
    if (this.upgrade && this.upgrade.value !== '') this.flags |= UPGRADE_FORWARDED;
    if (this.connection && UPGRADE_RE.test(this.connection.value)) this.flags |= CONNECTION_FOR_UPGRADE;
  }

  get upgradeForwarded(): boolean {
    return (this.flags & UPGRADE_FORWARDED) !== 0;
  }
  get connectionForUpgrade(): boolean {
    return (this.flags & CONNECTION_FOR_UPGRADE) !== 0;
  }
  get isWs(): boolean {
    return (this.flags & (UPGRADE_FORWARDED | CONNECTION_FOR_UPGRADE)) !== 0;
  }
  get looksWs(): boolean {
    if (!(this.flags & LOOKS_WS_KNOWN)) this.flags |= LOOKS_WS_KNOWN | (WS_PATH_RE.test(this.cleanPath()) ? LOOKS_WS : 0);
    return (this.flags & LOOKS_WS) !== 0;
  }
  get polling(): boolean {
    if (!(this.flags & POLLING_KNOWN)) this.flags |= POLLING_KNOWN | (POLLING_PATH_RE.test(this.cleanPath()) ? POLLING : 0);
    return (this.flags & POLLING) !== 0;
  }
  private cleanPath(): string {
    const path = this.target.path;
    return path.includes('\\') ? path.replace(/\\/g, '') : path;
  }
  get chain(): Scope[] {
    return (this.chainMemo ??= chainFor(this.view, this.target.owner));
  }
  get headers(): EffectiveArray {
    if (!this.headersMemo) {
      if (this.flags & HEADERS_LOCAL) {
        this.headersMemo = { name: 'proxy_set_header', directives: this.headerList, scope: this.chain[0], local: true };
      } else {
        // effectiveArray of the chain: the inherited list, which is not the level's own
        const above = this.inheritedHeaders;
        this.headersMemo = above.directives.length ? { ...above, local: false } : above;
      }
    }
    return this.headersMemo;
  }
  get entries(): HeaderEntry[] {
    return (this.entryList ??= headerEntries(this.headerList));
  }
  get inheritedHeaders(): EffectiveArray {
    // it depends only on the levels above the target, which the blocks of one parent share
    const owner = this.target.owner;
    const parent = owner?.parent;
    if (!owner || !parent) return inheritableArray(this.chain, 'proxy_set_header');
    let memo = inheritedCache.get(this.view);
    if (!memo) inheritedCache.set(this.view, (memo = new Map()));
    let found = memo.get(parent);
    // inheritableArray of the target's chain: the effective list of the levels above its own
    if (!found) memo.set(parent, (found = effectiveArray(enclosingChain(this.view, owner), 'proxy_set_header')));
    return found;
  }
  get dropped(): DroppedHeaders | null {
    if (this.droppedMemo === undefined) this.droppedMemo = (this.flags & HEADERS_LOCAL) ? findDropped(this) : null;
    return this.droppedMemo;
  }
  get httpVersion(): EffectiveValue {
    return (this.hv ??= effectiveScalarWith(this.view, this.chain, 'proxy_http_version', this.ownHv, this.version));
  }
  get readTimeout(): EffectiveValue {
    return (this.rt ??= effectiveScalarWith(this.view, this.chain, 'proxy_read_timeout', this.ownRt, this.version));
  }
  get sendTimeout(): EffectiveValue {
    return (this.st ??= effectiveScalarWith(this.view, this.chain, 'proxy_send_timeout', this.ownSt, this.version));
  }
  get buffering(): EffectiveValue {
    return (this.buf ??= effectiveScalarWith(this.view, this.chain, 'proxy_buffering', this.ownBuf, this.version));
  }
  get upstreamName(): string | null {
    if (this.upstream === undefined) {
      const pp = this.target.proxyPass.argValue(0) ?? '';
      const hostMatch = UPSTREAM_HOST_RE.exec(pp);
      this.upstream = hostMatch && !pp.includes('$') ? hostMatch[1] : null;
    }
    return this.upstream;
  }
}

/** Per view, the proxy_set_header list the children of a block would inherit (see Facts.inheritedHeaders). */
const inheritedCache = new WeakMap<ConfigView, Map<Directive, EffectiveArray>>();

export function factsFor(view: ConfigView, target: Target, settings: Settings): WsFacts {
  return new Facts(view, settings.version, target);
}

/** What a level with its own proxy_set_header no longer inherits (see `droppedHeaders`). */
export interface DroppedHeaders {
  /** the outer list that is not inherited */
  parent: EffectiveArray;
  /** its headers the level does not set itself */
  missing: HeaderEntry[];
}

/** The parent level's headers a location with its own proxy_set_header no longer inherits (Upgrade/Connection among them). */
export function droppedHeaders(f: WsFacts): DroppedHeaders | null {
  return f.dropped;
}

function findDropped(f: WsFacts): DroppedHeaders | null {
  const parent = f.inheritedHeaders;
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

/**
 * The heartbeat and configured timeout in seconds: asked for each location, parsed once per settings
 * (the texts are kept, so a settings object changed in place is parsed again).
 */
const timeoutSettingsCache = new WeakMap<Settings, { heartbeat: string; timeout: string; hb: number; configured: number }>();

function timeoutSettings(settings: Settings): { hb: number; configured: number } {
  const { heartbeatInterval, timeout } = settings.websocket;
  let t = timeoutSettingsCache.get(settings);
  if (!t || t.heartbeat !== heartbeatInterval || t.timeout !== timeout) {
    t = {
      heartbeat: heartbeatInterval,
      timeout,
      hb: parseTime(heartbeatInterval || '') ?? 0,
      configured: parseTime(timeout) ?? 3600,
    };
    timeoutSettingsCache.set(settings, t);
  }
  return t;
}

/** Seconds a WebSocket timeout must exceed: the 60 s default, or twice the heartbeat; a value equal to or above the configured `nginx.websocket.timeout` also passes the first test. */
export function timeoutProblem(value: EffectiveValue, settings: Settings): string | null {
  const secs = parseTime(value.value);
  if (secs === null) return null;
  const { hb, configured } = timeoutSettings(settings);
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

/** What the WebSocket rules look for in one file, found in one walk over it. */
export interface FileIndex {
  /** `map … $connection_upgrade { … }` blocks, in source order */
  maps: Directive[];
  /** upstreams by name (the first of a name wins, as in nginx) */
  upstreams: Map<string, Directive>;
  /** location, if and limit_except blocks (the places that can proxy), in source order */
  proxyBlocks: Directive[];
}

/** Computed once per parsed tree: every validation of an unchanged file reuses it. */
const fileIndexCache = new WeakMap<ParsedFile, FileIndex>();

/** The WebSocket rules' index of a file; exported for the rules that read the analysed file's maps. */
export function fileIndex(file: ParsedFile): FileIndex {
  let idx = fileIndexCache.get(file);
  if (idx) return idx;
  idx = { maps: [], upstreams: new Map(), proxyBlocks: [] };
  // everything indexed is a block directive: the walk reads only the names of directives with a
  // block (keeping the lazily read words of ordinary directives untouched) and builds no flat list
  // of the file's directives
  const visit = (list: Statement[]) => {
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      if (d.kind !== 'directive' || !d.block) continue;
      if (!d.isEntry) {
        const name = d.name;
        if (name === 'location' || name === 'if' || name === 'limit_except') {
          idx!.proxyBlocks.push(d);
        } else if (name === 'map') {
          if (d.argValue(1) === MAP_VAR) idx!.maps.push(d);
        } else if (name === 'upstream' && d.argCount > 0) {
          const upstream = d.argValue(0)!;
          if (!idx!.upstreams.has(upstream)) idx!.upstreams.set(upstream, d);
        }
      }
      visit(d.block.children);
    }
  };
  visit(file.children);
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

/**
 * The upstreams of the whole configuration by name, per view. nginx uses the first upstream of a
 * name, and files() lists the analysed file first, so a site's own upstream wins. Built in one pass
 * over the files' indexes: looking a name up file by file would cost, in a large workspace, a pass
 * over every file for each proxied location.
 */
const upstreamCache = new WeakMap<ConfigView, Map<string, { upstream: Directive; source: SourceFile }>>();

export function findUpstream(view: ConfigView, name: string): { upstream: Directive; source: SourceFile } | null {
  let all = upstreamCache.get(view);
  if (!all) {
    all = new Map();
    for (const source of view.files()) {
      for (const [n, upstream] of fileIndex(source.file).upstreams) if (!all.has(n)) all.set(n, { upstream, source });
    }
    upstreamCache.set(view, all);
  }
  return all.get(name) ?? null;
}

export function usesMapVar(d: Directive): boolean {
  for (let i = 0; i < d.argCount; i++) if (MAP_VAR_RE.test(d.argValue(i)!)) return true;
  return false;
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

/**
 * Proxy targets and their facts, for any rule family and any feature: which blocks proxy
 * (targets), what their effective proxy configuration is (headers, scalars, the upstream, what
 * nginx sends upstream for an upgrade and a plain request), the per-file index of maps, upstreams
 * and proxying blocks, and the proxy-specific edits (headers that keep inherited lines, the
 * `$connection_upgrade` map at http scope, possibly in another file).
 *
 * Every rule reads the same `WsFacts`; they are computed once per view and settings object.
 */
import { timeSeconds } from '../knowledge/units';
import { writtenVersionAtLeast } from '../knowledge/versions';
import type { Directive, ParsedFile, Statement } from '../syntax/tree';
import { sameIgnoringCase } from '../syntax/text';
import type { Settings } from '../settings';
import {
  chainFor, directivesNamed, effectiveArray, effectiveScalar, effectiveScalarWith, HTTP11_DEFAULT_SINCE, enclosingChain, findHeader, headerEntries, inheritableArray,
  type EffectiveArray, type EffectiveValue, type HeaderEntry,
} from './effective';
import type { ConfigView, FindingGroup, RuleContext, Scope, SourceFile, TextEditAt } from './types';
import { directiveText, indentUnit, innerIndent, insertLines, replaceArgs } from './edits';
import { timeoutFixValue, timeoutProblem } from './timeouts';
import {
  evaluate, handshakeOf, hasToken, KEEPALIVE_DEFAULT_SINCE, PLAIN_REQUEST, UPGRADE_REQUEST,
  type ClientRequest, type Handshake, type MapTable, type Request, type Sent,
} from './upgradeModel';

export const MAP_VAR = '$connection_upgrade';
const MAP_VAR_RE = /\$(?:connection_upgrade(?![A-Za-z0-9_])|\{connection_upgrade\})/;

/** Paths that look like a WebSocket endpoint. */
const WS_PATH_RE = /(?:^|[/^])(?:ws|wss|websockets?|socket\.io|sockjs|cable|hubs?|signalr|graphql-ws|engine\.io)(?:[/$?(]|$)/i;
/** Upstream names that say they serve WebSockets (`ws_backend`, `socketio`, `cable`). */
const WS_UPSTREAM_RE = /(?:^|[_.-])(?:ws|wss|websockets?|socket_?io|sockjs|cable|signalr)(?:[_.-]|\d|$)/i;
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
  /** `Connection` asks for the upgrade on a WebSocket handshake: `upgrade`, `$connection_upgrade`, `$http_connection` … */
  readonly connectionForUpgrade: boolean;
  /** certain WebSocket intent: Upgrade forwarded, Connection for the upgrade, WebSocket headers hidden by an inner level, or an upstream named for it */
  readonly isWs: boolean;
  /** likely WebSocket intent (and not certain): a WebSocket-looking path or upstream name, or proxy_buffering off with a long read timeout */
  readonly likelyWs: boolean;
  /** what nginx sends upstream for a WebSocket handshake */
  readonly upgradeRequest: Request;
  /** what nginx sends upstream for a plain request */
  readonly plainRequest: Request;
  /** the handshake as the backend sees it */
  readonly handshake: Handshake;
  /** the proxied upstream keeps idle connections (`keepalive N`, or by default from nginx 1.29.7) */
  readonly upstreamKeepalive: boolean;
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

/**
 * What this module computes for one view, in one memo object: a view is made anew for each
 * validation, so the memo lives exactly as long as that validation's view (the per-file index below
 * is the one cache that outlives a validation, kept per parsed tree).
 */
interface ViewMemo {
  /** the facts of every target, for the settings object they were computed with */
  facts?: { settings: Settings; facts: WsFacts[] };
  /** the proxy_set_header list the children of a block would inherit (see Facts.inheritedHeaders) */
  inherited?: Map<Directive, EffectiveArray>;
  /** header values as sent, per model request (see sentFor) */
  sent?: Map<ClientRequest, Map<string, Sent>>;
  /** every map by the variable it defines */
  mapTable?: MapTable;
  /** the `$connection_upgrade` maps */
  maps?: { map: Directive; source: SourceFile }[];
  /** the upstreams by name */
  upstreams?: Map<string, { upstream: Directive; source: SourceFile }>;
}

const memos = new WeakMap<ConfigView, ViewMemo>();

function memoOf(view: ConfigView): ViewMemo {
  let m = memos.get(view);
  if (!m) memos.set(view, (m = {}));
  return m;
}

export function wsFacts(ctx: RuleContext | { view: ConfigView; settings: Settings }): WsFacts[] {
  const memo = memoOf(ctx.view);
  const hit = memo.facts;
  if (hit && hit.settings === ctx.settings) return hit.facts;
  const targets = findTargets(ctx.view);
  const facts = new Array<WsFacts>(targets.length);
  for (let i = 0; i < targets.length; i++) facts[i] = factsFor(ctx.view, targets[i], ctx.settings);
  memo.facts = { settings: ctx.settings, facts };
  return facts;
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

/**
 * The proxied blocks of the view's file (and its top scope when the file is a location's include).
 * With `from`/`to` (offsets in the file), only the blocks overlapping that span: a block elsewhere
 * cannot hold a proxy_pass of the file in the span (the inlay hints of the visible lines).
 */
export function findTargets(view: ConfigView, from = -Infinity, to = Infinity): Target[] {
  const out: Target[] = [];
  const blocks = fileIndex(view.source.file).proxyBlocks;
  for (let i = 0; i < blocks.length; i++) {
    const d = blocks[i];
    if (d.end < from || d.start > to) continue;
    const body = view.expand(d);
    let pp = proxyPassIn(body);
    if (!pp && d.name === 'if' && d.parent && d.parent.name === 'location' && body.some(isProxyTuning)) {
      // an `if` in a proxying location proxies the requests it matches, with its own proxy_* levels
      // (nginx keeps the location's content handler and copies its upstream into the if's level)
      pp = proxyPassIn(view.expand(d.parent));
    }
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

function isProxyTuning(d: Directive): boolean {
  return !d.isEntry && (d.name === 'proxy_set_header' || d.name === 'proxy_http_version' || d.name === 'proxy_read_timeout');
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
/** IS_WS and LIKELY hold a value once INTENT_KNOWN is set */
const IS_WS = 128;
const LIKELY = 256;
const INTENT_KNOWN = 512;

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
  private upReq: Request | undefined;
  private plainReq: Request | undefined;
  private keep: boolean | undefined;

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
    if (this.connection && connectionAsksUpgrade(view, this.connection.value)) this.flags |= CONNECTION_FOR_UPGRADE;
  }

  /** Intent is asked of every target by most rules: worked out once, cheapest questions first. */
  private intent(): number {
    if (!(this.flags & INTENT_KNOWN)) {
      let bits = INTENT_KNOWN;
      if (this.flags & (UPGRADE_FORWARDED | CONNECTION_FOR_UPGRADE) || this.dropped) bits |= IS_WS;
      else if (this.looksWs || this.upstreamLooksWs() || this.bufferingOffLongRead()) bits |= LIKELY;
      this.flags |= bits;
    }
    return this.flags;
  }
  private upstreamLooksWs(): boolean {
    const name = this.upstreamName;
    return !!name && WS_UPSTREAM_RE.test(name);
  }
  /**
   * Response buffering off with a read timeout above the default, as WebSocket setups write it —
   * but not an upload (request buffering off too) nor an event-stream path, which look the same.
   */
  private bufferingOffLongRead(): boolean {
    if (this.buffering.value !== 'off' || /(?:^|\/)(?:sse|events?|event-?stream|stream|upload)s?(?:[/$?]|$)/i.test(this.target.path)) return false;
    const secs = timeSeconds(this.readTimeout.value);
    if (secs === null || secs <= 60) return false;
    return effectiveScalar(this.view, this.chain, 'proxy_request_buffering', this.version).value !== 'off';
  }
  get likelyWs(): boolean {
    return (this.intent() & LIKELY) !== 0;
  }
  get upgradeRequest(): Request {
    return (this.upReq ??= this.requestFor(UPGRADE_REQUEST));
  }
  get plainRequest(): Request {
    return (this.plainReq ??= this.requestFor(PLAIN_REQUEST));
  }
  private requestFor(req: ClientRequest): Request {
    const up = this.upgrade;
    const conn = this.connection;
    const upgrade = up ? sentFor(this.view, up.value, req) : null;
    // no Connection line: nginx's own, "close" before 1.29.7 and none from it
    const connection = conn ? sentFor(this.view, conn.value, req) : (writtenVersionAtLeast(this.version, HTTP11_DEFAULT_SINCE) ? null : 'close');
    return { upgrade, connection };
  }
  get handshake(): Handshake {
    return handshakeOf(this.upgradeRequest, this.httpVersion.value);
  }
  get upstreamKeepalive(): boolean {
    if (this.keep === undefined) {
      const name = this.upstreamName;
      const up = name ? findUpstream(this.view, name) : null;
      if (!up) this.keep = false;
      else {
        this.keep = upstreamKeepsAlive(this.view, up.upstream, this.version);
      }
    }
    return this.keep;
  }

  get upgradeForwarded(): boolean {
    return (this.flags & UPGRADE_FORWARDED) !== 0;
  }
  get connectionForUpgrade(): boolean {
    return (this.flags & CONNECTION_FOR_UPGRADE) !== 0;
  }
  get isWs(): boolean {
    return (this.intent() & IS_WS) !== 0;
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
    const views = memoOf(this.view);
    const memo = (views.inherited ??= new Map());
    let found = memo.get(parent);
    // inheritableArray of the target's chain: the effective list of the levels above its own
    if (!found) memo.set(parent, (found = effectiveArray(enclosingChain(this.view, owner), 'proxy_set_header')));
    return found;
  }
  get dropped(): DroppedHeaders | null {
    if (this.droppedMemo === undefined) this.droppedMemo = findDropped(this);
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


export function factsFor(view: ConfigView, target: Target, settings: Settings): WsFacts {
  return new Facts(view, settings.version, target);
}

/**
 * WebSocket headers an inner level hides: nginx inherits the proxy_set_header list only into a level
 * that defines none, so any level between the target and the one setting Upgrade/Connection that
 * has a proxy_set_header of its own (the target's own level, or an intermediate server/location)
 * stops them.
 */
export interface DroppedHeaders {
  /** the outer list that is not inherited (the nearest one with WebSocket headers) */
  parent: EffectiveArray;
  /** its headers the effective list does not set */
  missing: HeaderEntry[];
  /** the level whose own proxy_set_header lines hide it (the target's, or an intermediate one) */
  hiding: Scope | null;
  /** lines the target inherits from that intermediate level: a fix at the target must copy them too */
  inherited: Directive[];
}

/** The WebSocket headers a level with its own proxy_set_header hides from the target (see DroppedHeaders). */
export function droppedHeaders(f: WsFacts): DroppedHeaders | null {
  return f.dropped;
}

function isWsEntry(e: HeaderEntry | null, name: 'upgrade' | 'connection'): boolean {
  if (!e || e.value === '') return false;
  return name === 'upgrade' || UPGRADE_RE.test(e.value) || HTTP_CONNECTION_RE.test(e.value);
}

function findDropped(f: WsFacts): DroppedHeaders | null {
  const eff = f.headers;
  // the effective list already forwards the upgrade: nothing that matters is hidden
  if (f.upgradeForwarded && f.connectionForUpgrade) return null;
  const chain = f.chain;
  const from = eff.scope ? chain.indexOf(eff.scope) : -1;
  if (eff.scope && from < 0) return null;
  if (!eff.directives.length) return null;
  // most proxies have no outer proxy_set_header at all: the names are only read when one has some
  let localNames: Set<string> | null = null;
  for (let i = from + 1; i < chain.length; i++) {
    const list = directivesNamed(chain[i].directives, 'proxy_set_header');
    if (!list.length) continue;
    const names = (localNames ??= new Set(f.entries.map((e) => e.header.toLowerCase())));
    const pe = headerEntries(list);
    const up = findHeader(pe, 'Upgrade');
    const conn = findHeader(pe, 'Connection');
    const hidesUp = isWsEntry(up, 'upgrade') && !names.has('upgrade');
    const hidesConn = isWsEntry(conn, 'connection') && !names.has('connection');
    if (!hidesUp && !hidesConn) continue;
    const missing = pe.filter((e) => !names.has(e.header.toLowerCase()));
    return { parent: { name: 'proxy_set_header', directives: list, scope: chain[i], local: false }, missing, hiding: eff.scope, inherited: eff.local ? [] : eff.directives };
  }
  return null;
}

const HTTP_CONNECTION_RE = /\$(?:http_connection|\{http_connection\})(?![A-Za-z0-9_])/i;

/** A Connection value that asks for the upgrade on a WebSocket handshake. */
function connectionAsksUpgrade(view: ConfigView, value: string): boolean {
  if (UPGRADE_RE.test(value) || HTTP_CONNECTION_RE.test(value)) return true;
  if (!value.includes('$')) return false;
  return hasToken(evaluate(view, mapTable(view), value, UPGRADE_REQUEST), 'upgrade');
}

/**
 * A header value as sent for one of the two model requests, per view: the thousand WebSocket
 * locations of a large configuration share a handful of values (`$connection_upgrade`, …).
 */
function sentFor(view: ConfigView, value: string, req: ClientRequest): Sent {
  const views = memoOf(view);
  const byReq = (views.sent ??= new Map());
  let memo = byReq.get(req);
  if (!memo) byReq.set(req, (memo = new Map()));
  let v = memo.get(value);
  if (v === undefined && !memo.has(value)) {
    v = sent(evaluate(view, mapTable(view), value, req));
    memo.set(value, v);
  }
  return v;
}

/** An evaluated header value as sent: '' is not sent (null), unknown stays undefined. */
function sent(v: string | undefined): Sent {
  return v === undefined ? undefined : v === '' ? null : v;
}

/** Per view, every `map` of the configuration by the variable it defines (the first of a name wins). */

export function mapTable(view: ConfigView): MapTable {
  const memo = memoOf(view);
  let t = memo.mapTable;
  if (!t) {
    t = new Map();
    for (const source of view.files()) {
      for (const m of fileIndex(source.file).allMaps) {
        const v = m.argValue(1);
        if (!v || !v.startsWith('$')) continue;
        const name = v.slice(1).replace(/^\{(.*)\}$/, '$1').toLowerCase();
        if (!t.has(name)) t.set(name, m);
      }
    }
    memo.mapTable = t;
  }
  return t;
}

// ------------------------------------------------------------------------------ maps and upstreams

/** What the WebSocket rules look for in one file, found in one walk over it. */
export interface FileIndex {
  /** `map … $connection_upgrade { … }` blocks, in source order */
  maps: Directive[];
  /** every `map` block, in source order */
  allMaps: Directive[];
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
  idx = { maps: [], allMaps: [], upstreams: new Map(), proxyBlocks: [] };
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
          idx!.allMaps.push(d);
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

export function connectionMaps(view: ConfigView): { map: Directive; source: SourceFile }[] {
  const memo = memoOf(view);
  let maps = memo.maps;
  if (!maps) {
    maps = [];
    for (const source of view.files()) for (const map of fileIndex(source.file).maps) maps.push({ map, source });
    memo.maps = maps;
  }
  return maps;
}

export function mapDefined(view: ConfigView): boolean {
  const cached = memos.get(view)?.maps;
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

export function findUpstream(view: ConfigView, name: string): { upstream: Directive; source: SourceFile } | null {
  const memo = memoOf(view);
  let all = memo.upstreams;
  if (!all) {
    all = new Map();
    for (const source of view.files()) {
      for (const [n, upstream] of fileIndex(source.file).upstreams) if (!all.has(n)) all.set(n, { upstream, source });
    }
    memo.upstreams = all;
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


// ------------------------------------------------------------------------------ proxy edits

/** The source holding the target's block (where its fixes insert). */
export function targetSource(view: ConfigView, t: Target): SourceFile {
  return (t.owner ? view.sourceOf(t.owner) : view.sourceOf(t.proxyPass)) ?? view.source;
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

/**
 * What the map's `''` entry should give: `close` (nginx's own choice for plain requests) unless an
 * upstream of the configuration keeps connections alive (`keepalive N`, or any explicit upstream
 * from nginx 1.29.7), where "Connection: close" would stop every plain request's connection from
 * being reused: then `""`, which sends no Connection header (HTTP/1.1 keeps the connection).
 */
export function mapEmptyValue(view: ConfigView, settings: Settings): string {
  const seen = new Set<string>();
  for (const source of view.files()) {
    for (const [name, up] of fileIndex(source.file).upstreams) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (upstreamKeepsAlive(view, up, settings.version)) return '""';
    }
  }
  return 'close';
}

/** An upstream block keeps idle connections: `keepalive N` (N > 0), or none from nginx 1.29.7. */
export function upstreamKeepsAlive(view: ConfigView, upstream: Directive, version: string): boolean {
  let line: Directive | null = null;
  for (const d of view.expand(upstream)) if (d.name === 'keepalive' && !d.isEntry) line = d;
  return line ? line.argValue(0) !== '0' : writtenVersionAtLeast(version, KEEPALIVE_DEFAULT_SINCE);
}

/**
 * The edits that turn a proxying block into a WebSocket proxy the product itself finds nothing
 * wrong with: Upgrade and Connection headers (inherited lines kept), HTTP/1.1 when the effective
 * version is not, a read timeout above the heartbeat when the effective one is too short, the map.
 */
export function websocketProxyEdits(ctx: RuleContext, f: WsFacts): (TextEditAt | null)[] {
  const t = f.target;
  const source = targetSource(ctx.view, t);
  const edits: (TextEditAt | null)[] = [];
  const hv = f.httpVersion;
  if (hv.value !== '1.1') {
    if (hv.directive && hv.local && ctx.view.sourceOf(hv.directive) === source) edits.push(replaceArgs(source, hv.directive, '1.1'));
    // right after proxy_pass, ahead of any header lines inserted at the same place
    else edits.push(insertLines(source, t.owner, ['proxy_http_version 1.1;'], ['proxy_pass']));
  }
  edits.push(...headerEdits(ctx.view, f, [['Upgrade', '$http_upgrade'], ['Connection', MAP_VAR]]));
  const rt = f.readTimeout;
  if (timeoutProblem(rt, ctx.settings, t.path)) {
    const value = timeoutFixValue(ctx.settings);
    if (rt.directive && rt.local && ctx.view.sourceOf(rt.directive) === source) edits.push(replaceArgs(source, rt.directive, value));
    else edits.push(insertLines(source, t.owner, [`proxy_read_timeout ${value};`], ['proxy_read_timeout', 'proxy_set_header', 'proxy_http_version', 'proxy_pass']));
  }
  edits.push(mapEdit(ctx.view, f.chain, ctx.settings));
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
export function mapEdit(view: ConfigView, chain: Scope[], settings: Settings): TextEditAt | null {
  if (mapDefined(view)) return null;
  const empty = mapEmptyValue(view, settings);
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
    const text = mapLines(unit, empty).map((l) => '\n' + indent + l).join('') + (firstIsDirective ? '\n' : '');
    return { source, start: at, end: at, newText: text };
  }
  const edit = insertLines(source, null, mapLines(unit, empty), []);
  return { ...edit, newText: edit.newText + '\n' };
}

// ------------------------------------------------------------------------------ grouping

/**
 * The group of a target's findings: the editor shows them as one diagnostic on the block's opening
 * (analysis/group.ts), or on proxy_pass for the top of a location fragment.
 */
export function groupOf(t: Target): FindingGroup {
  const subject = !t.owner ? 'proxy' : t.owner.name === 'location' ? 'location' : `${t.owner.name} block`;
  return { start: t.start, end: t.end, topic: 'WebSocket', subject };
}

/** The group of a directive's findings: that of the innermost target whose block holds it (none: no target does). */
export function groupAround(ctx: RuleContext, d: Directive): FindingGroup | undefined {
  let byOwner = ownerCache.get(ctx.view);
  if (!byOwner || byOwner.settings !== ctx.settings) {
    byOwner = { settings: ctx.settings, map: new Map() };
    for (const f of wsFacts(ctx)) if (!byOwner.map.has(f.target.owner)) byOwner.map.set(f.target.owner, f.target);
    ownerCache.set(ctx.view, byOwner);
  }
  for (let p = d.parent; p; p = p.parent) {
    const t = byOwner.map.get(p);
    if (t) return groupOf(t);
  }
  const top = byOwner.map.get(null);
  return top ? groupOf(top) : undefined;
}

const ownerCache = new WeakMap<ConfigView, { settings: Settings; map: Map<Directive | null, Target> }>();

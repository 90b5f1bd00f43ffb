/**
 * The CodeLens above each `location`: an example URL that reaches it. The lenses are listed cheaply
 * (one per location header) and each is resolved on its own when the editor shows it: resolving
 * generates candidate requests (features/routeExamples.ts) and routes them with the routing model
 * until one ends at this location. None does: the lens says unreachable, and where the first
 * candidate goes instead.
 */
import { positionAt } from '../syntax/positions';
import type { Directive } from '../syntax/tree';
import type { FeatureContext } from './context';

/** What the lenses read: the file and its first view (no settings: the lens asks the routing model through a callback). */
export type LensContext = Pick<FeatureContext, 'source' | 'view'>;
import {
  hostCandidates,
  locationPathCandidates,
  requestCandidates,
  type ListenEndpoint,
  type LocationPattern,
  type RouteCandidate,
} from './routeExamples';

/** A location header in the analysed file: where its lens goes. */
export interface LocationHeader {
  directive: Directive;
  /** offsets: the directive's name to its `{` (or its end when it has no block) */
  start: number;
  end: number;
}

const headerCache = new WeakMap<object, LocationHeader[]>();

/**
 * The `location` directives of the file that a URI can reach (named and predicate ones have no
 * lens). Kept per parsed tree: every lens the editor resolves looks its location up here.
 */
export function lensLocations(ctx: LensContext): readonly LocationHeader[] {
  let cached = headerCache.get(ctx.source.file);
  if (!cached) {
    cached = collectHeaders(ctx);
    headerCache.set(ctx.source.file, cached);
  }
  return cached;
}

function collectHeaders(ctx: LensContext): LocationHeader[] {
  const out: LocationHeader[] = [];
  const visit = (list: readonly Directive[]): void => {
    for (const d of list) {
      if (d.isEntry) continue;
      if (d.name === 'location' && d.block) {
        const pat = locationPattern(d);
        if (pat && pat.modifier !== '@' && pat.modifier !== '$') out.push({ directive: d, start: d.start, end: d.block.open + 1 });
      }
      // locations live in server, location (nested) and `if` never; the parser's blocks are enough
      if (d.block && (d.name === 'http' || d.name === 'server' || d.name === 'location')) {
        visit(d.block.children.filter((s): s is Directive => s.kind === 'directive'));
      }
    }
  };
  visit(ctx.source.file.children.filter((s): s is Directive => s.kind === 'directive'));
  return out;
}

/** A location's modifier and pattern, split as nginx's ngx_http_core_location does (`=/x` and `~x` joined too). */
export function locationPattern(d: Directive): LocationPattern | null {
  const a = d.argValue(0);
  if (a === undefined) return null;
  if (d.argCount >= 2) {
    const p = d.argValue(1) ?? '';
    return ['=', '~', '~*', '^~'].includes(a) ? { modifier: a, pattern: p } : null;
  }
  if (a.startsWith('=')) return { modifier: '=', pattern: a.slice(1) };
  if (a.startsWith('~*')) return { modifier: '~*', pattern: a.slice(2) };
  if (a.startsWith('~')) return { modifier: '~', pattern: a.slice(1) };
  if (a.startsWith('@')) return { modifier: '@', pattern: a.slice(1) };
  if (a.startsWith('$')) return { modifier: '$', pattern: a };
  return { modifier: '', pattern: a };
}

/**
 * A `listen` directive's endpoint: `80`, `*:80`, `127.0.0.1:8080`, `[::]:443 ssl`, `localhost:80`
 * (a name: any address, as far as this lens can tell). Unix sockets and QUIC have no URL here: null.
 */
export function listenEndpoint(d: Directive): ListenEndpoint | null {
  const a = d.argValue(0);
  if (!a || a.startsWith('unix:')) return null;
  let address = '*';
  let portText = a;
  const v6 = /^(\[[^\]]*\])(?::(\d+))?$/.exec(a);
  if (v6) {
    address = v6[1];
    portText = v6[2] ?? '80';
  } else if (a.includes(':')) {
    const i = a.lastIndexOf(':');
    address = a.slice(0, i);
    portText = a.slice(i + 1);
  } else if (!/^\d+$/.test(a)) {
    address = a; // an address or name alone: port 80
    portText = '80';
  }
  if (!/^\d+$/.test(portText)) return null;
  if (address !== '*' && !/^[\d.]+$/.test(address) && !address.startsWith('[')) address = '*'; // a host name
  const rest = Array.from({ length: d.argCount - 1 }, (_, i) => d.argValue(i + 1) ?? '');
  if (rest.includes('quic')) return null;
  return { address, port: Number(portText), ssl: rest.includes('ssl') };
}

/** The requests to try for a location: its server's names and listens, its own pattern and its parents'. */
export function lensCandidates(ctx: LensContext, d: Directive): RouteCandidate[] {
  const own = locationPattern(d);
  if (!own) return [];
  const parents: LocationPattern[] = [];
  let server: { directives: readonly Directive[] } | null = null;
  for (const scope of ctx.view.scopes(d)) {
    if (scope.context === 'location' && scope.owner) {
      const p = locationPattern(scope.owner);
      if (p) parents.unshift(p);
    } else if (scope.context === 'server') {
      server = scope;
      break;
    }
  }
  const names: string[] = [];
  const listens: ListenEndpoint[] = [];
  for (const s of server?.directives ?? []) {
    if (s.name === 'server_name') for (let i = 0; i < s.argCount; i++) names.push(s.argValue(i) ?? '');
    else if (s.name === 'listen') {
      const ep = listenEndpoint(s);
      if (ep) listens.push(ep);
    }
  }
  return requestCandidates(locationPathCandidates(own, parents), hostCandidates(names), listens);
}

/** What `nginx/route` answers, as far as a lens needs it (features/route.ts RouteResult). */
interface RoutedLocation {
  location: { uri: string; label: string; range: { start: { line: number; character: number } } } | null;
}

/** A resolved lens: its text, and the request the click routes (null: nothing to route). */
export interface ResolvedRouteLens {
  title: string;
  request: RouteCandidate | null;
  /** true when `request` reaches the location; false: it is unreachable as far as the candidates show */
  reaches: boolean;
}

/**
 * Proves the candidates of a location with `route` (the routing model) until one ends at it:
 * "e.g. URL". None does: "unreachable", with where the first candidate goes instead, so the lens
 * never shows a URL that is answered elsewhere.
 */
export function resolveRouteLens(
  ctx: LensContext,
  d: Directive,
  route: (c: RouteCandidate) => RoutedLocation,
): ResolvedRouteLens {
  const candidates = lensCandidates(ctx, d);
  if (!candidates.length) return { title: 'no example URL: the pattern could not be sampled', request: null, reaches: false };
  const file = ctx.source.file;
  // the routing model's location step starts where the directive does
  const { line, character } = positionAt(file, d.start);
  let firstElsewhere: { c: RouteCandidate; r: RoutedLocation } | null = null;
  for (const c of candidates) {
    const r = route(c);
    const loc = r.location;
    if (loc && loc.uri === ctx.source.uri && loc.range.start.line === line && loc.range.start.character === character) {
      return { title: `e.g. ${c.url}`, request: c, reaches: true };
    }
    firstElsewhere ??= { c, r };
  }
  const { c, r } = firstElsewhere!;
  const where = r.location
    ? `${r.location.label}${r.location.uri === ctx.source.uri ? '' : ` in ${r.location.uri.replace(/^.*\//, '')}`} (line ${r.location.range.start.line + 1})`
    : 'no location';
  return { title: `unreachable: ${c.url} goes to ${where}`, request: c, reaches: false };
}

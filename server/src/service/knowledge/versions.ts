/**
 * nginx versions: which release a configured `nginx.version` stands for, and what the generated
 * per-release table (directiveVersions.generated.ts, read from nginx's own sources, release by
 * release) says exists in it: directives, deprecations and the parameters of `listen` and upstream
 * `server`.
 */
import type { Settings } from '../settings';
import { DEPRECATED_ROWS, FIRST_RELEASE, NEWEST_RELEASE, PARAM_ROWS, RELEASES, VARIABLE_ROWS } from './directiveVersions.generated';

export { FIRST_RELEASE, NEWEST_RELEASE, RELEASES };

function parts(v: string): number[] {
  return v.split('.').map((x) => parseInt(x, 10) || 0);
}
/** -1, 0, 1 */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a), pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0, y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const releaseCache = new Map<string, string | null>();
/**
 * The release of the table that `version` stands for, or null when the version is unknown (empty or
 * not a version). "1.26" is the newest 1.26.x read; a release newer than any read ("1.30.6" when the
 * newest tag is 1.30.4, "1.32") is the newest release not above it; one older than the first release
 * read is that first release.
 */
export function releaseOf(version: string | undefined): string | null {
  const v = (version ?? '').trim();
  if (!/^\d+\.\d+(\.\d+)?$/.test(v)) return null;
  let r = releaseCache.get(v);
  if (r !== undefined) return r;
  const ceiling = v.split('.').length === 2 ? `${v}.99999` : v;
  r = FIRST_RELEASE;
  for (const x of RELEASES) if (compareVersions(x, ceiling) <= 0) r = x;
  releaseCache.set(v, r);
  return r;
}

/** Whether `release` lies in [since, until) ('' = open end). */
export function inRange(since: string, until: string, release: string): boolean {
  return (since === '' || compareVersions(release, since) >= 0) && (until === '' || compareVersions(release, until) < 0);
}

/**
 * The version as written is at least `min` ("1.29.7"): "1.29" is 1.29.0 and "nginx/1.22.1" is
 * 1.22.1; false when there is no version in it. For compiled-in defaults that changed in a release,
 * where an unknown version must be taken as an older nginx (see defaultProxyHttpVersion) — unlike
 * versionAtLeast, which asks what the directive tables of the configured release know.
 */
export function writtenVersionAtLeast(version: string, min: string): boolean {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  return !!m && compareVersions(`${m[1]}.${m[2]}.${m[3] ?? 0}`, min) >= 0;
}

/** The configured version is at least `min` ("1.25.1"); an unknown version counts as the newest. */
export function versionAtLeast(settings: Settings | undefined, min: string): boolean {
  const r = releaseOf(settings?.version);
  return r === null || compareVersions(r, min) >= 0;
}

export interface Deprecation {
  /** what nginx says to use instead ('' = nothing: the directive is ignored) */
  use: string;
  since: string;
  until: string;
}

const deprecations = new Map<string, Deprecation[]>();
for (const [name, module, use, since, until] of DEPRECATED_ROWS) {
  const k = `${name} ${module}`;
  const l = deprecations.get(k) ?? [];
  l.push({ use, since, until });
  deprecations.set(k, l);
}

/**
 * nginx's own deprecation of directive `name` of `module` in the configured version (an unknown
 * version: any release that deprecates it), or null.
 */
export function deprecationOf(name: string, module: string, settings: Settings | undefined): Deprecation | null {
  const l = deprecations.get(`${name} ${module}`);
  if (!l) return null;
  const r = releaseOf(settings?.version);
  return l.find((d) => r === null || inRange(d.since, d.until, r)) ?? null;
}

export type ParamHandler = 'listen:http' | 'listen:stream' | 'listen:mail' | 'server:upstream' | 'server:stream_upstream';
export interface ParamFact {
  /** "ssl", or "backlog=" for a parameter with a value */
  name: string;
  deprecated: boolean;
  since: string;
  until: string;
}
const params = new Map<string, ParamFact[]>();
for (const [h, name, dep, since, until] of PARAM_ROWS) {
  const l = params.get(h) ?? [];
  l.push({ name, deprecated: dep === 1, since, until });
  params.set(h, l);
}
// for an unknown version the newest facts come first (a parameter deprecated later is deprecated now)
for (const l of params.values()) l.sort((a, b) => (a.until === '' ? 0 : 1) - (b.until === '' ? 0 : 1));

/** Every fact about the parameters of a handler, in any release. */
export function paramFacts(handler: ParamHandler): readonly ParamFact[] {
  return params.get(handler) ?? [];
}

/**
 * A parameter as the configured version sees it: the fact that applies, or, when none does, why
 * (`newer`: it appeared later, with `since`; `removed`: it existed before `until`; null: never).
 */
export function paramIn(handler: ParamHandler, name: string, settings: Settings | undefined):
  { fact: ParamFact; status: 'ok' | 'newer' | 'removed' } | null {
  const r = releaseOf(settings?.version);
  let other: { fact: ParamFact; status: 'newer' | 'removed' } | null = null;
  for (const f of params.get(handler) ?? []) {
    if (f.name !== name) continue;
    if (r === null || inRange(f.since, f.until, r)) return { fact: f, status: 'ok' };
    other ??= { fact: f, status: f.since !== '' && compareVersions(r, f.since) < 0 ? 'newer' : 'removed' };
  }
  return other;
}

interface VarFact { prefix: boolean; since: string; until: string }
const varExact = new Map<string, VarFact[]>();
const varPrefix = new Map<string, VarFact[]>();
for (const [key, prefix, since, until] of VARIABLE_ROWS) {
  const name = key.slice(key.indexOf(':') + 1);
  const m = prefix ? varPrefix : varExact;
  const l = m.get(name) ?? [];
  l.push({ prefix: prefix === 1, since, until });
  m.set(name, l);
}
const varCache = new Map<string, Map<string, string | null>>();

/**
 * A variable of nginx's own modules that the configured version does not have yet (or any more):
 * the release that has it ("1.29.3"; "" when it was removed), or null when the version has it, the
 * version is unknown, or nginx's own modules never registered it (third-party, run-time names).
 */
export function variableMissingIn(name: string, settings: Settings | undefined): string | null {
  const release = releaseOf(settings?.version);
  if (release === null) return null;
  let cache = varCache.get(release);
  if (!cache) varCache.set(release, (cache = new Map()));
  let r = cache.get(name);
  if (r !== undefined) return r;
  r = null;
  const facts = varExact.get(name) ?? [];
  if (facts.length) {
    if (!facts.some((f) => inRange(f.since, f.until, release))) r = facts.find((f) => f.since && compareVersions(release, f.since) < 0)?.since ?? '';
  } else {
    // prefix families (`$proxy_protocol_tlv_…` from 1.23.2): missing when every family it belongs to is
    let belongs = false;
    let present = false;
    let since = '';
    for (const [p, l] of varPrefix) {
      if (!name.startsWith(p)) continue;
      belongs = true;
      if (l.some((f) => inRange(f.since, f.until, release))) present = true;
      else since = l.find((f) => f.since && compareVersions(release, f.since) < 0)?.since ?? since;
    }
    if (belongs && !present) r = since;
  }
  cache.set(name, r);
  return r;
}

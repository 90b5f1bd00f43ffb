/**
 * nginx's published security advisories (advisories.generated.ts, generated from nginx.org's
 * security_advisories.xml by scripts/generate-advisories.mjs) and which of them a release has.
 */
import { ADVISORY_ROWS } from './advisories.generated';
import { compareVersions, releaseOf } from './versions';

export interface Advisory {
  cve: string;
  name: string;
  /** nginx's own rating: major, medium, low, minor, none */
  severity: string;
  /** the ngx_*_modules (or topics: resolver, http2, http3, …) it concerns */
  modules: readonly string[];
  /** inclusive [first, last] release ranges ('' last = no end) */
  vulnerable: readonly (readonly [string, string])[];
  /** the first fixed release of each branch, newest branch first */
  fixed: readonly string[];
  link: string;
}

export const ADVISORIES: readonly Advisory[] = ADVISORY_ROWS.map(([cve, name, severity, modules, vulnerable, fixed, link]) => ({ cve, name, severity, modules, vulnerable, fixed, link }));

const branch = (v: string) => v.split('.').slice(0, 2).join('.');

/**
 * Whether `release` (x.y.z) has the vulnerability: it lies in a vulnerable range and is not at or
 * after a fix. A fix "1.22.1+" covers the 1.22 branch from 1.22.1 on; the newest fix ("1.23.2+")
 * covers every later release of any branch.
 */
export function isVulnerable(a: Advisory, release: string): boolean {
  const inRange = a.vulnerable.some(([lo, hi]) => compareVersions(release, lo) >= 0 && (hi === '' || compareVersions(release, hi) <= 0));
  if (!inRange) return false;
  const newest = a.fixed.reduce((m, f) => (m === '' || compareVersions(f, m) > 0 ? f : m), '');
  return !a.fixed.some((f) => compareVersions(release, f) >= 0 && (f === newest || branch(f) === branch(release)));
}

/**
 * The release a configured version names for the advisories: a full x.y.z as written (advisories
 * go back to 0.5, before the releases the directive tables read), else the newest release of the
 * branch that the tables know ("1.22" → 1.22.1); null when the version is unknown.
 */
export function advisoryRelease(version: string | undefined): string | null {
  const v = (version ?? '').trim().replace(/^nginx\//, '');
  if (/^\d+\.\d+\.\d+$/.test(v)) return v;
  return releaseOf(v);
}

/** The first release of `release`'s branch (or the newest fix) that fixes the advisory, or null. */
export function fixedFor(a: Advisory, release: string): string | null {
  const same = a.fixed.find((f) => branch(f) === branch(release) && compareVersions(f, release) > 0);
  if (same) return same;
  const later = a.fixed.filter((f) => compareVersions(f, release) > 0).sort(compareVersions);
  return later[0] ?? null;
}

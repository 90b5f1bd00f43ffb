#!/usr/bin/env node
/**
 * Generates server/src/service/knowledge/directiveVersions.generated.ts: for every directive of
 * nginx's own modules (and every parameter of the hand-parsed `listen` and upstream `server`
 * handlers), the range of nginx versions in which it exists with a given shape (contexts, argument
 * bits, slot, values, flags), and which directives nginx itself declares deprecated.
 *
 * Usage:  node scripts/generate-directive-versions.mjs <nginx git dir> [--from 1.22.0] [--out file]
 *
 * The git dir is nginx's public repository (github.com/nginx/nginx; a bare clone is enough). Every
 * `release-X.Y.Z` tag from --from on is read with `git archive <tag> src` into a temporary folder and
 * parsed by scripts/generate-directives.mjs --json (the same parser as the main table), so the facts
 * are nginx's own, release by release; nothing of nginx's sources is kept.
 *
 * Ranges are [since, until): `since` = the first release that has it ('' = already in the first
 * release read), `until` = the first release that no longer has it ('' = still in the newest tag).
 * Releases are ordered by version number, stable branches included (1.26.3 < 1.27.0). A fact that
 * holds for several separate runs of releases in that order (a change backported to a stable branch:
 * `ssl_ocsp` taking any value in 1.28.1 but only from 1.29.3 in mainline) gets one row per run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let gitDir = null;
let from = '1.22.0';
let out = path.resolve(here, '..', 'server/src/service/knowledge/directiveVersions.generated.ts');
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--from') from = argv[++i];
  else if (argv[i] === '--out') out = path.resolve(argv[++i]);
  else gitDir = argv[i];
}
if (!gitDir) {
  console.error('usage: node scripts/generate-directive-versions.mjs <nginx git dir> [--from 1.22.0] [--out file]');
  process.exit(2);
}

const parts = (v) => v.split('.').map(Number);
const cmp = (a, b) => { const x = parts(a), y = parts(b); for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; };
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

const versions = git('tag', '--list', 'release-*').split('\n').map((t) => /^release-(\d+\.\d+\.\d+)$/.exec(t.trim())?.[1])
  .filter((v) => v && cmp(v, from) >= 0).sort(cmp);
if (versions.length === 0) { console.error(`no release tags from ${from} in ${gitDir}`); process.exit(1); }

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-versions-'));
const perVersion = [];
try {
  for (const v of versions) {
    const dir = path.join(tmp, v);
    fs.mkdirSync(dir);
    const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', `release-${v}`, 'src'], { maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    const json = path.join(tmp, `${v}.json`);
    execFileSync(process.execPath, [path.join(here, 'generate-directives.mjs'), dir, '--json', json], { stdio: ['ignore', 'ignore', 'inherit'] });
    const data = JSON.parse(fs.readFileSync(json, 'utf8'));
    if (data.version !== v) throw new Error(`release-${v}: nginx.h says ${data.version}`);
    perVersion.push(data);
    fs.rmSync(dir, { recursive: true, force: true });
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** key → sorted indexes of the versions that have it */
function collect(keysOf) {
  const m = new Map();
  perVersion.forEach((d, i) => { for (const k of keysOf(d)) { const l = m.get(k); if (l) l.push(i); else m.set(k, [i]); } });
  return m;
}
/** the contiguous runs of releases of `idx` as [since, until) pairs (more than one after a backport to a stable branch) */
function ranges(idx) {
  const runs = [];
  let start = 0;
  for (let j = 1; j <= idx.length; j++) {
    if (j < idx.length && idx[j] === idx[j - 1] + 1) continue;
    const a = idx[start], b = idx[j - 1];
    runs.push([a === 0 ? '' : versions[a], b === versions.length - 1 ? '' : versions[b + 1]]);
    start = j;
  }
  return runs;
}
// ngx_iocp_module is Windows-only (the Linux tables never had it)
const WINDOWS_ONLY = new Set(['ngx_iocp_module']);
for (const d of perVersion) d.rows = d.rows.filter((r) => !WINDOWS_ONLY.has(r[1]));
const rowKey = (r) => JSON.stringify([r[0], r[1], r[3], r[4], r[5], r[6], r[7]]);
const rows = [...collect((d) => new Set(d.rows.map(rowKey)))].flatMap(([k, idx]) => ranges(idx).map((r) => [...JSON.parse(k), ...r]));
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : cmp(a[7] || '0.0.0', b[7] || '0.0.0')));
const modules = [...new Set(rows.map((r) => r[1]))].sort();

const deprecated = [...collect((d) => Object.entries(d.deprecated).map(([k, use]) => JSON.stringify([...k.split(' '), use])))]
  .flatMap(([k, idx]) => ranges(idx).map((r) => [...JSON.parse(k), ...r])).sort();

const params = [...collect((d) => Object.entries(d.params).flatMap(([h, ps]) => ps.map((p) => JSON.stringify([h, ...p.split(' ')]))))]
  .flatMap(([k, idx]) => { const [h, p, dep] = JSON.parse(k); return ranges(idx).map((r) => [h, p, dep === 'deprecated' ? 1 : 0, ...r]); })
  .sort((a, b) => (a[0] + a[1] + a[3] < b[0] + b[1] + b[3] ? -1 : 1));

const variables = [...collect((d) => d.variables)]
  .flatMap(([k, idx]) => { const [name, prefix] = k.split(' '); return ranges(idx).map((r) => [name, prefix ? 1 : 0, ...r]); })
  .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

let body = `// GENERATED FILE: DO NOT EDIT.
// What nginx's own modules accept, release by release: every ngx_command_t entry and every parameter
// of the hand-parsed listen/upstream-server handlers of nginx ${versions[0]} to ${versions[versions.length - 1]}
// (${versions.length} release tags of github.com/nginx/nginx, read with git archive), with the range of
// releases [since, until) that has it ('' = since the first release read / still in the newest one;
// releases ordered by number; a fact backported to a stable branch has one row per run).
// Regenerate with:  node scripts/generate-directive-versions.mjs <nginx git dir>
//
// Row: [name, module index, context bits, argument bits, slot, values, flags (as directives.generated.ts), since, until]
// (flags bit 1 "is duplicate": a handler that refuses only a repeat after "… off" — proxy_redirect,
// proxy_cookie_domain/path/flags — is not marked, unlike in the 1.22.1 table of directives.generated.ts)
export const RELEASES: readonly string[] = ${JSON.stringify(versions)};
export const FIRST_RELEASE = ${JSON.stringify(versions[0])};
export const NEWEST_RELEASE = ${JSON.stringify(versions[versions.length - 1])};

export const VERSIONED_MODULES: readonly string[] = ${JSON.stringify(modules)};

export type VersionedRow = readonly [string, number, number, number, string, readonly string[], number, string, string];
export const VERSIONED_ROWS: readonly VersionedRow[] = [
`;
for (const r of rows) {
  body += `  [${JSON.stringify(r[0])}, ${modules.indexOf(r[1])}, ${r[2]}, ${r[3]}, ${JSON.stringify(r[4])}, ${JSON.stringify(r[5])}, ${r[6]}, ${JSON.stringify(r[7])}, ${JSON.stringify(r[8])}],\n`;
}
body += `];

/** Directives whose handler nginx marks deprecated (ngx_conf_deprecated): [name, module, use instead, since, until]. */
export const DEPRECATED_ROWS: readonly (readonly [string, string, string, string, string])[] = ${JSON.stringify(deprecated)};

/**
 * Parameters of hand-parsed handlers ("listen:http", "listen:stream", "listen:mail", "server:upstream",
 * "server:stream_upstream"): [handler, parameter ("name=" when it takes a value), 1 = the handler warns
 * that it is deprecated, since, until].
 */
export const PARAM_ROWS: readonly (readonly [string, string, number, string, string])[] = [
${params.map((p) => `  ${JSON.stringify(p)},`).join('\n')}
];

/** Variables nginx's own modules register statically: ["family:name", 1 = prefix family, since, until]. */
export const VARIABLE_ROWS: readonly (readonly [string, number, string, string])[] = [
${variables.map((p) => `  ${JSON.stringify(p)},`).join('\n')}
];
`;
fs.writeFileSync(out, body);
console.error(`wrote ${rows.length} directive rows, ${params.length} parameter rows from ${versions.length} releases (${versions[0]}..${versions[versions.length - 1]}) to ${path.relative(process.cwd(), out)}`);

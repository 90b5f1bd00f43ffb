/**
 * nginx's security advisories (knowledge/advisories.generated.ts, from nginx.org's
 * security_advisories.xml by scripts/generate-advisories.mjs): the table's shape, the branch
 * semantics of "fixed in", and — when a clone of github.com/nginx/nginx.org is given in
 * $NGINX_ORG_GIT (a git dir) — that the generator reproduces the committed table.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ADVISORIES, advisoryRelease, fixedFor, isVulnerable } from '../../server/src/service/knowledge/advisories';
import { ADVISORIES_SOURCE_COMMIT } from '../../server/src/service/knowledge/advisories.generated';

const byCve = (cve: string) => ADVISORIES.find((a) => a.cve === cve)!;

test('the generated table: every row has a name, ranges, and fixes that are versions', () => {
  assert.ok(ADVISORIES.length >= 50, `${ADVISORIES.length} advisories`);
  for (const a of ADVISORIES) {
    assert.ok(a.name, a.cve);
    assert.ok(a.vulnerable.length > 0, a.cve);
    for (const f of a.fixed) assert.match(f, /^\d+\.\d+\.\d+$/, a.cve);
  }
  const resolver = byCve('CVE-2021-23017');
  assert.deepEqual(resolver.modules, ['resolver']);
  assert.deepEqual(resolver.vulnerable, [['0.6.18', '1.20.0']]);
  assert.deepEqual(resolver.fixed, ['1.21.0', '1.20.1']);
  assert.deepEqual(byCve('CVE-2022-41741').modules, ['ngx_http_mp4_module']);
  // nginx/Windows-only advisories are left out
  assert.equal(ADVISORIES.some((a) => /windows/i.test(a.name)), false);
});

test('a fix covers its branch from that release on; the newest fix every later release', () => {
  const mp4 = byCve('CVE-2022-41741'); // vulnerable 1.1.3-1.23.1, 1.0.7-1.0.15; fixed 1.23.2+, 1.22.1+
  assert.equal(isVulnerable(mp4, '1.22.0'), true);
  assert.equal(isVulnerable(mp4, '1.22.1'), false);
  assert.equal(isVulnerable(mp4, '1.23.1'), true);
  assert.equal(isVulnerable(mp4, '1.23.2'), false);
  assert.equal(isVulnerable(mp4, '1.24.0'), false);
  assert.equal(isVulnerable(mp4, '1.20.2'), true, 'no fix on the 1.20 branch');
  assert.equal(isVulnerable(mp4, '1.0.15'), true);
  assert.equal(isVulnerable(mp4, '1.1.2'), false, 'before the range');
  assert.equal(fixedFor(mp4, '1.22.0'), '1.22.1');
  assert.equal(fixedFor(mp4, '1.20.2'), '1.22.1');
  assert.equal(fixedFor(mp4, '1.23.0'), '1.23.2');
  const all = ADVISORIES.find((a) => a.vulnerable.some(([, hi]) => hi === ''));
  if (all) assert.equal(isVulnerable(all, '1.99.0'), all.fixed.length === 0);
});

test('the target release: a full version as written, a branch as its newest known release', () => {
  assert.equal(advisoryRelease('1.18.0'), '1.18.0');
  assert.equal(advisoryRelease('nginx/1.20.1'), '1.20.1');
  assert.match(advisoryRelease('1.22') ?? '', /^1\.22\.\d+$/);
  assert.equal(advisoryRelease(''), null);
  assert.equal(advisoryRelease('latest'), null);
});

test('scripts/generate-advisories.mjs reproduces the committed table', (t) => {
  const git = process.env.NGINX_ORG_GIT;
  if (!git || !existsSync(git)) {
    t.skip('set NGINX_ORG_GIT to a git dir of github.com/nginx/nginx.org to regenerate');
    return;
  }
  const out = join(mkdtempSync(join(tmpdir(), 'advisories-')), 'advisories.generated.ts');
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'generate-advisories.mjs'), git, '--rev', ADVISORIES_SOURCE_COMMIT, '--out', out]);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(join(__dirname, '..', '..', 'server', 'src', 'service', 'knowledge', 'advisories.generated.ts'), 'utf8'));
});

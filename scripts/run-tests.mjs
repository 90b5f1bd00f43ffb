#!/usr/bin/env node
// `npm test`: builds, runs every node:test suite (unit, lsp, oracle, e2e) and then the real-VS-Code
// suite (code-server), and prints one closing line "N passed, N failed, N skipped" for all of them.
//   npm test                 everything, after the static checks (tsc --noEmit for every tsconfig project,
//                            eslint): each check counts as one test, so a type or lint error fails npm test
//   npm test -- unit lsp     only those folders under test/ (`static` names the checks)
//   NGINX_TEST_SKIP_VSCODE=1 skip the code-server suite (it says so)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const args = process.argv.slice(2);
const groups = args.length ? args : ['static', 'unit', 'lsp', 'oracle', 'e2e', 'vscode'];

const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'node_modules' && name !== 'workspace' && name !== 'runner-ext') find(p, out);
    } else if (/\.test\.(ts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

let passed = 0, failed = 0, skipped = 0;

if (groups.includes('static')) {
  for (const project of tsconfigProjects('.')) {
    const r = check(`tsc --noEmit -p ${project}`, [join('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', project]);
    r ? passed++ : failed++;
  }
  check('eslint', [join('node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings=0', '.']) ? passed++ : failed++;
}

/** Every tsconfig*.json of the repository (outside node_modules and build output). */
function tsconfigProjects(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!['node_modules', 'dist', '.git', 'out', 'fixtures'].includes(name)) tsconfigProjects(p, out);
    } else if (/^tsconfig.*\.json$/.test(name)) out.push(p);
  }
  return out;
}

function check(label, argv) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`${ok ? 'ok' : 'FAILED'}: ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

const nodeGroups = groups.filter((g) => g !== 'vscode' && g !== 'static');
const files = nodeGroups.flatMap((g) => find(join('test', g)));
if (files.length) {
  const tap = join(mkdtempSync(join(tmpdir(), 'nginx-ls-tests-')), 'results.tap');
  const r = spawnSync(process.execPath, [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number((new RegExp(`^# ${k} (\\d+)$`, 'm').exec(summary) ?? [])[1] ?? 0);
  passed += num('pass');
  failed += num('fail') + num('cancelled');
  skipped += num('skipped') + num('todo');
  if (r.status !== 0 && failed === 0) failed++; // the runner itself failed (crash, bad file)
}

if (groups.includes('vscode')) {
  if (process.env.NGINX_TEST_SKIP_VSCODE) {
    console.log('skipped: code-server suite (NGINX_TEST_SKIP_VSCODE is set)');
    skipped++;
  } else if (process.getuid?.() !== 0 && !existsSync('/usr/bin/chromium')) {
    // installing Chromium (and code-server's build dependencies) needs apt, so root
    console.log('skipped: code-server suite (needs Debian chromium; run npm test as root once to install it)');
    skipped++;
  } else if (!existsSync('scripts/vscode-test.mjs')) {
    console.log('skipped: code-server suite (scripts/vscode-test.mjs missing)');
    skipped++;
  } else {
    const r = spawnSync(process.execPath, ['scripts/vscode-test.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(r.stdout ?? '');
    const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m.exec(r.stdout ?? '');
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
      skipped += Number(m[3] ?? 0);
    }
    if (r.status !== 0 && (!m || Number(m[2]) === 0)) failed++;
  }
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
/**
 * Builds the production bundle and packages the extension as a .vsix.
 *
 *   node scripts/package.mjs [--out FILE.vsix] [--no-build]
 *
 * 1. `node esbuild.mjs --production` (minified dist/client.js, dist/server.js)
 * 2. `vsce package --no-dependencies` (everything runtime is bundled; .vscodeignore is an allowlist)
 * 3. checks the archive: size <= 2 MB, has the bundles and the manifest, holds no tests, sources,
 *    source maps or node_modules.
 * Default output: dist/<name>-<version>.vsix. Exit code 1 when a check fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 2 * 1024 * 1024;
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(ROOT, 'dist', `${pkg.name}-${pkg.version}.vsix`));

function run(cmd, argv, opts = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`[package] ${path.basename(cmd)} ${argv.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  return Date.now() - t;
}

// ---- 1. production build
if (!args.includes('--no-build')) {
  if (!fs.existsSync(path.join(ROOT, 'esbuild.mjs'))) {
    console.error('[package] esbuild.mjs is missing: cannot build the bundle');
    process.exit(1);
  }
  const ms = run(process.execPath, ['esbuild.mjs', '--production']);
  console.log(`[package] production build in ${ms} ms`);
}
for (const f of ['dist/client.js', 'dist/server.js']) {
  const p = path.join(ROOT, f);
  if (!fs.existsSync(p)) {
    console.error(`[package] ${f} missing after the build`);
    process.exit(1);
  }
  console.log(`[package] ${f}: ${(fs.statSync(p).size / 1024).toFixed(1)} KiB`);
}

// ---- 2. vsce package, from a staging directory
// vsce globs the whole folder before applying .vscodeignore, which is slow here (.cache/ holds
// code-server's node_modules). So the allowlist in .vscodeignore (its `!` lines) is copied to a
// staging directory first, together with .vscodeignore itself, and vsce packages that.
function allowlist() {
  const lines = fs
    .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).replace(/^\//, ''));
  const files = [];
  for (const pattern of lines) {
    const dir = path.posix.dirname(pattern);
    const base = path.posix.basename(pattern);
    if (dir.includes('*')) throw new Error(`.vscodeignore: wildcards only in the file name: ${pattern}`);
    const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const name of fs.readdirSync(abs)) {
      if (re.test(name) && fs.statSync(path.join(abs, name)).isFile()) files.push(path.posix.join(dir, name));
    }
  }
  return [...new Set(files)];
}
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-vsix-stage-'));
process.on('exit', () => fs.rmSync(stage, { recursive: true, force: true }));
for (const f of [...allowlist(), '.vscodeignore']) {
  fs.mkdirSync(path.join(stage, path.dirname(f)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
}
const vsceArgs = ['package', '--no-dependencies', '-o', out];
if (!pkg.repository) {
  // vsce asks interactively about a missing repository and rewrites relative README links against it
  vsceArgs.push('--allow-missing-repository');
  vsceArgs.push('--baseContentUrl', 'https://example.invalid/nginx-language-support/');
  vsceArgs.push('--baseImagesUrl', 'https://example.invalid/nginx-language-support/');
}
if (!fs.readdirSync(stage).some((f) => /^licen[cs]e(\.|$)/i.test(f))) {
  console.warn('[package] warning: no LICENSE file; packaging with --skip-license');
  vsceArgs.push('--skip-license');
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.rmSync(out, { force: true });
const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const ms = run(process.execPath, [vsce, ...vsceArgs], { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`[package] vsce package in ${ms} ms`);

// ---- 3. checks
/** Lists a zip's entries from its central directory (enough for a .vsix; no zip64). */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      size,
      read: () => {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressed);
        return method === 8 ? zlib.inflateRawSync(data) : data;
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const problems = [];
const size = fs.statSync(out).size;
const entries = zipEntries(out);
const names = entries.map((e) => e.name);
for (const required of ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/docs/rules/ws-map-missing.md', 'extension.vsixmanifest']) {
  if (!names.includes(required)) problems.push(`missing ${required}`);
}
const forbidden = [
  [/(^|\/)test\//, 'tests'],
  [/\.test\.[cm]?[jt]s$/, 'tests'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/\.ts$/, 'TypeScript sources'],
  [/\.map$/, 'source maps'],
  [/\.vsix$/, 'a nested .vsix'],
  [/(^|\/)(\.cache|\.ci|\.git|scripts|server\/src|client\/src)\//, 'repository internals'],
];
for (const name of names) {
  for (const [re, what] of forbidden) {
    if (re.test(name)) problems.push(`${what} in the package: ${name}`);
  }
}
if (size > MAX_BYTES) problems.push(`size ${size} bytes exceeds 2 MB (${MAX_BYTES})`);
const manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json')?.read().toString('utf8') ?? '{}');
if (manifest.main !== './dist/client.js' && manifest.main !== 'dist/client.js') problems.push(`package.json main is ${manifest.main}`);

console.log(`[package] ${path.relative(ROOT, out) || out}: ${(size / 1024).toFixed(1)} KiB, ${entries.length} files`);
for (const e of entries) console.log(`[package]   ${e.name} (${e.size} B)`);
if (problems.length) {
  for (const p of problems) console.error(`[package] FAIL: ${p}`);
  process.exit(1);
}
console.log(`[package] ok: ${(size / 1024 / 1024).toFixed(2)} MB <= 2 MB, no tests, no sources`);

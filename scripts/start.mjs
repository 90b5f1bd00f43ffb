#!/usr/bin/env node
// npm start: builds if needed, then runs nginx-lint over the bundled examples/ (the main job:
// what a user sees in the editor, as CI output). Exits 0: the examples contain mistakes on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

function newest(dir) {
  let t = 0;
  for (const n of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, n.name);
    t = Math.max(t, n.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const built = existsSync('dist/cli.js') && statSync('dist/cli.js').mtimeMs >= newest('server/src');
if (!built) {
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const args = process.argv.slice(2);
console.log(`$ nginx-lint ${args.length ? args.join(' ') : 'examples/'}\n`);
const r = spawnSync(process.execPath, ['bin/nginx-lint.js', ...(args.length ? args : ['examples/'])], { stdio: 'inherit' });
if (!args.length && r.status === 1) console.log('\n(exit code 1: errors found — the examples are broken on purpose; see examples/README.md)');
process.exit(args.length ? (r.status ?? 1) : r.status === 2 ? 2 : 0);

#!/usr/bin/env node
/**
 * Runs the same integration suite (test/vscode/suite) in VS Code desktop via @vscode/test-electron,
 * for machines where VS Code can be downloaded (or is installed).
 *
 *   npm run test:vscode:electron                      downloads VS Code stable into .vscode-test/
 *   VSCODE_EXECUTABLE_PATH=/usr/bin/code npm run test:vscode:electron    uses an installed VS Code
 *   VSCODE_VERSION=1.91.0 npm run test:vscode:electron                    a given version
 *
 * On a headless Linux box run it under a display: `xvfb-run -a npm run test:vscode:electron`.
 * When VS Code cannot be had (no download possible, nothing installed) it prints
 * `skipped: VS Code not available (<why>)` and exits 0; with VSCODE_TEST_REQUIRE=1 that is a failure (exit 2).
 * Otherwise the exit code is VS Code's: 0 when every test passed.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOWNLOAD_TIMEOUT_MS = Number(process.env.VSCODE_DOWNLOAD_TIMEOUT_MS || 120_000);

function skip(reason) {
  console.log(`skipped: VS Code not available (${reason})`);
  if (process.env.VSCODE_TEST_REQUIRE === '1') {
    console.log('0 passed, 1 failed');
    process.exit(2);
  }
  process.exit(0);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const testElectron = await import('@vscode/test-electron');

// 1. a VS Code to run: an installed one, else a download (cached in .vscode-test/)
let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (vscodeExecutablePath) {
  if (!fs.existsSync(vscodeExecutablePath)) skip(`VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist`);
} else {
  try {
    vscodeExecutablePath = await withTimeout(
      testElectron.downloadAndUnzipVSCode({
        version: process.env.VSCODE_VERSION || 'stable',
        cachePath: path.join(ROOT, '.vscode-test'),
      }),
      DOWNLOAD_TIMEOUT_MS,
      'VS Code download',
    );
  } catch (err) {
    skip(`download failed: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  }
}

// 2. the extension (development build) and the suite bundle
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(2);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-vscode-electron-'));
const suiteBundle = path.join(tmp, 'suite', 'index.js');
await esbuild.build({
  entryPoints: [path.join(ROOT, 'test', 'vscode', 'suite', 'index.ts')],
  outfile: suiteBundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
const workspace = path.join(tmp, 'workspace');
fs.cpSync(path.join(ROOT, 'test', 'vscode', 'workspace'), workspace, { recursive: true });

// 3. run: VS Code loads the extension from the repository and calls run() of the suite bundle,
//    which prints each test and `N passed, N failed`, and rejects on failure (exit code != 0).
let code = 1;
try {
  code = await testElectron.runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suiteBundle,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
    ],
    extensionTestsEnv: { NGINX_VSCODE_TEST_GREP: process.env.NGINX_VSCODE_TEST_GREP ?? '' },
  });
} catch (err) {
  console.error(`VS Code test run failed: ${err instanceof Error ? err.message : err}`);
  code = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);

#!/usr/bin/env node
/**
 * Runs the VS Code integration suite (test/vscode/suite) in a real VS Code: code-server, driven by
 * headless Chromium through playwright-core.
 *
 *   node scripts/vscode-test.mjs                 build + package, run the suite, print results
 *   node scripts/vscode-test.mjs --screenshots   take the README screenshots into docs/images/
 *
 * Options:
 *   --vsix FILE       test this .vsix instead of building one with scripts/package.mjs
 *   --grep REGEXP     only run tests whose name matches
 *   --timeout SEC     give up waiting for the suite after SEC seconds (default 300)
 *   --out DIR         screenshots directory (default docs/images)
 *   --keep            keep the temporary directory (code-server log, results, user data)
 *   --no-install      do not run scripts/install-vscode-test-deps.sh first (fails if deps are missing)
 *   --headed          show the browser (needs a display)
 *
 * Steps: install deps (cached) -> package the extension -> bundle + package the runner extension
 * (test/vscode/runner-ext) -> temp user-data/extensions dirs + a copy of test/vscode/workspace ->
 * `code-server --install-extension` both -> start code-server on 127.0.0.1 (auth none) -> open the
 * workspace in Chromium so the extension host starts -> the runner extension runs the suite and
 * streams results to a file -> this script prints them and ends with `N passed, N failed`.
 * Exit code: 0 all passed, 1 a test failed, 2 the harness itself failed (timeout, crash, setup).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// same default as scripts/install-vscode-test-deps.sh
const CACHE =
  process.env.VSCODE_TEST_CACHE ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nginx-ls-vscode-test');
const NODE24 = path.join(CACHE, 'node24', 'node_modules', 'node', 'bin', 'node');
const CODE_SERVER = path.join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RUNNER_DIR = path.join(ROOT, 'test', 'vscode', 'runner-ext');
const WORKSPACE_FIXTURE = path.join(ROOT, 'test', 'vscode', 'workspace');
const EXTENSION_ID = 'nginx-ls.nginx-language-support';

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const SCREENSHOTS = flag('--screenshots');
const KEEP = flag('--keep') || !!process.env.VSCODE_TEST_KEEP;
const TIMEOUT_MS = Number(option('--timeout', '300')) * 1000;
const GREP = option('--grep', process.env.NGINX_VSCODE_TEST_GREP || '');
const OUT_DIR = path.resolve(option('--out', path.join(ROOT, 'docs', 'images')));
const VSIX_ARG = option('--vsix', '');

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[vscode-test ${elapsed()}] ${msg}`);

class HarnessError extends Error {}

// ---------------------------------------------------------------- helpers
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    const out = opts.capture ? `\n${r.stdout ?? ''}${r.stderr ?? ''}` : '';
    throw new HarnessError(`${path.basename(cmd)} ${argv.join(' ')} failed (exit ${r.status ?? r.signal})${out}`);
  }
  return r;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until truthy; `what` names it in the timeout error. No fixed sleeps elsewhere. */
async function waitFor(what, probe, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new HarnessError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastErr ? ` (${lastErr.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- build steps
function ensureDeps() {
  if (!flag('--no-install')) {
    run('bash', [path.join(ROOT, 'scripts', 'install-vscode-test-deps.sh')]);
  }
  for (const [what, file] of [
    ['Node 24', NODE24],
    ['code-server', CODE_SERVER],
    ['Chromium', CHROMIUM],
  ]) {
    if (!fs.existsSync(file)) {
      throw new HarnessError(`${what} not found at ${file}; run: bash scripts/install-vscode-test-deps.sh`);
    }
  }
}

function buildExtensionVsix(tmp) {
  if (VSIX_ARG) {
    const vsix = path.resolve(VSIX_ARG);
    if (!fs.existsSync(vsix)) throw new HarnessError(`--vsix ${vsix} does not exist`);
    return vsix;
  }
  const out = path.join(tmp, 'nginx-language-support.vsix');
  log('packaging the extension (scripts/package.mjs)');
  run(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs'), '--out', out]);
  return out;
}

async function buildRunnerVsix(tmp) {
  log('bundling the test runner extension + suite');
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(RUNNER_DIR, 'src', 'extension.ts')],
    outfile: path.join(RUNNER_DIR, 'out', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const out = path.join(tmp, 'nginx-ls-vscode-test-runner.vsix');
  run(
    process.execPath,
    [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', out],
    { cwd: RUNNER_DIR, capture: true },
  );
  return out;
}

function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

// ---------------------------------------------------------------- code-server
function codeServerArgs(tmp) {
  return [
    CODE_SERVER,
    '--config', path.join(tmp, 'code-server-config.yaml'),
    '--user-data-dir', path.join(tmp, 'user-data'),
    '--extensions-dir', path.join(tmp, 'extensions'),
  ];
}

function installExtensions(tmp, vsixes) {
  log(`installing ${vsixes.map((v) => path.basename(v)).join(', ')} into code-server`);
  const argv = [...codeServerArgs(tmp)];
  for (const v of vsixes) argv.push('--install-extension', v);
  const r = run(NODE24, argv, { capture: true, env: codeServerEnv(tmp, {}) });
  const out = `${r.stdout}${r.stderr}`;
  if (/failed|error/i.test(out) && !/successfully installed/i.test(out)) throw new HarnessError(`--install-extension: ${out}`);
  const listed = run(NODE24, [...codeServerArgs(tmp), '--list-extensions', '--show-versions'], {
    capture: true,
    env: codeServerEnv(tmp, {}),
  }).stdout;
  if (!listed.toLowerCase().includes(EXTENSION_ID)) throw new HarnessError(`${EXTENSION_ID} not installed; code-server lists:\n${listed}`);
  log(`installed: ${listed.trim().split('\n').join(', ')}`);
}

function codeServerEnv(tmp, extra) {
  const env = { ...process.env, ...extra };
  // keep code-server's own state (and ~/.config/code-server) out of the user's home
  env.XDG_CONFIG_HOME = path.join(tmp, 'xdg-config');
  env.XDG_DATA_HOME = path.join(tmp, 'xdg-data');
  // no extension gallery: nothing here may reach the internet (an empty serviceUrl disables it)
  env.EXTENSIONS_GALLERY = JSON.stringify({ serviceUrl: '', itemUrl: '', resourceUrlTemplate: '' });
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

async function startCodeServer(tmp, env) {
  const port = await freePort();
  const logFile = path.join(tmp, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(
    NODE24,
    [
      ...codeServerArgs(tmp),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      '--log', 'info',
    ],
    { env: codeServerEnv(tmp, env), stdio: ['ignore', logFd, logFd], detached: true },
  );
  fs.closeSync(logFd);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = `code ${code ?? signal}`;
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `code-server to listen on ${url}`,
    async () => {
      if (exited) throw new HarnessError(`code-server exited (${exited}):\n${tail(logFile)}`);
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.ok;
    },
    60_000,
    100,
  ).catch((err) => {
    if (err instanceof HarnessError && /exited/.test(err.message)) throw err;
    throw new HarnessError(`${err.message}\n${tail(logFile)}`);
  });
  return {
    url,
    logFile,
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      await waitFor('code-server to stop', () => exited, 10_000, 50).catch(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      });
    },
  };
}

// ---------------------------------------------------------------- browser
async function openWorkbench(url, workspaceDir, consoleLog) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !flag('--headed'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLog.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
  await page.goto(`${url}/?folder=${encodeURIComponent(workspaceDir)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return { browser, page };
}

// ---------------------------------------------------------------- results
function readJsonLines(file) {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

function printResult(r) {
  const mark = r.status === 'passed' ? 'ok  ' : 'FAIL';
  console.log(`${mark} ${r.name} (${r.durationMs} ms)`);
  if (r.error) console.log(`     ${r.error.replace(/\n/g, '\n     ')}`);
}

/** Waits for the runner extension's results file, printing each test as its progress line arrives. */
async function collectResults(resultsFile, server, page, onTick) {
  const progressFile = `${resultsFile}.progress`;
  let printed = 0;
  let startedLogged = false;
  const drain = () => {
    const lines = readJsonLines(progressFile);
    for (const ev of lines) {
      if (ev.event === 'start' && !startedLogged) {
        startedLogged = true;
        log(`extension host is running the suite (VS Code ${ev.vscodeVersion}, mode ${ev.mode})`);
      }
    }
    const results = lines.filter((e) => e.event === 'result');
    for (; printed < results.length; printed++) printResult(results[printed]);
  };
  const summary = await waitFor(
    startedLogged ? 'the suite to finish' : 'the extension host to start the suite',
    async () => {
      if (server.exited()) throw new HarnessError(`code-server exited (${server.exited()})`);
      if (page.isClosed()) throw new HarnessError('the browser page closed');
      drain();
      if (onTick) await onTick();
      if (!fs.existsSync(resultsFile)) return null;
      return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    },
    TIMEOUT_MS,
    150,
  );
  drain();
  return summary;
}

// ---------------------------------------------------------------- screenshots
/** Serves the runner's screenshot steps: waits for N.ready, acts on its hints, photographs, writes N.done. */
function screenshotServer(stepsDir, page) {
  let next = 1;
  let busy = false;
  const taken = [];
  return {
    taken,
    tick: async () => {
      if (busy) return;
      const ready = path.join(stepsDir, `${next}.ready`);
      if (!fs.existsSync(ready)) return;
      busy = true;
      const done = { ok: true };
      let step = { name: `step ${next}` };
      try {
        step = JSON.parse(fs.readFileSync(ready, 'utf8'));
        if (step.skip) {
          log(`screenshot '${step.name}' not taken: ${step.error}`);
        } else {
          await page.mouse.move(500, 783); // park the mouse on the empty middle of the status bar
          if (step.hover || step.hoverText) {
            // a real mouse hover; squiggles sit under the text layer, so move to their centre
            // rather than asking playwright to hover the (covered) decoration element
            const el = step.hover
              ? page.locator(step.hover).first()
              : page.locator('.monaco-editor .view-lines span span').filter({ hasText: new RegExp(`^${step.hoverText}$`) }).first();
            await el.waitFor({ state: 'visible', timeout: 20_000 });
            const box = await el.boundingBox();
            if (!box) throw new Error(`${step.hover} has no box`);
            await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2, { steps: 5 });
            await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4, { steps: 2 });
          }
          if (step.keys) {
            await page.keyboard.press(step.keys);
          }
          if (step.waitFor) {
            await page.locator(step.waitFor).first().waitFor({ state: 'visible', timeout: 20_000 });
          }
          if (step.waitForText) {
            await page.locator(step.waitFor).filter({ hasText: new RegExp(step.waitForText) }).first().waitFor({ state: 'visible', timeout: 20_000 });
          }
          // let the widget finish its fade-in animation: wait until two frames look the same
          await waitForStableFrame(page);
          const file = path.join(OUT_DIR, `${step.name}.png`);
          fs.mkdirSync(OUT_DIR, { recursive: true });
          await page.screenshot({ path: file });
          taken.push(file);
          log(`screenshot ${path.relative(ROOT, file)}`);
        }
      } catch (err) {
        done.ok = false;
        done.error = `driver: ${err instanceof Error ? err.message.split('\n')[0] : err}`;
        log(`screenshot '${step.name}' failed: ${done.error}`);
        // keep the page for inspection
        fs.mkdirSync(OUT_DIR, { recursive: true });
        await page.screenshot({ path: path.join(os.tmpdir(), `nginx-vscode-failed-${step.name}.png`) }).catch(() => undefined);
      } finally {
        await page.keyboard.press('Escape').catch(() => undefined);
        fs.writeFileSync(path.join(stepsDir, `${next}.done`), JSON.stringify(done));
        next++;
        busy = false;
      }
    },
  };
}

async function waitForStableFrame(page) {
  let prev = null;
  await waitFor(
    'the page to stop animating',
    async () => {
      const buf = await page.screenshot();
      const same = prev !== null && buf.equals(prev);
      prev = buf;
      return same;
    },
    10_000,
    100,
  );
}

// ---------------------------------------------------------------- main
async function main() {
  ensureDeps();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-vscode-test-'));
  const consoleLog = [];
  let server;
  let browser;
  let exitCode = 2;
  try {
    const vsix = buildExtensionVsix(tmp);
    const runnerVsix = await buildRunnerVsix(tmp);

    const workspaceDir = path.join(tmp, 'workspace');
    fs.cpSync(WORKSPACE_FIXTURE, workspaceDir, { recursive: true });
    const resultsFile = path.join(tmp, 'results.json');
    const mode = SCREENSHOTS ? 'screenshots' : 'test';
    writeUserSettings(path.join(tmp, 'user-data'), {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'extensions.ignoreRecommendations': true,
      'git.enabled': false,
      'editor.minimap.enabled': false,
      'editor.hover.delay': 100,
      'window.title': 'nginx-language-support',
      'nginxTestRunner.resultsFile': resultsFile,
      'nginxTestRunner.mode': mode,
    });
    fs.writeFileSync(path.join(tmp, 'code-server-config.yaml'), 'auth: none\ncert: false\n');
    installExtensions(tmp, [vsix, runnerVsix]);

    const env = {
      NGINX_VSCODE_TEST_RESULTS: resultsFile,
      NGINX_VSCODE_TEST_MODE: mode,
      NGINX_VSCODE_TEST_GREP: GREP,
    };
    server = await startCodeServer(tmp, env);
    log(`code-server ${server.url} up; opening the workspace in Chromium`);
    const opened = await openWorkbench(server.url, workspaceDir, consoleLog);
    browser = opened.browser;
    const page = opened.page;
    await waitFor('the workbench to render', () => page.locator('.monaco-workbench').count(), 120_000, 250);
    log('workbench rendered; waiting for the extension host');

    const shots = SCREENSHOTS ? screenshotServer(`${resultsFile}.steps`, page) : null;
    const summary = await collectResults(resultsFile, server, page, shots?.tick);

    if (SCREENSHOTS) {
      for (const s of summary.steps ?? []) console.log(`${s.ok ? 'ok  ' : 'FAIL'} screenshot ${s.name}${s.error ? `: ${s.error}` : ''}`);
      console.log(`${summary.passed} passed, ${summary.failed} failed`);
      exitCode = summary.failed === 0 ? 0 : 1;
      return;
    }
    if (summary.crashed) {
      console.log(`the runner extension crashed: ${summary.crashed}`);
    }
    for (const [k, v] of Object.entries(summary.info ?? {})) log(`${k}: ${v}`);
    log(`suite ran ${summary.results.length} tests in ${(summary.durationMs / 1000).toFixed(1)}s`);
    if (summary.results.length === 0 && !summary.crashed) {
      console.log('no test ran (check --grep)');
      summary.failed = Math.max(summary.failed, 1);
    }
    console.log(`${summary.passed} passed, ${summary.failed} failed`);
    exitCode = summary.failed === 0 ? 0 : 1;
  } catch (err) {
    console.error(`[vscode-test] harness error: ${err instanceof Error ? err.message : err}`);
    if (server) console.error(`--- code-server log (tail) ---\n${tail(server.logFile)}`);
    if (consoleLog.length) console.error(`--- browser console (tail) ---\n${consoleLog.slice(-20).join('\n')}`);
    if (!SCREENSHOTS) console.log('0 passed, 1 failed');
    exitCode = 2;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (KEEP) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
    log(`done (exit ${exitCode})`);
  }
  process.exitCode = exitCode;
}

await main();

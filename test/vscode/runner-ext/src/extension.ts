/**
 * Test-only extension installed next to nginx-language-support in code-server.
 *
 * On startup it reads where to report (env NGINX_VSCODE_TEST_RESULTS, else setting
 * nginxTestRunner.resultsFile; nothing set: it does nothing) and the mode (env NGINX_VSCODE_TEST_MODE
 * or setting nginxTestRunner.mode):
 *   test         run the suite (test/vscode/suite); one JSON line per finished test goes to
 *                `<results>.progress` as it happens, the summary to `<results>` at the end.
 *   screenshots  walk through the UI states the driver photographs (see screenshots.ts).
 * Any crash is reported into the results file too, so the driver never waits for nothing.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { describeError, runTests } from '../../suite/index';
import { runScreenshotSteps } from './screenshots';

let started = false;

export function activate(): void {
  const config = vscode.workspace.getConfiguration('nginxTestRunner');
  const resultsFile = process.env.NGINX_VSCODE_TEST_RESULTS || config.get<string>('resultsFile') || '';
  if (!resultsFile || started) return;
  // A reloaded window activates us again: never run twice into the same file.
  if (fs.existsSync(resultsFile)) return;
  started = true;
  const mode = process.env.NGINX_VSCODE_TEST_MODE || config.get<string>('mode') || 'test';
  const grepSource = process.env.NGINX_VSCODE_TEST_GREP || '';
  void main(resultsFile, mode, grepSource);
}

async function main(resultsFile: string, mode: string, grepSource: string): Promise<void> {
  const progress = `${resultsFile}.progress`;
  const write = (data: unknown): void => {
    // write-then-rename so the driver never reads half a file
    fs.writeFileSync(`${resultsFile}.tmp`, JSON.stringify(data, null, 2));
    fs.renameSync(`${resultsFile}.tmp`, resultsFile);
  };
  try {
    fs.writeFileSync(progress, `${JSON.stringify({ event: 'start', mode, vscodeVersion: vscode.version })}\n`);
    if (mode === 'screenshots') {
      const shots = await runScreenshotSteps(`${resultsFile}.steps`);
      write({ mode, passed: shots.filter((s) => s.ok).length, failed: shots.filter((s) => !s.ok).length, steps: shots });
      return;
    }
    const summary = await runTests({
      grep: grepSource ? new RegExp(grepSource) : undefined,
      onResult: (r) => fs.appendFileSync(progress, `${JSON.stringify({ event: 'result', ...r })}\n`),
    });
    write({ mode, ...summary });
  } catch (err) {
    write({ mode, passed: 0, failed: 1, crashed: describeError(err), results: [] });
  }
}

export function deactivate(): void {}

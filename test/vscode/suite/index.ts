/**
 * The integration suite, run inside a real VS Code extension host.
 *
 *  - code-server: the runner extension (test/vscode/runner-ext) calls runTests() and writes JSON.
 *  - @vscode/test-electron: this module is the `extensionTestsPath`; VS Code calls run().
 */
import { runTests, type RunSummary, type TestResult } from './harness';
import './activation.test';
import './diagnostics.test';
import './hover.test';
import './completion.test';
import './codeactions.test';
import './snippets.test';
import './formatting.test';
import './templates.test';
import './editor.test';
import './routing.test';
import './traffic.test';

export { runTests, registeredTests, info, describeError } from './harness';
export type { RunSummary, TestResult };

/** @vscode/test-electron entry point: rejects when any test failed. */
export async function run(): Promise<void> {
  const grep = process.env.NGINX_VSCODE_TEST_GREP ? new RegExp(process.env.NGINX_VSCODE_TEST_GREP) : undefined;
  const summary = await runTests({
    grep,
    onResult: (r) => console.log(`${r.status === 'passed' ? 'ok  ' : 'FAIL'} ${r.name} (${r.durationMs} ms)${r.error ? `\n     ${r.error.replace(/\n/g, '\n     ')}` : ''}`),
  });
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}

/**
 * A tiny test harness for the VS Code extension host (no mocha: nothing to bundle or configure).
 *
 * Tests register with `test(name, fn)`; `runTests()` runs them in order, each under its own timeout,
 * and reports every result through `onResult` as soon as it is known (the runner extension streams
 * these to a file the code-server driver tails). Waiting is done by polling (`waitFor`), never by
 * fixed sleeps.
 */

export interface TestResult {
  name: string;
  status: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export interface RunSummary {
  passed: number;
  failed: number;
  durationMs: number;
  results: TestResult[];
  /** what the harness found about the environment (VS Code version, extension version, ...) */
  info: Record<string, unknown>;
}

interface RegisteredTest {
  name: string;
  fn: () => Promise<void> | void;
  timeoutMs: number;
}

const registered: RegisteredTest[] = [];
const DEFAULT_TIMEOUT_MS = 30_000;

export function test(name: string, fn: () => Promise<void> | void, options: { timeoutMs?: number } = {}): void {
  if (registered.some((t) => t.name === name)) throw new Error(`duplicate test name: ${name}`);
  registered.push({ name, fn, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
}

export function registeredTests(): readonly { name: string }[] {
  return registered;
}

export const info: Record<string, unknown> = {};

export interface RunOptions {
  /** only run tests whose name matches */
  grep?: RegExp;
  onResult?: (r: TestResult) => void;
}

export async function runTests(options: RunOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  const results: TestResult[] = [];
  for (const t of registered) {
    if (options.grep && !options.grep.test(t.name)) continue;
    const t0 = Date.now();
    let error: string | undefined;
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeoutMs, `test timed out after ${t.timeoutMs} ms`);
    } catch (err) {
      error = describeError(err);
    }
    const r: TestResult = {
      name: t.name,
      status: error === undefined ? 'passed' : 'failed',
      durationMs: Date.now() - t0,
      ...(error === undefined ? {} : { error }),
    };
    results.push(r);
    options.onResult?.(r);
  }
  return {
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    durationMs: Date.now() - started,
    results,
    info,
  };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const stack = (err.stack ?? '').split('\n').slice(1, 4).join('\n');
    return `${err.message}${stack ? `\n${stack}` : ''}`;
  }
  return String(err);
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Polls `probe` until it returns something truthy (or a promise of it) and returns that value.
 * On timeout throws, describing `what` and the last value seen (or the last error thrown by probe).
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number; describeLast?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError
        ? `; last error: ${describeError(lastError)}`
        : options.describeLast
          ? `; last state: ${options.describeLast()}`
          : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Real nginx for tests: `nginx -t` on a text, and a running nginx under a throwaway prefix.
 * Everything is bounded by timeouts; callers stop what they start in `after`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = '/usr/sbin/nginx';

/** Why real nginx cannot be used here, or null when it can. */
export function nginxUnavailable(): string | null {
  if (!existsSync(NGINX)) return `${NGINX} is not installed`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (nginx needs root for its default temp paths and workers)';
  return null;
}

export function makePrefix(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `nginx-${tag}-`));
  for (const d of ['logs', 'conf', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  return dir;
}

export function removePrefix(dir: string): void {
  try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}

/** Runs `nginx -t` on a configuration text (written to <prefix>/conf/<name>); returns ok and nginx's output. */
export function nginxTest(text: string, name = 'nginx.conf', prefix?: string): { ok: boolean; output: string } {
  const own = !prefix;
  const p = prefix ?? makePrefix('t');
  try {
    const conf = join(p, 'conf', name);
    writeFileSync(conf, text);
    // keep the pid file in the prefix unless the config says where it goes
    const pid = /^\s*pid\s/m.test(text) ? [] : ['-g', `pid ${join(p, 'nginx.pid')};`];
    const r = spawnSync(NGINX, ['-t', '-p', p, '-e', join(p, 'logs', 'error.log'), '-c', conf, ...pid], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
  } finally {
    if (own) removePrefix(p);
  }
}

/** A free TCP port on 127.0.0.1 (chosen by the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A running nginx in the foreground (`daemon off`, so the spawned process is the master and stopping
 * it stops the workers). Configs must set `pid` inside the prefix (see `pidDirective`): `-s reload`
 * reads it to find the master, and nothing here may touch a system nginx's /run/nginx.pid.
 */
export class RunningNginx {
  private proc: ReturnType<typeof spawn> | null = null;
  output = '';
  readonly conf: string;
  readonly pidFile: string;
  /** `bin`: the nginx binary (another version's, e.g. from test/oracle/nginxVersions.ts) */
  constructor(readonly prefix: string, readonly bin: string = NGINX) {
    this.conf = join(prefix, 'conf', 'nginx.conf');
    this.pidFile = join(prefix, 'nginx.pid');
  }
  /** the line every config run by this class must contain */
  get pidDirective(): string {
    return `pid ${this.pidFile};`;
  }
  private args(extra: string[]): string[] {
    return ['-p', this.prefix, '-e', join(this.prefix, 'logs', 'error.log'), '-c', this.conf, ...extra];
  }
  writeConfig(text: string): void {
    if (!text.includes(this.pidDirective)) throw new Error(`config for ${this.prefix} must contain "${this.pidDirective}"`);
    writeFileSync(this.conf, text);
  }
  test(): { ok: boolean; output: string } {
    const r = spawnSync(this.bin, this.args(['-t']), { encoding: 'utf8', timeout: 15_000 });
    return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
  }
  start(): void {
    this.proc = spawn(this.bin, this.args(['-g', 'daemon off;']), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout?.on('data', (b) => (this.output += b));
    this.proc.stderr?.on('data', (b) => (this.output += b));
  }
  get exited(): boolean {
    return !this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null;
  }
  reload(): { ok: boolean; output: string } {
    const r = spawnSync(this.bin, this.args(['-s', 'reload']), { encoding: 'utf8', timeout: 15_000 });
    return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
  }
  /** Stops nginx (TERM, then KILL after a bound); safe to call twice. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (p && !this.exited) {
      const done = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGTERM');
      const t = setTimeout(() => { try { p.kill('SIGKILL'); } catch { /* gone */ } }, 5_000);
      await Promise.race([done, sleep(8_000)]);
      clearTimeout(t);
    }
    // belt and braces: a master recorded in this prefix's pid file that is still alive
    try {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      if (pid > 1 && pid !== p?.pid) process.kill(pid, 'SIGTERM');
    } catch { /* no pid file, or already gone */ }
  }
}

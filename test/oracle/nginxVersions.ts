/**
 * The real nginx binaries of each version the tests compare with, and `nginx -t` of one file with
 * one of them. 1.22.1 is Debian bookworm's /usr/sbin/nginx (nginx-extras); 1.26.3 and 1.30.6 live in
 * /opt/nginx-<version> (scripts/install-nginx-versions.sh; NGINX_VERSIONS_OPT=DIR looks elsewhere).
 * A version that is not installed (or a machine without root, which the sandbox needs) gives a skip
 * reason instead of a result.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface NginxVersion {
  /** the `nginx.version` setting that describes it */
  setting: '1.22' | '1.26' | '1.30';
  /** the exact release */
  release: string;
  bin: string;
  /** the dynamic modules of that build */
  modules: string;
  /** lua-resty-core of that build ('' = the system's) */
  lua: string;
}

const OPT = process.env.NGINX_VERSIONS_OPT ?? '/opt';
export const NGINX_VERSIONS: readonly NginxVersion[] = [
  { setting: '1.22', release: '1.22.1', bin: '/usr/sbin/nginx', modules: '/usr/lib/nginx/modules', lua: '' },
  { setting: '1.26', release: '1.26.3', bin: `${OPT}/nginx-1.26.3/sbin/nginx`, modules: `${OPT}/nginx-1.26.3/modules`, lua: `${OPT}/nginx-1.26.3/share/lua/5.1` },
  { setting: '1.30', release: '1.30.6', bin: `${OPT}/nginx-1.30.6/sbin/nginx`, modules: `${OPT}/nginx-1.30.6/modules`, lua: `${OPT}/nginx-1.30.6/share/lua/5.1` },
];

const reasons = new Map<string, string | false>();
/** Why `nginx -t` of this version cannot run here, or false when it can. */
export function nginxSkipReason(v: NginxVersion): string | false {
  let r = reasons.get(v.release);
  if (r !== undefined) return r;
  if (!fs.existsSync(v.bin)) r = `nginx ${v.release} not installed at ${v.bin} (run scripts/install-nginx-versions.sh as root)`;
  else if (process.getuid?.() !== 0) r = `nginx -t of ${v.release} runs in an unshare sandbox, which needs root`;
  else {
    const out = versionOutput(v.bin);
    r = out.includes(`nginx/${v.release}`) ? false : `${v.bin} is not nginx ${v.release} (${out.trim() || 'no output'})`;
  }
  reasons.set(v.release, r);
  return r;
}

/** `nginx -v` (which prints to stderr) */
function versionOutput(bin: string): string {
  try {
    return execFileSync('sh', ['-c', '"$0" -v 2>&1', bin], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    return '';
  }
}

export function nginxVersion(setting: string): NginxVersion {
  const v = NGINX_VERSIONS.find((x) => x.setting === setting || x.release === setting);
  if (!v) throw new Error(`no nginx ${setting} in NGINX_VERSIONS`);
  return v;
}

export interface NginxResult {
  valid: boolean;
  /** nginx's first [emerg] (else [alert]/[crit]) line, without the time stamp; '' when valid */
  message: string;
  /** nginx's first [warn] line ('' = none) */
  warning: string;
}

const WRAP: Record<string, [string, string]> = {
  main: ['', ''],
  http: ['events {}\nhttp {\n', '\n}\n'],
  server: ['events {}\nhttp {\nserver {\n', '\n}\n}\n'],
  location: ['events {}\nhttp {\nserver {\nlocation / {\n', '\n}\n}\n}\n'],
  stream: ['events {}\nstream {\n', '\n}\n'],
};

/** Every dynamic module of the version, in a load order nginx accepts (ndk first, stream/mail before their submodules). */
function moduleLines(v: NginxVersion): string[] {
  if (!fs.existsSync(v.modules)) return [];
  const rank = (b: string) => (b.startsWith('ndk_') ? 10 : b === 'ngx_stream_module.so' || b === 'ngx_mail_module.so' ? 20 : b.startsWith('ngx_stream_') ? 70 : 50);
  return fs.readdirSync(v.modules).filter((b) => b.endsWith('.so')).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map((b) => `load_module ${path.join(v.modules, b)};`);
}

/**
 * `nginx -t` of `text` with nginx `v`, the text included in `context` (main: a whole nginx.conf; an
 * `events {}` is added when it has none). Every dynamic module of the version is loaded first unless
 * the text loads its own. Runs in a private mount + network namespace with tmpfs over Debian's
 * compiled-in temp and log folders, so nothing outside a throwaway prefix changes and any address
 * can be bound.
 */
export function nginxT(v: NginxVersion, text: string, context = 'main'): Promise<NginxResult> {
  const skip = nginxSkipReason(v);
  if (skip) return Promise.reject(new Error(skip));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-lint-t-'));
  fs.mkdirSync(path.join(dir, 'logs'));
  const [pre, post] = WRAP[context] ?? WRAP.main;
  fs.writeFileSync(path.join(dir, 'file.conf'), text);
  const lines = /^\s*load_module\s/m.test(text) ? [] : moduleLines(v);
  lines.push(`${pre}include ${path.join(dir, 'file.conf')};${post}`);
  if (context === 'main' && !/(^|[;{}\s])events\s*\{/.test(text)) lines.push('events {}');
  fs.writeFileSync(path.join(dir, 'wrapper.conf'), lines.join('\n') + '\n');
  const pid = /(^|[;{}\s])pid\s/.test(text) && context === 'main' ? [] : ['-g', `pid ${dir}/nginx.pid;`];
  const script = 'for d in /var/lib/nginx /var/log/nginx; do [ -d "$d" ] && mount -t tmpfs tmpfs "$d"; done; '
    + 'ip link set lo up 2>/dev/null; sysctl -qw net.ipv4.ip_nonlocal_bind=1 net.ipv6.ip_nonlocal_bind=1 2>/dev/null; exec "$@"';
  const env: NodeJS.ProcessEnv = { ...process.env, ...(v.lua ? { LUA_PATH: `${v.lua}/?.lua;;` } : {}) };
  delete env.NGINX; // nginx reads inherited listen sockets from it
  return new Promise((resolve) => {
    execFile('unshare', ['--mount', '--net', '--fork', '--', 'bash', '-c', script, '_', 'timeout', '30', v.bin, '-t', '-e', 'stderr', '-p', `${dir}/`, '-c', path.join(dir, 'wrapper.conf'), ...pid],
      { env, timeout: 60_000, encoding: 'utf8' }, (err, _stdout, stderr) => {
        fs.rmSync(dir, { recursive: true, force: true });
        const norm = stderr.split('\n').map((l) => l.replace(/^(nginx: |[0-9/]+ [0-9:]+ )/, '').replace(/^\[([a-z]+)\] (\d+#\d+: )?/, '[$1] '));
        const first = (re: RegExp) => norm.find((l) => re.test(l)) ?? '';
        const valid = !err;
        resolve({ valid, message: valid ? '' : first(/^\[emerg\]/) || first(/^\[(alert|crit)\]/) || norm[0] || 'nginx -t failed', warning: first(/^\[warn\]/) });
      });
  });
}

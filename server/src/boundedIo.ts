/**
 * File-system calls with a time bound, for the server and the CLI (docs/limits.md).
 *
 * The core reads files synchronously (a FileSystem is a plain interface, and analysis is pure). A
 * synchronous call that never returns — `open` or `read` on a hung NFS or FUSE mount, `stat` of a
 * path on a dead network share — would stop the whole server. Such hangs come from file systems
 * that wait on something else (a network, a user-space daemon), so:
 *
 * - On a machine with no such mount (/proc/self/mountinfo lists none), calls are made directly:
 *   local file systems answer, and the common case pays nothing.
 * - Otherwise every call is made in a helper *process*, relayed by a helper thread, while the
 *   calling thread waits on a shared flag with a timeout (`Atomics.wait`): the caller stays
 *   synchronous, and a call that does not answer in time is given up as "did not answer within
 *   N ms". A process, not a thread, does the call because a thread stuck in the kernel can be
 *   neither interrupted nor left behind (Node joins its threads at exit, so the CLI would never
 *   exit); a stuck process is killed (or, in an uninterruptible wait, orphaned) and a new one
 *   serves the next call. After a few stuck calls, or within a folder that has just stalled, calls
 *   fail at once instead of waiting again.
 *
 * The calls themselves (`ioCall`) are one self-contained function: its source is the helper
 * process's program, and it is what the direct path runs.
 */
import type * as NodeChild from 'node:child_process';
import type * as NodeFs from 'node:fs';
import { readFileSync } from 'node:fs';
import type * as NodeThreads from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export type IoRequest =
  | { op: 'realpath'; path: string }
  /** stat (symlinks followed): `kind` is file, directory, fifo, char, block, socket, other */
  | { op: 'stat'; path: string }
  /** a regular file's bytes: stat, non-blocking open, fstat, read of at most `max` + 1 bytes */
  | { op: 'read'; path: string; max: number }
  /** entries with symlinks followed for their folder-ness */
  | { op: 'readdir'; path: string };

export type IoKind = 'file' | 'directory' | 'fifo' | 'char' | 'block' | 'socket' | 'other';

export type IoResult =
  | { ok: true; path: string }
  | { ok: true; kind: IoKind; size: number; bytes?: Uint8Array }
  | { ok: true; entries: { name: string; isDirectory: boolean }[] }
  | { ok: false; code: string };

/**
 * Performs one request. Self-contained on purpose: its source text is part of the helper
 * process's program, so it may use nothing from outside its own body.
 */
export function ioCall(req: IoRequest): IoResult {
  const fs = require('node:fs') as typeof NodeFs;
  const kindOf = (st: NodeFs.Stats): IoKind =>
    st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : st.isSocket() ? 'socket' : 'other';
  try {
    switch (req.op) {
      case 'realpath':
        return { ok: true, path: fs.realpathSync.native(req.path) };
      case 'stat': {
        const st = fs.statSync(req.path);
        return { ok: true, kind: kindOf(st), size: st.size };
      }
      case 'readdir': {
        const base = req.path.endsWith('/') ? req.path : req.path + '/';
        const entries = fs.readdirSync(req.path, { withFileTypes: true }).map((e) => {
          let isDirectory = e.isDirectory();
          if (e.isSymbolicLink()) {
            try {
              isDirectory = fs.statSync(base + e.name).isDirectory();
            } catch {
              isDirectory = false; // dangling link
            }
          }
          return { name: e.name, isDirectory };
        });
        return { ok: true, entries };
      }
      case 'read': {
        const st = fs.statSync(req.path);
        if (!st.isFile() || st.size > req.max) return { ok: true, kind: kindOf(st), size: st.size };
        // a pseudo-file (procfs, sysfs, debugfs mounted elsewhere) reports size 0 and may block: an
        // empty regular file has nothing to read anyway
        if (st.size === 0) return { ok: true, kind: 'file', size: 0, bytes: new Uint8Array(0) };
        // non-blocking, so a FIFO swapped in after the stat cannot stall the open; fstat re-checks
        const fd = fs.openSync(req.path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
        try {
          const fst = fs.fstatSync(fd);
          if (!fst.isFile() || fst.size > req.max) return { ok: true, kind: kindOf(fst), size: fst.size };
          // what stat promised, plus one byte to notice a file that grew past the limit meanwhile
          const buf = new Uint8Array(Math.min(fst.size, req.max) + 1);
          let n = 0;
          while (n < buf.length) {
            const r = fs.readSync(fd, buf, n, buf.length - n, n);
            if (r === 0) break;
            n += r;
          }
          return { ok: true, kind: 'file', size: n, bytes: buf.subarray(0, n) };
        } finally {
          fs.closeSync(fd);
        }
      }
    }
  } catch (err) {
    return { ok: false, code: String((err as NodeJS.ErrnoException)?.code ?? err) };
  }
  return { ok: false, code: 'EINVAL' };
}

/**
 * The helper process's program: one request per line on stdin (JSON), one answer per request on
 * stdout: a JSON line, then for a read the file's bytes (their count is in the JSON).
 */
function processProgram(): void {
  const call = (globalThis as unknown as { ioCall: typeof ioCall }).ioCall;
  // the first line says the process runs: the caller's clock starts only then (see BoundedIo.ensure)
  process.stdout.write('{"ready":true}\n');
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const req = JSON.parse(pending.slice(0, nl)) as IoRequest;
      pending = pending.slice(nl + 1);
      const res = call(req);
      const bytes = 'bytes' in res ? res.bytes : undefined;
      const head = bytes ? { ...res, bytes: undefined, length: bytes.length } : res;
      process.stdout.write(JSON.stringify(head) + '\n');
      if (bytes && bytes.length) process.stdout.write(bytes);
    }
  });
}

/**
 * The relay thread's program: forwards each request to the helper process and posts its answer on
 * the reply port, then raises the request's flag. It only waits on pipes, so it can always be
 * terminated.
 */
function relayProgram(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof NodeThreads;
  const { spawn: spawnChild } = require('node:child_process') as typeof NodeChild;
  const { port, program, ready } = workerData as { port: MessagePort; program: string; ready: Int32Array };
  const child = spawnChild(process.execPath, ['-e', program], { stdio: ['pipe', 'pipe', 'ignore'] });
  const queue: Int32Array[] = [];
  let buf: Buffer = Buffer.alloc(0);
  let head: (IoResult & { length?: number }) | null = null;
  let started = false;
  const answer = (res: IoResult) => {
    port.postMessage(res);
    const flag = queue.shift();
    if (flag) {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (!head) {
        const nl = buf.indexOf(10);
        if (nl < 0) return;
        const line = buf.subarray(0, nl).toString('utf8');
        buf = buf.subarray(nl + 1);
        if (!started) {
          started = true;
          Atomics.store(ready, 0, 1);
          Atomics.notify(ready, 0);
          continue;
        }
        head = JSON.parse(line) as IoResult & { length?: number };
      }
      const length = head.length ?? -1;
      if (length < 0) {
        answer(head);
        head = null;
        continue;
      }
      if (buf.length < length) return;
      const bytes = new Uint8Array(buf.subarray(0, length));
      buf = buf.subarray(length);
      const { length: _drop, ...rest } = head;
      void _drop;
      answer({ ...rest, bytes } as IoResult);
      head = null;
    }
  });
  child.on('exit', () => {
    for (const flag of queue.splice(0)) {
      Atomics.store(flag, 0, 2);
      Atomics.notify(flag, 0);
    }
  });
  parentPort!.on('message', (m: { req: IoRequest; flag: Int32Array } | 'kill') => {
    if (m === 'kill') {
      child.kill('SIGKILL');
      child.unref();
      process.exit(0);
    }
    queue.push(m.flag);
    child.stdin!.write(JSON.stringify(m.req) + '\n');
  });
}

export class TimedOut extends Error {}

/** How long one call may take before it is given up (ms); NGINX_LS_IO_TIMEOUT_MS overrides. */
export const DEFAULT_IO_TIMEOUT_MS = 5000;
/** How long starting the helper thread and process may take (ms); not part of any call's bound. */
const HELPER_START_MS = 15_000;
/** Stuck calls tolerated; past that, calls fail at once (the file system is not answering). */
const MAX_STUCK = 4;
/** After a stall, further calls under the same folder fail at once for this long (ms). */
const STALL_MEMORY_MS = 60_000;
/** How long the list of mounts is trusted before it is read again (ms). */
const MOUNTS_TTL_MS = 10_000;

/**
 * File system types that can block a call indefinitely: network file systems, and FUSE (a
 * user-space daemon answers; sshfs, gvfs, rclone, …), 9p (WSL's and VMs' shared folders), autofs.
 */
const MAY_HANG = /^(nfs4?|cifs|smb3?|smbfs|ncpfs|afs|ceph|glusterfs|gfs2|ocfs2|lustre|9p|v9fs|virtiofs|davfs|autofs|fuse(\..*)?|fuseblk)$/;

/** Mount points whose file system can hang, from /proc/self/mountinfo (field 5 and the type after " - "). */
export function hangingMounts(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const type = line.slice(sep + 3).split(' ')[0];
    // mountinfo escapes space, tab, newline and backslash as octal
    if (fields.length > 4 && MAY_HANG.test(type)) out.push(fields[4].replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}

interface Helper {
  worker: Worker;
  port: MessagePort;
}

export class BoundedIo {
  private helper: Helper | null = null;
  private stuck = 0;
  /** folder → until when calls under it fail fast */
  private readonly stalled = new Map<string, number>();
  private mounts: { at: number; list: string[] } | null = null;
  readonly timeoutMs: number;

  /**
   * @param timeoutMs the bound per call
   * @param always bound every call even on a machine without network or FUSE mounts (tests)
   */
  constructor(timeoutMs?: number, private readonly always = false) {
    const env = Number(process.env.NGINX_LS_IO_TIMEOUT_MS);
    this.timeoutMs = timeoutMs ?? (env > 0 ? env : DEFAULT_IO_TIMEOUT_MS);
  }

  /** True when calls go through the helper process (some mount here can hang). */
  bounding(): boolean {
    if (this.always) return true;
    const now = Date.now();
    if (!this.mounts || now - this.mounts.at > MOUNTS_TTL_MS) {
      let list: string[] = [];
      try {
        // procfs: answers at once, whatever the other mounts do
        list = hangingMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
      } catch {
        list = []; // no procfs (not Linux): calls are made directly
      }
      this.mounts = { at: now, list };
    }
    return this.mounts.list.length > 0;
  }

  /** Runs `req` within the time bound; throws TimedOut when it does not answer in time. */
  call(req: IoRequest): IoResult {
    if (!this.bounding()) return ioCall(req);
    const dir = folderOf(req.path);
    const until = this.stalled.get(dir);
    if (until !== undefined) {
      if (Date.now() < until) throw new TimedOut(`${dir} stopped answering a moment ago: not read`);
      this.stalled.delete(dir);
    }
    if (this.stuck >= MAX_STUCK) throw new TimedOut(`the file system stopped answering (${this.stuck} calls never returned): not read`);
    const h = this.ensure();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    h.worker.postMessage({ req, flag });
    const waited = Atomics.wait(flag, 0, 0, this.timeoutMs);
    const msg = Atomics.load(flag, 0) === 1 ? receiveMessageOnPort(h.port) : undefined;
    if (msg) return msg.message as IoResult;
    // no answer: the helper process is stuck in the kernel (or died); leave it behind
    this.abandon(h);
    if (waited !== 'timed-out') return { ok: false, code: 'EIO' };
    this.stuck++;
    if (this.stalled.size > 1000) this.stalled.clear();
    this.stalled.set(dir, Date.now() + STALL_MEMORY_MS);
    throw new TimedOut(`did not answer within ${this.timeoutMs} ms (a hung network or FUSE file system?): not read`);
  }

  private abandon(h: Helper): void {
    if (this.helper === h) this.helper = null;
    h.worker.postMessage('kill');
    h.worker.unref();
    h.port.close();
  }

  private ensure(): Helper {
    if (this.helper) return this.helper;
    const { port1, port2 } = new MessageChannel();
    // `__name`: the helper some TypeScript transpilers (tsx, esbuild keepNames) insert into function bodies
    const program = `const __name = (f) => f;\nglobalThis.ioCall = ${ioCall.toString()};\n(${processProgram.toString()})();`;
    const relay = `const __name = (f) => f;\n(${relayProgram.toString()})();`;
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(relay, { eval: true, workerData: { port: port2, program, ready }, transferList: [port2] });
    // an idle helper must not keep the CLI (or a test) alive
    worker.unref();
    port1.unref();
    worker.on('error', () => {
      if (this.helper?.worker === worker) this.helper = null;
    });
    const helper = { worker, port: port1 };
    // Starting the thread and the process takes 50-300 ms, more on a loaded machine: it must not
    // count against the bound of the call that needed it, or a busy machine would mark a healthy
    // folder as stalled. It cannot hang in a file system, so a generous bound of its own is enough.
    if (Atomics.wait(ready, 0, 0, HELPER_START_MS) === 'timed-out' && Atomics.load(ready, 0) !== 1) {
      this.abandon(helper);
      throw new TimedOut(`the file-system helper process did not start within ${HELPER_START_MS} ms: not read`);
    }
    this.helper = helper;
    return helper;
  }

  /** Stops the helper (tests; the CLI exits without it). */
  dispose(): void {
    if (this.helper) this.abandon(this.helper);
  }
}

function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i > 0 ? path.slice(0, i) : '/';
}


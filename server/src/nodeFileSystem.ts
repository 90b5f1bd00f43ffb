/**
 * The core's FileSystem over Node's `fs`, for the server and the CLI (the pure core never imports
 * `fs`; it takes the FileSystem interface). Binary, oversized and non-UTF-8 files go through the same
 * guards as documents (service/input.ts): binary or oversized ones read as missing.
 *
 * Only regular files are read, and never one of /proc, /sys or /dev (docs/limits.md): a FIFO, a
 * device or `/proc/kmsg` blocks a synchronous read forever, `/dev/zero` never ends. The type and
 * size are checked with stat before opening, again with fstat on the opened descriptor (the path may
 * have been swapped in between; the open is non-blocking, so a FIFO cannot stall it), and at most
 * the size limit is read. Every system call is made within a time bound (boundedIo.ts), so a hung
 * network or FUSE mount makes a file "not read" instead of stopping the server. Why a file was
 * refused is kept for `whyUnread`, which the include-unreadable diagnostic shows.
 */
import { BoundedIo, TimedOut, type IoKind, type IoRequest, type IoResult } from './boundedIo';
import { decodeInput, isSpecialFolder, MAX_INPUT_BYTES, normalize, type FileSystem } from './service/index';

const KIND_WORDS: Record<IoKind, string> = {
  file: 'a regular file',
  directory: 'a folder',
  fifo: 'a FIFO (named pipe)',
  char: 'a character device',
  block: 'a block device',
  socket: 'a socket',
  other: 'not a regular file',
};

/** What kind of thing a path is, in words, when it is not a regular file. */
export function fileKind(kind: IoKind): string {
  return KIND_WORDS[kind];
}

/** The process's bounded file-system calls (one helper thread, shared by every NodeFileSystem). */
let sharedIo: BoundedIo | null = null;
export function boundedIo(): BoundedIo {
  return (sharedIo ??= new BoundedIo());
}

/** One call within the time bound; a call that did not answer becomes a problem with its reason. */
function bounded(io: BoundedIo, req: IoRequest): IoResult | { ok: false; code: string; timedOut: string } {
  try {
    return io.call(req);
  } catch (err) {
    if (err instanceof TimedOut) return { ok: false, code: 'ETIMEDOUT', timedOut: err.message };
    throw err;
  }
}

function problemOf(r: { ok: false; code: string; timedOut?: string }): { problem: string; missing?: boolean } {
  if ('timedOut' in r && r.timedOut) return { problem: r.timedOut };
  return { problem: `cannot read (${r.code})`, missing: r.code === 'ENOENT' };
}

/**
 * Reads a regular file of at most MAX_INPUT_BYTES as bytes, or says why not. Shared by the server's
 * FileSystem and the CLI's own reads of its arguments. Each system call is time-bounded (boundedIo.ts).
 */
export function readRegularFile(path: string, io: BoundedIo = boundedIo()): { bytes: Buffer } | { problem: string; missing?: boolean } {
  const rp = bounded(io, { op: 'realpath', path });
  if (!rp.ok) return problemOf(rp);
  const real = normalize((rp as { path: string }).path);
  if (isSpecialFolder(real)) return { problem: `${real} is a file of /proc, /sys or /dev: not read (such reads can block or never end)` };
  const r = bounded(io, { op: 'read', path: real, max: MAX_INPUT_BYTES });
  if (!r.ok) return problemOf(r);
  const { kind, size, bytes } = r as { kind: IoKind; size: number; bytes?: Uint8Array };
  if (kind !== 'file') return { problem: `${fileKind(kind)}, not a regular file: not read` };
  if (size > MAX_INPUT_BYTES || !bytes) return { problem: tooLarge(size) };
  return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function tooLarge(size: number): string {
  return `file is too large to analyse (${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_INPUT_BYTES / 1048576} MB): not read`;
}

export class NodeFileSystem implements FileSystem {
  /** why a path was not read, by path (the last read decides) */
  private readonly unread = new Map<string, string>();

  constructor(private readonly io: BoundedIo = boundedIo()) {}

  readFile(path: string): string | null {
    const r = readRegularFile(path, this.io);
    if ('problem' in r) {
      if (r.missing) this.unread.delete(path);
      else this.remember(path, r.problem);
      return null;
    }
    const d = decodeInput(r.bytes);
    if (d.problem?.severity === 'error') {
      this.remember(path, d.problem.message);
      return null;
    }
    this.unread.delete(path);
    return d.text;
  }

  private remember(path: string, why: string): void {
    if (this.unread.size > 10_000) this.unread.clear();
    this.unread.set(path, why);
  }

  whyUnread(path: string): string | null {
    return this.unread.get(path) ?? null;
  }

  readDir(path: string): { name: string; isDirectory: boolean }[] | null {
    const r = bounded(this.io, { op: 'readdir', path });
    return r.ok ? (r as { entries: { name: string; isDirectory: boolean }[] }).entries : null;
  }

  private kind(path: string): IoKind | null {
    const r = bounded(this.io, { op: 'stat', path });
    return r.ok ? (r as { kind: IoKind }).kind : null;
  }

  /**
   * Something that is there and is not a folder: nginx opens whatever an include names (a FIFO,
   * a device), so such a path is an include target, and `readFile` then refuses it with a reason.
   */
  isFile(path: string): boolean {
    const k = this.kind(path);
    return k !== null && k !== 'directory';
  }

  isDirectory(path: string): boolean {
    return this.kind(path) === 'directory';
  }

  /** symlinks resolved, so sites-enabled/x and sites-available/x are one file */
  realPath(path: string): string {
    const r = bounded(this.io, { op: 'realpath', path });
    return r.ok ? normalize((r as { path: string }).path) : path;
  }
}

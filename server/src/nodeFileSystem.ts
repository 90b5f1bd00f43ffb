/**
 * The core's FileSystem over Node's `fs`, for the server and the CLI (the pure core never imports
 * `fs`; it takes the FileSystem interface). Binary, oversized and non-UTF-8 files go through the same
 * guards as documents (service/input.ts): binary or oversized ones read as missing.
 *
 * Only regular files are read, and never one of /proc, /sys or /dev (docs/limits.md): a FIFO, a
 * device or `/proc/kmsg` blocks a synchronous read forever, `/dev/zero` never ends. The type and
 * size are checked with stat before opening, again with fstat on the opened descriptor (the path may
 * have been swapped in between; the open is non-blocking, so a FIFO cannot stall it), and at most
 * the size limit is read. Why a file was refused is kept for `whyUnread`, which the
 * include-unreadable diagnostic shows.
 */
import * as fs from 'node:fs';
import type { FileSystem } from './service/workspace/fileSystem';
import { isSpecialFolder, normalize } from './service/paths';
import { decodeInput, MAX_INPUT_BYTES } from './service/input';

/** What kind of thing a stat describes, in words, when it is not a regular file. */
export function fileKind(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/**
 * Reads a regular file of at most MAX_INPUT_BYTES as bytes, or says why not. Shared by the server's
 * FileSystem and the CLI's own reads of its arguments.
 */
export function readRegularFile(path: string): { bytes: Buffer } | { problem: string; missing?: boolean } {
  let real: string;
  try {
    real = normalize(fs.realpathSync.native(path));
  } catch (err) {
    return { problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, missing: (err as NodeJS.ErrnoException).code === 'ENOENT' };
  }
  if (isSpecialFolder(real)) return { problem: `${real} is a file of /proc, /sys or /dev: not read (such reads can block or never end)` };
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (err) {
    return { problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, missing: true };
  }
  if (!st.isFile()) return { problem: `${fileKind(st)}, not a regular file: not read` };
  if (st.size > MAX_INPUT_BYTES) return { problem: tooLarge(st.size) };
  // a pseudo-file (procfs, sysfs, debugfs mounted elsewhere) reports size 0 and may block: an
  // empty regular file has nothing to read anyway
  if (st.size === 0) return { bytes: Buffer.alloc(0) };
  let fd = -1;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) return { problem: `${fileKind(fst)}, not a regular file: not read` };
    if (fst.size > MAX_INPUT_BYTES) return { problem: tooLarge(fst.size) };
    // read what stat promised, plus one byte to notice a file that grew past the limit meanwhile
    const buf = Buffer.allocUnsafe(Math.min(fst.size, MAX_INPUT_BYTES) + 1);
    let n = 0;
    while (n < buf.length) {
      const r = fs.readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    if (n > MAX_INPUT_BYTES) return { problem: tooLarge(n) };
    return { bytes: buf.subarray(0, n) };
  } catch (err) {
    return { problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? err})` };
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

function tooLarge(size: number): string {
  return `file is too large to analyse (${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_INPUT_BYTES / 1048576} MB): not read`;
}

export class NodeFileSystem implements FileSystem {
  /** why a path was not read, by path (the last read decides) */
  private readonly unread = new Map<string, string>();

  readFile(path: string): string | null {
    const r = readRegularFile(path);
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
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path, { withFileTypes: true });
    } catch {
      return null;
    }
    const out: { name: string; isDirectory: boolean }[] = new Array(entries.length);
    const base = path.endsWith('/') ? path : path + '/';
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      let isDirectory = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDirectory = fs.statSync(base + e.name).isDirectory();
        } catch {
          isDirectory = false; // dangling link
        }
      }
      out[i] = { name: e.name, isDirectory };
    }
    return out;
  }

  /**
   * Something that is there and is not a folder: nginx opens whatever an include names (a FIFO,
   * a device), so such a path is an include target, and `readFile` then refuses it with a reason.
   */
  isFile(path: string): boolean {
    try {
      return !fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  isDirectory(path: string): boolean {
    try {
      return fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  /** symlinks resolved, so sites-enabled/x and sites-available/x are one file */
  realPath(path: string): string {
    try {
      return normalize(fs.realpathSync.native(path));
    } catch {
      return path;
    }
  }
}

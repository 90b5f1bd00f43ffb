/** The file access the pure core needs; the server and CLI pass Node's, tests pass an in-memory one. */
export interface FileSystem {
  /** file text, or null when missing/unreadable */
  readFile(path: string): string | null;
  /** names in a folder, or null when it is not a readable folder */
  readDir(path: string): { name: string; isDirectory: boolean }[] | null;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /**
   * The canonical path (symbolic links resolved), so that `sites-enabled/x` and the
   * `sites-available/x` it links to are one file. Optional: without it a path is its own identity.
   */
  realPath?(path: string): string;
  /**
   * Why the last `readFile(path)` returned null although something is there (a FIFO, a device, a
   * file of /proc, too large, binary), or null. Optional: an in-memory file system has no such files.
   */
  whyUnread?(path: string): string | null;
}

/** An in-memory file system (absolute POSIX paths) for tests. */
export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();
  constructor(files: Record<string, string> = {}) {
    for (const [p, t] of Object.entries(files)) this.files.set(p, t);
  }
  readFile(path: string): string | null {
    return this.files.get(path) ?? null;
  }
  readDir(path: string) {
    const prefix = path.endsWith('/') ? path : path + '/';
    const out = new Map<string, boolean>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const i = rest.indexOf('/');
      if (i < 0) out.set(rest, false);
      else out.set(rest.slice(0, i), true);
    }
    if (out.size === 0 && !this.isDirectory(path)) return null;
    return [...out].map(([name, isDirectory]) => ({ name, isDirectory }));
  }
  isFile(path: string): boolean {
    return this.files.has(path);
  }
  isDirectory(path: string): boolean {
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return true;
    return false;
  }
}

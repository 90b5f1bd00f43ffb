/**
 * The core's FileSystem over Node's `fs`, for the server and the CLI (the pure core never imports
 * `fs`; it takes the FileSystem interface). Binary, oversized and non-UTF-8 files go through the same
 * guards as documents (service/input.ts): binary or oversized ones read as missing.
 */
import * as fs from 'node:fs';
import type { FileSystem } from './service/workspace/fileSystem';
import { normalize } from './service/workspace/paths';
import { decodeInput, MAX_INPUT_BYTES } from './service/input';

export class NodeFileSystem implements FileSystem {
  readFile(path: string): string | null {
    try {
      const st = fs.statSync(path);
      if (!st.isFile() || st.size > MAX_INPUT_BYTES) return null;
      const r = decodeInput(fs.readFileSync(path));
      return r.problem?.severity === 'error' ? null : r.text;
    } catch {
      return null;
    }
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

  isFile(path: string): boolean {
    try {
      return fs.statSync(path).isFile();
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

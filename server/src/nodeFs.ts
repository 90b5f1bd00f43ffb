// The core's FileSystem interface over Node's fs (server and CLI only; the core never imports fs).
import * as fs from 'node:fs';
import type { FileSystem } from './service/workspace/fileSystem';
import { decodeInput } from './service/input';

export function createNodeFileSystem(): FileSystem {
  return {
    readFile(path) {
      try {
        const r = decodeInput(fs.readFileSync(path));
        // binary or oversized files are not configuration: treat as unreadable
        return r.problem?.severity === 'error' ? null : r.text;
      } catch {
        return null;
      }
    },
    readDir(path) {
      try {
        return fs.readdirSync(path, { withFileTypes: true }).map((e) => ({
          name: e.name,
          isDirectory: e.isDirectory() || (e.isSymbolicLink() && safeIsDir(`${path}/${e.name}`)),
        }));
      } catch {
        return null;
      }
    },
    isFile(path) {
      try {
        return fs.statSync(path).isFile();
      } catch {
        return false;
      }
    },
    isDirectory: safeIsDir,
  };
}

function safeIsDir(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The set of nginx files the service knows: documents open in the editor (their text wins) and
 * files read from disk. Parsed trees are cached per uri + version (or per text for disk files).
 * `viewsFor` tells how the rest of the configuration looks from one file.
 */
import { parse } from '../syntax/parser';
import type { ParsedFile } from '../syntax/tree';
import type { ConfigView, SourceFile } from '../analysis/types';
import { SingleFileView } from '../analysis/view';
import type { Settings } from '../settings';
import type { FileSystem } from './fileSystem';

interface Entry {
  source: SourceFile;
  version: number | null;
  open: boolean;
}

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  settings: Settings | null = null;

  constructor(readonly fs: FileSystem | null = null, public folders: string[] = []) {}

  /** Sets an open document's text; reparses only when the version or text changed. */
  setDocument(uri: string, text: string, version: number | null = null): SourceFile {
    const e = this.entries.get(uri);
    if (e && e.open && e.version !== null && e.version === version && e.source.file.text === text) return e.source;
    if (e && e.source.file.text === text) {
      e.version = version;
      e.open = true;
      return e.source;
    }
    const source = { uri, file: parse(text) };
    this.entries.set(uri, { source, version, open: true });
    return source;
  }

  closeDocument(uri: string): void {
    this.entries.delete(uri);
  }

  /** A file changed on disk: forget the cached copy unless the editor holds it open. */
  fileChanged(uri: string): void {
    const e = this.entries.get(uri);
    if (e && !e.open) this.entries.delete(uri);
  }

  getSource(uri: string): SourceFile | null {
    return this.entries.get(uri)?.source ?? null;
  }

  /** One view per place the file is used in a configuration (one inferred view for a lone file). */
  viewsFor(uri: string): ConfigView[] {
    const s = this.getSource(uri);
    return s ? [new SingleFileView(s)] : [];
  }

  /** uris whose diagnostics may change when `uri` changes (itself included). */
  dependents(uri: string): string[] {
    return [uri];
  }

  /** Every known source (open documents and files read from disk). */
  allSources(): SourceFile[] {
    return [...this.entries.values()].map((e) => e.source);
  }

  /** Re-reads the workspace folders (after settings or folders change). */
  refresh(): void {}
}

export function parseFile(text: string): ParsedFile {
  return parse(text);
}

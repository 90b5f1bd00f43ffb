// Shared test helpers: repository paths and the shared corpus (read in place, never copied).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export const repoRoot = resolve(__dirname, '..');
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
export const hasCorpus = existsSync(join(corpusDir, 'ORACLE.tsv'));
export const NO_CORPUS = `skipped: ../shared/corpus not found at ${corpusDir}`;

export interface OracleRow {
  file: string;
  verdict: 'VALID' | 'INVALID';
  message: string;
  context: string;
  notes: string;
  cls: string;
}

/** Rows of ORACLE.tsv (what real nginx 1.22.1 said of each corpus file). */
export function oracle(): OracleRow[] {
  const lines = readFileSync(join(corpusDir, 'ORACLE.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((l) => {
    const [file, verdict, message, context, notes] = l.split('\t');
    const cls = /class=([a-z-]+)/.exec(notes ?? '')?.[1] ?? '';
    return { file, verdict: verdict as 'VALID' | 'INVALID', message: message ?? '', context: (context ?? '').replace(/^context=/, ''), notes: notes ?? '', cls };
  });
}

export function corpusText(file: string): string {
  return readFileSync(join(corpusDir, file), 'utf8');
}

/** Splits a fixture with a `|` cursor marker into text and offset. */
export function cursor(fixture: string): { text: string; offset: number } {
  const offset = fixture.indexOf('|');
  if (offset < 0) throw new Error('fixture has no | cursor');
  return { text: fixture.slice(0, offset) + fixture.slice(offset + 1), offset };
}

/** Every file below `dir` (recursively), as paths. */
export function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out;
}

/** A fixture folder's files keyed by their path under `root` (e.g. /w/nginx.conf), for MemoryFileSystem. */
export function fixtureFiles(dir: string, root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const p of filesUnder(dir)) files[`${root}/${relative(dir, p).split(sep).join('/')}`] = readFileSync(p, 'utf8');
  return files;
}

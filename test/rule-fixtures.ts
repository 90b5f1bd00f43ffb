/**
 * The rule fixture format (docs/architecture.md, "Adding a rule"), read by the generic harness
 * test/unit/rule-fixtures.test.ts:
 *
 *   test/fixtures/rules/<code>/bad.conf (bad-<name>.conf, or a folder bad/ bad-<name>/ of files)
 *       every expected finding of a code is marked by a comment line right below the line holding
 *       it: `#`, spaces, carets under the finding's exact columns, the code:
 *             alias /var/www/static/;
 *         #         ^^^^^^^^^^^^^^^^^ alias-traversal
 *       (a finding spanning lines is marked on its first line, carets to the end of that line;
 *       several groups may share one marker line; consecutive marker lines all mark the line above them)
 *   test/fixtures/rules/<code>/good.conf (good-<name>.conf, good/ …): no finding of <code>
 *   test/fixtures/fixes/<code>[.<variant>]/before.conf + after.conf (or before/ + after/ folders;
 *       optional settings.json): applying the preferred fix (else the first offered) of each <code>
 *       finding, one after the other, gives after
 *
 * Optional first lines `# nginx: version=1.30` (read by the product itself; the harness passes it
 * as the version setting, nginx 1.22 when absent: the nginx the fixtures are checked with) and
 * `# nginx: context=http|server|location|main` (read by the product's single-file view).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { NodeFileSystem } from '../server/src/nodeFileSystem';
import { applyEdits } from '../server/src/service/analysis/edits';
import { getLanguageService } from '../server/src/service/languageService';
import { pathToUri } from '../server/src/service/paths';
import { resolveSettings, type Settings } from '../server/src/service/settings';
import { MemoryFileSystem } from '../server/src/service/workspace/fileSystem';
import { versionFromComment } from '../server/src/service/workspace/versionDetect';
import type { ResolvedFinding } from '../server/src/service/analysis/validate';

export const RULE_FIXTURES = join(__dirname, 'fixtures', 'rules');
export const FIX_FIXTURES = join(__dirname, 'fixtures', 'fixes');
/** The version fixtures are analysed as when they do not say (the nginx they are checked with here). */
export const FIXTURE_VERSION = '1.22';

/** One expected or actual finding as the marker format can state it: file, line, columns, code. */
export interface Mark {
  /** path of the file relative to the fixture (its name for a one-file fixture) */
  file: string;
  /** 0-based line */
  line: number;
  /** 0-based columns [start, end) on that line */
  start: number;
  end: number;
  code: string;
}

export function markKey(m: Mark): string {
  return `${m.file}:${m.line + 1}:${m.start + 1}-${m.end + 1} ${m.code}`;
}

const MARKER_LINE = /^[ \t]*#[ \t]*\^/;

export function isMarkerLine(line: string): boolean {
  return MARKER_LINE.test(line);
}

/** The marks of a file's text; problems (a marker without a code, or above any line) are returned too. */
export function readMarks(file: string, text: string): { marks: Mark[]; problems: string[] } {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const marks: Mark[] = [];
  const problems: string[] = [];
  let target = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!isMarkerLine(l)) {
      target = i;
      continue;
    }
    if (target < 0) {
      problems.push(`${file}:${i + 1}: a marker line with no line above it`);
      continue;
    }
    const re = /(\^+)[ \t]*([a-z0-9]+(?:-[a-z0-9]+)*)?/g;
    const hash = l.indexOf('#');
    re.lastIndex = hash + 1;
    for (let m = re.exec(l); m; m = re.exec(l)) {
      if (!m[2]) {
        problems.push(`${file}:${i + 1}: carets at column ${m.index + 1} name no code`);
        continue;
      }
      marks.push({ file, line: target, start: m.index, end: m.index + m[1].length, code: m[2] });
    }
  }
  return { marks, problems };
}

/** A finding as a mark: a finding spanning lines is marked on its first line, to the end of it. */
export function findingMark(file: string, text: string, f: { start: number; end: number; code: string }): Mark {
  const lineStart = text.lastIndexOf('\n', f.start - 1) + 1;
  const line = text.slice(0, lineStart).split('\n').length - 1;
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd--;
  const end = f.end <= lineEnd ? f.end : lineEnd;
  return { file, line, start: f.start - lineStart, end: Math.max(end - lineStart, f.start - lineStart), code: f.code };
}

/** A fixture: one file, or a folder of files (a workspace; every file in it is analysed). */
export interface Fixture {
  name: string;
  path: string;
  /** relative path → text */
  files: Map<string, string>;
  folder: boolean;
}

export function readFixture(path: string, name: string): Fixture {
  if (statSync(path).isDirectory()) {
    const files = new Map<string, string>();
    const walk = (dir: string) => {
      for (const n of readdirSync(dir).sort()) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.set(relative(path, p).split(sep).join('/'), readFileSync(p, 'utf8'));
      }
    };
    walk(path);
    return { name, path, files, folder: true };
  }
  return { name, path, files: new Map([[name, readFileSync(path, 'utf8')]]), folder: false };
}

/** The bad and good fixtures of a code (files `bad*.conf`, `good*.conf`, `*.template`, or folders `bad*`/`good*`). */
export function fixturesOf(code: string): { bad: Fixture[]; good: Fixture[] } {
  const dir = join(RULE_FIXTURES, code);
  const out = { bad: [] as Fixture[], good: [] as Fixture[] };
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir).sort()) {
    const m = /^(bad|good)(?:-.+?)?(\.conf|\.conf\.template|\.template)?$/.exec(n);
    if (!m) continue;
    const p = join(dir, n);
    if (!m[2] && !statSync(p).isDirectory()) continue;
    out[m[1] as 'bad' | 'good'].push(readFixture(p, n));
  }
  return out;
}

function settingsFor(fx: Fixture, extra: Record<string, unknown> = {}): Settings {
  let version: string | null = null;
  for (const text of fx.files.values()) version ??= versionFromComment(text);
  return resolveSettings({ version: version ?? FIXTURE_VERSION, ...extra });
}

const ROOT = '/fixture';

/**
 * Every finding of every file of the fixture, analysed as the product would (a workspace for a
 * folder). A folder is read from disk where it lies (an include may lead outside it, as
 * include-outside's fixture does), or, with `inMemory` (texts changed by fixes), from memory.
 */
export function analyse(fx: Fixture, extra: Record<string, unknown> = {}, inMemory = false): Map<string, ResolvedFinding[]> {
  const settings = settingsFor(fx, extra);
  const out = new Map<string, ResolvedFinding[]>();
  if (!fx.folder) {
    const ls = getLanguageService({ settings });
    const uri = pathToUri(`${ROOT}/${fx.name}`);
    ls.openDocument(uri, fx.files.get(fx.name)!);
    out.set(fx.name, ls.findingsFor(uri));
    return out;
  }
  if (!inMemory) {
    const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [fx.path], settings });
    for (const rel of fx.files.keys()) out.set(rel, ls.findingsFor(pathToUri(join(fx.path, rel))));
    return out;
  }
  const files: Record<string, string> = {};
  for (const [rel, text] of fx.files) files[`${ROOT}/${rel}`] = text;
  const ls = getLanguageService({ fs: new MemoryFileSystem(files), folders: [ROOT], settings });
  for (const rel of fx.files.keys()) out.set(rel, ls.findingsFor(pathToUri(`${ROOT}/${rel}`)));
  return out;
}

/** The marks of the findings of `codes` in a fixture. */
export function actualMarks(fx: Fixture, codes: ReadonlySet<string>, findings = analyse(fx)): Mark[] {
  const out: Mark[] = [];
  for (const [rel, list] of findings) {
    const text = fx.files.get(rel)!;
    for (const f of list) if (codes.has(f.code)) out.push(findingMark(rel, text, f));
  }
  return out;
}

/**
 * Applies the preferred fix (or the first the rule offers: its best guess) of the first `code`
 * finding with a fix, over and over, until
 * none is left; returns the texts, the number of fixes applied, or an error when it does not settle.
 */
export function applyFixes(fx: Fixture, code: string, extra: Record<string, unknown> = {}): { files: Map<string, string>; applied: number } {
  let current = new Map(fx.files);
  for (let applied = 0; applied <= 20; applied++) {
    const state: Fixture = { ...fx, files: current };
    const found = analyse(state, extra, true);
    let fix = null;
    for (const rel of [...current.keys()].sort()) {
      for (const f of found.get(rel) ?? []) {
        if (f.code !== code || !f.fixes) continue;
        const fixes = f.fixes();
        const chosen = fixes.find((x) => x.isPreferred) ?? fixes[0];
        if (chosen) { fix = chosen; break; }
      }
      if (fix) break;
    }
    if (!fix) return { files: current, applied };
    const byFile = new Map<string, { start: number; end: number; newText: string }[]>();
    for (const e of fix.edits) {
      const rel = fx.folder ? e.source.uri.slice(pathToUri(ROOT).length + 1) : fx.name;
      (byFile.get(rel) ?? byFile.set(rel, []).get(rel)!).push(e);
    }
    const next = new Map(current);
    for (const [rel, edits] of byFile) {
      const base = current.get(rel);
      if (base === undefined) throw new Error(`${fx.name}: the fix edits ${rel}, which is not a file of the fixture`);
      next.set(rel, applyEdits(base, edits));
    }
    if ([...next].every(([rel, t]) => current.get(rel) === t)) throw new Error(`${fx.name}: the fix "${fix.title}" changes nothing and the finding stays`);
    current = next;
  }
  throw new Error(`${fx.name}: ${code} fixes did not settle after 20 applications`);
}

/** The fix cases of a code: folders test/fixtures/fixes/<code> and <code>.<variant>. */
export function fixCasesOf(code: string): string[] {
  if (!existsSync(FIX_FIXTURES)) return [];
  return readdirSync(FIX_FIXTURES).filter((n) => n === code || n.startsWith(code + '.')).sort();
}

/** before and after of a fix case, and its settings.json. */
export function readFixCase(name: string): { before: Fixture | null; after: Fixture | null; settings: Record<string, unknown> } {
  const dir = join(FIX_FIXTURES, name);
  const pick = (base: string): Fixture | null => {
    if (existsSync(join(dir, base)) && statSync(join(dir, base)).isDirectory()) return readFixture(join(dir, base), base);
    if (existsSync(join(dir, base + '.conf'))) {
      const fx = readFixture(join(dir, base + '.conf'), base + '.conf');
      // both sides of a one-file case are the same file, named alike
      return { ...fx, name: 'nginx.conf', files: new Map([['nginx.conf', fx.files.get(base + '.conf')!]]) };
    }
    return null;
  };
  const sp = join(dir, 'settings.json');
  return { before: pick('before'), after: pick('after'), settings: existsSync(sp) ? JSON.parse(readFileSync(sp, 'utf8')) : {} };
}

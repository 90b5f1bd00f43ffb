/**
 * Before/after fixtures for every WebSocket fix (test/fixtures/fixes/<code>[.<variant>]/).
 *
 * For a case directory: the fixes of rule <code> are applied one finding at a time (re-analysing in
 * between) until the rule reports nothing; the result must equal after.conf (or the after/ tree for a
 * multi-file case), re-analyse clean for that rule, be unchanged by a second application, and pass
 * real `nginx -t` when nginx is available. `fix-all*` cases run the "Fix all WebSocket issues" source
 * action through the language service instead. UPDATE_FIXTURES=1 rewrites the after files (review
 * the diff before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { websocketRules } from '../../server/src/service/analysis/rules/websocket/index';
import type { ConfigView, Scope, SourceFile } from '../../server/src/service/analysis/types';
import { validateFile } from '../../server/src/service/analysis/validate';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { inferContext, SingleFileView } from '../../server/src/service/analysis/view';
import { FIX_ALL_WEBSOCKET_KIND, getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings, type Settings } from '../../server/src/service/settings';
import { parse } from '../../server/src/service/syntax/parser';
import { offsetAt } from '../../server/src/service/syntax/positions';
import { allDirectives } from '../../server/src/service/syntax/query';
import type { Directive, Statement } from '../../server/src/service/syntax/tree';
import { nginxTest, nginxUnavailable } from '../e2e/nginx';

const FIXTURES = join(__dirname, '..', 'fixtures', 'fixes');
const UPDATE = process.env.UPDATE_FIXTURES === '1';
const NO_NGINX = nginxUnavailable();

type Files = Map<string, string>; // relative path → text

/**
 * A two-level configuration view for tests: nginx.conf whose `include sites-enabled/*.conf` sits in
 * `http {}`, and the site files. Implements the ConfigView contract (scopes through the include
 * site, expansion of the include, files(), sourceOf()) independently of the workspace.
 */
class IncludeView implements ConfigView {
  readonly inferred = false;
  private readonly owner = new WeakMap<Directive, SourceFile>();
  private readonly include: Directive;
  constructor(readonly source: SourceFile, private readonly main: SourceFile, private readonly sites: SourceFile[]) {
    for (const s of [main, ...sites]) for (const d of allDirectives(s.file.children)) this.owner.set(d, s);
    const inc = [...allDirectives(main.file.children)].find((d) => d.name === 'include');
    assert.ok(inc, 'nginx.conf has no include');
    this.include = inc;
  }
  private list(children: Statement[]): Directive[] {
    const out: Directive[] = [];
    for (const s of children) {
      if (s.kind !== 'directive') continue;
      if (s === this.include) for (const site of this.sites) out.push(...this.list(site.file.children));
      else out.push(s);
    }
    return out;
  }
  expand(owner: Directive): Directive[] {
    return owner.block ? this.list(owner.block.children) : [];
  }
  topScope(): Scope {
    if (this.source === this.main) return { owner: null, context: 'main', directives: this.list(this.main.file.children), source: this.main };
    return { owner: null, context: this.include.parent?.name ?? 'main', directives: this.list(this.source.file.children), source: this.source };
  }
  scopes(d: Directive): Scope[] {
    const out: Scope[] = [];
    const src = this.sourceOf(d)!;
    let p = d.parent;
    for (; p; p = p.parent) out.push({ owner: p, context: p.name, directives: this.expand(p), source: src });
    if (src === this.main) {
      out.push({ owner: null, context: 'main', directives: this.list(this.main.file.children), source: this.main });
      return out;
    }
    return [...out, ...this.scopes(this.include)];
  }
  files(): SourceFile[] {
    return [this.source, ...[this.main, ...this.sites].filter((s) => s !== this.source)];
  }
  sourceOf(d: Directive): SourceFile | null {
    return this.owner.get(d) ?? null;
  }
}

function readTree(dir: string): Files {
  const out: Files = new Map();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.conf')) out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const uriOf = (rel: string) => `file:///ws/${rel}`;

function viewFor(files: Files, analysed: string): { view: ConfigView; sources: Map<string, SourceFile> } {
  const sources = new Map<string, SourceFile>();
  for (const [rel, text] of files) sources.set(rel, { uri: uriOf(rel), file: parse(text) });
  const source = sources.get(analysed)!;
  if (files.size === 1) return { view: new SingleFileView(source), sources };
  const main = sources.get('nginx.conf')!;
  const sites = [...sources.entries()].filter(([r]) => r !== 'nginx.conf').map(([, s]) => s);
  return { view: new IncludeView(source, main, sites), sources };
}

function findingsOf(files: Files, analysed: string, settings: Settings, code?: string) {
  const { view, sources } = viewFor(files, analysed);
  const list = validateFile(sources.get(analysed)!.file, [view], settings, websocketRules);
  return code ? list.filter((f) => f.code === code) : list;
}

function applyEdits(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Applies the rule's fixes, one finding at a time, until it reports nothing with a fix. */
function applyRuleFixes(files: Files, analysed: string, code: string, settings: Settings): { files: Files; applied: number } {
  let current = new Map(files);
  let applied = 0;
  for (let i = 0; i < 20; i++) {
    const f = findingsOf(current, analysed, settings, code).find((x) => (x.fixes?.() ?? []).length > 0);
    if (!f) return { files: current, applied };
    const fix = f.fixes!()[0];
    const next = new Map(current);
    const byUri = new Map<string, typeof fix.edits>();
    for (const e of fix.edits) byUri.set(e.source.uri, [...(byUri.get(e.source.uri) ?? []), e]);
    for (const [uri, edits] of byUri) {
      const rel = uri.replace('file:///ws/', '');
      next.set(rel, applyEdits(current.get(rel)!, edits));
    }
    current = next;
    applied++;
  }
  throw new Error(`${code}: fixes did not converge after 20 applications`);
}

function runFixAllCase(files: Files, settings: Settings, cursorNeedle: string | null): Files {
  const ls = getLanguageService({ settings });
  const text = files.get('nginx.conf')!;
  const uri = uriOf('nginx.conf');
  const source = ls.openDocument(uri, text);
  const at = cursorNeedle ? text.indexOf(cursorNeedle) : 0;
  assert.ok(at >= 0, `cursor needle ${cursorNeedle} not found`);
  const lineOf = text.slice(0, at).split('\n').length - 1;
  const position = { line: lineOf, character: at - text.lastIndexOf('\n', at - 1) - 1 };
  const actions = ls.codeActions(uri, { start: position, end: position }, [], [FIX_ALL_WEBSOCKET_KIND]);
  const wanted = cursorNeedle ? 'Fix all WebSocket issues in this location' : 'Fix all WebSocket issues in this file';
  const action = actions.find((a) => a.title === wanted);
  assert.ok(action, `no "${wanted}" action; got ${actions.map((a) => a.title).join(', ')}`);
  assert.equal(action.kind, FIX_ALL_WEBSOCKET_KIND);
  const edits = action.edit!.changes![uri].map((e) => ({ start: offsetAt(source.file, e.range.start), end: offsetAt(source.file, e.range.end), newText: e.newText }));
  return new Map([['nginx.conf', applyEdits(text, edits)]]);
}

function loadCase(dir: string): { before: Files; afterDir: string; multi: boolean } {
  if (existsSync(join(dir, 'before'))) return { before: readTree(join(dir, 'before')), afterDir: join(dir, 'after'), multi: true };
  return { before: new Map([['nginx.conf', readFileSync(join(dir, 'before.conf'), 'utf8')]]), afterDir: dir, multi: false };
}

function expectedFiles(afterDir: string, multi: boolean): Files | null {
  if (multi) return existsSync(afterDir) ? readTree(afterDir) : null;
  const p = join(afterDir, 'after.conf');
  return existsSync(p) ? new Map([['nginx.conf', readFileSync(p, 'utf8')]]) : null;
}

function writeExpected(afterDir: string, multi: boolean, files: Files): void {
  for (const [rel, text] of files) {
    const p = multi ? join(afterDir, rel) : join(afterDir, 'after.conf');
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

/** The whole configuration as one nginx.conf (the site files pasted at the include) for nginx -t. */
function flatten(files: Files): string {
  const main = files.get('nginx.conf')!;
  if (files.size === 1) {
    // a fragment is checked inside the blocks it would be included in
    const ctx = inferContext(parse(main));
    return ctx.length ? `events {}\n${ctx.map((c) => `${c} {`).join('\n')}\n${main}\n${ctx.map(() => '}').join('\n')}\n` : main;
  }
  const sites = [...files.entries()].filter(([r]) => r !== 'nginx.conf').map(([, t]) => t).join('\n');
  return main.replace(/include sites-enabled\/\*\.conf;/, () => sites);
}

// the WebSocket fix cases (the other families' before/after pairs are run by test/unit/rule-fixtures.test.ts)
const cases = readdirSync(FIXTURES).filter((d) => /^(ws-|fix-all)/.test(d) && statSync(join(FIXTURES, d)).isDirectory()).sort();

test('every ws-* rule has a fix fixture', () => {
  for (const r of websocketRules) assert.ok(cases.includes(r.code), `no test/fixtures/fixes/${r.code}`);
});

for (const name of cases) {
  const dir = join(FIXTURES, name);
  const code = name.split('.')[0];
  const settingsFile = join(dir, 'settings.json');
  const settings = resolveSettings({ version: '1.22', ...(existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {}) });
  describe(`fix ${name}`, () => {
    const { before, afterDir, multi } = loadCase(dir);
    const analysed = multi ? [...before.keys()].find((r) => r !== 'nginx.conf')! : 'nginx.conf';
    const isFixAll = code === 'fix-all';
    const cursor = name === 'fix-all.location' ? 'proxy_pass http://chat' : null;
    const run = (files: Files) => (isFixAll ? runFixAllCase(files, settings, cursor) : applyRuleFixes(files, analysed, code, settings).files);

    test('before is reported; the result equals the after fixture', () => {
      if (!isFixAll) assert.ok(findingsOf(before, analysed, settings, code).length > 0, `${code} not reported on the before fixture`);
      const result = run(before);
      for (const [rel, text] of result) {
        if (before.get(rel) === text) result.delete(rel);
      }
      const full = new Map(before);
      for (const [rel, text] of result) full.set(rel, text);
      if (UPDATE) writeExpected(afterDir, multi, multi ? result : full);
      const expected = expectedFiles(afterDir, multi);
      assert.ok(expected, `missing after fixture for ${name} (run with UPDATE_FIXTURES=1 and review)`);
      for (const [rel, text] of expected) assert.equal(full.get(rel), text, `${name}: ${rel} differs from the after fixture`);
      assert.ok(result.size > 0, 'the fix changed nothing');
    });

    test('the result re-analyses clean for the rule, and applying again changes nothing', () => {
      const expected = expectedFiles(afterDir, multi);
      assert.ok(expected);
      const after = new Map(before);
      for (const [rel, text] of expected) after.set(rel, text);
      if (isFixAll) {
        const left = findingsOf(after, analysed, settings).filter((f) => f.code.startsWith('ws-') && f.fixes && f.fixes().length);
        if (cursor) {
          const t = after.get('nginx.conf')!;
          const start = t.indexOf('location /socket.io/');
          const end = t.indexOf('}', t.indexOf('proxy_pass http://chat'));
          assert.deepEqual(left.filter((f) => f.start >= start && f.end <= end).map((f) => f.code), []);
        } else {
          assert.deepEqual(left.map((f) => f.code), []);
        }
        const ls = getLanguageService({ settings });
        ls.openDocument(uriOf('nginx.conf'), after.get('nginx.conf')!);
        const again = ls.codeActions(uriOf('nginx.conf'), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_WEBSOCKET_KIND]);
        if (!cursor) assert.deepEqual(again.map((a) => a.title), [], 'fix-all offered again on its own result');
      } else {
        assert.deepEqual(findingsOf(after, analysed, settings, code).map((f) => f.message), []);
        const twice = applyRuleFixes(after, analysed, code, settings);
        assert.equal(twice.applied, 0);
        for (const [rel, text] of after) assert.equal(twice.files.get(rel), text);
      }
    });

    test('the result has no finding above hint (the fixtures start from one problem; fix-all.location leaves the other locations alone)', (t) => {
      if (name === 'fix-all.location') return t.skip('only the location at the cursor is fixed');
      const expected = expectedFiles(afterDir, multi);
      assert.ok(expected);
      const after = new Map(before);
      for (const [rel, text] of expected) after.set(rel, text);
      // a multi-file case through a workspace, so includes resolve as in the editor (a single file is
      // analysed alone: several are fragments, which a workspace would take for a main nginx.conf)
      const fs = multi ? new MemoryFileSystem(Object.fromEntries([...after].map(([rel, text]) => [`/ws/${rel}`, text]))) : undefined;
      const ls = getLanguageService(fs ? { fs, folders: ['/ws'], settings } : { settings });
      for (const [rel, text] of after) ls.openDocument(uriOf(rel), text);
      const serious = [...after.keys()].flatMap((rel) => ls.findingsFor(uriOf(rel)).filter((f) => f.severity !== 'hint').map((f) => `${rel}: ${f.code}: ${f.message}`));
      assert.deepEqual(serious, []);
    });

    test('the result passes real nginx -t', (t) => {
      if (NO_NGINX) return t.skip(NO_NGINX);
      const expected = expectedFiles(afterDir, multi);
      assert.ok(expected);
      const after = new Map(before);
      for (const [rel, text] of expected) after.set(rel, text);
      const text = flatten(after);
      const r = nginxTest(text);
      assert.ok(r.ok, `nginx -t rejected the fixed ${name}:\n${r.output}\n---\n${text}`);
    });
  });
}

test('cross-file: the map goes into the http block of nginx.conf, not into the site file', () => {
  const { before } = loadCase(join(FIXTURES, 'ws-map-missing.cross-file'));
  const f = findingsOf(before, 'sites-enabled/app.conf', resolveSettings({ version: '1.22' }), 'ws-map-missing');
  assert.equal(f.length, 1);
  const fix = f[0].fixes!()[0];
  assert.deepEqual(fix.edits.map((e) => e.source.uri), [uriOf('nginx.conf')]);
  assert.match(fix.title, /map/);
});

test('workspace (MemoryFileSystem): the map fix for a site file edits nginx.conf', (t) => {
  const { before } = loadCase(join(FIXTURES, 'ws-map-missing.cross-file'));
  const fs = new MemoryFileSystem(Object.fromEntries([...before].map(([rel, text]) => [`/ws/${rel}`, text])));
  const ls = getLanguageService({ fs, folders: ['/ws'], settings: resolveSettings({ version: '1.22' }) });
  const uri = uriOf('sites-enabled/app.conf');
  ls.openDocument(uri, before.get('sites-enabled/app.conf')!);
  const views = ls.workspace.viewsFor(uri);
  if (!views.length || views[0].files().length < 2) {
    return t.skip('the workspace does not resolve includes yet (multi-file Workspace not landed): covered above through IncludeView');
  }
  const diags = ls.validate(uri).filter((d) => d.code === 'ws-map-missing');
  assert.equal(diags.length, 1);
  const actions = ls.codeActions(uri, diags[0].range, diags, ['quickfix']);
  const act = actions.find((a) => /map/.test(a.title));
  assert.ok(act, actions.map((a) => a.title).join(', '));
  const changed = Object.keys(act.edit!.changes!);
  assert.equal(changed.length, 1);
  assert.match(changed[0], /nginx\.conf$/);
});

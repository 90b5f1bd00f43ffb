// Hostile input and hostile workspaces (issue 19): bounded time, bounded memory, no reads where
// they don't belong. Every case is small and deterministic (fixed shapes, no randomness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService, MAX_DIAGNOSTICS } from '../../server/src/service/languageService';
import { parse, MAX_NESTING, MAX_SYNTAX_ERRORS, INPUT_LIMIT } from '../../server/src/service/syntax/parser';
import { print, checkTree } from '../../server/src/service/syntax/printer';
import { applyEdits, formatFile } from '../../server/src/service/features/formatting';
import { getFoldingRanges } from '../../server/src/service/features/folding';

const URI = 'untitled:hostile.conf';

/** every finding of a lone document, and the time it took */
function lint(text: string) {
  const ls = getLanguageService();
  ls.openDocument(URI, text, 1);
  const t0 = Date.now();
  const findings = ls.findingsFor(URI);
  return { ls, findings, ms: Date.now() - t0 };
}
const noInternal = (fs: { message: string }[]) => assert.deepEqual(fs.filter((f) => /internal error|call stack/i.test(f.message)), []);

// ------------------------------------------------------------------ nesting

test('200,000 nested closed blocks: normal diagnostics, no stack overflow, the text kept', () => {
  const text = 'a{'.repeat(200_000) + '}'.repeat(200_000) + '\n';
  const file = parse(text);
  assert.equal(print(file), text);
  assert.deepEqual(checkTree(file), []);
  const { findings, ms } = lint(text);
  noInternal(findings);
  assert.ok(findings.some((f) => f.code === 'directive-unknown'), 'the outer levels are still checked');
  const limit = findings.filter((f) => f.code === INPUT_LIMIT);
  assert.equal(limit.length, 1);
  assert.match(limit[0].message, new RegExp(`deeper than ${MAX_NESTING} levels`));
  assert.equal(limit[0].severity, 'warning');
  assert.ok(ms < 5000, `validation took ${ms} ms`);
});

test('the nesting limit: MAX_NESTING levels are analysed, the next one is skipped verbatim', () => {
  const depth = MAX_NESTING;
  const ok = 'http {\n' + 'location / {\n'.repeat(depth - 1) + '}\n'.repeat(depth - 1) + '}\n';
  assert.deepEqual(parse(ok).errors, []);
  const deep = 'http {\n' + 'location / {\n'.repeat(depth) + 'proxy_pass http://x;\n' + '}\n'.repeat(depth) + '}\n';
  const f = parse(deep);
  assert.equal(f.errors.length, 1);
  assert.equal(f.errors[0].code, INPUT_LIMIT);
  assert.equal(print(f), deep);
  assert.deepEqual(checkTree(f), []);
  // the skipped block keeps its `}` matched: nothing after it is in error
  const after = parse(deep + 'events {}\n');
  assert.equal(after.errors.length, 1);
  assert.equal(after.children.length, 2);
});

test('20,000 nested locations: every feature answers (symbols, folding, formatting refuses)', () => {
  const text = 'http { server { ' + 'location / { '.repeat(20_000) + '}'.repeat(20_000) + ' } }\n';
  const { ls, findings } = lint(text);
  noInternal(findings);
  assert.ok(findings.some((f) => f.code === INPUT_LIMIT));
  const syms = ls.documentSymbols(URI);
  assert.ok(syms.length >= 1);
  const folds = getFoldingRanges(ls.parsed(URI)!);
  assert.ok(folds.length <= MAX_NESTING + 2, `${folds.length} folding ranges`);
  assert.ok(ls.hover(URI, { line: 0, character: 1 }) !== undefined);
  // a file with a skipped body is not formatted (its inside cannot be re-indented); no heap blow-up
  assert.deepEqual(ls.format(URI, { tabSize: 4, insertSpaces: true }), []);
});

test('formatting 30,000 nested blocks costs linear memory: it is refused, not quadratic', () => {
  const text = 'a{'.repeat(30_000) + '}'.repeat(30_000) + '\n';
  const t0 = Date.now();
  assert.deepEqual(formatFile(parse(text), { tabSize: 4, insertSpaces: true }), []);
  assert.ok(Date.now() - t0 < 2000);
  // below the limit the output stays proportional to depth² only within the bounded depth
  const ok = 'a{'.repeat(MAX_NESTING - 1) + '}'.repeat(MAX_NESTING - 1) + '\n';
  const edits = formatFile(parse(ok), { tabSize: 4, insertSpaces: true });
  assert.ok(edits.length > 0);
});

test('1,000,000 `{` and 1,000,000 `;`: bounded errors, bounded time', () => {
  for (const text of ['{'.repeat(1_000_000), ';'.repeat(1_000_000)]) {
    const t0 = Date.now();
    const f = parse(text);
    assert.equal(print(f), text);
    assert.ok(f.errors.length <= MAX_SYNTAX_ERRORS + 3, `${f.errors.length} errors`);
    const { findings } = lint(text);
    noInternal(findings);
    assert.ok(findings.length <= MAX_DIAGNOSTICS + 1);
    assert.ok(Date.now() - t0 < 10_000);
  }
  const semis = parse(';'.repeat(5000));
  const last = semis.errors[semis.errors.length - 1];
  assert.equal(last.code, INPUT_LIMIT);
  assert.match(last.message, /^4000 more syntax error/);
});

test('diagnostics per file are capped, with a note saying how many were left out', () => {
  // 1,100 unknown directives: one finding each
  const text = 'bogus_directive_x on;\n'.repeat(1100);
  const { findings, ls } = lint(text);
  assert.equal(findings.length, MAX_DIAGNOSTICS + 1);
  const note = findings[findings.length - 1];
  assert.equal(note.code, INPUT_LIMIT);
  assert.match(note.message, /^100 more diagnostic/);
  assert.equal(ls.validate(URI).length, MAX_DIAGNOSTICS + 1);
});

// ------------------------------------------------------------------ globs

import { compileSegment, compileSettingsGlob, matchSegment, expandGlobBounded, MAX_GLOB_MATCHES } from '../../server/src/service/workspace/glob';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { resolveSettings } from '../../server/src/service/settings';
import { NodeFileSystem } from '../../server/src/nodeFileSystem';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, existsSync, readFileSync, lstatSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToUri } from '../../server/src/service/paths';
import { repoRoot } from '../helpers';
import { MAX_INCLUDE_DEPTH } from '../../server/src/service/model/config';

test('glob matching cannot backtrack: *a*a*a*a*a*b against a long name is instant', () => {
  const name = 'a'.repeat(5000) + '.conf';
  let t0 = Date.now();
  assert.equal(matchSegment('*a*a*a*a*a*a*a*b.conf', name), false);
  assert.equal(matchSegment('*a*a*a*a*a*a*a*.conf', name), true);
  assert.ok(Date.now() - t0 < 500, `segment match took ${Date.now() - t0} ms`);
  t0 = Date.now();
  const deep = 'a/'.repeat(300) + 'a'.repeat(3000);
  assert.equal(compileSettingsGlob('**/*a*a*a*a*a*a*b').test(deep), false);
  assert.equal(compileSettingsGlob('**/a/**/a*a*a*a').test(deep), true);
  assert.ok(Date.now() - t0 < 1000, `settings glob took ${Date.now() - t0} ms`);
});

test('glob semantics kept: classes, negation, escapes, ranges, `**`, `{a,b}`', () => {
  assert.equal(matchSegment('[ab].conf', 'a.conf'), true);
  assert.equal(matchSegment('[!ab]*', 'c1'), true);
  assert.equal(matchSegment('[!ab]*', 'a1'), false);
  assert.equal(matchSegment('[]]x', ']x'), true);
  assert.equal(matchSegment('\\*.conf', '*.conf'), true);
  assert.equal(matchSegment('\\*.conf', 'a.conf'), false);
  assert.equal(matchSegment('[a-c]?', 'bz'), true);
  assert.equal(matchSegment('[[:digit:]]*', '9x'), true);
  assert.equal(matchSegment('*', '.hidden'), false);
  assert.equal(matchSegment('a[', 'a['), true, 'an unclosed [ is literal');
  const g = compileSettingsGlob('**/{nginx,main}.conf');
  assert.equal(g.test('nginx.conf'), true);
  assert.equal(g.test('x/y/main.conf'), true);
  assert.equal(g.test('x/other.conf'), false);
  assert.equal(compileSettingsGlob('conf/*.conf').test('conf/a/b.conf'), false);
  assert.equal(compileSettingsGlob('conf/**').test('conf/a/b.conf'), true);
});

test('an invalid class [z-a] never throws: it matches nothing and says why', () => {
  const seg = compileSegment('[z-a].conf');
  assert.equal(seg.test('a.conf'), false);
  assert.equal(seg.test('z.conf'), false);
  assert.match(seg.error ?? '', /range z-a is empty/);
  const s = compileSettingsGlob('**/[z-a]/nginx.conf');
  assert.equal(s.test('a/nginx.conf'), false);
  assert.match(s.error ?? '', /range z-a is empty/);
  assert.match(compileSettingsGlob('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}').error ?? '', /alternatives/);
});

test('include [z-a].conf: an include-glob warning, the rest of the configuration still checked', () => {
  const fs = new MemoryFileSystem({
    '/w/nginx.conf': 'events {}\nhttp {\n    include conf.d/[z-a].conf;\n    bogus_x on;\n}\n',
    '/w/conf.d/a.conf': 'server { listen 80; }\n',
  });
  const ls = getLanguageService({ fs, folders: ['/w'] });
  const found = ls.findingsFor(pathToUri('/w/nginx.conf'));
  noInternal(found);
  const glob = found.filter((f) => f.code === 'include-glob');
  assert.equal(glob.length, 1);
  assert.match(glob[0].message, /range z-a is empty/);
  assert.ok(found.some((f) => f.code === 'directive-unknown'), 'the rest is checked');
  assert.ok(ls.hover(pathToUri('/w/nginx.conf'), { line: 3, character: 6 }) !== undefined);
});

test('nginx.mainFiles with an invalid or backtracking glob: no exception, told once in settingsProblems', () => {
  const fs = new MemoryFileSystem({ '/w/nginx.conf': 'events {}\nhttp { bogus_y on; }\n' });
  const ls = getLanguageService({ fs, folders: ['/w'], settings: resolveSettings({ mainFiles: ['[z-a]/nginx.conf', '*a*a*a*a*a*a*a*a*b', 'nginx.conf'] }) });
  assert.deepEqual(ls.workspace.mainFiles(), ['/w/nginx.conf']);
  assert.ok(ls.findingsFor(pathToUri('/w/nginx.conf')).some((f) => f.code === 'directive-unknown'));
  const problems = ls.workspace.settingsProblems();
  assert.equal(problems.length, 1);
  assert.match(problems[0], /nginx\.mainFiles: "\[z-a\]\/nginx\.conf": the range z-a is empty/);
});

test('a glob expansion is bounded in files kept and folders listed, and says so', () => {
  const files: Record<string, string> = { '/w/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n' };
  for (let i = 0; i < MAX_GLOB_MATCHES + 100; i++) files[`/w/conf.d/s${i}.conf`] = '';
  const fs = new MemoryFileSystem(files);
  const r = expandGlobBounded(fs, fs, '/w/conf.d/*.conf');
  assert.equal(r.files.length, MAX_GLOB_MATCHES);
  assert.match(r.stopped ?? '', /more than 50000 files/);
  const dirs: Record<string, string> = {};
  for (let i = 0; i < 50; i++) dirs[`/d/x${i}/a.conf`] = '';
  const fs2 = new MemoryFileSystem(dirs);
  const r2 = expandGlobBounded(fs2, fs2, '/d/*/*.conf', { maxDirs: 10 });
  assert.match(r2.stopped ?? '', /more than 10 folders/);
  assert.ok(r2.files.length > 0 && r2.files.length < 50);
  const ls = getLanguageService({ fs, folders: ['/w'] });
  const glob = ls.findingsFor(pathToUri('/w/nginx.conf')).filter((f) => f.code === 'include-glob');
  assert.equal(glob.length, 1);
});

// ------------------------------------------------------------------ the file access policy

/** A NodeFileSystem that records every path it reads or lists. */
class SpyFs extends NodeFileSystem {
  readonly touched: string[] = [];
  override readFile(p: string) {
    this.touched.push(p);
    return super.readFile(p);
  }
  override readDir(p: string) {
    this.touched.push(p + '/');
    return super.readDir(p);
  }
}

function tmpWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nginx-hostile-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const isLinux = process.platform === 'linux';

test('include of a FIFO, a device, /proc/kmsg: no read blocks; the server says why', { skip: !isLinux && 'needs Linux (mkfifo, /proc)', timeout: 20_000 }, () => {
  const ws = tmpWorkspace({ 'nginx.conf': 'events {}\nhttp {\n    include pipe.conf;\n    include /proc/kmsg;\n    include dev.conf;\n}\n' });
  execFileSync('mkfifo', [join(ws, 'pipe.conf')]);
  symlinkSync('/dev/zero', join(ws, 'dev.conf'));
  try {
    const fs = new SpyFs();
    const ls = getLanguageService({ fs, folders: [ws] });
    const t0 = Date.now();
    const found = ls.findingsFor(pathToUri(join(ws, 'nginx.conf')));
    assert.ok(Date.now() - t0 < 2000);
    noInternal(found);
    const by = (c: string) => found.filter((f) => f.code === c).map((f) => f.message);
    const unreadable = by('include-unreadable');
    assert.equal(unreadable.length, 1, JSON.stringify(found));
    assert.match(unreadable[0], /FIFO \(named pipe\), not a regular file/);
    // /proc/kmsg is outside the workspace: not even opened; dev.conf links out of it too
    const outside = by('include-outside');
    assert.equal(outside.length, 2);
    assert.ok(outside.some((m) => m.includes('/proc/kmsg')));
    assert.ok(outside.some((m) => m.includes('/dev/zero')));
    assert.deepEqual(fs.touched.filter((p) => !p.startsWith(ws)), []);
    // the CLI's mode: reads may leave the workspace, but special files are still refused
    const cli = getLanguageService({ fs: new NodeFileSystem(), folders: [ws] });
    cli.workspace.readOutsideWorkspace = true;
    const msgs = cli.findingsFor(pathToUri(join(ws, 'nginx.conf'))).filter((f) => f.code === 'include-unreadable').map((f) => f.message);
    assert.equal(msgs.length, 3, JSON.stringify(msgs));
    assert.ok(msgs.some((m) => /\/proc\/kmsg is a file of \/proc, \/sys or \/dev/.test(m)));
    assert.ok(msgs.some((m) => /\/dev\/zero is a file of \/proc, \/sys or \/dev/.test(m)));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('reads stay in the workspace: absolute includes, include /**/*, a pathMap onto a top-level folder', { skip: !isLinux && 'needs a POSIX file system', timeout: 20_000 }, () => {
  // a planted "secret" in a top-level folder (/tmp), as /etc/shadow is in /etc
  const secretName = `nginx-hostile-shadow-${process.pid}`;
  const secretPath = join('/tmp', secretName);
  const CANARY = 'root:CANARY-HASH-7f3a:19000:0:99999:7:::';
  writeFileSync(secretPath, CANARY + '\n');
  const ws = tmpWorkspace({
    'nginx.conf': `events {}\nhttp {\n    include /etc/nginx/${secretName};\n    include ${secretPath};\n    include /**/*;\n    include /etc/*;\n    include ../../../../../../..${secretPath};\n}\n`,
  });
  try {
    const fs = new SpyFs();
    const ls = getLanguageService({ fs, folders: [ws], settings: resolveSettings({ pathMap: { '/etc/nginx': '/tmp' } }) });
    const uri = pathToUri(join(ws, 'nginx.conf'));
    const t0 = Date.now();
    const found = ls.findingsFor(uri);
    assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
    noInternal(found);
    assert.deepEqual(fs.touched.filter((p) => !p.startsWith(ws)), [], 'nothing outside the workspace read or listed');
    const outside = found.filter((f) => f.code === 'include-outside');
    assert.equal(outside.length, 5, JSON.stringify(found.map((f) => f.message)));
    // nothing of the secret reaches any answer
    const answers = [JSON.stringify(found), JSON.stringify(ls.validate(uri))];
    for (let line = 2; line <= 7; line++) answers.push(JSON.stringify(ls.hover(uri, { line, character: 14 })), JSON.stringify(ls.documentLinks(uri)));
    answers.push(JSON.stringify(ls.workspaceSymbols('')));
    for (const a of answers) assert.ok(!a.includes('CANARY'), 'secret content leaked');
    assert.match(ls.workspace.settingsProblems().join('\n'), /nginx\.pathMap: "\/etc\/nginx" → "\/tmp": a top-level or system folder is never read/);
    // a mapping onto a folder of the workspace is read, as before
    mkdirSync(join(ws, 'mapped'));
    writeFileSync(join(ws, 'mapped', secretName), 'bogus_mapped on;\n');
    const ls2 = getLanguageService({ fs: new NodeFileSystem(), folders: [ws], settings: resolveSettings({ pathMap: { '/etc/nginx': join(ws, 'mapped') } }) });
    const f2 = ls2.findingsFor(uri);
    assert.equal(f2.filter((f) => f.code === 'include-outside').length, 4);
    assert.ok(ls2.workspace.viewsFor(pathToUri(join(ws, 'mapped', secretName))).length >= 1);
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(secretPath, { force: true });
  }
});

test('a rootfs -> / symlink in the workspace is not crawled (main files, workspace symbols)', { skip: !isLinux && 'needs symlinks', timeout: 20_000 }, () => {
  const ws = tmpWorkspace({ 'nginx.conf': 'events {}\nhttp { server { server_name inside.example; } }\n' });
  symlinkSync('/', join(ws, 'rootfs'));
  try {
    const fs = new SpyFs();
    const ls = getLanguageService({ fs, folders: [ws] });
    const t0 = Date.now();
    const names = ls.workspaceSymbols('').map((s) => s.name);
    assert.ok(Date.now() - t0 < 2000);
    assert.ok(names.some((n) => n.includes('inside.example')));
    assert.deepEqual(ls.workspace.mainFiles(), [join(ws, 'nginx.conf')]);
    assert.deepEqual(fs.touched.filter((p) => !p.startsWith(ws) || p.startsWith(join(ws, 'rootfs'))), []);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

const cliBin = join(repoRoot, 'bin', 'nginx-lint.js');
const built = existsSync(join(repoRoot, 'dist', 'cli.js'));

test('the CLI refuses devices and FIFOs with exit 2, quickly, and does not follow links out of a folder', { skip: (!isLinux && 'needs Linux') || (!built && 'dist/cli.js not built (npm run build)'), timeout: 30_000 }, () => {
  const ws = tmpWorkspace({ 'site/a.conf': 'events {}\n' });
  execFileSync('mkfifo', [join(ws, 'fifo.conf')]);
  symlinkSync('/', join(ws, 'site', 'rootfs'));
  try {
    for (const [arg, want] of [['/dev/zero', /\/dev\/zero is a file of \/proc, \/sys or \/dev/], [join(ws, 'fifo.conf'), /a FIFO \(named pipe\), not a regular file/]] as const) {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [cliBin, arg], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, want);
      assert.ok(Date.now() - t0 < 5000);
    }
    const r = spawnSync(process.execPath, [cliBin, join(ws, 'site')], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /1 file\(s\)/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('the CLI following includes: a FIFO among them does not block, an included file with a BOM is an error as in nginx -t', { skip: (!isLinux && 'needs Linux') || (!built && 'dist/cli.js not built (npm run build)'), timeout: 30_000 }, () => {
  const ws = tmpWorkspace({ 'nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n', 'conf.d/a.conf': '\ufeffserver {\n  listen 80;\n}\n' });
  execFileSync('mkfifo', [join(ws, 'conf.d', 'fifo.conf')]);
  try {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cliBin, join(ws, 'nginx.conf')], { encoding: 'utf8', timeout: 10_000 });
    assert.ok(Date.now() - t0 < 8000, 'no blocking read of the FIFO');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /conf\.d\/a\.conf:1:1: error input-invalid the file starts with a UTF-8 byte order mark/);
    assert.match(r.stdout, /nginx\.conf:3:\d+: warning include-unreadable .*FIFO/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('an include chain 5,000 files deep: no stack overflow, followed to MAX_INCLUDE_DEPTH and said so', () => {
  const files: Record<string, string> = { '/c/nginx.conf': 'events {}\nhttp { server { listen 80; include f0.inc; } }\n' };
  for (let i = 0; i < 5000; i++) files[`/c/f${i}.inc`] = `location /l${i} { proxy_pass http://x; include f${i + 1}.inc; }\n`;
  const ls = getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/c'] });
  const t0 = Date.now();
  for (const f of ['nginx.conf', 'f0.inc', `f${MAX_INCLUDE_DEPTH - 2}.inc`, 'f4000.inc']) noInternal(ls.findingsFor(pathToUri(`/c/${f}`)));
  const limit = ls.findingsFor(pathToUri(`/c/f${MAX_INCLUDE_DEPTH - 2}.inc`)).filter((f) => f.code === INPUT_LIMIT);
  assert.equal(limit.length, 1);
  assert.match(limit[0].message, /more than 32 files deep/);
  assert.ok(Date.now() - t0 < 10_000);
});

test('include-glob and include-outside: bad and good fixtures', { skip: !isLinux && 'include-outside/bad includes /etc/passwd' }, () => {
  const RULES = join(repoRoot, 'test/fixtures/rules');
  for (const code of ['include-glob', 'include-outside']) {
    for (const kind of ['bad', 'good']) {
      const dir = join(RULES, code, kind);
      const fs = new SpyFs();
      const ls = getLanguageService({ fs, folders: [dir] });
      const found = ls.findingsFor(pathToUri(join(dir, 'nginx.conf'))).filter((f) => f.code.startsWith('include'));
      assert.deepEqual(found.map((f) => f.code), kind === 'bad' ? [code] : [], `${code}/${kind}: ${JSON.stringify(found.map((f) => f.message))}`);
      assert.deepEqual(fs.touched.filter((p) => !p.startsWith(dir)), []);
    }
  }
});

test('nesting through includes: 40 files each 99 levels deep (scope chains of ~3,000 levels) give normal diagnostics', () => {
  const files: Record<string, string> = { '/n/nginx.conf': 'events {}\nhttp { server { listen 80; include f0.inc; } }\n' };
  const depth = MAX_NESTING - 2;
  for (let i = 0; i < 40; i++) {
    files[`/n/f${i}.inc`] = 'location / { '.repeat(depth) + `proxy_pass http://x; proxy_set_header Upgrade $http_upgrade; include f${i + 1}.inc; ` + '}'.repeat(depth) + '\n';
  }
  const ls = getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/n'] });
  for (const f of ['f0.inc', 'f20.inc', `f${MAX_INCLUDE_DEPTH - 2}.inc`]) {
    const found = ls.findingsFor(pathToUri(`/n/${f}`));
    noInternal(found);
    assert.ok(found.some((x) => x.code === 'ws-connection-header'), `${f}: the WebSocket rules ran`);
  }
});

test('nginx-lint --format --write: atomic replace (a link stays a link), honest count; SARIF uris percent-encoded', { skip: (!isLinux && 'needs POSIX permissions') || (!built && 'dist/cli.js not built (npm run build)'), timeout: 30_000 }, () => {
  const ws = tmpWorkspace({ 'sites-available/app.conf': 'server {\nlisten 80;\n}\n', 'dir with space/a#b%c.conf': 'events {\n' });
  mkdirSync(join(ws, 'sites-enabled'));
  symlinkSync(join(ws, 'sites-available/app.conf'), join(ws, 'sites-enabled/app.conf'));
  try {
    let r = spawnSync(process.execPath, [cliBin, '--format', '--write', join(ws, 'sites-enabled/app.conf')], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /1 file\(s\) reformatted/);
    assert.equal(readFileSync(join(ws, 'sites-available/app.conf'), 'utf8'), 'server {\n    listen 80;\n}\n');
    assert.ok(lstatSync(join(ws, 'sites-enabled/app.conf')).isSymbolicLink(), 'the link is kept');
    assert.deepEqual(readdirSync(join(ws, 'sites-available')), ['app.conf'], 'no temporary file left');
    // a write that fails is not counted as reformatted
    writeFileSync(join(ws, 'sites-available/app.conf'), 'server {\nlisten 81;\n}\n');
    chmodSync(join(ws, 'sites-available'), 0o555);
    const asRoot = process.getuid?.() === 0;
    r = spawnSync(process.execPath, [cliBin, '--format', '--write', join(ws, 'sites-available/app.conf')], { encoding: 'utf8', timeout: 10_000 });
    chmodSync(join(ws, 'sites-available'), 0o755);
    if (!asRoot) {
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot write \(EACCES\)/);
      assert.match(r.stderr, /0 file\(s\) reformatted/);
    }
    r = spawnSync(process.execPath, [cliBin, '--format', 'sarif', 'dir with space/a#b%c.conf'], { cwd: ws, encoding: 'utf8', timeout: 10_000 });
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'dir%20with%20space/a%23b%25c.conf');
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('nginx-lint fails a file with a UTF-8 BOM, as nginx -t does (unknown directive "\\ufeffevents")', { skip: !built && 'dist/cli.js not built (npm run build)', timeout: 20_000 }, () => {
  const ws = tmpWorkspace({});
  writeFileSync(join(ws, 'bom.conf'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('events {}\n')]));
  writeFileSync(join(ws, 'plain.conf'), 'events {}\n');
  try {
    const r = spawnSync(process.execPath, [cliBin, 'bom.conf'], { cwd: ws, encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^bom\.conf:1:1: error input-invalid the file starts with a UTF-8 byte order mark/m);
    assert.equal(spawnSync(process.execPath, [cliBin, 'plain.conf'], { cwd: ws, encoding: 'utf8', timeout: 10_000 }).status, 0);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('include of a file over 10 MB or of a binary file: include-unreadable, as nginx -t would fail', { timeout: 20_000 }, () => {
  const ws = tmpWorkspace({ 'nginx.conf': 'events {}\nhttp {\n    include big.conf;\n    include bin.conf;\n    include ok.conf;\n}\n', 'ok.conf': 'server { listen 80; }\n' });
  writeFileSync(join(ws, 'big.conf'), Buffer.alloc(11 * 1024 * 1024, 0x23));
  writeFileSync(join(ws, 'bin.conf'), Buffer.from([0x73, 0x65, 0x00, 0x01]));
  try {
    const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [ws] });
    const msgs = ls.findingsFor(pathToUri(join(ws, 'nginx.conf'))).filter((f) => f.code === 'include-unreadable').map((f) => f.message);
    assert.equal(msgs.length, 2, JSON.stringify(msgs));
    assert.match(msgs[0], /big\.conf: file is too large to analyse \(11\.0 MB; the limit is 10 MB\)/);
    assert.match(msgs[1], /bin\.conf: this looks like a binary file/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------ line endings

test('CR-only line endings: ranges on the lines the editor shows, nginx line numbers in messages, formatting keeps the text', () => {
  const lines = ['events {}', 'http {', '  server {', '    listen 80;', '    bogus_directive on;', '    location / {', '  }', '}'];
  const text = lines.join('\r');
  const { ls, findings } = lint(text);
  const diags = ls.validate(URI);
  const unknown = diags.find((d) => d.code === 'directive-unknown');
  assert.ok(unknown, JSON.stringify(findings.map((f) => f.code)));
  assert.equal(unknown.range.start.line, 4, 'bogus_directive is on the fifth line (CR ends a line in LSP)');
  assert.equal(unknown.range.start.character, 4);
  // the unclosed block: reported at the end of the file (line 7 in the editor); the message's line
  // number is nginx's, which counts LFs only (the whole file is line 1 for nginx)
  const eof = diags.find((d) => typeof d.message === 'string' && /unexpected end of file/.test(d.message));
  assert.ok(eof);
  assert.equal(eof.range.start.line, 7);
  assert.match(String(eof.message), /opened on line 1\b/);
  // mixed endings: CRLF counts once, a lone CR and an LF each end a line
  const mixed = parse('a;\r\nb;\rc;\nd;');
  assert.deepEqual([...mixed.lineStarts], [0, 4, 7, 10]);
  // formatting a CR-only file (without the syntax error) changes only whitespace (a lone CR is
  // whitespace to nginx; the formatter writes LF line breaks) and the result parses to the same tokens
  const closed = text + '\r}';
  const file = parse(closed);
  const out = applyEdits(closed, formatFile(file, { tabSize: 4, insertSpaces: true }));
  assert.equal(out.replace(/\s/g, ''), closed.replace(/\s/g, ''));
  assert.deepEqual(parse(out).errors, []);
});

/**
 * nginx-lint: the language service on the command line, for CI pipelines.
 *
 *   nginx-lint [options] <file|folder|glob>...
 *
 * Exit codes: 0 no error, 1 at least one error-severity diagnostic (or, with --format --check, a file
 * that is not formatted), 2 bad usage or unreadable input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  applyEdits, BOM_MESSAGE, compileSettingsGlob, createLanguageService, decodeInput, formatFile, isNginxFileName, parseDotEnv, positionAt, resolveSettings, ruleRegistry,
  type NginxLanguageService, type Settings,
} from './service/index';
import { NodeFileSystem, readRegularFile } from './nodeFileSystem';
import { VERSION } from './version';

const HELP = `Usage: nginx-lint [options] <file|folder|glob>...
       nginx-lint route URL [--host H] [--address IP:PORT] [--method M] [--format json|text] [--nginx-version V] FILE

Lints nginx configuration files: syntax, directive names, contexts and arguments,
variables, includes, and WebSocket proxying mistakes. Folders are searched for
nginx.conf, *.conf, *.nginx, *.conf.template and files under sites-*/ and conf.d/.

Options:
  --format json|text|sarif  output format (default: text: path:line:col: severity code message)
  --format [--write|--check]
                            format the files instead of linting: print the result,
                            rewrite them in place (--write), or exit 1 if any would change (--check)
  --indent N|tab            indentation for --format (default: 4 spaces)
  --config FILE             settings JSON (the "nginx.*" settings, without the prefix)
  --rule CODE=SEVERITY      set a rule's severity (error|warning|information|hint|off); repeatable
  --nginx-version X.Y       target nginx version (e.g. 1.26)
  --plus                    allow NGINX Plus directives
  --env NAME=VALUE          render templates (*.template, templates/, "# nginx: template")
                            with this value, as envsubst would, and lint the result; repeatable
  --env-file FILE           the same with every NAME=VALUE line of FILE (.env syntax); repeatable
  --render                  print each template rendered with those values instead of linting
  --quiet                   report errors only
  --list-rules              print every rule code with its family, default severity and
                            whether "Fix all" applies it (tab-separated; with --format json: JSON)
  --no-color                (accepted for compatibility; output is never colored)
  -h, --help                this help

route: which server and location of FILE's configuration answer a request for URL
(nginx's own selection; docs/routing.md). --address is the ip:port the request arrives
on (default: the first server's first listen); JSON output: server, location, chain.
  -v, --version             print the version

Exit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

interface Options {
  targets: string[];
  output: 'text' | 'json' | 'sarif';
  formatMode: null | 'print' | 'write' | 'check';
  indent: { tabSize: number; insertSpaces: boolean };
  settings: Record<string, unknown>;
  quiet: boolean;
  /** --env / --env-file values (null: none given: templates are checked with stand-in values) */
  env: Map<string, string> | null;
  render: boolean;
  /** --list-rules: print the rule registry instead of linting */
  listRules: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const o: Options = { targets: [], output: 'text', formatMode: null, indent: { tabSize: 4, insertSpaces: true }, settings: {}, quiet: false, env: null, render: false, listRules: false };
  const rules: Record<string, string> = {};
  let write = false, check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string) => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    if (a === '--format' || a === '-f' || a === '--output-format') {
      const next = argv[i + 1];
      if (next === 'json' || next === 'text' || next === 'sarif') {
        o.output = next;
        i++;
      } else if (a === '--output-format') {
        throw new UsageError(`--output-format must be json, text or sarif`);
      } else {
        o.formatMode = 'print';
      }
    } else if (a.startsWith('--format=')) {
      const v = a.slice(9);
      if (v !== 'json' && v !== 'text' && v !== 'sarif') throw new UsageError(`unknown output format "${v}" (json, text or sarif)`);
      o.output = v;
    } else if (a === '--write' || a === '-w') write = true;
    else if (a === '--check') check = true;
    else if (a === '--indent') {
      const v = value('--indent');
      if (v === 'tab') o.indent = { tabSize: 4, insertSpaces: false };
      else if (/^[1-8]$/.test(v)) o.indent = { tabSize: Number(v), insertSpaces: true };
      else throw new UsageError(`--indent must be 1-8 or "tab", not "${v}"`);
    } else if (a === '--config') {
      const file = value('--config');
      let raw: string;
      try {
        raw = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read settings file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      }
      try {
        const parsed = JSON.parse(raw);
        o.settings = parsed && typeof parsed === 'object' ? (parsed.nginx ?? parsed) : {};
      } catch (err) {
        throw new UsageError(`settings file ${file} is not valid JSON: ${(err as Error).message}`);
      }
    } else if (a === '--rule') {
      const v = value('--rule');
      const m = /^([a-z0-9-]+)=(error|warning|information|hint|off)$/.exec(v);
      if (!m) throw new UsageError(`--rule expects CODE=error|warning|information|hint|off, not "${v}"`);
      rules[m[1]] = m[2];
    } else if (a === '--nginx-version') o.settings.version = value('--nginx-version');
    else if (a === '--plus') o.settings.plus = true;
    else if (a === '--env' || a === '-e') {
      const v = value('--env');
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
      if (!m) throw new UsageError(`--env expects NAME=VALUE, not "${v}"`);
      (o.env ??= new Map()).set(m[1], m[2]);
    } else if (a === '--env-file') {
      const file = value('--env-file');
      let raw: string;
      try {
        raw = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read env file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      }
      o.env ??= new Map();
      for (const d of parseDotEnv(raw, file)) if (d.value !== null) o.env.set(d.name, d.value);
    } else if (a === '--render') o.render = true;
    else if (a === '--quiet' || a === '-q') o.quiet = true;
    else if (a === '--list-rules') o.listRules = true;
    else if (a === '--no-color') { /* nothing to do */ }
    else if (a === '--') o.targets.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else o.targets.push(a);
  }
  if (Object.keys(rules).length) o.settings.rules = { ...(o.settings.rules as object | undefined), ...rules };
  if ((write || check) && !o.formatMode) throw new UsageError('--write and --check only go with --format');
  if (o.formatMode) o.formatMode = write ? 'write' : check ? 'check' : 'print';
  if (!o.targets.length && !o.listRules) throw new UsageError('no files given');
  return o;
}

// ------------------------------------------------------------------ file discovery

function walkDir(dir: string, out: string[], seen: Set<string>, root?: string): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return; // symlink loops
  // a link out of the folder given (`rootfs -> /`) would crawl the whole disk
  root ??= real;
  if (real !== root && !real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return;
  seen.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = fs.statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue;
      }
    }
    if (isDir) walkDir(p, out, seen, root);
    else if (isFile && isNginxFileName(p)) out.push(p);
  }
}

function expandTargets(targets: string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  for (const t of targets) {
    if (/[*?[]/.test(t) && !fs.existsSync(t)) {
      // a glob the shell did not expand: walk from its static prefix
      const norm = t.split(path.sep).join('/');
      const firstMeta = norm.search(/[*?[]/);
      const base = norm.slice(0, norm.lastIndexOf('/', firstMeta) + 1) || './';
      const re = compileSettingsGlob(norm);
      if (re.error) problems.push(`${t}: ${re.error}`);
      const found: string[] = [];
      const all: string[] = [];
      const walkAll = (dir: string) => {
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          if (e.name === 'node_modules' || e.name === '.git') continue;
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walkAll(p);
          else all.push(p);
        }
      };
      walkAll(base);
      for (const p of all.sort()) {
        const rel = p.split(path.sep).join('/');
        if (re.test(rel) || re.test(rel.replace(/^\.\//, ''))) found.push(p);
      }
      if (!found.length) problems.push(`${t}: no file matches this pattern`);
      files.push(...found);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(t);
    } catch (err) {
      problems.push(`${t}: cannot read (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as NodeJS.ErrnoException).code ?? err})`);
      continue;
    }
    if (st.isDirectory()) {
      const before = files.length;
      walkDir(t, files, new Set());
      if (files.length === before) problems.push(`${t}: no nginx configuration files in this folder`);
    } else files.push(t);
  }
  return { files: [...new Set(files.map((f) => path.resolve(f)))], problems };
}

/**
 * Replaces a file's content as one step: a temporary file beside the real file (links resolved, so
 * a sites-enabled link stays a link), with the original mode, renamed over it. A reader never sees
 * an empty or half-written configuration. Returns the error code, or null.
 */
function writeAtomically(file: string, text: string): string | null {
  let tmp: string | null = null;
  try {
    const real = fs.realpathSync(file);
    const mode = fs.statSync(real).mode & 0o7777;
    tmp = path.join(path.dirname(real), `.${path.basename(real)}.nginx-lint-${process.pid}.tmp`);
    fs.writeFileSync(tmp, text, { mode, flag: 'wx' });
    fs.renameSync(tmp, real);
    tmp = null;
    return null;
  } catch (err) {
    return String((err as NodeJS.ErrnoException).code ?? err);
  } finally {
    if (tmp) try { fs.unlinkSync(tmp); } catch { /* never created */ }
  }
}

/** A relative path as a URI reference (SARIF artifactLocation.uri): each segment percent-encoded. */
export function relativeUri(rel: string): string {
  return rel.split(path.sep).join('/').split('/').map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg))).join('/');
}

// ------------------------------------------------------------------ output

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

interface Row {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** The files `file`'s includes reach (transitively, below it only), in nginx's reading order. */
function includedFiles(service: NginxLanguageService, file: string): string[] {
  return service.includedPaths(pathToFileURL(file).href);
}

/** The rule registry as `code<TAB>family<TAB>default severity<TAB>fix-all<TAB>description` lines, or as JSON. */
function listRules(json: boolean): string {
  const rows = ruleRegistry.map((r) => ({ code: r.code, family: r.family, defaultSeverity: r.defaultSeverity, fixAll: r.fixAll, description: r.description, docs: r.docs }));
  if (json) return JSON.stringify(rows, null, 2) + '\n';
  return rows.map((r) => [r.code, r.family, r.defaultSeverity, r.fixAll ? 'fix-all' : '-', r.description].join('\t') + '\n').join('');
}

export function main(argv: string[]): number {
  if (argv[0] === 'route') return routeMain(argv.slice(1));
  let opts: Options | 'help' | 'version';
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`nginx-lint: ${err.message}\nRun "nginx-lint --help" for usage.\n`);
      return 2;
    }
    throw err;
  }
  if (opts === 'help') {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (opts === 'version') {
    process.stdout.write(`nginx-lint ${VERSION}\n`);
    return 0;
  }
  if (opts.listRules) {
    process.stdout.write(listRules(opts.output === 'json'));
    return 0;
  }
  const settings: Settings = resolveSettings(opts.settings);
  const { files, problems } = expandTargets(opts.targets);
  let exit = 0;
  for (const p of problems) {
    process.stderr.write(`nginx-lint: ${p}\n`);
    exit = 2;
  }

  const folders = [...new Set(opts.targets.filter((t) => { try { return fs.statSync(t).isDirectory(); } catch { return false; } }).map((t) => path.resolve(t)))];
  if (!folders.length) for (const f of files) folders.push(path.dirname(f));
  const service = createLanguageService({ fs: new NodeFileSystem(), folders: [...new Set(folders)], settings });
  // the user points the CLI at files on purpose: what they include is read wherever it is (with the
  // same file-type, size and glob bounds as in the editor)
  service.readOutsideWorkspace();
  if (opts.env) service.setTemplateValues(opts.env);

  const rows: Row[] = [];
  let errors = 0, warnings = 0, changed = 0;
  const texts = new Map<string, string>();
  for (const file of files) {
    // only regular files of at most 10 MB: `nginx-lint /dev/zero` or a FIFO must not hang or eat memory
    const r = readRegularFile(file);
    if ('problem' in r) {
      process.stderr.write(`nginx-lint: ${file}: ${r.problem}\n`);
      exit = 2;
      continue;
    }
    const { text, problem, bom } = decodeInput(r.bytes);
    if (problem?.severity === 'error') {
      process.stderr.write(`nginx-lint: ${file}: ${problem.message}\n`);
      exit = 2;
      continue;
    }
    if (problem) rows.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'warning', code: 'input-invalid', message: problem.message });
    // nginx -t fails on a BOM; the CLI must not pass such a file
    if (bom && !opts.formatMode) rows.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'input-invalid', message: BOM_MESSAGE });
    texts.set(file, text);
    service.openDocument(pathToFileURL(file).href, text, 1);
  }

  if (opts.render) {
    // what envsubst would print, for each template given (other files are not rendered)
    let rendered = 0;
    for (const file of texts.keys()) {
      const out = service.renderTemplate(pathToFileURL(file).href);
      if (out === null) {
        process.stderr.write(`nginx-lint: ${file}: not a template (name it *.template, put it under templates/, or start it with "# nginx: template")\n`);
        exit = Math.max(exit, 2);
        continue;
      }
      rendered++;
      if (texts.size > 1) process.stdout.write(`# ${path.relative(process.cwd(), file) || file}\n`);
      process.stdout.write(out);
    }
    if (!rendered) exit = Math.max(exit, 2);
    return exit;
  }

  if (!opts.formatMode) {
    // like nginx -t: a configuration checked from its main file is checked with every file it includes
    const known = new Set<string>();
    for (const f of texts.keys()) known.add(realPath(f));
    for (const file of [...texts.keys()]) {
      for (const inc of includedFiles(service, file)) {
        if (known.has(realPath(inc))) continue;
        known.add(realPath(inc));
        // the same guard as for the files given (a FIFO or device include must not block); what is not
        // read is reported on the include line (include-missing / include-unreadable)
        const r = readRegularFile(inc);
        if ('problem' in r) continue;
        const { text, problem, bom } = decodeInput(r.bytes);
        if (problem?.severity === 'error') {
          process.stderr.write(`nginx-lint: ${inc}: ${problem.message}\n`);
          exit = 2;
          continue;
        }
        // nginx -t fails on an included file that starts with a BOM as well
        if (bom && !opts.formatMode) rows.push({ file: inc, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'input-invalid', message: BOM_MESSAGE });
        texts.set(inc, text);
        service.openDocument(pathToFileURL(inc).href, text, 1);
      }
    }
  }

  if (opts.formatMode) {
    for (const [file, text] of texts) {
      const parsed = service.parsed(pathToFileURL(file).href)!;
      if (parsed.errors.length) {
        const limit = parsed.errors.find((e) => e.code);
        if (limit) process.stderr.write(`nginx-lint: ${file}: not formatted: line ${positionAt(parsed, limit.start).line + 1}: ${limit.message}\n`);
        else process.stderr.write(`nginx-lint: ${file}: not formatted: ${parsed.errors.length} syntax error(s), first at line ${positionAt(parsed, parsed.errors[0].start).line + 1}: ${parsed.errors[0].message}\n`);
        exit = Math.max(exit, 1);
        if (opts.formatMode === 'print') process.stdout.write(text);
        continue;
      }
      const out = applyEdits(text, formatFile(parsed, { ...opts.indent, alignMapValues: settings.format.alignMapValues }));
      if (opts.formatMode === 'print') process.stdout.write(out);
      else if (out !== text) {
        if (opts.formatMode === 'write') {
          const problem = writeAtomically(file, out);
          if (problem) {
            process.stderr.write(`nginx-lint: ${file}: cannot write (${problem})\n`);
            exit = 2;
          } else changed++;
        } else {
          changed++;
          process.stdout.write(`${file}: would be reformatted\n`);
        }
      }
    }
    if (opts.formatMode === 'check' && changed) exit = Math.max(exit, 1);
    if (opts.formatMode === 'write') process.stderr.write(`nginx-lint: ${changed} file(s) reformatted\n`);
    return exit;
  }

  for (const file of texts.keys()) {
    const uri = pathToFileURL(file).href;
    const parsed = service.parsed(uri)!;
    for (const f of service.findingsFor(uri)) {
      if (opts.quiet && f.severity !== 'error') continue;
      const s = positionAt(parsed, f.start);
      const e = positionAt(parsed, f.end);
      rows.push({ file, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: f.severity, code: f.code, message: f.message });
    }
  }
  for (const r of rows) {
    if (r.severity === 'error') errors++;
    else if (r.severity === 'warning') warnings++;
  }
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  if (opts.output === 'json') {
    process.stdout.write(JSON.stringify(rows.map((r) => ({ ...r, file: rel(r.file) })), null, 2) + '\n');
  } else if (opts.output === 'sarif') {
    const sarif = {
      version: '2.1.0',
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      runs: [{
        tool: { driver: { name: 'nginx-lint', version: VERSION, informationUri: 'https://github.com/nginx-ls/nginx-language-support' } },
        results: rows.map((r) => ({
          ruleId: r.code,
          level: SARIF_LEVEL[r.severity] ?? 'note',
          message: { text: r.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(rel(r.file)) }, region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } } }],
        })),
      }],
    };
    process.stdout.write(JSON.stringify(sarif, null, 2) + '\n');
  } else {
    for (const r of rows) process.stdout.write(`${rel(r.file)}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`);
    process.stderr.write(`nginx-lint: ${texts.size} file(s), ${errors} error(s), ${warnings} warning(s)\n`);
  }
  if (errors) exit = Math.max(exit, 1);
  return exit;
}

/** Runs the CLI on this process's arguments (bin/nginx-lint.js calls it). */
export function run(): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`nginx-lint: internal error: ${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) run();

const ROUTE_HELP = `Usage: nginx-lint route URL [--host H] [--address IP:PORT] [--method M] [--client IP] [--format json|text] [--nginx-version V] FILE`;

interface RouteRow { file: string; line: number; label: string; detail: string | null }

/** `nginx-lint route`: the routing model on the command line. Exit 0 with a result, 2 on bad usage or an unreadable file. */
function routeMain(argv: string[]): number {
  const fail = (msg: string): number => {
    process.stderr.write(`nginx-lint route: ${msg}\n${ROUTE_HELP}\n`);
    return 2;
  };
  const positional: string[] = [];
  const req: { url: string; host?: string; method?: string; clientAddress?: string; serverAddress?: string; nginxVersion?: string } = { url: '' };
  let format: 'json' | 'text' = 'text';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    try {
      if (name === '-h' || name === '--help') { process.stdout.write(ROUTE_HELP + '\n'); return 0; }
      else if (name === '--host') req.host = value();
      else if (name === '--address' || name === '--server-address') req.serverAddress = value();
      else if (name === '--method') req.method = value();
      else if (name === '--client') req.clientAddress = value();
      else if (name === '--nginx-version') req.nginxVersion = value();
      else if (name === '--format' || name === '-f') {
        const v = value();
        if (v !== 'json' && v !== 'text') return fail(`--format must be json or text, not "${v}"`);
        format = v;
      } else if (name === '--') positional.push(...argv.slice(i + 1)), (i = argv.length);
      else if (a.startsWith('-') && a !== '-' && positional.length >= 1) return fail(`unknown option ${a}`);
      else positional.push(a);
    } catch (err) {
      if (err instanceof UsageError) return fail(err.message);
      throw err;
    }
  }
  if (positional.length !== 2) return fail(positional.length < 2 ? 'give a URL and a FILE' : `one URL and one FILE, not ${positional.length} arguments`);
  const [url, file] = positional;
  req.url = url;
  const r = readRegularFile(file);
  if ('problem' in r) return fail(`${file}: ${r.problem}`);
  const { text, problem } = decodeInput(r.bytes);
  if (problem?.severity === 'error') return fail(`${file}: ${problem.message}`);
  const abs = path.resolve(file);
  const service = createLanguageService({ fs: new NodeFileSystem(), folders: [path.dirname(abs)], settings: resolveSettings({}) });
  service.readOutsideWorkspace();
  const uri = pathToFileURL(abs).href;
  service.openDocument(uri, text, 1);
  const result = service.route(uri, req);
  const row = (s: { uri: string; range: { start: { line: number } }; label: string; detail?: string } | null): RouteRow | null => s && ({
    file: uriFile(s.uri), line: s.range.start.line + 1, label: s.label, detail: s.detail ?? null,
  });
  const out = {
    url,
    normalizedUri: result.normalizedUri,
    server: row(result.server),
    location: row(result.location),
    chain: result.chain.map((c) => ({ kind: c.kind, ...row(c)! })),
    notes: result.notes,
  };
  if (format === 'json') {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const where = (x: RouteRow) => `${path.relative(process.cwd(), x.file) || x.file}:${x.line}`;
  const lines: string[] = [`${url} → ${out.normalizedUri || '(no URI)'}`];
  lines.push(out.server ? `server    ${where(out.server)}  ${out.server.label}${out.server.detail ? `  (${out.server.detail})` : ''}` : 'server    none');
  lines.push(out.location ? `location  ${where(out.location)}  ${out.location.label}${out.location.detail ? `  (${out.location.detail})` : ''}` : 'location  none');
  for (const c of out.chain) lines.push(`${c.kind.padEnd(9)} ${where(c)}  ${c.label}${c.detail ? `  (${c.detail})` : ''}`);
  for (const n of out.notes) lines.push(`note: ${n}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function uriFile(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

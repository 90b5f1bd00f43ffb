/**
 * Environment sources of a Docker workspace, read the way the tools that use them read them:
 * `.env` / `env_file` files (KEY=VALUE lines), compose files (`services.<name>.environment`,
 * `env_file`, `image`, `volumes`), Dockerfiles (`FROM`, `ENV`) and shell scripts. Also finds
 * `envsubst` pipelines that pass no list of names (they replace every `$name`, nginx's own
 * variables included).
 *
 * Pure text parsers plus one collector over the core's FileSystem. The compose reader is not a
 * YAML parser: it follows indentation for the few keys above, which is how compose files are
 * written; anything it does not understand is skipped, never an error.
 */
import type { FileSystem } from '../workspace/fileSystem';
import { basename, dirname, isInside, join } from '../paths';
import { IMAGE_ENV, type EnvDefinition, type EnvKind, type Environment, type PlainEnvsubst } from '../model/template';

export { IMAGE_ENV, type EnvDefinition, type EnvKind, type Environment, type PlainEnvsubst };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function unquote(v: string): string {
  if (v.length >= 2 && ((v[0] === '"' && v.endsWith('"')) || (v[0] === "'" && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}

/** `.env` and compose `env_file` files: `KEY=VALUE`, `export KEY=VALUE`, `# comments`, quoted values. */
export function parseDotEnv(text: string, path: string, kind: EnvKind = 'env-file'): EnvDefinition[] {
  const out: EnvDefinition[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    const lineStart = at;
    at += line.length + 1;
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    let value = m[3].trim();
    if (value[0] === '"' || value[0] === "'") {
      const close = value.indexOf(value[0], 1);
      value = close > 0 ? value.slice(1, close) : value.slice(1);
    } else {
      // an unquoted value ends at ` #`
      const hash = value.search(/\s#/);
      if (hash >= 0) value = value.slice(0, hash).trim();
    }
    const start = lineStart + m[1].length;
    out.push({ name: m[2], value, path, start, end: start + m[2].length, kind, detail: basename(path) });
  }
  return out;
}

/** Logical lines of a Dockerfile (backslash continuations joined, same length), with their start offsets. */
function logicalLines(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let cur = '';
  let start = 0;
  let at = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (cur === '') start = at;
    at += raw.length + 1;
    if (line.endsWith('\\')) {
      // the backslash and the line break become blanks: offsets in the joined line stay the file's
      cur += line.slice(0, -1) + ' '.repeat(raw.length - line.length + 2);
      continue;
    }
    cur += line;
    out.push({ text: cur, start });
    cur = '';
  }
  if (cur) out.push({ text: cur, start });
  return out;
}

/** An image reference that is the nginx image (official, unprivileged, or a registry copy of it). */
export function isNginxImage(ref: string): boolean {
  const name = ref.replace(/^["']|["']$/g, '').split(/[:@]/)[0].toLowerCase();
  return /(^|\/)nginx(-unprivileged)?$/.test(name);
}

export interface DockerfileFacts {
  nginxImage: boolean;
  env: EnvDefinition[];
  envsubst: PlainEnvsubst[];
}

/** `FROM` (is it nginx?), `ENV K=V …` / `ENV K V`, and plain envsubst in `RUN`/`CMD`/`ENTRYPOINT`. */
export function parseDockerfile(text: string, path: string): DockerfileFacts {
  const facts: DockerfileFacts = { nginxImage: false, env: [], envsubst: [] };
  for (const l of logicalLines(text)) {
    const m = /^(\s*)([A-Za-z]+)\s+(.*)$/.exec(l.text);
    if (!m) continue;
    const keyword = m[2].toUpperCase();
    const rest = m[3];
    const restAt = l.start + l.text.length - rest.length;
    if (keyword === 'FROM') {
      const image = rest.split(/\s+/).find((w) => !w.startsWith('--'));
      if (image && isNginxImage(image)) facts.nginxImage = true;
    } else if (keyword === 'ENV') {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
        // ENV K=V K2="v 2"
        const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
        for (let e = re.exec(rest); e; e = re.exec(rest)) {
          const start = restAt + e.index;
          facts.env.push({ name: e[1], value: unquote(e[2]), path, start, end: start + e[1].length, kind: 'dockerfile', detail: 'Dockerfile ENV' });
        }
      } else {
        // ENV K the rest of the line
        const e = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(rest);
        if (e) facts.env.push({ name: e[1], value: unquote(e[2].trim()), path, start: restAt, end: restAt + e[1].length, kind: 'dockerfile', detail: 'Dockerfile ENV' });
      }
    } else if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      facts.envsubst.push(...findPlainEnvsubst(rest, restAt, path));
    }
  }
  return facts;
}

/**
 * `envsubst` commands in a shell text that pass no SHELL-FORMAT argument. GNU envsubst with no
 * argument substitutes every `$NAME` / `${NAME}` it finds (unset ones become empty); with one,
 * only the names it lists. `-v`/`--variables` only prints names: not a substitution.
 */
export function findPlainEnvsubst(text: string, base: number, path: string): PlainEnvsubst[] {
  const out: PlainEnvsubst[] = [];
  const re = /(^|[\s;&|("'`[])envsubst(?=$|[\s;&|)"'\]<>])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1].length;
    // the arguments: up to the end of this command
    const tail = text.slice(at + 'envsubst'.length);
    const end = tail.search(/;|&&|\|\||\||\n|\)|$/);
    const args = tail.slice(0, end);
    const words = args.split(/\s+/).filter(Boolean);
    let hasFormat = false;
    let input: string | null = null;
    let printOnly = false;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === '<') { input = words[i + 1] ?? null; i++; continue; }
      if (w.startsWith('<')) { input = w.slice(1); continue; }
      if (w === '>' || w === '>>') { i++; continue; }
      if (w.startsWith('>')) continue;
      if (w === '-v' || w === '--variables') { printOnly = true; continue; }
      if (w.startsWith('-')) continue;
      // "${A} ${B}", '$A', "$VARS", \"${A}\" in JSON CMD: a format argument
      hasFormat = true;
    }
    if (input === null) {
      // cat x | envsubst
      const before = text.slice(0, m.index + m[1].length);
      const c = /(?:^|[\s;&(])cat\s+(\S+)\s*\|\s*$/.exec(before);
      if (c) input = c[1];
    }
    if (hasFormat || printOnly) continue;
    const line = ('envsubst' + args).replace(/["',\]]+\s*$/, '').trim();
    out.push({
      path,
      start: base + at,
      end: base + at + 'envsubst'.length,
      input: input ? basename(unquote(input.replace(/[",\]]+$/, ''))) : null,
      command: line.length > 120 ? line.slice(0, 117) + '…' : line,
    });
  }
  return out;
}

export interface ComposeService {
  name: string;
  image: string | null;
  env: EnvDefinition[];
  envFiles: string[];
  /** host folders mounted (source, target) */
  volumes: { source: string; target: string }[];
}

export interface ComposeFacts {
  services: ComposeService[];
  envsubst: PlainEnvsubst[];
}

/** The services of a compose file with their image, `environment`, `env_file` and `volumes`. */
export function parseCompose(text: string, path: string): ComposeFacts {
  const services: ComposeService[] = [];
  const lines = text.split('\n');
  let at = 0;
  let servicesIndent = -1;
  let serviceIndent = -1;
  let svc: ComposeService | null = null;
  /** the service key being read and its indentation */
  let key: string | null = null;
  let keyIndent = -1;
  for (const raw of lines) {
    const lineStart = at;
    at += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trimStart();
    if (indent === 0) {
      servicesIndent = /^services\s*:\s*$/.test(body) ? 0 : -1;
      svc = null;
      serviceIndent = -1;
      key = null;
      continue;
    }
    if (servicesIndent < 0) continue;
    if (serviceIndent < 0 || indent <= serviceIndent) {
      const m = /^([A-Za-z0-9._-]+)\s*:\s*$/.exec(body);
      if (m && (serviceIndent < 0 || indent === serviceIndent)) {
        serviceIndent = indent;
        svc = { name: m[1], image: null, env: [], envFiles: [], volumes: [] };
        services.push(svc);
        key = null;
      }
      continue;
    }
    if (!svc) continue;
    const bodyAt = lineStart + indent;
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s+(.*))?$/.exec(body);
    if (key === null || indent <= keyIndent) {
      key = null;
      if (!kv) continue;
      const value = (kv[2] ?? '').replace(/\s+#.*$/, '').trim();
      if (kv[1] === 'image') svc.image = unquote(value);
      else if (kv[1] === 'env_file' && value && !value.startsWith('[')) svc.envFiles.push(unquote(value));
      else if (kv[1] === 'env_file' && value.startsWith('[')) svc.envFiles.push(...value.slice(1, -1).split(',').map((s) => unquote(s.trim())).filter(Boolean));
      if (!value && (kv[1] === 'environment' || kv[1] === 'env_file' || kv[1] === 'volumes')) {
        key = kv[1];
        keyIndent = indent;
      }
      continue;
    }
    // an entry of environment / env_file / volumes
    const item = /^-\s*(.*)$/.exec(body);
    if (key === 'environment') {
      const detail = `service ${svc.name}, environment (${basename(path)})`;
      if (item) {
        // - NAME=value  /  - NAME
        const e = /^(["']?)([A-Za-z_][A-Za-z0-9_]*)(?:=(.*?))?\1\s*$/.exec(item[1]);
        if (!e) continue;
        const start = bodyAt + (body.length - item[1].length) + e[1].length;
        svc.env.push({ name: e[2], value: e[3] === undefined ? null : e[3], path, start, end: start + e[2].length, kind: 'compose', detail });
      } else if (kv) {
        const value = (kv[2] ?? '').replace(/\s+#.*$/, '').trim();
        svc.env.push({ name: kv[1], value: value === '' ? null : unquote(value), path, start: bodyAt, end: bodyAt + kv[1].length, kind: 'compose', detail });
      }
    } else if (key === 'env_file' && item) {
      const v = item[1].replace(/^path\s*:\s*/, '').trim();
      if (v) svc.envFiles.push(unquote(v));
    } else if (key === 'volumes' && item) {
      const v = unquote(item[1].trim());
      const parts = v.split(':');
      if (parts.length >= 2) svc.volumes.push({ source: parts[0], target: parts[1] });
    }
  }
  return { services, envsubst: findPlainEnvsubst(text, 0, path) };
}

/** Files whose changes change what templates get (for the editor's file watchers). */
export const ENVIRONMENT_GLOBS: readonly string[] = ['**/.env', '**/*.env', '**/*compose*.y*ml', '**/Dockerfile*', '**/*.dockerfile'];

/** true for a compose file, .env / env file or Dockerfile (by name) */
export function isEnvironmentSource(uriOrPath: string): boolean {
  const n = basename(uriOrPath);
  return n === '.env' || n.endsWith('.env') || COMPOSE.test(n) || DOCKERFILE.test(n);
}

const COMPOSE = /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/;
const DOCKERFILE = /^(Dockerfile|Containerfile)(\.[\w.-]+)?$|\.(dockerfile|containerfile)$/i;
const SCRIPT = /\.(sh|bash)$/;


function firstValue(defs: Map<string, EnvDefinition[]>, name: string): string | null {
  for (const d of defs.get(name) ?? []) if (d.value !== null) return d.value;
  return null;
}

/** Compose's own interpolation in a value: `${X}`, `${X:-default}`, `$X` from `.env`, else the default. */
export function composeValue(v: string | null, dotEnv: Map<string, EnvDefinition[]>): string | null {
  if (v === null) return null;
  // `X: ${X}` with no .env value and no default: what the shell running compose has, unknown here
  const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v);
  if (whole && firstValue(dotEnv, whole[1]) === null) return null;
  return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a: string, def: string | undefined, b: string) =>
    firstValue(dotEnv, a ?? b) ?? def ?? '');
}

/**
 * The environment a template at `path` gets: every source in its folder and the folders above it,
 * up to the workspace folder holding it and at least two levels up. Nearer sources come first.
 */
export function collectEnvironment(fs: FileSystem | null, path: string, folders: string[]): Environment {
  const env: Environment = {
    defs: new Map(), hasSources: false, nginxImage: false, templateDirs: [], plainEnvsubst: [],
    suffix: '.template', filter: null, templateDir: '/etc/nginx/templates',
  };
  if (!fs) return env;
  const add = (d: EnvDefinition) => {
    if (!NAME.test(d.name)) return;
    const list = env.defs.get(d.name);
    if (list) list.push(d); else env.defs.set(d.name, [d]);
    env.hasSources = true;
  };
  const root = folders.filter((f) => isInside(path, f)).sort((a, b) => b.length - a.length)[0];
  const dirs: string[] = [];
  // up to the workspace folder, and at least two folders up (compose.yaml beside nginx/templates/x.template,
  // even when the folder given is the template's own, as the CLI does for a file argument)
  for (let d = dirname(path), i = 0; i < 16; d = dirname(d), i++) {
    dirs.push(d);
    if (i >= 2 && (!root || d === root || !isInside(d, root))) break;
    if (d === dirname(d)) break;
  }
  const composeDefs: EnvDefinition[] = [];
  for (const dir of dirs) {
    const list = fs.readDir(dir);
    if (!list) continue;
    const names = list.filter((e) => !e.isDirectory).map((e) => e.name).sort();
    const dotEnv = new Map<string, EnvDefinition[]>();
    if (names.includes('.env')) {
      const p = join(dir, '.env');
      const text = fs.readFile(p);
      if (text !== null) for (const d of parseDotEnv(text, p)) { add(d); (dotEnv.get(d.name) ?? dotEnv.set(d.name, []).get(d.name)!).push(d); }
    }
    let dirUsesNginx = false;
    for (const n of names) {
      const p = join(dir, n);
      if (DOCKERFILE.test(n)) {
        const text = fs.readFile(p);
        if (text === null) continue;
        const f = parseDockerfile(text, p);
        if (f.nginxImage) dirUsesNginx = true;
        f.env.forEach(add);
        env.plainEnvsubst.push(...f.envsubst);
      } else if (COMPOSE.test(n)) {
        const text = fs.readFile(p);
        if (text === null) continue;
        const f = parseCompose(text, p);
        env.plainEnvsubst.push(...f.envsubst);
        // the nginx services' environment is the template's (a database's is not); without one, every service's
        const usesNginx = (s: ComposeService) => (s.image !== null && isNginxImage(composeValue(s.image, dotEnv) ?? s.image))
          || s.volumes.some((v) => v.target.replace(/\/+$/, '') === '/etc/nginx/templates');
        const nginxServices = f.services.filter(usesNginx);
        for (const s of nginxServices.length ? nginxServices : f.services) {
          const nginx = usesNginx(s);
          if (nginx) dirUsesNginx = true;
          for (const e of s.env) composeDefs.push({ ...e, value: composeValue(e.value, dotEnv) ?? firstValue(dotEnv, e.name) });
          for (const ef of s.envFiles) {
            const fp = join(dir, ef);
            const t = fs.readFile(fp);
            if (t !== null && fp !== join(dir, '.env')) parseDotEnv(t, fp).forEach(add);
            else if (t !== null) env.hasSources = true;
          }
          for (const v of s.volumes) {
            if (!v.source.startsWith('.') && !v.source.startsWith('/')) continue; // a named volume
            // ./nginx:/etc/nginx/templates: the host folder is what the image renders
            if (v.target.replace(/\/+$/, '') === '/etc/nginx/templates') env.templateDirs.push(join(dir, v.source));
          }
        }
      } else if (SCRIPT.test(n)) {
        const text = fs.readFile(p);
        if (text !== null && text.includes('envsubst')) env.plainEnvsubst.push(...findPlainEnvsubst(text, 0, p));
      }
    }
    if (dirUsesNginx) {
      env.nginxImage = true;
      env.templateDirs.push(join(dir, 'templates'));
    }
  }
  composeDefs.forEach(add);
  // compose values first: they are what the container gets (a .env next to compose only feeds interpolation)
  for (const [name, list] of env.defs) env.defs.set(name, [...list.filter((d) => d.kind === 'compose'), ...list.filter((d) => d.kind !== 'compose')]);
  const suffix = firstValue(env.defs, 'NGINX_ENVSUBST_TEMPLATE_SUFFIX');
  if (suffix) env.suffix = suffix;
  const dir = firstValue(env.defs, 'NGINX_ENVSUBST_TEMPLATE_DIR');
  if (dir) env.templateDir = dir.replace(/\/+$/, '');
  const filter = firstValue(env.defs, 'NGINX_ENVSUBST_FILTER');
  if (filter) {
    try {
      env.filter = new RegExp(filter);
    } catch {
      env.filter = null; // awk would refuse it too; then nothing we can say about the filter
    }
  }
  return env;
}

/** Whether the image's envsubst substitutes `name`: defined in the environment and allowed by NGINX_ENVSUBST_FILTER. */
export function substitutes(env: Environment, name: string): boolean {
  if (!env.defs.has(name) && !IMAGE_ENV.includes(name)) return false;
  return env.filter === null || env.filter.test(name);
}

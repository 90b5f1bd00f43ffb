/**
 * Snippet tests: every snippet in server/src/service/features/snippets/nginx.json expands (with a small TextMate-snippet expander
 * that takes each placeholder's default) and the result is accepted by real `nginx -t`, wrapped in a
 * minimal config for the context named in its contexts.json.
 *
 * The nginx part needs /usr/sbin/nginx and root (nginx -t opens the error log and checks paths as the
 * configured user); without them those tests are skipped with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';

const root = path.resolve(__dirname, '..', '..');

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}
type Context = 'http' | 'server' | 'location';

const snippets = JSON.parse(readFileSync(path.join(root, 'server', 'src', 'service', 'features', 'snippets', 'nginx.json'), 'utf8')) as Record<string, Snippet>;
const contexts = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(path.join(root, 'server', 'src', 'service', 'features', 'snippets', 'contexts.json'), 'utf8')) as Record<string, string>).filter(
    ([k]) => !k.startsWith('$'),
  ),
) as Record<string, Context>;

function bodyOf(s: Snippet): string {
  return Array.isArray(s.body) ? s.body.join('\n') : s.body;
}

// ---------------------------------------------------------------------------------------------------
// A tiny expander for the snippet syntax VS Code uses. Supported: $n, ${n}, ${n:default} (defaults may
// nest), ${n|a,b|} (first choice), $0, and backslash escapes of $ } \ (and , | inside choices).
// Snippet *variables* ($NAME, ${NAME}) are rejected: in an nginx snippet an unescaped `$host` would be
// read by VS Code as a variable and inserted as "host", so it is always a bug here.

type Node = string | { index: number; children: Node[] | null; choices?: string[] };

export function parseSnippet(src: string): Node[] {
  let i = 0;
  function parse(stopAtBrace: boolean): Node[] {
    const out: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push(text);
      text = '';
    };
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\') {
        const n = src[i + 1];
        if (n === '$' || n === '}' || n === '\\') {
          text += n;
          i += 2;
        } else {
          text += c;
          i += 1;
        }
        continue;
      }
      if (c === '}' && stopAtBrace) {
        flush();
        return out;
      }
      if (c === '$') {
        const rest = src.slice(i);
        let m: RegExpMatchArray | null;
        if ((m = rest.match(/^\$(\d+)/))) {
          flush();
          out.push({ index: Number(m[1]), children: null });
          i += m[0].length;
          continue;
        }
        if ((m = rest.match(/^\$\{(\d+)\}/))) {
          flush();
          out.push({ index: Number(m[1]), children: null });
          i += m[0].length;
          continue;
        }
        if ((m = rest.match(/^\$\{(\d+):/))) {
          flush();
          i += m[0].length;
          const children = parse(true);
          assert.equal(src[i], '}', `unterminated placeholder \${${m[1]}:… in ${JSON.stringify(src.slice(0, 80))}`);
          i += 1;
          out.push({ index: Number(m[1]), children });
          continue;
        }
        if ((m = rest.match(/^\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/))) {
          flush();
          const choices = m[2]!.split(/(?<!\\),/).map((s) => s.replace(/\\(.)/g, '$1'));
          out.push({ index: Number(m[1]), children: null, choices });
          i += m[0].length;
          continue;
        }
        if ((m = rest.match(/^\$\{?([A-Za-z_]\w*)/))) {
          throw new Error(`unescaped $${m[1]} is a snippet variable, not an nginx variable: write \\$${m[1]}`);
        }
      }
      text += c;
      i += 1;
    }
    if (stopAtBrace) throw new Error('unterminated ${…} placeholder');
    flush();
    return out;
  }
  const nodes = parse(false);
  return nodes;
}

/** Expands with defaults: each tab stop takes the first default/choice given for its index anywhere. */
export function expandSnippet(src: string): string {
  const nodes = parseSnippet(src);
  const defaults = new Map<number, Node[] | string>();
  const collect = (list: Node[]) => {
    for (const n of list) {
      if (typeof n === 'string') continue;
      if (n.choices && !defaults.has(n.index)) defaults.set(n.index, n.choices[0]!);
      if (n.children) {
        if (!defaults.has(n.index)) defaults.set(n.index, n.children);
        collect(n.children);
      }
    }
  };
  collect(nodes);
  const render = (list: Node[], depth: number): string => {
    assert.ok(depth < 20, 'placeholder refers to itself');
    return list
      .map((n) => {
        if (typeof n === 'string') return n;
        if (n.index === 0) return n.children ? render(n.children, depth + 1) : '';
        const d = n.children ?? defaults.get(n.index) ?? '';
        return typeof d === 'string' ? d : render(d, depth + 1);
      })
      .join('');
  };
  return render(nodes, 0);
}

// ---------------------------------------------------------------------------------------------------

test('expander: placeholders, mirrors, choices, escapes', () => {
  assert.equal(expandSnippet('a ${1:x} $1 ${2|p,q|} $0 \\$v \\} \\\\'), 'a x x p  $v } \\');
  assert.equal(expandSnippet('$1 then ${1:late}'), 'late then late', 'a mirror before its placeholder');
  assert.equal(expandSnippet('${1:http://${2:h}:80} $2'), 'http://h:80 h', 'nested placeholders');
  assert.equal(expandSnippet('${3}'), '');
  assert.throws(() => expandSnippet('proxy_set_header Upgrade $http_upgrade;'), /snippet variable/);
  assert.throws(() => expandSnippet('${1:open'), /unterminated/);
});

test('contexts.json names every snippet and agrees with the descriptions', () => {
  assert.deepEqual(Object.keys(contexts).sort(), Object.keys(snippets).sort());
  for (const [name, ctx] of Object.entries(contexts)) {
    assert.ok(['http', 'server', 'location'].includes(ctx), `${name}: bad context ${ctx}`);
    assert.ok(snippets[name]!.description.startsWith(`(${ctx} context) `), `${name}: description must start with "(${ctx} context) "`);
  }
});

test('the expected snippets exist', () => {
  for (const name of [
    'websocket-setup',
    'ws-location',
    'ws-map',
    'socketio-location',
    'upstream-keepalive',
    'server-block',
    'location-proxy',
    'server-ssl',
    'redirect-https',
  ]) {
    assert.ok(snippets[name], `missing snippet ${name}`);
  }
});

test('prefixes are unique', () => {
  const seen = new Map<string, string>();
  for (const [name, s] of Object.entries(snippets)) {
    for (const p of Array.isArray(s.prefix) ? s.prefix : [s.prefix]) {
      assert.ok(!seen.has(p), `prefix ${p} used by ${seen.get(p)} and ${name}`);
      seen.set(p, name);
    }
  }
});

for (const [name, s] of Object.entries(snippets)) {
  test(`${name}: expands, and every statement line says why it is there`, () => {
    const text = expandSnippet(bodyOf(s));
    assert.ok(!/\$\{\d|\$\d/.test(text), 'tab stop left after expansion');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const code = line.trim();
      if (!code.endsWith(';') || code.startsWith('#')) return;
      const explained = code.includes('#') || (lines[i - 1] ?? '').trim().startsWith('#');
      assert.ok(explained, `${name}: line ${i + 1} "${code}" needs a comment (on it or just above) saying why`);
    });
  });
}

test('WebSocket snippets carry the lines that make WebSocket proxying work', () => {
  const full = expandSnippet(bodyOf(snippets['websocket-setup']!));
  for (const needle of [
    'map $http_upgrade $connection_upgrade {',
    'default upgrade;',
    "'' \"\";",
    'keepalive ',
    'proxy_http_version 1.1;',
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $connection_upgrade;',
    'proxy_set_header Host $host;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_read_timeout 3600s;',
    'proxy_send_timeout 3600s;',
    '# listen 443 ssl;',
    '400',
    '60 s',
  ]) {
    assert.ok(full.includes(needle), `websocket-setup lacks ${JSON.stringify(needle)}`);
  }
  assert.match(full, /proxy_pass http:\/\/ws_backend;/, 'the location proxies to the upstream defined in the snippet');
  const sio = expandSnippet(bodyOf(snippets['socketio-location']!));
  assert.match(sio, /location \/socket\.io\/ \{/);
  assert.match(sio, /proxy_buffering off;/);
  assert.match(sio, /ip_hash/);
  for (const name of ['ws-location', 'socketio-location', 'ws-headers']) {
    assert.match(bodyOf(snippets[name]!), /ws-map/, `${name} must say it needs the map at http level`);
  }
  assert.match(bodyOf(snippets['upstream-keepalive']!), /proxy_http_version 1\.1/);
  assert.match(bodyOf(snippets['upstream-keepalive']!), /Connection "";/);
});

// ---------------------------------------------------------------------------------------------------
// Real nginx -t

const NGINX = '/usr/sbin/nginx';
const nginxSkip = !existsSync(NGINX)
  ? `nginx not installed: ${NGINX} is missing (apt-get install nginx-extras)`
  : process.getuid?.() !== 0
    ? 'nginx -t needs root here (it opens logs and temp paths as the configured user); run the tests as root'
    : undefined;

let certPair: { cert: string; key: string } | undefined;
/** A throwaway self-signed pair, standing in for certificate paths that do not exist on this machine. */
function selfSignedCert(dir: string): { cert: string; key: string } | undefined {
  if (certPair) return certPair;
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=snippet-test',
  ], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  certPair = { cert, key };
  return certPair;
}

function wrap(context: Context, body: string, prefix: string): string {
  // ws-location and friends rely on the map at http level; supply it the way a user would.
  const needsMap = body.includes('$connection_upgrade') && !/^\s*map\s+\$http_upgrade\s+\$connection_upgrade\b/m.test(body);
  const map = needsMap ? expandSnippet(bodyOf(snippets['ws-map']!)) : '';
  const inner =
    context === 'http'
      ? body
      : context === 'server'
        ? `server {\n\tlisten 127.0.0.1:8080;\n\tserver_name snippet-test.invalid;\n${body}\n}`
        : `server {\n\tlisten 127.0.0.1:8080;\n\tserver_name snippet-test.invalid;\n\tlocation / {\n\t\tproxy_pass http://127.0.0.1:3000;\n${body}\n\t}\n}`;
  return [
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/logs/error.log;`,
    'events {}',
    'http {',
    `\taccess_log ${prefix}/logs/access.log;`,
    `\tclient_body_temp_path ${prefix}/tmp/body;`,
    `\tproxy_temp_path ${prefix}/tmp/proxy;`,
    `\tfastcgi_temp_path ${prefix}/tmp/fastcgi;`,
    `\tuwsgi_temp_path ${prefix}/tmp/uwsgi;`,
    `\tscgi_temp_path ${prefix}/tmp/scgi;`,
    map,
    inner,
    '}',
    '',
  ].join('\n');
}

for (const [name, s] of Object.entries(snippets)) {
  test(`${name}: nginx -t accepts it in ${contexts[name]} context`, (t) => {
    if (nginxSkip) {
      t.skip(nginxSkip);
      return;
    }
    const prefix = mkdtempSync(path.join(tmpdir(), 'nginx-snippet-'));
    try {
      mkdirSync(path.join(prefix, 'logs'));
      mkdirSync(path.join(prefix, 'tmp'));
      let body = expandSnippet(bodyOf(s));
      // Certificate paths are examples of where real files live; nginx -t loads them, so swap in
      // a generated pair when the example file is absent.
      const missing = [...body.matchAll(/^\s*(ssl_certificate(?:_key)?)\s+(\S+);/gm)].filter((m) => !existsSync(m[2]!));
      if (missing.length) {
        const pair = selfSignedCert(prefix);
        if (!pair) {
          t.skip('openssl not available to make a stand-in certificate');
          return;
        }
        for (const m of missing) body = body.replace(m[0], m[0].replace(m[2]!, m[1] === 'ssl_certificate' ? pair.cert : pair.key));
      }
      const conf = path.join(prefix, 'nginx.conf');
      const text = wrap(contexts[name]!, body, prefix);
      writeFileSync(conf, text);
      const r = spawnSync(NGINX, ['-t', '-q', '-p', prefix, '-c', conf], { encoding: 'utf8' });
      assert.equal(r.status, 0, `nginx -t rejected ${name}:\n${r.stderr}\n--- config ---\n${text}`);
    } finally {
      certPair = undefined;
      rmSync(prefix, { recursive: true, force: true });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The product on its own snippets: nothing above hint, for nginx before and from 1.29.7 (the map's
// '' value and the upstream keepalive must agree on both); nginx 1.30 -t where it is installed.

const NGINX_T = path.join(root, '..', 'shared', 'tools', 'nginx-t.sh');

for (const name of ['websocket-setup', 'ws-location', 'ws-map', 'ws-headers', 'socketio-location', 'upstream-keepalive']) {
  for (const version of ['1.22', '1.30']) {
    test(`${name}: the product reports nothing above hint on it (nginx ${version})`, (t) => {
      const s = snippets[name];
      if (!s) return t.skip(`no snippet ${name}`);
      const text = wrap(contexts[name]!, expandSnippet(bodyOf(s)), '/tmp/nginx-snippet-lint');
      const ls = getLanguageService({ settings: resolveSettings({ version }) });
      ls.openDocument('file:///snippet/nginx.conf', text);
      const serious = ls.findingsFor('file:///snippet/nginx.conf').filter((f) => f.severity !== 'hint');
      assert.deepEqual(serious.map((f) => `${f.code}: ${f.message}`), [], text);
      if (version === '1.30' && existsSync('/opt/nginx-1.30.6/sbin/nginx') && existsSync(NGINX_T)) {
        const dir = mkdtempSync(path.join(tmpdir(), 'nginx-snippet-130-'));
        try {
          const conf = path.join(dir, 'nginx.conf');
          writeFileSync(conf, text.replace(/^.*\/tmp\/nginx-snippet-lint.*\n/gm, ''));
          const r = spawnSync(NGINX_T, ['1.30', conf], { encoding: 'utf8', timeout: 20000 });
          assert.equal(r.stdout.trim(), 'VALID', `${r.stdout}${r.stderr}\n${text}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  }
}

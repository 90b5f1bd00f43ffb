/**
 * TextMate grammar tests: tokenize nginx snippets with the same engine VS Code uses (vscode-textmate +
 * vscode-oniguruma) and assert the scopes of chosen tokens.
 *
 * The two engine packages are dev dependencies (`npm i -D vscode-textmate vscode-oniguruma`). When they
 * are not installed the tests are skipped with a reason rather than failing. To try the grammar with a
 * throwaway copy, point NGINX_GRAMMAR_MODULES at a node_modules folder that has them:
 *   NGINX_GRAMMAR_MODULES=/tmp/gram/node_modules node --import tsx --test test/unit/grammar.test.ts
 *
 * Embedded Lua is tokenized with a small stub grammar (test/fixtures/grammar/lua-stub.tmLanguage.json):
 * the test is about where the Lua region starts and ends, not about Lua colouring.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const grammarPath = path.join(root, 'syntaxes', 'nginx.tmLanguage.json');
const fixtures = path.join(root, 'test', 'fixtures', 'grammar');

// Minimal structural types, so this file type-checks whether or not the packages are installed.
interface Token {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface LineResult {
  tokens: Token[];
  ruleStack: unknown;
}
interface Grammar {
  tokenizeLine(line: string, ruleStack: unknown): LineResult;
}
interface TextMateModule {
  INITIAL: unknown;
  Registry: new (options: unknown) => { loadGrammar(scopeName: string): Promise<Grammar | null> };
  parseRawGrammar(content: string, filePath: string): unknown;
}
interface OnigurumaModule {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

function tryRequire<T>(name: string): T | undefined {
  const paths = [root, process.env.NGINX_GRAMMAR_MODULES].filter((p): p is string => !!p);
  try {
    return require(require.resolve(name, { paths })) as T;
  } catch {
    return undefined;
  }
}

const textmate = tryRequire<TextMateModule>('vscode-textmate');
const oniguruma = tryRequire<OnigurumaModule>('vscode-oniguruma');
const missing = [!textmate && 'vscode-textmate', !oniguruma && 'vscode-oniguruma'].filter(Boolean).join(', ');
const skipReason = missing ? `not installed: ${missing} (npm i -D vscode-textmate vscode-oniguruma)` : undefined;

let grammarPromise: Promise<Grammar> | undefined;
function loadGrammar(): Promise<Grammar> {
  grammarPromise ??= (async () => {
    const tm = textmate!;
    const onig = oniguruma!;
    const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm', {
      paths: [root, process.env.NGINX_GRAMMAR_MODULES].filter((p): p is string => !!p),
    });
    const wasm = readFileSync(wasmPath);
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const files: Record<string, string> = {
      'source.nginx': grammarPath,
      'source.lua': path.join(fixtures, 'lua-stub.tmLanguage.json'),
    };
    const registry = new tm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
        createOnigString: (s: string) => new onig.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        const file = files[scopeName];
        return file ? tm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
    });
    const grammar = await registry.loadGrammar('source.nginx');
    assert.ok(grammar, 'source.nginx grammar did not load');
    return grammar;
  })();
  return grammarPromise;
}

interface Tok {
  line: number;
  /** absolute offsets in the source */
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

async function tokenize(source: string): Promise<{ tokens: Tok[]; endStack: unknown }> {
  const grammar = await loadGrammar();
  let stack = textmate!.INITIAL;
  const tokens: Tok[] = [];
  let offset = 0;
  source.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      tokens.push({
        line: i,
        start: offset + t.startIndex,
        end: offset + Math.min(t.endIndex, line.length),
        text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      });
    }
    stack = r.ruleStack;
    offset += line.length + 1;
  });
  return { tokens, endStack: stack };
}

/**
 * The tokens covering the `nth` occurrence of `text` in `source` (an occurrence that starts or ends with
 * a word character must not be part of a longer word). The engine may split one visual token (`$` +
 * `name`), so assertions look at every token in the range.
 */
function tokensAt(source: string, tokens: Tok[], text: string, nth = 0): Tok[] {
  let from = 0;
  let seen = 0;
  for (;;) {
    const at = source.indexOf(text, from);
    assert.ok(at >= 0, `${JSON.stringify(text)} (#${nth}) not found in ${JSON.stringify(source)}`);
    from = at + 1;
    const before = source[at - 1] ?? ' ';
    const after = source[at + text.length] ?? ' ';
    if (/\w/.test(text[0]!) && /\w/.test(before)) continue;
    if (/\w/.test(text[text.length - 1]!) && /\w/.test(after)) continue;
    if (seen++ < nth) continue;
    const hit = tokens.filter((t) => t.end > at && t.start < at + text.length);
    assert.ok(hit.length > 0, `no token covers ${JSON.stringify(text)}`);
    return hit;
  }
}

function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

function describeTokens(toks: Tok[]): string {
  return toks.map((t) => `${JSON.stringify(t.text)}=[${t.scopes.slice(1).join(', ')}]`).join(' ');
}

/** [source, token text, expected scope prefix, occurrence] */
type Case = [string, string, string, number?];

async function check(cases: Case[]): Promise<void> {
  for (const [source, text, scope, nth] of cases) {
    const { tokens } = await tokenize(source);
    const hit = tokensAt(source, tokens, text, nth);
    assert.ok(
      hit.every((t) => hasScope(t.scopes, scope)),
      `${JSON.stringify(source)}: ${JSON.stringify(text)} is ${describeTokens(hit)}, expected ${scope}`,
    );
  }
}

async function checkNot(cases: Case[]): Promise<void> {
  for (const [source, text, scope, nth] of cases) {
    const { tokens } = await tokenize(source);
    const hit = tokensAt(source, tokens, text, nth);
    assert.ok(
      !hit.some((t) => hasScope(t.scopes, scope)),
      `${JSON.stringify(source)}: ${JSON.stringify(text)} is ${describeTokens(hit)}, must not have ${scope}`,
    );
  }
}

test('grammar file is well-formed and declares source.nginx', () => {
  const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as { scopeName: string; repository: Record<string, unknown> };
  assert.equal(raw.scopeName, 'source.nginx');
  for (const key of ['comment', 'directive', 'location', 'if', 'map-block', 'lua-block', 'variable', 'number']) {
    assert.ok(raw.repository[key], `repository.${key} missing`);
  }
});

test('comments', { skip: skipReason }, async () => {
  await check([
    ['# hello', '#', 'comment.line.number-sign.nginx'],
    ['gzip on; # trailing', 'trailing', 'comment.line.number-sign.nginx'],
  ]);
  // A # inside a quoted string is text, not a comment.
  await checkNot([['return 200 "a # b";', 'a # b', 'comment']]);
});

test('directive names only at statement start', { skip: skipReason }, async () => {
  await check([
    ['proxy_pass http://x;', 'proxy_pass', 'keyword.other.directive.nginx'],
    ['gzip on; gzip_types text/css;', 'gzip_types', 'keyword.other.directive.nginx'],
    ['http {', 'http', 'keyword.control.block.nginx'],
    ['server {', 'server', 'keyword.control.block.nginx'],
    ['upstream app {', 'upstream', 'keyword.control.block.nginx'],
    ['upstream app {', 'app', 'entity.name.type.upstream.nginx'],
    ['events {}', 'events', 'keyword.control.block.nginx'],
    ['if ($a) { return 403; }', 'if', 'keyword.control.conditional.nginx'],
    ['if ($a) { return 403; }', 'return', 'keyword.other.directive.nginx'],
    ['proxy_set_header\n    Host $host;', 'Host', 'meta.directive.nginx'],
  ]);
  await checkNot([
    // `server` inside upstream is a plain directive with arguments.
    ['server 127.0.0.1:3000;', 'server', 'keyword.control'],
    // an argument that happens to be a directive name
    ['add_header gzip on;', 'gzip', 'keyword.other.directive'],
    // a multi-line statement's continuation line starts with an argument, not a directive
    ['proxy_set_header\n    Host $host;', 'Host', 'keyword.other.directive'],
  ]);
});

test('variables, in arguments and in both kinds of strings', { skip: skipReason }, async () => {
  await check([
    ['proxy_set_header Upgrade $http_upgrade;', '$http_upgrade', 'variable.other.nginx'],
    ['return 200 "${scheme}://$host";', '${scheme}', 'variable.other.nginx'],
    ['return 200 "${scheme}://$host";', '$host', 'variable.other.nginx'],
    ['return 200 "${scheme}://$host";', '://', 'string.quoted.double.nginx'],
    ["return 200 'hi $remote_addr';", '$remote_addr', 'variable.other.nginx'],
    ["return 200 'hi $remote_addr';", '$remote_addr', 'string.quoted.single.nginx'],
    ['rewrite ^/a/(.*)$ /b/$1;', '$1', 'variable.other.capture.nginx'],
  ]);
});

test('envsubst placeholders of templates are not nginx variables', { skip: skipReason }, async () => {
  const P = 'variable.other.constant.placeholder.envsubst.nginx';
  await check([
    ['listen ${NGINX_PORT};', '${NGINX_PORT}', P],
    ['server_name ${DOMAIN} www.${DOMAIN};', '${DOMAIN}', P, 1],
    ['server ${BACKEND_HOST}:${BACKEND_PORT};', '${BACKEND_HOST}', P],
    ['server ${BACKEND_HOST}:${BACKEND_PORT};', '${BACKEND_PORT}', P],
    ['proxy_pass http://${API_HOST}:8080;', '${API_HOST}', P],
    ['add_header X-Env "${APP_ENV}";', '${APP_ENV}', P],
    ['add_header X-Env "${APP_ENV}";', '${APP_ENV}', 'string.quoted.double.nginx'],
    ['listen ${NGINX_PORT};', '${', 'punctuation.definition.template-expression.begin.nginx'],
  ]);
  await checkNot([
    ['listen ${NGINX_PORT};', '${NGINX_PORT}', 'variable.other.nginx'],
    // nginx's own `${name}` and `$NAME` stay variables
    ['return 200 "${scheme}://$host";', '${scheme}', P],
    ['add_header X-Host $HOST;', '$HOST', P],
  ]);
});

test('strings and escapes', { skip: skipReason }, async () => {
  await check([
    ['return 200 "a\\"b";', '\\"', 'constant.character.escape.nginx'],
    ["return 200 'it\\'s';", "\\'", 'constant.character.escape.nginx'],
    ['add_header X-A "1; 2";', '1; 2', 'string.quoted.double.nginx'],
  ]);
});

test('location modifiers and regexes', { skip: skipReason }, async () => {
  await check([
    ['location = /exact {', '=', 'keyword.operator.location-modifier.nginx'],
    ['location = /exact {', '/exact', 'string.unquoted.uri.nginx'],
    ['location ^~ /static/ {', '^~', 'keyword.operator.location-modifier.nginx'],
    ['location ~ \\.php$ {', '~', 'keyword.operator.location-modifier.nginx'],
    ['location ~ \\.php$ {', '\\.php$', 'string.regexp.nginx'],
    ['location ~* ^/(ws|socket)$ {', '~*', 'keyword.operator.location-modifier.nginx'],
    ['location ~* ^/(ws|socket)$ {', '^/(ws|socket)$', 'string.regexp.nginx'],
    ['location ~ "^/a{2}$" {', '"^/a{2}$"', 'string.regexp.nginx'],
    ['location /ws/ {', '/ws/', 'string.unquoted.uri.nginx'],
    ['location @fallback {', '@fallback', 'entity.name.label.named-location.nginx'],
  ]);
  // `$` at the end of a regex is an anchor, not a variable
  await checkNot([['location ~ ^/a$ {', '^/a$', 'variable']]);
});

test('if conditions and operators', { skip: skipReason }, async () => {
  await check([
    ['if ($request_method = POST) {', '=', 'keyword.operator.comparison.nginx'],
    ['if ($request_method != POST) {', '!=', 'keyword.operator.comparison.nginx'],
    ['if ($uri ~ ^/a/(b|c)$) {', '~', 'keyword.operator.regexp.nginx'],
    ['if ($uri ~ ^/a/(b|c)$) {', '^/a/(b|c)$', 'string.regexp.nginx'],
    ['if ($http_user_agent ~* "MSIE (6|7)") {', '~*', 'keyword.operator.regexp.nginx'],
    ['if ($http_user_agent !~ bot) {', '!~', 'keyword.operator.regexp.nginx'],
    ['if (-f $request_filename) {', '-f', 'keyword.operator.file-test.nginx'],
    ['if (!-f $request_filename) {', '!-f', 'keyword.operator.file-test.nginx'],
    ['if (!-d $x) {', '!-d', 'keyword.operator.file-test.nginx'],
    ['if (-e $x) {', '-e', 'keyword.operator.file-test.nginx'],
    ['if (-x $x) {', '-x', 'keyword.operator.file-test.nginx'],
    ['if ($request_filename) {', '$request_filename', 'variable.other.nginx'],
    ['if ($a) {', ')', 'punctuation.section.condition.end.nginx'],
  ]);
  // the regex group's ")" must not close the condition
  await check([['if ($uri ~ ^/(a|b)$) { return 403; }', 'return', 'keyword.other.directive.nginx']]);
  await checkNot([['if ($uri ~ ^/(a|b)$) { return 403; }', 'return', 'meta.condition.nginx']]);
});

test('numbers with units, booleans, addresses and ports', { skip: skipReason }, async () => {
  await check([
    ['proxy_read_timeout 3600s;', '3600s', 'constant.numeric.nginx'],
    ['proxy_read_timeout 500ms;', '500ms', 'constant.numeric.nginx'],
    ['proxy_read_timeout 1h30m;', '1h30m', 'constant.numeric.nginx'],
    ['expires 1M;', '1M', 'constant.numeric.nginx'],
    ['expires 2y;', '2y', 'constant.numeric.nginx'],
    ['expires 1w;', '1w', 'constant.numeric.nginx'],
    ['client_max_body_size 10m;', '10m', 'constant.numeric.nginx'],
    ['proxy_buffer_size 16k;', '16k', 'constant.numeric.nginx'],
    ['client_max_body_size 2G;', '2G', 'constant.numeric.nginx'],
    ['keepalive 32;', '32', 'constant.numeric.nginx'],
    ['proxy_http_version 1.1;', '1.1', 'constant.numeric.nginx'],
    ['gzip on;', 'on', 'constant.language.boolean.nginx'],
    ['proxy_buffering off;', 'off', 'constant.language.boolean.nginx'],
    ['listen 80;', '80', 'constant.numeric.nginx'],
    ['listen 127.0.0.1:8080;', '127.0.0.1', 'constant.numeric.ip-address.nginx'],
    ['listen 127.0.0.1:8080;', '8080', 'constant.numeric.port.nginx'],
    ['listen [::]:443 ssl;', '[::]', 'constant.numeric.ip-address.nginx'],
    ['listen [::]:443 ssl;', '443', 'constant.numeric.port.nginx'],
    ['allow 10.0.0.0/8;', '10.0.0.0', 'constant.numeric.ip-address.nginx'],
    ['allow 10.0.0.0/8;', '8', 'constant.numeric.cidr.nginx'],
    ['deny 2001:db8::/32;', '2001:db8::', 'constant.numeric.ip-address.nginx'],
    ['allow ::1;', '::1', 'constant.numeric.ip-address.nginx'],
    ['proxy_pass http://localhost:3000;', '3000', 'constant.numeric.port.nginx'],
    ['proxy_pass http://127.0.0.1:3000/;', '127.0.0.1', 'constant.numeric.ip-address.nginx'],
  ]);
  await checkNot([
    ['listen 443 ssl http2;', 'http2', 'constant'],
    ['server_name on.example.com;', 'on.example.com', 'constant'],
    ['root /srv/www/v2;', '/srv/www/v2', 'constant'],
  ]);
});

test('map and types bodies are tables, not directives', { skip: skipReason }, async () => {
  const map = "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n    ~*^web  upgrade;\n}";
  await check([
    [map, 'map', 'keyword.control.block.nginx'],
    [map, '$http_upgrade', 'variable.other.nginx'],
    [map, 'default', 'keyword.other.map.nginx'],
    [map, "''", 'string.quoted.map-key.nginx'],
    [map, 'close', 'meta.block.map.nginx'],
    [map, '~*', 'keyword.operator.regexp.nginx'],
    [map, '^web', 'string.regexp.nginx'],
    ['types {\n    text/html html htm;\n}', 'text/html', 'string.unquoted.map-key.nginx'],
    ['map $a $b {\n  default 0;\n}\nserver {', 'server', 'keyword.control.block.nginx'],
  ]);
  await checkNot([
    [map, 'default', 'keyword.other.directive'],
    [map, 'close', 'keyword.other.directive'],
    ['types {\n    text/html html htm;\n}', 'text/html', 'keyword.other.directive'],
    // *_hash_* settings are ordinary directives, not map blocks
    ['types_hash_max_size 2048;', 'types_hash_max_size', 'keyword.control'],
  ]);
});

/** Every token covering `text` has `scope`. */
function all(source: string, tokens: Tok[], text: string, scope: string, nth = 0): void {
  const hit = tokensAt(source, tokens, text, nth);
  assert.ok(hit.every((t) => hasScope(t.scopes, scope)), `${JSON.stringify(text)} is ${describeTokens(hit)}, expected ${scope}`);
}

/** No token covering `text` has `scope`. */
function none(source: string, tokens: Tok[], text: string, scope: string, nth = 0): void {
  const hit = tokensAt(source, tokens, text, nth);
  assert.ok(!hit.some((t) => hasScope(t.scopes, scope)), `${JSON.stringify(text)} is ${describeTokens(hit)}, must not have ${scope}`);
}

test('*_by_lua_block bodies are embedded Lua and braces nest', { skip: skipReason }, async () => {
  const src = [
    'content_by_lua_block {',
    '    local t = { a = { b = "}" } } -- } in a comment',
    '    ngx.say(t.a)',
    '}',
    'proxy_pass http://x;',
  ].join('\n');
  const { tokens } = await tokenize(src);
  all(src, tokens, 'content_by_lua_block', 'keyword.other.directive');
  all(src, tokens, 'ngx.say(t.a)', 'meta.embedded.block.lua');
  all(src, tokens, 'local', 'keyword.control.lua');
  all(src, tokens, '"}"', 'string.quoted.double.lua');
  all(src, tokens, '-- } in a comment', 'comment.line.double-dash.lua');
  all(src, tokens, 'proxy_pass', 'keyword.other.directive.nginx');
  none(src, tokens, 'proxy_pass', 'meta.embedded.block.lua');
  // the block's own braces are nginx punctuation, outside the Lua region
  const closing = tokens.filter((t) => t.line === 3 && t.text === '}');
  assert.deepEqual(closing[0]?.scopes, ['source.nginx', 'punctuation.section.block.end.nginx']);
  // one-liner form
  await check([['access_by_lua_block { ngx.exit(403) } gzip on;', 'gzip', 'keyword.other.directive.nginx']]);
  await check([['access_by_lua_block { ngx.exit(403) } gzip on;', 'ngx.exit(403)', 'meta.embedded.block.lua']]);
});

test('rewrite: pattern is a regex, flags are constants', { skip: skipReason }, async () => {
  await check([
    ['rewrite ^/old/(.*)$ /new/$1 permanent;', '^/old/(.*)$', 'string.regexp.nginx'],
    ['rewrite ^/old/(.*)$ /new/$1 permanent;', 'permanent', 'constant.language.rewrite-flag.nginx'],
  ]);
});

test('fixture websocket-site.conf: every block closes and key tokens are scoped', { skip: skipReason }, async () => {
  const source = readFileSync(path.join(fixtures, 'websocket-site.conf'), 'utf8');
  const { tokens, endStack } = await tokenize(source);
  // Back at the root rule stack means no begin/end rule leaked past the end of the file.
  const rootStack = (await loadGrammar()).tokenizeLine('', textmate!.INITIAL).ruleStack;
  assert.ok(
    (endStack as { equals(o: unknown): boolean }).equals(rootStack),
    'rule stack is not back at the top level at end of file',
  );
  const last = tokens.filter((t) => t.text.trim() === '}').at(-1)!;
  assert.deepEqual(last.scopes, ['source.nginx', 'punctuation.section.block.end.nginx']);
  all(source, tokens, '$connection_upgrade', 'variable.other.nginx', 1);
  all(source, tokens, "''", 'string.quoted.map-key.nginx');
  all(source, tokens, 'text/html', 'string.unquoted.map-key.nginx');
  all(source, tokens, 'app_backend', 'entity.name.type.upstream.nginx');
  all(source, tokens, 'keepalive', 'keyword.other.directive.nginx');
  all(source, tokens, 'proxy_send_timeout', 'keyword.other.directive.nginx');
  all(source, tokens, '^/(ws|socket)/(?<room>[a-z]+)$', 'string.regexp.nginx');
  all(source, tokens, '${proxy_add_x_forwarded_for}', 'variable.other.nginx');
  all(source, tokens, '1h30m', 'constant.numeric.nginx');
  all(source, tokens, '!-f', 'keyword.operator.file-test.nginx');
  all(source, tokens, '"MSIE (6|7)"', 'string.regexp.nginx');
  all(source, tokens, 'ngx.say(t.a)', 'meta.embedded.block.lua');
  all(source, tokens, '@fallback', 'entity.name.label');
  // the Lua block did not swallow the following location
  none(source, tokens, 'location @fallback', 'meta.embedded.block.lua');
  all(source, tokens, 'location @fallback', 'meta.location.nginx');
});

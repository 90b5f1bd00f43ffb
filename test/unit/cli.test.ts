import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers';

const bin = join(repoRoot, 'bin', 'nginx-lint.js');
function lint(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nginx-lint CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-lint-'));
  writeFileSync(join(dir, 'good.conf'), 'events {}\n');
  writeFileSync(join(dir, 'bad.conf'), 'events {\n');
  mkdirSync(join(dir, 'sites-enabled'));
  writeFileSync(join(dir, 'sites-enabled', 'app'), 'server {\n  listen 80\n}\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a config');

  test('path:line:col: severity code message, exit 1 on errors', () => {
    const r = lint(['bad.conf'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^bad\.conf:2:1: error syntax-error unexpected end of file, expecting "}"/m);
  });

  test('exit 0 when there is no error', () => {
    const r = lint(['good.conf'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '');
  });

  test('folders are searched (sites-enabled files without extension included), globs expand', () => {
    const r = lint(['.'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /sites-enabled\/app:3:1: error syntax-error/);
    assert.match(r.out, /bad\.conf:/);
    assert.doesNotMatch(r.out, /notes\.txt/);
    const g = lint(['*.conf'], dir);
    assert.match(g.out, /bad\.conf:/);
  });

  test('a main file is checked with every file it includes, each finding with its own path (like nginx -t)', () => {
    const inc = mkdtempSync(join(tmpdir(), 'nginx-lint-inc-'));
    mkdirSync(join(inc, 'conf.d'));
    writeFileSync(join(inc, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n    server {\n        listen 8080;\n        location /ws/ {\n            proxy_pass http://127.0.0.1:3000;\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_read_timeout 3600s;\n        }\n    }\n}\n');
    writeFileSync(join(inc, 'conf.d', 'ws-map.conf'), 'map $http_upgrade $connection_upgrade {\n    default close;\n}\n');
    const r = lint(['nginx.conf'], inc);
    assert.match(r.out, /^conf\.d\/ws-map\.conf:1:1: warning ws-map-invalid /m);
    assert.match(r.err, /2 file\(s\)/);
  });

  test('--format json gives machine-readable rows', () => {
    const r = lint(['--format', 'json', 'bad.conf'], dir);
    const rows = JSON.parse(r.out);
    assert.equal(rows[0].code, 'syntax-error');
    assert.equal(rows[0].line, 2);
    assert.equal(rows[0].severity, 'error');
  });

  test('--format sarif is SARIF 2.1.0', () => {
    const r = lint(['--format', 'sarif', 'bad.conf'], dir);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    assert.equal(s.runs[0].results[0].ruleId, 'syntax-error');
  });

  test('bad usage and unreadable input exit 2 with a clear message', () => {
    let r = lint([], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /no files given/);
    r = lint(['--bogus', 'good.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option --bogus/);
    r = lint(['missing.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /missing\.conf: cannot read \(no such file or folder\)/);
    r = lint(['--rule', 'nonsense', 'good.conf'], dir);
    assert.equal(r.code, 2);
  });

  test('binary, oversized and non-UTF-8 files get a clear message, never a crash', () => {
    writeFileSync(join(dir, 'blob.conf'), Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01, 0x02]));
    let r = lint(['blob.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /binary file/);
    writeFileSync(join(dir, 'huge.conf'), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20));
    r = lint(['huge.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /too large/);
    writeFileSync(join(dir, 'latin1.conf'), Buffer.from('# caf\xe9\nevents {}\n', 'latin1'));
    r = lint(['latin1.conf'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /warning input-invalid file is not valid UTF-8/);
    writeFileSync(join(dir, 'empty.conf'), '');
    r = lint(['empty.conf'], dir);
    assert.equal(r.code, 0);
  });

  test('--rule turns a rule off', () => {
    const r = lint(['--rule', 'syntax-error=off', 'bad.conf'], dir);
    assert.equal(r.code, 0);
  });

  test('--format --write refuses files with syntax errors and leaves them untouched', () => {
    const before = readFileSync(join(dir, 'bad.conf'), 'utf8');
    const r = lint(['--format', '--write', 'bad.conf'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /not formatted/);
    assert.equal(readFileSync(join(dir, 'bad.conf'), 'utf8'), before);
  });
});

describe('nginx-lint on templates (--env, --env-file, --render)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-lint-tpl-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'default.conf.template'), 'server {\n    listen ${NGINX_PORT};\n    location / { proxy_read_timeout ${TIMEOUT}; return 200 "$host ${APP_ENV}"; }\n}\n');
  writeFileSync(join(dir, 'prod.env'), 'NGINX_PORT=8080\nAPP_ENV=production\n');

  test('without values: no finding for the placeholders themselves', () => {
    const r = lint(['--rule', 'template-undefined=off', 'templates/default.conf.template'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '');
  });

  test('--render prints what envsubst would (names without a value stay, nginx variables stay)', () => {
    const r = lint(['--env-file', 'prod.env', '--env', 'TIMEOUT=60s', '--render', 'templates/default.conf.template'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'server {\n    listen 8080;\n    location / { proxy_read_timeout 60s; return 200 "$host production"; }\n}\n');
  });

  test('--env values are linted, findings on the template\'s lines and columns', () => {
    const r = lint(['--env-file', 'prod.env', '--env', 'TIMEOUT=1hour', 'templates/default.conf.template'], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^templates\/default\.conf\.template:3:37: error value-invalid invalid value "1hour" in "proxy_read_timeout" directive: .*\(rendered from "\$\{TIMEOUT\}"\)$/m);
  });

  test('--render on a file that is no template, and a bad --env, are usage errors', () => {
    writeFileSync(join(dir, 'plain.conf'), 'events {}\n');
    assert.equal(lint(['--render', 'plain.conf'], dir).code, 2);
    const r = lint(['--env', 'no-equals', 'plain.conf'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /--env expects NAME=VALUE/);
  });
});

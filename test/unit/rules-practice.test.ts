/**
 * The practice family beyond the generic fixture harness (test/unit/rule-fixtures.test.ts): the
 * seven rules are registered with their pages, none defaults to error (a practice is not an
 * error); each fix pair (test/fixtures/fixes/<code>[.<variant>]/) is replayed through the language
 * service's code actions until no finding is left, must equal after.conf and be idempotent, and
 * real `nginx -t` accepts both before and after (the rules speak of configurations nginx runs).
 * Two claims of the pages are shown on real nginx: `error_log off` creates a file named "off",
 * and worker_connections above the open-file limit draws nginx's own warning at start.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleInfo } from '../../server/src/service/analysis/registry';
import { practiceRules } from '../../server/src/service/analysis/rules/practice/index';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { freePort, makePrefix, NGINX, nginxTest, nginxUnavailable, removePrefix, sleep } from '../e2e/nginx';

const ROOT = join(__dirname, '..', 'fixtures');
const FIXES = join(ROOT, 'fixes');
const NO_NGINX = nginxUnavailable();
const URI = 'file:///fixture/nginx.conf';

function analyse(text: string) {
  const ls = getLanguageService({ settings: resolveSettings({ version: '1.22' }) });
  ls.openDocument(URI, text);
  return { ls, list: ls.findingsFor(URI) };
}

test('the practice family: seven rules, registered, with pages and fixtures, none an error by default', () => {
  assert.deepEqual(practiceRules.map((r) => r.code).sort(), [
    'autoindex-on', 'default-server-missing', 'error-log-off', 'if-is-evil', 'map-no-default', 'server-tokens', 'worker-connections-nofile',
  ]);
  for (const r of practiceRules) {
    assert.equal(r.family, 'practice', r.code);
    assert.equal(ruleInfo(r.code)?.family, 'practice', `${r.code} is not in the registry`);
    assert.notEqual(r.defaultSeverity, 'error', `${r.code}: a practice is not an error`);
    assert.ok(existsSync(join(__dirname, '..', '..', 'docs', 'rules', `${r.code}.md`)), `docs/rules/${r.code}.md`);
    assert.ok(existsSync(join(ROOT, 'rules', r.code, 'bad.conf')) && existsSync(join(ROOT, 'rules', r.code, 'good.conf')), `${r.code} fixtures`);
  }
});

/** Applies the preferred (else the only) quick-fix of each `code` finding, one at a time, through code actions. */
function applyFixes(text: string, code: string): { text: string; applied: number } {
  let applied = 0;
  for (let round = 0; round < 10; round++) {
    const { ls } = analyse(text);
    const diag = ls.validate(URI).find((d) => d.code === code);
    if (!diag) break;
    const actions = ls.codeActions(URI, diag.range, [diag], ['quickfix']).filter((a) => a.diagnostics?.[0]?.code === code);
    const action = actions.find((a) => a.isPreferred) ?? (actions.length === 1 ? actions[0] : undefined);
    if (!action) break;
    const edits = action.edit?.changes?.[URI] ?? [];
    assert.ok(edits.length > 0, `${action.title}: no edit`);
    text = TextDocument.applyEdits(TextDocument.create(URI, 'nginx', 1, text), edits);
    applied++;
  }
  return { text, applied };
}

/** `nginx -t` in a throw-away prefix that has a mime.types (nginx.conf files include it). */
function nginxCheck(text: string): { ok: boolean; output: string; prefix: string } {
  const p = makePrefix('practice');
  writeFileSync(join(p, 'conf', 'mime.types'), 'types { text/html html; }\n');
  return { ...nginxTest(text, 'nginx.conf', p), prefix: p };
}

describe('practice quick-fixes (before.conf → after.conf)', () => {
  const codes = new Set(practiceRules.map((r) => r.code));
  for (const dir of readdirSync(FIXES).filter((d) => codes.has(d.split('.')[0])).sort()) {
    const code = dir.split('.')[0];
    test(dir, () => {
      const before = readFileSync(join(FIXES, dir, 'before.conf'), 'utf8');
      const { text, applied } = applyFixes(before, code);
      assert.ok(applied > 0, 'no fix was applied');
      assert.equal(text, readFileSync(join(FIXES, dir, 'after.conf'), 'utf8'));
      assert.deepEqual(analyse(text).list.filter((x) => x.code === code).map((x) => x.message), [], 'the fix leaves the finding');
      assert.equal(applyFixes(text, code).applied, 0, 'a second application changes nothing');
      if (!NO_NGINX) {
        for (const [name, conf] of [['before', before], ['after', text]]) {
          const r = nginxCheck(conf);
          removePrefix(r.prefix);
          assert.ok(r.ok, `nginx -t of ${name}: ${r.output}`);
        }
      }
    });
  }
});

function listening(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

describe('the pages\' claims on real nginx', { skip: NO_NGINX ? `skipped: ${NO_NGINX}` : false }, () => {
  test('error_log off: nginx -t accepts it and creates a file named "off" in its prefix', () => {
    const r = nginxCheck('error_log off;\nevents {}\n');
    try {
      assert.ok(r.ok, r.output);
      assert.ok(existsSync(join(r.prefix, 'off')), 'no file "off" in the prefix');
    } finally {
      removePrefix(r.prefix);
    }
  });

  test('worker_connections above a 1024 open-file limit: nginx warns at start, not with -t; worker_rlimit_nofile silences it', async () => {
    const run = async (main: string) => {
      const p = makePrefix('nofile');
      const port = await freePort();
      const conf = join(p, 'conf', 'nginx.conf');
      const log = join(p, 'logs', 'error.log');
      // the warning is logged at warn level, below error_log's default (error)
      writeFileSync(conf, `${main}\npid ${join(p, 'nginx.pid')};\nerror_log ${log} warn;\nevents { worker_connections 4096; }\nhttp { access_log off; server { listen 127.0.0.1:${port}; } }\n`);
      const child = spawn('sh', ['-c', 'ulimit -n 1024; exec "$0" -p "$1" -e "$2" -c "$3" -g "daemon off;"', NGINX, p, log, conf], { stdio: 'ignore' });
      try {
        // nginx is up once it answers on its port (the warning comes before it listens)
        for (let i = 0; i < 100; i++) {
          if (await listening(port)) break;
          await sleep(50);
        }
        return existsSync(log) ? readFileSync(log, 'utf8') : '';
      } finally {
        child.kill('SIGTERM');
        await new Promise((res) => { if (child.exitCode !== null) res(null); else child.once('exit', res); });
        removePrefix(p);
      }
    };
    const warned = await run('');
    assert.match(warned, /4096 worker_connections exceed open file resource limit: 1024/);
    const raised = await run('worker_rlimit_nofile 8192;');
    assert.doesNotMatch(raised, /exceed open file resource limit/);
  });
});

test('default-server-missing: two addresses whose server lists differ only inside are two findings', () => {
  // :80 holds a, b, c and :443 holds a, d, c: same length, same first and last server
  const text = 'events {}\nhttp {\n' +
    '  server { listen 80; listen 443; server_name a; }\n' +
    '  server { listen 80; server_name b; }\n' +
    '  server { listen 443; server_name d; }\n' +
    '  server { listen 80; listen 443; server_name c; }\n' +
    '}\n';
  const found = analyse(text).list.filter((f) => f.code === 'default-server-missing');
  assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
  assert.ok(found.some((f) => /\*:80\b/.test(f.message)) && found.some((f) => /\*:443\b/.test(f.message)), found.map((f) => f.message).join('\n'));
  // the same server list on two addresses is one finding
  const same = 'events {}\nhttp {\n' + '  server { listen 80; listen 443; server_name a; }\n'.repeat(1) +
    '  server { listen 80; listen 443; server_name b; }\n  server { listen 80; listen 443; server_name c; }\n}\n';
  const one = analyse(same).list.filter((f) => f.code === 'default-server-missing');
  assert.equal(one.length, 1);
  assert.match(one[0].message, /\*:80 and \*:443/);
});

test('map-no-default: maps where nginx takes them (top level, http, stream), not one misplaced in a server', () => {
  const map = (v: string) => `map $arg_t ${v} {\n    a 127.0.0.1:1;\n}\n`;
  const text = `${map('$top')}http {\n${map('$in_http')}    server {\n        listen 80;\n${map('$in_server')}        location / {\n            proxy_pass http://$top$in_http$in_server;\n        }\n    }\n}\nstream {\n${map('$in_stream')}    server {\n        listen 9000;\n        proxy_pass $in_stream;\n    }\n}\n`;
  const { list } = analyse(text);
  const reported = list.filter((f) => f.code === 'map-no-default').map((f) => text.slice(f.start, f.end));
  assert.deepEqual(reported, ['$top', '$in_http', '$in_stream']);
  // the misplaced one is nginx's error, said once
  const misplaced = text.indexOf('$in_server');
  assert.ok(list.some((f) => f.code === 'directive-context' && f.start <= misplaced && f.end >= misplaced - 11), list.map((f) => `${f.code}@${f.start}`).join(', '));
});

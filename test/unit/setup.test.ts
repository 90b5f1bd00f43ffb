// The test-toolchain installer runs nested npm installs under `npm test`'s pretest hook. The outer npm
// exports its config (npm_config_user_agent with the outer Node's version among it) and a nested npm
// reads it back as its own; code-server's postinstall then refused to install on Node 24 ("you are on
// node v20"). scripts/lib/clean-npm.sh strips that inherited environment; this proves it does, the way
// npm would hand it over, without the minutes of a real code-server install.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const FAKE_UA = 'npm/0.0.0 node/v20.0.0 linux x64 outer-npm-leak';
const run = (script: string) => spawnSync('bash', ['-c', `source scripts/lib/clean-npm.sh; ${script}`], {
  encoding: 'utf8',
  env: {
    ...process.env,
    npm_config_user_agent: FAKE_UA,
    npm_config_nodedir: '/nonexistent-outer-nodedir',
    npm_lifecycle_event: 'pretest',
    npm_package_name: 'outer-project',
    NODE: '/usr/bin/node-of-the-outer-npm',
    INIT_CWD: '/somewhere',
    KEEP_ME: 'kept',
  },
});

test('clean_npm: no npm_* / NODE / INIT_CWD variable of an outer npm reaches the command', () => {
  const r = run('clean_npm env');
  assert.equal(r.status, 0, r.stderr);
  const names = r.stdout.split('\n').map((l) => l.split('=')[0]);
  assert.deepEqual(names.filter((n) => /^npm_|^NODE$|^INIT_CWD$/.test(n)), []);
  assert.ok(r.stdout.includes('KEEP_ME=kept'), 'other variables are kept');
});

// `npm exec -c` runs a command with the environment npm gives install scripts (code-server's
// postinstall reads $npm_config_user_agent there).
const SEEN_BY_SCRIPTS = `npm exec -c 'echo "$npm_config_user_agent"'`;

test('clean_npm: the install scripts of a nested npm see its own user agent, not the inherited one', () => {
  const r = run(`clean_npm ${SEEN_BY_SCRIPTS}`);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('outer-npm-leak'), r.stdout);
  assert.match(r.stdout, new RegExp(`node/${process.version.replace(/\./g, '\\.')}\\b`));
  // and without the cleaning the leak is real (the test would catch a regression)
  const leaked = run(SEEN_BY_SCRIPTS);
  assert.ok(leaked.stdout.includes('outer-npm-leak'), leaked.stdout);
});

// The one list of nginx file names (workspace/fileNames.ts): the CLI's walk, the workspace scan and
// the server's watchers must agree on which files are nginx configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNginxFileName, NGINX_DIR_NAME, NGINX_FILE_GLOBS, NGINX_FILE_NAME } from '../../server/src/service/workspace/fileNames';
import { compileSettingsGlob } from '../../server/src/service/workspace/glob';

const NGINX = [
  'etc/nginx/nginx.conf', 'etc/nginx/nginx.conf.default', 'etc/nginx/conf.d/app.conf', 'etc/nginx/sites-enabled/default',
  'etc/nginx/sites-available/example.com', 'site.nginx', 'site.nginxconf', 'example.vhost', 'templates/default.conf.template',
  'x/app.conf.tmpl', 'stream/db.stream-template',
];
const NOT = ['README.md', 'etc/nginx/mime.types.bak', 'package.json', 'conf/app.yaml', 'nginx.config', 'notes.txt'];

test('isNginxFileName: nginx files by name or by a Debian sites-* folder, nothing else', () => {
  for (const p of NGINX) assert.equal(isNginxFileName(p), true, p);
  for (const p of NOT) assert.equal(isNginxFileName(p), false, p);
  assert.equal(isNginxFileName('C:\\nginx\\sites-enabled\\default'), true, 'Windows separators');
});

test('the watcher globs cover every file the name test accepts, and no file it rejects', () => {
  const globs = NGINX_FILE_GLOBS.map((g) => compileSettingsGlob(g));
  for (const g of globs) assert.equal(g.error, null);
  const watched = (p: string) => globs.some((g) => g.test('/w/' + p));
  for (const p of NGINX) assert.equal(watched(p), true, `watched: ${p}`);
  for (const p of NOT) assert.equal(watched(p), false, `not watched: ${p}`);
});

test('the folder list is the folders, not their files', () => {
  for (const d of ['conf.d', 'sites-enabled', 'sites-available', 'snippets', 'vhosts.d', 'http.d', 'stream.d', 'templates']) assert.ok(NGINX_DIR_NAME.test(d), d);
  assert.ok(!NGINX_DIR_NAME.test('conf.d.bak'));
  assert.ok(!NGINX_FILE_NAME.test('conf.d'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isCandidate, looksLikeNginx } from '../../client/src/detect';
import { corpusDir, filesUnder, hasCorpus, NO_CORPUS } from '../helpers';

test('nginx content is recognised from its first lines', () => {
  assert.ok(looksLikeNginx('user www-data;\nworker_processes auto;\n'));
  assert.ok(looksLikeNginx('\n\n# my site\nserver {\n  listen 80;\n}\n'));
  assert.ok(looksLikeNginx('upstream app { server 127.0.0.1:8080; }\n'));
  assert.ok(looksLikeNginx('location /api/ {\n'));
  assert.ok(looksLikeNginx('include /etc/nginx/mime.types;\n'));
  assert.ok(looksLikeNginx('# nginx: context=http\nproxy_buffering off;\n'));
  assert.ok(looksLikeNginx('# Managed by Ansible for nginx\nfoo bar;\n'));
});

test('other .conf formats are not taken for nginx', () => {
  assert.ok(!looksLikeNginx('server = 10.0.0.1\nport = 5432\n'), 'key = value');
  assert.ok(!looksLikeNginx('[server]\nhost=localhost\n'), 'ini section');
  assert.ok(!looksLikeNginx('<VirtualHost *:80>\n  ServerName x\n</VirtualHost>\n'), 'apache');
  assert.ok(!looksLikeNginx('server: 10.0.0.1\n'), 'yaml-ish');
  assert.ok(!looksLikeNginx('# supervisor\n[program:x]\ncommand=/bin/true\n'));
  assert.ok(!looksLikeNginx('nameserver 8.8.8.8\n'), 'resolv.conf');
  assert.ok(!looksLikeNginx(''));
});

test('only .conf files opened as another language are candidates', () => {
  assert.ok(isCandidate('/srv/app/site.conf', 'properties'));
  assert.ok(isCandidate('/srv/app/site.conf.template', 'plaintext'));
  assert.ok(!isCandidate('/srv/app/site.conf', 'nginx'));
  assert.ok(!isCandidate('/srv/app/app.properties', 'properties'));
  assert.ok(!isCandidate('/srv/app/x.conf', 'json'));
});

test('the corpus\'s nginx .conf files are recognised', { skip: hasCorpus ? false : NO_CORPUS }, () => {
  let total = 0;
  let found = 0;
  const misses: string[] = [];
  for (const p of filesUnder(corpusDir)) {
    if (!p.endsWith('.conf')) continue;
    total++;
    if (looksLikeNginx(readFileSync(p, 'utf8'))) found++;
    else misses.push(p);
  }
  // fragments may start with anything nginx accepts; most start with a common directive or a comment
  console.log(`detected ${found} of ${total} corpus .conf files; e.g. missed: ${misses.slice(0, 3).join(', ')}`);
  assert.ok(total > 100 && found / total > 0.8, `only ${found} of ${total} detected`);
});

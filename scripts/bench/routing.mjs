#!/usr/bin/env node
// Routing benchmark (issue 17): "which server and location answer this request" on a generated
// workspace of N site files (default 10,000) included from one nginx.conf, through
// LanguageService.route. Prints one JSON line. Budget: a warm route lookup ≤ 5 ms (median).
//
//   node scripts/bench/routing.mjs [N]
//
// coldMs: the first lookup (builds the routing model of 10,000 servers); lookupMs: the median
// lookup afterwards, for random hosts (exact names, wildcards, unknown) and URLs; afterEditMs: the
// first lookup after one site file changed in the editor (the model is rebuilt, reusing what the
// unchanged servers said).
import { build } from 'esbuild';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10000);
const tmp = mkdtempSync(join(tmpdir(), 'nginx-route-bench-'));
const conf = join(tmp, 'etc/nginx');
try {
  mkdirSync(join(conf, 'sites-enabled'), { recursive: true });
  writeFileSync(join(conf, 'nginx.conf'), `events {}
http {
    include /etc/nginx/sites-enabled/*.conf;
    server { listen 80 default_server; server_name _; return 444; }
}
`);
  const site = (i, extra = '') => `server {
    listen 80;
    listen 443 ssl;
    server_name site${i}.example.com www.site${i}.example.com *.site${i}.example.org;
    root /var/www/site${i};
    location / { try_files $uri $uri/ /index.php?$args; }
    location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; }
    location ^~ /static/ { expires 30d; }
    location /api/ { proxy_pass http://127.0.0.1:${3000 + (i % 1000)}; }
    location = /health { return 200 "ok"; }${extra}
}
`;
  for (let i = 0; i < N; i++) writeFileSync(join(conf, `sites-enabled/site${String(i).padStart(5, '0')}.conf`), site(i));

  const out = join(tmp, 'core.mjs');
  await build({
    stdin: {
      contents: `export { getLanguageService } from './server/src/service/languageService';
export { NodeFileSystem } from './server/src/nodeFileSystem';
export { pathToUri } from './server/src/service/paths';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    banner: { js: "import { createRequire as __nginxBenchRequire } from 'node:module'; const require = __nginxBenchRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const { getLanguageService, NodeFileSystem, pathToUri } = await import(pathToFileURL(out).href);
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [conf] });
  const target = join(conf, 'sites-enabled/site00042.conf');
  const uri = pathToUri(target);
  ls.openDocument(uri, readFileSync(target, 'utf8'), 1);
  ls.workspace.viewsFor(uri)[0].files(); // read the include graph (not part of a lookup)

  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const request = () => {
    const i = Math.floor(rand() * N);
    const host = [`site${i}.example.com`, `WWW.site${i}.example.com`, `a.b.site${i}.example.org`, `unknown${i}.test`][Math.floor(rand() * 4)];
    const url = ['/', '/index.php', '/static/app.js', '/api', '/api/v1/users?id=3', '/a//b/../c.php', '/health'][Math.floor(rand() * 7)];
    return { url, host, serverAddress: rand() < 0.5 ? '10.0.0.1:80' : '10.0.0.1:443', i };
  };
  let t = performance.now();
  const first = ls.route(uri, { url: '/index.php', host: 'site7.example.com' });
  const coldMs = performance.now() - t;
  if (!first.server || !/site7\.example\.com/.test(first.server.label)) throw new Error(`wrong answer: ${JSON.stringify(first.server)}`);
  const times = [];
  let wrong = 0;
  for (let k = 0; k < 2000; k++) {
    const q = request();
    t = performance.now();
    const r = ls.route(uri, q);
    times.push(performance.now() - t);
    // an unknown name: the default_server on :80, the first site on :443 (no default_server there)
    const want = !q.host.startsWith('unknown') ? `site${q.i}.example.com` : q.serverAddress.endsWith(':80') ? '_' : 'site0.example.com';
    if (!r.server || !r.server.label.includes(want)) wrong++;
  }
  const edits = [];
  for (let k = 0; k < 11; k++) {
    ls.openDocument(uri, site(42, `\n    # edit ${k}`), k + 2);
    t = performance.now();
    ls.route(uri, { url: '/', host: 'site9000.example.com' });
    edits.push(performance.now() - t);
  }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  const p95 = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * 0.95)];
  const result = {
    bench: 'routing',
    sites: N,
    coldMs: +coldMs.toFixed(1),
    lookupMs: +med(times).toFixed(3),
    lookupP95Ms: +p95(times).toFixed(3),
    afterEditMs: +med(edits).toFixed(1),
    wrongAnswers: wrong,
    ok: med(times) <= 5 && wrong === 0,
  };
  console.log(JSON.stringify(result));
  if (!result.ok) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

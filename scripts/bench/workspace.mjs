#!/usr/bin/env node
// Workspace-model benchmark: index a generated tree of N site files (default 10,000) included from
// one nginx.conf, then re-analyse after one file changes (in the editor, and on disk).
// Prints one JSON line. Budgets: index ≤ 3000 ms, RSS ≤ 300 MB, re-analysis ≤ 50 ms.
//
//   node scripts/bench/workspace.mjs [N] [--keep] [--rules=all|workspace]
//
// --rules=workspace runs only the workspace rules (include-missing, include-cycle), which isolates
// the cost of the workspace model from the cost of the other rules. Wall and CPU times are both
// printed: on a loaded machine wall time exceeds CPU time.
// The core is bundled with esbuild first (as the server is), so the numbers are those of the shipped
// code, not of a TypeScript loader.
import { build } from 'esbuild';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 10000);
const keep = args.includes('--keep');
const ruleSet = (args.find((a) => a.startsWith('--rules=')) ?? '--rules=all').slice('--rules='.length);

const tmp = mkdtempSync(join(tmpdir(), 'nginx-ws-bench-'));
const conf = join(tmp, 'etc/nginx');
try {
  // ---------------------------------------------------------------- generate
  mkdirSync(join(conf, 'sites-enabled'), { recursive: true });
  mkdirSync(join(conf, 'snippets'), { recursive: true });
  writeFileSync(join(conf, 'nginx.conf'), `user www-data;
worker_processes auto;
events {
    worker_connections 1024;
}
http {
    include /etc/nginx/mime.types;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status';
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    limit_req_zone $binary_remote_addr zone=perip:10m rate=10r/s;
    include /etc/nginx/sites-enabled/*.conf;
}
`);
  writeFileSync(join(conf, 'snippets/proxy.conf'), `proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`);
  const site = (i, extra = '') => `upstream app_${i} {
    server 127.0.0.1:${10000 + (i % 50000)};
    keepalive 16;
}
server {
    listen 80;
    server_name site${i}.example.com www.site${i}.example.com;
    root /var/www/site${i};
    access_log /var/log/nginx/site${i}.log main;
    limit_req zone=perip burst=20;
    location / {
        include snippets/proxy.conf;
        proxy_pass http://app_${i};
    }
    location /ws/ {
        proxy_pass http://app_${i};
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 3600s;
        proxy_send_timeout 3600s;
    }
    location @fallback {
        return 503;
    }
    error_page 502 @fallback;${extra}
}
`;
  for (let i = 0; i < N; i++) writeFileSync(join(conf, `sites-enabled/site${String(i).padStart(5, '0')}.conf`), site(i));

  // ---------------------------------------------------------------- bundle the core
  const out = join(tmp, 'core.mjs');
  await build({
    stdin: {
      contents: `export { getLanguageService } from './server/src/service/languageService';
export { NodeFileSystem } from './server/src/nodeFileSystem';
export { pathToUri } from './server/src/service/paths';
export { workspaceRules } from './server/src/service/analysis/rules/workspace/index';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'silent',
  });
  const { getLanguageService, NodeFileSystem, pathToUri, workspaceRules } = await import(pathToFileURL(out).href);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;

  // ---------------------------------------------------------------- index
  const t0 = performance.now();
  const c0 = cpu();
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [conf], ...(ruleSet === 'workspace' ? { rules: workspaceRules } : {}) });
  const target = join(conf, 'sites-enabled/site00042.conf');
  const uri = pathToUri(target);
  let text = readFileSync(target, 'utf8');
  ls.openDocument(uri, text, 1);
  const views = ls.workspace.viewsFor(uri);
  const files = views[0].files().length;
  const graphMs = performance.now() - t0;
  const graphCpuMs = cpu() - c0;
  const first = ls.validate(uri);
  const indexMs = performance.now() - t0;
  const indexCpuMs = cpu() - c0;
  const rss = process.memoryUsage().rss;
  const heap = process.memoryUsage().heapUsed;

  // ---------------------------------------------------------------- re-analysis after a change
  const editor = [];
  const editorCpu = [];
  for (let k = 0; k < 21; k++) {
    text = site(42, `\n    # edit ${k}`);
    const t = performance.now();
    const c = cpu();
    ls.openDocument(uri, text, k + 2);
    ls.dependents(uri);
    ls.validate(uri);
    editor.push(performance.now() - t);
    editorCpu.push(cpu() - c);
  }
  const disk = [];
  const other = join(conf, 'sites-enabled/site00077.conf');
  for (let k = 0; k < 21; k++) {
    writeFileSync(other, site(77, `\n    # disk edit ${k}`));
    const t = performance.now();
    ls.fileChanged(pathToUri(other));
    ls.dependents(pathToUri(other));
    ls.validate(uri);
    disk.push(performance.now() - t);
  }
  // an include change (forces the graph to be rebuilt)
  const t2 = performance.now();
  ls.openDocument(uri, site(42, '\n    include snippets/proxy.conf;'), 100);
  ls.validate(uri);
  const relinkMs = performance.now() - t2;
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const result = {
    bench: 'workspace',
    rules: ruleSet,
    sites: N,
    files,
    views: views.length,
    diagnostics: first.length,
    indexMs: Math.round(indexMs),
    indexCpuMs: Math.round(indexCpuMs),
    graphMs: Math.round(graphMs),
    graphCpuMs: Math.round(graphCpuMs),
    rssMB: Math.round(rss / 1e6),
    maxRssMB: Math.round(maxRss / 1e6),
    rssBeforeIndexMB: Math.round(rssBefore / 1e6),
    heapMB: Math.round(heap / 1e6),
    editMs: +med(editor).toFixed(2),
    editCpuMs: +med(editorCpu).toFixed(2),
    diskChangeMs: +med(disk).toFixed(2),
    includeChangeMs: Math.round(relinkMs),
    ok: indexMs <= 3000 && maxRss <= 300e6 && med(editor) <= 50 && med(disk) <= 50,
  };
  console.log(JSON.stringify(result));
  if (!result.ok) process.exitCode = 1;
} finally {
  if (!keep) rmSync(tmp, { recursive: true, force: true });
  else console.error(`tree kept in ${tmp}`);
}

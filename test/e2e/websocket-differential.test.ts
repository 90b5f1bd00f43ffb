/**
 * Behaviour-differential test of the WebSocket rules: configuration variants drawn with a fixed seed
 * from the space of WebSocket setups (HTTP version at each level, Upgrade/Connection unset, variable
 * or literal, the map present, absent, included from another file, or wrong, headers at http/server/
 * location with and without an intermediate level hiding them, `if` blocks, read timeouts, upstreams
 * with and without keepalive) run through every installed real nginx with a WebSocket backend that
 * answers in a lenient mode (npm `ws`: no HTTP-version check) and a strict mode (RFC 6455 §4.2.1:
 * HTTP/1.1, `Upgrade: websocket`, `Connection: upgrade`). For each variant it observes the handshake,
 * an echo, whether an idle socket is closed within 2.5 s, and the Connection header a plain request
 * reaches the backend with — and compares with the product's diagnostics for that nginx version:
 *
 *  - handshake broken (strict backend)  ⇔  a handshake finding (warning or error: ws-http-version,
 *    ws-upgrade-header, ws-connection-header, ws-headers-dropped, ws-map-missing, or a ws-map-invalid
 *    that says the handshake is refused);
 *  - idle socket closed                 ⇔  ws-read-timeout;
 *  - plain request sent "Connection: upgrade"  ⇔  a finding that says so.
 *
 * Only variants with WebSocket intent (certain or likely) are compared: a bare proxy_pass on /app/
 * cannot be known to carry WebSockets. WS_DIFF_VARIANTS (default 32 per version) and WS_DIFF_SEED set
 * the run; WS_DIFF_REPORT=path writes the confusion matrices as Markdown (docs/websocket.md quotes one).
 * All sockets are on 127.0.0.1; run under `flock /tmp/nginx-ls-heavy.lock`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import type { ResolvedFinding } from '../../server/src/service/analysis/validate';
import { freePort, makePrefix, nginxUnavailable, removePrefix, sleep } from './nginx';
import { WsBackend } from './wsBackend';
import { mulberry32 as rng } from '../fuzz/fuzzCore';

const SKIP = nginxUnavailable();
const COUNT = Number(process.env.WS_DIFF_VARIANTS || 32);
const SEED = Number(process.env.WS_DIFF_SEED || 13);
const PARALLEL = 6;
const IDLE_WAIT_MS = 2500;

interface Installed { version: string; bin: string }

function installed(): Installed[] {
  const out: Installed[] = [];
  for (const bin of ['/usr/sbin/nginx', '/opt/nginx-1.26.3/sbin/nginx', '/opt/nginx-1.30.6/sbin/nginx']) {
    if (!existsSync(bin)) continue;
    const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
    const v = /nginx\/(\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`)?.[1];
    if (v) out.push({ version: v, bin });
  }
  return out;
}

// ------------------------------------------------------------------ variants


const MAPS = {
  none: '',
  close: "default upgrade;\n        '' close;",
  empty: "default upgrade;\n        '' \"\";",
  noEmpty: 'default upgrade;',
  caseKey: 'WebSocket upgrade;\n        default close;',
  wrong: 'default close;',
} as const;

interface Variant {
  id: number;
  path: '/ws/' | '/app/';
  hvLevel: 'none' | 'http' | 'server' | 'location';
  upgrade: 'unset' | 'var' | 'literal';
  connection: 'unset' | 'map' | 'literal' | 'httpConnection' | 'empty';
  headerLevel: 'http' | 'server' | 'location';
  hide: boolean;
  map: keyof typeof MAPS;
  mapIncluded: boolean;
  ifBlock: boolean;
  readTimeout: '1s' | '3600s';
  heartbeat: boolean;
  upstream: 'direct' | 'upstream' | 'keepalive';
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

/** A correct WebSocket location, the base of the directed variants. */
const GOOD: Omit<Variant, 'id'> = {
  path: '/ws/', hvLevel: 'location', upgrade: 'var', connection: 'map', headerLevel: 'location', hide: false,
  map: 'close', mapIncluded: false, ifBlock: false, readTimeout: '3600s', heartbeat: false, upstream: 'direct',
};

/** The corner cases of issue 13, always run after the random ones. */
const DIRECTED: Partial<Variant>[] = [
  {},
  { headerLevel: 'http', hide: true }, // an intermediate level hides the headers
  { headerLevel: 'server', hide: true },
  { upgrade: 'unset', connection: 'httpConnection', path: '/app/' },
  { map: 'caseKey' }, // map keys match case-insensitively
  { map: 'noEmpty' }, // plain requests get Connection: upgrade
  { map: 'noEmpty', headerLevel: 'http', hide: true }, // ... unless no location sends the map's value
  { map: 'noEmpty', mapIncluded: true },
  { map: 'wrong', mapIncluded: true },
  { ifBlock: true }, // the if level's own proxy_set_header hides the location's
  { readTimeout: '1s' },
  { readTimeout: '1s', heartbeat: true },
  { upgrade: 'unset', connection: 'unset', hvLevel: 'none' }, // a bare proxy_pass on a WebSocket path
  { hvLevel: 'none' },
  { connection: 'unset' },
  { connection: 'literal', path: '/app/' },
  { upstream: 'keepalive', map: 'empty' },
];

function variants(seed: number, n: number): Variant[] {
  const r = rng(seed);
  const out: Variant[] = [];
  for (const d of DIRECTED) out.push({ ...GOOD, ...d, id: n + out.length });
  for (let id = 0; id < n; id++) {
    const connection = pick(r, ['unset', 'map', 'map', 'map', 'literal', 'httpConnection', 'empty'] as const);
    out.push({
      id,
      path: pick(r, ['/ws/', '/ws/', '/app/'] as const),
      hvLevel: pick(r, ['none', 'http', 'server', 'location', 'location'] as const),
      upgrade: pick(r, ['unset', 'var', 'var', 'var', 'literal'] as const),
      connection,
      headerLevel: pick(r, ['http', 'server', 'location', 'location'] as const),
      hide: r() < 0.25,
      map: connection === 'map' ? pick(r, ['close', 'close', 'empty', 'noEmpty', 'caseKey', 'wrong', 'none'] as const) : pick(r, ['none', 'close'] as const),
      mapIncluded: r() < 0.3,
      ifBlock: r() < 0.15,
      readTimeout: pick(r, ['1s', '3600s'] as const),
      heartbeat: r() < 0.2,
      upstream: pick(r, ['direct', 'upstream', 'keepalive'] as const),
    });
  }
  out.sort((a, b) => a.id - b.id);
  return out;
}

/** The variant's files: nginx.conf (and conf.d/map.conf when the map is included). */
function render(v: Variant, listen: number, backend: number, prefix: string): Map<string, string> {
  const headers: string[] = [];
  if (v.upgrade === 'var') headers.push('proxy_set_header Upgrade $http_upgrade;');
  if (v.upgrade === 'literal') headers.push('proxy_set_header Upgrade websocket;');
  if (v.connection === 'map') headers.push('proxy_set_header Connection $connection_upgrade;');
  if (v.connection === 'literal') headers.push('proxy_set_header Connection "upgrade";');
  if (v.connection === 'httpConnection') headers.push('proxy_set_header Connection $http_connection;');
  if (v.connection === 'empty') headers.push('proxy_set_header Connection "";');
  const at = (level: Variant['headerLevel'], indent: string) => (v.headerLevel === level ? headers.map((h) => indent + h).join('\n') : '');
  const hv = (level: Variant['hvLevel'], indent: string) => (v.hvLevel === level ? `${indent}proxy_http_version 1.1;` : '');
  // an intermediate level with a proxy_set_header of its own hides the headers set above it
  const hideServer = v.hide && v.headerLevel === 'http' ? '        proxy_set_header X-Hide server;' : '';
  const hideLocation = v.hide && v.headerLevel === 'server' ? '            proxy_set_header X-Hide location;' : '';
  const mapBlock = v.map === 'none' ? '' : `map $http_upgrade $connection_upgrade {\n        ${MAPS[v.map]}\n    }`;
  const files = new Map<string, string>();
  let mapText = '';
  if (mapBlock && v.mapIncluded) {
    files.set('conf.d/map.conf', mapBlock.replace(/\n {4}/g, '\n') + '\n');
    mapText = '    include conf.d/*.conf;';
  } else if (mapBlock) mapText = `    ${mapBlock}`;
  const target = v.upstream === 'direct' ? `127.0.0.1:${backend}` : 'backend';
  const upstream = v.upstream === 'direct' ? '' : `    upstream backend {\n        server 127.0.0.1:${backend};${v.upstream === 'keepalive' ? '\n        keepalive 4;' : ''}\n    }`;
  const ifBlock = v.ifBlock ? '            if ($arg_x) {\n                proxy_set_header X-If on;\n            }' : '';
  const lines = [
    `pid ${prefix}/nginx.pid;`,
    'worker_processes 1;',
    `error_log ${prefix}/logs/error.log;`,
    'events { worker_connections 64; }',
    'http {',
    `    access_log off;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${prefix}/tmp/${t};`),
    mapText,
    upstream,
    hv('http', '    '),
    at('http', '    '),
    '    server {',
    `        listen 127.0.0.1:${listen};`,
    hv('server', '        '),
    at('server', '        '),
    hideServer,
    `        location ${v.path} {`,
    `            proxy_pass http://${target};`,
    hv('location', '            '),
    at('location', '            '),
    hideLocation,
    `            proxy_read_timeout ${v.readTimeout};`,
    ifBlock,
    '        }',
    '    }',
    '}',
    '',
  ];
  files.set('nginx.conf', lines.filter((l) => l !== '').join('\n'));
  return files;
}

// ------------------------------------------------------------------ prediction

const HANDSHAKE_CODES = new Set(['ws-http-version', 'ws-upgrade-header', 'ws-connection-header', 'ws-headers-dropped', 'ws-map-missing']);

interface Prediction {
  intent: boolean;
  strictBreaks: boolean;
  lenientBreaks: boolean;
  idleClose: boolean;
  plainUpgrade: boolean;
  findings: string[];
  /** diagnostics of the editor that stand for several findings of one location */
  grouped: number;
  wsFindings: number;
  wsShown: number;
}

function predict(v: Variant, files: Map<string, string>, version: string): Prediction {
  const fs = new MemoryFileSystem(Object.fromEntries([...files].map(([rel, text]) => [`/v/${rel}`, text])));
  const settings = resolveSettings({ version, websocket: v.heartbeat ? { heartbeatInterval: '400ms' } : {} });
  const ls = getLanguageService({ fs, folders: ['/v'], settings });
  const all: ResolvedFinding[] = [];
  for (const rel of files.keys()) {
    const uri = `file:///v/${rel}`;
    ls.openDocument(uri, files.get(rel)!);
  }
  let grouped = 0;
  let wsShown = 0;
  for (const rel of files.keys()) {
    const uri = `file:///v/${rel}`;
    const each = ls.findingsFor(uri);
    all.push(...each);
    // what the editor shows (one diagnostic per location, analysis/group.ts) must stand for exactly
    // these findings: the prediction below holds for both
    const shown = ls.shownFindings(uri);
    const key = (f: ResolvedFinding) => `${f.code}|${f.severity}|${f.start}|${f.message}`;
    assert.deepEqual(shown.flatMap((f) => f.members ?? [f]).map(key).sort(), each.map(key).sort(), `grouping lost or added a finding in ${rel}`);
    for (const g of shown) {
      if (!g.members) continue;
      grouped++;
      const worst = g.members[0];
      assert.equal(g.code, worst.code);
      assert.equal(g.severity, worst.severity);
    }
    // at most one WebSocket diagnostic on a location's line
    wsShown += shown.filter((f) => f.code.startsWith('ws-')).length;
    const lines = shown.filter((f) => f.code.startsWith('ws-')).map((f) => files.get(rel)!.slice(0, f.start).split('\n').length);
    assert.equal(new Set(lines).size, lines.length, `two WebSocket diagnostics on one line of ${rel}`);
  }
  const serious = all.filter((f) => f.severity === 'error' || f.severity === 'warning');
  const handshake = serious.filter((f) => HANDSHAKE_CODES.has(f.code) || (f.code === 'ws-map-invalid' && /handshake/.test(f.message)));
  // intent as the product grades it: certain (WebSocket headers anywhere on the way) or likely (the path)
  const certain = v.upgrade !== 'unset' || ['map', 'literal', 'httpConnection'].includes(v.connection);
  return {
    intent: certain || v.path === '/ws/',
    strictBreaks: handshake.length > 0,
    lenientBreaks: handshake.some((f) => f.code !== 'ws-http-version'),
    idleClose: all.some((f) => f.code === 'ws-read-timeout'),
    plainUpgrade: all.some((f) => (f.code === 'ws-map-invalid' || f.code === 'ws-connection-hardcoded') && /Connection: upgrade/.test(f.message)),
    findings: all.map((f) => `${f.code}(${f.severity})`),
    grouped,
    wsFindings: all.filter((f) => f.code.startsWith('ws-')).length,
    wsShown,
  };
}

// ------------------------------------------------------------------ backend

const UPGRADE_TOKEN = /(?:^|,)\s*upgrade\s*(?:,|$)/i;

/**
 * Echoes plain requests' headers; `?mode=strict` refuses a handshake RFC 6455 §4.2.1 would (HTTP/1.1
 * or higher, Upgrade: websocket, Connection with the upgrade token); `?hb=1` pings every 400 ms.
 */
function backendServer(): WsBackend {
  return new WsBackend({
    request: (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ httpVersion: req.httpVersion, headers: req.headers }));
    },
    accept: (req, socket) => {
      const url = new URL(req.url ?? '/', 'http://backend');
      if (url.searchParams.get('mode') !== 'strict') return true;
      const ok = req.httpVersion === '1.1' && /^websocket$/i.test(String(req.headers.upgrade ?? '').trim()) && UPGRADE_TOKEN.test(String(req.headers.connection ?? ''));
      if (!ok) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return ok;
    },
    socket: (ws, req) => {
      const url = new URL(req.url ?? '/', 'http://backend');
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      if (url.searchParams.get('hb')) {
        const t = setInterval(() => ws.ping(), 400);
        ws.on('close', () => clearInterval(t));
      }
    },
  });
}

// ------------------------------------------------------------------ observation

interface Observation {
  started: boolean;
  strictOk: boolean;
  lenientOk: boolean;
  echo: boolean;
  idleClosed: boolean | null;
  plainConnection: string | null | undefined;
}

function handshake(url: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: 2000 });
    const done = (v: WebSocket | null) => { clearTimeout(t); resolve(v); };
    const t = setTimeout(() => { ws.terminate(); done(null); }, 3000);
    ws.once('open', () => done(ws));
    ws.once('error', () => done(null));
    ws.once('unexpected-response', (_req, res) => { res.resume(); ws.terminate(); done(null); });
  });
}

function echo(ws: WebSocket): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), 1500);
    ws.once('message', (d) => { clearTimeout(t); resolve(String(d) === 'ping-1'); });
    ws.send('ping-1');
  });
}

function plain(port: number, path: string): Promise<string | null | undefined> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { connection: 'keep-alive' }, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          const seen = JSON.parse(body) as { headers: Record<string, string> };
          resolve(seen.headers.connection ?? null);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => { req.destroy(); resolve(undefined); });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function waitPort(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  return new Promise((resolve) => {
    const tryOnce = () => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > end) resolve(false);
        else setTimeout(tryOnce, 50);
      });
    };
    tryOnce();
  });
}

async function observe(n: Installed, v: Variant, backend: number): Promise<{ obs: Observation; files: Map<string, string> }> {
  const prefix = makePrefix('wsdiff');
  const port = await freePort();
  const files = render(v, port, backend, prefix);
  let proc: ChildProcess | null = null;
  try {
    mkdirSync(join(prefix, 'conf', 'conf.d'), { recursive: true });
    for (const [rel, text] of files) writeFileSync(join(prefix, 'conf', rel), text);
    const conf = join(prefix, 'conf', 'nginx.conf');
    const t = spawnSync(n.bin, ['-t', '-q', '-p', prefix, '-e', join(prefix, 'logs', 'error.log'), '-c', conf], { encoding: 'utf8', timeout: 15_000 });
    const none: Observation = { started: false, strictOk: false, lenientOk: false, echo: false, idleClosed: null, plainConnection: undefined };
    if (t.status !== 0) return { obs: none, files };
    proc = spawn(n.bin, ['-p', prefix, '-e', join(prefix, 'logs', 'error.log'), '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
    if (!(await waitPort(port, 5000))) return { obs: none, files };
    const q = `${v.heartbeat ? '&hb=1' : ''}${v.ifBlock ? '&x=1' : ''}`;
    const base = `ws://127.0.0.1:${port}${v.path}socket?id=${v.id}${q}`;
    const [strict, lenient, plainConnection] = await Promise.all([
      handshake(`${base}&mode=strict`),
      handshake(`${base}&mode=lenient`),
      plain(port, `${v.path}plain?id=${v.id}${v.ifBlock ? '&x=1' : ''}`),
    ]);
    const open = strict ?? lenient;
    let echoed = false;
    let idleClosed: boolean | null = null;
    if (open) {
      echoed = await echo(open);
      await sleep(IDLE_WAIT_MS);
      idleClosed = open.readyState !== WebSocket.OPEN;
    }
    for (const s of [strict, lenient]) s?.terminate();
    return { obs: { started: true, strictOk: !!strict && echoed, lenientOk: !!lenient, echo: echoed, idleClosed, plainConnection }, files };
  } finally {
    if (proc && proc.exitCode === null) {
      const exited = new Promise<void>((r) => proc!.once('exit', () => r()));
      proc.kill('SIGTERM');
      const k = setTimeout(() => { try { proc!.kill('SIGKILL'); } catch { /* gone */ } }, 3000);
      await Promise.race([exited, sleep(5000)]);
      clearTimeout(k);
    }
    removePrefix(prefix);
  }
}

// ------------------------------------------------------------------ the test

interface Matrix { tp: number; fp: number; fn: number; tn: number }
const empty = (): Matrix => ({ tp: 0, fp: 0, fn: 0, tn: 0 });
function count(m: Matrix, predicted: boolean, observed: boolean): void {
  if (predicted && observed) m.tp++;
  else if (predicted) m.fp++;
  else if (observed) m.fn++;
  else m.tn++;
}

const reportLines: string[] = [];

describe('WebSocket behaviour differential (real nginx, lenient and strict backends)', { skip: SKIP ?? undefined }, () => {
  const backend = backendServer();
  before(async () => { await backend.start(); });
  after(async () => { await backend.stop(); });

  for (const n of SKIP ? [] : installed()) {
    test(`nginx ${n.version}: ${COUNT} random variants (seed ${SEED}) and ${DIRECTED.length} directed ones agree with the diagnostics`, { timeout: 240_000 }, async () => {
      const list = variants(SEED, COUNT);
      const results: { v: Variant; p: Prediction; o: Observation }[] = [];
      for (let i = 0; i < list.length; i += PARALLEL) {
        const batch = await Promise.all(list.slice(i, i + PARALLEL).map(async (v) => {
          const { obs, files } = await observe(n, v, backend.port);
          return { v, p: predict(v, files, n.version), o: obs };
        }));
        results.push(...batch);
      }
      const strict = empty(), lenient = empty(), idle = empty(), plainUp = empty();
      const wrong: string[] = [];
      let compared = 0;
      for (const { v, p, o } of results) {
        if (!p.intent) continue;
        compared++;
        const describeV = `#${v.id} ${JSON.stringify(v)} → ${p.findings.join(', ') || 'no finding'}; observed ${JSON.stringify(o)}`;
        count(strict, p.strictBreaks, !o.strictOk);
        count(lenient, p.lenientBreaks, !o.lenientOk);
        if (p.strictBreaks !== !o.strictOk) wrong.push(`handshake (strict): predicted ${p.strictBreaks ? 'broken' : 'ok'} — ${describeV}`);
        if (o.idleClosed !== null) {
          count(idle, p.idleClose, o.idleClosed);
          if (p.idleClose !== o.idleClosed) wrong.push(`idle close: predicted ${p.idleClose} — ${describeV}`);
        }
        if (o.plainConnection !== undefined) {
          const up = /upgrade/i.test(o.plainConnection ?? '');
          count(plainUp, p.plainUpgrade, up);
          if (p.plainUpgrade !== up) wrong.push(`plain "Connection: upgrade": predicted ${p.plainUpgrade} — ${describeV}`);
        }
      }
      const row = (name: string, m: Matrix) => `| ${name} | ${m.tp} | ${m.fp} | ${m.fn} | ${m.tn} |`;
      const sum = (k: 'grouped' | 'wsFindings' | 'wsShown') => results.reduce((a, r) => a + r.p[k], 0);
      reportLines.push(
        `nginx ${n.version}, seed ${SEED}: ${results.length} variants, ${compared} with WebSocket intent; ${sum('wsFindings')} ws-* findings shown as ${sum('wsShown')} diagnostics (${sum('grouped')} of them groups)`,
        '',
        '| observed ⇔ predicted | both | finding only (FP) | behaviour only (FN) | neither |',
        '|---|---|---|---|---|',
        row('handshake broken, strict backend', strict),
        row('handshake broken, lenient backend (not required)', lenient),
        row('idle socket closed ⇔ ws-read-timeout', idle),
        row('plain request sent Connection: upgrade', plainUp),
        '',
      );
      // every variant must have been observed: a nginx that does not start is only acceptable when
      // the product predicts the breakage (ws-map-missing: nginx -t rejects an undefined variable)
      assert.ok(compared >= Math.min(10, COUNT / 3), `only ${compared} variants with intent`);
      assert.deepEqual(wrong, [], wrong.join('\n'));
    });
  }

  after(() => {
    const out = process.env.WS_DIFF_REPORT;
    if (out && reportLines.length) writeFileSync(out, reportLines.join('\n') + '\n');
  });
});

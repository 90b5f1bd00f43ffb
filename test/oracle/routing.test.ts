/**
 * The routing model against real nginx: generated configurations (test/oracle/routingGen.ts) run
 * by every installed nginx version, generated raw requests sent to them, and the server and
 * location nginx answers from (X-Server, X-Route, the body of `return 200 "<id>"`, the status of a
 * 400, 301 or 500) compared with what LanguageService.route predicts. Agreement must be 100%; each
 * disagreement is printed with its configuration, request and both answers.
 *
 *   ROUTING_REQUESTS=10000   requests per version (default 600), ROUTING_SEED=n (default 17)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers';
import { createLanguageService, type RouteResult } from '../../server/src/service/index';
import { freePort, makePrefix, removePrefix, RunningNginx, sleep } from '../e2e/nginx';
import { NGINX_VERSIONS, nginxSkipReason } from './nginxVersions';
import { genConfig, genRequest, rng, type GenConfig, type GenRequest } from './routingGen';

const REQUESTS = Number(process.env.ROUTING_REQUESTS ?? 600);
const SEED = Number(process.env.ROUTING_SEED ?? 17);
const PER_CONFIG = 100;

interface Answer { status: number | 'refused' | 'error'; route?: string; server?: string; body?: string; location?: string }

/** One raw request over TCP (so that the request line and Host are exactly what we generated). */
function send(req: GenRequest): Promise<Answer> {
  const [ip, port] = req.address.split(':');
  return new Promise((resolve) => {
    const sock = connect({ host: ip, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (a: Answer) => { if (!settled) { settled = true; sock.destroy(); resolve(a); } };
    sock.setTimeout(5000, () => done({ status: 'error' }));
    sock.on('error', (e: NodeJS.ErrnoException) => done({ status: e.code === 'ECONNREFUSED' ? 'refused' : 'error' }));
    sock.on('connect', () => {
      const head = [`GET ${req.target} HTTP/1.${req.http10 ? 0 : 1}`];
      if (req.host !== undefined) head.push(`Host: ${req.host}`);
      head.push('Connection: close', '', '');
      sock.write(Buffer.from(head.join('\r\n'), 'utf8'));
    });
    sock.on('data', (b) => chunks.push(b));
    sock.on('end', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.\d (\d{3})/.exec(raw);
      if (!m) return done({ status: 'error' });
      const split = raw.indexOf('\r\n\r\n');
      const headers = raw.slice(0, split);
      const h = (name: string) => new RegExp(`^${name}: *(.*)$`, 'mi').exec(headers)?.[1]?.trim();
      done({ status: Number(m[1]), route: h('X-Route'), server: h('X-Server'), location: h('Location'), body: raw.slice(split + 4) });
    });
  });
}

/** What the model says nginx answers, in the same terms. */
function predict(cfg: GenConfig, r: RouteResult): Answer & { compare: ('route' | 'server' | 'body')[] } {
  if (!r.server) return { status: 'refused', compare: [] };
  const sid = cfg.serverAt.get(r.server.range.start.line);
  if (/^400 /.test(r.server.detail ?? '')) return { status: 400, compare: [] };
  const steps = [r.location, ...r.chain].filter((s) => s !== null);
  if (steps.some((s) => s.kind === 'note' && /redirection cycle/.test(s.label))) return { status: 500, compare: [] };
  const locs = steps.filter((s) => s.kind === 'location');
  // after a rewrite … last to a URI no location matches, the server level answers (no X-Route)
  const nowhere = steps.length > 0 && steps[steps.length - 1].kind === 'note' && /^no location matches/.test(steps[steps.length - 1].label);
  const last = nowhere ? undefined : locs[locs.length - 1];
  const lid = last ? cfg.locationAt.get(last.range.start.line) : undefined;
  const redirect = steps.find((s) => s.kind === 'redirect');
  if (redirect) return { status: Number(redirect.label.slice(0, 3)), route: lid, server: sid, compare: ['route', 'server'] };
  if (!last) return { status: 0, route: undefined, server: sid, compare: ['route', 'server'] };
  if (steps.some((s) => s.kind === 'return')) return { status: 200, route: lid, server: sid, body: lid, compare: ['route', 'server', 'body'] };
  if (steps.some((s) => s.kind === 'handler' && s.label.startsWith('proxy_pass'))) return { status: 502, route: lid, server: sid, compare: ['route', 'server'] };
  return { status: 0, route: lid, server: sid, compare: ['route', 'server'] };
}

function agree(p: ReturnType<typeof predict>, a: Answer): boolean {
  if (p.status !== 0 && p.status !== a.status) return false;
  if (p.compare.includes('route') && p.route !== a.route) return false;
  if (p.compare.includes('server') && p.server !== a.server) return false;
  if (p.compare.includes('body') && p.body !== a.body) return false;
  return true;
}

async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]); }));
}

for (const v of NGINX_VERSIONS) {
  const skip = nginxSkipReason(v);
  test(`routing oracle: LanguageService.route agrees with nginx ${v.release} (${REQUESTS} requests, seed ${SEED})`, { skip: skip || false, timeout: 30 * 60_000 }, async () => {
    const r = rng(SEED);
    const service = createLanguageService();
    let total = 0;
    const disagreements: string[] = [];
    const configs = Math.max(1, Math.ceil(REQUESTS / PER_CONFIG));
    for (let c = 0; c < configs; c++) {
      const prefix = makePrefix('route');
      const ports: [number, number] = [await freePort(), await freePort()];
      const cfg = genConfig(r, ports, prefix, c);
      mkdirSync(join(prefix, 'empty'), { recursive: true });
      const nginx = new RunningNginx(prefix, v.bin);
      try {
        nginx.writeConfig(cfg.text);
        const t = nginx.test();
        assert.ok(t.ok, `nginx ${v.release} rejects generated configuration ${c}:\n${t.output}\n${cfg.text}`);
        nginx.start();
        // ready when the first address answers
        for (let k = 0; k < 100; k++) {
          const a = await send({ target: '/', host: 'ready', address: `127.0.0.1:${ports[0]}`, http10: false });
          const b = await send({ target: '/', host: 'ready', address: `127.0.0.1:${ports[1]}`, http10: false });
          if ((a.status !== 'refused' && a.status !== 'error') || (b.status !== 'refused' && b.status !== 'error')) break;
          if (nginx.exited) break;
          await sleep(50);
        }
        assert.ok(!nginx.exited, `nginx ${v.release} exited: ${nginx.output}`);
        const uri = `file:///routing-oracle/${v.release}/c${c}/nginx.conf`;
        service.openDocument(uri, cfg.text, 1);
        const n = Math.min(PER_CONFIG, REQUESTS - c * PER_CONFIG);
        const reqs = Array.from({ length: n }, () => genRequest(r, cfg));
        await pool(reqs, 8, async (q) => {
          const answer = await send(q);
          const res = service.route(uri, { url: q.target, host: q.host, serverAddress: q.address, nginxVersion: v.release });
          const p = predict(cfg, res);
          total++;
          if (!agree(p, answer)) {
            disagreements.push(`config ${c} (${prefix}), ${q.address} "GET ${q.target} HTTP/1.${q.http10 ? 0 : 1}" Host: ${q.host === undefined ? '(none)' : JSON.stringify(q.host)}\n` +
              `  nginx: ${JSON.stringify({ status: answer.status, server: answer.server, route: answer.route, body: answer.body?.slice(0, 40) })}\n` +
              `  model: ${JSON.stringify({ status: p.status || 'any', server: p.server, route: p.route })} ` +
              `server=${res.server?.label} @${(res.server?.range.start.line ?? -1) + 1} (${res.server?.detail}), location=${res.location?.label} (${res.location?.detail}), ` +
              `chain=${res.chain.map((s) => `${s.kind}:${s.label}`).join(' | ')}, uri=${res.normalizedUri}, notes=${res.notes.join('; ')}`);
          }
        });
        service.closeDocument(uri);
      } finally {
        await nginx.stop();
        if (!disagreements.length) removePrefix(prefix);
        else writeFileSync(join(prefix, 'conf', 'KEPT-FOR-DISAGREEMENTS'), '');
      }
    }
    const agreed = total - disagreements.length;
    console.log(`nginx ${v.release}: ${agreed}/${total} requests agree (${((100 * agreed) / Math.max(1, total)).toFixed(2)}%)`);
    if (disagreements.length) console.log(disagreements.slice(0, 40).join('\n'));
    assert.ok(total >= REQUESTS, `only ${total} requests were sent`);
    assert.equal(disagreements.length, 0, `${disagreements.length} disagreement(s) with nginx ${v.release} (printed above)`);
  });
}

// the rule fixtures' "conflicting server name" findings are exactly the warnings nginx -t prints
const FIXTURES = ['server-name-conflict', 'server-unreachable', 'location-unreachable'].flatMap((code) => {
  const dir = join(repoRoot, 'test/fixtures/rules', code);
  return readdirSync(dir).filter((f) => f.endsWith('.conf')).map((f) => join(dir, f));
});

for (const v of NGINX_VERSIONS) {
  const skip = nginxSkipReason(v);
  test(`routing oracle: the conflict warnings of nginx ${v.release} -t are the server-name-conflict findings, fixture by fixture`, { skip: skip || false }, () => {
    const service = createLanguageService();
    let warnings = 0;
    for (const file of FIXTURES) {
      const text = readFileSync(file, 'utf8');
      const prefix = makePrefix('conflict');
      try {
        const nginx = new RunningNginx(prefix, v.bin);
        nginx.writeConfig(`${nginx.pidDirective}\n${text}`);
        const t = nginx.test();
        assert.ok(t.ok, `${file}: nginx ${v.release} -t fails:\n${t.output}`);
        const fromNginx = [...t.output.matchAll(/conflicting server name "([^"]*)" on (\S+), ignored/g)].map((m) => `${m[1]} on ${m[2]}`).sort();
        const uri = pathToFileURL(file).href;
        service.openDocument(uri, text, 1);
        const ours = service.findingsFor(uri).filter((f) => f.code === 'server-name-conflict').flatMap((f) => {
          const m = /^conflicting server name "([^"]*)" on (.+?), ignored/.exec(f.message);
          return m ? m[2].split(', ').map((a) => `${m[1]} on ${a}`) : [`unparsed: ${f.message}`];
        }).sort();
        service.closeDocument(uri);
        assert.deepEqual(ours, fromNginx, `${file}: our findings vs nginx ${v.release} -t`);
        warnings += fromNginx.length;
      } finally {
        removePrefix(prefix);
      }
    }
    assert.ok(warnings >= 6, `only ${warnings} conflict warnings in the fixtures`);
  });
}

/**
 * Hover and "Show effective configuration here": what nginx really uses at a location after
 * inheritance (see analysis/effective.ts), and where each value comes from.
 */
import {
  ARRAY_DIRECTIVES, chainFor, describePlace, effectiveArray, effectiveScalar, headerEntries, inheritableArray,
  type EffectiveValue,
} from '../analysis/effective';
import { factsFor, findTargets } from '../analysis/proxy';
import { timeoutProblem } from '../analysis/timeouts';
import { describeSent, hasToken } from '../analysis/upgradeModel';
import type { ConfigView, Scope } from '../analysis/types';
import { directiveAt, enclosingBlockOwner } from '../syntax/query';
import type { Directive } from '../syntax/tree';
import type { FeatureContext } from './context';

/** Levels whose effective configuration is worth showing. */
const LEVELS = new Set(['location', 'if', 'limit_except']);

/** Scalar proxy settings listed by describeEffectiveConfiguration. */
const PROXY_SCALARS = [
  'proxy_pass', 'proxy_http_version', 'proxy_read_timeout', 'proxy_send_timeout', 'proxy_connect_timeout',
  'proxy_buffering', 'proxy_request_buffering', 'proxy_cache', 'proxy_redirect',
];

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

function place(view: ConfigView, v: { directive: Directive | null; scope: Scope | null }): string {
  if (!v.directive) return 'nginx default';
  const src = view.sourceOf(v.directive) ?? v.scope?.source ?? null;
  const where = describePlace(src, v.directive);
  return v.scope ? where.replace(/^[^ ]+/, v.scope.context) : where;
}

function scalarLine(view: ConfigView, v: EffectiveValue): string {
  const shown = v.value === '' ? '(not set)' : code(`${v.name} ${v.value}`);
  const from = v.isDefault ? (v.value ? 'nginx default' : 'not set') : v.local ? `set here — ${place(view, v)}` : `inherited from ${place(view, v)}`;
  return `${shown} — ${from}`;
}

/** The innermost location / if / limit_except holding `offset` (or whose header is at `offset`). */
function levelAt(ctx: FeatureContext, offset: number): Directive | null {
  const d = directiveAt(ctx.source.file, offset);
  for (let p: Directive | null = d && d.block ? d : enclosingBlockOwner(ctx.source.file, offset); p; p = p.parent) {
    if (LEVELS.has(p.name)) return p;
  }
  return null;
}

/** Markdown describing the effective value of the directive at `offset` and where it comes from. */
export function getEffectiveHover(ctx: FeatureContext, offset: number): string | null {
  const d = directiveAt(ctx.source.file, offset);
  if (!d || d.isEntry || d.block) return null;
  if (!(d.nameWord.start <= offset && offset <= d.nameWord.end)) return null;
  const owner = d.parent;
  if (!owner || !LEVELS.has(owner.name) && owner.name !== 'server' && owner.name !== 'http') return null;
  const view = ctx.view;
  const chain = chainFor(view, owner);
  if (ARRAY_DIRECTIVES.has(d.name)) {
    const eff = effectiveArray(chain, d.name);
    const parent = inheritableArray(chain, d.name);
    const lines = [`**Effective ${d.name} in this ${owner.name}** (${eff.directives.length}):`];
    for (const e of eff.directives) lines.push(`- ${code(e.args.map((a) => a.value).join(' '))}`);
    if (parent.directives.length) {
      const names = headerEntries(parent.directives).map((e) => e.header);
      lines.push('', `This level defines its own ${d.name}, so the ${parent.scope?.context ?? 'outer'}-level ones are **not inherited**: ${names.map(code).join(', ')}.`);
    }
    return lines.join('\n');
  }
  const v = effectiveScalar(view, chain, d.name, ctx.settings.version);
  if (v.directive === d) {
    // set right here: say what it overrides
    const outer = effectiveScalar(view, chain.slice(1), d.name, ctx.settings.version);
    const over = outer.isDefault ? (outer.value ? `nginx default ${code(outer.value)}` : null) : `${code(outer.value)} from ${place(view, outer)}`;
    return `**Effective here:** ${code(`${d.name} ${v.value}`)}${over ? ` (overrides ${over})` : ''}`;
  }
  // a duplicate at the same level: nginx refuses it; show the one that counts
  return `**Effective here:** ${scalarLine(view, v)}`;
}

/** Markdown listing the effective configuration at `offset` (command "Show effective configuration here"). */
export function describeEffectiveConfiguration(ctx: FeatureContext, offset: number): string | null {
  const level = levelAt(ctx, offset);
  const view = ctx.view;
  const chain = level ? chainFor(view, level) : chainFor(view, enclosingBlockOwner(ctx.source.file, offset));
  if (!chain.length) return null;
  const title = level ? `${level.name} ${level.args.map((a) => a.raw).join(' ')}`.trim() : chain[0].context;
  const out: string[] = [`### Effective configuration: ${code(title)}`, ''];
  out.push('| directive | value | from |', '|---|---|---|');
  for (const name of PROXY_SCALARS) {
    const v = effectiveScalar(view, chain, name, ctx.settings.version);
    const from = v.isDefault ? (v.value ? 'nginx default' : '—') : v.local ? `here (${place(view, v)})` : place(view, v);
    out.push(`| ${name} | ${v.value ? code(v.value) : '(not set)'} | ${from} |`);
  }
  for (const name of ['proxy_set_header', 'add_header']) {
    const eff = effectiveArray(chain, name);
    if (!eff.directives.length) {
      out.push(`| ${name} | ${name === 'proxy_set_header' ? 'nginx defaults: `Host $proxy_host`, `Connection close` (none from 1.29.7)' : '(none)'} | — |`);
      continue;
    }
    for (const d of eff.directives) {
      const from = eff.local ? 'here' : `inherited from ${eff.scope?.context ?? '?'}`;
      out.push(`| ${name} | ${code(d.args.map((a) => a.value).join(' '))} | ${from} (${place(view, { directive: d, scope: eff.scope })}) |`);
    }
  }
  // the WebSocket verdict for this location
  const targets = findTargets(view).filter((t) => t.owner === level);
  if (level && targets.length) {
    const f = factsFor(view, targets[0], ctx.settings);
    out.push('');
    const sentLine = (label: string, r: typeof f.upgradeRequest) =>
      `| ${label} | HTTP/${f.httpVersion.value}, ${describeSent('Upgrade', r.upgrade)}, ${describeSent('Connection', r.connection)} |`;
    // what nginx sends upstream (the behaviour model the WebSocket rules use)
    out.push('| request | what nginx sends upstream |', '|---|---|', sentLine('WebSocket handshake', f.upgradeRequest), sentLine('plain request', f.plainRequest));
    const reuse = f.upstreamKeepalive
      ? (f.httpVersion.value === '1.1' && !hasToken(f.plainRequest.connection, 'close') ? 'reused (upstream keepalive)' : 'not reused: the request asks the backend to close it')
      : 'not kept (no upstream keepalive)';
    out.push(`| upstream connection after a plain request | ${reuse} |`, '');
    const verdict: Record<string, string> = {
      ok: 'the handshake reaches the backend as a valid upgrade (101)',
      'lenient-only': 'lenient backends (Node\'s ws) answer 101, RFC 6455-strict ones 400 (HTTP/1.0)',
      broken: 'the handshake fails: the backend does not see an upgrade',
      unknown: 'the headers depend on variables the analysis cannot evaluate',
    };
    if (f.isWs) {
      const issues: string[] = [];
      if (f.handshake !== 'ok') issues.push(verdict[f.handshake]);
      const rt = timeoutProblem(f.readTimeout, ctx.settings, f.target.path, 'read');
      if (rt) issues.push(rt);
      const st = timeoutProblem(f.sendTimeout, ctx.settings, f.target.path, 'send');
      if (st) issues.push(st);
      out.push(issues.length ? `**WebSocket proxy** with problems: ${issues.join('; ')}.` : `**WebSocket proxy**: ${verdict.ok}; timeouts are in place.`);
    } else {
      out.push(`Plain HTTP proxy: ${verdict[f.handshake] ?? verdict.broken}.`);
    }
  }
  return out.join('\n');
}

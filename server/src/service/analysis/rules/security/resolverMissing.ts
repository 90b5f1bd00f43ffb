/**
 * resolver-missing: an upstream address with a variable (proxy_pass, fastcgi_pass, uwsgi_pass,
 * scgi_pass, grpc_pass) whose host is a name that is neither an `upstream {}` block nor the host of a
 * static proxy_pass (an implicit upstream), while no `resolver` is in effect. With a variable
 * anywhere in the address nginx parses it per request (ngx_http_proxy_eval, no_resolve), looks the
 * host up among the upstreams (ngx_http_upstream_init_request: an upstream block matches when the
 * address has no port), and otherwise needs the resolver: without one the request fails with 502
 * and "no resolver defined to resolve …" in the error log (proven on real nginx in
 * test/e2e/security-exploits.test.ts). IP literals and unix sockets need no resolver. A variable
 * whose values are known (`set` to a literal, a `map`'s values) is checked value by value; one
 * that comes from the request can name anything. When the http level is not part of what is
 * analysed (a lone site file), or an include of the chain did not resolve, a resolver may be out of
 * sight: the finding is then information.
 */
import type { Statement } from '../../../syntax/tree';
import { effectiveScalar } from '../../effective';
import type { ConfigView, Rule, Scope } from '../../types';
import { chainHasUnresolvedInclude } from '../../levels';
import { levelDirectives, related } from '../../report';
import { addressParts, mapsOf, mapValues, PASS_DIRECTIVES, PASS_NAMES, refsIn, setsOf } from '../../security';

const IP_RE = /^(\d{1,3}(\.\d{1,3}){3}(:\d+)?|\[[0-9a-fA-F:.]+\](:\d+)?)$/;

/** Every host a variable of the address can stand for; null when one is unknown. */
function candidates(view: ConfigView, chain: Scope[], template: string, depth = 0): string[] | null {
  const refs = refsIn(template);
  if (!refs.length) return [template];
  if (depth > 3) return null;
  const r = refs[0];
  let values: string[] | null = null;
  const sets = setsOf(chain, r.name);
  if (sets.length) values = sets.map((s) => s.argValue(1) ?? '');
  else {
    const maps = mapsOf(view, r.name);
    if (maps.length) values = mapValues(maps[0]);
  }
  if (!values) return null;
  const out: string[] = [];
  for (const v of values) {
    const sub = candidates(view, chain, template.slice(0, r.start) + v + template.slice(r.end), depth + 1);
    if (!sub) return null;
    out.push(...sub);
    if (out.length > 64) return null;
  }
  return out;
}

/** upstream block names and the host:port of static upstream addresses of the configuration. */
function knownUpstreams(view: ConfigView): { blocks: Set<string>; implicit: Set<string> } {
  const blocks = new Set<string>();
  const implicit = new Set<string>();
  const visit = (list: Statement[]) => {
    for (const s of list) {
      if (s.kind !== 'directive' || s.isEntry) continue;
      if (s.name === 'upstream' && s.argCount >= 1) blocks.add(s.argValue(0)!.toLowerCase());
      if (PASS_DIRECTIVES.has(s.name) && s.argCount >= 1 && !s.argValue(0)!.includes('$')) {
        const m = /^(?:([a-z]+):\/\/)?([^/?]+)/i.exec(s.argValue(0)!);
        if (m) implicit.add(withPort(m[2].toLowerCase(), m[1]?.toLowerCase() ?? ''));
      }
      if (s.block && s.block.body === 'directives') visit(s.block.children);
    }
  };
  for (const f of view.files()) visit(f.file.children);
  return { blocks, implicit };
}

function withPort(host: string, scheme: string): string {
  if (/:\d+$/.test(host) || host.startsWith('unix:')) return host;
  return `${host}:${scheme === 'https' || scheme === 'grpcs' ? 443 : 80}`;
}

export const resolverMissing: Rule = {
  code: 'resolver-missing',
  family: 'security',
  reach: { across: (d) => PASS_DIRECTIVES.has(d.name) },
  defaultSeverity: 'error',
  description: 'A variable in the upstream address makes nginx resolve the host per request, and no resolver is set (502)',
  check(ctx) {
    const { view } = ctx;
    let upstreams: ReturnType<typeof knownUpstreams> | null = null;
    for (const { d, chain } of levelDirectives(ctx, (x) => PASS_DIRECTIVES.has(x.name) && (x.argValue(0) ?? '').includes('$'), PASS_NAMES)) {
      const resolver = effectiveScalar(view, chain, 'resolver');
      if (resolver.directive) continue;
      const parts = addressParts(view, chain, d);
      if (!parts) continue;
      const scheme = parts.value.slice(parts.scheme[0], parts.scheme[1]).toLowerCase();
      const hostTemplate = parts.value.slice(parts.host[0], parts.host[1]);
      if (/^unix:/i.test(hostTemplate)) continue;
      const hosts = candidates(view, chain, hostTemplate);
      upstreams ??= knownUpstreams(view);
      const known = upstreams;
      const needs = hosts === null ? null : hosts.filter((h) => {
        const host = h.toLowerCase();
        if (!host || IP_RE.test(host) || host.startsWith('unix:')) return false;
        if (!/:\d+$/.test(host) && known.blocks.has(host)) return false;
        return !known.implicit.has(withPort(host, scheme));
      });
      if (needs && !needs.length) continue;
      // without the http level in view its resolver (if any) is out of sight
      const complete = chain.some((s) => s.context === 'http' && s.owner) && !chainHasUnresolvedInclude(chain);
      const what = needs ? needs[0] : hostTemplate;
      const word = d.arg(0)!;
      ctx.report({
        message: needs
          ? `${d.name} resolves "${what}" per request but no resolver is set: requests fail with 502. Add a resolver or an upstream block.`
          : `${d.name} resolves the host ${what} per request and no resolver is set: a value that names no upstream block fails with 502.`,
        // unknown values (request data) may all name upstream blocks by design: a warning
        severity: !complete ? 'information' : needs ? undefined : 'warning',
        start: word.start,
        end: word.end,
        related: related(view, parts.via, 'the address is set here'),
      });
    }
  },
};

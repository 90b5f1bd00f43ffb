/**
 * hostname-resolved-once: an upstream given by host name — `proxy_pass http://api.internal:8080`
 * (and the other *_pass directives) without variables, or an upstream block's `server
 * api.internal:8080` — is resolved once, when nginx reads its configuration. When the name's
 * addresses change (containers, cloud load balancers, DNS fail-over) nginx keeps sending to the old
 * ones until it is reloaded. A hint.
 *
 * Version-aware suggestion: from nginx 1.27.3 an upstream `server` takes `resolve` (re-resolved in
 * the background with the `resolver`; the upstream needs a shared-memory `zone`), before that the
 * way is a variable in proxy_pass with a `resolver`. Fix (preferred) where it is mechanical: an
 * upstream `server` with a target version from 1.27.3, an upstream that has a `zone` and a resolver
 * in effect (http level or the upstream's own) — add `resolve`. IP addresses, `localhost` and names
 * under `.localhost` (loopback by RFC 6761) are not reported.
 */
import { paramIn } from '../../../knowledge/versions';
import type { Directive, Statement } from '../../../syntax/tree';
import { allDirectives } from '../../../syntax/query';
import { chainFor, directivesNamed } from '../../effective';
import { chainHasUnresolvedInclude } from '../../levels';
import { fileDirectives, headerRange, inFocus } from '../../report';
import { PASS_DIRECTIVES } from '../../security';
import type { ConfigView, Rule } from '../../types';

/** The innermost block around `d` that is a level (location, if, server, http), or null at the top. */
function enclosingLevel(d: Directive): Directive | null {
  for (let p = d.parent; p; p = p.parent) if (['location', 'if', 'limit_except', 'server', 'http'].includes(p.name)) return p;
  return null;
}

const PASS_DIRECTIVES_AND_SERVER = new Set([...PASS_DIRECTIVES, 'server']);
const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])$/;

/** The host of an address ("http://a.b:80/x" → "a.b", "a.b:9000" → "a.b"), or null. */
function hostOf(addr: string): string | null {
  const rest = addr.replace(/^[a-z]+:\/\//i, '');
  if (/^unix:/i.test(rest)) return null;
  const m = /^(\[[^\]]*\]|[^/:?]+)/.exec(rest);
  return m ? m[1] : null;
}

// names under .localhost are loopback (RFC 6761): they never move
const isName = (h: string) => !IP.test(h) && !/(^|\.)localhost\.?$/i.test(h) && /[a-z]/i.test(h);

/** per parsed file: the upstream names it defines (a configuration of 10,000 files re-read each per check) */
const fileUpstreams = new WeakMap<Statement[], string[]>();

/** Every upstream block name of the configuration. */
function upstreamNames(view: ConfigView): Set<string> {
  const out = new Set<string>();
  for (const f of view.files()) {
    let names = fileUpstreams.get(f.file.children);
    if (!names) {
      names = [];
      for (const d of allDirectives(f.file.children)) if (d.name === 'upstream' && !d.isEntry && d.argCount >= 1) names.push(d.argValue(0)!.toLowerCase());
      fileUpstreams.set(f.file.children, names);
    }
    for (const n of names) out.add(n);
  }
  return out;
}

/** A resolver reaches the upstream block: its own (1.27.3+) or one at the http level around it. */
function hasResolver(view: ConfigView, upstream: Directive): boolean {
  if (directivesNamed(view.expand(upstream), 'resolver').length) return true;
  const http = upstream.parent;
  return !!http && directivesNamed(view.expand(http), 'resolver').length > 0;
}

export const hostnameResolvedOnce: Rule = {
  code: 'hostname-resolved-once',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'hint',
  description: 'An upstream host name is resolved only when nginx starts: address changes are missed until a reload',
  check(ctx) {
    const { view, source, settings } = ctx;
    const canResolveIn = (handler: 'server:upstream' | 'server:stream_upstream') => paramIn(handler, 'resolve', settings)?.status === 'ok';
    const canResolve = canResolveIn('server:upstream');
    let upstreams: Set<string> | null = null;
    for (const d of fileDirectives(ctx, PASS_DIRECTIVES_AND_SERVER)) {
      // every finding is on the directive (the upstreams of a compact copy's shell are not re-checked)
      if (!inFocus(ctx, d)) continue;
      if (d.name === 'server') {
        const up = d.parent;
        if (!up || up.name !== 'upstream' || d.argCount < 1) continue;
        const params = Array.from({ length: d.argCount }, (_, i) => d.argValue(i)!);
        if (params.includes('resolve')) continue;
        const host = hostOf(params[0]);
        if (!host || !isName(host)) continue;
        const body = view.expand(up);
        const zone = directivesNamed(body, 'zone').length > 0;
        const here = canResolveIn(up.parent?.name === 'stream' ? 'server:stream_upstream' : 'server:upstream');
        const fixable = here && zone && hasResolver(view, up);
        const last = d.arg(d.argCount - 1)!;
        ctx.report({
          message: here
            ? `${host} is resolved only when nginx starts. Add "resolve" (with a zone and a resolver) so nginx follows its address changes.`
            : `${host} is resolved only when nginx starts: address changes are missed until a reload (upstream "server … resolve" needs nginx 1.27.3).`,
          start: d.arg(0)!.start,
          end: d.arg(0)!.end,
          fixes: fixable ? () => [{ title: 'Add "resolve"', isPreferred: true, edits: [{ source, start: last.end, end: last.end, newText: ' resolve' }] }] : undefined,
        });
        continue;
      }
      const addr = d.argValue(0) ?? '';
      if (!addr || addr.includes('$')) continue;
      const host = hostOf(addr);
      if (!host || !isName(host)) continue;
      upstreams ??= upstreamNames(view);
      if (upstreams.has(host.toLowerCase())) continue;
      // `proxy_pass http://backend;` in a file whose http level (or an include) is out of sight
      // most likely names an upstream block defined there
      const chain = chainFor(view, enclosingLevel(d));
      const complete = chain.some((sc) => sc.context === 'http' && sc.owner) && !chainHasUnresolvedInclude(chain);
      if (!complete && !host.includes('.') && !/:\d+/.test(addr.replace(/^[a-z]+:\/\//i, ''))) continue;
      ctx.report({
        message: `${d.name} resolves ${host} only when nginx starts: address changes are missed until a reload. ${canResolve ? 'Use an upstream block with "server … resolve"' : 'Use a variable with a resolver'} to follow them.`,
        ...headerRange(d),
      });
    }
  },
};

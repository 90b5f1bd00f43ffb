/**
 * resolver-external: a `resolver` address that is a public IP (8.8.8.8, 1.1.1.1, 9.9.9.9, …).
 * nginx's resolver sends plain UDP DNS queries and accepts the first answer whose ID and question
 * match: across the internet an off-path attacker can race forged answers (CVE-2021-23017 made a
 * forged answer a memory overwrite), and an on-path one redirects proxy_pass to any address. A
 * resolver on the host or the local network (127.0.0.53, the VPC's resolver, kube-dns) keeps the
 * exposed path short. Same check as gixy's resolver_external. Names (`resolver localhost`) are
 * resolved once at start by the system and not judged. A warning; no fix (the local resolver's
 * address is site-specific).
 */
import { fileDirectives } from '../../report';
import type { Rule } from '../../types';

const RESOLVER = new Set(['resolver']);

/** An IPv4 address that is not private, loopback, link-local, CGNAT, or otherwise local. */
function publicV4(a: string): boolean {
  const p = a.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) return false;
  const [x, y] = p;
  if (x === 10 || x === 127 || x === 0 || x >= 224) return false;
  if (x === 172 && y >= 16 && y <= 31) return false;
  if (x === 192 && y === 168) return false;
  if (x === 169 && y === 254) return false;
  if (x === 100 && y >= 64 && y <= 127) return false;
  return true;
}

/** An IPv6 address that is global (not loopback, link-local, unique-local, unspecified). */
function publicV6(a: string): boolean {
  const v = a.toLowerCase();
  if (!v.includes(':') || !/^[0-9a-f:.]+$/.test(v)) return false;
  if (v === '::1' || v === '::' || /^fe[89ab]/.test(v) || /^f[cd]/.test(v)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return publicV4(mapped[1]);
  return /^[23]/.test(v);
}

/** The address of a resolver argument without its port ("8.8.8.8:53", "[2001:4860::8888]:53"). */
export function resolverAddress(arg: string): { host: string; v6: boolean } | null {
  const b = /^\[([^\]]+)\](?::\d+)?$/.exec(arg);
  if (b) return { host: b[1], v6: true };
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::\d+)?$/.exec(arg);
  if (v4) return { host: v4[1], v6: false };
  if (arg.includes(':') && /^[0-9a-fA-F:.]+$/.test(arg)) return { host: arg, v6: true };
  return null;
}

export function isPublicResolver(arg: string): boolean {
  const a = resolverAddress(arg);
  return !!a && (a.v6 ? publicV6(a.host) : publicV4(a.host));
}

export const resolverExternal: Rule = {
  code: 'resolver-external',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'resolver points at a public DNS server (8.8.8.8, 1.1.1.1, …): its answers can be spoofed on the way',
  check(ctx) {
    for (const s of fileDirectives(ctx, RESOLVER)) {
      for (let i = 0; i < s.argCount; i++) {
        const v = s.argValue(i)!;
        if (v.includes('=') || !isPublicResolver(v)) continue;
        const w = s.arg(i)!;
        ctx.report({
          message: `resolver ${v} is a public DNS server: nginx trusts its plain-UDP answers, which can be spoofed on the way. Use a local resolver.`,
          start: w.start,
          end: w.end,
        });
      }
    }
  },
};

/**
 * cve-advisory: a published nginx vulnerability (nginx.org's security advisories, generated into
 * knowledge/advisories.generated.ts) that the target nginx version has *and* that this
 * configuration triggers — the vulnerable code only runs when a directive enables it (`mp4`,
 * `resolver`, `listen … quic`, …). The target version is the configured `nginx.version` (or the
 * file's `# nginx: version=` line); with no version known nothing is reported. One finding per
 * advisory topic, on the first directive of the file that enables it, listing the CVEs and the
 * release that fixes them on the target's branch. A warning for nginx's "major"/"medium" ratings,
 * information for "low"/"minor". No fix: upgrade nginx.
 */
import type { Directive } from '../../../syntax/tree';
import { allDirectives } from '../../../syntax/query';
import { ADVISORIES, advisoryRelease, fixedFor, isVulnerable, type Advisory } from '../../../knowledge/advisories';
import { compareVersions } from '../../../knowledge/versions';
import { headerRange } from '../../report';
import type { Rule } from '../../types';

const args = (d: Directive) => Array.from({ length: d.argCount }, (_, i) => d.argValue(i)!);

/**
 * Which directives run the code an advisory's module key names (the keys the generator writes).
 * Kept minimal: a key is here only when a directive clearly switches the code on. Left out on
 * purpose: ngx_http_rewrite_module and the range filter (every configuration runs them: a finding
 * would say nothing about this configuration), "ssl" (session reuse / upstream injection: triggered by
 * traffic, not by one directive), and advisories without a module (request-line parsing and the
 * like, in every nginx of their range).
 */
const TRIGGERS: Record<string, (d: Directive) => boolean> = {
  // CVE-2022-41741/41742 and the other mp4 advisories: only locations with `mp4` parse mp4 files
  ngx_http_mp4_module: (d) => d.name === 'mp4',
  // CVE-2021-23017 and the other resolver advisories: nginx's own resolver is used only with `resolver`
  resolver: (d) => d.name === 'resolver',
  // HTTP/3 and QUIC: `listen … quic` (1.25.0+), or `http3 on`
  http3: (d) => (d.name === 'listen' && args(d).includes('quic')) || (d.name === 'http3' && d.argValue(0) === 'on'),
  // HTTP/2: `listen … http2` or `http2 on` (1.25.1+)
  http2: (d) => (d.name === 'listen' && args(d).includes('http2')) || (d.name === 'http2' && d.argValue(0) === 'on'),
  spdy: (d) => d.name === 'listen' && args(d).includes('spdy'),
  ngx_http_ssi_module: (d) => d.name === 'ssi' && d.argValue(0) === 'on',
  ngx_http_slice_module: (d) => d.name === 'slice',
  ngx_http_dav_module: (d) => d.name === 'dav_methods' && d.argValue(0) !== 'off',
  ngx_http_charset_module: (d) => (d.name === 'charset' || d.name === 'source_charset') && d.argValue(0) !== 'off',
  ngx_http_grpc_module: (d) => d.name === 'grpc_pass',
  ngx_http_scgi_module: (d) => d.name === 'scgi_pass',
  ngx_http_uwsgi_module: (d) => d.name === 'uwsgi_pass',
  ngx_http_proxy_module: (d) => d.name === 'proxy_pass',
  ngx_http_proxy_v2_module: (d) => d.name === 'proxy_http_version' && d.argValue(0) === '2',
  // "Buffer overflow when using map and regex" (CVE-2026-42533): a regex entry whose value reads a
  // positional capture ($1…$9; named captures take another path in nginx)
  ngx_http_map_module: (d) => d.name === 'map' && !!d.block?.children.some((e) => e.kind === 'directive' && e.isEntry && e.name.startsWith('~') && /\$\{?[1-9]/.test(e.argValue(e.argCount - 1) ?? '')),
  // OCSP: stapling or client-certificate OCSP checks
  ocsp: (d) => (d.name === 'ssl_stapling' || d.name === 'ssl_ocsp') && d.argValue(0) !== 'off',
  // mail proxy advisories (CRAM-MD5/APOP, auth_http/XCLIENT, STARTTLS, SMTP): a mail block
  mail: (d) => d.name === 'mail',
  ngx_mail_smtp_module: (d) => d.name === 'mail',
  // "Memory disclosure with specially crafted backend responses" (2012, 2013): proxied responses
  proxy: (d) => d.name === 'proxy_pass',
};

const RANK: Record<string, number> = { major: 3, high: 3, medium: 2, low: 1, minor: 1 };

export const cveAdvisory: Rule = {
  code: 'cve-advisory',
  family: 'security',
  defaultSeverity: 'warning',
  description: 'A published nginx vulnerability that the target version has and this configuration triggers',
  check(ctx) {
    const release = advisoryRelease(ctx.settings.version);
    if (!release) return;
    const applicable = ADVISORIES.filter((a) => a.modules.some((m) => TRIGGERS[m]) && isVulnerable(a, release));
    if (!applicable.length) return;
    // per trigger key: the advisories and the first directive of this file that enables the code
    const byKey = new Map<string, { first: Directive; list: Advisory[] }>();
    const list = allDirectives(ctx.source.file.children).filter((d) => !d.isEntry);
    for (const a of applicable) {
      const key = a.modules.find((m) => TRIGGERS[m] && list.some(TRIGGERS[m]));
      if (!key) continue;
      const entry = byKey.get(key);
      if (entry) entry.list.push(a);
      else byKey.set(key, { first: list.find(TRIGGERS[key])!, list: [a] });
    }
    for (const { first, list: advisories } of byKey.values()) {
      const top = Math.max(...advisories.map((a) => RANK[a.severity] ?? 1));
      const fixes = advisories.map((a) => fixedFor(a, release)).filter((f): f is string => !!f);
      // the release that fixes all of them on the target's branch
      let fixIn: string | undefined = fixes.sort(compareVersions)[fixes.length - 1];
      if (fixIn && advisories.some((a) => isVulnerable(a, fixIn!))) fixIn = undefined;
      const cves = advisories.map((a) => a.cve || a.name);
      const shown = cves.length > 4 ? `${cves.slice(0, 4).join(', ')} and ${cves.length - 4} more` : cves.join(', ');
      ctx.report({
        message: `nginx ${release} has ${advisories.length === 1 ? `a published vulnerability that this ${first.name} triggers: ${advisories[0].cve} (${advisories[0].name}, ${advisories[0].severity})` : `${advisories.length} published vulnerabilities that this ${first.name} triggers: ${shown}`}.${fixIn ? ` Upgrade to ${fixIn} or later.` : ''}`,
        severity: top >= 2 ? undefined : 'information',
        ...headerRange(first),
      });
    }
  },
};

/**
 * The peer suites (issue 16, "What it must show"; docs/security.md): our verdicts on the test
 * configurations of two other nginx linters, read from the corpus (../shared/corpus, MANIFEST.tsv
 * maps each flattened file name back to its path in the peer's repository):
 *
 *   gixy (dvershinin/gixy)        tests/plugins/simply/<plugin>/<name>.conf: every `*.conf` must give
 *                                 exactly one finding of that plugin, every `*_fp.conf` none
 *   nginx-lint (walf443)          plugins/builtin/<category>/<rule>/examples/{bad,good}.conf: bad gives
 *                                 at least one finding of that rule, good none
 *
 * A peer check is *covered* when at least one of the codes it maps to is in our registry; for a
 * covered check, a file agrees when the number of findings of those codes (any severity) is what
 * the peer expects. DISAGREEMENTS lists, with the reason, every file where we knowingly differ;
 * test/oracle/peers.test.ts fails on any other difference and on a listed file that agrees.
 * `node --import tsx scripts/peers-report.ts` prints the tables of docs/security.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configRules, ruleInfo } from '../../server/src/service/analysis/registry';
import { resolveSettings } from '../../server/src/service/settings';
import { positionAt } from '../../server/src/service/syntax/positions';
import { parse } from '../../server/src/service/syntax/parser';
import { analyseText, corpusDir, readOracle } from './corpus';

export type Peer = 'gixy' | 'nginx-lint';

export interface PeerCheck {
  /** our codes that report what the peer's check reports ([] = we have no such check) */
  codes: string[];
  /** nginx version to analyse with (default 1.22, the oracle's nginx) */
  version?: string;
  /** why the mapping is what it is, or why nothing covers it */
  note?: string;
  /** only findings whose message matches count (a code that covers several checks: cve-advisory's CVEs) */
  match?: RegExp;
}

/** gixy's plugins (tests/plugins/simply/<plugin>/) → our codes. */
export const GIXY: Record<string, PeerCheck> = {
  add_header_content_type: { codes: [], note: 'add_header Content-Type instead of default_type / types: not a check of ours' },
  add_header_multiline: { codes: [], note: 'a header value spread over lines (obsolete line folding): not a check of ours' },
  add_header_redefinition: { codes: ['add-header-dropped'] },
  alias_traversal: { codes: ['alias-traversal'] },
  allow_without_deny: { codes: ['allow-without-deny'] },
  host_spoofing: { codes: ['host-spoofing'] },
  http_splitting: { codes: ['http-splitting'] },
  if_is_evil: { codes: ['if-is-evil'] },
  origins: { codes: ['regex-unanchored'] },
  resolver_external: { codes: ['resolver-external'] },
  ssrf: { codes: ['ssrf-proxy-pass'] },
  valid_referers: { codes: ['valid-referers-none'] },
  version_disclosure: { codes: ['server-tokens'] },
};

/** nginx-lint's rules (plugins/builtin/<category>/<rule>/) → our codes. */
export const NGINX_LINT: Record<string, PeerCheck> = {
  'best_practices/alias_location_slash_mismatch': { codes: ['alias-traversal'] },
  'best_practices/client_max_body_size_not_set': { codes: [], note: 'the 1 MB default is a choice, not a mistake: not a check of ours' },
  'best_practices/directive_inheritance': { codes: ['add-header-dropped'] },
  'best_practices/gzip_not_enabled': { codes: [], note: 'a performance preference: not a check of ours' },
  'best_practices/if_is_evil_in_location': { codes: ['if-is-evil'] },
  'best_practices/map_missing_default': { codes: ['map-no-default'] },
  'best_practices/missing_error_log': { codes: [], note: 'nginx always logs errors (compiled-in default path): not a check of ours' },
  'best_practices/proxy_keepalive': { codes: [], note: 'upstream keepalive without `Connection ""`: not covered (the WebSocket rules check Connection only for WebSocket paths)' },
  'best_practices/proxy_missing_host_header': { codes: [], note: 'proxy_pass without proxy_set_header Host: nginx sends the upstream name, often what is wanted; not a check of ours' },
  'best_practices/proxy_pass_domain': { codes: ['hostname-resolved-once'] },
  'best_practices/proxy_pass_with_uri': { codes: ['proxy-pass-normalized'] },
  'best_practices/root_in_location': { codes: [], note: 'root in every location instead of server: style, not a check of ours' },
  'best_practices/try_files_with_proxy': { codes: [], note: 'not covered' },
  'best_practices/unreachable_location': { codes: [], note: 'not covered (a routing family is planned)' },
  'best_practices/upstream_server_no_resolve': { codes: ['hostname-resolved-once'] },
  'deprecation/listen_http2_deprecated': { codes: ['directive-deprecated'], version: '1.30', note: '`listen … http2` is deprecated from 1.25.1: checked with nginx.version 1.30' },
  'deprecation/ssl_on_deprecated': { codes: ['directive-deprecated', 'directive-removed'], version: '1.30', note: '`ssl on` was removed in 1.25.1: directive-removed at 1.30' },
  'security/autoindex_enabled': { codes: ['autoindex-on'] },
  'security/deprecated_ssl_protocol': { codes: ['weak-tls'] },
  'security/map_unnamed_capture': { codes: ['cve-advisory'], match: /CVE-2026-42533/, note: 'CVE-2026-42533 only (cve-advisory may name other CVEs of the same file)' },
  'security/nginx_rift': { codes: ['cve-advisory'], match: /CVE-2026-42945/, note: 'CVE-2026-42945 ("NGINX Rift", rewrite module) only' },
  'security/server_tokens_enabled': { codes: ['server-tokens'] },
  'security/weak_ssl_ciphers': { codes: ['weak-tls'] },
  'style/block_lines': { codes: [], note: 'formatting is the formatter\'s job (docs/formatting.md), not a finding' },
  'style/space_before_semicolon': { codes: [], note: 'formatting is the formatter\'s job, not a finding' },
  'style/trailing_whitespace': { codes: [], note: 'formatting is the formatter\'s job, not a finding' },
  'syntax/duplicate_directive': { codes: ['directive-duplicate'] },
  'syntax/invalid_directive_context': { codes: ['directive-context'] },
};

/**
 * Files where our verdict knowingly differs from the peer's (corpus path → why). Each reason says
 * who we think is right and why; docs/security.md repeats them.
 */
export const DISAGREEMENTS: Record<string, string> = {
  'dvershinin__gixy/tests__plugins__simply__http_splitting__proxy_from_location_var_var.conf':
    'gixy is wrong here: `set $p $2` copies a numbered capture, which nginx URI-escapes (the rewrite module\'s script starts with quote = 1), so CR/LF reach proxy_pass as %0D%0A. Shown on nginx 1.22.1 and 1.30.6 by test/e2e/security-exploits.test.ts ("a capture copied by the first set is escaped"). Its _var_var_var sibling copies a named capture, which nginx does not escape: that one we report.',
  'dvershinin__gixy/tests__plugins__simply__origins__origin_https.conf':
    'the file sets gixy\'s option https_only (a site policy: no http:// origin allowed); the regex `^https?:\\/\\/yandex\\.ru\\/` is anchored and escapes its dot, so no other host passes it. regex-unanchored checks that another host cannot pass, which holds; we have no https-only policy setting.',
  'walf443__nginx-lint/plugins__builtin__security__nginx_rift__examples__bad.conf':
    'we miss it: cve-advisory leaves the rewrite module\'s advisories out on purpose (every configuration runs the module, docs/rules/cve-advisory.md), and CVE-2026-42945 (0.6.27–1.30.0) is one of them. nginx-lint narrows it to its trigger (a `rewrite` whose replacement has `?` followed by a positional capture read later); modelling that trigger would let cve-advisory report it.',
  'walf443__nginx-lint/plugins__builtin__security__weak_ssl_ciphers__examples__bad.conf':
    'we miss it: `ssl_ciphers ALL;` names no weak family, but OpenSSL\'s ALL includes the anonymous (aNULL) suites and, with the OpenSSL of the day, RC4/3DES/MD5 ones. weak-tls looks only for weak families named in the list; a list built from ALL (or COMPLEMENTOFDEFAULT) without `!aNULL` should count as allowing them.',
  'walf443__nginx-lint/plugins__builtin__best_practices__alias_location_slash_mismatch__examples__bad.conf':
    'a location with a trailing slash and an alias without one (`location /images/ { alias /data/images; }`) maps /images/a.png to /data/imagesa.png: a broken mapping (404s), not a traversal — nothing outside the alias path can be read. alias-traversal checks the opposite shape (no slash on the location), which is the exploitable one; we have no rule for the broken-but-safe one.',
  'walf443__nginx-lint/plugins__builtin__best_practices__alias_location_slash_mismatch__examples__good.conf':
    'nginx-lint accepts `location /files { alias /data/files; }`; we warn: the prefix /files also matches /files-old/… and /files.bak, which map to the sibling paths /data/files-old/… and /data/files.bak — files next to the alias root that were never meant to be served (docs/rules/alias-traversal.md).',
  'walf443__nginx-lint/plugins__builtin__best_practices__map_missing_default__examples__bad.conf':
    'the map\'s $new is used nowhere: an unlisted value gives "" to nobody. We report a map without default only where "" becomes an address, a path or a redirect (docs/rules/map-no-default.md); elsewhere "" is nginx\'s idiom for "no header" / "not counted".',
};

export interface PeerFile {
  peer: Peer;
  /** gixy plugin, or nginx-lint `<category>/<rule>` */
  check: string;
  /** path in ../shared/corpus */
  file: string;
  /** path in the peer's repository */
  sourcePath: string;
  /** one finding (gixy `*.conf`), at least one (nginx-lint bad), none (`*_fp.conf`, good) */
  expect: 'one' | 'some' | 'none';
}

/** The peers' test files listed by MANIFEST.tsv, or null when the corpus is not here. */
export function peerFiles(): PeerFile[] | null {
  const manifest = path.join(corpusDir, 'MANIFEST.tsv');
  if (!fs.existsSync(manifest)) return null;
  const out: PeerFile[] = [];
  for (const line of fs.readFileSync(manifest, 'utf8').split('\n').slice(1)) {
    const [file, repo, sourcePath] = line.split('\t');
    if (!file || !sourcePath) continue;
    let m: RegExpExecArray | null;
    if (/\/dvershinin\/gixy$/.test(repo) && (m = /^tests\/plugins\/simply\/([^/]+)\/([^/]+)\.conf$/.exec(sourcePath))) {
      out.push({ peer: 'gixy', check: m[1], file, sourcePath, expect: m[2].endsWith('_fp') ? 'none' : 'one' });
    } else if (/\/walf443\/nginx-lint$/.test(repo) && (m = /^plugins\/builtin\/([^/]+)\/([^/]+)\/examples\/(bad|good)\.conf$/.exec(sourcePath))) {
      out.push({ peer: 'nginx-lint', check: `${m[1]}/${m[2]}`, file, sourcePath, expect: m[3] === 'bad' ? 'some' : 'none' });
    }
  }
  return out;
}

export function checkOf(f: Pick<PeerFile, 'peer' | 'check'>): PeerCheck | undefined {
  return (f.peer === 'gixy' ? GIXY : NGINX_LINT)[f.check];
}

/** The mapped codes our registry has (the others are not built, or not on this branch). */
export function registeredCodes(check: PeerCheck | undefined): string[] {
  return (check?.codes ?? []).filter((c) => ruleInfo(c));
}

export interface PeerResult extends PeerFile {
  codes: string[];
  /** our findings of those codes: `line: severity code` */
  findings: string[];
  agrees: boolean;
}

/** Our verdict on every file of a covered check, in the context real nginx checked it in (ORACLE.tsv). */
export function comparePeers(files: PeerFile[]): PeerResult[] {
  const contexts = new Map((readOracle() ?? []).map((r) => [r.file, r.context]));
  const out: PeerResult[] = [];
  for (const f of files) {
    const check = checkOf(f);
    const codes = registeredCodes(check);
    if (!codes.length) continue;
    const text = fs.readFileSync(path.join(corpusDir, f.file), 'utf8');
    const settings = resolveSettings({ version: check?.version ?? '1.22' });
    const parsed = parse(text);
    // gixy's tests are fragments: analysed in the context the corpus oracle made nginx accept them
    // in; nginx-lint lints each example as a whole nginx.conf (so `server` at its top is misplaced)
    const context = f.peer === 'gixy' ? contexts.get(f.file) ?? 'http' : 'main';
    const found = analyseText(text, context, [...configRules], settings)
      .filter((x) => codes.includes(x.code) && (!check?.match || check.match.test(x.message)));
    const n = found.length;
    const agrees = f.expect === 'none' ? n === 0 : f.expect === 'one' ? n === 1 : n >= 1;
    out.push({
      ...f, codes, agrees,
      findings: found.map((x) => `${positionAt(parsed, x.start).line + 1}: ${x.severity} ${x.code}`),
    });
  }
  return out;
}

/** Per check: files compared, agreeing, and the codes. */
export function summarize(results: PeerResult[]): { peer: Peer; check: string; codes: string[]; files: number; agree: number }[] {
  const rows = new Map<string, { peer: Peer; check: string; codes: string[]; files: number; agree: number }>();
  for (const r of results) {
    const key = `${r.peer} ${r.check}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { peer: r.peer, check: r.check, codes: r.codes, files: 0, agree: 0 }));
    row.files++;
    if (r.agrees) row.agree++;
  }
  return [...rows.values()];
}

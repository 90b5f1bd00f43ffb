/**
 * weak-tls: `ssl_protocols` (and the proxy_/grpc_/uwsgi_ variants towards upstreams) enabling
 * SSLv2, SSLv3, TLSv1 or TLSv1.1 — protocols with known attacks (POODLE, BEAST) that every current
 * browser has dropped (RFC 8996 deprecates TLS 1.0 and 1.1) — and `ssl_ciphers` lists that allow a
 * broken cipher family: RC4, DES and 3DES, MD5 MACs, NULL (no encryption), EXPORT, anonymous
 * (aNULL/ADH/AECDH: no authentication), LOW. A cipher is "allowed" when a list entry names it
 * without `!` or `-` before it: `HIGH:!aNULL:!MD5` is fine. Fixes: the modern protocol list
 * `TLSv1.2 TLSv1.3` (nginx's own default from 1.27.3); the weak entries removed from the cipher list
 * (not preferred: the list is the operator's choice, and an empty remainder gets no fix).
 *
 * Version-aware: an https server (`listen … ssl`) with no `ssl_protocols` in effect runs nginx's
 * default, which enables TLSv1 and TLSv1.1 before 1.27.3 (effective.ts defaultSslProtocols, from
 * nginx's CHANGES): a hint on that target version, with the fix adding `ssl_protocols TLSv1.2
 * TLSv1.3;` to the server (offered, not preferred). Nothing when the version
 * is unknown or 1.27.3 and later.
 */
import type { Directive } from '../../../syntax/tree';
import { defaultSslProtocols, directivesNamed, effectiveScalar } from '../../effective';
import { insertLines, replaceArgs } from '../../edits';
import { chainHasUnresolvedInclude, levelsOf } from '../../levels';
import { fileDirectives, headerRange } from '../../report';
import type { Rule } from '../../types';

const PROTOCOL_DIRECTIVES = new Set(['ssl_protocols', 'proxy_ssl_protocols', 'grpc_ssl_protocols', 'uwsgi_ssl_protocols']);
const CIPHER_DIRECTIVES = new Set(['ssl_ciphers', 'proxy_ssl_ciphers', 'grpc_ssl_ciphers', 'uwsgi_ssl_ciphers']);
const NAMES = new Set([...PROTOCOL_DIRECTIVES, ...CIPHER_DIRECTIVES]);
const WEAK_PROTOCOLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
/** OpenSSL cipher-string components naming a broken family (matched per `-`/`+`-separated part) */
const WEAK_PART = /^(RC4|RC2|DES|3DES|DES-CBC3|CBC3|MD5|NULL|eNULL|aNULL|EXPORT|EXP|EXPORT40|EXPORT56|ADH|AECDH|LOW|IDEA)$/;

/** The weak entries of an OpenSSL cipher list (entries separated by `:`, `,` or spaces). */
export function weakCiphers(list: string): string[] {
  const out: string[] = [];
  for (const entry of list.split(/[:, ]+/)) {
    if (!entry || entry.startsWith('!') || entry.startsWith('-') || entry.startsWith('@')) continue;
    const name = entry.replace(/^\+/, '');
    // DES-CBC3-SHA: the parts DES, CBC3, SHA
    if (name.split(/[-+]/).some((p) => WEAK_PART.test(p))) out.push(entry);
  }
  return out;
}

export const weakTls: Rule = {
  code: 'weak-tls',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'ssl_protocols enables SSLv3/TLSv1/TLSv1.1, or ssl_ciphers allows RC4, DES, 3DES, MD5, NULL, EXPORT or anonymous ciphers',
  // not in "Fix all": dropping protocols and ciphers cuts off old clients, an operator's decision
  check(ctx) {
    const { source } = ctx;
    const protocols = (d: Directive) => {
      const args = Array.from({ length: d.argCount }, (_, i) => d.argValue(i)!);
      const weak = args.filter((a) => WEAK_PROTOCOLS.has(a));
      if (!weak.length) return;
      const first = d.arg(args.indexOf(weak[0]))!;
      const last = d.arg(args.lastIndexOf(weak[weak.length - 1]))!;
      ctx.report({
        message: `${d.name} enables ${weak.join(', ')}: deprecated protocols with known attacks (RFC 8996). Use TLSv1.2 TLSv1.3.`,
        start: first.start,
        end: last.end,
        fixes: () => [{ title: 'Use "TLSv1.2 TLSv1.3"', isPreferred: true, edits: [replaceArgs(source, d, 'TLSv1.2 TLSv1.3')] }],
      });
    };
    const ciphers = (d: Directive) => {
      const word = d.arg(0)!;
      const weak = weakCiphers(word.value);
      if (!weak.length) return;
      const kept = word.value.split(':').filter((e) => !weak.includes(e));
      const simple = word.raw === word.value || (word.quote !== null && word.raw.slice(1, -1) === word.value);
      const canFix = simple && !/[, ]/.test(word.value) && kept.some((e) => e && !/^[!\-+@]/.test(e));
      const shown = weak.length > 3 ? `${weak.slice(0, 3).join(', ')} and ${weak.length - 3} more` : weak.join(', ');
      ctx.report({
        message: `${d.name} allows broken ciphers (${shown}): exclude them, e.g. "HIGH:!aNULL:!MD5" or Mozilla's intermediate list.`,
        start: word.start,
        end: word.end,
        fixes: canFix
          ? () => [{ title: 'Remove the weak entries from the cipher list', isPreferred: false, edits: [{ source, start: word.start + (word.quote ? 1 : 0), end: word.end - (word.quote ? 1 : 0), newText: kept.join(':') }] }]
          : undefined,
      });
    };
    for (const d of fileDirectives(ctx, NAMES)) {
      if (PROTOCOL_DIRECTIVES.has(d.name)) protocols(d);
      else if (d.argCount === 1) ciphers(d);
    }
    // the compiled-in default of the target version
    const defaults = defaultSslProtocols(ctx.settings.version);
    const weakDefault = defaults ? defaults.split(' ').filter((p) => WEAK_PROTOCOLS.has(p)) : [];
    if (!weakDefault.length) return;
    const { view } = ctx;
    for (const { owner, chain } of levelsOf(view)) {
      if (!owner || owner.name !== 'server' || view.sourceOf(owner) !== source) continue;
      if (chain.some((sc) => sc.context === 'stream' || sc.context === 'mail')) continue;
      const body = view.expand(owner);
      const tls = directivesNamed(body, 'listen').find((l) => Array.from({ length: l.argCount }, (_, i) => l.argValue(i)).includes('ssl'));
      if (!tls || view.sourceOf(tls) !== source) continue;
      // without the http level in view (a lone site file) its ssl_protocols is out of sight
      if (!chain.some((sc) => sc.context === 'http' && sc.owner)) continue;
      if (effectiveScalar(view, chain, 'ssl_protocols').directive || chainHasUnresolvedInclude(chain)) continue;
      if (effectiveScalar(view, chain, 'ssl_reject_handshake').value === 'on') continue;
      ctx.report({
        message: `No ssl_protocols here: nginx ${ctx.settings.version}'s default enables ${weakDefault.join(' and ')}. Set "ssl_protocols TLSv1.2 TLSv1.3;".`,
        severity: 'hint',
        ...headerRange(tls),
        // not preferred: a directive for a default the user never wrote is offered, not pushed
        fixes: () => [{ title: 'Add "ssl_protocols TLSv1.2 TLSv1.3;"', isPreferred: false, edits: [insertLines(source, owner, ['ssl_protocols TLSv1.2 TLSv1.3;'], ['ssl_certificate_key', 'ssl_certificate', 'server_name', 'listen'])] }],
      });
    }
  },
};

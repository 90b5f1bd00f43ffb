/**
 * Checks nginx makes on a whole block once it is read, or on two directives of one level:
 *  - `upstream` without any `server` ("no servers are inside upstream", ngx_http_upstream /
 *    ngx_stream_upstream); blocks holding an `include` are skipped (it may bring the servers);
 *  - `server … resolve` in an upstream without `zone` (nginx ≥ 1.27.3: names are re-resolved
 *    in shared memory only);
 *  - mail `starttls on|only` and `ssl on` on one level (ngx_mail_ssl_enable / ngx_mail_ssl_starttls:
 *    "starttls" directive conflicts with "ssl on").
 */
import type { Directive } from '../../../../syntax/tree';
import type { Report } from './types';

/**
 * the statement's text holds `word` (a cheap test before reading its arguments: the slice of a
 * long text is a view on it, not a copy, and the search is native)
 */
function hasWord(text: string, d: Directive, word: string): boolean {
  return d.terminatorOffset > d.start && text.slice(d.start, d.terminatorOffset).includes(word);
}

/** `resolveKnown`: `resolve` is a valid parameter for the configured nginx (else value-invalid reports it). */
export function checkUpstreamBlock(d: Directive, resolveKnown: boolean, report: Report, text: string): void {
  const b = d.block;
  if (!b || b.body !== 'directives' || b.close < 0) return;
  let servers = 0;
  let zone = false;
  let resolve: Directive | null = null;
  for (const s of b.children) {
    if (s.kind !== 'directive') continue;
    if (s.name === 'include') return;
    if (s.name === 'server') {
      servers++;
      if (resolveKnown && !resolve && hasWord(text, s, 'resolve') && s.args.some((a, i) => i > 0 && a.value === 'resolve')) resolve = s;
    } else if (s.name === 'zone') zone = true;
  }
  if (servers === 0) report(d.nameWord, `no servers are inside upstream "${d.args[0]?.value ?? ''}": add a "server" line`);
  else if (resolveKnown && resolve && !zone) {
    const w = resolve.args.find((a, i) => i > 0 && a.value === 'resolve')!;
    report(w, `resolving names at run time requires upstream "${d.args[0]?.value ?? ''}" to be in shared memory: add "zone ${d.args[0]?.value ?? 'name'} 64k;" to it`);
  }
}

/** `list`: the directives of one mail level. */
export function checkMailSsl(list: readonly Directive[], report: Report): void {
  let ssl: Directive | null = null;
  let starttls: Directive | null = null;
  for (const s of list) {
    if (s.name === 'ssl' && s.args[0]?.value.toLowerCase() === 'on') ssl = s;
    else if (s.name === 'starttls' && (s.args[0]?.value === 'on' || s.args[0]?.value === 'only')) starttls = s;
  }
  if (ssl && starttls) {
    const later = ssl.start > starttls.start ? ssl : starttls;
    report(later.nameWord, later === ssl
      ? '"starttls" directive conflicts with "ssl on": use "listen … ssl" for TLS ports and STARTTLS on the others'
      : '"ssl" directive conflicts with "starttls": use "listen … ssl" for TLS ports and STARTTLS on the others');
  }
}

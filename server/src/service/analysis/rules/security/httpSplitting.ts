/**
 * http-splitting: a value that can hold CR/LF from the request goes into a response header
 * (`add_header`, the Location of `return 30x` and of a redirecting `rewrite`) or into the request
 * nginx sends upstream (`proxy_set_header`, the URI of `proxy_pass`). `$uri` and `$document_uri`
 * are decoded (`%0D%0A` becomes CR LF) and nginx copies variables into these values as they are;
 * a regex capture of the URI holds CR/LF when its pattern lets it (`[^/]*`, `\W`, `\s`; `.` stops
 * at LF but not at CR). nginx URI-escapes captures only in a redirecting `rewrite`'s replacement
 * and in a `set` that no `rewrite` precedes (ngx_http_rewrite_handler starts with quote = 1), so
 * those are not reported. Proven on real nginx (test/e2e/security-exploits.test.ts): a
 * `Set-Cookie` injected through `%0D%0A` appears in the response.
 *
 * A value that can hold LF is an error; one that can only hold CR is a warning in a response header
 * (a stray CR, which some clients split on) and not reported upstream. Fixes: `$uri$is_args$args`
 * becomes `$request_uri` (raw, never holds CR/LF); a capture's atoms are narrowed to exclude CR and
 * LF (`.` → `[^\r\n]`, `[^/]` → `[^/\r\n]`); a bare `$uri` can become `$request_uri` (which adds the
 * query string: offered, not preferred).
 */
import type { Directive, Word } from '../../../syntax/tree';
import type { Fix, Rule, SourceFile } from '../../types';
import { levelDirectives } from '../../report';
import { captureGroups, captureSources, CR, enclosingLocation, groupFor, LF, locationMatch, refsIn, taintOf, valueOffsets } from '../../security';

const REDIRECT_CODES = new Set(['301', '302', '303', '307', '308']);
const URL_RE = /^(https?:\/\/|\$scheme)/;
/** Every name valueIndex answers for (levelDirectives looks at these only). */
const VALUE_DIRECTIVES = ['return', 'rewrite', 'add_header', 'proxy_set_header', 'proxy_pass'];

/**
 * The argument index of the value that reaches a header or the upstream request line, or null.
 * Asked of every candidate directive: it allocates nothing (what the value reaches is `targetOf`).
 */
function valueIndex(d: Directive): number | null {
  switch (d.name) {
    case 'return': {
      if (d.argCount === 2 && REDIRECT_CODES.has(d.argValue(0)!)) return 1;
      if (d.argCount === 1 && URL_RE.test(d.argValue(0)!)) return 0;
      return null;
    }
    case 'rewrite': {
      const flag = d.argValue(2) ?? '';
      if (flag === 'redirect' || flag === 'permanent' || URL_RE.test(d.argValue(1) ?? '')) return 1;
      return null;
    }
    case 'add_header': case 'proxy_set_header': return d.argCount >= 2 ? 1 : null;
    case 'proxy_pass': return d.argCount >= 1 ? 0 : null;
    default: return null;
  }
}

/** Where the value at valueIndex goes, for a directive valueIndex answers for. */
function targetOf(d: Directive): { upstream: boolean; what: string } {
  switch (d.name) {
    case 'add_header': return { upstream: false, what: `the ${d.argValue(0)} response header` };
    case 'proxy_set_header': return { upstream: true, what: `the ${d.argValue(0)} header sent upstream` };
    case 'proxy_pass': return { upstream: true, what: 'the request line sent upstream' };
    default: return { upstream: false, what: 'the Location header' };
  }
}

export const httpSplitting: Rule = {
  code: 'http-splitting',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'error',
  description: 'A decoded $uri or a URI capture that can hold CR/LF goes into a header or the upstream request',
  check(ctx) {
    const { view } = ctx;
    for (const { d, chain } of levelDirectives(ctx, (x) => valueIndex(x) !== null, VALUE_DIRECTIVES)) {
      const index = valueIndex(d)!;
      // the value alone first: most have no variable, and arg() materializes a word
      if (!d.argValue(index)!.includes('$')) continue;
      const target = targetOf(d);
      const word = d.arg(index)!;
      const value = word.value;
      const refs = refsIn(value);
      let found: { name: string; lf: boolean } | null = null;
      for (const r of refs) {
        // a redirecting rewrite escapes its own captures
        if (d.name === 'rewrite' && (/^\d$/.test(r.name) || captureGroups(d.argValue(0) ?? '').some((g) => g.name === r.name))) continue;
        const t = taintOf(view, chain, d, r.name);
        if (!t.controlled) continue;
        if (t.mask & LF) { found = { name: r.name, lf: true }; break; }
        if ((t.mask & CR) && !target.upstream && !found) found = { name: r.name, lf: false };
      }
      if (!found) continue;
      const culprit = found;
      ctx.report({
        message: culprit.lf
          ? `$${culprit.name} can hold CR/LF from the request and goes into ${target.what}: a client can inject headers. Use $request_uri or a capture that excludes \\r\\n.`
          : `$${culprit.name} can hold a CR from the request and goes into ${target.what}. Narrow the capture to exclude \\r\\n.`,
        severity: culprit.lf ? undefined : 'warning',
        start: word.start,
        end: word.end,
        fixes: () => fixesFor(ctx.source, d, word, culprit.name),
      });
    }
  },
};

function fixesFor(source: SourceFile, d: Directive, word: Word, name: string): Fix[] {
  const out: Fix[] = [];
  const offsets = valueOffsets(word);
  const inner = word.value;
  if (offsets && (name === 'uri' || name === 'document_uri')) {
    const whole = new RegExp(`\\$(?:${name}|\\{${name}\\})(?:\\$is_args\\$args|\\$\\{is_args\\}\\$\\{args\\}|\\?\\$args)`).exec(inner);
    if (whole) {
      out.push({ title: `Use $request_uri instead of $${name}${whole[0].slice(whole[0].indexOf('$', 1))}`, isPreferred: true, edits: [{ source, start: offsets[whole.index], end: offsets[whole.index + whole[0].length], newText: '$request_uri' }] });
    } else {
      const edits = refsIn(inner).filter((r) => r.name === name).map((r) => ({ source, start: offsets[r.start], end: offsets[r.end], newText: '$request_uri' }));
      out.push({ title: `Use $request_uri (raw, never holds CR/LF; it adds the query string)`, edits });
    }
    return out;
  }
  // a capture of the enclosing regex location: narrow its atoms
  const loc = enclosingLocation(d);
  const m = loc ? locationMatch(loc) : null;
  if (!loc || !m || (m.modifier !== '~' && m.modifier !== '~*') || captureSources(d)[0] !== m.path) return out;
  const g = groupFor(captureGroups(m.path), name);
  if (!g || !g.lineBreakAtoms.length || g.lineBreakAtoms.some((a) => a.narrowed === null)) return out;
  const at = valueOffsets(m.word);
  if (!at) return out;
  const p = m.pathOffset;
  const narrowed = g.lineBreakAtoms.map((a) => ({ source, start: at[p + a.start], end: at[p + a.end], newText: a.narrowed! }));
  // the narrowed atoms are written as nginx reads them: `\\r` in the file is CR in the regex
  out.push({ title: `Exclude \\r\\n from capture ${g.name ? '$' + g.name : '$' + g.index} of the location regex`, isPreferred: true, edits: narrowed });
  return out;
}

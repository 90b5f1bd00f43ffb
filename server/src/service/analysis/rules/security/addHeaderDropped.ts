/**
 * add-header-dropped: a level with its own `add_header` (or `proxy_set_header`, `proxy_hide_header`)
 * inherits none of the outer level's lines. nginx merges these lists as a whole
 * (ngx_http_headers_merge_conf: `if (conf->headers == NULL) conf->headers = prev->headers`; the
 * proxy module likewise), so one `add_header X-Test 1;` in a location silently removes the server's
 * `X-Frame-Options`, `Strict-Transport-Security`, … from its responses (proven on real nginx in
 * test/e2e/security-exploits.test.ts). From nginx 1.29.3 `add_header_inherit merge;` appends the
 * outer headers instead; `add_header_inherit off;` says the drop is meant (not reported).
 *
 * proxy_set_header / proxy_hide_header drops are reported only where the level (or a block below it
 * that inherits its list) proxies, and not when the dropped lines are the WebSocket Upgrade /
 * Connection headers: ws-headers-dropped reports those, with a fix that copies every outer line.
 * Fixes: copy the dropped outer lines into the level; for add_header with a target version from
 * 1.29.3, `add_header_inherit merge;` (preferred when no header is set at both levels and no block
 * below sets its own, which merge would change too).
 */
import { releaseOf, compareVersions } from '../../../knowledge/versions';
import type { Directive } from '../../../syntax/tree';
import { directivesNamed, effectiveScalar } from '../../effective';
import type { ConfigView, Fix, Rule, Scope, SourceFile, TextEditAt } from '../../types';
import { bodyOf, hasUnresolvedInclude, levelsOf } from '../../levels';
import { directiveText } from '../../edits';

const FAMILIES = ['add_header', 'proxy_set_header', 'proxy_hide_header'] as const;
const MERGE_SINCE = '1.29.3';
/** response headers whose loss weakens the browser's protection */
const SECURITY_HEADERS = new Set([
  'x-frame-options', 'x-content-type-options', 'x-xss-protection', 'content-security-policy', 'content-security-policy-report-only',
  'strict-transport-security', 'referrer-policy', 'permissions-policy', 'cross-origin-opener-policy', 'cross-origin-embedder-policy',
  'cross-origin-resource-policy', 'cache-control', 'x-permitted-cross-domain-policies',
]);
const NESTED = new Set(['location', 'if', 'limit_except', 'server']);

/** The add_header list nginx ends up with at chain[i], with add_header_inherit (1.29.3) applied. */
function effectiveAddHeaders(view: ConfigView, chain: Scope[], i: number): Directive[] {
  if (i >= chain.length) return [];
  const own = directivesNamed(chain[i].directives, 'add_header');
  const mode = effectiveScalar(view, chain.slice(i), 'add_header_inherit').value || 'on';
  if (mode === 'off') return own;
  if (!own.length) return effectiveAddHeaders(view, chain, i + 1);
  if (mode === 'merge') return [...own, ...effectiveAddHeaders(view, chain, i + 1)];
  return own;
}

function outerList(view: ConfigView, chain: Scope[], name: string): Directive[] {
  if (name === 'add_header') return effectiveAddHeaders(view, chain, 1);
  for (let i = 1; i < chain.length; i++) {
    const l = directivesNamed(chain[i].directives, name);
    if (l.length) return l;
  }
  return [];
}

/** Whether requests proxied by the level or a block below it that keeps its `name` list exist. */
function proxiesWith(view: ConfigView, list: Directive[], name: string): boolean {
  for (const d of list) {
    if (d.isEntry) continue;
    if (d.name === 'proxy_pass') return true;
    if (d.block && NESTED.has(d.name)) {
      const body = view.expand(d);
      if (directivesNamed(body, name).length) continue;
      if (proxiesWith(view, body, name)) return true;
    }
  }
  return false;
}

/** A block below the level sets its own add_header (which `add_header_inherit merge` would change). */
function nestedAddHeader(view: ConfigView, list: Directive[]): boolean {
  for (const d of list) {
    if (d.isEntry || !d.block || !NESTED.has(d.name)) continue;
    const body = view.expand(d);
    if (directivesNamed(body, 'add_header').length || nestedAddHeader(view, body)) return true;
  }
  return false;
}

/** As many names as fit in `room` characters, then "and N more". */
function listWithin(names: string[], room: number): string {
  for (let n = names.length; n > 1; n--) {
    const text = names.slice(0, n).join(', ') + (n < names.length ? ` and ${names.length - n} more` : '');
    if (text.length <= room) return text;
  }
  return names.length > 1 ? `${names[0]} and ${names.length - 1} more` : names[0];
}

function headerName(d: Directive): string {
  return (d.argValue(0) ?? '').toLowerCase();
}

/** Inserts lines before `d` (on lines of their own when `d` starts its line). */
function insertBefore(source: SourceFile, d: Directive, lines: string[]): TextEditAt {
  const text = source.file.text;
  const lineStart = text.lastIndexOf('\n', d.start - 1) + 1;
  const indent = text.slice(lineStart, d.start);
  if (/^[ \t]*$/.test(indent)) return { source, start: lineStart, end: lineStart, newText: lines.map((l) => indent + l + '\n').join('') };
  return { source, start: d.start, end: d.start, newText: lines.map((l) => l + ' ').join('') };
}

export const addHeaderDropped: Rule = {
  code: 'add-header-dropped',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'A level\'s own add_header (proxy_set_header, proxy_hide_header) drops every line of the outer level',
  check(ctx) {
    const { view, source, settings } = ctx;
    const release = releaseOf(settings.version);
    const canMerge = release !== null && compareVersions(release, MERGE_SINCE) >= 0;
    for (const { owner, chain } of levelsOf(view)) {
      if (chain.length < 2) continue;
      const body = bodyOf(view, owner);
      for (const name of FAMILIES) {
        const own = directivesNamed(body, name);
        if (!own.length || view.sourceOf(own[0]) !== source) continue;
        if (hasUnresolvedInclude(body)) continue;
        if (name === 'add_header') {
          const mode = effectiveScalar(view, chain, 'add_header_inherit').value;
          if (mode === 'off' || mode === 'merge') continue;
        }
        const outer = outerList(view, chain, name);
        if (!outer.length) continue;
        const ownNames = new Set(own.map(headerName));
        const dropped = outer.filter((d) => d.argCount >= 1 && !ownNames.has(headerName(d)));
        if (!dropped.length) continue;
        if (name !== 'add_header') {
          if (dropped.some((d) => headerName(d) === 'upgrade' || headerName(d) === 'connection') && name === 'proxy_set_header') continue;
          if (!proxiesWith(view, body, name)) continue;
        }
        const names = [...new Set(dropped.map((d) => d.argValue(0)!))];
        const outerLevel = outer[0].parent?.name ?? 'outer';
        const security = name !== 'add_header' || names.some((n) => SECURITY_HEADERS.has(n.toLowerCase()));
        const shown = listWithin(names, 96 - `This ${name} drops the ${outerLevel}-level `.length);
        const first = own[0];
        const merge = name === 'add_header' && canMerge && !outer.some((d) => ownNames.has(headerName(d))) && !nestedAddHeader(view, body);
        ctx.report({
          message: `This ${name} drops the ${outerLevel}-level ${shown}: nginx inherits ${name} lines only into a level that has none. Repeat them here${name === 'add_header' ? ' (or add_header_inherit merge from 1.29.3)' : ''}.`,
          severity: security ? undefined : 'information',
          start: first.start,
          end: first.arg(first.argCount - 1)?.end ?? first.nameWord.end,
          related: dropped.flatMap((d) => { const s = view.sourceOf(d); return s ? [{ source: s, start: d.start, end: d.end, message: `not inherited: ${d.argValue(0)}` }] : []; }),
          fixes: () => {
            const fixes: Fix[] = [];
            if (merge) fixes.push({ title: 'Add "add_header_inherit merge;" (nginx 1.29.3+)', isPreferred: true, edits: [insertBefore(source, first, ['add_header_inherit merge;'])] });
            fixes.push({ title: `Copy the ${outerLevel}-level ${name} lines here`, isPreferred: !merge, edits: [insertBefore(source, first, dropped.map((d) => directiveText(view, d)))] });
            return fixes;
          },
        });
      }
    }
  },
};

/**
 * regex-unanchored: a regex that checks a request's Origin, Referer or Host — `if ($http_origin ~
 * …)`, a `map $http_referer …` entry, a `valid_referers ~…` pattern — and lets a host the
 * attacker owns through: no anchor before the domain (`example\.com$` matches
 * `evilexample.com`), none after it (`^https?://example\.com` matches `example.com.evil.net`), an
 * unescaped dot (`www.example.com` matches `wwwxexample.com`), or for a Referer, the domain in the
 * path (`evil.net/example.com`). CORS, CSRF and hotlink checks built on them are bypassed.
 *
 * Not a text match: the pattern is parsed (analysis/regex.ts), a string it accepts is built from
 * its tree ("http://example.com"), the bypass variants of that string are built around its domain,
 * and the pattern itself (translated to a JavaScript RegExp) is asked whether it accepts them. A
 * pattern the translation cannot carry, or whose own sample has no domain, is not judged.
 *
 * Fix, when the pattern is one literal domain (anchored or not, dots escaped or not): the anchored
 * and escaped form for what is matched — `^https?://([a-z0-9-]+\.)*example\.com(:[0-9]+)?$` for an
 * Origin (subdomains kept only when the original did not anchor the start: it let them through).
 */

import { allDirectives } from '../../../syntax/query';
import { findRedos, parseRegex, regexSites, sampleOf, toJsRegex, type RegexSite } from '../../regex';
import { valueOffsets } from '../../security';
import type { Rule } from '../../types';

/** What a request variable holds, for the bypass strings. */
type Subject = 'origin' | 'referer' | 'host' | 'valid_referers';

function subjectOf(site: RegexSite): Subject | null {
  if (site.where === 'valid_referers') return 'valid_referers';
  const v = site.subject;
  if (site.where !== 'if' && site.where !== 'map') return null;
  if (v === 'http_origin') return 'origin';
  if (v === 'http_referer') return 'referer';
  if (v === 'host' || v === 'http_host' || v === 'http_x_forwarded_host' || v === 'server_name') return v === 'server_name' ? null : 'host';
  return null;
}

const DOMAIN = /[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/i;

export interface Bypass {
  kind: 'start' | 'end' | 'dot' | 'path';
  example: string;
}

/** The bypasses of a host check `re` (`icase` for `~*`) on a value of kind `subject`. */
export function hostCheckBypasses(re: string, icase: boolean, subject: Subject): Bypass[] {
  // running a backtracking-prone pattern here would be the denial of service regex-redos reports
  if (re.length > 1024 || findRedos(re, icase).length) return [];
  const js = toJsRegex(re, icase);
  if (!js) return [];
  const root = parseRegex(re, icase).root;
  // one sample per top-level alternative: `^https?://a\.com/|b\.com/` is judged branch by branch
  const samples = (root.kind === 'alt' ? root.branches : [root]).map(sampleOf);
  const out: Bypass[] = [];
  for (const sample of samples) {
    if (sample === null || !js.test(sample)) continue;
    for (const b of bypassesOf(js, sample, subject)) if (!out.some((x) => x.kind === b.kind)) out.push(b);
  }
  return out;
}

function bypassesOf(js: RegExp, sample: string, subject: Subject): Bypass[] {
  const m = DOMAIN.exec(sample);
  if (!m) return [];
  const before = sample.slice(0, m.index);
  const domain = m[0];
  const after = sample.slice(m.index + domain.length);
  const out: Bypass[] = [];
  const tryOne = (kind: Bypass['kind'], s: string) => { if (js.test(s)) out.push({ kind, example: s }); };
  // the domain is a suffix of a longer label: evilexample.com (only where a label can start)
  if (!/[a-z0-9-]$/i.test(before)) tryOne('start', `${before}evil${domain}${after}`);
  tryOne('end', `${before}${domain}.evil.net${after}`);
  const dots = [...domain].map((c, i) => (c === '.' ? i : -1)).filter((i) => i >= 0);
  for (const i of dots) {
    const s = `${before}${domain.slice(0, i)}x${domain.slice(i + 1)}${after}`;
    if (js.test(s)) { out.push({ kind: 'dot', example: s }); break; }
  }
  // a Referer is a URL: the checked text may sit in the attacker's path or query
  if (subject === 'referer') {
    tryOne('path', `https://evil.net/${sample.replace(/^https?:\/\//, '')}`);
    if (!out.some((b) => b.kind === 'path')) tryOne('path', `https://evil.net/?${sample}`);
  }
  if (subject === 'valid_referers') tryOne('path', `evil.net/${sample}`);
  return out;
}

/** The anchored, escaped pattern for a literal domain pattern, or null when the pattern is more than that. */
export function anchoredPattern(re: string, subject: Subject): string | null {
  const m = /^(\^)?((?:https?|https\?):\/\/)?((?:[A-Za-z0-9-]+(?:\\\.|\.))+[A-Za-z0-9-]+)(\$)?$/.exec(re);
  if (!m) return null;
  const domain = m[3].replace(/\\?\./g, '\\.');
  const startAnchored = !!m[1] || (!!m[2] && subject !== 'valid_referers');
  const sub = startAnchored ? '' : '([a-z0-9-]+\\.)*';
  switch (subject) {
    case 'origin': return `^https?://${sub}${domain}(:[0-9]+)?$`;
    case 'referer': return `^https?://${sub}${domain}(:[0-9]+)?(/|$)`;
    case 'host': return `^${sub}${domain}(:[0-9]+)?$`;
    case 'valid_referers': return `^${sub}${domain}(:[0-9]+)?(/|$)`;
  }
}

const WHAT: Record<Bypass['kind'], string> = { start: 'no anchor before the domain', end: 'no anchor after it', dot: 'an unescaped dot', path: 'the domain may sit in the path' };

export const regexUnanchored: Rule = {
  code: 'regex-unanchored',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'An Origin/Referer/Host regex without anchors or with unescaped dots lets evilexample.com or example.com.evil.net through',
  check(ctx) {
    const { source } = ctx;
    for (const d of allDirectives(source.file.children)) {
      for (const site of regexSites(d)) {
        const subject = subjectOf(site);
        if (!subject) continue;
        const found = hostCheckBypasses(site.re, site.icase, subject);
        if (!found.length) continue;
        const fixed = anchoredPattern(site.re, subject);
        const at = valueOffsets(site.word);
        const ex = found[0].example.length > 48 ? found[0].example.slice(0, 47) + '…' : found[0].example;
        ctx.report({
          message: `This ${subject === 'valid_referers' ? 'referer' : subject} check also accepts "${ex}". Its flaws: ${[...new Set(found.map((f) => WHAT[f.kind]))].join(', ')}. Anchor it and escape its dots.`,
          start: site.word.start,
          end: site.word.end,
          fixes: fixed && at ? () => [{ title: `Use ${fixed}`, isPreferred: true, edits: [{ source, start: at[site.offset], end: at[site.offset + site.re.length], newText: fixed }] }] : undefined,
        });
      }
    }
  },
};


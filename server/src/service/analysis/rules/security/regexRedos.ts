/**
 * regex-redos: a regex of a location, map, if, server_name, rewrite or valid_referers that
 * backtracks catastrophically: an unbounded repeat whose body can match the same text in many ways
 * — a nested repeat over the same characters (`(a+)+`, `(.*)*`, `(\w+\s?)*`, `(.*,)*`) or
 * alternatives that overlap (`(a|aa)+`, `(\w|\d)+`) — with something after it that can fail. PCRE
 * then tries exponentially many splits of a failing input before giving up; nginx runs these
 * regexes on every request's URI, Host or header, so one crafted request of a few dozen characters
 * burns the worker's CPU until PCRE's match limit ends it (the request then fails). The analysis
 * is structural (analysis/regex.ts: the pattern's tree, not its text). A warning; no mechanical fix
 * (the page shows the usual rewrites: a possessive `++` or an atomic group, or a class that excludes
 * the separator: `([^/]+/)*`).
 */
import { allDirectives } from '../../../syntax/query';
import { findRedos, regexSites } from '../../regex';
import { valueOffsets } from '../../security';
import type { Rule } from '../../types';

export const regexRedos: Rule = {
  code: 'regex-redos',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'A regex with nested or overlapping repeats backtracks exponentially on a crafted request',
  check(ctx) {
    for (const d of allDirectives(ctx.source.file.children)) {
      for (const site of regexSites(d)) {
        if (site.re.length > 4096) continue;
        const found = findRedos(site.re, site.icase);
        if (!found.length) continue;
        const r = found[0];
        // the repeat's place in the file when the word's text gives the value back as is
        const at = valueOffsets(site.word);
        const start = at ? at[site.offset + r.start] : site.word.start;
        const end = at ? at[site.offset + r.end] : site.word.end;
        ctx.report({
          message: r.reason === 'nested'
            ? `${r.text} nests repeats over the same characters: a crafted ${site.where === 'location' || site.where === 'rewrite' ? 'URI' : 'value'} makes PCRE backtrack exponentially. Make the inner part possessive or exclude the separator.`
            : `${r.text} repeats alternatives that match the same text: a crafted value makes PCRE backtrack exponentially. Make the alternatives disjoint.`,
          start,
          end,
        });
      }
    }
  },
};

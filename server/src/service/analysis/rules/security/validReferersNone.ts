/**
 * valid-referers-none: `valid_referers none …` lets every request without a Referer header pass the
 * check (`$invalid_referer` is empty). A hotlink or CSRF guard built on valid_referers is then
 * bypassed by any client that simply omits the header — curl, a `<meta name="referrer"
 * content="no-referrer">` page, a `Referrer-Policy: no-referrer` site. Same check as gixy's
 * valid_referers plugin. A warning; fix: drop `none` (offered, not preferred: clients behind privacy
 * settings that strip Referer lose access, which may be acceptable or not).
 */
import { fileDirectives } from '../../report';
import type { Rule } from '../../types';

const VALID_REFERERS = new Set(['valid_referers']);

export const validReferersNone: Rule = {
  code: 'valid-referers-none',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'valid_referers none: requests without a Referer header pass the referer check',
  check(ctx) {
    const { source } = ctx;
    const text = source.file.text;
    for (const s of fileDirectives(ctx, VALID_REFERERS)) {
      for (let i = 0; i < s.argCount; i++) {
        if (s.argValue(i) !== 'none') continue;
        const w = s.arg(i)!;
        const others = s.argCount > 1;
        // remove the word and the blank before it (or after it when it comes first)
        const prev = i > 0 ? s.arg(i - 1)!.end : -1;
        const next = i + 1 < s.argCount ? s.arg(i + 1)!.start : -1;
        const edit = prev >= 0 && /^[ \t]+$/.test(text.slice(prev, w.start)) ? { start: prev, end: w.end }
          : next >= 0 && /^[ \t]+$/.test(text.slice(w.end, next)) ? { start: w.start, end: next } : null;
        ctx.report({
          message: 'valid_referers none accepts requests with no Referer header: any client that omits it passes the check.',
          start: w.start,
          end: w.end,
          fixes: others && edit ? () => [{ title: 'Remove "none"', isPreferred: false, edits: [{ source, ...edit, newText: '' }] }] : undefined,
        });
      }
    }
  },
};

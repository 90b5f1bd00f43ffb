/**
 * add-header-always: a security response header (Strict-Transport-Security,
 * Content-Security-Policy[-Report-Only], X-Frame-Options, X-Content-Type-Options) set by
 * `add_header` without the `always` parameter. nginx adds such a header only to responses with
 * status 200, 201, 204, 206, 301, 302, 303, 304, 307 or 308 (ngx_http_headers_filter), so every
 * error page — 4xx and 5xx, including the ones a proxied backend returns — goes out without it.
 * A hint: the error pages are where an injected script or a framed login error would live. Fix: add
 * `always` (safe: the header's value does not change, only where it is sent).
 */
import { fileDirectives } from '../../report';
import type { Rule } from '../../types';

const ADD_HEADER = new Set(['add_header']);

/** headers whose absence on an error page weakens the browser's protection */
export const ALWAYS_HEADERS = new Set([
  'strict-transport-security', 'content-security-policy', 'content-security-policy-report-only', 'x-frame-options', 'x-content-type-options',
]);

export const addHeaderAlways: Rule = {
  code: 'add-header-always',
  family: 'security',
  reach: 'server',
  defaultSeverity: 'hint',
  description: 'A security header set by add_header without "always" is missing from 4xx/5xx responses',
  fixAll: true,
  check(ctx) {
    const { source } = ctx;
    for (const s of fileDirectives(ctx, ADD_HEADER)) {
      if (!(s.argCount === 2 && ALWAYS_HEADERS.has(s.argValue(0)!.toLowerCase()))) continue;
      const name = s.argValue(0)!;
      const last = s.arg(1)!;
      ctx.report({
        message: `add_header ${name} without "always" is sent only with 2xx/3xx responses: error pages go out without it.`,
        start: s.nameWord.start,
        end: last.end,
        fixes: () => [{ title: 'Add "always"', isPreferred: true, edits: [{ source, start: last.end, end: last.end, newText: ' always' }] }],
      });
    }
  },
};

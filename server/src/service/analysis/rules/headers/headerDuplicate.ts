/**
 * header-duplicate: the same header name set twice at one level by proxy_set_header, grpc_set_header
 * or add_header. nginx keeps both lines: a proxied request then carries the header twice (a doubled
 * Host is refused by backends with 400; two Connection or Upgrade values confuse the handshake), and
 * a response carries two values. Headers that are meant to repeat in a response (Set-Cookie, Link,
 * …) are not reported for add_header. Levels are seen with `include` expanded; reported in the
 * analysed file only. Fix: remove the later line.
 */
import { sameIgnoringCase } from '../../../syntax/text';
import type { Directive, Statement } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { statementRange } from '../structure/directiveDuplicate';

const NAMES = new Set(['proxy_set_header', 'grpc_set_header', 'add_header']);
/** response headers that legitimately appear more than once */
const REPEATABLE = new Set(['set-cookie', 'link', 'www-authenticate', 'proxy-authenticate', 'vary', 'via', 'warning', 'server-timing', 'report-to', 'nel']);

export const headerDuplicate: Rule = {
  code: 'header-duplicate',
  family: 'headers',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'The same proxy_set_header / grpc_set_header / add_header name twice at one level',
  check(ctx) {
    const { view, source } = ctx;
    const visit = (owner: Directive | null, list: Statement[]) => {
      let relevant = false;
      for (const s of list) if (s.kind === 'directive' && NAMES.has(s.name)) { relevant = true; break; }
      if (relevant) {
        const level = owner ? view.expand(owner) : view.topScope().directives;
        const seen: Directive[] = [];
        for (const d of level) {
          if (d.isEntry || !NAMES.has(d.name) || d.argCount < 1) continue;
          const header = d.argValue(0)!;
          if (header.includes('$')) continue;
          if (d.name === 'add_header' && REPEATABLE.has(header.toLowerCase())) continue;
          const first = seen.find((x) => x.name === d.name && sameIgnoringCase(x.argValue(0)!, header));
          if (!first) { seen.push(d); continue; }
          if (view.sourceOf(d) !== source) continue;
          const where = view.sourceOf(first);
          const { start, end } = statementRange(source.file, d);
          const same = (first.argValue(1) ?? '') === (d.argValue(1) ?? '');
          ctx.report({
            message: `${d.name} ${header} is set twice at this level: nginx sends both lines${d.name === 'add_header' ? ' (the response carries two values)' : ' (the backend gets the header twice; a doubled Host is refused with 400)'}${same ? '' : ', with different values'}. Keep one.`,
            start: d.nameWord.start,
            end: d.end,
            related: where ? [{ source: where, start: first.start, end: first.end, message: 'first set here' }] : undefined,
            fixes: () => [{ title: `Remove the repeated ${d.name} ${header}`, edits: [{ source, start, end, newText: '' }], isPreferred: true }],
          });
        }
      }
      for (const s of list) if (s.kind === 'directive' && s.block && !s.isEntry) visit(s, s.block.children);
    };
    visit(null, source.file.children);
  },
};

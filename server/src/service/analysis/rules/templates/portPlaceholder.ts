/**
 * `value-invalid` for a port placeholder: a placeholder whose name says it is a port (`PORT`,
 * `BACKEND_PORT`, `PORTS`) renders to a number, so text glued to it (`listen ${PORT}x`,
 * `server api:${PORT}0`) makes something else — nginx then takes `8080x` for a host name and fails
 * to resolve it at start ("host not found in "8080x" of the "listen" directive"). A `/` (URL path),
 * `;`, a quote or a blank after it, and `:`/`[`/`]` around it are fine.
 */
import { PORT_NAME } from '../../../model/template';
import type { TemplateRule } from './types';

const GLUE = /[A-Za-z0-9_.-]/;

export const portPlaceholder: TemplateRule = {
  code: 'value-invalid',
  family: 'templates',
  defaultSeverity: 'error',
  description: 'Text glued to a port placeholder, so the rendered value is no port.',
  check(tc) {
    const text = tc.source.file.text;
    const list = tc.template.placeholders;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (!PORT_NAME.test(p.name.toUpperCase())) continue;
      // glued: the next character belongs to the same word and is not another placeholder
      const next = text[p.end] ?? '';
      const prev = text[p.start - 1] ?? '';
      const after = GLUE.test(next) && list[i + 1]?.start !== p.end;
      const before = GLUE.test(prev) && list[i - 1]?.end !== p.start;
      if (!after && !before) continue;
      let s = p.start, e = p.end;
      while (s > 0 && GLUE.test(text[s - 1])) s--;
      while (e < text.length && GLUE.test(text[e])) e++;
      tc.report({
        message: `invalid port "${text.slice(s, e)}": "\${${p.name}}" renders to a port number, and the text glued to it makes it none (nginx then takes it for a host name)`,
        start: s,
        end: e,
      });
    }
  },
};

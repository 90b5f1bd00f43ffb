/**
 * `template-undefined`: a `${NAME}` placeholder that no environment source of the workspace
 * defines (compose `environment:` / `env_file`, `.env`, Dockerfile `ENV`), or that
 * NGINX_ENVSUBST_FILTER leaves out. The image's envsubst only replaces the names it is given, so
 * such a placeholder reaches nginx as written and nginx reads `${NAME}` as its variable `$NAME`
 * ("unknown variable" at start). Information only when the workspace has no environment source at
 * all: the values then come from somewhere we cannot see (`docker run -e`, an orchestrator).
 */
import { IMAGE_ENV } from '../../../model/template';
import type { TemplateRule } from './types';

export const templateUndefined: TemplateRule = {
  code: 'template-undefined',
  family: 'templates',
  defaultSeverity: 'warning',
  description: 'A ${NAME} placeholder that no environment source of the workspace defines.',
  check(tc) {
    const t = tc.template;
    const env = t.env;
    const seen = new Set<string>();
    for (const p of t.placeholders) {
      if (!p.braced) continue; // `$NAME` is a placeholder only because the environment defines it
      const defined = env.defs.has(p.name) || (!t.exact && IMAGE_ENV.includes(p.name));
      const filtered = defined && !t.exact && env.filter !== null && !env.filter.test(p.name);
      if (defined && !filtered) continue;
      const first = !seen.has(p.name);
      seen.add(p.name);
      let message: string;
      if (filtered) message = `"\${${p.name}}" is not substituted: NGINX_ENVSUBST_FILTER (/${env.filter!.source}/) leaves it out, so nginx reads it as the variable "$${p.name}"`;
      else if (t.exact) message = `"\${${p.name}}" has no value (--env, --env-file): envsubst leaves it as is and nginx reads it as the variable "$${p.name}"`;
      else if (env.hasSources) message = `"\${${p.name}}" is defined by no environment source of the workspace: unless the container gets it, nginx reads it as the variable "$${p.name}" (sources: compose environment or env_file, .env, Dockerfile ENV)`;
      else message = `"\${${p.name}}" must come from the container's environment; no compose file, .env or Dockerfile defines it here`;
      tc.report({
        message: first ? message : message.replace(/:.*$/, ''),
        start: p.start,
        end: p.end,
        severity: !filtered && !t.exact && !env.hasSources ? 'information' : undefined,
      });
    }
  },
};

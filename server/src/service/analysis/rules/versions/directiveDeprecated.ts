/**
 * `directive-deprecated`: what nginx itself warns about as deprecated or obsolete in the configured
 * version (from its sources: ngx_conf_deprecated post handlers, handlers that only warn "is
 * obsolete", `listen` parameters whose branch warns "is deprecated"): `ssl on;` before 1.25.1,
 * `http2_push` from 1.25.1, `listen … http2` from 1.25.1. Tagged Deprecated; quick-fixes in fixes.ts.
 */
import { paramIn, versionAtLeast, deprecationOf, releaseOf } from '../../../knowledge/versions';
import type { Rule } from '../../types';
import { analyze } from '../structure/analyze';
import { listenHttp2Fix, removeFix, sslOnFix } from './fixes';

export const directiveDeprecated: Rule = {
  code: 'directive-deprecated',
  family: 'versions',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'warning',
  description: 'Directive or listen parameter that nginx warns is deprecated or obsolete in the configured nginx.version.',
  check(rc) {
    const { directives, infos, specs } = analyze(rc);
    const { settings, source } = rc;
    for (let i = 0; i < directives.length; i++) {
      const spec = specs[i];
      if (infos[i].status !== 'known' || !spec) continue;
      const d = directives[i];
      if (d.name === 'listen' && spec.module === 'ngx_http_core_module') {
        for (let j = 1; j < d.argCount; j++) {
          const w = d.arg(j)!;
          if (w.value !== 'http2') continue;
          const p = paramIn('listen:http', 'http2', settings);
          if (!p || p.status !== 'ok' || !p.fact.deprecated) continue;
          rc.report({
            message: `the "listen ... http2" directive is deprecated, use the "http2" directive instead; since nginx ${p.fact.since}`,
            start: w.start,
            end: w.end,
            deprecated: true,
            // `http2 on;` exists from the same release on: only offered when the version is known to have it
            fixes: releaseOf(settings.version) !== null && versionAtLeast(settings, p.fact.since)
              ? () => { const f = listenHttp2Fix(source, d); return f ? [f] : []; } : undefined,
          });
        }
        continue;
      }
      const dep = deprecationOf(d.name, spec.module, settings);
      if (!dep) continue;
      const since = dep.since ? `; since nginx ${dep.since}` : '';
      rc.report({
        message: dep.use
          ? `the "${d.name}" directive is deprecated, use the "${dep.use}" directive instead${since}${dep.until ? `; nginx ${dep.until} removes it` : ''}`
          : `the "${d.name}" directive is obsolete, ignored${since}`,
        start: d.nameWord.start,
        end: d.nameWord.end,
        deprecated: true,
        fixes: d.name === 'ssl' ? () => { const f = sslOnFix(source, d); return f ? [f] : []; }
          : !dep.use ? () => [removeFix(source, d, 'nginx ignores it')] : undefined,
      });
    }
  },
};

/**
 * location-unreachable: a location no URI can select. A regex location after an earlier regex of
 * the same level that matches every URI it matches (the same regex twice — nginx accepts that —
 * `\.php$` after `\.php$`/`php$`, anything after `~ /`); a plain prefix location (no `^~`, no nested
 * locations) whose every URI a regex of its level matches (`location /api/` with `location ~ ^/api`):
 * the regex search runs after the prefix is found and wins. Only sure cases are reported (patterns
 * that are literals with ^/$ anchors, or that match every URI); related information points at the
 * location that wins.
 */
import type { Directive } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { regexCovers, regexCoversPrefix, routingFacts, simpleRegex } from '../../routing/facts';
import { locLevel, type LocLevel } from '../../routing/model';
import { locationLabel } from '../../routing/route';

export const locationUnreachable: Rule = {
  code: 'location-unreachable',
  family: 'routing',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'A location no URI can reach: an earlier regex of its level matches every URI it could match',
  check(ctx) {
    const facts = routingFacts(ctx.view);
    if (!facts) return;
    const head = (d: Directive) => ({ start: d.nameWord.start, end: d.arg(d.argCount - 1)?.end ?? d.nameWord.end });
    const visit = (level: LocLevel, depth: number) => {
      if (depth > 32) return;
      const simple = level.regexes.map((r) => simpleRegex(r));
      for (let i = 0; i < level.regexes.length; i++) {
        const r = level.regexes[i];
        if (ctx.view.sourceOf(r.directive) !== ctx.source) continue;
        const inner = simple[i];
        for (let j = 0; j < i; j++) {
          const w = level.regexes[j];
          const same = w.mod === r.mod && w.name === r.name;
          if (!same && !regexCovers(simple[j], inner)) continue;
          const src = ctx.view.sourceOf(w.directive);
          ctx.report({
            message: same
              ? `${locationLabel(r)} can never be chosen: the same regex location comes earlier at this level and nginx takes the first match`
              : `${locationLabel(r)} can never be chosen: the earlier ${locationLabel(w)} matches every URI it matches, and nginx takes the first matching regex`,
            ...head(r.directive),
            related: src ? [{ source: src, ...head(w.directive), message: 'this location wins' }] : undefined,
          });
          break;
        }
      }
      for (const p of level.prefixes) {
        if (p.mod !== '' || p.autoRedirect || ctx.view.sourceOf(p.directive) !== ctx.source) continue;
        if (locLevel(p.body, facts.expand).all.length) continue;
        const k = level.regexes.findIndex((_, j) => regexCoversPrefix(simple[j], p.name));
        if (k < 0) continue;
        const w = level.regexes[k];
        const src = ctx.view.sourceOf(w.directive);
        ctx.report({
          message: `${locationLabel(p)} can never be chosen: every URI starting with "${p.name}" also matches ${locationLabel(w)}, and a matching regex wins over a prefix (use "location ^~ ${p.name}" to stop the regex search)`,
          ...head(p.directive),
          related: src ? [{ source: src, ...head(w.directive), message: 'this location wins' }] : undefined,
        });
      }
      for (const l of level.all) if (l.mod !== '@') visit(locLevel(l.body, facts.expand), depth + 1);
    };
    for (const { facts: f } of facts.own) visit(locLevel(f.body, facts.expand), 0);
  },
};

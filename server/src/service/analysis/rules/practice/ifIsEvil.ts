/**
 * if-is-evil: an `if` inside a location is not a condition around statements but a nested,
 * nameless location. When its condition holds, the request goes on with the if block's own
 * configuration (ngx_http_rewrite_module: `r->loc_conf` is switched to the block's), so
 * everything the block sets applies instead of the location's: two matching ifs keep only the
 * second's `add_header`, a `proxy_pass` or `root` inside behaves unlike the same line outside, and
 * `try_files`, which the block does not inherit, is silently skipped. nginx's "If is evil" page
 * (nginx.com/resources/wiki/start/topics/depth/ifisevil) names the only 100% safe bodies: `return`
 * and `rewrite … last`.
 *
 * Reported are only the uses that change what is served:
 *   - an if in a location whose body holds a directive other than those of the rewrite module
 *     (`return`, `rewrite`, `set`, `break`, `rewrite_log`, `uninitialized_variable_warn`);
 *   - an if that does not end the request's processing (no `return` and no `rewrite` with `last`,
 *     `redirect`, `permanent` or an absolute replacement) in a location with `try_files`, which is
 *     ignored whenever the condition holds.
 * `set` or `break` alone, without try_files, are left alone: the rewrite module runs them in order
 * and the block's configuration is otherwise the location's (what nginx-lint also allows). So are
 * scalar settings that apply to the matching requests as written (`access_log off`, `limit_rate`,
 * `expires`, …), and an `add_header` that is the only header list in sight (none in the location
 * or above, no second if with one): it adds its header and drops nothing. One
 * finding per location, at its first such if, with the others as related places. No fix: the
 * usual cure (a separate location, a map) needs the author.
 */
import type { Directive } from '../../../syntax/tree';
import { chainFor, firstNamed } from '../../effective';
import type { Rule } from '../../types';
import { eachDirective } from './common';

const REWRITE_MODULE = new Set(['return', 'rewrite', 'set', 'break', 'rewrite_log', 'uninitialized_variable_warn']);

/**
 * Scalar settings whose value in the if block is just what the matching requests get (conditional
 * logging, rate limiting, caching headers): the block inherits everything else, so nothing is lost.
 */
const AS_WRITTEN = new Set(['access_log', 'limit_rate', 'limit_rate_after', 'expires', 'default_type', 'log_not_found']);

/** List directives: the if block's list replaces the inherited one (as every nested level's does). */
const HEADERS = new Set(['add_header', 'add_trailer']);

/** `return`, or a `rewrite` that ends the rewrite phase with a new location or a redirect. */
function ends(d: Directive): boolean {
  if (d.name === 'return') return true;
  if (d.name !== 'rewrite') return false;
  const flag = d.argCount >= 3 ? d.argValue(2) : undefined;
  if (flag === 'last' || flag === 'redirect' || flag === 'permanent') return true;
  const replacement = d.argValue(1) ?? '';
  return flag === undefined && /^(https?:\/\/|\$scheme)/.test(replacement);
}

export const ifIsEvil: Rule = {
  code: 'if-is-evil',
  family: 'practice',
  reach: 'server',
  defaultSeverity: 'information',
  description: 'if in a location with more than return / rewrite … last: the if block\'s configuration replaces the location\'s',
  check(ctx) {
    const { view, source } = ctx;
    eachDirective(source.file.children, (loc) => {
      if (loc.name !== 'location' || !loc.block) return;
      const own = view.expand(loc);
      const places: { ifd: Directive; because: Directive[]; tryFiles: Directive | null }[] = [];
      let tryFiles: Directive | null | undefined;
      // an add_header list in an if replaces the one the location inherits, and a second matching
      // if's list replaces the first's: harmless only when it is the one list in sight
      const chain = chainFor(view, loc);
      const replacesHeaders = (name: string) => {
        if (chain.some((level) => firstNamed(level.directives, name))) return true;
        return own.filter((x) => x.name === 'if' && x.block && firstNamed(view.expand(x), name)).length > 1;
      };
      for (const ifd of own) {
        if (ifd.name !== 'if' || !ifd.block || ifd.isEntry || view.sourceOf(ifd) !== source) continue;
        const body = view.expand(ifd);
        const foreign = body.filter((d) => !d.isEntry && !REWRITE_MODULE.has(d.name) && !AS_WRITTEN.has(d.name) && !(HEADERS.has(d.name) && !replacesHeaders(d.name)));
        if (foreign.length) { places.push({ ifd, because: foreign, tryFiles: null }); continue; }
        if (body.some(ends)) continue;
        // try_files is not inherited by nested levels: only the location's own counts
        if (tryFiles === undefined) tryFiles = firstNamed(own, 'try_files');
        if (tryFiles) places.push({ ifd, because: [], tryFiles });
      }
      if (!places.length) return;
      const first = places[0];
      const header = first.ifd.arg(first.ifd.argCount - 1) ?? first.ifd.nameWord;
      const message = first.because.length
        ? `if in a location is a nested location: when it matches, nginx serves the request with the if block's configuration, so ${[...new Set(first.because.map((d) => d.name))].join(', ')} inside it ${first.because.length > 1 ? 'replace' : 'replaces'} the location's settings instead of adding to them. Use only return or rewrite … last inside if, or a separate location or a map.`
        : `when this if matches, the request keeps the if block's configuration, which has no try_files: the location's try_files is skipped. End the if with return or rewrite … last, or use a map.`;
      const related = [
        ...first.because.map((d) => ({ source: view.sourceOf(d) ?? source, start: d.start, end: d.end, message: `${d.name} inside if` })),
        ...(first.tryFiles ? [{ source: view.sourceOf(first.tryFiles) ?? source, start: first.tryFiles.start, end: first.tryFiles.end, message: 'skipped when the if matches' }] : []),
        ...places.slice(1).map((p) => ({ source, start: p.ifd.start, end: (p.ifd.arg(p.ifd.argCount - 1) ?? p.ifd.nameWord).end, message: 'another such if in this location' })),
      ];
      ctx.report({ message, start: first.ifd.start, end: header.end, related });
    });
  },
};

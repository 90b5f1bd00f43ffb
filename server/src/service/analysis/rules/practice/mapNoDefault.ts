/**
 * map-no-default: a `map` without a `default` entry gives the empty string for every value it does
 * not list. That is harmless — often the point — where nginx treats "" as "nothing": `add_header`
 * and `proxy_set_header` send no header with an empty value, `if ($v)` is false, the keys of
 * `limit_req_zone`/`limit_conn_zone` and `access_log … if=` skip empty values. It matters where
 * the value becomes an address, a path or a redirect: `proxy_pass http://$v` (and the other
 * `*_pass`) fails with a 500 ("invalid URL prefix" / no host), `root $v`/`alias $v` serve files
 * relative to nginx's prefix, `return 301 $v` and `rewrite … $v` send clients to "", `try_files`
 * looks up the wrong name. So the rule reports a map only when its variable is used by one of
 * those directives somewhere in the configuration, and names the use. A map with an `include` in
 * its body (the default may be there) or a catch-all regex entry (`~.*`) is not reported, nor one
 * where nginx does not accept a map (inside `server`: directive-context reports it). No fix: the
 * right default is the author's call.
 */
import type { Directive, Statement } from '../../../syntax/tree';
import type { ConfigView, Rule, SourceFile } from '../../types';
import { eachDirective } from './common';

/**
 * The `map`s of a file where nginx accepts one: at its top level (the file may be included in
 * `http`) and in `http` and `stream` blocks. Not the whole tree: the rule runs over the whole file
 * after every keystroke (its finding names a use anywhere), and on a 43k-line file a walk of every
 * directive was a tenth of a keystroke's validation. A `map` elsewhere is a directive-context error.
 */
function eachMap(list: Statement[], fn: (d: Directive) => void): void {
  for (const s of list) {
    if (s.kind !== 'directive' || s.isEntry) continue;
    if (s.name === 'map') fn(s);
    else if ((s.name === 'http' || s.name === 'stream') && s.block?.body === 'directives') eachMap(s.block.children, fn);
  }
}

/** Directives that turn a variable's value into an upstream address, a path, or a redirect target. */
const SENSITIVE = new Set([
  'proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass',
  'return', 'rewrite', 'root', 'alias', 'try_files',
]);

/** Regex entries that match every value: as good as a default. */
const CATCH_ALL = new Set(['~.*', '~^', '~', '~.*$', '~^.*$', '~*.*', '~*^.*$', '~.+', '~^.+$']);

interface Use { directive: Directive; source: SourceFile }

const useIndex = new WeakMap<ConfigView, Map<string, Use>>();

/** Per view: the first sensitive use of each variable name in the configuration. */
function usesOf(view: ConfigView): Map<string, Use> {
  let index = useIndex.get(view);
  if (index) return index;
  const built = new Map<string, Use>();
  for (const source of view.files()) {
    eachDirective(source.file.children, (d) => {
      if (!SENSITIVE.has(d.name)) return;
      for (let i = 0; i < d.argCount; i++) {
        const v = d.argValue(i)!;
        if (!v.includes('$')) continue;
        for (const m of v.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
          const name = m[1] ?? m[2];
          if (!built.has(name)) built.set(name, { directive: d, source });
        }
      }
    });
  }
  useIndex.set(view, built);
  return built;
}

export const mapNoDefault: Rule = {
  code: 'map-no-default',
  family: 'practice',
  defaultSeverity: 'information',
  description: 'A map without default gives "" for unlisted values, and its variable becomes an address, path or redirect',
  check(ctx) {
    const { view, source } = ctx;
    eachMap(source.file.children, (d) => {
      if (d.argCount !== 2 || !d.block || d.block.body !== 'entries') return;
      let covered = false;
      for (const e of d.block.children) {
        if (e.kind !== 'directive' || !e.isEntry) continue;
        if (e.name === 'default' || e.name === 'include' || CATCH_ALL.has(e.name)) { covered = true; break; }
      }
      if (covered) return;
      const result = d.argValue(1)!;
      const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(result)?.[1];
      if (!name) return;
      const use = usesOf(view).get(name);
      if (!use) return;
      const word = d.arg(1)!;
      ctx.report({
        message: `map ${result} has no default: values it does not list give "", and ${use.directive.name} uses ${result}. Add a default entry.`,
        start: word.start,
        end: word.end,
        related: [{ source: use.source, start: use.directive.start, end: use.directive.end, message: `${result} used by ${use.directive.name}` }],
      });
    });
  },
};

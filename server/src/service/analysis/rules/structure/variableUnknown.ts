/**
 * `variable-unknown`: `$name` that is neither built in (nor a prefix family such as `$http_…`) nor
 * defined anywhere in the configuration (`set`, `map`, `geo`, `split_clients`, `perl_set`, `js_set`,
 * … or a named regex capture). nginx variables are global, so every file of the view counts.
 */
import { isBuiltinVariable, namedCaptures, variableRefs, definedVariable } from '../../../knowledge/variables';
import { nginxSpecsOf } from '../../../knowledge/directiveDb';
import type { Directive, ParsedFile, Statement } from '../../../syntax/tree';
import type { ConfigView, Rule, SourceFile } from '../../types';

/** Directives whose arguments are code or regexes, not nginx scripts. */
function skipArgs(d: Directive): number {
  const n = d.name;
  if (n.endsWith('_by_lua') || n === 'perl' || n === 'perl_set' || n === 'perl_modules' || n === 'perl_require') return -1;
  if (n === 'location' || n === 'server_name' || n === 'types' || n === 'log_by_lua') return -1;
  if (n === 'set_by_lua') return 1; // only $res is nginx's; the code is Lua
  return 0;
}

interface Definition {
  start: number;
  end: number;
  by: string;
}

/**
 * Variables one file defines. Cached per parsed tree: a configuration of 10,000 site files is
 * validated on every keystroke in one of them, and only the edited file's tree is new.
 */
const fileDefsCache = new WeakMap<ParsedFile, Map<string, Definition>>();

function fileDefinitions(file: ParsedFile): Map<string, Definition> {
  let out = fileDefsCache.get(file);
  if (out) return out;
  const defs = new Map<string, Definition>();
  // named captures only: `(?<name>`, `(?P<name>`, `(?'name'` (not `(?:`, `(?i)`, `(?=`, …, which are
  // common and would make every argument of the file be read)
  const hasCaptures = /\(\?(?:P?<[A-Za-z_]|')/.test(file.text);
  const visit = (list: Statement[], customBody: boolean) => {
    for (const s of list) {
      if (s.kind !== 'directive') continue;
      if (customBody && s.name.startsWith('$')) {
        // geoip2 { $name … } and similar blocks define variables by their first word
        const m = /^\$([A-Za-z0-9_]+)$/.exec(s.name);
        if (m && !defs.has(m[1])) defs.set(m[1], { start: s.nameWord.start, end: s.nameWord.end, by: s.parent?.name ?? '' });
      }
      if (!s.isEntry) {
        const def = definedVariable(s);
        if (def && !defs.has(def.name)) defs.set(def.name, { start: def.start, end: def.end, by: s.name });
      }
      // named captures in any regex-looking word
      if (hasCaptures) {
        for (const w of s.isEntry ? [s.nameWord] : s.args) {
          if (w.value.indexOf('(?') < 0 || !/\(\?(?:P?<[A-Za-z_]|')/.test(w.value)) continue;
          for (const name of namedCaptures(w.value)) if (!defs.has(name)) defs.set(name, { start: w.start, end: w.end, by: 'regex capture' });
        }
      }
      if (s.block && s.block.body !== 'lua') {
        const specs = nginxSpecsOf(s.name);
        visit(s.block.children, !!specs?.some((x) => x.customBody));
      }
    }
  };
  visit(file.children, false);
  fileDefsCache.set(file, defs);
  return defs;
}

/** Where `name` is defined in the configuration (first file in view order), or null. */
export function findDefinedVariable(view: ConfigView, name: string): (Definition & { source: SourceFile }) | null {
  for (const source of view.files()) {
    const d = fileDefinitions(source.file).get(name);
    if (d) return { source, ...d };
  }
  return null;
}

/** Names defined by the configuration: collected over every file of the view. */
export function definedVariables(view: ConfigView): Map<string, Definition & { source: SourceFile }> {
  const out = new Map<string, Definition & { source: SourceFile }>();
  for (const source of view.files()) {
    for (const [name, d] of fileDefinitions(source.file)) if (!out.has(name)) out.set(name, { source, ...d });
  }
  return out;
}

/** name → built in? (the answer never changes; the set of names in real configurations is small) */
const builtinCache = new Map<string, boolean>();

export const variableUnknown: Rule = {
  code: 'variable-unknown',
  defaultSeverity: 'warning',
  description: 'A $variable that is neither built in nor defined anywhere in the configuration.',
  check(rc) {
    const file = rc.source.file;
    const text = file.text;
    if (text.indexOf('$') < 0) return;
    /** name → defined somewhere in the configuration (asked once per name and validation) */
    const known = new Map<string, boolean>();
    // When the view reaches a real `main` file (the whole configuration is known), nginx itself
    // refuses to start on an unknown variable: report an error. For a fragment it may be defined
    // in a file we do not see: a warning.
    let complete = false;
    if (!rc.view.inferred) {
      const first = file.children.find((s) => s.kind === 'directive');
      if (first && first.kind === 'directive') {
        const chain = rc.view.scopes(first);
        const outer = chain[chain.length - 1];
        complete = !!outer && outer.context === 'main' && outer.source !== null;
      }
    }
    // offsets of every `$`: a directive or block without one is skipped without touching its words
    const dollars: number[] = [];
    for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) dollars.push(i);
    const anyDollar = (start: number, end: number) => {
      let lo = 0, hi = dollars.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (dollars[mid] < start) lo = mid + 1; else hi = mid; }
      return lo < dollars.length && dollars[lo] < end;
    };
    const visit = (list: Statement[], customBody: boolean) => {
      for (const s of list) {
        if (s.kind !== 'directive') continue;
        if (!anyDollar(s.start, s.end)) continue;
        const headEnd = s.block ? s.block.open : s.end;
        const skip = !anyDollar(s.start, headEnd) ? -1 : s.isEntry ? 0 : skipArgs(s);
        if (skip >= 0) {
          const args = s.args;
          for (let i = skip; i < args.length; i++) {
            const w = args[i];
            // `value` is cached by the parser; `raw` slices the text on every access
            if (w.value.indexOf('$') < 0) continue;
            // `if (… ~ regex)`, `rewrite regex …`: the regex operand is not a script
            if (s.name === 'if' && i > 0 && /^!?~\*?$/.test(args[i - 1].value)) continue;
            if (s.name === 'rewrite' && i === 0) continue;
            if (w.quote === "'" && s.name === 'js_set') continue;
            const raw = w.raw;
            for (const r of variableRefs(raw)) {
              let builtin = builtinCache.get(r.name);
              if (builtin === undefined) { builtin = isBuiltinVariable(r.name); builtinCache.set(r.name, builtin); }
              if (builtin) continue;
              let isDefined = known.get(r.name);
              if (isDefined === undefined) known.set(r.name, (isDefined = findDefinedVariable(rc.view, r.name) !== null));
              if (isDefined) continue;
              rc.report({
                message: `unknown variable "$${r.name}": not built in and not defined by set, map, geo, … in this configuration`,
                start: w.start + r.start,
                end: w.start + r.end,
                severity: complete ? 'error' : undefined,
              });
            }
          }
        }
        if (s.block && s.block.body !== 'lua' && !customBody) {
          const specs = nginxSpecsOf(s.name);
          const custom = !!specs?.some((x) => x.customBody) && s.block.body === 'directives';
          if (!custom) visit(s.block.children, false);
        }
      }
    };
    visit(file.children, false);
  },
};

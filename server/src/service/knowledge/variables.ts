/**
 * nginx variables: the built-in ones (registered statically by the modules of the generated table,
 * plus the reference's list), the prefix families (`$http_…`, `$arg_…`, …), and the directives that
 * define new ones (`set`, `map`, `geo`, …) with the argument that names the variable.
 */
import type { Directive } from '../syntax/tree';
import { VARIABLE_PREFIXES, VARIABLES } from './directives.generated';
import { referenceVariables } from './directiveDb';

export interface BuiltinVariable {
  name: string;
  /** true for a prefix family (`http_` matches `$http_user_agent`) */
  prefix: boolean;
  description: string;
  module: string;
}

const builtinNames = new Set<string>();
const prefixes: string[] = [];
for (const v of VARIABLES) builtinNames.add(v.slice(v.indexOf(':') + 1));
for (const v of VARIABLE_PREFIXES) {
  const p = v.slice(v.indexOf(':') + 1);
  if (!prefixes.includes(p)) prefixes.push(p);
}
// families the reference documents (`$jwt_claim_NAME`, `$proxy_protocol_tlv_NAME`, …) and that
// modules register at run time: `$cookie_` etc. are already in the table
const EXTRA_PREFIXES = ['jwt_claim_', 'jwt_header_', 'proxy_protocol_tlv_', 'oidc_claim_', 'upstream_trailer_', 'sent_trailer_'];
for (const p of EXTRA_PREFIXES) if (!prefixes.includes(p)) prefixes.push(p);

let merged: Map<string, BuiltinVariable> | null = null;
/** Every built-in variable and prefix family, with the reference's description when it has one. */
export function builtinVariables(): ReadonlyMap<string, BuiltinVariable> {
  if (merged) return merged;
  merged = new Map();
  const refs = referenceVariables();
  for (const [name, r] of refs) {
    const prefix = name.endsWith('_NAME');
    const key = prefix ? name.slice(0, -4) : name;
    if (!merged.has(key)) merged.set(key, { name: key, prefix, description: r.description, module: r.module });
  }
  for (const n of builtinNames) if (!merged.has(n)) merged.set(n, { name: n, prefix: false, description: '', module: '' });
  for (const p of prefixes) if (!merged.has(p)) merged.set(p, { name: p, prefix: true, description: '', module: '' });
  return merged;
}

/** The built-in variable or prefix family that `name` (without `$`) is, or null. */
export function builtinVariable(name: string): BuiltinVariable | null {
  const all = builtinVariables();
  const exact = all.get(name);
  // `$http_user_agent` is registered on its own but documented as part of `$http_NAME`
  if (exact && !exact.prefix && exact.description) return exact;
  for (const p of prefixes) if (name.startsWith(p) && name.length > p.length) return all.get(p) ?? null;
  for (const v of all.values()) if (v.prefix && name.startsWith(v.name) && name.length > v.name.length) return v;
  return exact && !exact.prefix ? exact : null;
}

/** true when nginx knows `$name` without any definition in the configuration. */
export function isBuiltinVariable(name: string): boolean {
  if (builtinNames.has(name)) return true;
  if (/^[0-9]+$/.test(name)) return true; // regex captures $1…$9 are always accepted at load time
  // `$arg_` (an empty name after the prefix) is accepted too: nginx compares only the prefix
  for (const p of prefixes) if (name.startsWith(p)) return true;
  return builtinVariables().has(name) && !builtinVariables().get(name)!.prefix;
}

/**
 * Directives that define a variable, and which argument holds it: a number (index) or a function
 * of the argument count (`geo [$address] $variable { … }`).
 */
const DEFINERS: ReadonlyMap<string, number | ((n: number) => number)> = new Map<string, number | ((n: number) => number)>([
  ['set', 0], ['map', 1], ['geo', (n) => (n >= 2 ? 1 : 0)], ['split_clients', 1], ['perl_set', 0], ['js_set', 0],
  ['auth_request_set', 0], ['set_by_lua', 0], ['set_by_lua_block', 0], ['set_by_lua_file', 0], ['keyval', 1],
  ['userid_name', -1], ['geoip2', -1], ['set_real_ip_from', -1], ['secure_link', -1], ['js_var', 0], ['set_escape_uri', 0],
  ['set_unescape_uri', 0], ['set_quote_sql_str', 0], ['set_quote_pgsql_str', 0], ['set_quote_json_str', 0], ['set_md5', 0],
  ['set_sha1', 0], ['set_encode_base64', 0], ['set_decode_base64', 0], ['set_hashed_upstream', 0], ['nchan_channel_id', -1],
]);

/**
 * The variable name (without `$`) a directive defines, with the word that holds it, or null.
 * `geoip2 … { $name …; }` entries and other custom-body lines starting with `$` are handled by the caller.
 */
export function definedVariable(d: Directive): { name: string; start: number; end: number } | null {
  // called for every directive of every file: a Map (no prototype chain, no names such as
  // "constructor"); an object would first intern the freshly read name to look it up
  const name = d.name;
  let rule = DEFINERS.get(name);
  // set-misc and similar modules: `set_<something> $var …`
  if (rule === undefined && name.startsWith('set_') && d.argCount > 0 && d.argValue(0)!.startsWith('$')) rule = 0;
  if (rule === undefined) return null;
  // one argument read, not the directive's whole word list (which would stay alive with the tree)
  const idx = typeof rule === 'function' ? rule(d.argCount) : rule;
  if (idx < 0) return null;
  const w = d.arg(idx);
  if (!w) return null;
  const m = /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(w.value);
  if (!m) return null;
  const off = w.raw.indexOf('$');
  return { name: m[1], start: w.start + (off < 0 ? 0 : off), end: w.end - (w.quote ? 1 : 0) };
}

/** Named captures `(?<name>…)`, `(?P<name>…)`, `(?'name'…)` of a regex. */
export function namedCaptures(regex: string): string[] {
  const out: string[] = [];
  const re = /\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(regex))) out.push(m[1] ?? m[2]);
  return out;
}

/** A variable reference in a word: `$name` or `${name}`; offsets relative to the word's raw text. */
export interface VariableRef {
  name: string;
  /** offset of `$` in raw */
  start: number;
  /** offset after the name (and `}`) */
  end: number;
}

/** [A-Za-z0-9_]: a character of a variable name */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Calls `found` for each variable reference in `text[from, to)` (one word's raw text, quotes
 * included): the reference spans [start, end) and its name [nameStart, nameEnd), all offsets
 * absolute. Works on the file's text in place and never reads past `to`: on a large file, slicing
 * every word and collecting its references in arrays costs more than the scan itself.
 */
export function scanVariableRefs(
  text: string, from: number, to: number,
  found: (start: number, end: number, nameStart: number, nameEnd: number) => void,
): void {
  let i = nextDollar(text, from, to);
  while (i >= 0 && i < to - 1) {
    if (i > from && text.charCodeAt(i - 1) === 92 /* \ */) { i = nextDollar(text, i + 1, to); continue; }
    let j = i + 1;
    if (text.charCodeAt(j) === 123 /* { */) {
      let close = j + 1;
      while (close < to && text.charCodeAt(close) !== 125 /* } */) close++;
      if (close > j + 1 && close < to) {
        let plain = true;
        for (let k = j + 1; k < close; k++) if (!isNameChar(text.charCodeAt(k))) { plain = false; break; }
        if (plain) found(i, close + 1, j + 1, close);
        i = nextDollar(text, close, to);
        continue;
      }
    }
    const first = text.charCodeAt(j);
    if (first >= 48 && first <= 57) {
      // `$1abc` is capture 1 followed by "abc" (ngx_http_script_compile reads one digit)
      found(i, j + 1, j, j + 1);
      i = nextDollar(text, j + 1, to);
      continue;
    }
    while (j < to && isNameChar(text.charCodeAt(j))) j++;
    if (j > i + 1) found(i, j, i + 1, j);
    i = nextDollar(text, j, to);
  }
}

/** offset of the first `$` in text[from, to), or -1 (a word is short: no search past its end) */
function nextDollar(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 36) return i;
  return -1;
}

/** Variable references of a word's raw text (nginx's script syntax: `$` then [A-Za-z0-9_], or `${…}`). */
export function variableRefs(raw: string): VariableRef[] {
  const out: VariableRef[] = [];
  scanVariableRefs(raw, 0, raw.length, (start, end, nameStart, nameEnd) => out.push({ name: raw.slice(nameStart, nameEnd), start, end }));
  return out;
}

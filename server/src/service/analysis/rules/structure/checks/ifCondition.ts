/**
 * `if (condition)` (ngx_http_rewrite_if_condition): the words must be `(` … `)` around one of
 * `$var`, `$var = value`, `$var != value`, `$var ~ regex` (~*, !~, !~*), or `-f|-d|-e|-x path`
 * (and `!-f` …). Anything else: "invalid condition" / "unexpected … in condition".
 */
import { fastAll } from './fast';
import type { DirectiveCheck } from './types';

/** plainly valid: ($var), ($var op value), (-f path) */
const IF_OK = /\s+\(\s*(?:\$[A-Za-z0-9_]+\s*(?:(?:=|!=|~\*?|!~\*?)\s*(?:"[^"\\]*"|'[^'\\]*'|[^\s"'();{}\\]+)\s*)?|!?-[fdex]\s+[^\s"'();{}\\]+\s*)\)\s*/y;

const OPS = new Set(['=', '!=', '~', '~*', '!~', '!~*']);
const FILE_OPS = new Set(['-f', '-d', '-e', '-x', '!-f', '!-d', '!-e', '!-x']);
const WHY = 'use ($var), ($var = value), ($var ~ regex) or (-f path)';

/** word i of the condition as nginx sees it ("(" and ")" taken off the first and last) */
function word(v: string, i: number, cur: number, n: number, lastWhole: boolean): string {
  if (i === 0 && cur === 0) v = v.slice(1);
  if (i === n - 1 && !lastWhole) v = v.slice(0, -1);
  return v;
}

export const checkIf: DirectiveCheck = (d, module, _settings, report, text) => {
  if (module !== 'ngx_http_rewrite_module' || fastAll(IF_OK, text, d, 'if')) return;
  const at = d.args;
  const n = at.length;
  if (n === 0) return;
  const first = at[0].value;
  if (first.length < 1 || first.charCodeAt(0) !== 40) { report(at[0], `invalid condition "${first}": the condition must be in parentheses`); return; }
  // positions of the condition's words once "(" and ")" are taken off, as in nginx
  const cur = first.length === 1 ? 1 : 0;
  let last = n - 1;
  // (nginx takes "(" off first: with one word, ")" is looked for in what remains)
  const lw = last === 0 && cur === 0 ? first.slice(1) : at[last].value;
  if (lw.length < 1 || lw.charCodeAt(lw.length - 1) !== 41) { report(at[last], `invalid condition "${lw}": the condition must be in parentheses`); return; }
  const lastWhole = lw.length === 1;
  if (lastWhole) last--;
  if (cur > last) { const i = Math.min(cur, n - 1); report(at[i], `invalid condition "${word(at[i].value, i, cur, n, lastWhole)}": ${WHY}`); return; }
  const p = word(at[cur].value, cur, cur, n, lastWhole);
  if (p.length > 1 && p.charCodeAt(0) === 36) {
    if (cur === last) return;
    if (cur + 2 !== last) { report(at[cur], `invalid condition "${p}": ${WHY}`); return; }
    const op = at[cur + 1].value;
    if (!OPS.has(op)) report(at[cur + 1], `unexpected "${op}" in condition: use =, !=, ~, ~*, !~ or !~*`);
    return;
  }
  if ((p.length === 2 && p[0] === '-') || (p.length === 3 && p[0] === '!' && p[1] === '-')) {
    if (cur + 1 !== last || !FILE_OPS.has(p)) report(at[cur], `invalid condition "${p}": file tests are -f, -d, -e, -x (or !-f …) followed by one path`);
    return;
  }
  report(at[cur], `invalid condition "${p}": ${WHY}`);
};

/**
 * Deterministic mutations of corpus files that nginx accepts: misspelt names, extra/missing
 * arguments, directives copied to another block, duplicated lines, bad and good flag/time/size
 * values. Real `nginx -t` says which ones break the file; the test compares with our verdict.
 */
import type { Directive, Statement } from '../../server/src/service/syntax/tree';
import { parse } from '../../server/src/service/syntax/parser';

export interface Mutation {
  kind: string;
  text: string;
  /** what was done, for the report */
  note: string;
}

/** mulberry32: a small seeded PRNG (same mutations on every run), shared with the fuzzer */
export { mulberry32 as prng } from '../fuzz/fuzzCore';

function plain(list: Statement[], out: Directive[] = [], blocks: Directive[] = []): { dirs: Directive[]; blocks: Directive[] } {
  for (const s of list) {
    if (s.kind !== 'directive' || s.isEntry) continue;
    out.push(s);
    if (s.block && s.block.body === 'directives' && s.block.close >= 0 && !/^(geoip2|rtmp)$/.test(s.name)) {
      blocks.push(s);
      plain(s.block.children, out, blocks);
    }
  }
  return { dirs: out, blocks };
}

const pick = <T>(r: () => number, xs: T[]): T | undefined => (xs.length ? xs[Math.floor(r() * xs.length)] : undefined);
const splice = (t: string, s: number, e: number, x: string) => t.slice(0, s) + x + t.slice(e);

export function mutate(text: string, r: () => number): Mutation[] {
  const file = parse(text);
  if (file.errors.length) return [];
  const { dirs, blocks } = plain(file.children);
  const simple = dirs.filter((d) => !d.block && d.terminator === ';');
  const out: Mutation[] = [];

  const m1 = pick(r, dirs.filter((d) => d.nameWord.quote === null && d.name.length > 3));
  if (m1) {
    const i = 1 + Math.floor(r() * (m1.name.length - 2));
    const name = m1.name.slice(0, i) + m1.name.slice(i + 1);
    out.push({ kind: 'misspell', text: splice(text, m1.nameWord.start, m1.nameWord.end, name), note: `${m1.name} → ${name}` });
  }
  const m2 = pick(r, simple);
  if (m2) out.push({ kind: 'args-add', text: splice(text, m2.terminatorOffset, m2.terminatorOffset, ' extra_arg'), note: `${m2.name} + 1 argument` });
  const m3 = pick(r, simple.filter((d) => d.args.length > 0));
  if (m3) out.push({ kind: 'args-drop', text: splice(text, m3.nameWord.end, m3.terminatorOffset, ''), note: `${m3.name} without arguments` });
  const m4 = pick(r, simple);
  if (m4) {
    const line = text.slice(m4.start, m4.end);
    // copy it to another level: the top of the file or the start of another block
    const target = pick(r, [null, ...blocks.filter((b) => b !== m4.parent)]);
    const at = target ? target.block!.open + 1 : 0;
    out.push({ kind: 'context', text: splice(text, at, at, `\n${line}\n`), note: `${m4.name} copied into ${target ? target.name : 'the top level'}` });
  }
  const m5 = pick(r, simple);
  if (m5) out.push({ kind: 'duplicate', text: splice(text, m5.end, m5.end, `\n${text.slice(m5.start, m5.end)}`), note: `${m5.name} twice` });
  const values = simple.filter((d) => d.args.length === 1 && /^(on|off|\d+(ms|s|m|h|d|k|K|M|g|G)?)$/.test(d.args[0].value));
  const m6 = pick(r, values);
  if (m6) {
    const v = m6.args[0].value;
    const bad = v === 'on' || v === 'off' ? 'yes' : v.replace(/^(\d+).*$/, '$1x');
    out.push({ kind: 'value-bad', text: splice(text, m6.args[0].start, m6.args[0].end, bad), note: `${m6.name} ${v} → ${bad}` });
    const good = v === 'on' ? 'off' : v === 'off' ? 'on' : /^\d+s$/.test(v) ? `${v.slice(0, -1)}000ms` : /^\d+$/.test(v) ? String(Number(v) + 1) : v.replace(/^(\d+)/, (x) => String(Number(x) * 2));
    out.push({ kind: 'value-ok', text: splice(text, m6.args[0].start, m6.args[0].end, good), note: `${m6.name} ${v} → ${good}` });
  }
  return out;
}

/**
 * `value-invalid`: an argument nginx's slot handler rejects: a flag that is not `on`/`off`, a
 * malformed time (`10x`, `1m1h`) or size (`10q`), a number that is not one, a value outside an
 * enum or bitmask. Which directive takes which kind of value comes from the generated table.
 */
import { parseNumber, parseSize, parseTime } from '../../../knowledge/units';
import type { Word } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { argsOk } from '../../../knowledge/directiveDb';
import { analyze } from './analyze';

function valueProblem(slot: string, values: readonly string[], w: Word, index: number): string | null {
  const v = w.value;
  switch (slot) {
    case 'flag': {
      const l = v.toLowerCase();
      return l === 'on' || l === 'off' ? null : `it must be "on" or "off"`;
    }
    case 'msec': return parseTime(v, 'msec') === null ? `not a time (use e.g. 500ms, 30s, 5m, 1h30m; no "M" or "y" here)` : null;
    case 'sec': return parseTime(v, 'sec') === null ? `not a time (use e.g. 30s, 5m, 1h, 1d)` : null;
    case 'size': return parseSize(v, 'size') === null ? `not a size (use e.g. 512, 8k, 1m)` : null;
    case 'off': return parseSize(v, 'off') === null ? `not a size (use e.g. 512, 8k, 10m, 1g)` : null;
    case 'num': return parseNumber(v) === null ? `not a number` : null;
    case 'bufs':
      if (index === 0) return parseNumber(v) === null ? `not a number of buffers` : null;
      return parseSize(v, 'size') === null ? `not a buffer size (use e.g. 4k, 8k)` : null;
    case 'enum':
    case 'bitmask': {
      if (values.length === 0) return null;
      const l = v.toLowerCase();
      for (const x of values) if (x.toLowerCase() === l) return null;
      return `expected ${values.map((x) => `"${x}"`).join(slot === 'enum' ? ' or ' : ', ')}`;
    }
  }
  return null;
}

export const valueInvalid: Rule = {
  code: 'value-invalid',
  defaultSeverity: 'error',
  description: 'A flag that is not on/off, a malformed time or size, or a value outside the allowed set.',
  check(rc) {
    for (const { d, spec } of analyze(rc).checked) {
      if (!spec || !spec.slot || d.args.length === 0) continue;
      if (spec.block !== (d.terminator === '{') || !argsOk(spec.args, d.args.length)) continue;
      const slot = spec.slot;
      if (slot === 'str' || slot === 'str_array' || slot === 'keyval' || slot === 'path' || slot === 'access') continue;
      const count = slot === 'bitmask' ? d.args.length : slot === 'bufs' ? Math.min(2, d.args.length) : 1;
      for (let i = 0; i < count; i++) {
        const w = d.args[i];
        const problem = valueProblem(slot, spec.values, w, i);
        if (problem) {
          rc.report({ message: `invalid value "${w.value}" in "${d.name}" directive: ${problem}`, start: w.start, end: w.end });
        }
      }
    }
  },
};

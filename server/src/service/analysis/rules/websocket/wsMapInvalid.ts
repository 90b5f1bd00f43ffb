/** ws-map-invalid: the `$connection_upgrade` map does not map '' to close and everything else to upgrade. */
import type { Directive } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { fileIndex, fix, indentUnit, innerIndent } from './common';

/** What is wrong with a `$connection_upgrade` map, or null when it is right. */
export function mapProblems(map: Directive): string[] {
  const problems: string[] = [];
  if (map.args[0]?.value !== '$http_upgrade') problems.push(`it maps ${map.args[0]?.raw ?? 'nothing'} instead of $http_upgrade`);
  const entries = (map.block?.children ?? []).filter((s): s is Directive => s.kind === 'directive');
  const def = entries.find((e) => e.name === 'default');
  const empty = entries.find((e) => e.name === '' && e.nameWord.quote !== null);
  if (!def) problems.push('it has no "default upgrade" (requests with an Upgrade header get an empty Connection header)');
  else if (def.args[0]?.value !== 'upgrade') problems.push(`default maps to "${def.args[0]?.value ?? ''}" instead of upgrade`);
  if (!empty) problems.push("it has no \"'' close\" entry (plain requests are sent \"Connection: upgrade\")");
  else if (!['close', ''].includes(empty.args[0]?.value ?? 'x')) problems.push(`'' maps to "${empty.args[0]?.value}" instead of close`);
  for (const e of entries) {
    if (e === def || e === empty) continue;
    if (['hostnames', 'volatile'].includes(e.name) && !e.args.length) continue;
    const v = e.args[0]?.value ?? '';
    if (v !== 'upgrade') problems.push(`${e.nameWord.raw} maps to "${v}" (only upgrade, or close for '', make sense)`);
  }
  return problems;
}

export const wsMapInvalid: Rule = {
  code: 'ws-map-invalid',
  defaultSeverity: 'warning',
  description: "The $connection_upgrade map lacks default upgrade or '' close, or maps to other values",
  check(ctx) {
    // the file's `map … $connection_upgrade` blocks (entries excluded), in source order
    for (const map of fileIndex(ctx.source.file).maps) {
      const problems = mapProblems(map);
      if (!problems.length) continue;
      ctx.report({
        message: `The map for $connection_upgrade is not the WebSocket map: ${problems.join('; ')}. It should read: map $http_upgrade $connection_upgrade { default upgrade; '' close; }`,
        start: map.nameWord.start,
        end: map.args[map.args.length - 1].end,
        fixes: () => {
          const source = ctx.source;
          const text = source.file.text;
          const b = map.block!;
          if (b.close < 0) return [];
          const indent = innerIndent(source, map);
          const outer = indent.slice(0, Math.max(0, indent.length - indentUnit(source.file).length));
          const entries = b.children.filter((s): s is Directive => s.kind === 'directive');
          const empty = entries.find((e) => e.name === '' && e.nameWord.quote !== null);
          const emptyValue = empty && empty.args[0]?.value === '' ? '""' : 'close';
          // keep comments (own-line and trailing) and the hostnames/volatile flags
          const lines: string[] = [];
          for (const s of b.children) {
            if (s.kind === 'comment') lines.push(text.slice(s.start, s.end));
            else if (['hostnames', 'volatile'].includes(s.name) && !s.args.length) lines.push(text.slice(s.start, s.end));
            else if (s.trailingComment) lines.push(text.slice(s.trailingComment.start, s.trailingComment.end));
          }
          lines.push('default upgrade;', `''      ${emptyValue};`);
          const edits = [{ source, start: b.open + 1, end: b.close, newText: lines.map((l) => '\n' + indent + l).join('') + '\n' + outer }];
          if (map.args[0].value !== '$http_upgrade') edits.push({ source, start: map.args[0].start, end: map.args[0].end, newText: '$http_upgrade' });
          return fix("Rewrite the map: default upgrade; '' close;", edits);
        },
      });
    }
  },
};

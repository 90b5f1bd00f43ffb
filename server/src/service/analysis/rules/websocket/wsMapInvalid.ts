/** ws-map-invalid: the `$connection_upgrade` map does not map '' to close and everything else to upgrade. */
import type { Directive, ParsedFile } from '../../../syntax/tree';
import type { ConfigView, Rule } from '../../types';
import { fileIndex, fix, indentUnit, innerIndent, mapEmptyValue, mapTable, MAP_VAR } from './common';
import { evaluateMap, hasToken, PLAIN_REQUEST, UPGRADE_REQUEST } from './model';

/**
 * What is wrong with a WebSocket map, judged by its effect (see model.ts): a handshake must get a
 * Connection value with the `upgrade` token, a plain request (no Upgrade header) must not. Keys are
 * matched as nginx does, so `websocket upgrade; default close;` is right, and a map without `''`
 * sends "Connection: upgrade" on plain requests through its default. Unknown (variables): no problem.
 */
export function mapProblems(view: ConfigView, map: Directive): string[] {
  const problems: string[] = [];
  const maps = mapTable(view);
  for (const upgrade of ['websocket', 'WebSocket']) {
    const v = evaluateMap(view, maps, map, { ...UPGRADE_REQUEST, upgrade });
    if (v !== undefined && !hasToken(v, 'upgrade')) {
      problems.push(`a handshake ("Upgrade: ${upgrade}") is sent ${v ? `"Connection: ${v}"` : 'no Connection header'}, so the backend refuses it`);
      break;
    }
  }
  const plain = evaluateMap(view, maps, map, PLAIN_REQUEST);
  if (plain !== undefined && hasToken(plain, 'upgrade')) {
    const hasEmpty = (map.block?.children ?? []).some((e) => e.kind === 'directive' && e.name === '' && e.nameWord.quote !== null);
    problems.push(`plain requests (no Upgrade header) are sent "Connection: ${plain}"${hasEmpty ? '' : " because '' falls back to the default"}, which asks backends to switch protocols and defeats keepalive`);
  }
  return problems;
}

/** The maps of a file the rule judges: those defining $connection_upgrade, and any map of $http_upgrade. */
function wsMaps(file: ParsedFile): Directive[] {
  return fileIndex(file).allMaps.filter((m) => m.argValue(1) === MAP_VAR || m.argValue(0) === '$http_upgrade');
}

export const wsMapInvalid: Rule = {
  code: 'ws-map-invalid',
  defaultSeverity: 'warning',
  description: 'A $connection_upgrade (or $http_upgrade) map that does not send Connection: upgrade on handshakes, or sends it on plain requests',
  check(ctx) {
    // the file's `map … $connection_upgrade` blocks (entries excluded), in source order
    for (const map of wsMaps(ctx.source.file)) {
      const problems = mapProblems(ctx.view, map);
      if (!problems.length) continue;
      ctx.report({
        message: `This map for ${map.argValue(1)} gets WebSocket proxying wrong: ${problems.join('; ')}. It should read: map $http_upgrade ${map.argValue(1)} { default upgrade; '' close; } ('' "" instead of close where upstream keepalive is wanted).`,
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
          const emptyValue = empty && empty.args[0]?.value === '' ? '""' : mapEmptyValue(ctx.view, ctx.settings);
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
          return fix(`Rewrite the map: default upgrade; '' ${emptyValue};`, edits);
        },
      });
    }
  },
};

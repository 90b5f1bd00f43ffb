/** ws-map-invalid: the `$connection_upgrade` map does not map '' to close and everything else to upgrade. */
import type { Directive, ParsedFile } from '../../../syntax/tree';
import type { ConfigView, Fix, Rule, RuleContext } from '../../types';
import { fix, indentUnit, innerIndent } from '../../edits';
import { fileIndex, mapEmptyValue, mapTable, MAP_VAR, wsFacts, groupOf } from '../../proxy';
import { placeFor, related } from '../../report';
import { evaluateMap, hasToken, PLAIN_REQUEST, UPGRADE_REQUEST } from '../../upgradeModel';

/**
 * What is wrong with a WebSocket map, judged by its effect (see analysis/upgradeModel.ts): a handshake must get a
 * Connection value with the `upgrade` token, a plain request (no Upgrade header) must not. Keys are
 * matched as nginx does, so `websocket upgrade; default close;` is right, and a map without `''`
 * sends "Connection: upgrade" on plain requests through its default. Unknown (variables): no problem.
 *
 * A handshake problem is reported on the map (it breaks every location that uses it). The plain-request
 * problem is reported on each proxying block that really sends the map's value (a block whose headers
 * are hidden by an inner level never does), with the same fix.
 */
export function mapProblems(view: ConfigView, map: Directive): { handshake: string | null; plain: string | null } {
  const problems: { handshake: string | null; plain: string | null } = { handshake: null, plain: null };
  const maps = mapTable(view);
  for (const upgrade of ['websocket', 'WebSocket']) {
    const v = evaluateMap(view, maps, map, { ...UPGRADE_REQUEST, upgrade });
    if (v !== undefined && !hasToken(v, 'upgrade')) {
      problems.handshake = `a handshake ("Upgrade: ${upgrade}") is sent ${v ? `"Connection: ${v}"` : 'no Connection header'}, so the backend refuses it`;
      break;
    }
  }
  const plain = evaluateMap(view, maps, map, PLAIN_REQUEST);
  if (plain !== undefined && hasToken(plain, 'upgrade')) {
    const hasEmpty = (map.block?.children ?? []).some((e) => e.kind === 'directive' && e.name === '' && e.nameWord.quote !== null);
    problems.plain = `plain requests (no Upgrade header) are sent "Connection: ${plain}"${hasEmpty ? '' : " because '' falls back to the default"}, which asks backends to switch protocols and defeats keepalive`;
  }
  return problems;
}

/** The maps of a file the rule judges: those defining $connection_upgrade, and any map of $http_upgrade. */
function wsMaps(file: ParsedFile): Directive[] {
  return fileIndex(file).allMaps.filter((m) => m.argValue(1) === MAP_VAR || m.argValue(0) === '$http_upgrade');
}

export const wsMapInvalid: Rule = {
  code: 'ws-map-invalid',
  family: 'websocket',
  reach: 'server',
  fixAll: true,
  defaultSeverity: 'warning',
  description: 'A $connection_upgrade (or $http_upgrade) map that does not send Connection: upgrade on handshakes, or sends it on plain requests',
  check(ctx) {
    // the file's WebSocket maps (entries excluded), in source order
    for (const map of wsMaps(ctx.source.file)) {
      const { handshake, plain } = mapProblems(ctx.view, map);
      if (!handshake) continue;
      ctx.report({
        message: `This map for ${map.argValue(1)} gets WebSocket proxying wrong: ${[handshake, plain].filter(Boolean).join('; ')}. It should read: map $http_upgrade ${map.argValue(1)} { default upgrade; '' close; } ('' "" instead of close where upstream keepalive is wanted).`,
        start: map.nameWord.start,
        end: map.args[map.args.length - 1].end,
        fixes: () => rewriteFix(ctx, map),
      });
    }
    for (const f of wsFacts(ctx)) {
      const c = f.connection;
      if (!c || !hasToken(f.plainRequest.connection, 'upgrade')) continue;
      let map: Directive | undefined;
      for (const m of c.value.matchAll(VAR_RE)) map ??= mapTable(ctx.view).get(m[1].toLowerCase());
      if (!map) continue; // a literal: ws-connection-hardcoded
      const { handshake, plain } = mapProblems(ctx.view, map);
      if (!plain || handshake) continue;
      const at = placeFor(ctx, f.target, c.directive);
      ctx.report({
        message: `Plain requests through this proxy are sent "Connection: ${f.plainRequest.connection}": ${plain.replace(/^plain requests \(no Upgrade header\) are sent "Connection: [^"]*"\s*/, 'the map for ' + map.argValue(1) + ' gives it to requests without an Upgrade header ')}. Map '' to close (or to "" where upstream keepalive is wanted).`,
        start: at.start,
        end: at.end,
        group: groupOf(f.target),
        related: related(ctx.view, map, `the map for ${map.argValue(1)}`),
        fixes: () => rewriteFix(ctx, map!),
      });
    }
  },
};

const VAR_RE = /\$\{?([A-Za-z0-9_]+)/g;

/** Rewrites a map's body to `default upgrade; '' close|"";`, keeping comments and flags (in the map's own file). */
function rewriteFix(ctx: RuleContext, map: Directive): Fix[] {
  const source = ctx.view.sourceOf(map);
  if (!source) return [];
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
}

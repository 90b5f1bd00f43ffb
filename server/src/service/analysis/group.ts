/**
 * Several findings about one block, shown as one diagnostic.
 *
 * A broken WebSocket location has up to a handful of findings (no Upgrade header, HTTP/1.0, the
 * timeouts, …): as separate squiggles they bury the one that matters, and on a large file they
 * exhaust the editor's markers (VS Code shows at most 1,000 per file). Rules mark such findings with
 * a `group` (the block's opening and a topic); here the findings of one group become one:
 *
 * - severity: the most severe member's (after the user's `nginx.rules` severities), and its code,
 *   so the code's page, its severity setting and `# nginx-disable-next-line <code>` keep meaning
 *   what they meant (ties: the order of the rules, the handshake breakers first);
 * - range: the group's (the block's opening line);
 * - message: "This location has N WebSocket problems:" and one line per member (its first sentence);
 * - related information: each member at its own place with its whole message, then the members'
 *   own related places;
 * - fixes: the members' fixes (the language service adds one fix-all for the block in front).
 *
 * A group with one member is that finding, unchanged. Members that a `nginx.rules` "off" or a
 * disable comment removed (validate.ts; a comment on the group's line covers the whole block) are
 * not part of it. Past `budget` (200) diagnostics of one topic in a file, the rest are folded into one
 * more diagnostic that lists them as related information, so a topic can never crowd the others
 * out of a file's markers.
 *
 * The CLI lists every finding on its own line (what CI counts); only the editor's diagnostics are
 * grouped.
 */
import type { SeverityName } from '../settings';
import { firstSentence } from './message';
import type { Finding, Fix, SourceFile } from './types';
import type { ResolvedFinding } from './validate';

export interface ShownFinding extends ResolvedFinding {
  /** the findings this diagnostic stands for, most severe first (only on a group of two or more) */
  members?: ResolvedFinding[];
  /** what fixing this diagnostic as a whole means: its block (a group), or the whole file (the diagnostics past the budget) */
  scope?: 'block' | 'file';
}

const RANK: Record<SeverityName, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Diagnostics of one topic kept per file before the rest are folded into one (see the module comment). */
export const GROUP_BUDGET = 200;

/**
 * The findings of `list` with each group of two or more merged into one diagnostic, in the order of
 * `list` (a group takes the place of its first member). `order` ranks codes for ties of severity
 * (the rules' order); `source` is the analysed file (for the members' related places).
 */
export function groupFindings(list: ResolvedFinding[], source: SourceFile, order: (code: string) => number, budget = GROUP_BUDGET): ShownFinding[] {
  if (!list.some((f) => f.group)) return list;
  const groups = new Map<string, ResolvedFinding[]>();
  const slots: (ResolvedFinding | string)[] = [];
  for (const f of list) {
    if (!f.group) { slots.push(f); continue; }
    const key = `${f.group.topic}\u0000${f.group.start}\u0000${f.group.end}`;
    const members = groups.get(key);
    if (members) members.push(f);
    else { groups.set(key, [f]); slots.push(key); }
  }
  const out: ShownFinding[] = [];
  const perTopic = new Map<string, number>();
  const overflow = new Map<string, ShownFinding[]>();
  for (const slot of slots) {
    if (typeof slot !== 'string') { out.push(slot); continue; }
    const members = groups.get(slot)!;
    const shown = members.length === 1 ? members[0] : merge(members, source, order);
    const topic = members[0].group!.topic;
    const n = (perTopic.get(topic) ?? 0) + 1;
    perTopic.set(topic, n);
    if (n <= budget) out.push(shown);
    else (overflow.get(topic) ?? overflow.set(topic, []).get(topic)!).push(shown);
  }
  for (const [topic, rest] of overflow) out.push(fold(topic, rest, source, order, budget));
  return out;
}

function byImpact(order: (code: string) => number) {
  return (a: ResolvedFinding, b: ResolvedFinding) => RANK[a.severity] - RANK[b.severity] || order(a.code) - order(b.code) || a.start - b.start;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function merge(list: ResolvedFinding[], source: SourceFile, order: (code: string) => number): ShownFinding {
  const members = [...list].sort(byImpact(order));
  const worst = members[0];
  const g = worst.group!;
  const related: NonNullable<Finding['related']> = [];
  for (const m of members) related.push({ source, start: m.start, end: m.end, message: `${m.code} (${m.severity}): ${m.message}` });
  // a member's own related place that is where a member is reported ("Connection is set here" on the line reported) says nothing new
  const reported = (r: { source: SourceFile; start: number }) => r.source.uri === source.uri && members.some((m) => m.start === r.start);
  for (const m of members) for (const r of m.related ?? []) if (!reported(r)) related.push({ ...r, message: `${m.code}: ${r.message}` });
  const withFixes = members.filter((m) => m.fixes);
  return {
    code: worst.code,
    severity: worst.severity,
    start: g.start,
    end: g.end,
    message: `This ${g.subject} has ${plural(members.length, `${g.topic} problem`)}:\n`
      + members.map((m) => `- ${m.code} (${m.severity}): ${firstSentence(m.message)}`).join('\n'),
    related,
    group: g,
    members,
    scope: 'block',
    fixes: withFixes.length ? () => memberFixes(withFixes) : undefined,
  };
}

/** Each member's fixes, none preferred: the block's fix-all is the one to apply automatically. */
function memberFixes(members: ResolvedFinding[]): Fix[] {
  const out: Fix[] = [];
  const titles = new Set<string>();
  for (const m of members) {
    let fixes: Fix[] = [];
    try { fixes = m.fixes!(); } catch { fixes = []; }
    for (const f of fixes) {
      if (titles.has(f.title)) continue;
      titles.add(f.title);
      out.push({ ...f, isPreferred: false });
    }
  }
  return out;
}

/** The diagnostics of a topic past the budget, as one: on the first of them, listing each. */
function fold(topic: string, rest: ShownFinding[], source: SourceFile, order: (code: string) => number, budget: number): ShownFinding {
  const worst = [...rest].sort(byImpact(order))[0];
  const first = rest.reduce((a, b) => (b.start < a.start ? b : a));
  const blocks = rest.reduce((n, f) => n + (f.members ? 1 : 0), 0);
  return {
    code: worst.code,
    severity: worst.severity,
    start: first.start,
    end: first.end,
    message: `${plural(rest.length, `more ${topic} diagnostic`)} in this file (at most ${budget} are shown one by one): they are listed below. "Fix all ${topic} issues in this file" fixes them together.`
      + (blocks ? ` ${blocks} of them ${blocks === 1 ? 'stands' : 'stand'} for several problems of one block.` : ''),
    related: rest.map((f) => ({ source, start: f.start, end: f.end, message: `${f.code} (${f.severity}): ${firstSentence(f.message)}` })),
    group: first.group,
    scope: 'file',
  };
}

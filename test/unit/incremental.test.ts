/**
 * Incremental validation (analysis/incremental.ts): after an edit inside one server block, the rules
 * that declare a reach (`Rule.reach`) find again only the findings of that server, over a compact
 * copy with the other servers reduced to skeletons, and the others are carried over. Two properties
 * hold it to full validation:
 * - reach: every rule's declaration holds (localityBreaks below) over the real configurations of
 *   ../shared/corpus and ../shared/corpus-nginx-tests, servers of different files mixed, and the
 *   generated configurations of test/incrementalGen.ts;
 * - equivalence: over random edits (typing, deleting, pasting directives, inside and outside
 *   servers, broken syntax and its repair), the findings of a language service that validates
 *   incrementally equal those of a fresh service validating the whole text, fixes included, and
 *   most analyses take the incremental path.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { adoptFinding, compactFile, serverOf, topServers, type Across } from '../../server/src/service/analysis/incremental';
import { includesOf } from '../../server/src/service/syntax/query';
import type { Rule } from '../../server/src/service/analysis/types';
import { configRules } from '../../server/src/service/analysis/registry';
import type { ResolvedFinding } from '../../server/src/service/analysis/validate';
import { validateFile } from '../../server/src/service/analysis/validate';
import { contextPath, SingleFileView } from '../../server/src/service/analysis/view';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { parse } from '../../server/src/service/syntax/parser';
import { mulberry32 } from '../fuzz/fuzzCore';
import { edit, generated } from '../incrementalGen';
import { corpusDir, readNginxTestsOracle, readOracle } from '../oracle/corpus';

const settings = resolveSettings({ version: '1.26' });
const key = (f: ResolvedFinding) =>
  JSON.stringify([f.code, f.start, f.end, f.message, f.severity, (f.related ?? []).map((r) => [r.source.uri, r.start, r.end, r.message]), f.group ? [f.group.start, f.group.end, f.group.topic, f.group.subject] : null, !!f.unnecessary, !!f.deprecated]);

/** Some server of the file includes files (incremental validation does not reduce such servers). */
const serverIncludes = (file: ReturnType<typeof parse>, servers = topServers(file)) => includesOf(file).some((d) => serverOf(servers, d.start) >= 0);

function rows(): { text: string; context: string; name: string }[] {
  const out: { text: string; context: string; name: string }[] = [];
  for (const row of [...(readOracle() ?? []), ...(readNginxTestsOracle() ?? [])]) out.push({ text: fs.readFileSync(path.join(row.dir, row.file), 'utf8'), context: row.context, name: row.file });
  return out;
}

const reaching = configRules.filter((r) => r.reach);
const acrossOf = (r: Rule): Across => (r.reach && r.reach !== 'server' ? r.reach.across : () => false);
/** Every rule's `across` at once: the most an incremental run keeps of the other servers. */
const union: Across = (d, t) => reaching.some((r) => acrossOf(r)(d, t));

/**
 * Where the rules marked with a reach break it in `text`, described: for each server k (up to
 * `maxServers`), (a) its findings over the whole file are its findings over the file with the other
 * servers reduced to what `across` accepts (every rule's at once, and the rule's own), and so are
 * the findings outside servers; (b) for a rule with `across`, the findings outside k do not change
 * when k itself is reduced to its skeleton, nor (`only`) those in k.
 */
function localityBreaks(text: string, context: string, rules: Rule[] = reaching, maxServers = 12): string[] {
  const file = parse(text);
  const servers = topServers(file);
  if (servers.length < 2 || serverIncludes(file, servers) || file.errors.length) return [];
  const out: string[] = [];
  const real = { uri: 'file:///c.conf', file };
  const run = (f: typeof file, rule: Rule) => {
    const source = { uri: 'file:///c.conf', file: f };
    return { source, list: validateFile(f, [new SingleFileView(source, contextPath(context))], settings, [rule]).filter((x) => !f.errors.some((e) => e.start === x.start && e.message === x.message)) };
  };
  const group = (list: ResolvedFinding[]) => {
    const by = new Map<number, string[]>();
    for (const f of list) {
      const i = serverOf(servers, f.start);
      if (!by.has(i)) by.set(i, []);
      by.get(i)!.push(key(f));
    }
    return (i: number) => (by.get(i) ?? []).sort().join('\n');
  };
  const compactRun = (rule: Rule, whole: (i: number) => boolean, keep: Across) => {
    const c = compactFile(text, servers, whole, keep)!;
    const r = run(parse(c.text), rule);
    return group(r.list.map((f) => adoptFinding(f, c, r.source, real, undefined)));
  };
  for (const rule of rules) {
    const full = group(run(file, rule).list);
    const only = rule.reach !== 'server' && !!rule.reach?.only;
    for (let k = 0; k < servers.length && k < maxServers; k++) {
      // (a) is what the incremental run relies on for all but `only` rules (never run on a compact copy)
      for (const [what, keep] of only ? [] : [['every rule\'s', union], ['its own', acrossOf(rule)]] as const) {
        const alone = compactRun(rule, (i) => i === k, keep);
        if (full(k) !== alone(k)) out.push(`${rule.code}, server ${k}: whole file [${full(k)}], other servers reduced to ${what} across [${alone(k)}]`);
        else if (full(-1) !== alone(-1)) out.push(`${rule.code}, outside servers, server ${k} whole, others reduced to ${what} across: [${full(-1)}] vs [${alone(-1)}]`);
      }
      if (rule.reach !== 'server') {
        const reduced = compactRun(rule, (i) => i !== k, acrossOf(rule));
        for (let i = -1; i < servers.length; i++) {
          // an `only` rule's findings in k itself stay too (they lie on the directives kept)
          if ((i !== k || only) && full(i) !== reduced(i)) { out.push(`${rule.code}, server ${k} reduced to its across changes ${i < 0 ? 'the findings outside servers' : `server ${i}`}: [${full(i)}] vs [${reduced(i)}]`); break; }
        }
      }
    }
  }
  return out;
}

describe('incremental validation: the reach of the rules that declare one', () => {
  test('generated configurations', () => {
    const breaks: string[] = [];
    for (let seed = 1; seed <= 12; seed++) breaks.push(...localityBreaks(generated(8, seed), 'main').map((b) => `seed ${seed}: ${b}`));
    assert.deepEqual(breaks.slice(0, 5), []);
  });

  const corpus = rows();
  test('real configurations and servers of different files mixed', { skip: corpus.length ? false : `no corpus in ${corpusDir}` }, () => {
    const breaks: string[] = [];
    let checked = 0;
    for (const r of corpus) {
      const b = localityBreaks(r.text, r.context);
      if (topServers(parse(r.text)).length >= 2) checked++;
      breaks.push(...b.map((x) => `${r.name}: ${x}`));
    }
    // servers of different files in one http block: interactions the files do not have alone
    const pool: string[] = [];
    const shells: { text: string; at: number; context: string }[] = [];
    for (const r of corpus) {
      const file = parse(r.text);
      if (file.errors.length) continue;
      const ss = topServers(file).filter((s) => s.parent?.name === 'http' && !includesOf(file).some((d) => d.start >= s.start && d.start < s.end));
      if (!ss.length) continue;
      for (const s of ss) pool.push(r.text.slice(s.start, s.end));
      let t = r.text;
      for (const s of [...ss].reverse()) t = t.slice(0, s.start) + t.slice(s.end);
      shells.push({ text: t, at: ss[0].start, context: r.context });
    }
    const rnd = mulberry32(20261203);
    for (let c = 0; c < 150; c++) {
      const sh = shells[Math.floor(rnd() * shells.length)];
      const picked = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pool[Math.floor(rnd() * pool.length)]);
      const text = sh.text.slice(0, sh.at) + picked.join('\n') + sh.text.slice(sh.at);
      breaks.push(...localityBreaks(text, sh.context).map((x) => `mix ${c}: ${x}`));
    }
    assert.ok(checked > 200, `only ${checked} corpus files with two servers or more`);
    assert.deepEqual(breaks.slice(0, 5), []);
  });
});

describe('incremental validation equals validating the whole file', () => {
  const fixesOf = (f: ResolvedFinding) => JSON.stringify((f.fixes?.() ?? []).map((x) => [x.title, x.edits.map((e) => [e.source.uri, e.start, e.end, e.newText])]));

  function check(base: string, edits: number, seed: number, withFixes: boolean): { incremental: number; prepared: number } {
    const rnd = mulberry32(seed);
    const uri = 'file:///etc/nginx/nginx.conf';
    const ls = getLanguageService();
    ls.configure(settings);
    let text = base;
    ls.openDocument(uri, text, 1);
    ls.findingsFor(uri);
    // the worker prepares the next keystroke's compact copies in idle time (prepareIncremental):
    // sometimes, from a generator of its own so the edits stay those of the seed
    const prep = mulberry32(seed + 7);
    if (prep() < 0.7) ls.prepareIncremental(uri);
    let clean = base;
    for (let v = 2; v < edits + 2; v++) {
      // a user fixes a typo soon: after an edit that broke the syntax, often go back to the last clean text
      text = text !== clean && rnd() < 0.6 ? clean : edit(text, rnd);
      if (!parse(text).errors.length) clean = text;
      ls.openDocument(uri, text, v);
      const got = ls.findingsFor(uri);
      if (prep() < 0.3) ls.prepareIncremental(uri);
      const fresh = getLanguageService();
      fresh.configure(settings);
      fresh.openDocument(uri, text, v);
      const want = fresh.findingsFor(uri);
      assert.deepEqual(got.map(key), want.map(key), `edit ${v - 1} (seed ${seed})`);
      assert.deepEqual(ls.shownFindings(uri).map((f) => [f.code, f.start, f.end, f.message]), fresh.shownFindings(uri).map((f) => [f.code, f.start, f.end, f.message]), `shown, edit ${v - 1} (seed ${seed})`);
      if (withFixes) for (let i = 0; i < got.length; i++) assert.equal(fixesOf(got[i]), fixesOf(want[i]), `fixes of ${got[i].code} at ${got[i].start}, edit ${v - 1} (seed ${seed})`);
    }
    return { incremental: ls.validationCounts.incremental, prepared: ls.validationCounts.prepared };
  }

  test('random edits of generated configurations, fixes included', () => {
    let incremental = 0, prepared = 0;
    const seeds = Number(process.env.NGINX_INCREMENTAL_SEEDS ?? 8);
    for (let seed = 1; seed <= seeds; seed++) {
      const r = check(generated(10, seed), 60, seed, true);
      incremental += r.incremental;
      prepared += r.prepared;
    }
    // most edits stay inside one server: the incremental path must be the one taken
    assert.ok(incremental > seeds * 60 * 0.5, `only ${incremental} of ${seeds * 60} analyses were incremental`);
    // and prepared copies were used by some (prepared only after whole validations)
    assert.ok(prepared >= seeds / 2, `prepared only ${prepared} times`);
  });

  const multi = rows().filter((r) => {
    const f = parse(r.text);
    return !f.errors.length && topServers(f).length >= 3 && !serverIncludes(f);
  });
  test('random edits of real configurations', { skip: multi.length ? false : `no corpus in ${corpusDir}` }, () => {
    let incremental = 0;
    const files = multi.slice(0, 60);
    files.forEach((r, i) => { incremental += check(r.text, 15, 1000 + i, i % 4 === 0).incremental; });
    assert.ok(incremental > files.length * 15 * 0.4, `only ${incremental} of ${files.length * 15} analyses were incremental`);
  });
});

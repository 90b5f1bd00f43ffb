/**
 * Mutation fuzzing of the parser and the language service. A fixed seed makes every run
 * reproducible: a failure prints the seed and case number, and `npm run fuzz -- --seed S --from N`
 * replays it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../server/src/service/syntax/parser';
import { print, checkTree } from '../../server/src/service/syntax/printer';
import { LanguageService } from '../../server/src/service/languageService';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = ['{', '}', ';', '"', "'", '#', '$', '\\', '\n', ' ', '${', '(', ')', '_by_lua_block {', 'map $a $b {'];

/** Corpus files (or built-in samples when the corpus is absent). */
export function loadSeeds(corpusDir: string | null): string[] {
  const out: string[] = [];
  if (corpusDir) {
    const walk = (d: string) => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) { if (n !== 'tools') walk(p); continue; }
        if (/\.(tsv|sh|md)$/.test(n)) continue;
        const t = readFileSync(p, 'utf8');
        if (t.length < 200_000) out.push(t);
      }
    };
    walk(corpusDir);
  }
  if (!out.length) {
    out.push(
      'events {}\nhttp {\n  map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }\n  server {\n    listen 80;\n    location /ws { proxy_pass http://b; proxy_set_header Upgrade $http_upgrade; }\n  }\n}\n',
      'content_by_lua_block { local t = {"}"} -- }\n }\nif ($a ~* "^x{2}$") { return 403; }\n',
    );
  }
  return out;
}

/** Tokens repeated thousands of times by the hostile mutator (each a separate error or statement). */
const HOSTILE_TOKENS = [';', '{', '}', 'a ', 'a;', '"', '#\n', '\\', 'include x;', 'location / {}'];

export function mutate(text: string, rnd: () => number): string {
  let t = text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (t.length + 1));
    const op = rnd();
    if (op >= 0.97) {
      // hostile depth: 50-300 nested blocks (past the parser's MAX_NESTING), closed or not
      const k = 50 + Math.floor(rnd() * 250);
      const open = rnd() < 0.5 ? 'location / {' : 'a{';
      t = t.slice(0, at) + open.repeat(k) + (rnd() < 0.7 ? '}'.repeat(k) : '') + t.slice(at);
    } else if (op >= 0.94) {
      // hostile token counts: 1,000-5,000 of one token
      const k = 1000 + Math.floor(rnd() * 4000);
      const tok = HOSTILE_TOKENS[Math.floor(rnd() * HOSTILE_TOKENS.length)];
      t = t.slice(0, at) + tok.repeat(k) + t.slice(at);
    } else if (op < 0.3 && t.length) {
      // delete a special character near `at` (or any character)
      let j = at;
      while (j < t.length && !'{};"\'#$\\'.includes(t[j])) j++;
      if (j >= t.length) j = Math.min(at, t.length - 1);
      t = t.slice(0, j) + t.slice(j + 1);
    } else if (op < 0.5 && t.length) {
      // duplicate a short span
      const len = 1 + Math.floor(rnd() * 12);
      t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
    } else {
      const s = SPECIALS[Math.floor(rnd() * SPECIALS.length)];
      t = t.slice(0, at) + s + t.slice(at);
    }
  }
  return t;
}

export interface FuzzResult {
  cases: number;
  failures: string[];
  maxParseMs: number;
  serviceCases: number;
  ms: number;
}

/** Runs `cases` mutations; every `serviceEvery`-th case also goes through the whole language service. */
export function fuzz(seeds: string[], cases: number, seed: number, serviceEvery = 10, from = 0): FuzzResult {
  const rnd = mulberry32(seed);
  const failures: string[] = [];
  let maxParseMs = 0;
  let serviceCases = 0;
  const t0 = performance.now();
  const service = new LanguageService();
  for (let i = 0; i < from + cases; i++) {
    const base = seeds[Math.floor(rnd() * seeds.length)];
    const text = mutate(base, rnd);
    if (i < from) continue;
    const where = `seed ${seed} case ${i}`;
    try {
      const s = performance.now();
      const f = parse(text);
      const ms = performance.now() - s;
      if (ms > maxParseMs) maxParseMs = ms;
      if (ms > 2000) failures.push(`${where}: parse took ${ms.toFixed(0)} ms (hang?)`);
      if (print(f) !== text) failures.push(`${where}: round trip differs`);
      const problems = checkTree(f);
      if (problems.length) failures.push(`${where}: ${problems[0]}`);
      if (i % serviceEvery === 0) {
        serviceCases++;
        const uri = `file:///fuzz/${i}.conf`;
        service.openDocument(uri, text, i);
        const lines = f.lineStarts.length;
        for (const d of service.validate(uri)) {
          const r = d.range;
          if (r.start.line < 0 || r.end.line >= lines || r.start.line > r.end.line) failures.push(`${where}: diagnostic range outside the document: ${JSON.stringify(r)} ${d.message}`);
          if (/internal error/.test(String(d.message))) failures.push(`${where}: ${d.message}`);
        }
        const pos = { line: Math.floor(rnd() * lines), character: Math.floor(rnd() * 40) };
        service.hover(uri, pos);
        service.complete(uri, pos);
        service.documentSymbols(uri);
        service.foldingRanges(uri);
        service.format(uri, { tabSize: 4, insertSpaces: true });
        service.codeActions(uri, { start: pos, end: pos }, [], undefined);
        service.closeDocument(uri);
      }
    } catch (err) {
      failures.push(`${where}: exception ${(err as Error)?.stack ?? err}`);
    }
    if (failures.length > 20) break;
  }
  return { cases, failures, maxParseMs, serviceCases, ms: performance.now() - t0 };
}

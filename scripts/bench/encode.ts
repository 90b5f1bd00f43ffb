// The stdio writer's encoding per keystroke on the 43k-line file (gen-big-conf 1000), in process: the
// outline, folding ranges and diagnostics-sized answers as JSON.stringify encodes them and as
// server/src/encodeCache.ts does once the previous keystroke's parts are remembered. Medians of 15.
//   npx tsx scripts/bench/encode.ts [big.conf]
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { getLanguageService } from '../../server/src/service/languageService';
import { AnswerReuse, encodeMessage } from '../../server/src/encodeCache';

const root = resolve(__dirname, '..', '..');
const file = process.argv[2];
const text = file ? readFileSync(file, 'utf8') : spawnSync(process.execPath, [resolve(root, '..', 'shared', 'tools', 'gen-big-conf.mjs'), '1000'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
const uri = 'file:///bench/nginx.conf';
const ls = getLanguageService();
const lines = text.split('\n');
const at = lines.findIndex((l, i) => i > lines.length / 2 && /^\s*location \/ \{/.test(l)) + 1;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const reuse = new AnswerReuse();
const plain: Record<string, number[]> = { documentSymbol: [], foldingRange: [] };
const cached: Record<string, number[]> = { documentSymbol: [], foldingRange: [] };
let same = true;
for (let k = 0; k < 16; k++) {
  const typed = 'proxy_read_timeout 3600s;'.slice(0, (k % 10) + 1);
  ls.openDocument(uri, [...lines.slice(0, at), `            ${typed}`, ...lines.slice(at)].join('\n'), k + 1);
  const answers = { documentSymbol: ls.documentSymbols(uri), foldingRange: reuse.reuse(`folding ${uri}`, ls.foldingRanges(uri)) };
  for (const [m, result] of Object.entries(answers)) {
    const msg = { jsonrpc: '2.0', id: k, result };
    let t = performance.now();
    const a = JSON.stringify(msg);
    const tPlain = performance.now() - t;
    t = performance.now();
    const b = encodeMessage(msg);
    const tCached = performance.now() - t;
    if (k === 0) continue; // the first keystroke has nothing remembered
    plain[m].push(tPlain);
    cached[m].push(tCached);
    if (a.length !== b.length) same = false;
  }
}
const out: Record<string, unknown> = { lines: lines.length, sameLength: same };
for (const m of Object.keys(plain)) out[m] = { jsonStringifyMs: Math.round(median(plain[m]) * 100) / 100, encodeCacheMs: Math.round(median(cached[m]) * 100) / 100 };
console.log(JSON.stringify(out));

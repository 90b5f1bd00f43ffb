import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fuzz, loadSeeds } from '../test/fuzz/fuzzCore';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const cases = opt('--cases', 100_000);
const seed = opt('--seed', 20261125);
const every = opt('--service-every', 100);
const from = opt('--from', 0);
const corpus = resolve(__dirname, '..', '..', 'shared', 'corpus');
const seeds = loadSeeds(existsSync(corpus) ? corpus : null);
const chunk = 50_000;
let done = 0, serviceCases = 0, maxParse = 0, failures: string[] = [];
const t0 = performance.now();
// chunks with derived seeds keep memory flat and report progress
while (done < cases && failures.length === 0) {
  const n = Math.min(chunk, cases - done);
  const r = fuzz(seeds, n, seed + done, every, from);
  done += n;
  serviceCases += r.serviceCases;
  maxParse = Math.max(maxParse, r.maxParseMs);
  failures = r.failures;
  process.stderr.write(`\rfuzz: ${done}/${cases} cases, ${Math.round((performance.now() - t0) / 1000)} s`);
}
process.stderr.write('\n');
console.log(JSON.stringify({ cases: done, serviceCases, seeds: seeds.length, failures: failures.length, slowestParseMs: Number(maxParse.toFixed(2)), seconds: Math.round((performance.now() - t0) / 100) / 10 }));
for (const f of failures) console.log(f);
process.exit(failures.length ? 1 : 0);

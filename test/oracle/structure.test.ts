/**
 * Differential test against real nginx, for each version the oracles recorded (see docs/oracle.md).
 *  1. Static: every file of ../shared/corpus and ../shared/corpus-nginx-tests, analysed in the
 *     context ORACLE.tsv says nginx checked it in, with `nginx.version` set to 1.22, 1.26 and 1.30,
 *     compared with that version's recorded verdict.
 *  2. Live: deterministic mutations of corpus files nginx accepts, checked now with the real
 *     `nginx -t` of each installed version (corpus/nginx-check.sh with NGINX_BIN, 2 at a time).
 * Verdict: any error-severity finding (structure rules, directive-removed or syntax) means "invalid".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  analyseText, corpusDir, nginxTestsDir, ORACLE_VERSIONS, oracleSettingsFor, readNginxTestsOracle, readOracle, verdict,
  type OracleRow, type OracleVersion, type Verdict,
} from './corpus';
import { mutate, prng, type Mutation } from './mutations';
import { nginxSkipReason, nginxVersion } from './nginxVersions';

const rows = readOracle();
const CHECK = path.join(corpusDir, 'nginx-check.sh');
const report: string[] = [];
// ~0.6 s per nginx -t in the sandbox, 2 at a time: 240 mutations + their bases stay under ~3 minutes per version
const SAMPLE = Number(process.env.ORACLE_MUTATIONS ?? 240);

function isEnv(v: Verdict): boolean {
  return v.cls === 'env' || v.cls === 'env-unrepaired';
}

const SETS: { name: string; dir: string; rows: OracleRow[] | null }[] = [
  { name: 'corpus', dir: corpusDir, rows },
  { name: 'corpus-nginx-tests', dir: nginxTestsDir, rows: readNginxTestsOracle() },
];

for (const set of SETS) {
  for (const version of ORACLE_VERSIONS) {
    describe(`oracle: ${set.name} verdicts of nginx ${version} (ORACLE.tsv)`, { skip: set.rows ? false : `no ORACLE.tsv in ${set.dir}` }, () => {
      const settings = oracleSettingsFor(version);
      const results = (set.rows ?? []).map((r) => {
        const text = fs.readFileSync(path.join(r.dir, r.file), 'utf8');
        const findings = analyseText(text, r.context, undefined, settings);
        return { r, t: r.verdicts[version], ours: verdict(findings), findings };
      });

      it('no error on any file real nginx accepts', () => {
        const fp = results.filter((x) => x.t.valid && !x.ours);
        assert.deepEqual(fp.map((x) => `${x.r.file}: ${x.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`).join('; ')}`), []);
      });

      it('agreement by class', () => {
        const byClass = new Map<string, { n: number; agree: number }>();
        for (const x of results) {
          const k = x.t.valid ? 'valid' : x.t.cls || 'invalid';
          const c = byClass.get(k) ?? { n: 0, agree: 0 };
          c.n++;
          if (x.ours === x.t.valid) c.agree++;
          byClass.set(k, c);
        }
        const all = results.filter((x) => x.ours === x.t.valid).length;
        const nonEnv = results.filter((x) => !isEnv(x.t));
        const agreeNonEnv = nonEnv.filter((x) => x.ours === x.t.valid).length;
        report.push(`static ${set.name} ${version}: ${all}/${results.length} agree (${((100 * all) / results.length).toFixed(1)}%); without env-only failures ${agreeNonEnv}/${nonEnv.length} (${((100 * agreeNonEnv) / nonEnv.length).toFixed(1)}%)`);
        for (const [k, c] of [...byClass].sort()) report.push(`  ${k}: ${c.agree}/${c.n}`);
        for (const x of results) if (x.ours !== x.t.valid && !isEnv(x.t)) report.push(`  disagree [${x.t.cls}] ${x.r.file}: ${x.t.message.replace(/ in \S+:\d+$/, '')}`);
        // every syntax, unknown-directive and not-allowed-here verdict is ours too
        for (const k of ['valid', 'syntax', 'unknown-directive', 'not-allowed-here']) {
          const c = byClass.get(k);
          if (c) assert.equal(c.agree, c.n, `class ${k}`);
        }
        // floor (measured 99.2% to 100% per set and version; the misses left are handler checks not
        // modelled, see docs/oracle.md)
        assert.ok(agreeNonEnv / nonEnv.length >= 0.99, `agreement ${agreeNonEnv}/${nonEnv.length}`);
      });
    });
  }
}

function nginxCheck(file: string, context: string, bin: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('bash', [CHECK, file], { env: { ...process.env, NGINX_CHECK_CONTEXTS: context, NGINX_BIN: bin }, timeout: 60_000 }, (err, stdout) => {
      resolve(!err && stdout.startsWith('VALID'));
    });
  });
}

async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]); }
  }));
  return out;
}

function liveSkip(version: OracleVersion): string | false {
  if (!rows) return `no corpus at ${corpusDir}`;
  return nginxSkipReason(nginxVersion(version));
}

for (const version of ORACLE_VERSIONS) {
  describe(`oracle: live nginx -t of ${version} on generated mutations`, { skip: liveSkip(version) }, () => {
    it('agrees with real nginx on mutations of accepted files', async () => {
      const bin = nginxVersion(version).bin;
      const settings = oracleSettingsFor(version);
      // bases: files this version accepted without any environment repair, in a known context
      const bases = rows!.filter((r) => r.verdicts[version].valid && r.notes === '' && ['main', 'http', 'server', 'location'].includes(r.context))
        .sort((a, b) => (a.file < b.file ? -1 : 1));
      const r = prng(20240601);
      const perBase = 7;
      const chosen: OracleRow[] = [];
      const pool0 = [...bases];
      while (chosen.length * perBase < SAMPLE * 1.3 && pool0.length) chosen.push(pool0.splice(Math.floor(r() * pool0.length), 1)[0]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-oracle-'));
      try {
        // the base itself must pass here (this machine may lack modules the oracle machine had)
        const baseOk = await pool(chosen, 2, async (b) => {
          const p = path.join(dir, `base-${chosen.indexOf(b)}.conf`);
          fs.copyFileSync(path.join(corpusDir, b.file), p);
          return nginxCheck(p, b.context, bin);
        });
        const cases: { base: OracleRow; m: Mutation; file: string }[] = [];
        chosen.forEach((b, i) => {
          if (!baseOk[i]) return;
          for (const m of mutate(fs.readFileSync(path.join(corpusDir, b.file), 'utf8'), r)) {
            const file = path.join(dir, `m-${cases.length}.conf`);
            fs.writeFileSync(file, m.text);
            cases.push({ base: b, m, file });
          }
        });
        const sample = cases.slice(0, SAMPLE);
        const live = await pool(sample, 2, (c) => nginxCheck(c.file, c.base.context, bin));
        let agree = 0;
        const falseErrors: string[] = [];
        const byKind = new Map<string, { n: number; agree: number; nginxInvalid: number }>();
        sample.forEach((c, i) => {
          const ours = verdict(analyseText(c.m.text, c.base.context, undefined, settings));
          const k = byKind.get(c.m.kind) ?? { n: 0, agree: 0, nginxInvalid: 0 };
          k.n++;
          if (!live[i]) k.nginxInvalid++;
          if (ours === live[i]) { agree++; k.agree++; }
          else {
            report.push(`  ${version} mutation disagree (${c.m.kind}: ${c.m.note}) nginx=${live[i] ? 'VALID' : 'INVALID'} in ${c.base.file}`);
            if (live[i]) falseErrors.push(`${c.m.kind}: ${c.m.note} (${c.base.file})`);
          }
          byKind.set(c.m.kind, k);
        });
        report.push(`live ${version}: ${agree}/${sample.length} mutations agree (${((100 * agree) / Math.max(1, sample.length)).toFixed(1)}%), ${chosen.length - baseOk.filter(Boolean).length} of ${chosen.length} bases dropped (rejected here)`);
        for (const [k, v] of [...byKind].sort()) report.push(`  ${k}: ${v.agree}/${v.n} (nginx rejected ${v.nginxInvalid})`);
        assert.ok(sample.length >= Math.min(100, SAMPLE), `only ${sample.length} mutations`);
        assert.deepEqual(falseErrors, [], 'error diagnostics on files real nginx accepts');
        // regression floor (measured 227/227 on 1.22 with the default sample, see docs/oracle.md)
        assert.ok(agree / sample.length >= 0.98, `live agreement ${agree}/${sample.length}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

process.on('exit', () => {
  if (report.length) console.log(`\n# oracle report\n${report.map((l) => `# ${l}`).join('\n')}`);
});

/**
 * Real nginx as the judge of the formatter: every corpus file that nginx 1.22.1 accepts
 * (ORACLE.tsv verdict VALID) is formatted and checked again with /work/shared/corpus/nginx-check.sh;
 * nginx must still accept it.
 *
 * - The corpus folder is copied to a temp dir and the files are formatted in place there, so each
 *   keeps its name and directory (the checker includes FILE from a wrapper next to it, and relative
 *   includes resolve against the same neighbours as when ORACLE.tsv was made).
 * - Option sets rotate deterministically by file index (sorted paths): 4 spaces; 2 spaces with map
 *   values aligned; tabs (tab size 8). All whitespace, all must keep the verdict.
 * - A file the formatter leaves byte-identical is not re-run (same bytes, same verdict) but counted.
 * - When a formatted file is rejected, the original is checked again in this environment: if nginx
 *   now rejects the original too, the environment drifted since ORACLE.tsv was made (e.g. a dynamic
 *   module that machine had and this one lacks; reported, not a formatter failure). Otherwise the
 *   formatted copy is checked once more (the checker's sandbox has been seen to fail transiently under
 *   load, e.g. a mkdir() under /var/run); rejected twice while the original passes = failure.
 * - Checks run two at a time. By default a deterministic sample is checked: every k-th VALID file
 *   in sorted order, k = ceil(580 / 300) = 2, i.e. 290 files, about 2 minutes on 2 cores (all 580
 *   took 4m20s on a loaded 2-core machine, over the ~4 minute budget). FORMAT_ORACLE_SAMPLE=all checks
 *   every file; FORMAT_ORACLE_SAMPLE=N checks every ceil(580/N)-th.
 *
 * Skipped when the corpus is absent, when not root (the checker needs unshare/overlayfs), or when
 * nginx is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatText, type FormatOptions } from '../../server/src/service/features/formatting';

const repoRoot = path.resolve(__dirname, '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');
const checker = path.join(corpus, 'nginx-check.sh');
const nginxBin = process.env.NGINX ?? '/usr/sbin/nginx';

const OPTION_SETS: FormatOptions[] = [
  { tabSize: 4, insertSpaces: true },
  { tabSize: 2, insertSpaces: true, alignMapValues: true },
  { tabSize: 8, insertSpaces: false },
];

function skipReason(): string | null {
  if (!existsSync(path.join(corpus, 'ORACLE.tsv')) || !existsSync(checker)) return `corpus not found at ${corpus}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'nginx-check.sh needs root (unshare, overlayfs)';
  if (!existsSync(nginxBin)) return `nginx not installed at ${nginxBin}`;
  return null;
}

function check(file: string): Promise<{ verdict: string; line: string }> {
  return new Promise((resolve) => {
    const p = spawn('bash', [checker, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', () => {});
    p.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      resolve({ verdict: line.split('\t')[0] || 'ERROR', line });
    });
  });
}

async function pool<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      await fn(items[k], k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** files checked by default: every 2nd VALID file (290 of 580), about 2 minutes on 2 cores */
const DEFAULT_SAMPLE = 300;
const reason = skipReason();

test('nginx -t accepts every formatted copy of a corpus file it accepted before', { skip: reason ?? false, timeout: 15 * 60_000 }, async (t) => {
  const valid: string[] = [];
  for (const row of readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').split('\n').slice(1)) {
    const c = row.split('\t');
    if (c[0] && c[1] === 'VALID') valid.push(c[0]);
  }
  valid.sort();
  const sampleEnv = process.env.FORMAT_ORACLE_SAMPLE ?? String(DEFAULT_SAMPLE);
  const sample = sampleEnv === 'all' ? 0 : Number(sampleEnv);
  const step = sample > 0 ? Math.max(1, Math.ceil(valid.length / sample)) : 1;
  const chosen = valid.filter((_, i) => i % step === 0);

  const tmp = mkdtempSync(path.join(tmpdir(), 'format-oracle-'));
  try {
    for (const d of readdirSync(corpus, { withFileTypes: true })) {
      if (d.isDirectory() && d.name !== 'tools') cpSync(path.join(corpus, d.name), path.join(tmp, d.name), { recursive: true });
    }
    const toCheck: string[] = [];
    let unchanged = 0;
    const notFormatted: string[] = [];
    chosen.forEach((rel, i) => {
      const file = path.join(tmp, rel);
      const before = readFileSync(file, 'utf8');
      const after = formatText(before, OPTION_SETS[i % OPTION_SETS.length]);
      if (after === null) { notFormatted.push(rel); return; }
      if (after === before) { unchanged++; return; }
      writeFileSync(file, after);
      toCheck.push(rel);
    });

    const failures: string[] = [];
    const drift: string[] = [];
    const flaky: string[] = [];
    const started = Date.now();
    await pool(toCheck, 2, async (rel) => {
      const r = await check(path.join(tmp, rel));
      if (r.verdict === 'VALID') return;
      const orig = await check(path.join(corpus, rel));
      if (orig.verdict !== 'VALID') { drift.push(`${rel}: ${orig.line}`); return; }
      // the original passes now: check the formatted copy once more before calling it a failure
      const again = await check(path.join(tmp, rel));
      if (again.verdict === 'VALID') flaky.push(`${rel}: first run ${r.line}`);
      else failures.push(`${rel}\n    formatted: ${again.line}`);
    });
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    t.diagnostic(`VALID in ORACLE.tsv: ${valid.length}; checked: ${chosen.length}${step > 1 ? ` (1 in ${step}, sorted)` : ''}; ` +
      `formatted and re-run through nginx -t: ${toCheck.length}; already formatted (identical bytes): ${unchanged}; ` +
      `not formatted (syntax errors): ${notFormatted.length}; still VALID: ${toCheck.length - failures.length - drift.length}; ` +
      `environment drift: ${drift.length}; passed on a second run: ${flaky.length}; ${secs}s`);
    for (const d of drift) t.diagnostic(`drift (original rejected now too): ${d}`);
    for (const d of flaky) t.diagnostic(`checker flake (VALID on the second run): ${d}`);
    assert.deepEqual(notFormatted, [], 'a file nginx accepts was refused by the formatter (parser reports a syntax error)');
    assert.deepEqual(failures, [], `nginx rejected formatted copies:\n${failures.join('\n')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

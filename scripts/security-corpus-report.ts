/**
 * Security rules over the real-config corpus (../shared/corpus): diagnostics per rule and severity,
 * the findings above hint on the files that already do WebSocket proxying right, and the error
 * findings on files real nginx accepts (ORACLE.tsv VALID).
 *
 *   node --import tsx scripts/security-corpus-report.ts [--list CODE] [--version 1.30]
 *
 * Each file is analysed on its own, in the context real nginx checked it in (as ws-corpus-report).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { securityRules } from '../server/src/service/analysis/rules/security/index';
import { validateFile } from '../server/src/service/analysis/validate';
import { contextPath, SingleFileView } from '../server/src/service/analysis/view';
import { resolveSettings } from '../server/src/service/settings';
import { parse } from '../server/src/service/syntax/parser';
import { positionAt } from '../server/src/service/syntax/positions';
import { CORPUS, corpusFiles, doesWebSocketRight } from './ws-corpus-report';

const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const settings = resolveSettings({ version: arg('--version') ?? '1.22' });
const list = arg('--list');
const valid = new Set<string>();
for (const line of readFileSync(join(CORPUS, 'ORACLE.tsv'), 'utf8').split('\n').slice(1)) {
  const [file, verdict] = line.split('\t');
  if (verdict === 'VALID') valid.add(file);
}
const counts = new Map<string, Record<string, number>>(securityRules.map((r) => [r.code, {}]));
const wsAbove: string[] = [];
const validErrors: string[] = [];
let files = 0;
for (const f of corpusFiles()) {
  files++;
  const text = readFileSync(f.path, 'utf8');
  const source = { uri: `corpus:///${f.rel}`, file: parse(text) };
  const view = new SingleFileView(source, f.context ? (f.context === 'main' ? [] : contextPath(f.context)) : undefined);
  const found = validateFile(source.file, [view], settings, securityRules).filter((x) => counts.has(x.code));
  const ws = doesWebSocketRight(text);
  for (const x of found) {
    const c = counts.get(x.code)!;
    c[x.severity] = (c[x.severity] ?? 0) + 1;
    const line = `${f.rel}:${positionAt(source.file, x.start).line + 1}: ${x.severity} ${x.code}: ${x.message}`;
    if (ws && x.severity !== 'hint') wsAbove.push(line);
    if (valid.has(f.rel) && x.severity === 'error') validErrors.push(line);
    if (list === x.code || list === 'all') console.log(line);
  }
}
console.log(`\n${files} corpus files, nginx.version ${settings.version}`);
console.log('| rule | error | warning | information | hint |\n|---|---:|---:|---:|---:|');
for (const [code, c] of counts) console.log(`| ${code} | ${c.error ?? 0} | ${c.warning ?? 0} | ${c.information ?? 0} | ${c.hint ?? 0} |`);
console.log(`\nabove hint on correct WebSocket files: ${wsAbove.length}`);
for (const l of wsAbove) console.log('  ' + l);
console.log(`\nerrors on nginx-valid files: ${validErrors.length}`);
for (const l of validErrors) console.log('  ' + l);

/**
 * The practice rules over the real-config corpus (../shared/corpus): findings per rule and
 * severity, the findings above hint on the files that already do WebSocket proxying right, and any
 * error-severity finding on a file real nginx accepts (ORACLE.tsv VALID) — there must
 * be none of either (test/oracle/practice-corpus.test.ts holds them and the counts).
 *
 *   node --import tsx scripts/practice-corpus-report.ts [--list CODE|all] [--version 1.30]
 *
 * Each file is analysed on its own, in the context real nginx checked it in (as ws-corpus-report).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { practiceRules } from '../server/src/service/analysis/rules/practice/index';
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
const counts = new Map<string, Record<string, number>>(practiceRules.map((r) => [r.code, {}]));
const filesWith = new Map<string, Set<string>>(practiceRules.map((r) => [r.code, new Set()]));
const validErrors: string[] = [];
const wsAbove: string[] = [];
let files = 0;
for (const f of corpusFiles()) {
  files++;
  const text = readFileSync(f.path, 'utf8');
  const source = { uri: `corpus:///${f.rel}`, file: parse(text) };
  const view = new SingleFileView(source, f.context ? (f.context === 'main' ? [] : contextPath(f.context)) : undefined);
  const ws = doesWebSocketRight(text);
  const found = validateFile(source.file, [view], settings, practiceRules).filter((x) => counts.has(x.code));
  for (const x of found) {
    const c = counts.get(x.code)!;
    c[x.severity] = (c[x.severity] ?? 0) + 1;
    filesWith.get(x.code)!.add(f.rel);
    const line = `${f.rel}:${positionAt(source.file, x.start).line + 1}: ${x.severity} ${x.code}: ${x.message}`;
    if (valid.has(f.rel) && x.severity === 'error') validErrors.push(line);
    if (ws && x.severity !== 'hint') wsAbove.push(line);
    if (list === x.code || list === 'all') console.log(line);
  }
}
console.log(`\n${files} corpus files, nginx.version ${settings.version}`);
console.log('| rule | files | error | warning | information | hint |\n|---|---:|---:|---:|---:|---:|');
for (const [code, c] of counts) console.log(`| ${code} | ${filesWith.get(code)!.size} | ${c.error ?? 0} | ${c.warning ?? 0} | ${c.information ?? 0} | ${c.hint ?? 0} |`);
console.log(`\nabove hint on correct WebSocket files: ${wsAbove.length}`);
for (const l of wsAbove) console.log('  ' + l);
console.log(`\nerrors on nginx-valid files: ${validErrors.length}`);
for (const l of validErrors) console.log('  ' + l);

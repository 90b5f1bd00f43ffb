/**
 * Shared by the oracle test and scripts: reads /work/shared/corpus (../shared/corpus from the repo
 * root) and analyses one file in the context real nginx checked it in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { allRules } from '../../server/src/service/analysis/rules/index';
import type { Rule } from '../../server/src/service/analysis/types';
import { validateFile, type ResolvedFinding } from '../../server/src/service/analysis/validate';
import { contextPath, SingleFileView } from '../../server/src/service/analysis/view';
import { resolveSettings, type Settings } from '../../server/src/service/settings';
import { parse } from '../../server/src/service/syntax/parser';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');

export interface OracleRow {
  file: string;
  valid: boolean;
  message: string;
  /** main, http, server, location, stream, stream-server */
  context: string;
  /** class=… from the notes ('' for VALID) */
  cls: string;
  notes: string;
}

export function readOracle(): OracleRow[] | null {
  const p = path.join(corpusDir, 'ORACLE.tsv');
  if (!fs.existsSync(p)) return null;
  const lines = fs.readFileSync(p, 'utf8').split('\n').filter(Boolean);
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return {
      file: c[0], valid: c[1] === 'VALID', message: c[2] ?? '', context: (c[3] ?? 'main').replace(/^context=/, ''),
      cls: /class=([a-z-]+)/.exec(c[4] ?? '')?.[1] ?? '', notes: c[4] ?? '',
    };
  });
}

/** Settings that describe the oracle's nginx: 1.22, open source. */
export const oracleSettings: Settings = resolveSettings({ version: '1.22' });

/** Rules whose verdicts are compared with nginx (the structure family and syntax errors). */
export function structureRulesOnly(): Rule[] {
  return allRules.filter((r) => ['directive-unknown', 'directive-context', 'directive-args', 'directive-block', 'directive-duplicate', 'value-invalid', 'variable-unknown'].includes(r.code));
}

export function analyseText(text: string, context: string, rules: Rule[] = structureRulesOnly(), settings: Settings = oracleSettings): ResolvedFinding[] {
  const file = parse(text);
  const source = { uri: 'file:///corpus.conf', file };
  const view = new SingleFileView(source, contextPath(context));
  return validateFile(file, [view], settings, rules);
}

/** Our verdict: any error-severity finding → invalid. */
export function verdict(findings: ResolvedFinding[]): boolean {
  return !findings.some((f) => f.severity === 'error');
}

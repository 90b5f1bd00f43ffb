/**
 * Shared by the oracle test and scripts: reads /work/shared/corpus (../shared/corpus from the repo
 * root) and analyses one file in the context real nginx checked it in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configRules } from '../../server/src/service/analysis/registry';
import type { Rule } from '../../server/src/service/analysis/types';
import { validateFile, type ResolvedFinding } from '../../server/src/service/analysis/validate';
import { contextPath, SingleFileView } from '../../server/src/service/analysis/view';
import { resolveSettings, type Settings } from '../../server/src/service/settings';
import { parse } from '../../server/src/service/syntax/parser';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');

export const nginxTestsDir = path.resolve(repoRoot, '..', 'shared', 'corpus-nginx-tests');

/** The nginx versions the oracles recorded, as `nginx.version` settings. */
export const ORACLE_VERSIONS = ['1.22', '1.26', '1.30'] as const;
export type OracleVersion = (typeof ORACLE_VERSIONS)[number];

export interface Verdict {
  valid: boolean;
  message: string;
  /** syntax, unknown-directive, not-allowed-here, semantic, env, env-unrepaired ('' for VALID) */
  cls: string;
}

export interface OracleRow {
  /** path relative to `dir` */
  file: string;
  /** the folder that holds it (../shared/corpus or ../shared/corpus-nginx-tests) */
  dir: string;
  /** nginx 1.22.1's verdict (the `verdict` column) */
  valid: boolean;
  message: string;
  /** main, http, server, location, stream, stream-server */
  context: string;
  /** class=… from the notes ('' for VALID) */
  cls: string;
  notes: string;
  /** each version's verdict */
  verdicts: Record<OracleVersion, Verdict>;
}

/**
 * The class of a failure from nginx's message, by the rules of the corpus's nginx-check.sh and the
 * corpus READMEs (the 1.26/1.30 columns carry no class of their own).
 */
export function classOf(message: string): string {
  if (/dlopen|GeoIP_open|MMDB_open|require_pv|"perl_modules"|timed out|d2i_OCSP_RESPONSE|store:pkcs11:|ENGINE_by_id|unknown directive "perl|no servers are inside upstream/.test(message)) return 'env';
  if (message.includes('unknown directive')) return 'unknown-directive';
  if (message.includes('is not allowed here')) return 'not-allowed-here';
  if (/unexpected|unterminated|unbalanced/.test(message)) return 'syntax';
  if (/host not found|No such file|cannot load certificate/.test(message)) return 'env-unrepaired';
  return 'semantic';
}

/** Rows of one ORACLE.tsv (columns read by header name: the two corpora order them differently). */
function readTsv(dir: string): OracleRow[] | null {
  const p = path.join(dir, 'ORACLE.tsv');
  if (!fs.existsSync(p)) return null;
  const lines = fs.readFileSync(p, 'utf8').split('\n').filter(Boolean);
  const head = lines[0].split('\t');
  const col = (c: string[], name: string) => { const i = head.indexOf(name); return i < 0 ? '' : c[i] ?? ''; };
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    const notes = col(c, 'notes');
    const cls = /class=([a-z-]+)/.exec(notes)?.[1] ?? '';
    const v22: Verdict = { valid: col(c, 'verdict') === 'VALID', message: col(c, 'nginx_message'), cls };
    const other = (suffix: string): Verdict => {
      const valid = col(c, `verdict_${suffix}`) === 'VALID';
      const message = col(c, `message_${suffix}`);
      return { valid, message, cls: valid ? '' : classOf(message) };
    };
    return {
      file: col(c, 'file'), dir, valid: v22.valid, message: v22.message, context: (col(c, 'context') || 'main').replace(/^context=/, ''),
      cls, notes, verdicts: { '1.22': v22, '1.26': other('1_26'), '1.30': other('1_30') },
    };
  });
}

/** ../shared/corpus/ORACLE.tsv (754 real configurations). */
export function readOracle(): OracleRow[] | null {
  return readTsv(corpusDir);
}

/** ../shared/corpus-nginx-tests/ORACLE.tsv (the configurations of nginx's own test suite). */
export function readNginxTestsOracle(): OracleRow[] | null {
  return readTsv(nginxTestsDir);
}

/** Settings that describe the oracle's nginx: 1.22, open source. */
export const oracleSettings: Settings = resolveSettings({ version: '1.22' });

/** Settings for the oracle of one version. */
export function oracleSettingsFor(version: OracleVersion): Settings {
  return version === '1.22' ? oracleSettings : resolveSettings({ version });
}

/**
 * Rules whose verdicts are compared with nginx: what nginx itself rejects (the structure family)
 * and what the configured version removed (directive-removed), from the registry's families.
 */
export function structureRulesOnly(): Rule[] {
  return configRules.filter((r) => r.family === 'structure' || r.code === 'directive-removed');
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

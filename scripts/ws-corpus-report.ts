/**
 * WebSocket rules over the real-config corpus (/work/shared/corpus, i.e. ../shared/corpus from the
 * repository root): counts ws-* diagnostics per rule and severity, and lists the files that already
 * proxy WebSockets correctly (upgrade headers + proxy_http_version 1.1 + the map in the same file).
 *
 *   node --import tsx scripts/ws-corpus-report.ts [--markdown] [--files]
 *
 * Each corpus file is analysed on its own (the corpus flattened paths, so includes do not resolve),
 * in the context real nginx checked it in (ORACLE.tsv), with nginx.version = 1.22 (the oracle's).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { websocketRules } from '../server/src/service/analysis/rules/websocket/index';
import { validateFile, type ResolvedFinding } from '../server/src/service/analysis/validate';
import { contextPath, SingleFileView } from '../server/src/service/analysis/view';
import { resolveSettings } from '../server/src/service/settings';
import { parse } from '../server/src/service/syntax/parser';
import { positionAt } from '../server/src/service/syntax/positions';

export const REPO_ROOT = resolve(__dirname, '..');
export const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const SETTINGS = resolveSettings({ version: '1.22' });

export interface CorpusFile { rel: string; path: string; context: string | null }

export function corpusFiles(root = CORPUS): CorpusFile[] {
  if (!existsSync(root)) return [];
  const contexts = new Map<string, string>();
  const oracle = join(root, 'ORACLE.tsv');
  if (existsSync(oracle)) {
    for (const line of readFileSync(oracle, 'utf8').split('\n').slice(1)) {
      const cols = line.split('\t');
      if (cols.length > 3) contexts.set(cols[0], cols[3]);
    }
  }
  const out: CorpusFile[] = [];
  for (const dir of readdirSync(root).sort()) {
    const d = join(root, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (!statSync(p).isFile()) continue;
      const rel = `${dir}/${name}`;
      out.push({ rel, path: p, context: contexts.get(rel) ?? null });
    }
  }
  return out;
}

/** The ORACLE context names (main, http, server, location, stream, stream-server) as view paths. */
function outerPath(context: string | null): string[] | undefined {
  if (!context) return undefined;
  return context === 'main' ? [] : contextPath(context);
}

export function analyse(f: CorpusFile): { text: string; findings: ResolvedFinding[] } {
  const text = readFileSync(f.path, 'utf8');
  const source = { uri: `corpus:///${f.rel}`, file: parse(text) };
  const view = new SingleFileView(source, outerPath(f.context));
  return { text, findings: validateFile(source.file, [view], SETTINGS, websocketRules).filter((x) => x.code.startsWith('ws-')) };
}

/**
 * A file that already does WebSocket proxying right, judged on its text alone: it proxies, forwards
 * Upgrade from $http_upgrade, sets Connection from $connection_upgrade, uses HTTP/1.1, and defines the
 * map in the same file.
 */
export function doesWebSocketRight(text: string): boolean {
  const code = text.replace(/#.*$/gm, '');
  // the map may use another variable name than $connection_upgrade (nginx-proxy uses $proxy_connection)
  const vars = [...code.matchAll(/\bmap\s+\$http_upgrade\s+\$([A-Za-z0-9_]+)\s*\{/g)].map((m) => m[1]);
  return /\bproxy_pass\s/.test(code)
    && /proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;/i.test(code)
    && vars.some((v) => new RegExp(`proxy_set_header\\s+Connection\\s+["']?\\$${v}["']?\\s*;`, 'i').test(code))
    && /proxy_http_version\s+1\.1\s*;/.test(code);
}

export interface Report {
  files: number;
  wsFiles: string[];
  correct: string[];
  counts: Map<string, Record<string, number>>;
  perFile: Map<string, ResolvedFinding[]>;
}

export function buildReport(root = CORPUS): Report {
  const files = corpusFiles(root);
  const counts = new Map<string, Record<string, number>>(websocketRules.map((r) => [r.code, {}]));
  const perFile = new Map<string, ResolvedFinding[]>();
  const wsFiles: string[] = [];
  const correct: string[] = [];
  for (const f of files) {
    const { text, findings } = analyse(f);
    if (/\$http_upgrade|Upgrade/i.test(text) && /proxy_pass/.test(text)) wsFiles.push(f.rel);
    if (doesWebSocketRight(text)) correct.push(f.rel);
    if (findings.length) perFile.set(f.rel, findings);
    for (const x of findings) {
      const c = counts.get(x.code) ?? {};
      c[x.severity] = (c[x.severity] ?? 0) + 1;
      c.files = c.files ?? 0;
      counts.set(x.code, c);
    }
    for (const code of new Set(findings.map((x) => x.code))) counts.get(code)!.files = (counts.get(code)!.files ?? 0) + 1;
  }
  return { files: files.length, wsFiles, correct, counts, perFile };
}

export function markdown(r: Report): string {
  const lines = [
    `| rule | error | warning | information | hint | files |`,
    `|---|---:|---:|---:|---:|---:|`,
  ];
  let total = 0;
  for (const [code, c] of r.counts) {
    const n = (c.error ?? 0) + (c.warning ?? 0) + (c.information ?? 0) + (c.hint ?? 0);
    total += n;
    lines.push(`| ${code} | ${c.error ?? 0} | ${c.warning ?? 0} | ${c.information ?? 0} | ${c.hint ?? 0} | ${c.files ?? 0} |`);
  }
  lines.push('', `${r.files} corpus files, ${total} ws-* diagnostics in ${r.perFile.size} files; files mentioning Upgrade and proxy_pass: ${r.wsFiles.length}; files that already do WebSocket proxying right: ${r.correct.length}.`);
  return lines.join('\n');
}

function main(): void {
  if (!existsSync(CORPUS)) {
    console.error(`corpus not found at ${CORPUS}: nothing to report`);
    process.exitCode = 0;
    return;
  }
  const r = buildReport();
  console.log(markdown(r));
  if (process.argv.includes('--files')) {
    console.log('\nFiles that already do WebSocket proxying right:');
    for (const f of r.correct) console.log(`- ${f}: ${(r.perFile.get(f) ?? []).map((x) => `${x.code}/${x.severity}`).join(', ') || 'no ws-* diagnostic'}`);
    console.log('\nDiagnostics per file:');
    for (const [f, list] of r.perFile) {
      const text = readFileSync(join(CORPUS, f), 'utf8');
      const file = parse(text);
      for (const x of list) console.log(`${f}:${positionAt(file, x.start).line + 1}: ${x.severity} ${x.code}: ${x.message.slice(0, 140)}`);
    }
  }
}

if (process.argv[1] && /ws-corpus-report\.ts$/.test(process.argv[1])) main();

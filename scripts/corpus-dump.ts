/**
 * Every diagnostic of every corpus file, with its range, severity and quick-fixes (titles and
 * edits), as one JSON document: the before/after check of refactorings that must not change
 * behaviour (issue #15). Each file is opened alone in a language service whose workspace is its
 * own folder, with nginx.version 1.30.
 *
 *   node --import tsx scripts/corpus-dump.ts [--codes a,b] > dump.json
 *
 * `--codes` keeps only the named codes (to compare a tree that added rules with one that did not).
 * The corpora are read from ../shared relative to the repository, or from $NGINX_SHARED_DIR (a git
 * worktree elsewhere than next to the shared folder).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NodeFileSystem } from '../server/src/nodeFileSystem';
import { LanguageService } from '../server/src/service/languageService';
import { resolveSettings } from '../server/src/service/settings';

const root = resolve(process.env.NGINX_SHARED_DIR || join(__dirname, '..', '..', 'shared'));
const dirs = ['corpus', 'corpus-nginx-tests'].map((d) => join(root, d)).filter((d) => existsSync(d));
const codesArg = process.argv.indexOf('--codes');
const keep = codesArg > 0 ? new Set(process.argv[codesArg + 1].split(',')) : null;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile() && !/\.(tsv|md)$/.test(name) && name !== 'LICENSE' && st.size < 2_000_000) out.push(p);
  }
  return out;
}

const result: Record<string, unknown[]> = {};
for (const dir of dirs) {
  for (const path of walk(dir, [])) {
    const text = readFileSync(path, 'utf8');
    const ls = new LanguageService({ fs: new NodeFileSystem(), folders: [], settings: resolveSettings({ version: '1.30' }) });
    const uri = pathToFileURL(path).href;
    ls.openDocument(uri, text, 1);
    const diags = ls.validate(uri).filter((d) => !keep || keep.has(String(d.code)));
    result[path.slice(root.length + 1)] = diags.map((d) => ({
      code: d.code, severity: d.severity, range: d.range, message: d.message,
      related: d.relatedInformation?.map((r) => ({ uri: r.location.uri.slice(r.location.uri.lastIndexOf('/') + 1), range: r.location.range, message: r.message })),
      fixes: ls.codeActions(uri, d.range, [d], ['quickfix']).map((a) => ({ title: a.title, edit: a.edit })),
    }));
  }
}
process.stdout.write(JSON.stringify(result, null, 1) + '\n');

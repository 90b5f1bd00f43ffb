/**
 * Architecture invariants as tests (docs/architecture.md, "Layers"): each folder of the core
 * imports only its own layer and the layers below it; the core imports neither `vscode` nor
 * `vscode-languageserver` nor Node built-ins; the server and the CLI reach the core only through
 * its public entry, service/index.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { filesUnder } from '../helpers';

const root = join(__dirname, '..', '..');
const SERVICE = join(root, 'server', 'src', 'service');

/**
 * The layers of the core, lowest first, read from docs/architecture.md ("Layers", the one place the
 * order is written): one line per layer, its name then the paths it holds (relative to
 * server/src/service, folders ending with `/`), an optional `— note`. A module is placed by the
 * first layer with a path it matches.
 */
export function readLayers(markdown: string): { layer: string; paths: string[] }[] {
  const section = markdown.slice(markdown.indexOf('## Layers'));
  const block = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'docs/architecture.md has no "## Layers" section with the layer order in a code block');
  return block[1].trim().split('\n').map((line) => {
    const [name, ...paths] = line.split('—')[0].trim().split(/\s+/);
    return { layer: name, paths };
  });
}

export const LAYERS = readLayers(readFileSync(join(root, 'docs', 'architecture.md'), 'utf8'));

/**
 * Imports that go against the order today, each with why and what would remove it. The test fails
 * when one is added and when one of these disappears (so the list only shrinks).
 */
export const KNOWN_EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [];

export function layerOf(rel: string): number {
  const p = rel.split(sep).join('/');
  for (let i = 0; i < LAYERS.length; i++) if (LAYERS[i].paths.some((x) => (x.endsWith('/') ? p.startsWith(x) : p === x))) return i;
  return -1;
}

/** The module specifiers a TypeScript file imports or re-exports (static and dynamic). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

/** Every import of the core that breaks the layer order, as `from → to (layer → layer)`. */
export function layerViolations(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [rel, text] of files) {
    const from = layerOf(rel);
    if (from < 0) {
      out.push(`${rel}: in no layer (add its folder to LAYERS and to docs/architecture.md)`);
      continue;
    }
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(SERVICE, join(SERVICE, dirname(rel), spec)).split(sep).join('/');
      if (target.startsWith('..')) {
        out.push(`${rel} → ${spec}: the core imports from outside server/src/service`);
        continue;
      }
      const to = layerOf(target.endsWith('.ts') ? target : target + '.ts') >= 0 ? layerOf(target.endsWith('.ts') ? target : target + '.ts') : layerOf(target + '/');
      if (to > from) out.push(`${rel} → ${target} (${LAYERS[from].layer} → ${LAYERS[to].layer})`);
    }
  }
  return out;
}

function coreFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of filesUnder(SERVICE)) if (p.endsWith('.ts')) files.set(relative(SERVICE, p), readFileSync(p, 'utf8'));
  return files;
}

test('layers: no module of the core imports a higher layer', () => {
  const found = layerViolations(coreFiles());
  const known = KNOWN_EXCEPTIONS.map((e) => e.from + ' → ' + e.to);
  const fresh = found.filter((v) => !known.some((k) => v.startsWith(k)));
  assert.deepEqual(fresh, [], `imports against the layer order (docs/architecture.md, "Layers"):\n${fresh.join('\n')}`);
  const stale = known.filter((k) => !found.some((v) => v.startsWith(k)));
  assert.deepEqual(stale, [], 'exceptions that no longer occur: remove them from KNOWN_EXCEPTIONS');
});

test('layers: the order is read from docs/architecture.md (each layer with its paths)', () => {
  assert.ok(LAYERS.length >= 5, `only ${LAYERS.length} layers read`);
  for (const l of LAYERS) assert.ok(l.paths.length > 0 && l.paths.every((p) => /^[a-zA-Z/.]+$/.test(p)), `layer ${l.layer}: ${l.paths.join(' ')}`);
});

test('layers: the check fails when a lower layer imports a higher one', () => {
  const files = new Map([
    ['syntax/parser.ts', "import { Workspace } from '../workspace/workspace';\n"],
    ['knowledge/directiveDb.ts', "import type { Scope } from '../model/config';\n"],
    ['analysis/rules/workspace/includeCycle.ts', "import { includeInfoOf } from '../../../workspace/configView';\n"],
    ['features/hover.ts', "import { x } from '../analysis/proxy';\n"],
  ]);
  assert.deepEqual(layerViolations(files), [
    'syntax/parser.ts → workspace/workspace (syntax → workspace)',
    'analysis/rules/workspace/includeCycle.ts → workspace/configView (analysis → workspace)',
  ]);
});

test('the core imports neither vscode nor vscode-languageserver nor Node built-ins', () => {
  for (const [rel, text] of coreFiles()) {
    for (const spec of importsOf(text)) {
      assert.ok(spec !== 'vscode' && spec !== 'vscode-languageserver' && !spec.startsWith('vscode-languageserver/'), `${rel} imports ${spec}`);
      assert.ok(!spec.startsWith('node:') && !['fs', 'path', 'url', 'os', 'child_process', 'worker_threads'].includes(spec), `${rel} imports the Node built-in ${spec}: the core runs in a browser too`);
    }
  }
});

test('the server, the worker, the CLI and the file system adapter reach the core only through service/index.ts', () => {
  const outside = join(root, 'server', 'src');
  for (const name of ['server.ts', 'validationWorker.ts', 'cli.ts', 'nodeFileSystem.ts', 'main.ts', 'ruleDocs.ts', 'boundedIo.ts']) {
    const text = readFileSync(join(outside, name), 'utf8');
    for (const spec of importsOf(text)) {
      if (spec.startsWith('./service/')) assert.equal(spec, './service/index', `${name} imports ${spec}: use the public entry service/index.ts`);
    }
  }
  // the entry hands the service out without its workspace
  const entry = readFileSync(join(SERVICE, 'index.ts'), 'utf8');
  assert.match(entry, /Omit<LanguageService, 'workspace'>/);
});

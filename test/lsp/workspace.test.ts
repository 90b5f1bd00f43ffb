/**
 * The built server over stdio on a multi-file Debian tree: a site file opened on its own is analysed
 * in the http context it is included in, sees the `$connection_upgrade` map of nginx.conf, and
 * navigates across files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from './client';
import { repoRoot } from '../helpers';

const ROOT = join(repoRoot, 'test/fixtures/workspaces/debian');
const FALSE_POSITIVES = ['directive-context', 'variable-unknown', 'ws-map-missing', 'include-missing', 'include-cycle', 'directive-unknown'];

function positionOf(text: string, needle: string, delta: number) {
  const o = text.indexOf(needle) + delta;
  const before = text.slice(0, o).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

for (const rel of ['sites-available/example.com', 'sites-enabled/example.com']) {
  test(`lsp: ${rel} of a Debian tree has no false positives and navigates across files`, async () => {
    const client = new TestClient();
    try {
      await client.initialize(ROOT);
      const uri = pathToFileURL(join(ROOT, rel)).href;
      const text = readFileSync(join(ROOT, rel), 'utf8');
      await client.open(uri, text);
      const diags: PublishDiagnosticsParams = await client.waitDiagnostics(uri);
      const bad = diags.diagnostics.filter((d) => FALSE_POSITIVES.includes(String(d.code)) || d.severity === 1 || d.severity === 2);
      assert.deepEqual(bad.map((d) => `${d.code}: ${d.message}`), []);

      const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, '$connection_upgrade', 2) });
      assert.deepEqual(defs.map((d) => d.uri), [pathToFileURL(join(ROOT, 'nginx.conf')).href]);
      const up = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'http://app_backend', 9) });
      assert.deepEqual(up.map((d) => d.uri), [pathToFileURL(join(ROOT, 'conf.d/upstreams.conf')).href]);
      const links = await client.request<{ target: string }[]>('textDocument/documentLink', { textDocument: { uri } });
      assert.deepEqual(links.map((l) => l.target), ['snippets/ssl.conf', 'snippets/proxy-headers.conf'].map((f) => pathToFileURL(join(ROOT, f)).href));
      const edit = await client.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', { textDocument: { uri }, position: positionOf(text, 'http://app_backend', 9), newName: 'app' });
      assert.equal(Object.keys(edit.changes).length, 2);
    } finally {
      await client.shutdown();
    }
  });
}

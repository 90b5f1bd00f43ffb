/**
 * The built server over stdio on a compose + .env + templates/ workspace: a template opened in the
 * editor has no false finding, hover shows where a placeholder's value comes from, the render
 * request returns what envsubst prints, and editing the compose file re-validates the template.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from './client';
import { repoRoot } from '../helpers';

function positionOf(text: string, needle: string, delta: number) {
  const o = text.indexOf(needle) + delta;
  const before = text.slice(0, o).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('lsp: a Docker template: no false finding, hover on a placeholder, render, compose edits re-validate', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nginx-ls-tpl-'));
  cpSync(join(repoRoot, 'test/fixtures/templates/compose-dotenv'), root, { recursive: true });
  const client = new TestClient();
  try {
    await client.initialize(root);
    const path = join(root, 'nginx/templates/default.conf.template');
    const uri = pathToFileURL(path).href;
    const text = readFileSync(path, 'utf8');
    await client.open(uri, text);
    const diags: PublishDiagnosticsParams = await client.waitDiagnostics(uri);
    assert.deepEqual(diags.diagnostics.map((d) => `${d.code}: ${d.message}`), []);

    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '${BACKEND_PORT}', 3) });
    assert.match((hover.contents as { value: string }).value, /`BACKEND_PORT=3000` — docker-compose\.yml:11/);

    const rendered = await client.request<{ text: string } | null>('nginx/renderTemplate', { textDocument: { uri } });
    assert.ok(rendered);
    assert.match(rendered.text, /server api:3000;/);
    assert.match(rendered.text, /listen 8080;/);

    // SERVER_NAME disappears from the compose file: the open template is analysed again
    const compose = join(root, 'docker-compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace(/^ *SERVER_NAME:.*\n/m, ''));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(compose).href, type: 2 }] });
    const after = await client.waitDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(after.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`), [`template-undefined@${text.slice(0, text.indexOf('${SERVER_NAME}')).split('\n').length}`]);
  } finally {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
});

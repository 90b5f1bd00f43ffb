import * as assert from 'assert';
import * as vscode from 'vscode';
import { info, test } from './harness';
import { activateExtension, EXTENSION_ID, fixtureUri, nginxDiagnostics } from './helpers';

test('activation: extension is installed, activates, returns activationMs <= 100', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not found among ${vscode.extensions.all.length} installed extensions`);
  info.vscodeVersion = vscode.version;
  info.extensionVersion = (ext.packageJSON as { version?: string }).version;
  const api = await activateExtension();
  assert.ok(ext.isActive, 'extension did not become active');
  assert.strictEqual(typeof api.activationMs, 'number', 'activate() must return { activationMs: number }');
  info.activationMs = api.activationMs;
  assert.ok(api.activationMs! <= 100, `activation took ${api.activationMs} ms (budget: 100 ms)`);
});

test('language: nginx.conf in the workspace is detected as nginx', async () => {
  const doc = await vscode.workspace.openTextDocument(fixtureUri('nginx.conf'));
  assert.strictEqual(doc.languageId, 'nginx');
  // The file is valid: whatever the server publishes for it, nothing is from the parser.
  assert.deepStrictEqual(
    nginxDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
    [],
  );
});

import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { codeOf, hoverText, nginxDiagnostics, openFixture, positionOf, revertAndClose, waitForDiagnostic } from './helpers';

test('templates: a Docker template is analysed as rendered (a typo found, the placeholders not), hover on a placeholder shows its compose value', async () => {
  const editor = await openFixture('docker/templates/default.conf.template');
  try {
    // a real mistake next to the placeholders: the analysis ran, and it is the only finding
    const at = positionOf(editor.document, 'proxy_pass http://backend;');
    assert.ok(await editor.edit((b) => b.insert(at, 'proxy_pas http://backend;\n        ')));
    await waitForDiagnostic(editor.document.uri, 'directive-unknown');
    assert.deepStrictEqual(nginxDiagnostics(editor.document.uri).map((d) => `${codeOf(d)}: ${d.message}`).filter((s) => !s.startsWith('directive-unknown')), []);
    const pos = positionOf(editor.document, '${NGINX_PORT}', 4);
    let last = '';
    const text = await waitFor('a hover on ${NGINX_PORT}', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? [];
      last = hoverText(hovers);
      return last.includes('placeholder') ? last : undefined;
    }, { timeoutMs: 10_000, describeLast: () => JSON.stringify(last.slice(0, 300)) });
    assert.ok(/NGINX_PORT=8080/.test(text) && /docker-compose\.yml:7/.test(text), `hover lacks the compose value:\n${text}`);
  } finally {
    await revertAndClose(editor);
  }
});

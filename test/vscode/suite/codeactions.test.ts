import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { applyCodeAction, openFixture, revertAndClose, waitForDiagnostic, waitForNoDiagnostic } from './helpers';

const MAP_HEADER = 'map $http_upgrade $connection_upgrade {';

test('quick fix: ws-map-missing offers a "map" fix that inserts the $connection_upgrade map', async () => {
  const editor = await openFixture('cases/ws-map-missing.conf');
  const uri = editor.document.uri;
  try {
    assert.ok(!editor.document.getText().includes(MAP_HEADER), 'fixture already has the map');
    const diag = await waitForDiagnostic(uri, 'ws-map-missing');
    const actions = await waitFor(
      "a quick fix with 'map' in its title",
      async () => {
        const all =
          (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
            'vscode.executeCodeActionProvider',
            uri,
            diag.range,
            vscode.CodeActionKind.QuickFix.value,
          )) ?? [];
        return all.some((a) => /map/i.test(a.title)) ? all : undefined;
      },
      { timeoutMs: 10_000 },
    );
    const fix = actions.find((a) => /map/i.test(a.title))!;
    if ('kind' in fix && fix.kind) {
      assert.ok(vscode.CodeActionKind.QuickFix.contains(fix.kind), `'${fix.title}' has kind ${fix.kind.value}`);
    }
    await applyCodeAction(fix);
    assert.ok(editor.document.getText().includes(MAP_HEADER), `after '${fix.title}' the text has no '${MAP_HEADER}'`);
    await waitForNoDiagnostic(uri, 'ws-map-missing');
  } finally {
    await revertAndClose(editor);
  }
});

import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { completionLabel, openFixture, positionOf, revertAndClose } from './helpers';

test('completion: inside server { } offers location and listen, not worker_processes', async () => {
  const editor = await openFixture('cases/completion.conf');
  try {
    // the end of the empty, indented line right after `server {`
    const line = positionOf(editor.document, 'server {').line + 1;
    const pos = editor.document.lineAt(line).range.end;
    assert.strictEqual(editor.document.lineAt(line).text.trim(), '', 'fixture: the line after `server {` must be blank');
    let last: string[] = [];
    const labels = await waitFor(
      'completion items inside server {}',
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          editor.document.uri,
          pos,
        );
        const items = list?.items.map(completionLabel) ?? [];
        last = items;
        return items.includes('listen') ? items : undefined;
      },
      { timeoutMs: 10_000, describeLast: () => `${last.length} items: ${last.slice(0, 15).join(', ')}` },
    );
    assert.ok(labels.includes('location'), `no 'location' among ${labels.length} items`);
    assert.ok(labels.includes('listen'), `no 'listen' among ${labels.length} items`);
    assert.ok(!labels.includes('worker_processes'), "'worker_processes' (main context only) is offered inside server");
  } finally {
    await revertAndClose(editor);
  }
});

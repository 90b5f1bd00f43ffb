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

test('completion: a directive item\'s documentation comes when VS Code resolves it, and inserts its snippet at the cursor', async () => {
  const editor = await openFixture('cases/completion.conf');
  try {
    const line = positionOf(editor.document, 'server {').line + 1;
    const pos = editor.document.lineAt(line).range.end;
    // the server sends the list without documentation (it resolves), sharing range and data through
    // itemDefaults: VS Code must fill both in; resolving the first items asks completionItem/resolve
    const resolveCount = 400;
    let last = '';
    const list = await waitFor('resolved completion items', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos, undefined, resolveCount);
      last = `${l?.items.length ?? 0} items`;
      return l?.items.some((i) => completionLabel(i) === 'listen') ? l : undefined;
    }, { timeoutMs: 10_000, describeLast: () => last });
    const listen = list.items.find((i) => completionLabel(i) === 'listen')!;
    const index = list.items.indexOf(listen);
    assert.ok(index < resolveCount, `listen is item ${index}, past the resolved ones`);
    const doc = typeof listen.documentation === 'string' ? listen.documentation : listen.documentation?.value ?? '';
    assert.match(doc, /\*\*listen\*\*/, `listen resolved with its documentation: ${JSON.stringify(listen.documentation)}`);
    // the range VS Code filled in from itemDefaults.editRange: the (empty) word at the cursor
    const range = listen.range instanceof vscode.Range ? listen.range : listen.range?.inserting;
    assert.ok(range && range.start.isEqual(pos) && range.end.isEqual(pos), `range ${JSON.stringify(listen.range)}`);
    const text = listen.insertText instanceof vscode.SnippetString ? listen.insertText.value : String(listen.insertText);
    assert.match(text, /^listen \$\{1:/, `a snippet: ${text}`);
  } finally {
    await revertAndClose(editor);
  }
});

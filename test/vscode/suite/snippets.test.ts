import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { completionLabel, openFixture, positionOf, revertAndClose } from './helpers';

/**
 * Snippets come from the language server's completion (server/src/service/features/snippets.ts), not
 * from a static contribution: offered only in the block they are written for, once per snippet.
 */
const PREFIX = 'ws-setup';

async function completionsAt(editor: vscode.TextEditor, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos);
  return list?.items ?? [];
}

async function typeAt(editor: vscode.TextEditor, pos: vscode.Position, text: string): Promise<vscode.Position> {
  const before = editor.document.version;
  await editor.edit((b) => b.insert(pos, text));
  await waitFor('the edit applied', () => (editor.document.version > before ? true : undefined), { timeoutMs: 5_000 });
  return pos.translate(0, text.length);
}

test(`snippet: '${PREFIX}' inserts the WebSocket proxy setup inside http { } and sets proxy_http_version 1.1`, async () => {
  const editor = await openFixture('cases/snippet.conf');
  try {
    // websocket-setup is an http-level snippet (map + upstream + server): type its prefix inside `http { }`
    const line = positionOf(editor.document, 'http {').line + 1;
    const cursor = await typeAt(editor, editor.document.lineAt(line).range.end, PREFIX);
    const items = await waitFor(`a '${PREFIX}' completion item`, async () => {
      const all = await completionsAt(editor, cursor);
      return all.some((i) => completionLabel(i) === PREFIX) ? all : undefined;
    }, { timeoutMs: 20_000 });
    const matching = items.filter((i) => completionLabel(i) === PREFIX || completionLabel(i) === 'websocket-setup');
    assert.equal(matching.length, 1, `the snippet is offered ${matching.length} times (aliases must not add items)`);
    const item = matching[0];
    assert.equal(item.kind, vscode.CompletionItemKind.Snippet);
    assert.ok(item.insertText instanceof vscode.SnippetString, 'the item is not a snippet');
    const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
    assert.ok(range, 'the item says no range to replace');
    const before = editor.document.getText();
    await editor.insertSnippet(item.insertText, range);
    const after = await waitFor('the snippet text in the document', () => {
      const t = editor.document.getText();
      return t !== before ? t : undefined;
    }, { timeoutMs: 5_000 });
    assert.ok(!after.includes(PREFIX), `the typed prefix was not replaced:\n${after}`);
    assert.ok(/map\s+\$http_upgrade\s+\$connection_upgrade/.test(after), 'snippet has no Connection map');
    assert.ok(/proxy_http_version\s+1\.1/.test(after), 'snippet does not set proxy_http_version 1.1');
    assert.ok(/proxy_set_header\s+Upgrade\s+\$http_upgrade/.test(after), 'snippet does not pass the Upgrade header');
    // leave snippet mode before reverting
    await vscode.commands.executeCommand('leaveSnippet');
  } finally {
    await revertAndClose(editor);
  }
});

test(`snippet: '${PREFIX}' is not offered inside a location`, async () => {
  const editor = await openFixture('cases/snippet.conf');
  try {
    const line = positionOf(editor.document, 'http {').line + 1;
    const cursor = await typeAt(editor, editor.document.lineAt(line).range.end, 'server { location / { ws- } }');
    const inLocation = cursor.translate(0, -' } }'.length);
    const items = await waitFor('completion items in the location', async () => {
      const all = await completionsAt(editor, inLocation);
      return all.some((i) => completionLabel(i) === 'ws-headers') ? all : undefined;
    }, { timeoutMs: 20_000 });
    const labels = items.map(completionLabel);
    assert.ok(!labels.includes(PREFIX) && !labels.includes('websocket-setup'), `http-level snippet offered in a location: ${labels.filter((l) => l.includes('-')).join(', ')}`);
    assert.ok(!labels.includes('ws-location'), 'server-level snippet offered in a location');
  } finally {
    await revertAndClose(editor);
  }
});

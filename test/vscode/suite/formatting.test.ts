import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { openFixture, revertAndClose } from './helpers';

const OPTIONS: vscode.FormattingOptions = { tabSize: 4, insertSpaces: true };

async function formatEdits(uri: vscode.Uri): Promise<vscode.TextEdit[] | undefined> {
  return vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, OPTIONS);
}

/** Words of the file outside whitespace: formatting may move them, never change them. */
function tokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

test('formatting: format document indents blocks by depth and is idempotent', async () => {
  const editor = await openFixture('cases/format.conf');
  const doc = editor.document;
  try {
    const original = doc.getText();
    const edits = await waitFor('formatting edits', async () => {
      const e = await formatEdits(doc.uri);
      return e && e.length > 0 ? e : undefined;
    }, { timeoutMs: 10_000 });
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(we), 'applyEdit failed');
    const formatted = doc.getText();
    assert.notStrictEqual(formatted, original, 'formatting changed nothing');
    assert.deepStrictEqual(tokens(formatted), tokens(original), 'formatting changed more than whitespace');
    let depth = 0;
    for (const [i, raw] of formatted.split(/\r?\n/).entries()) {
      const text = raw.trim();
      if (text === '') continue;
      if (text.startsWith('}')) depth--;
      const expected = ' '.repeat(4 * Math.max(depth, 0));
      assert.ok(
        raw.startsWith(expected) && raw[expected.length] !== ' ' && raw[expected.length] !== '\t',
        `line ${i + 1} '${raw}' should be indented by ${expected.length} spaces:\n${formatted}`,
      );
      if (text.endsWith('{')) depth++;
    }
    const again = await formatEdits(doc.uri);
    const we2 = new vscode.WorkspaceEdit();
    we2.set(doc.uri, again ?? []);
    await vscode.workspace.applyEdit(we2);
    assert.strictEqual(doc.getText(), formatted, 'formatting twice changed the text again');
  } finally {
    await revertAndClose(editor);
  }
});

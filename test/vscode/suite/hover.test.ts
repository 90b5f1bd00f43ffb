import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { hoverText, openFixture, plain, positionOf, revertAndClose } from './helpers';

test('hover: a directive name shows markdown with its name and syntax', async () => {
  const editor = await openFixture('cases/hover.conf');
  try {
    const pos = positionOf(editor.document, 'worker_processes', 3);
    let last = '';
    const text = await waitFor(
      'a hover on worker_processes',
      async () => {
        const hovers =
          (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? [];
        const t = hoverText(hovers);
        last = t;
        return t.includes('worker_processes') ? t : undefined;
      },
      { timeoutMs: 10_000, describeLast: () => (last ? JSON.stringify(last.slice(0, 300)) : 'no hover') },
    );
    // nginx.org: "Syntax: worker_processes number | auto;"
    assert.ok(
      /worker_processes[^\n]*number[^\n]*auto/.test(plain(text)),
      `hover has no syntax line 'worker_processes number | auto':\n${text.slice(0, 600)}`,
    );
  } finally {
    await revertAndClose(editor);
  }
});

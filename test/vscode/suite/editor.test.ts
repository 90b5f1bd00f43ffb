/**
 * What a user of the editor sees beyond the open file: problems of included files nobody opened,
 * a `.conf` outside the known folders opened as nginx, document highlight of one symbol, inlay hints
 * of effective values, and rule links that open the page shipped with the extension.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { activateExtension, codeOf, describeDiagnostics, fixtureUri, nginxDiagnostics, positionOf } from './helpers';

test('problems: an included file that is not open shows its errors', async () => {
  await activateExtension();
  const uri = fixtureUri('site/conf.d/broken.conf');
  assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file must not be open');
  const codes = await waitFor(
    'diagnostics of the unopened site/conf.d/broken.conf',
    () => {
      const c = nginxDiagnostics(uri).map((d) => codeOf(d) ?? '').sort();
      return c.includes('directive-unknown') && c.includes('directive-context') ? c : undefined;
    },
    { timeoutMs: 30_000, describeLast: () => describeDiagnostics(uri) },
  );
  assert.deepStrictEqual(codes, ['directive-context', 'directive-unknown']);
});

/** Opens proxy/app.conf (VS Code gives .conf to Properties) and waits until the extension switched it to nginx. */
async function openDetected(): Promise<vscode.TextEditor> {
  await activateExtension();
  const uri = fixtureUri('proxy/app.conf');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  const doc = await waitFor(
    'proxy/app.conf switched to nginx',
    () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'nginx'),
    { timeoutMs: 15_000, describeLast: () => vscode.workspace.textDocuments.filter((d) => d.uri.toString() === uri.toString()).map((d) => d.languageId).join(', ') },
  );
  return vscode.window.showTextDocument(doc, { preview: false });
}

async function close(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

test('language: a .conf outside the known folders whose content is nginx opens as nginx', async () => {
  const editor = await openDetected();
  try {
    assert.strictEqual(editor.document.languageId, 'nginx');
  } finally {
    await close(editor);
  }
});

test('document highlight: the upstream name, not the words containing it', async () => {
  const editor = await openDetected();
  try {
    const doc = editor.document;
    const pos = positionOf(doc, 'upstream chat', 10);
    const ranges = await waitFor('document highlights on upstream chat', async () => {
      const hl = (await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', doc.uri, pos)) ?? [];
      return hl.length ? hl : undefined;
    });
    const lines = ranges.map((h) => `${h.range.start.line}:${doc.getText(h.range)}`).sort();
    assert.deepStrictEqual(lines, ['0:chat', '11:chat']);
  } finally {
    await close(editor);
  }
});

test('inlay hints: effective values at a WebSocket location', async () => {
  const editor = await openDetected();
  try {
    const doc = editor.document;
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await waitFor('inlay hints in proxy/app.conf', async () => {
      const h = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range)) ?? [];
      return h.length ? h : undefined;
    });
    const label = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''))).join(' | ');
    assert.strictEqual(hints[0].position.line, 11);
    assert.match(label, /proxy_read_timeout 60s \(default\)/);
    assert.match(label, /proxy_http_version 1\.[01] \(default\)/);
    assert.match(label, /drops X-Real-IP/);
  } finally {
    await close(editor);
  }
});

test('rule page: a diagnostic code links to the page shipped with the extension, which exists offline', async () => {
  const uri = fixtureUri('site/conf.d/broken.conf');
  const d = await waitFor('a diagnostic with a code link', () => nginxDiagnostics(uri).find((x) => typeof x.code === 'object'), { timeoutMs: 30_000, describeLast: () => describeDiagnostics(uri) });
  const target = (d.code as { value: string | number; target: vscode.Uri }).target;
  assert.strictEqual(target.scheme, 'file', `link ${target.toString()}`);
  assert.ok(target.path.endsWith(`/docs/rules/${codeOf(d)}.md`), target.path);
  const page = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
  assert.ok(page.includes(String(codeOf(d))), 'the page is about that rule');
});

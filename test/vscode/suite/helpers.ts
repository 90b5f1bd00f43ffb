/** Shared helpers for the integration suite: fixtures, diagnostics polling, edits. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor } from './harness';

export const EXTENSION_ID = 'nginx-ls.nginx-language-support';

/** The fixture workspace folder (the driver copies test/vscode/workspace to a temporary dir and opens it). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the driver must open test/vscode/workspace)');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function activateExtension(): Promise<{ activationMs?: number }> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const api = (await ext.activate()) as { activationMs?: number } | undefined;
  return api ?? {};
}

/** Opens a fixture in an editor and checks that VS Code gave it the nginx language. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  assert.strictEqual(doc.languageId, 'nginx', `${relativePath} opened with language '${doc.languageId}', expected 'nginx'`);
  return editor;
}

/** Reverts unsaved changes of the active editor and closes it, so every test starts from the fixture on disk. */
export async function revertAndClose(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  if (typeof c === 'object') return String(c.value);
  return String(c);
}

export function nginxDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nginx');
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return 'no diagnostics';
  return all
    .map((d) => `[${d.source ?? '?'}:${codeOf(d) ?? '?'}] ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join(' | ');
}

/** Waits until the document has an nginx diagnostic with this rule id and returns it. */
export function waitForDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 20_000): Promise<vscode.Diagnostic> {
  return waitFor(
    `an nginx diagnostic '${code}' on ${vscode.workspace.asRelativePath(uri)}`,
    () => nginxDiagnostics(uri).find((d) => codeOf(d) === code),
    { timeoutMs, describeLast: () => describeDiagnostics(uri) },
  );
}

/** Waits until no nginx diagnostic matches (all of them, when code is omitted). */
export function waitForNoDiagnostic(uri: vscode.Uri, code?: string, timeoutMs = 20_000): Promise<true> {
  return waitFor(
    code ? `no '${code}' diagnostic on ${vscode.workspace.asRelativePath(uri)}` : `no nginx diagnostics on ${vscode.workspace.asRelativePath(uri)}`,
    () => !nginxDiagnostics(uri).some((d) => code === undefined || codeOf(d) === code),
    { timeoutMs, describeLast: () => describeDiagnostics(uri) },
  );
}

export function positionOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0): vscode.Position {
  const index = doc.getText().indexOf(needle);
  assert.ok(index >= 0, `'${needle}' not found in ${vscode.workspace.asRelativePath(doc.uri)}`);
  return doc.positionAt(index + offsetInNeedle);
}

export function hoverText(hovers: vscode.Hover[]): string {
  const parts: string[] = [];
  for (const h of hovers) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else if (c instanceof vscode.MarkdownString) parts.push(c.value);
      else if ('value' in c) parts.push(String(c.value));
    }
  }
  return parts.join('\n---\n');
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Applies a code action the way VS Code would: its edit first, then its command. */
export async function applyCodeAction(action: vscode.CodeAction | vscode.Command): Promise<void> {
  if (typeof (action as vscode.Command).command === 'string') {
    const cmd = action as vscode.Command;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    return;
  }
  const ca = action as vscode.CodeAction;
  if (ca.edit) {
    const ok = await vscode.workspace.applyEdit(ca.edit);
    assert.ok(ok, `workspace.applyEdit rejected the edit of '${ca.title}'`);
  }
  if (ca.command) {
    await vscode.commands.executeCommand(ca.command.command, ...(ca.command.arguments ?? []));
  }
}

/** Strips markdown code/emphasis marks, backslash escapes and HTML tags so assertions can look at plain words. */
export function plain(markdown: string): string {
  return markdown
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

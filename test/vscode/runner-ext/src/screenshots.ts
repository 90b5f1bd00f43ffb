/**
 * Screenshot mode: puts the workbench into each state worth a picture, then hands over to the
 * driver (scripts/vscode-test.mjs --screenshots), which photographs the page.
 *
 * Handshake through files in `dir`: for step N this writes `N.ready` ({ name, ... hints for the driver })
 * and waits for `N.done`, which the driver writes after taking the picture. Hints:
 *   waitFor   CSS selector the driver waits to be visible before the picture
 *   hover     CSS selector the driver moves the mouse over first (a real mouse hover)
 *   hoverText a token of the editor text to move the mouse over
 *   keys      keys the driver presses first (e.g. Control+Period for the quick-fix menu)
 *   waitForText  regular expression the waitFor element's text must match
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { waitFor } from '../../suite/harness';
import { activateExtension, fixtureUri, positionOf, waitForDiagnostic } from '../../suite/helpers';

export interface StepResult {
  name: string;
  ok: boolean;
  error?: string;
}

interface StepHints {
  waitFor?: string;
  hover?: string;
  keys?: string;
  /** text of a token in the editor the driver moves the mouse over */
  hoverText?: string;
  /** regular expression (source) the waitFor element's text must match */
  waitForText?: string;
  /** element to crop the picture to (the driver falls back to the whole page) */
  clip?: string;
}

/** VS Code's id of the Problems view (Markers.MARKERS_VIEW_ID) */
const PROBLEMS_VIEW = 'workbench.panel.markers.view';

async function handOver(dir: string, index: number, name: string, hints: StepHints): Promise<void> {
  fs.writeFileSync(path.join(dir, `${index}.ready`), JSON.stringify({ name, ...hints }));
  const done = path.join(dir, `${index}.done`);
  await waitFor(`the driver to photograph '${name}'`, () => fs.existsSync(done), { timeoutMs: 120_000, intervalMs: 100 });
  const verdict = JSON.parse(fs.readFileSync(done, 'utf8') || '{"ok":true}') as { ok: boolean; error?: string };
  if (!verdict.ok) throw new Error(verdict.error ?? 'the driver could not take the picture');
}

async function show(relativePath: string, needle: string, offset = 0): Promise<vscode.TextEditor> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const pos = positionOf(doc, needle, offset);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export async function runScreenshotSteps(dir: string): Promise<StepResult[]> {
  fs.mkdirSync(dir, { recursive: true });
  const results: StepResult[] = [];
  let index = 0;
  const step = async (name: string, prepare: () => Promise<StepHints>): Promise<void> => {
    index++;
    try {
      const hints = await prepare();
      await handOver(dir, index, name, hints);
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
      // the driver may still be waiting for this step: tell it there is nothing to photograph
      if (!fs.existsSync(path.join(dir, `${index}.ready`))) {
        fs.writeFileSync(path.join(dir, `${index}.ready`), JSON.stringify({ name, skip: true, error: String(err) }));
      }
    }
    await vscode.commands.executeCommand('leaveSnippet').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors').then(undefined, () => undefined);
  };

  await activateExtension();
  await vscode.commands.executeCommand('workbench.action.closeSidebar').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closePanel').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);

  // 0. a WebSocket location with no upgrade headers: a warning in the Problems panel (README's first picture)
  await step('websocket-problems', async () => {
    const editor = await show('cases/ws-problems.conf', 'location /ws/');
    await waitForDiagnostic(editor.document.uri, 'ws-upgrade-header');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // only this file's problems: the workspace holds other cases with errors of their own
    await vscode.commands.executeCommand(`workbench.actions.${PROBLEMS_VIEW}.toggleActiveFile`).then(undefined, () => undefined);
    return { waitFor: '.markers-panel .monaco-list-row', waitForText: 'ws-upgrade-header' };
  });

  // 1. the WebSocket diagnostic: a real mouse hover over the squiggle shows message + "Quick Fix..."
  await step('websocket-diagnostic', async () => {
    await vscode.commands.executeCommand(`workbench.actions.${PROBLEMS_VIEW}.toggleActiveFile`).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closePanel').then(undefined, () => undefined);
    const editor = await show('cases/ws-map-missing.conf', '$connection_upgrade', 1);
    await waitForDiagnostic(editor.document.uri, 'ws-map-missing');
    return { hover: '.squiggly-warning, .squiggly-error, .squiggly-info', waitFor: '.monaco-hover .hover-contents' };
  });

  // 2. the quick-fix menu on the same place, opened with Ctrl+. as a person would
  await step('websocket-quickfix', async () => {
    const editor = await show('cases/ws-map-missing.conf', '$connection_upgrade', 1);
    await waitForDiagnostic(editor.document.uri, 'ws-map-missing');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    return { keys: 'Control+Period', waitFor: '.action-widget' };
  });

  // 3. hover documentation on a directive name (the driver moves the mouse over the word)
  await step('hover', async () => {
    await show('cases/hover.conf', 'proxy_http_version', 4);
    return { hoverText: 'proxy_http_version', waitFor: '.monaco-hover .hover-contents', waitForText: '1\\.0\\s*\\|\\s*1\\.1' }; // the syntax line
  });

  // 4. the websocket-setup snippet inserted inside http { }
  await step('snippet', async () => {
    const editor = await show('cases/snippet.conf', 'http {');
    const line = editor.selection.active.line + 1;
    const end = editor.document.lineAt(line).range.end;
    editor.selection = new vscode.Selection(end, end);
    // snippets come from the server's completion (only in their block): type the prefix, take the item
    await editor.edit((b) => b.insert(end, 'ws-setup'));
    const at = end.translate(0, 'ws-setup'.length);
    const item = await waitFor('the ws-setup completion item', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, at);
      return list?.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ws-setup');
    }, { timeoutMs: 20_000 });
    const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
    const before = editor.document.getText();
    if (item.insertText instanceof vscode.SnippetString && range) await editor.insertSnippet(item.insertText, range);
    await waitFor('the snippet to be inserted', () => editor.document.getText() !== before, { timeoutMs: 5_000 });
    return {};
  });

  // 5. hover on an envsubst placeholder of a Docker template: its value and where compose sets it
  await step('template-hover', async () => {
    const editor = await show('docker/templates/default.conf.template', '${NGINX_PORT}', 4);
    // (the analysis has run once a hover answers as a placeholder)
    await waitFor('the placeholder hover', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.selection.active)) ?? [];
      return hovers.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('placeholder'))) || undefined;
    }, { timeoutMs: 15_000 });
    return { hoverText: 'NGINX_PORT', waitFor: '.monaco-hover .hover-contents', waitForText: 'docker-compose\\.yml' };
  });

  // 6. a location with three WebSocket problems: one diagnostic in the Problems panel, each problem under it (related information)
  await step('websocket-group', async () => {
    // the Problems view is opened first: a hidden view does not follow the active editor, and its
    // "current file" filter would still name the last file it saw
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const editor = await show('cases/ws-group.conf', 'location /ws/');
    await waitForDiagnostic(editor.document.uri, 'ws-connection-header');
    await vscode.commands.executeCommand(`workbench.actions.${PROBLEMS_VIEW}.toggleActiveFile`).then(undefined, () => undefined);
    return { waitFor: '.markers-panel .monaco-list-row', waitForText: 'This location has 3 WebSocket problems' };
  });

  // 7. "nginx: Which location handles a URL?" on a URL: the steps listed, the location previewed,
  // the route CodeLens above each location in the editor behind
  await step('route', async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel').then(undefined, () => undefined);
    const editor = await show('routing/nginx.conf', 'location /api/');
    await waitFor('the route CodeLenses', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100)) ?? [];
      return lenses.filter((l) => l.command?.title).length >= 8 || undefined;
    }, { timeoutMs: 20_000 });
    const shown = await vscode.commands.executeCommand<{ rows: unknown[] } | undefined>('nginx.routeUrl', { input: 'http://shop.example.com/api/v1/users.json' });
    if (!shown) throw new Error('nginx.routeUrl showed nothing');
    return { waitFor: '.quick-input-widget .quick-input-list', waitForText: 'proxy_pass' };
  });

  return results;
}

/**
 * "nginx: Which location handles a URL?" and the route CodeLens in a real VS Code: the command
 * routes a URL through routing/nginx.conf and lists the steps in a QuickPick; moving through the
 * list and accepting (with VS Code's own quick-input commands, as the keyboard does) puts the cursor
 * on the step's line; Escape goes back. The CodeLens above each location shows an example URL the
 * routing model proves, or "unreachable".
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { test, waitFor } from './harness';
import { activateExtension, openFixture, positionOf } from './helpers';

/** What nginx.routeUrl resolves to once its list is shown (client/src/extension.ts RouteShown). */
interface RouteShown {
  title: string;
  rows: { label: string; description?: string; detail?: string }[];
  result: { normalizedUri: string };
}

const FIXTURE = 'routing/nginx.conf';

function lineOf(doc: vscode.TextDocument, needle: string): number {
  return positionOf(doc, needle).line;
}

async function waitForCursorLine(line: number, what: string): Promise<void> {
  await waitFor(`the cursor on line ${line + 1} (${what})`, () => {
    const e = vscode.window.activeTextEditor;
    return e && e.document.uri.path.endsWith(FIXTURE) && e.selection.active.line === line ? true : undefined;
  }, { timeoutMs: 10_000, describeLast: () => `cursor at ${vscode.window.activeTextEditor?.document.uri.path}:${(vscode.window.activeTextEditor?.selection.active.line ?? -2) + 1}` });
}

async function routeShown(input: string): Promise<RouteShown> {
  // the first request may wait for the server to start and read the workspace
  return waitFor(`nginx.routeUrl for ${input}`, async () => {
    const shown = await vscode.commands.executeCommand<RouteShown | undefined>('nginx.routeUrl', { input });
    if (shown && shown.rows.length > 1) return shown;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    return undefined;
  }, { timeoutMs: 20_000 });
}

test('route command: the steps of a URL, and selecting one moves the cursor to its line', async () => {
  await activateExtension();
  const editor = await openFixture(FIXTURE);
  const doc = editor.document;
  const start = new vscode.Position(0, 0);
  editor.selection = new vscode.Selection(start, start);
  try {
    const shown = await routeShown('http://shop.example.com/api/v1/users.json');
    assert.deepStrictEqual(shown.rows.map((r) => r.label), [
      'server shop.example.com',
      'location ~ \\.json$',
      'proxy_pass http://127.0.0.1:9000',
    ]);
    assert.deepStrictEqual(shown.rows.map((r) => r.description), [
      `routing/nginx.conf:${lineOf(doc, 'server {') + 1}`,
      `routing/nginx.conf:${lineOf(doc, 'location ~ \\.json$') + 1}`,
      `routing/nginx.conf:${lineOf(doc, 'add_header X-Format') + 2}`,
    ]);
    assert.match(shown.rows[1].detail ?? '', /regex/, 'the location says why it was chosen');
    assert.strictEqual(shown.title, 'GET shop.example.com/api/v1/users.json');
    // the list opens on the location and previews it
    await waitForCursorLine(lineOf(doc, 'location ~ \\.json$'), 'the location, previewed');
    // down to the handler, Enter: the cursor stays there
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await waitForCursorLine(lineOf(doc, 'add_header X-Format') + 1, 'proxy_pass, accepted');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
});

test('route command: Escape goes back to where the cursor was', async () => {
  await activateExtension();
  const editor = await openFixture(FIXTURE);
  const doc = editor.document;
  const home = positionOf(doc, 'server_name *.internal');
  editor.selection = new vscode.Selection(home, home);
  const shown = await routeShown('http://shop.example.com/');
  // try_files falls back to /index.php: the chain goes on in the php location
  assert.deepStrictEqual(shown.rows.map((r) => r.label), [
    'server shop.example.com',
    'location /',
    'try_files $uri $uri/ /index.php?$query_string',
    'location ~ \\.php$',
    'fastcgi_pass 127.0.0.1:9001',
    'try_files depends on the file system: the route shows its fallback',
  ]);
  await waitForCursorLine(lineOf(doc, 'location / {'), 'the location, previewed');
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await waitForCursorLine(home.line, 'back home');
});

test('route CodeLens: an example URL above each location, unreachable where none reaches it', async () => {
  await activateExtension();
  const editor = await openFixture(FIXTURE);
  const doc = editor.document;
  const titles = await waitFor('route CodeLenses', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
    const m = new Map(lenses.filter((l) => l.command?.title).map((l) => [l.range.start.line, l.command!]));
    return m.size >= 8 ? m : undefined;
  }, { timeoutMs: 20_000 });
  const at = (needle: string) => titles.get(lineOf(doc, needle))?.title;
  assert.strictEqual(at('location / {'), 'e.g. http://shop.example.com/');
  assert.strictEqual(at('location = /healthz'), 'e.g. http://shop.example.com/healthz');
  assert.strictEqual(at('location ~ \\.json$'), 'e.g. http://shop.example.com/api/x.json');
  assert.strictEqual(at('location /metrics'), 'e.g. http://www.internal.example.com:8080/metrics');
  assert.strictEqual(at('location ~ /admin'), `unreachable: http://shop.example.com/admin.php goes to location ~ \\.php$ (line ${lineOf(doc, 'location ~ \\.php$') + 1})`);
  // clicking runs the route command for that URL
  const cmd = titles.get(lineOf(doc, 'location /metrics'))!;
  assert.strictEqual(cmd.command, 'nginx.routeUrl');
  try {
    const shown = await vscode.commands.executeCommand<RouteShown>(cmd.command, ...(cmd.arguments ?? []));
    assert.deepStrictEqual(shown.rows.slice(0, 2).map((r) => r.label), ['server *.internal.example.com', 'location /metrics']);
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
});

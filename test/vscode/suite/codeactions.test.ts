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

test('quick fix: a location with several WebSocket problems is one diagnostic whose preferred fix fixes them all', async () => {
  const editor = await openFixture('cases/ws-group.conf');
  const uri = editor.document.uri;
  try {
    const diag = await waitForDiagnostic(uri, 'ws-connection-header');
    const ws = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nginx' && /^ws-/.test(String(typeof d.code === 'object' ? d.code.value : d.code)));
    assert.strictEqual(ws.length, 1, ws.map((d) => d.message).join('\n---\n'));
    assert.ok(/^This location has 3 WebSocket problems:/.test(diag.message), diag.message);
    assert.strictEqual(editor.document.lineAt(diag.range.start.line).text.trim(), 'location /ws/ {');
    const related = diag.relatedInformation ?? [];
    assert.ok(related.some((r) => /^ws-http-version \(error\)/.test(r.message) && editor.document.lineAt(r.location.range.start.line).text.includes('proxy_http_version 1.0')),
      `related information: ${related.map((r) => `${r.location.range.start.line}: ${r.message}`).join(' | ')}`);
    const actions = await waitFor(
      'the fix-all quick fix',
      async () => {
        const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value, 10)) ?? [];
        return all.some((a) => a.title === 'Fix all WebSocket problems in this location') ? all : undefined;
      },
      { timeoutMs: 10_000 },
    );
    const fixAll = actions.find((a) => a.title === 'Fix all WebSocket problems in this location')!;
    assert.ok(fixAll.isPreferred, 'the fix-all is the preferred fix');
    assert.ok(actions.some((a) => a.title === 'Set proxy_http_version 1.1'), `the members' fixes follow: ${actions.map((a) => a.title).join(' | ')}`);
    await applyCodeAction(fixAll);
    const text = editor.document.getText();
    for (const needle of ['proxy_http_version 1.1;', 'proxy_set_header Connection $connection_upgrade;', 'proxy_read_timeout 3600s;', MAP_HEADER]) {
      assert.ok(text.includes(needle), `after the fix-all the text lacks '${needle}'`);
    }
    await waitForNoDiagnostic(uri, 'ws-connection-header');
  } finally {
    await revertAndClose(editor);
  }
});

import * as assert from 'assert';
import * as vscode from 'vscode';
import { test } from './harness';
import {
  codeOf,
  openFixture,
  revertAndClose,
  waitForDiagnostic,
  waitForNoDiagnostic,
} from './helpers';

test('diagnostics: syntax error is reported (source nginx, code syntax-error, severity Error)', async () => {
  const editor = await openFixture('cases/syntax-error.conf');
  try {
    const d = await waitForDiagnostic(editor.document.uri, 'syntax-error');
    assert.strictEqual(d.source, 'nginx');
    assert.strictEqual(codeOf(d), 'syntax-error');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(d.message.length > 0, 'empty diagnostic message');
    // `listen 80` lacks its ';' (line 3) and `http {` is never closed: the report must be there, not at 0:0.
    assert.ok(d.range.start.line >= 2, `syntax error reported at line ${d.range.start.line + 1}, expected >= 3`);
  } finally {
    await revertAndClose(editor);
  }
});

test('diagnostics: valid file has no errors; an edit adds a syntax error, removing it clears it', async () => {
  const editor = await openFixture('nginx.conf');
  const uri = editor.document.uri;
  try {
    const original = editor.document.getText();
    // one '}' too many at the end of the file is a syntax error whatever else the server checks
    const end = editor.document.positionAt(original.length);
    const ok = await editor.edit((b) => b.insert(end, '}\n'));
    assert.ok(ok, 'edit failed');
    await waitForDiagnostic(uri, 'syntax-error');
    const removed = await editor.edit((b) =>
      b.delete(new vscode.Range(end, editor.document.positionAt(editor.document.getText().length))),
    );
    assert.ok(removed && editor.document.getText() === original, 'could not remove the inserted brace');
    await waitForNoDiagnostic(uri, 'syntax-error');
    assert.deepStrictEqual(
      vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source === 'nginx' && d.severity === vscode.DiagnosticSeverity.Error)
        .map((d) => `${codeOf(d)}: ${d.message}`),
      [],
      'a valid nginx.conf must have no nginx errors',
    );
  } finally {
    await revertAndClose(editor);
  }
});

test('diagnostics: WebSocket proxy without the $connection_upgrade map -> ws-map-missing', async () => {
  const editor = await openFixture('cases/ws-map-missing.conf');
  try {
    const d = await waitForDiagnostic(editor.document.uri, 'ws-map-missing');
    assert.strictEqual(d.source, 'nginx');
    const line = editor.document.lineAt(d.range.start.line).text;
    assert.ok(/connection_upgrade|Connection/i.test(line), `ws-map-missing reported on an unrelated line: '${line.trim()}'`);
  } finally {
    await revertAndClose(editor);
  }
});

test('diagnostics: WebSocket proxy without proxy_http_version 1.1 -> ws-http-version', async () => {
  const editor = await openFixture('cases/ws-http-version.conf');
  try {
    const d = await waitForDiagnostic(editor.document.uri, 'ws-http-version');
    assert.strictEqual(d.source, 'nginx');
  } finally {
    await revertAndClose(editor);
  }
});

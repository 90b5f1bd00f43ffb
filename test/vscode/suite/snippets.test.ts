import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { EXTENSION_ID, openFixture, positionOf, revertAndClose } from './helpers';

const SNIPPET = 'websocket-setup';

interface SnippetDef {
  prefix?: string | string[];
  body: string | string[];
  description?: string;
}

/** Reads the websocket-setup snippet from the snippet files the installed extension contributes. */
function contributedSnippet(): SnippetDef {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not installed`);
  const contributed = ((ext.packageJSON as { contributes?: { snippets?: { language: string; path: string }[] } }).contributes
    ?.snippets ?? []).filter((s) => s.language === 'nginx');
  assert.ok(contributed.length > 0, 'package.json contributes no nginx snippets');
  for (const s of contributed) {
    const file = path.join(ext.extensionPath, s.path);
    const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, SnippetDef>;
    for (const [name, def] of Object.entries(all)) {
      const prefixes = def.prefix === undefined ? [] : Array.isArray(def.prefix) ? def.prefix : [def.prefix];
      if (name === SNIPPET || prefixes.includes(SNIPPET)) return def;
    }
  }
  assert.fail(`no snippet named or prefixed '${SNIPPET}' in ${contributed.map((s) => s.path).join(', ')}`);
}

/** The text a snippet body line shows with all placeholders at their defaults. */
function expand(line: string): string {
  let prev: string;
  do {
    prev = line;
    line = line
      .replace(/\$\{\d+:([^{}]*)\}/g, '$1') // ${1:default}
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1') // ${1|a,b|}
      .replace(/\$\{\d+\}/g, '') // ${1}
      .replace(/\$\d+/g, ''); // $1, $0
  } while (line !== prev);
  return line.replace(/\\\$/g, '$').replace(/\\\}/g, '}');
}

test(`snippet: '${SNIPPET}' inserts the WebSocket proxy setup inside http { }`, async () => {
  const def = contributedSnippet();
  const body = Array.isArray(def.body) ? def.body : def.body.split('\n');
  const editor = await openFixture('cases/snippet.conf');
  try {
    // websocket-setup is an http-level snippet (map + upstream + server): insert it inside `http { }`
    const line = positionOf(editor.document, 'http {').line + 1;
    const pos = editor.document.lineAt(line).range.end;
    editor.selection = new vscode.Selection(pos, pos);
    const before = editor.document.getText();
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'nginx', name: SNIPPET });
    const after = await waitFor('the snippet text in the document', () => {
      const t = editor.document.getText();
      return t !== before ? t : undefined;
    }, { timeoutMs: 5_000 });
    const expected = body.map((l) => expand(l).trim()).filter((l) => l.length > 0);
    assert.ok(expected.length > 0, 'snippet body is empty');
    for (const l of expected) {
      assert.ok(after.includes(l), `inserted text lacks snippet line '${l}':\n${after}`);
    }
    assert.ok(/proxy_http_version\s+1\.1/.test(after), 'snippet does not set proxy_http_version 1.1');
    assert.ok(/proxy_set_header\s+Upgrade\s+\$http_upgrade/.test(after), 'snippet does not pass the Upgrade header');
    // leave snippet mode before reverting
    await vscode.commands.executeCommand('leaveSnippet');
  } finally {
    await revertAndClose(editor);
  }
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { waitFor, test } from './harness';
import { EXTENSION_ID, fixtureUri, nginxDiagnostics, revertAndClose } from './helpers';

/**
 * A user typing in a large file: the language server must keep up (the last keystroke's diagnostics
 * arrive). Run with NGINX_LS_TRACE_FILE set, the server traces what this VS Code really sends around
 * each keystroke (server/src/trace.ts); this test adds `<trace>.meta.json` with the VS Code version,
 * and scripts/bench/trace-extract.mjs turns both into scripts/bench/vscode-trace.json, the request mix
 * scripts/bench/traffic.mjs replays. NGINX_LS_TRACE_CONF may name the file to type in (the benchmark's
 * gen-big-conf output); without it a 4k-line file is made here.
 */
const TYPED = 'proxy_read_timeout 3600s;';
const INTERVAL_MS = 120; // a fast typist, as the benchmark assumes

function bigConfig(): string {
  const given = process.env.NGINX_LS_TRACE_CONF;
  if (given && fs.existsSync(given)) return fs.readFileSync(given, 'utf8');
  const servers: string[] = [];
  for (let i = 0; i < 100; i++) {
    servers.push(`    upstream app${i} {\n        server 127.0.0.1:${9000 + i};\n        keepalive 16;\n    }\n    server {\n        listen 80;\n        server_name s${i}.example.com;\n        root /var/www/s${i};\n` +
      `        location / {\n            try_files $uri $uri/ =404;\n        }\n        location /api/ {\n            proxy_pass http://app${i};\n            proxy_set_header Host $host;\n            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n        }\n` +
      `        location /ws/ {\n            proxy_pass http://app${i};\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_read_timeout 3600s;\n        }\n    }\n`);
  }
  return `worker_processes auto;\nevents {\n    worker_connections 1024;\n}\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n${servers.join('')}}\n`;
}

test('typing in a large file: the last keystroke\'s diagnostics arrive (and, traced, VS Code\'s traffic per keystroke)', async () => {
  const uri = fixtureUri('traffic/nginx.conf');
  const text = bigConfig();
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  try {
    assert.strictEqual(doc.languageId, 'nginx');
    await waitFor('the first diagnostics of the large file', () => (nginxDiagnostics(uri).length > 0 ? true : undefined), { timeoutMs: 60_000 });
    // the cursor on a new line in the `location /` of the middle server, scrolled into view
    const lines = text.split('\n');
    const locations = lines.map((l, i) => (/^\s*location \/ \{/.test(l) ? i : -1)).filter((i) => i >= 0);
    const at = locations[Math.floor(locations.length / 2)];
    const end = doc.lineAt(at).range.end;
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenter);
    const signature = () => nginxDiagnostics(uri).map((d) => `${d.range.start.line}:${d.message}`).sort().join('\n');
    const initial = signature();
    const trace = process.env.NGINX_LS_TRACE_FILE;
    const started = Date.now();
    await vscode.commands.executeCommand('type', { text: '\n' });
    let keystrokes = 1;
    // type the directive, then delete it again, one key every INTERVAL_MS, as the user does (the
    // editor's own `type` and `deleteLeft` commands: suggestions, light bulb, outline all react)
    for (const ch of TYPED) {
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
      await vscode.commands.executeCommand('type', { text: ch });
      keystrokes++;
    }
    await vscode.commands.executeCommand('hideSuggestWidget');
    // the server has the typed text: a hover on the new directive documents it (before the edits the
    // position was on the next line's words). Its request is left out of the traced mix (meta.probes).
    const typedAt = new vscode.Position(at + 1, doc.lineAt(at + 1).firstNonWhitespaceCharacterIndex + 3);
    await waitFor('a hover on the typed directive', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, typedAt)) ?? [];
      return hovers.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('proxy_read_timeout'))) ? true : undefined;
    }, { timeoutMs: 30_000 });
    for (let i = 0; i < TYPED.length; i++) {
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
      await vscode.commands.executeCommand('deleteLeft');
      keystrokes++;
    }
    const version = doc.version;
    // once the directive is deleted again the problems are those of the file as it was
    await waitFor('the diagnostics of the file as it was, after the last keystroke', () => (signature() === initial ? true : undefined), { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 2000)); // the debounced requests of the last keystroke
    assert.strictEqual(doc.version, version);
    if (trace) {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      fs.writeFileSync(`${trace}.meta.json`, JSON.stringify({
        vscodeVersion: vscode.version, appName: vscode.env.appName, appHost: vscode.env.appHost, uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
        extensionVersion: ext?.packageJSON?.version, probes: ['textDocument/hover'], uri: uri.toString(), lines: lines.length, keystrokes, intervalMs: INTERVAL_MS, typed: TYPED,
        startedAt: new Date(started).toISOString(), ms: Date.now() - started,
      }, null, 2));
    }
  } finally {
    await revertAndClose(editor);
    await vscode.workspace.fs.delete(uri);
  }
}, { timeoutMs: 180_000 });

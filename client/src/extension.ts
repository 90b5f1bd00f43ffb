/**
 * VS Code client for the nginx language server.
 *
 * Deliberately thin: all language knowledge lives in the server (server/src/service/). This file only
 * starts the bundled server, keeps it alive (bounded restarts, visible failures) and exposes a few
 * commands that forward to server features. Only `vscode` and `vscode-languageclient/node` are imported
 * so the esbuild bundle (dist/client.js) stays small and activation stays fast.
 */
import * as vscode from 'vscode';
import { isCandidate, looksLikeNginx } from './detect';
import { parseRouteInput, routeRows, routeTitle, type RouteCommandArgs, type RouteRequestFields, type RouteResult, type RouteRow } from './route';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** What activate() resolves to; the VS Code test suite reads it through `extension.exports`. */
export interface NginxExtensionApi {
  client: LanguageClient;
  /** Milliseconds spent in activate(): client created, commands registered, server start requested. */
  activationMs: number;
  /** Resolves when the server has answered `initialize`, with the milliseconds since activate() began (undefined if it failed). */
  serverReady: Promise<number | undefined>;
}

/** What `nginx.routeUrl` resolves to once its result list is shown (the VS Code suite reads it). */
export interface RouteShown {
  request: RouteRequestFields;
  result: RouteResult;
  title: string;
  /** the rows as listed, labels without their icon */
  rows: { label: string; description?: string; detail?: string }[];
}

const CLIENT_ID = 'nginx'; // also the prefix of the `nginx.trace.server` setting read by the library
const CLIENT_NAME = 'nginx Language Server';
/** The server's fix-all code action kinds (server/src/service/features/fixAll.ts). */
const FIX_ALL_KIND = 'source.fixAll.nginx';
const FIX_ALL_WEBSOCKET_KIND = 'source.fixAll.nginx-websocket';
const EFFECTIVE_CONFIG_REQUEST = 'nginx/effectiveConfiguration';
const RENDER_TEMPLATE_REQUEST = 'nginx/renderTemplate';
const ASSUMED_VERSION_REQUEST = 'nginx/assumedVersion';
const ROUTE_REQUEST = 'nginx/route';
const EFFECTIVE_SCHEME = 'nginx-effective';

/** Crash policy: restart automatically at most this many times inside this window. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NginxExtensionApi> {
  const started = performance.now();

  // A LogOutputChannel gives levels and timestamps; the same channel carries the trace so users
  // have one place to look when something goes wrong.
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  // `.conf` files outside the folders package.json maps to nginx open as "Properties": look at the
  // content and switch those that are nginx (nginx.detectLanguage: false leaves them alone)
  const detect = (doc: vscode.TextDocument): void => {
    if (!isCandidate(doc.uri.path, doc.languageId)) return;
    if (!vscode.workspace.getConfiguration('nginx', doc.uri).get<boolean>('detectLanguage', true)) return;
    const head = doc.getText(new vscode.Range(0, 0, 60, 0));
    if (!looksLikeNginx(head)) return;
    output.info(`${doc.uri.fsPath} looks like nginx: opening it as nginx`);
    void vscode.languages.setTextDocumentLanguage(doc, 'nginx').then(undefined, (err: unknown) => output.warn(`could not switch ${doc.uri.fsPath} to nginx: ${describe(err)}`));
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(detect));
  for (const doc of vscode.workspace.textDocuments) detect(doc);

  const crashGuard: CrashGuard = new CrashGuard(output, (): Promise<void> => restartServer(output, crashGuard));

  // The server resolves `include` across files, so it must hear about files it has not opened.
  // (and about compose files, .env and Dockerfiles: what the placeholders of templates hold)
  const watchers = ['**/*.conf', '**/nginx.conf', '**/*.nginx', '**/*.conf.template', '**/.env', '**/*compose*.y*ml', '**/Dockerfile*'].map((glob) =>
    vscode.workspace.createFileSystemWatcher(glob),
  );
  context.subscriptions.push(...watchers);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nginx' },
      { scheme: 'untitled', language: 'nginx' },
    ],
    synchronize: {
      configurationSection: 'nginx',
      fileEvents: watchers,
    },
    // Settings up front, so the first diagnostics already honour nginx.version, nginx.rules, etc.
    // (a JSON copy: the configuration object itself carries methods).
    initializationOptions: { settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('nginx'))) as unknown },
    outputChannel: output,
    traceOutputChannel: output,
    errorHandler: crashGuard,
  };

  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  const effectiveDocs = new EffectiveConfigurationDocuments();

  context.subscriptions.push(
    effectiveDocs,
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, effectiveDocs),
    vscode.commands.registerCommand('nginx.restartServer', () => restartServer(output, crashGuard)),
    vscode.commands.registerCommand('nginx.fixAllInFile', () => fixAllInFile(output, FIX_ALL_KIND, 'issues')),
    vscode.commands.registerCommand('nginx.fixAllWebSocketInFile', () => fixAllInFile(output, FIX_ALL_WEBSOCKET_KIND, 'WebSocket issues')),
    vscode.commands.registerCommand('nginx.showEffectiveConfiguration', () =>
      showEffectiveConfiguration(output, effectiveDocs),
    ),
    vscode.commands.registerCommand('nginx.renderTemplate', () => renderTemplate(output)),
    vscode.commands.registerCommand('nginx.routeUrl', (args?: RouteCommandArgs) => routeUrl(output, context, args)),
  );

  context.subscriptions.push(versionStatusBar(client));

  // The server is started but not awaited: activation is what VS Code waits for, and a node process
  // alone takes 100+ ms to boot. Features queue behind the start (sendRequest waits for it), and
  // `serverReady` lets tests and callers wait for the server explicitly.
  const serverReady = client.start().then(
    () => {
      const ms = Math.round(performance.now() - started);
      output.info(`language server ready in ${ms} ms`);
      return ms;
    },
    (err: unknown) => {
      // Keep the commands registered (a restart may succeed later) but say clearly what happened.
      output.error(`language server failed to start: ${describe(err)}`);
      void offerRecovery(output, crashGuard, 'The nginx language server failed to start.');
      return undefined;
    },
  );
  const activationMs = Math.round(performance.now() - started);
  output.info(`activated in ${activationMs} ms`);
  return { client, activationMs, serverReady };
}

export async function deactivate(): Promise<void> {
  if (client && client.state !== State.Stopped) {
    await client.stop();
  }
}

/**
 * Replaces the library's default handler (which gives up after a few crashes and only logs) with a
 * bounded restart policy whose final failure is visible to the user.
 */
class CrashGuard implements ErrorHandler {
  private restarts: number[] = [];

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly restart: () => Promise<void>,
  ) {}

  /** Forget previous crashes, e.g. after the user restarted the server by hand. */
  reset(): void {
    this.restarts = [];
  }

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.output.error(`connection error: ${describe(error)}`);
    // A few transport errors in a row can be transient; beyond that the connection is broken.
    if (count !== undefined && count <= 3) {
      return { action: ErrorAction.Continue, handled: true };
    }
    return { action: ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length < MAX_RESTARTS) {
      this.restarts.push(now);
      this.output.warn(
        `language server stopped unexpectedly; restarting (${this.restarts.length}/${MAX_RESTARTS} in 3 minutes)`,
      );
      return { action: CloseAction.Restart, handled: true };
    }
    this.output.error(`language server crashed ${MAX_RESTARTS + 1} times in 3 minutes; not restarting`);
    void offerRecovery(
      this.output,
      this,
      `The nginx language server crashed ${MAX_RESTARTS + 1} times in the last 3 minutes and will not be restarted automatically.`,
    );
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  /** Used by offerRecovery; kept here so the guard can be reset before a manual restart. */
  runRestart(): Promise<void> {
    return this.restart();
  }
}

async function offerRecovery(output: vscode.LogOutputChannel, guard: CrashGuard, text: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(text, 'Show log', 'Restart');
  if (choice === 'Show log') {
    output.show(true);
  } else if (choice === 'Restart') {
    await guard.runRestart();
  }
}

async function restartServer(output: vscode.LogOutputChannel, guard: CrashGuard): Promise<void> {
  if (!client) return;
  guard.reset();
  try {
    if (client.state !== State.Stopped) {
      await client.stop();
    }
    await client.start();
    output.info('language server restarted');
  } catch (err) {
    output.error(`restart failed: ${describe(err)}`);
    void vscode.window.showErrorMessage(`Could not restart the nginx language server: ${describe(err)}`, 'Show log').then(
      (choice) => {
        if (choice === 'Show log') output.show(true);
      },
    );
  }
}

function activeNginxEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'nginx') {
    void vscode.window.showInformationMessage('Open an nginx configuration file first.');
    return undefined;
  }
  return editor;
}

/**
 * Asks the server (through VS Code's own code-action pipeline, so middleware and resolve both apply)
 * for a fix-all source action (`kind`: all issues, or the WebSocket ones) over the whole file, and
 * applies it.
 */
async function fixAllInFile(output: vscode.LogOutputChannel, kind: string, what: string): Promise<void> {
  const editor = activeNginxEditor();
  if (!editor) return;
  const doc = editor.document;
  const fullRange = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    fullRange,
    kind,
    1, // resolve the first action, in case the server computes edits lazily
  );
  output.debug(`fix all ${what}: ${actions?.length ?? 0} action(s) offered: ${(actions ?? []).map((a) => a.title).join(' | ')}`);
  // The server may offer a location-scoped action before the file-scoped one; prefer the latter.
  const first = actions?.find((a) => /\bfile\b/i.test(a.title)) ?? actions?.[0];
  if (!first) {
    void vscode.window.showInformationMessage(`No ${what} to fix in this file.`);
    return;
  }
  if (isCommand(first)) {
    await vscode.commands.executeCommand(first.command, ...(first.arguments ?? []));
    return;
  }
  if (first.edit) {
    const applied = await vscode.workspace.applyEdit(first.edit);
    if (!applied) {
      output.warn(`fix-all edit (${what}) was rejected (the document probably changed meanwhile)`);
      void vscode.window.showWarningMessage(`Could not apply the fixes (${what}); try again.`);
      return;
    }
  }
  if (first.command) {
    await vscode.commands.executeCommand(first.command.command, ...(first.command.arguments ?? []));
  }
}

function isCommand(value: vscode.CodeAction | vscode.Command): value is vscode.Command {
  // A bare Command has a string `command`; a CodeAction's `command` (if any) is an object.
  return typeof (value as vscode.Command).command === 'string';
}

interface EffectiveConfigurationResult {
  markdown: string;
}

async function showEffectiveConfiguration(
  output: vscode.LogOutputChannel,
  docs: EffectiveConfigurationDocuments,
): Promise<void> {
  const editor = activeNginxEditor();
  if (!editor || !client) return;
  let result: EffectiveConfigurationResult | null;
  try {
    result = await client.sendRequest<EffectiveConfigurationResult | null>(EFFECTIVE_CONFIG_REQUEST, {
      textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    });
  } catch (err) {
    output.error(`${EFFECTIVE_CONFIG_REQUEST} failed: ${describe(err)}`);
    void vscode.window.showErrorMessage(`Could not compute the effective configuration: ${describe(err)}`);
    return;
  }
  if (!result) {
    output.debug(`${EFFECTIVE_CONFIG_REQUEST}: nothing at ${editor.document.uri.toString()}:${editor.selection.active.line + 1}`);
    void vscode.window.showInformationMessage('No effective configuration at this position.');
    return;
  }
  const uri = docs.add(result.markdown);
  try {
    // A read-only virtual document: nothing to save or discard afterwards.
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // Markdown preview is a built-in extension but can be disabled; fall back to the source view.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

/** Opens beside the editor what envsubst makes of the active template (an untitled nginx document, so it is analysed too). */
async function renderTemplate(output: vscode.LogOutputChannel): Promise<void> {
  const editor = activeNginxEditor();
  if (!editor || !client) return;
  let result: { text: string } | null;
  try {
    result = await client.sendRequest<{ text: string } | null>(RENDER_TEMPLATE_REQUEST, {
      textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
    });
  } catch (err) {
    output.error(`${RENDER_TEMPLATE_REQUEST} failed: ${describe(err)}`);
    void vscode.window.showErrorMessage(`Could not render the template: ${describe(err)}`);
    return;
  }
  if (!result) {
    void vscode.window.showInformationMessage('This file is not a template (name it *.template, put it under templates/, or start it with "# nginx: template").');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'nginx', content: result.text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

const ROUTE_HISTORY_KEY = 'nginx.routeUrl.last';

/**
 * "nginx: Which location handles a URL?": asks for the URL (unless a CodeLens passes the request),
 * sends `nginx/route` and lists the steps in a QuickPick — server, location, then what nginx does
 * next. Moving through the list shows each step in the editor (as Go to Symbol does), Enter keeps
 * the cursor there, Escape goes back to where it was. Resolves as soon as the list is shown.
 */
async function routeUrl(output: vscode.LogOutputChannel, context: vscode.ExtensionContext, args?: RouteCommandArgs): Promise<RouteShown | undefined> {
  if (!client) return undefined;
  const lc = client;
  let docUri: vscode.Uri;
  if (args?.uri) docUri = vscode.Uri.parse(args.uri);
  else {
    const editor = activeNginxEditor();
    if (!editor) return undefined;
    docUri = editor.document.uri;
  }
  let fields: RouteRequestFields;
  let input: string;
  if (args?.url) {
    fields = { url: args.url, host: args.host, method: args.method, clientAddress: args.clientAddress, serverAddress: args.serverAddress };
    input = args.input ?? args.url;
  } else if (args?.input) {
    // what the user would type, from a keybinding or another extension
    const parsed = parseRouteInput(args.input);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(parsed.error);
      return undefined;
    }
    ({ fields } = parsed);
    input = args.input.trim();
  } else {
    const asked = await askRouteInput(context.workspaceState.get<string>(ROUTE_HISTORY_KEY));
    if (!asked) return undefined;
    ({ fields, input } = asked);
    await context.workspaceState.update(ROUTE_HISTORY_KEY, input);
  }
  let result: RouteResult | null;
  try {
    result = await lc.sendRequest<RouteResult | null>(ROUTE_REQUEST, { textDocument: { uri: lc.code2ProtocolConverter.asUri(docUri) }, ...fields });
  } catch (err) {
    output.error(`${ROUTE_REQUEST} failed: ${describe(err)}`);
    void vscode.window.showErrorMessage(`Could not route the URL: ${describe(err)}`);
    return undefined;
  }
  if (!result) {
    void vscode.window.showInformationMessage('This file holds no http configuration to route a request through.');
    return undefined;
  }
  return showRouteResult(output, input, fields, result);
}

async function askRouteInput(last: string | undefined): Promise<{ fields: RouteRequestFields; input: string } | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'nginx: Which location handles a URL?',
    prompt: 'A URL (http://host:port/path?query) or a path; optionally a method first and "from <client IP>" after',
    placeHolder: 'http://example.com/api/users?id=1   ·   POST /upload from 10.0.0.7',
    value: last,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseRouteInput(text);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (value === undefined) return undefined;
  const parsed = parseRouteInput(value);
  return parsed.ok ? { fields: parsed.fields, input: value.trim() } : undefined;
}

interface RouteItem extends vscode.QuickPickItem {
  row: RouteRow;
}

function showRouteResult(output: vscode.LogOutputChannel, input: string, fields: RouteRequestFields, result: RouteResult): RouteShown {
  const rows = routeRows(result, (uri, line) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false)}:${line + 1}`);
  const pick = vscode.window.createQuickPick<RouteItem>();
  const title = routeTitle(fields, result);
  pick.title = title;
  pick.placeholder = 'Steps nginx takes for this request: move to show one, Enter to go there';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const again: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Route another URL' };
  pick.buttons = [again];
  pick.items = rows.map((row) =>
    row.separator
      ? { label: row.label, kind: vscode.QuickPickItemKind.Separator, row }
      : { label: row.label, description: row.description, detail: row.detail, row },
  );

  // where to go back to on Escape
  const origin = vscode.window.activeTextEditor;
  const originSelection = origin?.selection;
  const originVisible = origin?.visibleRanges[0];
  let accepted = false;
  const reveal = async (item: RouteItem | undefined, preview: boolean): Promise<void> => {
    const step = item?.row.step;
    if (!step) return;
    const range = lc2range(step.range);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(step.uri));
      const editor = await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: preview, selection: new vscode.Range(range.start, range.start) });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      if (preview) {
        for (const e of vscode.window.visibleTextEditors) if (e !== editor) e.setDecorations(routeHighlight(), []);
        editor.setDecorations(routeHighlight(), [range]);
      }
    } catch (err) {
      output.warn(`cannot show ${step.uri}: ${describe(err)}`);
    }
  };
  pick.onDidChangeActive((items) => void reveal(items[0], true));
  pick.onDidAccept(() => {
    const item = pick.selectedItems[0] ?? pick.activeItems[0];
    if (!item?.row.step) return;
    accepted = true;
    pick.hide();
    void reveal(item, false);
  });
  pick.onDidTriggerButton((b) => {
    if (b !== again) return;
    accepted = true; // the next list takes over; do not jump back
    pick.hide();
    void vscode.commands.executeCommand('nginx.routeUrl');
  });
  pick.onDidHide(() => {
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(routeHighlight(), []);
    if (!accepted && origin && originSelection) {
      void vscode.window.showTextDocument(origin.document, { selection: originSelection, preview: false, viewColumn: origin.viewColumn }).then((e) => {
        if (originVisible) e.revealRange(originVisible, vscode.TextEditorRevealType.AtTop);
      }, () => undefined);
    }
    pick.dispose();
  });
  pick.show();
  // open on the first step with a place: the location if there is one (what the user asked about)
  const first = pick.items.find((i) => i.row.step?.kind === 'location') ?? pick.items.find((i) => i.row.step);
  if (first) {
    pick.activeItems = [first];
    void reveal(first, true);
  }
  output.debug(`${ROUTE_REQUEST} ${input}: ${rows.filter((r) => r.step).map((r) => r.step!.kind).join(' → ')}`);
  return {
    request: fields,
    result,
    title,
    rows: rows.filter((r) => !r.separator).map((r) => ({ label: r.label.replace(/^\$\([a-z-]+\) /, ''), description: r.description, detail: r.detail })),
  };
}

/** The step being previewed in the result list, marked as the editor marks a search match (made on first use). */
let routeHighlightType: vscode.TextEditorDecorationType | undefined;
function routeHighlight(): vscode.TextEditorDecorationType {
  routeHighlightType ??= vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    isWholeLine: true,
  });
  return routeHighlightType;
}

function lc2range(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Serves the markdown returned by the server as read-only `nginx-effective:` documents. */
class EffectiveConfigurationDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private counter = 0;
  private readonly closeListener = vscode.workspace.onDidCloseTextDocument((doc) => {
    if (doc.uri.scheme === EFFECTIVE_SCHEME) this.contents.delete(doc.uri.toString());
  });

  add(markdown: string): vscode.Uri {
    this.counter += 1;
    const uri = vscode.Uri.from({
      scheme: EFFECTIVE_SCHEME,
      path: `/effective-configuration-${this.counter}.md`,
    });
    this.contents.set(uri.toString(), markdown);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '_This effective configuration view has expired; run the command again._';
  }

  dispose(): void {
    this.closeListener.dispose();
    this.contents.clear();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A status bar item on nginx files: the nginx version the server checks the file for (the setting,
 * a `# nginx: version=` comment, or the workspace's Dockerfile/compose image), with why as tooltip.
 */
function versionStatusBar(lc: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('nginx.version', vscode.StatusBarAlignment.Right, 100);
  item.name = 'nginx version';
  item.command = { title: 'nginx.version', command: 'workbench.action.openSettings', arguments: ['nginx.version'] };
  let seq = 0;
  const update = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'nginx' || lc.state !== State.Running) { item.hide(); return; }
    const mine = ++seq;
    try {
      const a = await lc.sendRequest<{ version: string; why: string } | null>(ASSUMED_VERSION_REQUEST, { textDocument: { uri: editor.document.uri.toString() } });
      if (mine !== seq) return;
      item.text = a ? `nginx ${a.version}` : 'nginx ?';
      item.tooltip = a ? `Checked for nginx ${a.version} (from ${a.why})` : 'nginx version unknown: set "nginx.version" or add "# nginx: version=1.30"';
      item.show();
    } catch {
      item.hide();
    }
  };
  const run = (): void => { void update(); };
  const subs = [
    item,
    vscode.window.onDidChangeActiveTextEditor(run),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('nginx.version')) run(); }),
    vscode.workspace.onDidSaveTextDocument(run),
    lc.onDidChangeState(run),
  ];
  return vscode.Disposable.from(...subs);
}

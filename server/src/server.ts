/**
 * LSP wiring only: capabilities, handlers, settings, document sync. Every handler is
 * "document → cached tree → service call", wrapped so an exception is logged, never fatal.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  RequestType,
  type CancellationToken,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import {
  checkText, createLanguageService, ENVIRONMENT_GLOBS, FIX_ALL_KIND, NGINX_FILE_GLOBS, FIX_ALL_WEBSOCKET_KIND, isEnvironmentSource, RenameError, resolveSettings, SOURCE,
  type RouteRequest, type RouteResult,
} from './service/index';
import { VERSION } from './version';
import { NodeFileSystem } from './nodeFileSystem';
import { ValidationWorker } from './validationWorker';
import { bundledRuleDocs } from './ruleDocs';
import { deferTexts } from './deferredTexts';
import { requestSteps, runSteps, validationSteps } from './warmUp';

export const EFFECTIVE_CONFIGURATION_REQUEST = 'nginx/effectiveConfiguration';
/** A template's text as envsubst renders it with the workspace's values: `{ text }`, or null for an ordinary file. */
export const RENDER_TEMPLATE_REQUEST = 'nginx/renderTemplate';
/** { textDocument: { uri } } → { version, why } | null: the nginx version the file is checked for */
export const ASSUMED_VERSION_REQUEST = 'nginx/assumedVersion';
/** nginx/route: which server and location answer a request (docs/routing.md) */
export type RouteParams = { textDocument: { uri: string } } & RouteRequest;
/** the client command a route CodeLens runs (client/src/extension.ts) with `{ uri, url, host, serverAddress, input }` */
export const ROUTE_URL_COMMAND = 'nginx.routeUrl';
interface RouteLensData { uri: string; offset: number }
export const ROUTE_REQUEST = new RequestType<RouteParams, RouteResult | null, void>('nginx/route');

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  // a keystroke's text is parsed on this thread only when a request needs it (deferredTexts.ts)
  const service = deferTexts(createLanguageService({ fs: new NodeFileSystem(), ruleDocs: bundledRuleDocs }));
  /** uri → why it is not analysed (binary, too large) */
  const rejected = new Map<string, string>();
  let hasConfigurationCapability = false;
  let hasWatchedFiles = false;
  /** the client can resolve code actions' edits later (codeAction/resolve) */
  let canResolveCodeActions = false;
  let canRefreshCodeLens = false;
  /** the client resolves a completion item's documentation: directive items are sent without it */
  let lazyCompletionDocs = false;
  /** the client applies a completion list's itemDefaults (editRange, insertTextFormat, data) */
  let completionItemDefaults = false;

  const log = (msg: string) => connection.console.log(msg);
  /** settings problems already told (a bad glob in nginx.mainFiles is logged once, not per change) */
  const told = new Set<string>();

  // validation (and the code actions that need its findings) runs in a worker thread, so requests
  // never queue behind it; NGINX_LS_NO_WORKER=1 (or a failed start) keeps it on this thread
  let worker: ValidationWorker | null = null;
  if (!process.env.NGINX_LS_NO_WORKER) {
    try {
      worker = new ValidationWorker(__filename);
      worker.onLog = (m) => connection.console.error(m);
      worker.onDiagnostics = (m) => {
        const doc = documents.get(m.uri);
        if (m.unopened) {
          // a file of the configuration nobody opened: its problems still belong in the Problems panel
          if (doc) return;
          unopenedPublished.add(m.uri);
          void connection.sendDiagnostics({ uri: m.uri, diagnostics: m.diagnostics });
          return;
        }
        // a stale answer is dropped: the change that made it stale scheduled a newer validation
        if (!doc || rejected.has(m.uri) || (m.version !== null && m.version !== doc.version)) return;
        void connection.sendDiagnostics({ uri: m.uri, version: doc.version, diagnostics: m.diagnostics });
        catchUpSoon();
      };
    } catch (err) {
      log(`no validation worker (${(err as Error)?.message ?? err}); validating on the main thread`);
      worker = null;
    }
  }
  const useWorker = () => !!worker && !worker.failed;
  /**
   * The worker has checked the newest text and is idle: this thread parses it now, beside no
   * validation, so that the outline, inlay hints or completion asked next (VS Code asks for the
   * outline ~350 ms after a keystroke) need not (25-30 ms on 43k lines). A keystroke meanwhile
   * only replaces the recorded text.
   */
  let catchUpTimer: NodeJS.Timeout | undefined;
  function catchUpSoon(): void {
    clearTimeout(catchUpTimer);
    catchUpTimer = setTimeout(guard('catchUp', undefined, () => service.catchUp()), 0);
  }
  /** unopened files whose diagnostics were published (cleared when they leave the configurations) */
  const unopenedPublished = new Set<string>();
  if (worker) {
    worker.onWorkspaceDone = (m) => {
      const now = new Set(m.uris);
      for (const uri of unopenedPublished) {
        if (now.has(uri)) continue;
        unopenedPublished.delete(uri);
        if (!documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      log(`checked ${m.uris.length} unopened configuration files in ${Math.round(m.ms)} ms`);
    };
  }
  let workspaceTimer: NodeJS.Timeout | undefined;
  /** Re-checks the unopened files of the configurations, once the user paused (they depend on every edit). */
  function scheduleWorkspace(delay = 1000): void {
    if (!useWorker()) return; // on the request thread this would stall the editor
    clearTimeout(workspaceTimer);
    workspaceTimer = setTimeout(() => worker!.send({ type: 'workspace' }), delay);
  }
  function configure(raw: unknown): void {
    service.configure(resolveSettings(raw));
    worker?.send({ type: 'settings', settings: raw });
    for (const m of service.settingsProblems()) if (!told.has(m)) told.add(m), log(m);
  }
  function refresh(): void {
    service.refresh();
    worker?.send({ type: 'refresh' });
  }

  /** Runs a handler; an exception is logged and answered with `fallback`. */
  function guard<P, R>(name: string, fallback: R, fn: (p: P) => R): (p: P) => R {
    return (p: P) => {
      try {
        return fn(p);
      } catch (err) {
        connection.console.error(`${name} failed: ${(err as Error)?.stack ?? err}`);
        return fallback;
      }
    };
  }

  /**
   * A request handler: guarded, and a request the client cancelled before it ran ($/cancelRequest,
   * e.g. a light-bulb request for a cursor position the user already left) is answered with
   * RequestCancelled without doing the work.
   */
  function request<P, R>(name: string, fallback: R, fn: (p: P) => R): (p: P, token?: CancellationToken) => R | ResponseError<void> {
    const run = guard(name, fallback, fn);
    return (p: P, token?: CancellationToken) => (token?.isCancellationRequested ? new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`) : run(p));
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    hasConfigurationCapability = !!caps.workspace?.configuration;
    hasWatchedFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canResolveCodeActions = !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit');
    canRefreshCodeLens = !!caps.workspace?.codeLens?.refreshSupport;
    lazyCompletionDocs = !!caps.textDocument?.completion?.completionItem?.resolveSupport?.properties?.includes('documentation');
    const defaults = caps.textDocument?.completion?.completionList?.itemDefaults ?? [];
    completionItemDefaults = ['editRange', 'insertTextFormat', 'data'].every((k) => defaults.includes(k));
    const folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!folders.length && params.rootUri) folders.push(params.rootUri);
    service.setFolders(folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)));
    worker?.send({ type: 'folders', folders: service.folders() });
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) configure(init.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false }, // a keystroke sends its edit, not the whole (possibly 1.4 MB) text
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['$', ' ', '{'], resolveProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, FIX_ALL_WEBSOCKET_KIND], resolveProvider: true },
        documentHighlightProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        documentOnTypeFormattingProvider: { firstTriggerCharacter: '}', moreTriggerCharacter: [';'] },
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'nginx-language-server', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (hasConfigurationCapability) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nginx' }).catch(() => undefined);
      await pullSettings();
    }
    if (hasWatchedFiles) {
      void connection.client
        .register(
          { method: 'workspace/didChangeWatchedFiles' } as never,
          { watchers: [...NGINX_FILE_GLOBS, ...ENVIRONMENT_GLOBS].map((globPattern) => ({ globPattern })) } as never,
        )
        .catch(() => undefined);
    }
    refresh();
    revalidateAll();
    // compile the features' code before the first file's requests need it (warmUp.ts);
    // NGINX_LS_NO_WARMUP=1 leaves it to the first requests (to measure what it saves)
    if (!process.env.NGINX_LS_NO_WARMUP) {
      runSteps(useWorker() ? requestSteps() : [...requestSteps(), ...validationSteps()], log);
      if (useWorker()) worker!.send({ type: 'warmUp' });
    }
  });

  async function pullSettings(): Promise<void> {
    try {
      const [nginx] = await connection.workspace.getConfiguration([{ section: 'nginx' }]);
      if (nginx && typeof nginx === 'object') configure(nginx);
    } catch (err) {
      log(`could not read settings: ${(err as Error)?.message ?? err}`);
    }
  }

  connection.onDidChangeConfiguration(async (change) => {
    const s = (change.settings as { nginx?: unknown } | null)?.nginx;
    if (s && typeof s === 'object') configure(s);
    else if (hasConfigurationCapability) await pullSettings();
    revalidateAll();
    // nginx.inlayHints.enabled, nginx.codeLens.routes may have changed
    void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (canRefreshCodeLens) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });

  // ------------------------------------------------------------------ diagnostics

  const timers = new Map<string, NodeJS.Timeout>();

  function publish(uri: string): void {
    const doc = documents.get(uri);
    if (!doc) return;
    let diagnostics: Diagnostic[];
    const why = rejected.get(uri);
    if (why) {
      diagnostics = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: SOURCE, code: 'input-invalid', message: why }];
    } else if (useWorker()) {
      worker!.send({ type: 'validate', uri });
      return;
    } else {
      try {
        diagnostics = service.validate(uri);
        logAssumedVersion(uri);
      } catch (err) {
        connection.console.error(`validation of ${uri} failed: ${(err as Error)?.stack ?? err}`);
        diagnostics = [];
      }
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  /** the output channel says once per file (and on each change of answer) which version is assumed and why */
  const assumedLogged = new Map<string, string>();
  function logAssumedVersion(uri: string): void {
    const a = service.assumedVersion(uri);
    const line = a ? `nginx ${a.version} (from ${a.why})` : 'nginx version unknown (set "nginx.version" or add "# nginx: version=1.30")';
    if (assumedLogged.get(uri) === line) return;
    assumedLogged.set(uri, line);
    log(`${uri}: checked for ${line}`);
  }

  /**
   * Validates `uri` and every open document that depends on it, after a short quiet period.
   * `dependents: false` when the caller schedules those itself (the worker would validate them twice).
   */
  function schedule(uri: string, delay = 0, dependents = true): void {
    if (useWorker() && !rejected.has(uri)) {
      // the worker validates the open documents that include `uri` after it: finding them here
      // would parse the new text on this thread, which no request may have asked for
      if (!documents.get(uri)) return;
      clearTimeout(timers.get(uri));
      timers.set(uri, setTimeout(() => {
        timers.delete(uri);
        if (documents.get(uri) && !rejected.has(uri)) worker!.send({ type: 'validate', uri, dependents });
        else publish(uri);
      }, delay));
      return;
    }
    let targets: string[] = [uri];
    try {
      targets = service.dependents(uri);
      if (!targets.includes(uri)) targets.unshift(uri);
    } catch (err) {
      connection.console.error(`dependents of ${uri} failed: ${(err as Error)?.message ?? err}`);
    }
    for (const t of targets) {
      if (!documents.get(t)) continue;
      clearTimeout(timers.get(t));
      timers.set(t, setTimeout(() => {
        timers.delete(t);
        publish(t);
      }, t === uri ? delay : delay + 50));
    }
  }

  function revalidateAll(): void {
    for (const d of documents.all()) schedule(d.uri, 0, false);
    scheduleWorkspace(200);
  }

  function sync(doc: TextDocument): void {
    const text = doc.getText();
    const problem = checkText(text);
    if (problem && problem.severity === 'error') {
      rejected.set(doc.uri, problem.message);
      service.closeDocument(doc.uri);
      worker?.send({ type: 'close', uri: doc.uri });
      return;
    }
    rejected.delete(doc.uri);
    // the worker first: it starts parsing while this thread goes on
    worker?.send({ type: 'open', uri: doc.uri, text, version: doc.version });
    service.openDocument(doc.uri, text, doc.version);
  }

  documents.onDidOpen(guard('didOpen', undefined, (e) => {
    sync(e.document);
    schedule(e.document.uri);
    unopenedPublished.delete(e.document.uri);
  }));
  documents.onDidChangeContent(guard('didChange', undefined, (e) => {
    sync(e.document);
    // no quiet period: the worker keeps only the latest text of a burst, and an edit inside one server
    // block is validated incrementally (tens of ms on 43,000 lines), so waiting would only add latency
    schedule(e.document.uri, 0);
    scheduleWorkspace();
  }));
  documents.onDidClose(guard('didClose', undefined, (e) => {
    const uri = e.document.uri;
    rejected.delete(uri);
    assumedLogged.delete(uri);
    service.closeDocument(uri);
    worker?.send({ type: 'close', uri });
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const t of service.dependents(uri)) if (t !== uri && documents.get(t)) schedule(t, 0, false);
    // a closed file of a configuration keeps its problems (from its text on disk)
    scheduleWorkspace(100);
  }));

  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (p) => {
    // one batch (a `git checkout` sends thousands of events) costs at most two graph builds: the
    // open documents depending on the changed files before the change (a deleted main file's sites)
    // and after it, instead of a rebuild per event
    const changes = p.changes.filter((c) => !documents.get(c.uri)); // the editor's copy wins
    if (changes.length) {
      const uris = changes.map((c) => c.uri);
      const created = changes.some((c) => c.type !== FileChangeType.Changed);
      if (useWorker()) {
        // the worker finds the affected open documents and validates them (validationWorker.ts)
        worker!.send({ type: 'filesChanged', uris, appearedOrWent: created });
        for (const u of uris) service.fileChanged(u);
        if (created) service.filesAppearedOrWent();
      } else {
        const affected = service.filesChanged(uris, created);
        // as in the worker: a file that appeared or went re-validates every open document
        for (const t of created ? documents.keys() : affected) if (documents.get(t)) schedule(t, 0, false);
      }
      // a compose file, .env or Dockerfile: what the open templates' placeholders hold
      if (changes.some((c) => isEnvironmentSource(c.uri))) for (const d of documents.all()) if (service.template(d.uri)) schedule(d.uri, 0, false);
    }
    scheduleWorkspace(300);
  }));

  // ------------------------------------------------------------------ features

  // (without parsing the newest text: a request the worker answers needs no tree on this thread)
  const known = (uri: string) => !!documents.get(uri) && !rejected.has(uri) && service.knows(uri);

  connection.onHover(request('hover', null, (p) => (known(p.textDocument.uri) ? service.hover(p.textDocument.uri, p.position) : null)));
  connection.onCompletion(request('completion', null, (p) => (known(p.textDocument.uri) ? service.complete(p.textDocument.uri, p.position, { lazyDocumentation: lazyCompletionDocs, itemDefaults: completionItemDefaults }) : null)));
  // on failure the item as it came: an error would show the user nothing better
  connection.onCompletionResolve((item) => guard('completionItem/resolve', item, (i: typeof item) => service.resolveCompletion(i))(item));
  connection.onCodeAction(request('codeAction', [] as CodeAction[] | Promise<CodeAction[]>, (p) => {
    if (!known(p.textDocument.uri)) return [];
    const local = () => service.codeActions(p.textDocument.uri, p.range, p.context.diagnostics, p.context.only, canResolveCodeActions);
    if (!useWorker()) return local();
    return worker!.ask<CodeAction[]>({ type: 'codeActions', uri: p.textDocument.uri, range: p.range, diagnostics: p.context.diagnostics, only: p.context.only, lazy: canResolveCodeActions })
      .catch((err: Error) => {
        connection.console.error(`codeAction in the worker failed: ${err.message}`);
        return local();
      });
  }));
  connection.onCodeActionResolve(async (a) => {
    try {
      if (useWorker()) return await worker!.ask<CodeAction>({ type: 'resolveCodeAction', action: a });
      return service.resolveCodeAction(a);
    } catch (err) {
      connection.console.error(`codeActionResolve failed: ${(err as Error)?.stack ?? err}`);
      return a; // unresolved: the editor applies nothing
    }
  });
  connection.onDocumentHighlight(request('documentHighlight', [], (p) => (known(p.textDocument.uri) ? service.documentHighlights(p.textDocument.uri, p.position) : [])));
  connection.languages.inlayHint.on(request('inlayHint', [], (p) => (known(p.textDocument.uri) ? service.inlayHints(p.textDocument.uri, p.range) : [])));

  // Route CodeLenses: the list is cheap (a range per location); each lens is proven with the
  // routing model only when the editor resolves it (the visible ones), since that costs route lookups.
  connection.onCodeLens(request('codeLens', [] as CodeLens[], (p) => {
    const uri = p.textDocument.uri;
    if (!known(uri)) return [];
    return service.routeLenses(uri).map((l): CodeLens => ({ range: l.range, data: { uri, offset: l.offset } satisfies RouteLensData }));
  }));
  connection.onCodeLensResolve(guard('codeLensResolve', null as unknown as CodeLens, (lens: CodeLens): CodeLens => {
    const data = lens.data as RouteLensData | undefined;
    const r = data && known(data.uri) ? service.resolveRouteLens(data.uri, data.offset) : null;
    if (!r || !data) return { ...lens, command: { title: 'no example URL (the file changed)', command: '' } };
    const args = r.request && { uri: data.uri, url: r.request.path, host: r.request.host, serverAddress: r.request.serverAddress, input: r.request.url };
    return { ...lens, command: { title: r.title, command: args ? ROUTE_URL_COMMAND : '', ...(args ? { arguments: [args] } : {}) } };
  }));
  connection.onDefinition(request('definition', [], (p) => (known(p.textDocument.uri) ? service.findDefinition(p.textDocument.uri, p.position) : [])));
  connection.onReferences(request('references', [], (p) =>
    known(p.textDocument.uri) ? service.findReferences(p.textDocument.uri, p.position, p.context.includeDeclaration) : []));
  connection.onPrepareRename(request('prepareRename', null, (p) => (known(p.textDocument.uri) ? service.prepareRename(p.textDocument.uri, p.position) : null)));
  connection.onRenameRequest((p) => {
    if (!known(p.textDocument.uri)) return null;
    try {
      return service.rename(p.textDocument.uri, p.position, p.newName);
    } catch (err) {
      // an invalid or clashing name: tell the user why (the editor shows the message)
      if (err instanceof RenameError) return new ResponseError(ErrorCodes.InvalidParams, err.message);
      connection.console.error(`rename failed: ${(err as Error)?.stack ?? err}`);
      return null;
    }
  });
  connection.onDocumentLinks(request('documentLinks', [], (p) => (known(p.textDocument.uri) ? service.documentLinks(p.textDocument.uri) : [])));
  connection.onDocumentSymbol(request('documentSymbol', [], (p) => (known(p.textDocument.uri) ? service.documentSymbols(p.textDocument.uri) : [])));
  connection.onWorkspaceSymbol(request('workspaceSymbol', [], (p) => service.workspaceSymbols(p.query)));
  connection.onFoldingRanges(request('foldingRanges', [], (p) => (known(p.textDocument.uri) ? service.foldingRanges(p.textDocument.uri) : [])));
  /** Formatting a file with a syntax error answers with a message saying where, not silence. */
  const refuse = (uri: string): boolean => {
    const why = service.formatRefusal(uri);
    // a notification (window/showMessage), not a request: nothing to wait for, no buttons
    if (why) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: why });
    return !!why;
  };
  connection.onDocumentFormatting(request('formatting', [], (p) => (known(p.textDocument.uri) && !refuse(p.textDocument.uri) ? service.format(p.textDocument.uri, p.options) : [])));
  connection.onDocumentRangeFormatting(request('rangeFormatting', [], (p) =>
    known(p.textDocument.uri) && !refuse(p.textDocument.uri) ? service.format(p.textDocument.uri, p.options, p.range) : []));
  connection.onDocumentOnTypeFormatting(request('onTypeFormatting', [], (p) =>
    known(p.textDocument.uri) ? service.formatOnType(p.textDocument.uri, p.position, p.ch, p.options) : []));
  connection.onRequest(EFFECTIVE_CONFIGURATION_REQUEST, request('effectiveConfiguration', null, (p: { textDocument: { uri: string }; position: { line: number; character: number } }) => {
    if (!known(p.textDocument.uri)) return null;
    const markdown = service.effectiveConfiguration(p.textDocument.uri, p.position);
    return markdown ? { markdown } : null;
  }));

  connection.onRequest(RENDER_TEMPLATE_REQUEST, guard('renderTemplate', null, (p: { textDocument: { uri: string } }) => {
    if (!known(p.textDocument.uri)) return null;
    const text = service.renderTemplate(p.textDocument.uri);
    return text === null ? null : { text };
  }));
  connection.onRequest(ASSUMED_VERSION_REQUEST, guard('assumedVersion', null, (p: { textDocument: { uri: string } }) =>
    (known(p.textDocument.uri) ? service.assumedVersion(p.textDocument.uri) : null)));

  connection.onRequest(ROUTE_REQUEST, request('route', null as RouteResult | null, (p: RouteParams) => {
    const uri = p?.textDocument?.uri;
    // a file of the workspace need not be open: the route of its configuration is asked from its tab or the CLI
    if (typeof uri !== 'string' || rejected.has(uri) || !service.parsed(uri)) return null;
    const { textDocument: _doc, ...req } = p;
    return service.route(uri, req);
  }));

  // a last line of defence: log, do not die
  process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err?.stack ?? err}`));
  process.on('unhandledRejection', (err) => connection.console.error(`unhandled rejection: ${(err as Error)?.stack ?? err}`));

  documents.listen(connection);
  connection.listen();
}

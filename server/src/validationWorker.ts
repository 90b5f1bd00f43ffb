/**
 * Validation off the request thread. On a large file one validation takes hundreds of milliseconds;
 * run on the thread that answers requests, every hover, completion and highlight typed during it
 * waits. So the server mirrors its documents and settings into a worker thread (the same bundle,
 * started with `workerData.role === 'validator'`) that holds its own LanguageService, validates,
 * and answers the code action requests that need the findings (quick fixes are thunks over the
 * findings' trees, so they are computed where the findings live).
 *
 * Texts are applied lazily: a burst of keystrokes queued while the worker was busy costs one parse.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { createLanguageService, resolveSettings } from './service/index';
import { runSteps, validationSteps } from './warmUp';
import { NodeFileSystem } from './nodeFileSystem';
import { bundledRuleDocs } from './ruleDocs';

export type ToWorker =
  | { type: 'settings'; settings: unknown }
  | { type: 'folders'; folders: string[] }
  | { type: 'open'; uri: string; text: string; version: number }
  | { type: 'close'; uri: string }
  /**
   * files changed on disk (`appearedOrWent`: one was created or deleted); the worker validates the open documents
   * that depended on them before the change or depend on them after it. It decides, not the request
   * thread: that one builds its include graphs only when a request needs them, maybe after the
   * change (a deleted main file would no longer be seen as its sites' main file)
   */
  | { type: 'filesChanged'; uris: string[]; appearedOrWent: boolean }
  | { type: 'refresh' }
  /** run validation and code actions once over a small configuration (warmUp.ts) */
  | { type: 'warmUp' }
  /**
   * validate `uri`; with `dependents`, then the open documents that include it (found here, from the
   * worker's own copy of the texts: the request thread need not parse a keystroke's text for this)
   */
  | { type: 'validate'; uri: string; dependents?: boolean }
  /** (re)check the configurations' files that are not open */
  | { type: 'workspace' }
  | { type: 'codeActions'; id: number; uri: string; range: Range; diagnostics: Diagnostic[]; only?: string[]; lazy: boolean }
  | { type: 'resolveCodeAction'; id: number; action: CodeAction };

export type FromWorker =
  | { type: 'diagnostics'; uri: string; version: number | null; diagnostics: Diagnostic[]; ms: number; unopened?: boolean }
  /** a workspace run is complete: `uris` got diagnostics (others published before are to be cleared) */
  | { type: 'workspaceDone'; uris: string[]; ms: number }
  | { type: 'answer'; id: number; result: unknown; error?: string }
  | { type: 'log'; message: string };

export function isValidationWorker(): boolean {
  return !!parentPort && (workerData as { role?: string } | null)?.role === 'validator';
}

/** The worker's side. */
export function runValidationWorker(): void {
  const port = parentPort!;
  const service = createLanguageService({ fs: new NodeFileSystem(), ruleDocs: bundledRuleDocs });
  /** latest text per uri not yet given to the service */
  const pending = new Map<string, { text: string; version: number }>();
  const versions = new Map<string, number>();
  const toValidate = new Set<string>();
  /** documents whose open dependents are validated after them */
  const withDependents = new Set<string>();
  /** documents validated since the last preparation (prepareIncremental) */
  const preparing = new Set<string>();
  let flushing = false;
  const post = (m: FromWorker) => port.postMessage(m);

  function applyPending(): void {
    for (const [uri, d] of pending) {
      service.openDocument(uri, d.text, d.version);
      versions.set(uri, d.version);
    }
    pending.clear();
  }

  /** Validates after the messages already queued are handled (they may hold newer texts). */
  function scheduleFlush(): void {
    if (flushing) return;
    flushing = true;
    setImmediate(() => {
      flushing = false;
      applyPending();
      for (const uri of [...toValidate]) {
        toValidate.delete(uri);
        if (!versions.has(uri)) continue; // closed meanwhile
        const t = performance.now();
        let diagnostics: Diagnostic[] = [];
        try {
          diagnostics = service.validate(uri);
        } catch (err) {
          post({ type: 'log', message: `validation of ${uri} failed: ${(err as Error)?.stack ?? err}` });
        }
        post({ type: 'diagnostics', uri, version: versions.get(uri) ?? null, diagnostics, ms: performance.now() - t });
        preparing.add(uri);
        if (withDependents.delete(uri)) {
          try {
            for (const d of service.dependents(uri)) if (d !== uri && versions.has(d)) toValidate.add(d);
          } catch (err) {
            post({ type: 'log', message: `dependents of ${uri} failed: ${(err as Error)?.stack ?? err}` });
          }
        }
        // newer messages (texts, requests) go first: the rest of the list waits for the next turn
        if (toValidate.size) { scheduleFlush(); return; }
      }
      schedulePrepare();
    });
  }

  /**
   * After the validations, once the messages meanwhile are handled: what the next keystroke's
   * incremental validation of each document needs built (a no-op after an incremental one).
   */
  function schedulePrepare(): void {
    setImmediate(() => {
      if (flushing || toValidate.size) return; // validations first; they prepare again after
      for (const uri of preparing) {
        try {
          if (versions.has(uri) && !pending.has(uri)) service.prepareIncremental(uri);
        } catch (err) {
          post({ type: 'log', message: `preparing ${uri} failed: ${(err as Error)?.stack ?? err}` });
        }
      }
      preparing.clear();
    });
  }

  /**
   * Checks the unopened files of the configurations one per event-loop turn, so that texts and
   * requests arriving meanwhile are handled between two files; a newer run supersedes this one.
   */
  let run = 0;
  function checkWorkspace(): void {
    const id = ++run;
    const started = performance.now();
    applyPending();
    let uris: string[] = [];
    try {
      uris = service.unopenedConfigurationFiles();
    } catch (err) {
      post({ type: 'log', message: `listing the configurations' files failed: ${(err as Error)?.stack ?? err}` });
    }
    const done: string[] = [];
    let i = 0;
    const step = () => {
      if (id !== run) return;
      // a few files per turn: small files validate in well under a millisecond each
      const until = performance.now() + 8;
      while (i < uris.length && performance.now() < until) {
        const uri = uris[i++];
        if (service.isOpen(uri)) continue;
        const t = performance.now();
        try {
          post({ type: 'diagnostics', uri, version: null, diagnostics: service.validate(uri), ms: performance.now() - t, unopened: true });
          done.push(uri);
        } catch (err) {
          post({ type: 'log', message: `validation of ${uri} failed: ${(err as Error)?.stack ?? err}` });
        }
      }
      if (i < uris.length) setImmediate(step);
      else post({ type: 'workspaceDone', uris: done, ms: performance.now() - started });
    };
    setImmediate(step);
  }

  port.on('message', (m: ToWorker) => {
    try {
      switch (m.type) {
        case 'settings': service.configure(resolveSettings(m.settings)); break;
        case 'folders': service.setFolders(m.folders); service.refresh(); break;
        case 'open': pending.set(m.uri, { text: m.text, version: m.version }); break;
        case 'close':
          pending.delete(m.uri);
          versions.delete(m.uri);
          toValidate.delete(m.uri);
          withDependents.delete(m.uri);
          service.closeDocument(m.uri);
          break;
        case 'filesChanged': {
          applyPending();
          const affected = service.filesChanged(m.uris, m.appearedOrWent);
          // a file that appeared or went may change any configuration's include graph, and the graph
          // "before" may have been rebuilt after the deletion (a refresh meanwhile): all open documents
          for (const t of m.appearedOrWent ? versions.keys() : affected) if (versions.has(t)) toValidate.add(t);
          if (toValidate.size) scheduleFlush();
          break;
        }
        case 'refresh': service.refresh(); break;
        case 'warmUp': runSteps(validationSteps(), (message) => post({ type: 'log', message })); break;
        case 'workspace': checkWorkspace(); break;
        case 'validate':
          toValidate.add(m.uri);
          if (m.dependents) withDependents.add(m.uri);
          scheduleFlush();
          break;
        case 'codeActions':
          applyPending();
          post({ type: 'answer', id: m.id, result: service.codeActions(m.uri, m.range, m.diagnostics, m.only, m.lazy) });
          break;
        case 'resolveCodeAction':
          applyPending();
          post({ type: 'answer', id: m.id, result: service.resolveCodeAction(m.action) });
          break;
      }
    } catch (err) {
      const message = `${m.type} failed: ${(err as Error)?.stack ?? err}`;
      if ('id' in m) post({ type: 'answer', id: m.id, result: null, error: message });
      else post({ type: 'log', message });
    }
  });
}

/** The server's side: a handle on the worker (null when worker threads are unavailable). */
export class ValidationWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, (r: { result: unknown; error?: string }) => void>();
  onDiagnostics: (m: Extract<FromWorker, { type: 'diagnostics' }>) => void = () => undefined;
  onWorkspaceDone: (m: Extract<FromWorker, { type: 'workspaceDone' }>) => void = () => undefined;
  onLog: (message: string) => void = () => undefined;
  /** set when the worker died; the server then validates on its own thread */
  failed = false;

  constructor(entry: string) {
    this.worker = new Worker(entry, { workerData: { role: 'validator' } });
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'diagnostics') this.onDiagnostics(m);
      else if (m.type === 'log') this.onLog(m.message);
      else if (m.type === 'workspaceDone') this.onWorkspaceDone(m);
      else {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        w?.(m);
      }
    });
    const fail = (why: string) => {
      if (this.failed) return;
      this.failed = true;
      this.onLog(`validation worker stopped (${why}); validating on the main thread`);
      for (const w of this.waiting.values()) w({ result: null, error: why });
      this.waiting.clear();
    };
    this.worker.on('error', (err) => fail(err?.message ?? String(err)));
    this.worker.on('exit', (code) => fail(`exit ${code}`));
  }

  send(m: ToWorker): void {
    if (!this.failed) this.worker.postMessage(m);
  }

  /** A request answered by the worker (code actions). */
  ask<R>(m: { type: 'codeActions' | 'resolveCodeAction' } & Record<string, unknown>): Promise<R> {
    const id = ++this.nextId;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, (r) => (r.error ? reject(new Error(r.error)) : resolve(r.result as R)));
      this.worker.postMessage({ ...m, id });
    });
  }

  stop(): void {
    void this.worker.terminate();
  }
}

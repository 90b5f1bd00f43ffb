// Entry point of the language server: `node dist/server.js --stdio` (or --node-ipc from VS Code).
import {
  createConnection, IPCMessageReader, IPCMessageWriter, LSPErrorCodes, ProposedFeatures, StreamMessageReader, StreamMessageWriter,
  type ConnectionStrategy, type ResponseMessage,
} from 'vscode-languageserver/node';
import { traceConnection, traceFile } from './trace';
import { startServer } from './server';
import { VERSION } from './version';
import { isValidationWorker, runValidationWorker } from './validationWorker';

if (process.argv.includes('--version')) {
  process.stdout.write(`nginx-language-server ${VERSION}\n`);
  process.exit(0);
}
if (isValidationWorker()) runValidationWorker();
else start();

function start(): void {
  // A request cancelled while still queued (the editor moved on: a newer keystroke, another cursor
  // position) is answered at once instead of being computed for a state nobody looks at any more.
  const connectionStrategy: ConnectionStrategy = {
    cancelUndispatched: (message): ResponseMessage | undefined =>
      'id' in message && message.id !== null && message.id !== undefined
        ? { jsonrpc: '2.0', id: message.id as number | string, error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled before it ran' } }
        : undefined,
  };
  const trace = traceFile();
  if (!process.argv.includes('--stdio')) {
    // IPC and sockets frame messages themselves (VS Code's client uses IPC). A trace
    // (NGINX_LS_TRACE_FILE, trace.ts) needs the reader and writer in hand: made here for IPC.
    if (trace && process.argv.includes('--node-ipc') && process.send) {
      const reader = new IPCMessageReader(process);
      const writer = new IPCMessageWriter(process);
      traceConnection(reader, writer, trace);
      startServer(createConnection(ProposedFeatures.all, reader, writer, { connectionStrategy }));
      return;
    }
    startServer(createConnection(ProposedFeatures.all, { connectionStrategy }));
    return;
  }
  // Over stdio a broken header (no or a non-numeric Content-Length, a header line without ':') leaves
  // the reader out of step with the stream for good: every later byte is read as more broken headers,
  // so the server would stay alive and answer nothing, and the client would never restart it. Exit
  // instead. A body that is not valid JSON (SyntaxError) loses only that message: keep serving.
  const reader = new StreamMessageReader(process.stdin);
  reader.onError((error) => {
    if (error instanceof SyntaxError) return;
    process.stderr.write(`nginx-language-server: unreadable message framing on stdin (${error.message.split('\n')[0]}); exiting so the client can restart the server\n`);
    process.exit(1);
  });
  // With a reader of our own the library no longer watches stdin: exit when the client closes it, as
  // it would (0 after an orderly shutdown, which the exit notification handles before this).
  reader.onClose(() => process.exit(1));
  // Nothing in the server writes to the console (stdout carries the protocol); logs go through
  // connection.console.
  const writer = new StreamMessageWriter(process.stdout);
  if (trace) traceConnection(reader, writer, trace);
  const connection = createConnection(ProposedFeatures.all, reader, writer, { connectionStrategy });
  startServer(connection);
}

// Entry point of the language server: `node dist/server.js --stdio` (or --node-ipc from VS Code).
import { createConnection, LSPErrorCodes, ProposedFeatures, type ResponseMessage } from 'vscode-languageserver/node';
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
  const connection = createConnection(ProposedFeatures.all, {
    connectionStrategy: {
      cancelUndispatched: (message): ResponseMessage | undefined =>
        'id' in message && message.id !== null && message.id !== undefined
          ? { jsonrpc: '2.0', id: message.id as number | string, error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled before it ran' } }
          : undefined,
    },
  });
  startServer(connection);
}

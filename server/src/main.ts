// Entry point of the language server: `node dist/server.js --stdio` (or --node-ipc from VS Code).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--version')) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  process.stdout.write('nginx-language-server 0.1.0\n');
  process.exit(0);
}
const connection = createConnection(ProposedFeatures.all);
startServer(connection);

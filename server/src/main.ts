// Entry point of the language server: `node dist/server.js --stdio` (or --node-ipc from VS Code).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { VERSION } from './version';

if (process.argv.includes('--version')) {
  process.stdout.write(`nginx-language-server ${VERSION}\n`);
  process.exit(0);
}
const connection = createConnection(ProposedFeatures.all);
startServer(connection);

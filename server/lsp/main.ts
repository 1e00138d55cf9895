/** `upgrade-lint-server --stdio` (or --node-ipc when started by the VS Code client). */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: upgrade-lint-server --stdio\n\nStarts the upgrade-lint language server (LSP over stdio).\n');
  process.exit(0);
}
startServer(createConnection(ProposedFeatures.all));

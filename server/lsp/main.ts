/** `upgrade-lint-server --stdio` (or --node-ipc when started by the VS Code client). */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { FrameRepair, shutdownGate } from './framing';
import { startServer } from './server';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: upgrade-lint-server --stdio\n\nStarts the upgrade-lint language server (LSP over stdio).\n');
  process.exit(0);
}
startServer(process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all));

/**
 * Over stdio the client's bytes go through FrameRepair first, so one malformed frame cannot desynchronise the
 * stream, and requests after `shutdown` are refused there. The refusals are written by the connection's own
 * writer: it writes a header and a body separately, and nothing may come between them.
 */
function stdioConnection() {
  const writer = new StreamMessageWriter(process.stdout);
  const gate = shutdownGate((response) => void writer.write(response).catch(() => undefined));
  const input = process.stdin.pipe(new FrameRepair(gate.accept));
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), writer);
  // What createConnection does when it opens stdio itself: exit when the client closes the stream, and keep
  // console output (stdout is the protocol) for the client's log.
  const exit = () => process.exit(gate.shutDown ? 0 : 1);
  input.on('end', exit);
  input.on('close', exit);
  const toClient = (send: (text: string) => void) =>
    new Writable({
      write(chunk, _e, done) {
        send(String(chunk).replace(/\n$/, ''));
        done();
      },
    });
  globalThis.console = new Console({ stdout: toClient((t) => connection.console.log(t)), stderr: toClient((t) => connection.console.error(t)) });
  return connection;
}

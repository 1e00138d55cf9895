/**
 * `upgrade-lint-server --stdio` (or --node-ipc when started by the VS Code client, --socket / --pipe for
 * clients that listen). --help and --version answer and exit; without a transport it says so in one line
 * (exit 2) instead of vscode-languageserver's exception.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { envLocale } from '../cli/args';
import { msg, render, type Message } from '../engine/l10n/index';
import { FrameRepair, shutdownGate } from './framing';
import { startServer } from './server';

declare const PACKAGE_VERSION: string;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

type Transport = 'stdio' | 'node-ipc' | 'socket' | 'pipe';

/**
 * What the command line asks for. The transport is the first one named, as vscode-languageserver's
 * createConnection (which reads process.argv itself) takes it; other arguments (--clientProcessId) are left to it.
 */
function serverArgs(argv: string[], hasIpc: boolean): 'help' | 'version' | { transport: Transport } | { error: Message } {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version') || argv.includes('-v')) return 'version';
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i]];
    if (name === '--stdio') return { transport: 'stdio' };
    if (name === '--node-ipc') return hasIpc ? { transport: 'node-ipc' } : { error: msg('server.error.nodeIpc') };
    if (name === '--socket') {
      const v = inline ?? argv[i + 1] ?? '';
      return /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? { transport: 'socket' } : { error: msg('server.error.socket', { value: v }) };
    }
    if (name === '--pipe') {
      const v = inline ?? argv[i + 1];
      return v && !v.startsWith('--') ? { transport: 'pipe' } : { error: msg('server.error.pipe') };
    }
  }
  return { error: msg('server.error.transport') };
}

function main(): void {
  const locale = envLocale();
  const args = serverArgs(process.argv.slice(2), typeof process.send === 'function');
  if (args === 'help') {
    process.stdout.write(render(msg('server.usage'), locale) + '\n');
    return;
  }
  if (args === 'version') {
    process.stdout.write(VERSION + '\n');
    return;
  }
  if ('error' in args) {
    process.stderr.write(`upgrade-lint-server: ${render(args.error, locale)}\n`);
    process.exitCode = 2;
    return;
  }
  startServer(args.transport === 'stdio' ? stdioConnection() : createConnection(ProposedFeatures.all));
}

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

main();

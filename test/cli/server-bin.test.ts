/** The command line of `upgrade-lint-server`: --version, --help, and a one-line error without a transport. */
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  createProtocolConnection,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint-server.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function server(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 20000,
    input: '',
    env: { ...process.env, LANG: 'C', LC_ALL: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('upgrade-lint-server command line', () => {
  test('--version and -v print the version alone', () => {
    for (const flag of ['--version', '-v']) {
      const r = server([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.out, `${VERSION}\n`);
      assert.equal(r.err, '');
    }
  });

  test('--help: the transports, exit 0, in the language of the environment', () => {
    const r = server(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: upgrade-lint-server --stdio$/m);
    for (const opt of ['--stdio', '--node-ipc', '--socket=<port>', '--pipe=<name>', '--version']) assert.ok(r.out.includes(opt), opt);
    const ja = server(['-h'], { LANG: 'ja_JP.UTF-8' });
    assert.equal(ja.code, 0);
    assert.match(ja.out, /^使い方: upgrade-lint-server --stdio$/m);
  });

  test('no transport, or a transport that cannot work: exit 2 and one line on stderr', () => {
    const cases: [string[], RegExp][] = [
      [[], /^upgrade-lint-server: no transport given: start it with --stdio \(or --node-ipc, --socket=<port>, --pipe=<name>\); --help lists the options\n$/],
      [['--stdoi'], /^upgrade-lint-server: no transport given/],
      [['--socket=http'], /^upgrade-lint-server: --socket takes a port number from 1 to 65535, not `http`\n$/],
      [['--socket', '70000'], /^upgrade-lint-server: --socket takes a port number/],
      [['--pipe'], /^upgrade-lint-server: --pipe needs the name of a pipe/],
      [['--node-ipc'], /^upgrade-lint-server: --node-ipc works only when a parent Node process opened an IPC channel/],
    ];
    for (const [args, expected] of cases) {
      const r = server(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '', args.join(' '));
      assert.match(r.err, expected);
      assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
    }
    assert.match(server([], { LANG: 'ja_JP.UTF-8' }).err, /^upgrade-lint-server: 通信方法が指定されていません。/);
  });

  test('--node-ipc from a parent with an IPC channel (as the VS Code client starts it) answers initialize', async () => {
    const child = fork(path.join(ROOT, 'dist', 'server.js'), ['--node-ipc', `--clientProcessId=${process.pid}`], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    conn.listen();
    try {
      const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      assert.deepEqual(init.serverInfo, { name: 'upgrade-lint', version: VERSION });
      await conn.sendRequest(ShutdownRequest.type);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await conn.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      conn.dispose();
      child.kill();
    }
  });
});

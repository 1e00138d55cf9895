/**
 * The npm package as a user gets it (issue 13): `npm pack` (which builds in `prepack`), then `npm install -g` of
 * the tarball into a temporary prefix, offline: nothing to fetch, since the bundles carry every dependency.
 * Then both installed commands run from outside the repository, where no node_modules could help them.
 * Not part of `npm test` (it rebuilds dist/ for production): `.ci/run` runs it as its own suite.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ruleDocPath } from '../../server/engine/docs';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; files?: string[] };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Bounds on what ships: the bundles are most of it (measured: 0.94 MB packed, 5.0 MB unpacked). */
const MAX_PACKED = 1.3 * 1024 * 1024;
const MAX_UNPACKED = 7 * 1024 * 1024;

/** Every file under `dir` (relative to ROOT, `/`-separated). */
const walk = (dir: string): string[] =>
  fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.isFile() ? [`${dir}/${e.name}`] : []));

/** Exactly what the package ships: what runs (bundles, bins), the schemas, the docs and the examples. */
function allowlist(): string[] {
  return [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'bin/upgrade-lint.js',
    'bin/upgrade-lint-server.js',
    // Loads the bundles with a V8 code cache (issue 16).
    'bin/code-cache.js',
    'dist/cli.js',
    'dist/server.js',
    // `main` (the VS Code extension's entry): npm always packs it.
    'dist/client.js',
    ...walk('schemas').filter((f) => f.endsWith('.json')),
    ...walk('docs').filter((f) => /^docs\/[^/]+\.md$/.test(f) || f.startsWith('docs/rules/')),
    ...walk('examples'),
  ].sort();
}

describe('the packed package, installed globally', () => {
  let dir: string;
  let tarball: string;
  let packed: { size: number; unpackedSize: number; files: { path: string }[] };
  let prefix: string;
  let pkgDir: string;
  let binDir: string;
  let env: NodeJS.ProcessEnv;
  /** Runs an installed command from a folder outside the repository. */
  const cmd = (name: string, args: string[], input?: string) => {
    const r = spawnSync(path.join(binDir, name), args, { cwd: dir, env, input, encoding: 'utf8', timeout: 30000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-pack-')));
    const p = spawnSync(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
    assert.equal(p.status, 0, p.stderr);
    const json = JSON.parse(p.stdout.slice(p.stdout.indexOf('['))) as (typeof packed & { filename: string })[];
    packed = json[0];
    tarball = path.join(dir, json[0].filename);
    prefix = path.join(dir, 'prefix');
    // Offline, without scripts: the package needs nothing from the registry and runs no install script.
    const i = spawnSync(NPM, ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120000,
    });
    assert.equal(i.status, 0, i.stdout + i.stderr);
    pkgDir = process.platform === 'win32' ? path.join(prefix, 'node_modules', PKG.name) : path.join(prefix, 'lib', 'node_modules', PKG.name);
    binDir = process.platform === 'win32' ? prefix : path.join(prefix, 'bin');
    // Only node and the installed commands on the PATH; no NODE_PATH, no repository around.
    env = { PATH: [binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), HOME: dir, LANG: 'C', NO_COLOR: '1' };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the tarball holds exactly the allowlist: no tests, sources, build output or tools', () => {
    const files = packed.files.map((f) => f.path).sort();
    assert.deepEqual(files, allowlist());
    // The allowlist is .npmignore: vsce refuses to build the VSIX when package.json has `files` beside .vscodeignore.
    assert.equal(PKG.files, undefined);
    for (const f of files) {
      assert.doesNotMatch(f, /^(test|server|client|scripts|out[^/]*|\.e2e-tools|node_modules|bench|walkthrough)\//, f);
      assert.doesNotMatch(f, /\.(ts|map|vsix|tgz)$/, f);
    }
    assert.ok(packed.size < MAX_PACKED, `packed ${packed.size} bytes`);
    assert.ok(packed.unpackedSize < MAX_UNPACKED, `unpacked ${packed.unpackedSize} bytes`);
    // prepack built the bundles for production: minified, no source map references left dangling.
    for (const b of ['cli.js', 'server.js']) assert.doesNotMatch(fs.readFileSync(path.join(pkgDir, 'dist', b), 'utf8').slice(-300), /sourceMappingURL/, b);
  });

  test('installed with no dependencies to fetch: nothing but the package itself', () => {
    assert.equal(fs.existsSync(path.join(pkgDir, 'node_modules')), false);
    const installed = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: object };
    assert.deepEqual(installed.dependencies ?? {}, {}, 'the bundles carry their dependencies: none belongs in `dependencies`');
    assert.deepEqual(fs.readdirSync(path.dirname(pkgDir)), [PKG.name]);
  });

  test('upgrade-lint: --version, --help, the shipped examples, standard input, every rule page shipped', () => {
    assert.deepEqual(cmd('upgrade-lint', ['--version']), { code: 0, out: `${PKG.version}\n`, err: '' });
    const help = cmd('upgrade-lint', ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: upgrade-lint \[options\]/);
    const examples = path.join(pkgDir, 'examples');
    const r = cmd('upgrade-lint', [examples]);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, new RegExp(`^${walk('examples').length} files checked: \\d+ problems \\(\\d+ errors`, 'm'));
    assert.match(r.out, /ACNS-5\.1\.3-lab\.meta:5:16 {2}error {2}HTTP image URLs must use port 80/);
    const meta = fs.readFileSync(path.join(examples, 'acns', 'broken', 'ACNS-5.1.3-lab.meta'), 'utf8');
    const s = cmd('upgrade-lint', ['--format', 'json', '-', '--stdin-filename', 'lab/ACNS-5.1.3.meta'], meta);
    assert.equal(s.code, 1, s.err);
    assert.equal((JSON.parse(s.out) as { files: { path: string }[] }).files[0].path, 'lab/ACNS-5.1.3.meta');
    // Every rule's page ships (the server links each diagnostic to it).
    const sarif = JSON.parse(cmd('upgrade-lint', ['--format', 'sarif', examples]).out) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
    const ids = sarif.runs[0].tool.driver.rules.map((x) => x.id);
    assert.ok(ids.length > 100);
    for (const id of ids) assert.ok(fs.existsSync(path.join(pkgDir, 'docs', ruleDocPath(id))), id);
  });

  test('upgrade-lint-server: --version, --help, and an LSP initialize over stdio', async () => {
    assert.deepEqual(cmd('upgrade-lint-server', ['--version']), { code: 0, out: `${PKG.version}\n`, err: '' });
    const help = cmd('upgrade-lint-server', ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--stdio/);
    const none = cmd('upgrade-lint-server', []);
    assert.equal(none.code, 2);
    assert.equal(none.err.split('\n').length, 2);

    const proc = spawn(path.join(binDir, 'upgrade-lint-server'), ['--stdio'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    conn.listen();
    try {
      const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      assert.deepEqual(init.serverInfo, { name: 'upgrade-lint', version: PKG.version });
      assert.ok(init.capabilities.textDocumentSync !== undefined);
      // A document with a problem: its diagnostics link to the rule pages installed with the package.
      const uri = pathToFileURL(path.join(dir, 'lab', 'ACNS-5.1.3.meta')).href;
      const published = new Promise<PublishDiagnosticsParams>((resolve) =>
        conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
          if (p.uri === uri && p.diagnostics.length) resolve(p);
        }),
      );
      await conn.sendNotification(InitializedNotification.type, {});
      await conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: {
          uri,
          languageId: 'acns-meta',
          version: 1,
          text: 'updateFileSize=97205475\nversion=5.1.3\nupdateFileUrl=http://images.example.com:8080/ACNS-5.1.3-K9.bin\n',
        },
      });
      const p = await published;
      assert.ok(p.diagnostics.some((d) => d.code === 'meta/http-port'));
      for (const d of p.diagnostics) {
        const href = d.codeDescription?.href ?? '';
        assert.ok(href.startsWith(pathToFileURL(pkgDir).href + '/docs/rules/'), href);
        assert.ok(fs.existsSync(fileURLToPath(href)), href);
      }
      await conn.sendRequest(ShutdownRequest.type);
      const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
      await conn.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      conn.dispose();
      proc.kill();
    }
  });
});

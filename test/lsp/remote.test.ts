/** Remote checks through the two front ends: the CLI flag and the server setting (respecting workspace trust). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { imageServerForSuite } from '../helpers/imageServer';
import { fileUri, ROOT, TestClient } from '../helpers/lspClient';

describe('remote checks in the CLI and the server', () => {
  const server = imageServerForSuite();
  const { host } = server;
  const meta = () => `updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= http://${host}/ACNS-5.1.3-K9.bin\n`;

  test('CLI: off by default; --remote-checks reports the size mismatch and --fix applies the server size', async (t) => {
    if (!server.web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-remote-cli-'));
    const file = path.join(dir, 'a.meta');
    fs.writeFileSync(file, meta());
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (d) => {
          out += d;
        });
        p.on('exit', (code) => resolve({ code, out }));
      });
    const before = server.hits;
    const off = await cli(['--format', 'json', file]);
    assert.equal(server.hits, before, 'no request without the flag');
    assert.equal(JSON.parse(off.out).files[0].diagnostics.length, 0);
    const on = await cli(['--format', 'json', '--remote-checks', file]);
    const ds = JSON.parse(on.out).files[0].diagnostics as { rule: string; message: string }[];
    assert.deepEqual(
      ds.map((d) => d.rule),
      ['meta/remote-size-mismatch'],
    );
    assert.match(ds[0].message, /4321 bytes/);
    assert.equal(on.code, 1);
    const fixed = await cli(['--remote-checks', '--fix', file]);
    assert.equal(fixed.code, 0, fixed.out);
    assert.equal(fs.readFileSync(file, 'utf8'), meta().replace('97205475', '4321'));
  });

  test('server: with upgradeLint.remoteChecks the mismatch is added; never while the workspace is untrusted', async (t) => {
    if (!server.web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-remote-lsp-'));
    const on = new TestClient({ settings: { remoteChecks: true } });
    try {
      await on.initialize();
      const uri = fileUri(path.join(dir, 'on.meta'));
      await on.open(uri, 'acns-meta', meta());
      const p = await on.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'meta/remote-size-mismatch'));
      assert.deepEqual(
        p.diagnostics.map((d) => d.code),
        ['meta/remote-size-mismatch'],
      );
    } finally {
      await on.stop();
    }
    const untrusted = new TestClient({ settings: { remoteChecks: true }, initializationOptions: { workspaceTrusted: false } });
    try {
      await untrusted.initialize();
      const before = server.hits;
      const uri = fileUri(path.join(dir, 'untrusted.meta'));
      const p = await untrusted.open(uri, 'acns-meta', meta());
      assert.deepEqual(p.diagnostics, []);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(untrusted.diagnostics.get(uri)!.length, 1);
      assert.equal(server.hits, before, 'no request from an untrusted workspace');
    } finally {
      await untrusted.stop();
    }
  });
});

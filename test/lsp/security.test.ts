/**
 * The language server on a hostile workspace (issue 9): workspace validation of special and unreadable files,
 * references that leave the workspace, hostile YAML and settings. Nothing hangs, nothing outside is read.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileUri, TestClient } from '../helpers/lspClient';

const META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n';

test('workspace validation: a FIFO is a file/unreadable at once; files outside the workspace are not read', async () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-lsp-sec-')));
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-lsp-out-')));
  execFileSync('mkfifo', [path.join(ws, 'fifo.meta')]);
  fs.writeFileSync(path.join(outside, 'dfc.properties'), 'dfc.jboss.port=SECRET-4711\n');
  fs.symlinkSync(path.join(outside, 'dfc.properties'), path.join(ws, 'dfc.properties'));
  const c = new TestClient({ rootPath: ws });
  try {
    await c.initialize();
    const fifo = fileUri(path.join(ws, 'fifo.meta'));
    const linked = fileUri(path.join(ws, 'dfc.properties'));
    const waiting = c.waitForDiagnostics(fifo, () => true, 5000);
    const summary = (await c.connection.sendRequest('upgradeLint/validateFiles', { uris: [fifo, linked] })) as { files: number; errors: number };
    assert.equal(summary.files, 2);
    assert.equal(summary.errors, 2);
    assert.deepEqual(
      (await waiting).diagnostics.map((d) => d.code),
      ['file/unreadable'],
    );
    const props = c.diagnostics.get(linked)!.at(-1)!;
    assert.deepEqual(
      props.diagnostics.map((d) => d.code),
      ['file/unreadable'],
    );
    assert.doesNotMatch(JSON.stringify(props), /SECRET/);

    // An open manifest whose propertiesFile leaves the workspace: refused, not read.
    const manifest = fileUri(path.join(ws, 'plan.upgrade.yaml'));
    const text = `manifestVersion: 1\nproduct: cupm\nfrom: 2.2\nto: 8.5\nsize: medium\npropertiesFile: ${path.join(outside, 'dfc.properties')}\nnodes:\n  - {name: app, role: application, memoryMB: 8192, os: windows-2003}\nsteps:\n  - {id: stop, action: stop-service, node: app, service: apache}\n  - {id: stop-jboss, action: stop-service, node: app, service: jboss}\n  - {id: stop-nice, action: stop-service, node: app, service: nice}\n  - {id: dump, action: backup, node: app, target: pg_dumpall}\n  - {id: start, action: start-service, node: app, service: apache}\n  - {id: start-jboss, action: start-service, node: app, service: jboss}\n  - {id: start-nice, action: start-service, node: app, service: nice}\n  - {id: up, action: upgrade, node: app}\n  - {id: login, action: verify, node: app}\n  - {id: sync, action: sync, node: app}\n`;
    const d = await c.open(manifest, 'upgrade-manifest', text);
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['manifest/file-outside-workspace'],
    );
    assert.doesNotMatch(JSON.stringify(d), /SECRET/);

    // Hostile YAML: a diagnostic, and the server still answers.
    const deep = fileUri(path.join(ws, 'deep.upgrade.yaml'));
    const dd = await c.open(deep, 'upgrade-manifest', '['.repeat(100000));
    assert.deepEqual(
      dd.diagnostics.map((x) => x.code),
      ['yaml/too-deep'],
    );
    const keys = fileUri(path.join(ws, 'keys.upgrade.yaml'));
    const dk = await c.open(keys, 'upgrade-manifest', '{'.repeat(32));
    assert.ok(dk.diagnostics.length > 0);
    assert.doesNotMatch(c.stderr, /RangeError|failed/);
  } finally {
    await c.stop();
  }
});

test('maxDiagnostics 0 from the settings: a count, never an exception', async () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-lsp-sec-')));
  const c = new TestClient({ rootPath: ws, settings: { maxDiagnostics: 0 } });
  try {
    await c.initialize();
    const uri = fileUri(path.join(ws, 'a.meta'));
    const d = await c.open(uri, 'acns-meta', META.replace('version= 5.1.3', 'version 5.1.3'));
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['file/too-many-problems'],
    );
    assert.doesNotMatch(c.stderr, /failed/);
  } finally {
    await c.stop();
  }
});

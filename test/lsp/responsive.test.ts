/**
 * A large manifest is validated piece by piece: while it is being parsed, other documents' requests are answered,
 * and an edit cancels the validation of the outdated text (its results are never published).
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { fileUri, TestClient } from '../helpers/lspClient';

/** A valid ACNS manifest of about `n` nodes and `n` steps (≈ 7n lines) with one unknown node at the end. */
function bigManifest(n: number): string {
  const out = ['manifestVersion: 1', 'product: acns', 'title: Big', 'from: 5.1.0', 'to: 5.1.3', 'nodes:'];
  for (let i = 0; i < n; i++) out.push(`  - name: ce-${i}`, '    role: content-engine', `    address: 10.0.${(i >> 8) & 255}.${i & 255}`);
  out.push('  - name: cdm', '    role: cdm-primary', 'steps:', '  - id: backup', '    action: backup', '    node: cdm', '    target: cdm-database');
  for (let i = 0; i < n; i++) out.push(`  - id: up-${i}`, '    action: upgrade', `    node: ce-${i}`, '    method: cli');
  out.push('  - id: up-missing', '    action: upgrade', '    node: ce-missing', '    method: cli');
  out.push('  - id: up-cdm', '    action: upgrade', '    node: cdm', '    method: cli');
  return out.join('\n') + '\n';
}

const META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= ftp://images.example.com/ACNS-5.1.3-K9.bin\n';

test("another document's hover is answered while a 40,000-line manifest is being parsed", async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-responsive-'));
    const meta = fileUri(path.join(dir, 'a.meta'));
    const big = fileUri(path.join(dir, 'big.upgrade.yaml'));
    await c.open(meta, 'acns-meta', META);
    const events: string[] = [];
    const diagnostics = c.open(big, 'upgrade-manifest', bigManifest(5700)).then((p) => {
      events.push('big diagnostics');
      return p;
    });
    await new Promise((r) => setTimeout(r, 60)); // the big file's validation is under way (it takes hundreds of ms)
    const hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: meta }, position: { line: 0, character: 3 } });
    events.push('hover');
    assert.match(JSON.stringify(hover), /updateFileSize/);
    const p = await diagnostics;
    assert.deepEqual(events, ['hover', 'big diagnostics'], 'the hover waited for the big validation');
    assert.deepEqual(
      p.diagnostics.map((d) => d.code),
      ['manifest/unknown-node'],
    );
  } finally {
    await c.stop();
  }
});

test("an edit during the validation of a large manifest: only the new version's diagnostics are published", async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-responsive-'));
    const big = fileUri(path.join(dir, 'big.upgrade.yaml'));
    const text = bigManifest(5700);
    void c.open(big, 'upgrade-manifest', text).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 60));
    // Fix the unknown node: the new version has no problems at all.
    const line = text.split('\n').findIndex((l) => l.includes('ce-missing'));
    const done = c.waitForDiagnostics(big, (p) => p.version === 2, 20000);
    await c.change(big, 2, [{ range: { start: { line, character: 10 }, end: { line, character: 20 } }, text: 'ce-5699' }]);
    const p = await done;
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(
      (c.diagnostics.get(big) ?? []).map((x) => x.version),
      [2],
      "the outdated version's diagnostics were published",
    );
  } finally {
    await c.stop();
  }
});

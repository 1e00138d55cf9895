/** A hostile client cannot crash or wedge the server: afterwards it still answers correctly. */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
} from 'vscode-languageserver-protocol/node';
import { fileUri, TestClient } from '../helpers/lspClient';

const META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= http://h.example.com:8080/ACNS-5.1.3-K9.bin\n';

test('unknown documents, out-of-range positions, malformed params, unseen versions, thousands of edits', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-hostile-'));
    const unknown = 'file:///nowhere/at/all.upgrade.yaml';
    const far = { line: 99999, character: 99999 };
    const neg = { line: -3, character: -7 };
    // Requests about documents the server never saw.
    assert.equal(await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: unknown }, position: far }), null);
    assert.deepEqual(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: unknown }, position: far }), []);
    assert.equal(await c.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: unknown }, position: far }), null);
    assert.deepEqual(await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: unknown } }), []);
    // Positions out of range on real documents of every kind.
    const docs = [
      [fileUri(path.join(dir, 'a.meta')), 'acns-meta', META],
      [fileUri(path.join(dir, 'dfc.properties')), 'cupm-properties', 'dfc.webport=80\n'],
      [fileUri(path.join(dir, 'm.upgrade.yaml')), 'upgrade-manifest', 'manifestVersion: 1\nproduct: acns\nnodes: [{name: a, role: content-engine}]\n'],
    ] as const;
    for (const [uri, lang, text] of docs) {
      await c.open(uri, lang, text);
      for (const pos of [far, neg, { line: 0, character: 1e9 }]) {
        await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos });
        await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: pos });
        await c.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: pos });
        await c.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: pos, context: { includeDeclaration: true } });
        await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: pos, end: far }, context: { diagnostics: [] } });
      }
    }
    // Malformed params: an error response or null is fine; a crash is not.
    for (const method of [
      'textDocument/hover',
      'textDocument/completion',
      'textDocument/codeAction',
      'textDocument/documentSymbol',
      'textDocument/definition',
      'upgradeLint/validateFiles',
    ]) {
      for (const params of [null, {}, { textDocument: 42 }, { textDocument: { uri: 7 }, position: 'x' }]) {
        await c.connection.sendRequest(method, params).catch(() => undefined);
      }
    }
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: unknown, version: 9 }, contentChanges: [{ text: 'x' }] });
    await c.connection.sendNotification('textDocument/didChange', { garbage: true });
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 42 } });
    // Thousands of rapid edits: only the final version's diagnostics count, and they are right.
    const uri = docs[0][0];
    let text: string = META;
    for (let v = 2; v <= 2001; v++) {
      const ch = v % 2 ? 'x' : 'y';
      await c.change(uri, v, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: ch }]);
      text = text.replace('updateFileUrl', ch + 'updateFileUrl');
    }
    await c.change(uri, 2002, [{ text: META }]);
    const final = await c.waitForDiagnostics(uri, (p) => p.version === 2002, 15000);
    assert.deepEqual(
      final.diagnostics.map((d) => d.code),
      ['meta/http-port'],
    );
    const published = c.diagnostics.get(uri)!.map((p) => p.version ?? 0);
    assert.ok(published.length < 100, `debounced: ${published.length} publishes for 2001 edits`);
    assert.deepEqual(
      [...published].sort((a, b) => a - b),
      published,
      'versions never go backwards',
    );
    // And the server still answers correctly.
    const h = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.match(JSON.stringify(h?.contents), /bytes/);
    assert.doesNotMatch(c.stderr, /Unhandled|TypeError|RangeError/);
  } finally {
    await c.stop();
  }
});

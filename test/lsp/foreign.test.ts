/** The language server and `*.meta` files of other formats (Unity's YAML metadata): nothing published, nothing offered. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-protocol/node';
import { fileUri, ROOT, TestClient } from '../helpers/lspClient';

const ASSETS = path.join(ROOT, 'test', 'fixtures', 'foreign-meta', 'unity-project', 'Assets');
const TEXTURE = fs.readFileSync(path.join(ASSETS, 'Textures', 'logo.png.meta'), 'utf8');
const SCRIPT = fs.readFileSync(path.join(ASSETS, 'Scripts', 'Player.cs.meta'), 'utf8');
const BROKEN = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= http://h.example.com:8080/ACNS-5.1.3-K9.bin\n';
const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-lsp-foreign-'));

describe('language server: Unity .meta files', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient();
    await c.initialize();
  });
  after(async () => {
    await c.stop();
  });

  test('opened as acns-meta: empty diagnostics; no hover, completion, symbols, links or code actions', async () => {
    const uri = fileUri(path.join(tmp(), 'logo.png.meta'));
    const p = await c.open(uri, 'acns-meta', TEXTURE);
    assert.deepEqual(p.diagnostics, []);
    const doc = { uri };
    assert.equal(await c.connection.sendRequest(HoverRequest.type, { textDocument: doc, position: { line: 0, character: 3 } }), null);
    assert.deepEqual(items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: doc, position: { line: 2, character: 0 } })), []);
    assert.deepEqual(await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: doc }), []);
    assert.deepEqual(await c.connection.sendRequest(DocumentLinkRequest.type, { textDocument: doc }), []);
    const range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
    assert.deepEqual(await c.connection.sendRequest(CodeActionRequest.type, { textDocument: doc, range, context: { diagnostics: [] } }), []);
  });

  test('an ACNS meta file whose whole text is replaced by Unity metadata: its problems are cleared', async () => {
    const uri = fileUri(path.join(tmp(), 'pasted.meta'));
    const first = await c.open(uri, 'acns-meta', BROKEN);
    assert.deepEqual(
      first.diagnostics.map((d) => d.code),
      ['meta/http-port'],
    );
    const next = c.waitForDiagnostics(uri, (p) => p.version === 2);
    await c.change(uri, 2, [{ text: SCRIPT }]);
    assert.deepEqual((await next).diagnostics, []);
  });

  test('Validate Workspace counts the ACNS meta file only', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'Player.cs.meta'), SCRIPT);
    fs.writeFileSync(path.join(dir, 'ACNS-5.1.3.meta'), BROKEN);
    const uris = ['Player.cs.meta', 'ACNS-5.1.3.meta'].map((n) => fileUri(path.join(dir, n)));
    const w = new TestClient({ rootPath: dir });
    try {
      await w.initialize();
      const unity = w.waitForDiagnostics(uris[0]);
      const summary = (await w.connection.sendRequest('upgradeLint/validateFiles', { uris })) as { files: number; errors: number };
      assert.deepEqual([summary.files, summary.errors], [1, 1]);
      assert.deepEqual((await unity).diagnostics, []);
    } finally {
      await w.stop();
    }
  });
});

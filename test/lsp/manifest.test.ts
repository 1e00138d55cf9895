/** Upgrade manifests through the real language server over stdio. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  CodeActionRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Location,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/engine/text';
import { fileUri, TestClient } from '../helpers/lspClient';

const META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= ftp://images.example.com/ACNS-5.1.3-K9.bin\n';
const MANIFEST = `manifestVersion: 1
product: acns
from: 5.1.0
to: 5.1.3
metaFile: ./ACNS.meta
nodes:
  - name: ce-1
    role: content-engine
    address: 10.1.0.11
  - name: cdm-a
    role: cdm-primary
steps:
  - id: backup
    action: backup
    node: cdm-a
    target: cdm-database
  - id: up-cdm
    action: upgrade
    node: cdm-a
    method: gui
  - id: up-ce
    action: upgrade
    nodes: [ce-1]

`;
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();
const labels = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);

describe('manifests in the language server', () => {
  let c: TestClient;
  let dir: string;
  let uri: string;
  let metaUri: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-man-'));
    fs.writeFileSync(path.join(dir, 'ACNS.meta'), META);
    uri = fileUri(path.join(dir, 'tokyo.upgrade.yaml'));
    metaUri = fileUri(path.join(dir, 'ACNS.meta'));
    c = new TestClient({ rootPath: dir });
    await c.initialize();
  });
  after(async () => {
    await c.stop();
  });

  test('diagnostics with related information for order rules', async () => {
    const p = await c.open(uri, 'upgrade-manifest', MANIFEST);
    assert.deepEqual(codes(p.diagnostics), ['acns/cdm-last', 'acns/cdm-via-gui']);
    const last = p.diagnostics.find((d) => d.code === 'acns/cdm-last')!;
    // Two steps swapped: the later one is out of place (the content engine's upgrade), with the CDM's as related.
    assert.deepEqual(last.range, { start: { line: 20, character: 8 }, end: { line: 20, character: 13 } });
    assert.equal(last.relatedInformation?.[0].location.uri, uri);
    assert.deepEqual(last.relatedInformation?.[0].location.range.start, { line: 16, character: 8 });
    const gui = p.diagnostics.find((d) => d.code === 'acns/cdm-via-gui')!;
    const actions = await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: gui.range, context: { diagnostics: [gui] } });
    assert.equal(actions![0].title, 'Set method: cli');
    const edit = (actions![0] as { edit: { changes: Record<string, TextEdit[]> } }).edit.changes[uri];
    assert.match(applyEdits(MANIFEST, edit), /node: cdm-a\n {4}method: cli\n/);
  });

  test('a meta file edited in the editor re-validates the manifest that references it', async () => {
    await c.open(metaUri, 'acns-meta', META);
    const next = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'acns/meta-version-mismatch'));
    // The release changes in the version and in the image name alike, so the meta file itself stays clean.
    await c.change(metaUri, 2, [
      { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 12 } }, text: '2' },
      { range: { start: { line: 2, character: 47 }, end: { line: 2, character: 48 } }, text: '2' },
    ]);
    const p = await next;
    const d = p.diagnostics.find((x) => x.code === 'acns/meta-version-mismatch')!;
    assert.deepEqual(d.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } });
    assert.equal(d.relatedInformation?.[0].location.uri, metaUri);
    // The meta file itself shows nothing about manifests.
    const metaDiags = c.diagnostics.get(metaUri)!.at(-1)!;
    assert.deepEqual(metaDiags.diagnostics, []);
    const back = c.waitForDiagnostics(uri, (x) => !x.diagnostics.some((y) => y.code === 'acns/meta-version-mismatch'));
    await c.change(metaUri, 3, [
      { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 12 } }, text: '1' },
      { range: { start: { line: 2, character: 47 }, end: { line: 2, character: 48 } }, text: '1' },
    ]);
    await back;
  });

  test('hover: schema description, node of a step, upgrade path', async () => {
    const key = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 2 } });
    assert.match(JSON.stringify(key?.contents), /ACNS meta file used by the upgrade/);
    const node = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 22, character: 13 } });
    assert.match(JSON.stringify(node?.contents), /content-engine/);
    assert.match(JSON.stringify(node?.contents), /10\.1\.0\.11/);
    const to = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 5 } });
    assert.match(JSON.stringify(to?.contents), /Upgrade path.*5\.1\.0 → 5\.1\.3/);
  });

  test('completion: node names in node/nodes, enum values, step keys', async () => {
    const text = MANIFEST + '  - id: next\n    node: \n    action: \n    \n';
    const u = fileUri(path.join(dir, 'complete.upgrade.yaml'));
    await c.open(u, 'upgrade-manifest', text);
    assert.deepEqual(labels(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line: 25, character: 10 } })), [
      'ce-1',
      'cdm-a',
    ]);
    const actions = labels(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line: 26, character: 12 } }));
    assert.ok(actions.includes('stop-service') && actions.includes('upgrade'));
    const keys = labels(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line: 27, character: 4 } }));
    assert.ok(keys.includes('target') && keys.includes('method') && !keys.includes('id') && !keys.includes('node'), keys.join(','));
  });

  test('definition and references of a node name', async () => {
    const def = (await c.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 14, character: 12 } })) as Location;
    assert.deepEqual(def, { uri, range: { start: { line: 9, character: 10 }, end: { line: 9, character: 15 } } });
    const refs = (await c.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position: { line: 9, character: 11 },
      context: { includeDeclaration: true },
    })) as Location[];
    assert.deepEqual(
      refs.map((r) => r.range.start.line),
      [9, 14, 18],
    );
    const meta = (await c.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 4, character: 14 } })) as Location;
    assert.equal(meta.uri, metaUri);
  });

  test('document symbols (nodes, steps) and links', async () => {
    const syms = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.equal(syms.length, 1);
    assert.deepEqual(
      syms[0].children!.map((x) => [x.name, x.children!.map((y) => y.name)]),
      [
        ['nodes', ['ce-1', 'cdm-a']],
        ['steps', ['backup', 'up-cdm', 'up-ce']],
      ],
    );
    const links = await c.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
    assert.deepEqual(
      links?.map((l) => l.target),
      [metaUri],
    );
  });

  test('malformed YAML and an alias bomb: one clear diagnostic each, the server keeps serving', async () => {
    const bad = fileUri(path.join(dir, 'bad.upgrade.yaml'));
    const p = await c.open(bad, 'upgrade-manifest', 'manifestVersion: 1\nnodes: [a, b\nsteps: 3\n');
    assert.deepEqual(
      codes(p.diagnostics).filter((x) => x !== 'yaml/syntax'),
      [],
    );
    assert.ok(p.diagnostics.length >= 1);
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill('*' + String.fromCharCode(96 + i))
        .join(', ')}]\n`;
    const b = fileUri(path.join(dir, 'bomb.upgrade.yaml'));
    const pb = await c.open(b, 'upgrade-manifest', bomb);
    assert.deepEqual(codes(pb.diagnostics), ['yaml/too-many-aliases']);
    const h = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } });
    assert.match(JSON.stringify(h?.contents), /product/);
  });
});

/** The real language server over stdio, driven by a JSON-RPC client. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/engine/text';
import { fileUri, ROOT, TestClient } from '../helpers/lspClient';

const BROKEN_META = [
  'updateFileSize=97205475',
  'version= 5.1.3',
  'description= lab web server',
  'updateFileUrl= http://lab-web.example.com:8080/images/ACNS-5.1.3-K9.bin',
  'user=anonymous',
  '',
].join('\n');

const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();
const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-lsp-'));

describe('language server', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient();
    const init = await c.initialize();
    assert.ok(init.capabilities.hoverProvider);
    assert.ok(init.capabilities.completionProvider);
    assert.ok(init.capabilities.codeActionProvider);
    assert.ok(init.capabilities.documentSymbolProvider);
    assert.ok(init.capabilities.documentLinkProvider);
  });
  after(async () => {
    await c.stop();
  });

  test('publishes diagnostics on open with code, source, doc link, severity and exact range', async () => {
    const uri = fileUri(path.join(tmp(), 'lab.meta'));
    const p = await c.open(uri, 'acns-meta', BROKEN_META);
    assert.equal(p.version, 1);
    assert.deepEqual(codes(p.diagnostics), ['meta/http-credentials', 'meta/http-port']);
    const port = p.diagnostics.find((d) => d.code === 'meta/http-port')!;
    assert.equal(port.source, 'upgrade-lint');
    assert.equal(port.severity, 1);
    assert.deepEqual(port.range, { start: { line: 3, character: 15 }, end: { line: 3, character: 71 } });
    assert.match(msg(port), /port 80/);
    const doc = fileURLToPath(port.codeDescription!.href);
    assert.ok(fs.existsSync(doc), `rule doc ${doc} exists`);
    assert.match(fs.readFileSync(doc, 'utf8'), /meta\/http-port/);
  });

  test('re-validates after an incremental edit and clears fixed problems', async () => {
    const uri = fileUri(path.join(tmp(), 'edit.meta'));
    await c.open(uri, 'acns-meta', BROKEN_META);
    // Delete ":8080" (line 3, characters 40-45) and the user line.
    const next = c.waitForDiagnostics(uri, (p) => p.version === 2);
    await c.change(uri, 2, [
      { range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' },
      { range: { start: { line: 3, character: 40 }, end: { line: 3, character: 45 } }, text: '' },
    ]);
    const p = await next;
    assert.deepEqual(p.diagnostics, []);
    // Typing a bad version brings a schema problem back.
    const again = c.waitForDiagnostics(uri, (x) => x.version === 3);
    await c.change(uri, 3, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } }, text: '5.1' }]);
    const q = await again;
    assert.deepEqual(codes(q.diagnostics), ['schema/pattern']);
    assert.deepEqual(q.diagnostics[0].range, { start: { line: 1, character: 9 }, end: { line: 1, character: 12 } });
  });

  test('hover explains keys (with unit and source) and the rule of a diagnostic', async () => {
    const uri = fileUri(path.join(tmp(), 'hover.meta'));
    await c.open(uri, 'acns-meta', BROKEN_META);
    const key = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } });
    const text = JSON.stringify(key?.contents);
    assert.match(text, /updateFileSize/);
    assert.match(text, /bytes/);
    assert.match(text, /ACNS 5\.x software upgrade guide/);
    assert.deepEqual(key!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
    const onPort = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 45 } });
    assert.match(JSON.stringify(onPort?.contents), /meta\/http-port/);
    const blank = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 0 } });
    assert.equal(blank, null);
  });

  test('completion offers only missing keys as snippets, and known values after =', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'ACNS-5.1.3-K9.bin'), Buffer.alloc(4321));
    const uri = fileUri(path.join(dir, 'complete.meta'));
    await c.open(uri, 'acns-meta', 'version= 5.1.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n\nuser=\nupdateFileSize=\n');
    const keys = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 0 } }));
    const labels = keys.map((i) => i.label).sort();
    assert.deepEqual(labels, ['CDM-IP', 'description', 'password']);
    const pw = keys.find((i) => i.label === 'password')!;
    assert.equal(pw.insertTextFormat, 2);
    assert.equal((pw.textEdit as TextEdit).newText, 'password=$1');
    assert.equal(pw.command, undefined, 'a generic client is not asked to run a VS Code command');
    const user = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 5 } }));
    assert.deepEqual(
      user.map((i) => i.label),
      ['anonymous'],
    );
    const actual = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 15 } }));
    assert.deepEqual(
      actual.map((i) => i.label),
      ['4321'],
    );
  });

  test('after Validate Workspace, closing an editor keeps the file’s problems (from disk); a file never validated from disk is cleared', async () => {
    const dir = tmp();
    const file = path.join(dir, 'kept.meta');
    fs.writeFileSync(file, BROKEN_META);
    const uri = fileUri(file);
    const published = c.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    await c.connection.sendRequest('upgradeLint/validateFiles', { uris: [uri] });
    const fromDisk = (await published).diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`);
    assert.ok(fromDisk.length > 0);
    await c.open(uri, 'acns-meta', BROKEN_META);
    const afterClose = c.waitForDiagnostics(uri, (p) => p.version === undefined);
    await c.close(uri);
    assert.deepEqual(
      (await afterClose).diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`),
      fromDisk,
    );
    const other = fileUri(path.join(dir, 'other.meta'));
    fs.writeFileSync(path.join(dir, 'other.meta'), BROKEN_META);
    await c.open(other, 'acns-meta', BROKEN_META);
    const cleared = c.waitForDiagnostics(other, (p) => p.version === undefined);
    await c.close(other);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test('the output channel says at start what runs: version, language, workspace folders, configuration files', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.upgrade-lint.json'), '{ "rules": {} }');
    const ja = new TestClient({ rootPath: dir, locale: 'ja' });
    try {
      await ja.initialize();
      const end = Date.now() + 5000;
      while (!ja.logs.some((l) => /開始しました/.test(l)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      const line = ja.logs.find((l) => /開始しました/.test(l));
      assert.ok(line, ja.logs.join('\n'));
      assert.match(line, /メッセージの言語: ja/);
      assert.ok(line.includes(path.join(dir, '.upgrade-lint.json')), line);
    } finally {
      await ja.stop();
    }
  });

  test('with the trace on, each validation is traced with its time and problem count; with it off, nothing is', async () => {
    const on = new TestClient({ trace: 'messages' });
    try {
      await on.initialize();
      await on.open(fileUri(path.join(tmp(), 'traced.meta')), 'acns-meta', BROKEN_META);
      const end = Date.now() + 3000;
      while (!on.traces.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      assert.match(on.traces.join('\n'), /^validated traced\.meta \(acns-meta\) in \d+\.\d ms: 2 problems$/m);
    } finally {
      await on.stop();
    }
    await c.open(fileUri(path.join(tmp(), 'untraced.meta')), 'acns-meta', BROKEN_META);
    assert.deepEqual(c.traces, []);
  });

  test('three problems on one range (an empty meta file): each diagnostic gets its own quick fix', async () => {
    const uri = fileUri(path.join(tmp(), 'empty.meta'));
    const p = await c.open(uri, 'acns-meta', '');
    const missing = p.diagnostics.filter((d) => d.code === 'schema/required');
    assert.equal(missing.length, 3);
    const titles: string[] = [];
    for (const d of missing) {
      const actions = await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fixes = (actions ?? []).filter((a) => 'kind' in a && a.kind === 'quickfix' && !/^(Disable|Show documentation|Add every)/.test(a.title));
      assert.equal(fixes.length, 1, `one fix for: ${d.message}`);
      const key = /`([A-Za-z-]+)`/.exec(String(d.message))![1];
      assert.ok(fixes[0].title.includes(key), `the fix for ${key} adds ${key}: ${fixes[0].title}`);
      titles.push(fixes[0].title);
      // The key goes in with no value for the user to fill in, never an example that looks real; one fix adds all three.
      const edit = (fixes[0] as { edit: { changes: Record<string, TextEdit[]> } }).edit.changes[uri][0];
      assert.equal(edit.newText.trim(), `${key}=`);
      const all = (actions ?? []).find((a) => a.title.startsWith('Add every missing key')) as { edit: { changes: Record<string, TextEdit[]> } } | undefined;
      assert.deepEqual(all?.edit.changes[uri][0].newText.trim().split('\n'), ['updateFileSize=', 'version=', 'updateFileUrl=']);
    }
    assert.equal(new Set(titles).size, 3, titles.join(' | '));
  });

  test('a client that takes snippet edits gets the missing key with a tab stop for its value; one that does not, the plain key', async () => {
    const sn = new TestClient({ workspaceEdit: { documentChanges: true, snippetEditSupport: true } });
    try {
      await sn.initialize();
      const uri = fileUri(path.join(tmp(), 'partial.meta'));
      const text = 'updateFileSize=97205475\n';
      const p = await sn.open(uri, 'acns-meta', text);
      const d = p.diagnostics.find((x) => x.code === 'schema/required' && String(x.message).includes('`version`'))!;
      const actions = (await sn.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) ?? [];
      type Snip = {
        edit: { documentChanges: { textDocument: { uri: string; version: number }; edits: { range: unknown; snippet: { kind: string; value: string } }[] }[] };
      };
      const one = actions.find((a) => a.title.includes('`version=`')) as unknown as Snip;
      assert.deepEqual(one.edit.documentChanges[0].textDocument, { uri, version: 1 });
      assert.deepEqual(one.edit.documentChanges[0].edits[0].snippet, { kind: 'snippet', value: 'version=$0\n' });
      const all = actions.find((a) => a.title.startsWith('Add every missing key')) as unknown as Snip;
      assert.equal(all.edit.documentChanges[0].edits[0].snippet.value, 'version=$1\nupdateFileUrl=$0\n');
      // Without the capability (the main client of this suite), the same fix is the plain key.
      const q = await c.open(uri, 'acns-meta', text);
      const d2 = q.diagnostics.find((x) => x.code === 'schema/required' && String(x.message).includes('`version`'))!;
      const plain = (await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d2.range, context: { diagnostics: [d2] } })) ?? [];
      const edit = (plain.find((a) => a.title.includes('`version=`')) as { edit: { changes: Record<string, TextEdit[]> } }).edit.changes[uri][0];
      assert.deepEqual(edit, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'version=\n' });
    } finally {
      await sn.stop();
    }
  });

  test('code actions: preferred quick fix per diagnostic, and fix-all', async () => {
    const uri = fileUri(path.join(tmp(), 'fix.meta'));
    const p = await c.open(uri, 'acns-meta', BROKEN_META);
    const port = p.diagnostics.find((d) => d.code === 'meta/http-port')!;
    const actions = await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: port.range, context: { diagnostics: [port] } });
    assert.deepEqual(
      actions?.map((x) => x.title),
      ['Remove `:8080` (use port 80)', 'Disable meta/http-port for this line', 'Show documentation for meta/http-port'],
    );
    const a = actions![0] as { title: string; kind: string; isPreferred: boolean; edit: { changes: Record<string, TextEdit[]> } };
    assert.equal(a.kind, 'quickfix');
    assert.equal(a.isPreferred, true);
    assert.equal(applyEdits(BROKEN_META, a.edit.changes[uri]).split('\n')[3], 'updateFileUrl= http://lab-web.example.com/images/ACNS-5.1.3-K9.bin');
    const all = await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.upgrade-lint'] },
    });
    assert.equal(all?.length, 1);
    const fixed = applyEdits(BROKEN_META, (all![0] as { edit: { changes: Record<string, TextEdit[]> } }).edit.changes[uri]);
    assert.equal(
      fixed,
      'updateFileSize=97205475\nversion= 5.1.3\ndescription= lab web server\nupdateFileUrl= http://lab-web.example.com/images/ACNS-5.1.3-K9.bin\n',
    );
    const generic = await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: port.range,
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(generic?.length, 1, 'source.fixAll also returns our fix-all');
  });

  test('"Disable <rule> for this line" inserts or extends the comment; "Show documentation" opens the page', async () => {
    const uri = fileUri(path.join(tmp(), 'disable.meta'));
    const text = BROKEN_META.replace('user=anonymous', '# upgrade-lint-disable-next-line meta/key-case\nuser=anonymous');
    const p = await c.open(uri, 'acns-meta', text);
    const port = p.diagnostics.find((d) => d.code === 'meta/http-port')!;
    const cred = p.diagnostics.find((d) => d.code === 'meta/http-credentials')!;
    const act = async (d: Diagnostic, title: RegExp) => {
      const list = await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      return list!.find((x) => title.test(x.title)) as { edit?: { changes: Record<string, TextEdit[]> }; command?: { command: string; arguments: unknown[] } };
    };
    const fresh = applyEdits(text, (await act(port, /^Disable/)).edit!.changes[uri]);
    assert.equal(fresh.split('\n')[3], '# upgrade-lint-disable-next-line meta/http-port');
    const extended = applyEdits(text, (await act(cred, /^Disable/)).edit!.changes[uri]);
    assert.equal(extended.split('\n')[4], '# upgrade-lint-disable-next-line meta/key-case, meta/http-credentials');
    // Applying the edit really silences the rule.
    const after = c.waitForDiagnostics(uri, (x) => x.version === 2);
    await c.change(uri, 2, [{ text: fresh }]);
    assert.ok(!(await after).diagnostics.some((d) => d.code === 'meta/http-port'));
    const show = await act(port, /^Show documentation/);
    await c.connection.sendRequest(ExecuteCommandRequest.type, { command: show.command!.command, arguments: show.command!.arguments });
    assert.ok(
      c.shown.some((u) => u.endsWith('/docs/rules/meta/http-port.md')),
      c.shown.join(','),
    );
  });

  test('document symbols and links', async () => {
    const uri = fileUri(path.join(tmp(), 'sym.meta'));
    await c.open(uri, 'acns-meta', BROKEN_META);
    const syms = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as { name: string; detail: string }[];
    assert.deepEqual(
      syms.map((s) => s.name),
      ['updateFileSize', 'version', 'description', 'updateFileUrl', 'user'],
    );
    assert.equal(syms[1].detail, '5.1.3');
    const links = await c.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
    assert.equal(links?.length, 1);
    assert.equal(links![0].target, 'http://lab-web.example.com:8080/images/ACNS-5.1.3-K9.bin');
    assert.deepEqual(links![0].range, { start: { line: 3, character: 15 }, end: { line: 3, character: 71 } });
  });

  test('dfc.properties: diagnostics, hover with default, and key completion', async () => {
    const uri = fileUri(path.join(tmp(), 'dfc.properties'));
    const p = await c.open(uri, 'cupm-properties', 'dfc.webport=80\ndfc.jboss.port=80\n\n');
    assert.deepEqual(codes(p.diagnostics), ['dfc/port-conflict']);
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 1, character: 15 }, end: { line: 1, character: 17 } });
    const h = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 5 } });
    assert.match(JSON.stringify(h?.contents), /46008/);
    const keys = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 0 } })).map(
      (i) => i.label,
    );
    assert.ok(keys.includes('dfc.postgres.port') && !keys.includes('dfc.webport'));
    const vals = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 15 } })).map(
      (i) => i.label,
    );
    assert.deepEqual(vals, ['46008']);
  });

  test('.upgrade-lint.json next to the file applies, and VS Code settings override it', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.upgrade-lint.json'), '{ "rules": { "meta/http-port": "warning", "meta/http-credentials": "off" } }');
    const uri = fileUri(path.join(dir, 'cfg.meta'));
    const p = await c.open(uri, 'acns-meta', BROKEN_META);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.severity]),
      [['meta/http-port', 2]],
    );
    const next = c.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0);
    await c.changeConfiguration({ rules: { 'meta/http-port': 'off' } });
    await next;
    await c.changeConfiguration({});
  });

  test('a changed image file re-validates open meta files', async () => {
    const dir = tmp();
    const image = path.join(dir, 'ACNS-5.1.3-K9.bin');
    fs.writeFileSync(image, Buffer.alloc(100));
    const uri = fileUri(path.join(dir, 'img.meta'));
    const p = await c.open(uri, 'acns-meta', 'updateFileSize=100\nversion= 5.1.3\nupdateFileUrl= ftp://f.example.com/ACNS-5.1.3-K9.bin\n');
    assert.deepEqual(p.diagnostics, []);
    fs.writeFileSync(image, Buffer.alloc(101));
    const next = c.waitForDiagnostics(uri, (x) => x.diagnostics.length === 1);
    await c.fileChanged(fileUri(image));
    const q = await next;
    assert.equal(q.diagnostics[0].code, 'meta/image-size-mismatch');
    assert.match(msg(q.diagnostics[0]), /101 bytes/);
  });

  test('bad input gets one clear diagnostic and the server keeps serving', async () => {
    const dir = tmp();
    const bin = fileUri(path.join(dir, 'garbage.meta'));
    const pb = await c.open(bin, 'acns-meta', '\u0000\u0001\u0002PK\u0003\u0004'.repeat(200));
    assert.deepEqual(codes(pb.diagnostics), ['file/binary']);
    const big = fileUri(path.join(dir, 'big.meta'));
    const line = 'description=' + 'x'.repeat(1024 * 1024) + '\n';
    const pl = await c.open(big, 'acns-meta', line + 'updateFileSize=1\nversion=5.1\nupdateFileUrl=ftp://h/ACNS-5.1.3-K9.bin\n');
    assert.deepEqual(codes(pl.diagnostics), ['schema/pattern']);
    assert.equal(pl.diagnostics[0].range.start.line, 2);
    const huge = fileUri(path.join(dir, 'huge.meta'));
    const ph = await c.open(huge, 'acns-meta', 'x=1\n'.repeat(3 * 1024 * 1024));
    assert.deepEqual(codes(ph.diagnostics), ['file/too-large']);
    assert.equal(await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: huge }, position: { line: 0, character: 0 } }), null);
    // Unknown documents and out-of-range positions are answered, not crashed on.
    assert.equal(
      await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nowhere.meta' }, position: { line: 0, character: 0 } }),
      null,
    );
    const far = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: bin }, position: { line: 9999, character: 9999 } });
    assert.ok(far === null || typeof far === 'object');
    const ok = fileUri(path.join(dir, 'after.meta'));
    const pa = await c.open(ok, 'acns-meta', BROKEN_META);
    assert.deepEqual(codes(pa.diagnostics), ['meta/http-credentials', 'meta/http-port']);
    assert.doesNotMatch(c.stderr, /Error|failed/);
  });
});

describe('language server settings', () => {
  test('onSave: nothing changes until the file is saved', async () => {
    const c = new TestClient({ settings: { run: 'onSave' } });
    try {
      await c.initialize();
      const uri = fileUri(path.join(tmp(), 'save.meta'));
      const p = await c.open(uri, 'acns-meta', BROKEN_META);
      assert.equal(p.diagnostics.length, 2);
      await c.change(uri, 2, [{ range: { start: { line: 3, character: 40 }, end: { line: 3, character: 45 } }, text: '' }]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(c.diagnostics.get(uri)!.length, 1, 'no publish before save');
      // A configuration change re-validates saved documents only: this one has unsaved edits.
      await c.changeConfiguration({ run: 'onSave', rules: { 'meta/key-case': 'off' } });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(c.diagnostics.get(uri)!.length, 1, 'no publish of unsaved text on a configuration change');
      const saved = c.waitForDiagnostics(uri, (x) => x.version === 2);
      await c.save(uri);
      assert.deepEqual(codes((await saved).diagnostics), ['meta/http-credentials']);
    } finally {
      await c.stop();
    }
  });

  test('Japanese locale from the client: messages and hovers in Japanese', async () => {
    const c = new TestClient({ locale: 'ja' });
    try {
      await c.initialize();
      const uri = fileUri(path.join(tmp(), 'ja.meta'));
      const p = await c.open(uri, 'acns-meta', BROKEN_META);
      assert.match(msg(p.diagnostics.find((d) => d.code === 'meta/http-port')!), /ポート 80/);
      const h = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
      assert.match(JSON.stringify(h?.contents), /バイト/);
    } finally {
      await c.stop();
    }
  });

  test('for our VS Code client, accepting a key opens its value suggestions (editor.action.triggerSuggest)', async () => {
    const c = new TestClient({ initializationOptions: { workspaceTrusted: true } });
    try {
      await c.initialize();
      const uri = fileUri(path.join(tmp(), 'plan.upgrade.yaml'));
      await c.open(uri, 'upgrade-manifest', 'manifestVersion: 1\nproduct: acns\nnodes:\n  - name: a\n    \n');
      const keys = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 4 } }));
      assert.equal(keys.find((i) => i.label === 'role')?.command?.command, 'editor.action.triggerSuggest');
      assert.equal(keys.find((i) => i.label === 'address')?.command, undefined, 'a free-text key has no suggestions to open');
      // The rule link of the Problems panel and the hover runs the command that opens the page rendered, not the
      // Markdown file (other editors keep the file link: the first test of this suite).
      const meta = fileUri(path.join(tmp(), 'link.meta'));
      const p = await c.open(meta, 'acns-meta', BROKEN_META);
      const port = p.diagnostics.find((d) => d.code === 'meta/http-port')!;
      assert.equal(port.codeDescription?.href, `command:upgradeLint.showRuleDocumentation?${encodeURIComponent('["meta/http-port"]')}`);
    } finally {
      await c.stop();
    }
  });

  test('a client that sends one language id for every file (Eglot 1.9): the file name of a known kind decides', async () => {
    const c = new TestClient();
    await c.initialize();
    const dir = tmp();
    // dfc.properties opened with the meta language id is still linted as CUPM properties (no missing meta keys).
    const p = await c.open(fileUri(path.join(dir, 'dfc.properties')), 'acns-meta', 'dfc.docbroker.host=cupm-db01\n');
    assert.ok(!p.diagnostics.some((d) => String(d.message).includes('updateFileSize')), JSON.stringify(p.diagnostics));
    // A name of no known kind: the language id decides.
    const q = await c.open(fileUri(path.join(dir, 'site.conf')), 'acns-meta', 'version=5.1.3\n');
    assert.ok(
      q.diagnostics.some((d) => d.code === 'schema/required'),
      JSON.stringify(q.diagnostics),
    );
    await c.stop();
  });

  test('a client without workspace/configuration passes settings in initializationOptions', async () => {
    const c = new TestClient({ configuration: false, initializationOptions: { settings: { rules: { 'meta/http-credentials': 'hint' }, locale: 'en' } } });
    try {
      await c.initialize();
      const uri = fileUri(path.join(tmp(), 'plain.meta'));
      const p = await c.open(uri, 'acns-meta', BROKEN_META);
      assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]).sort(), [
        ['meta/http-credentials', 4],
        ['meta/http-port', 1],
      ]);
    } finally {
      await c.stop();
    }
  });

  test('the alias-expansion limit is a setting', async () => {
    const c = new TestClient({ settings: { maxAliasExpansion: 10 } });
    try {
      await c.initialize();
      const text =
        'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nx: &x [1, 2, 3, 4, 5, 6]\ny: [*x, *x, *x]\nnodes: [{name: a, role: content-engine}]\nsteps: [{id: s, action: upgrade, node: a}]\n';
      const p = await c.open(fileUri(path.join(tmp(), 'small-limit.upgrade.yaml')), 'upgrade-manifest', text);
      assert.deepEqual(codes(p.diagnostics), ['yaml/too-many-aliases']);
      // The same document with the default limit is merely an unknown-key problem (x, y are not manifest keys).
      const d = new TestClient();
      try {
        await d.initialize();
        const q = await d.open(fileUri(path.join(tmp(), 'default-limit.upgrade.yaml')), 'upgrade-manifest', text);
        assert.ok(!codes(q.diagnostics).includes('yaml/too-many-aliases'));
      } finally {
        await d.stop();
      }
    } finally {
      await c.stop();
    }
  });

  test('the server binary prints help and exits', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--stdio/);
  });
});

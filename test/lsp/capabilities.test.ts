/**
 * What the server does for any LSP client, by what the client says it can do: dynamic registration (watched files,
 * configuration) only where allowed, watched files re-validating what depends on them, pull diagnostics (document
 * and workspace) instead of pushed ones, work-done progress, cancellation, and formatting.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  CancellationTokenSource,
  DocumentDiagnosticRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  FileChangeType,
  WorkDoneProgress,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
  type TextEdit,
  type WorkspaceDiagnosticReport,
  type WorkspaceDiagnosticReportPartialResult,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { formatDocument } from '../../server/engine/services/format';
import { applyEdits } from '../../server/engine/text';
import { VALIDATE_WORKSPACE_COMMAND, WATCHED_FILE_GLOBS } from '../../server/protocol/index';
import { fileUri, TestClient, type StartOptions } from '../helpers/lspClient';

const BROKEN_META = [
  'updateFileSize=97205475',
  'version= 5.1.3',
  'description= lab web server',
  'updateFileUrl= http://lab-web.example.com:8080/images/ACNS-5.1.3-K9.bin',
  'user=anonymous',
  '',
].join('\n');
const GOOD_META = (v: string) => `updateFileSize=97205475\nversion= ${v}\nupdateFileUrl= ftp://images.example.com/ACNS-${v}-K9.bin\n`;
const PLAN = [
  'manifestVersion: 1',
  'product: acns',
  'from: 5.1.0',
  'to: 5.1.3',
  'metaFile: ./ACNS-5.1.3.meta',
  'nodes:',
  '  - { name: ce-1, role: content-engine }',
  '  - { name: cdm-a, role: cdm-primary }',
  'steps:',
  '  - { id: backup, action: backup, node: cdm-a, target: cdm-database }',
  '  - { id: up-ce, action: upgrade, node: ce-1, method: gui }',
  '  - { id: up-cdm, action: upgrade, node: cdm-a, method: cli }',
  '',
].join('\n');

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-cap-')));
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A client that pulls diagnostics, as VS Code's languageclient 11 or Neovim 0.10 say they do. */
const PULL: StartOptions['capabilities'] = {
  textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
  workspace: { diagnostics: { refreshSupport: true } },
};

async function start(opts: StartOptions = {}): Promise<TestClient> {
  const c = new TestClient(opts);
  await c.initialize();
  return c;
}

/** Waits until every message the server sent before answering this request has been read. */
const roundTrip = (c: TestClient) => c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'file:///nothing.meta' } });

const openOnly = (c: TestClient, uri: string, languageId: string, text: string, version = 1) =>
  c.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
const pull = (c: TestClient, uri: string, previousResultId?: string) =>
  c.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
const full = (r: DocumentDiagnosticReport): FullDocumentDiagnosticReport => {
  assert.equal(r.kind, 'full');
  return r as FullDocumentDiagnosticReport;
};

describe('dynamic registration', () => {
  test('with dynamicRegistration the server registers watchers for the files it depends on, and configuration changes', async () => {
    const c = await start({ capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } });
    try {
      await c.until('two registrations', () => c.registrations.length >= 2);
      const watched = c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
      assert.ok(watched, JSON.stringify(c.registrations));
      const globs = (watched.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
      assert.deepEqual(globs, WATCHED_FILE_GLOBS);
      for (const g of ['**/.upgrade-lint.json', '**/*.meta', '**/dfc.properties', '**/*.upgrade.{yaml,yml}', '**/*.{bin,upg}']) assert.ok(globs.includes(g), g);
      const config = c.registrations.find((r) => r.method === 'workspace/didChangeConfiguration');
      assert.deepEqual(config?.registerOptions, { section: 'upgradeLint' });
    } finally {
      await c.stop();
    }
  });

  test('with dynamicRegistration false (or absent) nothing is registered', async () => {
    const c = await start({
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false }, didChangeConfiguration: { dynamicRegistration: false } } },
    });
    const d = await start({ capabilities: { workspace: { didChangeConfiguration: undefined } } });
    try {
      await roundTrip(c);
      await roundTrip(d);
      await sleep(100);
      assert.deepEqual(c.registrations, []);
      assert.deepEqual(d.registrations, []);
    } finally {
      await c.stop();
      await d.stop();
    }
  });

  test('configuration changes are registered without watchers when only that is allowed', async () => {
    const c = await start({ capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } } });
    try {
      await c.until('a registration', () => c.registrations.length >= 1);
      await roundTrip(c);
      assert.deepEqual(
        c.registrations.map((r) => r.method),
        ['workspace/didChangeConfiguration'],
      );
    } finally {
      await c.stop();
    }
  });
});

describe('watched files', () => {
  test('a changed .upgrade-lint.json re-validates an open meta file with the new severity', async () => {
    const dir = tmp();
    const config = path.join(dir, '.upgrade-lint.json');
    fs.writeFileSync(config, '{ "rules": { "meta/http-port": "warning" } }');
    const c = await start({ rootPath: dir });
    try {
      const uri = fileUri(path.join(dir, 'lab.meta'));
      const p = await c.open(uri, 'acns-meta', BROKEN_META);
      assert.equal(p.diagnostics.find((d) => d.code === 'meta/http-port')?.severity, 2);
      fs.writeFileSync(config, '{ "rules": { "meta/http-port": "information", "meta/http-credentials": "off" } }');
      const next = c.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'meta/http-port' && d.severity === 3));
      await c.filesChanged([{ uri: fileUri(config), type: FileChangeType.Changed }]);
      assert.deepEqual(codes((await next).diagnostics), ['meta/http-port']);
      // Deleted: the defaults apply again.
      fs.rmSync(config);
      const again = c.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'meta/http-port' && d.severity === 1));
      await c.filesChanged([{ uri: fileUri(config), type: FileChangeType.Deleted }]);
      assert.deepEqual(codes((await again).diagnostics), ['meta/http-credentials', 'meta/http-port']);
    } finally {
      await c.stop();
    }
  });

  test('a meta file changed on disk re-validates the open manifest that names it; files validated from disk are read again', async () => {
    const dir = tmp();
    const meta = path.join(dir, 'ACNS-5.1.3.meta');
    const other = path.join(dir, 'other.meta');
    fs.writeFileSync(meta, GOOD_META('5.1.3'));
    fs.writeFileSync(other, GOOD_META('5.1.3'));
    const c = await start({ rootPath: dir });
    try {
      const plan = fileUri(path.join(dir, 'plan.upgrade.yaml'));
      const first = await c.open(plan, 'upgrade-manifest', PLAN);
      assert.ok(!codes(first.diagnostics).includes('acns/meta-version-mismatch'), JSON.stringify(first.diagnostics));
      const validated = c.waitForDiagnostics(fileUri(other));
      await c.connection.sendRequest('upgradeLint/validateFiles', { uris: [fileUri(other)] });
      assert.deepEqual((await validated).diagnostics, []);

      fs.writeFileSync(meta, GOOD_META('5.2.0'));
      const mismatch = c.waitForDiagnostics(plan, (p) => codes(p.diagnostics).includes('acns/meta-version-mismatch'));
      await c.filesChanged([{ uri: fileUri(meta), type: FileChangeType.Changed }]);
      await mismatch;

      // The closed file validated from disk: changed, its problems are those of the new text; deleted, none.
      fs.writeFileSync(other, BROKEN_META);
      const broken = c.waitForDiagnostics(fileUri(other), (p) => p.diagnostics.length > 0);
      await c.filesChanged([{ uri: fileUri(other), type: FileChangeType.Changed }]);
      assert.deepEqual(codes((await broken).diagnostics), ['meta/http-credentials', 'meta/http-port']);
      fs.rmSync(other);
      const cleared = c.waitForDiagnostics(fileUri(other), (p) => p.diagnostics.length === 0);
      await c.filesChanged([{ uri: fileUri(other), type: FileChangeType.Deleted }]);
      await cleared;
      // A folder deleted: the files validated in it are cleared too.
      const sub = path.join(dir, 'sub');
      fs.mkdirSync(sub);
      fs.writeFileSync(path.join(sub, 'in.meta'), BROKEN_META);
      const inSub = fileUri(path.join(sub, 'in.meta'));
      const shown = c.waitForDiagnostics(inSub, (p) => p.diagnostics.length > 0);
      await c.connection.sendRequest('upgradeLint/validateFiles', { uris: [inSub] });
      await shown;
      fs.rmSync(sub, { recursive: true });
      const gone = c.waitForDiagnostics(inSub, (p) => p.diagnostics.length === 0);
      await c.filesChanged([{ uri: fileUri(sub), type: FileChangeType.Deleted }]);
      await gone;
    } finally {
      await c.stop();
    }
  });
});

describe('pull diagnostics', () => {
  test('a client that pulls gets diagnosticProvider and no pushed diagnostics; a push client gets no diagnosticProvider', async () => {
    const c = new TestClient({ capabilities: PULL });
    const init = await c.initialize();
    const push = new TestClient();
    const pushInit = await push.initialize();
    try {
      assert.deepEqual(init.capabilities.diagnosticProvider, {
        identifier: 'upgrade-lint',
        interFileDependencies: true,
        workspaceDiagnostics: true,
        workDoneProgress: true,
      });
      assert.equal(pushInit.capabilities.diagnosticProvider, undefined);
      // Our VS Code client (it sends workspace trust) keeps push, even though languageclient 11 can pull.
      const vs = new TestClient({ capabilities: PULL, initializationOptions: { workspaceTrusted: true } });
      try {
        assert.equal((await vs.initialize()).capabilities.diagnosticProvider, undefined);
      } finally {
        await vs.stop();
      }

      const dir = tmp();
      const uri = fileUri(path.join(dir, 'lab.meta'));
      const pushed = await push.open(uri, 'acns-meta', BROKEN_META);
      await openOnly(c, uri, 'acns-meta', BROKEN_META);
      const first = full(await pull(c, uri));
      assert.deepEqual(first.items, pushed.diagnostics, 'the same problems a push client gets');
      assert.deepEqual(codes(first.items), ['meta/http-credentials', 'meta/http-port']);
      assert.ok(first.resultId);
      const second = await pull(c, uri, first.resultId);
      assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });

      // An edit: the next pull has the new problems.
      await c.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' }],
      });
      const third = full(await pull(c, uri, first.resultId));
      assert.deepEqual(codes(third.items), ['meta/http-port']);
      assert.notEqual(third.resultId, first.resultId);
      await c.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      await roundTrip(c);
      await sleep(200);
      assert.equal(c.diagnostics.size, 0, `nothing pushed: ${JSON.stringify([...c.diagnostics.keys()])}`);
    } finally {
      await c.stop();
      await push.stop();
    }
  });

  test('an edit of a meta file asks the client to pull again (refresh), and the manifest that names it has the new problem', async () => {
    const dir = tmp();
    const meta = path.join(dir, 'ACNS-5.1.3.meta');
    fs.writeFileSync(meta, GOOD_META('5.1.3'));
    const c = await start({ rootPath: dir, capabilities: PULL });
    try {
      const plan = fileUri(path.join(dir, 'plan.upgrade.yaml'));
      await openOnly(c, plan, 'upgrade-manifest', PLAN);
      await openOnly(c, fileUri(meta), 'acns-meta', GOOD_META('5.1.3'));
      const before = full(await pull(c, plan));
      assert.ok(!codes(before.items).includes('acns/meta-version-mismatch'));
      const refreshes = c.refreshes;
      await c.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: fileUri(meta), version: 2 },
        contentChanges: [{ text: GOOD_META('5.2.0') }],
      });
      await c.until('a refresh', () => c.refreshes > refreshes);
      const after = full(await pull(c, plan, before.resultId));
      assert.ok(codes(after.items).includes('acns/meta-version-mismatch'), JSON.stringify(after.items));
      // A closed file asked about: its problems on disk.
      const closed = path.join(dir, 'closed.meta');
      fs.writeFileSync(closed, BROKEN_META);
      assert.deepEqual(codes(full(await pull(c, fileUri(closed))).items), ['meta/http-credentials', 'meta/http-port']);
    } finally {
      await c.stop();
    }
  });

  test('in onSave mode a client that pulls keeps the problems of the last save until the next save, then is asked to pull again', async () => {
    const c = await start({ capabilities: PULL, settings: { run: 'onSave' } });
    try {
      const uri = fileUri(path.join(tmp(), 'saved.meta'));
      await openOnly(c, uri, 'acns-meta', BROKEN_META);
      const first = full(await pull(c, uri));
      assert.deepEqual(codes(first.items), ['meta/http-credentials', 'meta/http-port']);
      await c.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' }],
      });
      assert.deepEqual(await pull(c, uri, first.resultId), { kind: 'unchanged', resultId: first.resultId }, 'unsaved: the last validation');
      const refreshes = c.refreshes;
      await c.save(uri);
      await c.until('a refresh after the save', () => c.refreshes > refreshes);
      assert.deepEqual(codes(full(await pull(c, uri, first.resultId)).items), ['meta/http-port']);
    } finally {
      await c.stop();
    }
  });

  test('malformed pull requests get an error or an empty report, and the server keeps serving', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'lab.meta'), BROKEN_META);
    const c = await start({ rootPath: dir, capabilities: PULL });
    try {
      for (const method of ['textDocument/diagnostic', 'workspace/diagnostic', 'workspace/executeCommand']) {
        for (const params of [null, {}, { textDocument: 42, previousResultIds: 'x' }, { textDocument: { uri: 7 }, previousResultIds: [null, 3], command: 7 }]) {
          await c.connection.sendRequest(method, params).catch(() => undefined);
        }
      }
      const r = full(await pull(c, 'untitled:Untitled-1'));
      assert.deepEqual(r.items, []);
      assert.deepEqual(await roundTrip(c), []);
    } finally {
      await c.stop();
    }
  });

  test('workspace/diagnostic reports the files on disk (as Validate Workspace finds them), unchanged when asked again', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'lab.meta'), BROKEN_META);
    fs.writeFileSync(path.join(dir, 'ACNS-5.1.3.meta'), GOOD_META('5.1.3'));
    fs.writeFileSync(path.join(dir, 'plan.upgrade.yaml'), PLAN);
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'dfc.properties'), 'dfc.jboss.port=46008\ndfc.jboss.port=46009\n');
    fs.writeFileSync(path.join(dir, 'sub', 'notes.txt'), 'not ours');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules', 'skipped.meta'), BROKEN_META);
    const c = await start({ rootPath: dir, capabilities: PULL });
    try {
      const open = fileUri(path.join(dir, 'ACNS-5.1.3.meta'));
      await openOnly(c, open, 'acns-meta', GOOD_META('5.1.3'), 7);
      const r = (await c.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
      const byUri = new Map(r.items.map((i) => [i.uri, i]));
      assert.deepEqual(
        [...byUri.keys()].sort(),
        [open, fileUri(path.join(dir, 'lab.meta')), fileUri(path.join(dir, 'plan.upgrade.yaml')), fileUri(path.join(dir, 'sub', 'dfc.properties'))].sort(),
      );
      const lab = byUri.get(fileUri(path.join(dir, 'lab.meta'))) as WorkspaceDocumentDiagnosticReport & FullDocumentDiagnosticReport;
      assert.equal(lab.kind, 'full');
      assert.equal(lab.version, null);
      assert.deepEqual(codes(lab.items), ['meta/http-credentials', 'meta/http-port']);
      assert.ok(codes((byUri.get(fileUri(path.join(dir, 'sub', 'dfc.properties'))) as FullDocumentDiagnosticReport).items).includes('dfc/duplicate-key'));
      assert.equal(byUri.get(open)?.version, 7, 'an open document is reported as the editor has it');
      const again = (await c.connection.sendRequest(WorkspaceDiagnosticRequest.type, {
        previousResultIds: r.items.map((i) => ({ uri: i.uri, value: i.resultId! })),
      })) as WorkspaceDiagnosticReport;
      assert.deepEqual(
        again.items.map((i) => i.kind),
        r.items.map(() => 'unchanged'),
      );
      // With a partial-result token every report comes as progress, and the answer is empty.
      const parts: WorkspaceDocumentDiagnosticReport[] = [];
      c.connection.onProgress(WorkspaceDiagnosticRequest.partialResult, 'part-1', (p: WorkspaceDiagnosticReportPartialResult) => void parts.push(...p.items));
      const partial = (await c.connection.sendRequest(WorkspaceDiagnosticRequest.type, {
        previousResultIds: [],
        partialResultToken: 'part-1',
      })) as WorkspaceDiagnosticReport;
      assert.deepEqual(partial.items, []);
      await c.until('partial results', () => parts.length === r.items.length);
      assert.deepEqual(parts.map((p) => p.uri).sort(), r.items.map((i) => i.uri).sort());
      await sleep(100);
      assert.equal(c.diagnostics.size, 0, 'nothing pushed');
    } finally {
      await c.stop();
    }
  });
});

describe('workspace validation: progress and cancellation', () => {
  test('workspace/diagnostic reports begin, files done/total and end (a token the server creates, or the request’s)', async () => {
    const dir = tmp();
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `m${i}.meta`), BROKEN_META);
    const c = await start({ rootPath: dir, capabilities: { ...PULL, window: { workDoneProgress: true } } });
    try {
      await c.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      await c.until('progress end', () => c.progress.some((p) => p.value.kind === 'end'));
      const kinds = c.progress.map((p) => p.value.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
      const begin = c.progress[0].value as { title: string; cancellable?: boolean };
      assert.equal(begin.title, 'Validating the workspace');
      assert.equal(begin.cancellable, true);
      const messages = c.progress.filter((p) => p.value.kind === 'report').map((p) => (p.value as { message?: string }).message);
      assert.ok(messages.includes('5/5 files'), JSON.stringify(messages));
      assert.ok(messages.includes('5 files checked: 10 errors, 0 warnings, 0 information.'), JSON.stringify(messages));

      // The request's own token: no token created, the progress goes on it.
      const created = c.progress.length;
      const mine: string[] = [];
      c.connection.onProgress(WorkDoneProgress.type, 'wd-1', (v) => void mine.push(v.kind));
      await c.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], workDoneToken: 'wd-1' });
      await c.until('progress end on wd-1', () => mine.includes('end'));
      assert.equal(mine[0], 'begin');
      assert.ok(mine.includes('report'));
      assert.equal(c.progress.length, created);
    } finally {
      await c.stop();
    }
  });

  test(`${VALIDATE_WORKSPACE_COMMAND} validates every file, publishes their problems with progress, in Japanese for a Japanese client`, async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a.meta'), BROKEN_META);
    fs.mkdirSync(path.join(dir, 'deep', 'er'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'deep', 'er', 'b.meta'), GOOD_META('5.1.3'));
    const c = new TestClient({ rootPath: dir, locale: 'ja', capabilities: { window: { workDoneProgress: true } } });
    const init = await c.initialize();
    try {
      assert.ok(init.capabilities.executeCommandProvider?.commands.includes(VALIDATE_WORKSPACE_COMMAND));
      const published = c.waitForDiagnostics(fileUri(path.join(dir, 'a.meta')));
      const summary = await c.connection.sendRequest(ExecuteCommandRequest.type, { command: VALIDATE_WORKSPACE_COMMAND });
      assert.deepEqual(summary, { files: 2, errors: 2, warnings: 0, information: 0, hints: 0 });
      assert.deepEqual(codes((await published).diagnostics), ['meta/http-credentials', 'meta/http-port']);
      await c.until('progress end', () => c.progress.some((p) => p.value.kind === 'end'));
      assert.equal((c.progress[0].value as { title: string }).title, 'ワークスペースを検証しています');
      assert.ok(c.progress.some((p) => (p.value as { message?: string }).message === '2/2 ファイル'));
    } finally {
      await c.stop();
    }
    // Our VS Code client has its own command: the server does not offer this one to it.
    const vs = new TestClient({ initializationOptions: { workspaceTrusted: true } });
    try {
      assert.ok(!(await vs.initialize()).capabilities.executeCommandProvider?.commands.includes(VALIDATE_WORKSPACE_COMMAND));
    } finally {
      await vs.stop();
    }
  });

  test('$/cancelRequest stops a workspace validation over thousands of files early, with RequestCancelled', async () => {
    const dir = tmp();
    for (let d = 0; d < 30; d++) {
      const sub = path.join(dir, `d${d}`);
      fs.mkdirSync(sub);
      for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(sub, `m${i}.meta`), BROKEN_META);
    }
    const all = fs.readdirSync(dir).flatMap((d) => fs.readdirSync(path.join(dir, d)).map((n) => fileUri(path.join(dir, d, n))));
    const c = await start({ rootPath: dir, capabilities: { ...PULL, window: { workDoneProgress: true } } });
    try {
      for (const send of [
        (token: CancellationTokenSource['token']) => c.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }, token),
        (token: CancellationTokenSource['token']) => c.connection.sendRequest(ExecuteCommandRequest.type, { command: VALIDATE_WORKSPACE_COMMAND }, token),
        (token: CancellationTokenSource['token']) => c.connection.sendRequest('upgradeLint/validateFiles', { uris: all }, token),
      ]) {
        c.progress.length = 0;
        const source = new CancellationTokenSource();
        const answer = send(source.token).then(
          (r) => ({ ok: r }),
          (e: { code?: number }) => ({ code: e.code }),
        );
        // Cancelled once it is under way (its first files done; validateFiles reports no progress here: 300 ms).
        const started = Date.now();
        await c.until('files being validated', () => c.progress.some((p) => p.value.kind === 'report') || Date.now() - started > 300, 20000);
        const cancelledAt = Date.now();
        source.cancel();
        const r = await answer;
        assert.deepEqual(r, { code: -32800 }, JSON.stringify(r).slice(0, 200));
        assert.ok(Date.now() - cancelledAt < 2000, `answered ${Date.now() - cancelledAt} ms after the cancellation`);
        const reports = c.progress.filter((p) => p.value.kind === 'report').map((p) => (p.value as { message?: string }).message ?? '');
        assert.ok(!reports.some((m) => m.startsWith('3000/')), 'stopped before the end');
      }
      // The server still answers.
      assert.deepEqual(await roundTrip(c), []);
    } finally {
      await c.stop();
    }
  });
});

describe('formatting', () => {
  test('a badly indented manifest and a meta file get the edits that format them', async () => {
    const c = new TestClient({ settings: { maxFileSize: 4096 } });
    const init = await c.initialize();
    try {
      assert.equal(init.capabilities.documentFormattingProvider, true);
      assert.equal(init.capabilities.documentRangeFormattingProvider, true);
      const dir = tmp();
      const manifest = fileUri(path.join(dir, 'plan.upgrade.yaml'));
      const text = [
        'manifestVersion: 1',
        'product:   acns',
        'from: 5.1.0',
        'to: 5.1.3',
        'nodes:',
        '    -   name: ce-1',
        '        role: content-engine',
        'steps:',
        ' - id: up-ce',
        '   action: upgrade   ',
        '   node: ce-1',
        '   method: gui',
        '',
      ].join('\n');
      await c.open(manifest, 'upgrade-manifest', text);
      const format = async (uri: string, t: string, tabSize = 2) =>
        applyEdits(
          t,
          ((await c.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize, insertSpaces: true } })) ??
            []) as TextEdit[],
        );
      assert.equal(
        await format(manifest, text),
        [
          'manifestVersion: 1',
          'product: acns',
          'from: 5.1.0',
          'to: 5.1.3',
          'nodes:',
          '  - name: ce-1',
          '    role: content-engine',
          'steps:',
          '  - id: up-ce',
          '    action: upgrade',
          '    node: ce-1',
          '    method: gui',
          '',
        ].join('\n'),
      );
      assert.match(await format(manifest, text, 4), /^nodes:\n {4}- name: ce-1\n {6}role: content-engine$/m, 'the client’s tab size');

      const meta = fileUri(path.join(dir, 'lab.meta'));
      const metaText = 'updateFileSize=100\n  version =  5.1.3\nupdateFileUrl= ftp://f.example.com/ACNS-5.1.3-K9.bin';
      await c.open(meta, 'acns-meta', metaText);
      // Exactly the engine's formatting (its style is the engine's: blanks before the key and around `=` go).
      const formatted = await format(meta, metaText);
      assert.equal(formatted, applyEdits(metaText, formatDocument('acns-meta', metaText, { tabSize: 2 })));
      assert.match(formatted, /^updateFileSize=100\nversion= ?5\.1\.3\nupdateFileUrl= ?ftp:\/\/f\.example\.com\/ACNS-5\.1\.3-K9\.bin\n$/);
      const range = (await c.connection.sendRequest(DocumentRangeFormattingRequest.type, {
        textDocument: { uri: meta },
        range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } },
        options: { tabSize: 2, insertSpaces: true },
      })) as TextEdit[];
      const lines = applyEdits(metaText, range).split('\n');
      assert.deepEqual(lines, [metaText.split('\n')[0], formatted.split('\n')[1], metaText.split('\n')[2]], 'only the selected line');
      // A binary document, and one over maxFileSize, get no edits.
      const bin = fileUri(path.join(dir, 'garbage.meta'));
      await c.open(bin, 'acns-meta', '\u0000\u0001  version = 1\n'.repeat(50));
      assert.deepEqual(
        await c.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: bin }, options: { tabSize: 2, insertSpaces: true } }),
        [],
      );
      const big = fileUri(path.join(dir, 'big.meta'));
      await c.open(big, 'acns-meta', '  version = 5.1.3\n' + 'description=' + 'x'.repeat(5000) + '\n');
      assert.deepEqual(
        await c.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: big }, options: { tabSize: 2, insertSpaces: true } }),
        [],
      );
      // Hostile options are not an error.
      assert.ok(
        Array.isArray(
          await c.connection.sendRequest(DocumentFormattingRequest.type, {
            textDocument: { uri: manifest },
            options: { tabSize: -5, insertSpaces: 'x' as unknown as boolean },
          }),
        ),
      );
    } finally {
      await c.stop();
    }
  });
});

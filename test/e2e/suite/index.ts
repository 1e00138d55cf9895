/**
 * In-editor tests, run inside VS Code's extension host with the extension under development loaded.
 * They use only the `vscode` API, so they run the same in desktop VS Code and in code-server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ciWorkflow } from '../../../client/walkthrough-content';

/** What `upgradeLint.runbookSnapshot` returns (client/runbook.ts): what the runbook preview of a manifest was given. */
interface RunbookSnapshot {
  title: string;
  summary?: string;
  html: string;
  svg?: string;
  steps: { index: number; id: string; itemRange: { start: vscode.Position; end: vscode.Position } }[];
  highlighted: number;
  version?: number;
}

const EXT_ID = 'upgrade-lint.upgrade-lint';
const figures: Record<string, number> = {};

const folder = () => vscode.workspace.workspaceFolders![0].uri;
const file = (name: string) => vscode.Uri.joinPath(folder(), name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
const codes = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .map((d) => String(typeof d.code === 'object' ? d.code.value : d.code))
    .sort();
const hoverText = (hs: vscode.Hover[]) => hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');

async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(file(name));
  return vscode.window.showTextDocument(doc);
}

async function setting(key: string, value: unknown) {
  await vscode.workspace.getConfiguration('upgradeLint').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Closes a manifest edited by a runbook test (its edits reverted) and its preview, and deletes the file. */
async function closeRunbook(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  for (const t of vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((x) => x.input instanceof vscode.TabInputWebview && x.label.startsWith('Runbook:')))
    await vscode.window.tabGroups.close(t);
  fs.rmSync(doc.uri.fsPath, { force: true });
}

const tests: [string, () => Promise<void>][] = [
  [
    'activates on a meta file and shows its diagnostics with codes and exact ranges',
    async () => {
      const t0 = Date.now();
      const ed = await open('lab.meta');
      assert.equal(ed.document.languageId, 'acns-meta');
      await until('activation', () => vscode.extensions.getExtension(EXT_ID)?.isActive);
      figures['activation ms (open → extension active)'] = Date.now() - t0;
      await until('diagnostics', () => vscode.languages.getDiagnostics(ed.document.uri).length >= 2);
      figures['first diagnostics ms (open → problems)'] = Date.now() - t0;
      assert.deepEqual(codes(ed.document.uri), ['meta/http-credentials', 'meta/http-port']);
      const port = vscode.languages.getDiagnostics(ed.document.uri).find((d) => (d.code as { value: string }).value === 'meta/http-port')!;
      assert.equal(port.source, 'upgrade-lint');
      assert.equal(port.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([port.range.start.line, port.range.start.character, port.range.end.line, port.range.end.character], [3, 15, 3, 71]);
    },
  ],
  [
    'hover explains updateFileSize',
    async () => {
      const ed = await open('lab.meta');
      const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', ed.document.uri, new vscode.Position(0, 3));
      assert.match(hoverText(hs), /bytes/);
    },
  ],
  [
    'completion offers the keys that are missing',
    async () => {
      const ed = await open('lab.meta');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        ed.document.uri,
        new vscode.Position(5, 0),
      );
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('password') && labels.includes('CDM-IP') && !labels.includes('version'), labels.join(','));
    },
  ],
  [
    'the preferred quick fix removes the port and the problem goes away',
    async () => {
      const ed = await open('lab.meta');
      const port = vscode.languages.getDiagnostics(ed.document.uri).find((d) => (d.code as { value: string }).value === 'meta/http-port')!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        ed.document.uri,
        port.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.isPreferred)!;
      assert.ok(fix, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.equal(ed.document.lineAt(3).text, 'updateFileUrl= http://lab-web.example.com/images/ACNS-5.1.3-K9.bin');
      await until('http-port gone', () => !codes(ed.document.uri).includes('meta/http-port'));
    },
  ],
  [
    'fix all (source.fixAll.upgrade-lint) yields the expected text',
    async () => {
      const ed = await open('lab.meta');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        ed.document.uri,
        new vscode.Range(0, 0, 0, 0),
        'source.fixAll.upgrade-lint',
      );
      assert.equal(actions.length, 1);
      assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
      assert.equal(
        ed.document.getText(),
        'updateFileSize=97205475\nversion= 5.1.3\ndescription= lab web server\nupdateFileUrl= http://lab-web.example.com/images/ACNS-5.1.3-K9.bin\n\n',
      );
      await until('clean', () => vscode.languages.getDiagnostics(ed.document.uri).length === 0);
      await ed.document.save();
    },
  ],
  [
    'with upgradeLint.run = onSave nothing changes until the file is saved',
    async () => {
      await setting('run', 'onSave');
      try {
        const ed = await open('lab.meta');
        await sleep(500); // let the configuration change reach the server before typing
        await ed.edit((e) => e.replace(new vscode.Range(1, 9, 1, 14), '5.1'));
        await sleep(1500);
        assert.deepEqual(codes(ed.document.uri), []);
        await ed.document.save();
        await until('schema/pattern after save', () => codes(ed.document.uri).includes('schema/pattern'));
        await ed.edit((e) => e.replace(new vscode.Range(1, 9, 1, 12), '5.1.3'));
        await ed.document.save();
        await until('clean after save', () => codes(ed.document.uri).length === 0);
      } finally {
        await setting('run', undefined);
      }
    },
  ],
  [
    'dfc.properties: port conflict',
    async () => {
      const ed = await open('dfc.properties');
      assert.equal(ed.document.languageId, 'cupm-properties');
      await until('dfc diagnostics', () => codes(ed.document.uri).includes('dfc/port-conflict'));
    },
  ],
  [
    'changing the referenced meta file re-validates the open manifest',
    async () => {
      const plan = await open('plan.upgrade.yaml');
      assert.equal(plan.document.languageId, 'upgrade-manifest');
      await until('manifest validated', () => vscode.languages.getDiagnostics(plan.document.uri) && true);
      await sleep(500);
      assert.ok(!codes(plan.document.uri).includes('acns/meta-version-mismatch'));
      const meta = await open('ACNS-5.1.3.meta');
      // The release changes in the version and in the image name alike, so the meta file itself stays clean.
      await meta.edit((e) => {
        e.replace(new vscode.Range(1, 9, 1, 14), '5.2.0');
        e.replace(new vscode.Range(2, 45, 2, 50), '5.2.0');
      });
      await until('meta-version-mismatch on the manifest', () => codes(plan.document.uri).includes('acns/meta-version-mismatch'));
      const mm = vscode.languages.getDiagnostics(plan.document.uri).find((d) => (d.code as { value: string }).value === 'acns/meta-version-mismatch')!;
      assert.deepEqual([mm.range.start.line, mm.range.start.character, mm.range.end.line, mm.range.end.character], [3, 4, 3, 9]);
      assert.equal(mm.relatedInformation?.[0].location.uri.toString(), meta.document.uri.toString());
      assert.deepEqual(codes(meta.document.uri), [], 'the meta file itself shows nothing about the manifest');
      await meta.edit((e) => {
        e.replace(new vscode.Range(1, 9, 1, 14), '5.1.3');
        e.replace(new vscode.Range(2, 45, 2, 50), '5.1.3');
      });
      await until('mismatch gone', () => !codes(plan.document.uri).includes('acns/meta-version-mismatch'));
    },
  ],
  [
    '"Validate Workspace" reports every file, opened or not',
    async () => {
      const summary = await vscode.commands.executeCommand<{ files: number; errors: number }>('upgradeLint.validateWorkspace');
      assert.equal(summary.files, 5);
      await until('unopened file diagnostics', () => codes(file('other/unopened.meta')).includes('schema/pattern'));
    },
  ],
  [
    'Enter after a sequence item continues its mapping under the first key; after `- key:` it goes deeper',
    async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'upgrade-manifest', content: 'steps:\n  - id: stop-check\n  - nodes:\n' });
      const ed = await vscode.window.showTextDocument(doc);
      assert.equal(ed.options.tabSize, 2);
      assert.equal(ed.options.insertSpaces, true);
      const enterAt = async (line: number) => {
        const end = doc.lineAt(line).range.end;
        ed.selection = new vscode.Selection(end, end);
        await vscode.commands.executeCommand('type', { text: '\n' });
        return doc.lineAt(line + 1).text;
      };
      assert.equal(await enterAt(1), '    ', 'the next key of the item lines up with `id`');
      assert.equal(await enterAt(3), '      ', 'the value of `- nodes:` goes deeper than `nodes`');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  ],
  [
    '"Show documentation" opens the rule\'s page rendered, in a preview tab of its own',
    async () => {
      const doc = await vscode.workspace.openTextDocument({
        language: 'acns-meta',
        content: 'updateFileSize=97205475\nversion=5.1.3\nupdateFileUrl=http://web.example.com:8080/ACNS-5.1.3-K9.bin\n',
      });
      const ed = await vscode.window.showTextDocument(doc);
      await until('diagnostics', () => codes(ed.document.uri).includes('meta/http-port'));
      const d = vscode.languages.getDiagnostics(ed.document.uri).find((x) => (x.code as { value: string }).value === 'meta/http-port')!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', ed.document.uri, d.range);
      const show = actions.find((a) => a.command?.command === 'upgradeLint.showRuleDocumentation')!;
      assert.ok(show, actions.map((a) => a.title).join(' | '));
      await vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? []));
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      await until('a preview tab of the rule page', () => tabs().some((t) => t.input instanceof vscode.TabInputWebview && /http-port/.test(t.label)));
      assert.ok(!tabs().some((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('/http-port.md')), 'not the Markdown source');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  ],
  [
    "the language status item shows the file's problems and offers Validate Workspace when no configuration applies",
    async () => {
      const ed = await open('plan.upgrade.yaml');
      await until('manifest validated', () => vscode.languages.getDiagnostics(ed.document.uri) !== undefined);
      await sleep(300);
      const snap = await vscode.commands.executeCommand<{ text: string; detail?: string; command?: string }>('upgradeLint.statusSnapshot');
      const n = (sev: vscode.DiagnosticSeverity) => vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.severity === sev).length;
      const part = (k: number, word: string) => (k === 1 ? `1 ${word}` : `${k} ${word}s`);
      const [errors, warnings] = [n(vscode.DiagnosticSeverity.Error), n(vscode.DiagnosticSeverity.Warning)];
      assert.equal(snap.text, errors || warnings ? `Upgrade Lint: ${part(errors, 'error')}, ${part(warnings, 'warning')}` : 'Upgrade Lint: no problems');
      assert.equal(snap.detail, 'default rules');
      assert.equal(snap.command, 'upgradeLint.validateWorkspace');
    },
  ],
  [
    'a Japanese hover when upgradeLint.locale = ja',
    async () => {
      await setting('locale', 'ja');
      try {
        const ed = await open('lab.meta');
        const end = Date.now() + 10000;
        let got = '';
        while (Date.now() < end) {
          got = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', ed.document.uri, new vscode.Position(0, 3)));
          if (/バイト/.test(got)) break;
          await sleep(200);
        }
        assert.match(got, /バイト/);
        // The client's own messages follow the same setting (issue 12, bug 6).
        const summary = await vscode.commands.executeCommand<{ message: string }>('upgradeLint.validateWorkspace');
        assert.match(summary.message, /ファイルを検査しました/);
      } finally {
        await setting('locale', undefined);
      }
    },
  ],
  [
    'walkthrough: "Open a Broken Example" opens each example as an untitled file of its language, with its problems',
    async () => {
      const expected: [string, string[]][] = [
        ['acns-meta', ['meta/cdm-ip-not-downgrade', 'meta/http-credentials', 'meta/http-port', 'meta/key-case', 'meta/password-exposed', 'schema/pattern']],
        ['cupm-properties', ['dfc/duplicate-key', 'dfc/host-format', 'dfc/port-format', 'dfc/reserved-port']],
        ['upgrade-manifest', ['imp/cop-file-required', 'imp/upgrade-type', 'manifest/node-not-upgraded']],
      ];
      for (const [language, some] of expected) {
        const before = vscode.window.activeTextEditor?.document;
        await vscode.commands.executeCommand('upgradeLint.openExample', language);
        const ed = await until(`the ${language} example's editor`, () => {
          const e = vscode.window.activeTextEditor;
          return e && e.document !== before && e.document.isUntitled && e;
        });
        assert.equal(ed.document.languageId, language);
        assert.ok(ed.document.getText().length > 100, 'the example text');
        await until(`${language} example's diagnostics`, () => some.every((c) => codes(ed.document.uri).includes(c)));
        assert.ok(
          vscode.languages.getDiagnostics(ed.document.uri).every((d) => d.source === 'upgrade-lint'),
          'all from upgrade-lint',
        );
        if (language === 'acns-meta') {
          assert.deepEqual([...new Set(codes(ed.document.uri))], some, 'exactly the problems the walkthrough page lists');
          figures['example diagnostics (acns-meta)'] = vscode.languages.getDiagnostics(ed.document.uri).length;
        }
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    },
  ],
  [
    'walkthrough: "New ACNS Meta File" opens an empty untitled meta file whose missing keys one quick fix adds',
    async () => {
      await vscode.commands.executeCommand('upgradeLint.newMetaFile');
      const ed = await until('the new meta file', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.isUntitled && e.document.languageId === 'acns-meta' && e.document.getText() === '' && e;
      });
      await until('three missing keys', () => codes(ed.document.uri).filter((c) => c === 'schema/required').length === 3);
      const d = vscode.languages.getDiagnostics(ed.document.uri)[0];
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        ed.document.uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const all = actions.find((a) => a.title.startsWith('Add every missing key'));
      assert.ok(all?.edit, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(all.edit));
      assert.equal(ed.document.getText(), 'updateFileSize=\nversion=\nupdateFileUrl=\n');
      await until('no key missing', () => !codes(ed.document.uri).includes('schema/required'));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  ],
  [
    'walkthrough: "Turn On Fix All on Save" adds source.fixAll.upgrade-lint to each language\'s codeActionsOnSave, keeping what is there',
    async () => {
      const editor = (languageId: string) => vscode.workspace.getConfiguration('editor', { languageId });
      const languages = ['acns-meta', 'cupm-properties', 'upgrade-manifest'];
      await editor('acns-meta').update('codeActionsOnSave', { 'source.organizeImports': 'explicit' }, vscode.ConfigurationTarget.Global, true);
      try {
        await vscode.commands.executeCommand('upgradeLint.enableFixAllOnSave');
        assert.deepEqual(editor('acns-meta').inspect('codeActionsOnSave')?.globalLanguageValue, {
          'source.organizeImports': 'explicit',
          'source.fixAll.upgrade-lint': 'explicit',
        });
        for (const l of languages.slice(1))
          assert.deepEqual(editor(l).inspect('codeActionsOnSave')?.globalLanguageValue, { 'source.fixAll.upgrade-lint': 'explicit' }, l);
      } finally {
        for (const l of languages) await editor(l).update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Global, true);
      }
    },
  ],
  [
    'walkthrough: "New GitHub Actions Workflow" opens .github/workflows/upgrade-lint.yml unsaved, at the tab stop of <owner>',
    async () => {
      await vscode.commands.executeCommand('upgradeLint.newCiWorkflow');
      const ed = await until('the workflow editor', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.path.endsWith('/.github/workflows/upgrade-lint.yml') && e.document.getText().length > 0 && e;
      });
      assert.equal(ed.document.isUntitled, true, 'not written until saved');
      assert.equal(ed.document.languageId, 'yaml');
      assert.equal(ed.document.getText(), ciWorkflow());
      assert.equal(ed.document.getText(ed.selection), '<owner>', 'the first tab stop is selected');
      assert.ok(!fs.existsSync(vscode.Uri.joinPath(folder(), '.github').fsPath), 'nothing on disk');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  ],
  [
    'walkthrough: "Open the CI Guide" shows the guide rendered',
    async () => {
      await vscode.commands.executeCommand('upgradeLint.openCiGuide');
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      const tab = await until('a preview of ci.md', () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && /ci\.md/.test(t.label)));
      await vscode.window.tabGroups.close(tab);
    },
  ],
  [
    'walkthrough: workbench.action.openWalkthrough with upgrade-lint.upgrade-lint#getStarted shows it, as does "Get Started"',
    async () => {
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      // The walkthrough page is a tab of a kind the API does not know (input undefined) named after the walkthrough.
      const walkthroughTab = () => tabs().find((t) => t.input === undefined && t.label === 'Walkthrough: Upgrade Lint');
      const other = await open('lab.meta');
      // Two quirks of VS Code's page (1.100): it starts its walkthrough service when a walkthrough is first asked
      // for and registers the extensions' walkthroughs a moment later, so the very first call can show another
      // walkthrough; and the tab's name reaches the API only when the page is asked again, from another editor.
      const show = async (run: () => Thenable<unknown>) => {
        for (let calls = 1; calls <= 6; calls++) {
          await run();
          const tab = await until('the walkthrough tab', walkthroughTab, 2000).catch(() => undefined);
          if (tab) return { tab, calls };
          await vscode.window.showTextDocument(other.document, { preview: false });
        }
        throw new Error(
          `no walkthrough tab; tabs: ${tabs()
            .map((t) => t.label)
            .join(', ')}`,
        );
      };
      const closeAll = async () => {
        for (const t of tabs().filter((x) => x.input === undefined)) await vscode.window.tabGroups.close(t);
        await until('closed', () => !tabs().some((x) => x.input === undefined));
      };
      const first = await show(() => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXT_ID}#getStarted`, false));
      figures['walkthrough: openWalkthrough calls until its tab was named'] = first.calls;
      await closeAll();
      const again = await show(() => vscode.commands.executeCommand('upgradeLint.getStarted'));
      figures['walkthrough: "Get Started" calls until its tab was named'] = again.calls;
      await closeAll();
    },
  ],
  [
    'a Unity .meta file is handed to the YAML language and gets no upgrade-lint diagnostics',
    async () => {
      const assets = vscode.Uri.joinPath(folder(), 'Assets');
      fs.mkdirSync(assets.fsPath, { recursive: true });
      const uri = vscode.Uri.joinPath(assets, 'Player.cs.meta');
      const unity =
        'fileFormatVersion: 2\nguid: 3c9a1e7f5b2d4e8a6c0f9b1d3e5a7c9f\nMonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  userData: \n';
      fs.writeFileSync(uri.fsPath, unity);
      const same = (d: vscode.TextDocument) => d.uri.toString() === uri.toString();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const doc = await until('the YAML language', () => vscode.workspace.textDocuments.find((d) => same(d) && d.languageId === 'yaml'));
      assert.equal(doc.getText(), unity);
      // The server heard of it as an ACNS meta file first (that used to bring eight errors within a second): none come.
      await sleep(1500);
      assert.deepEqual(
        vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'upgrade-lint'),
        [],
      );
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    },
  ],
  [
    'runbook preview: opens beside the manifest with one bar per step and the problem marked; a click selects the step, the cursor highlights it',
    async () => {
      // The IM and Presence example with a step on a node the manifest does not list (manifest/unknown-node on it).
      const example = fs.readFileSync(
        vscode.Uri.joinPath(vscode.extensions.getExtension(EXT_ID)!.extensionUri, 'examples', 'imp', 'im-presence-9.0.upgrade.yaml').fsPath,
        'utf8',
      );
      const text = example.replace(/\n*$/, '\n') + '  - id: upgrade-ghost\n    action: upgrade\n    node: imp-ghost\n    method: cli\n';
      const uri = file('runbook.upgrade.yaml');
      fs.writeFileSync(uri.fsPath, text);
      const ed = await open('runbook.upgrade.yaml');
      await until('manifest/unknown-node', () => codes(ed.document.uri).includes('manifest/unknown-node'));
      const ids = [...text.slice(text.indexOf('\nsteps:')).matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1]);
      assert.ok(ids.length >= 5, ids.join(','));
      await vscode.commands.executeCommand('upgradeLint.openRunbookPreview');
      const snap = () => vscode.commands.executeCommand<RunbookSnapshot | undefined>('upgradeLint.runbookSnapshot', uri.toString());
      let s: RunbookSnapshot | undefined;
      const drawn = async (pred: (x: RunbookSnapshot) => boolean, what: string) => {
        const end = Date.now() + 15000;
        while (!((s = await snap()) && pred(s))) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s && { ...s, html: undefined, svg: s.svg?.slice(0, 200) })}`);
          await sleep(50);
        }
        return s;
      };
      s = await drawn((x) => !!x.svg, 'the timeline');
      // Beside the editor, which keeps the focus; titled after the file.
      const runbookTab = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Runbook: runbook.upgrade.yaml');
      const tab = await until('the preview tab', runbookTab, 5000).catch(() => undefined);
      assert.ok(
        tab,
        `no "Runbook: runbook.upgrade.yaml" tab: ${vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .map((t) => `${t.label} (${t.input?.constructor.name})`)
          .join(', ')}`,
      );
      assert.notEqual(tab.group.viewColumn, ed.viewColumn, 'the preview opens to the side');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the editor keeps the focus');
      // One bar per step (a step on several nodes has one on each: counted once), in order, each reachable by Tab.
      const barSteps = [...s.svg!.matchAll(/<g class="step[^"]*" data-step="(\d+)"[^>]*tabindex="0"/g)].map((m) => Number(m[1]));
      assert.deepEqual(
        barSteps,
        ids.map((_, i) => i),
      );
      assert.deepEqual(
        s.steps.map((x) => x.id),
        ids,
      );
      // The problem on its step: the mark's tooltip names the rule.
      const ghost = ids.indexOf('upgrade-ghost');
      const bar = s.svg!.slice(s.svg!.indexOf(`data-step="${ghost}"`));
      assert.match(bar.slice(0, bar.indexOf('</g></g>') + 8), /<g class="mark mark-error"><title>[^<]*manifest\/unknown-node/);
      // A strict policy: nothing remote, scripts and styles only with the nonce.
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(s.html)![1];
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
      assert.match(csp, /^default-src 'none'; /);
      // (webview.cspSource is the webview's own resource origin: `'self' https://*.vscode-cdn.net` in VS Code 1.100.)
      assert.doesNotMatch(csp.replace(/https:\/\/\*\.vscode-cdn\.net/g, ''), /unsafe-inline|unsafe-eval|https?:|\*/);
      assert.equal([...s.html.matchAll(/<script(?![^>]*nonce="([^"]+)")/g)].length, 0, 'a script without the nonce');
      assert.ok(s.html.includes(`<script nonce="${nonce}">`));
      assert.doesNotMatch(s.html + s.svg, /(src|href)="https?:/);
      // A click on the second bar (the page posts {type: 'reveal', index: 1}) selects the step's item in the editor.
      const r = await vscode.commands.executeCommand<{ start: vscode.Position; end: vscode.Position }>('upgradeLint.runbookMessage', uri.toString(), {
        type: 'reveal',
        index: 1,
      });
      const item = s.steps[1].itemRange;
      const sel = vscode.window.activeTextEditor!.selection;
      assert.equal(vscode.window.activeTextEditor!.document.uri.toString(), uri.toString());
      assert.deepEqual(
        [sel.start.line, sel.start.character, sel.end.line, sel.end.character],
        [item.start.line, item.start.character, item.end.line, item.end.character],
      );
      assert.deepEqual(r, item);
      assert.match(vscode.window.activeTextEditor!.document.getText(sel), new RegExp(`^id: ${ids[1]}\\b`));
      // A message the page cannot send selects nothing.
      assert.equal(await vscode.commands.executeCommand('upgradeLint.runbookMessage', uri.toString(), { type: 'reveal', index: 999 }), undefined);
      // Moving the cursor into the third step highlights its bars.
      const third = s.steps[2].itemRange.start;
      vscode.window.activeTextEditor!.selection = new vscode.Selection(third.line + 1, 4, third.line + 1, 4);
      await drawn((x) => x.highlighted === 2, 'the highlight of step 3');
      // The command again: the same panel, not a second one.
      await vscode.commands.executeCommand('upgradeLint.openRunbookPreview', uri);
      await sleep(200);
      const runbookTabs = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Runbook:'));
      assert.equal(runbookTabs.length, 1);
      // Typing redraws it: a new step appears.
      const editor = vscode.window.activeTextEditor!;
      const version = editor.document.version;
      const ok = await editor.edit((b) =>
        b.insert(new vscode.Position(ed.document.lineCount, 0), '  - id: late-check\n    action: verify\n    node: imp-pub\n'),
      );
      assert.ok(ok);
      s = await drawn((x) => x.version !== undefined && x.version > version && x.steps.some((st) => st.id === 'late-check'), 'the redraw after an edit');
      assert.equal(s.steps.length, ids.length + 1);
      // In Japanese with upgradeLint.locale = ja: the tab's title and the picture.
      await setting('locale', 'ja');
      try {
        s = await drawn(
          (x) => x.title === 'ランブック: runbook.upgrade.yaml' && /[\u3040-\u30ff]/.test(x.svg ?? '') && /^手順 \d+ 件 · 合計 /.test(x.summary ?? ''),
          'the Japanese preview',
        );
      } finally {
        await setting('locale', undefined);
      }
      // A problem that goes without an edit (its rule turned off) leaves the picture.
      await setting('rules', { 'manifest/unknown-node': 'off' });
      try {
        s = await drawn((x) => !!x.svg && !x.svg.includes('manifest/unknown-node') && x.title === 'Runbook: runbook.upgrade.yaml', 'the mark to go');
      } finally {
        await setting('rules', undefined);
      }
      await closeRunbook(editor.document);
    },
  ],
  [
    'runbook preview: a 10,000-line manifest (2,000 steps) is redrawn shortly after an edit',
    async () => {
      const head =
        'manifestVersion: 1\nproduct: cucm-im-presence\nfrom: 8.6(3)\nto: 9.0(1)\nupgradeType: refresh\nunifiedCmVersion: 9.0.1.10000-37\nmaintenanceWindow:\n  start: 2026-12-12T21:00:00+09:00\n  end: 2026-12-13T05:00:00+09:00\nnodes:\n  - { name: imp-pub, role: publisher }\n  - { name: imp-sub1, role: subscriber }\nsteps:\n';
      const steps = Array.from(
        { length: 2000 },
        (_, i) => `  - id: check-${i}\n    action: verify\n    nodes: [imp-pub, imp-sub1]\n    duration: 5m\n    note: check ${i} of the cluster\n`,
      );
      const text = head + steps.join('');
      const uri = file('large-runbook.upgrade.yaml');
      fs.writeFileSync(uri.fsPath, text);
      const ed = await open('large-runbook.upgrade.yaml');
      assert.ok(ed.document.lineCount >= 10000, String(ed.document.lineCount));
      const snap = () => vscode.commands.executeCommand<RunbookSnapshot | undefined>('upgradeLint.runbookSnapshot', uri.toString());
      const t0 = Date.now();
      await vscode.commands.executeCommand('upgradeLint.openRunbookPreview');
      let s: RunbookSnapshot | undefined;
      for (const end = Date.now() + 30000; !((s = await snap())?.steps.length === 2000); await sleep(20)) if (Date.now() > end) throw new Error('no timeline');
      figures['runbook preview: 10,000 lines (2,000 steps), command → drawn ms'] = Date.now() - t0;
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const line = 13 + 5 * (500 + i * 400) + 3; // a step's duration
        const t1 = Date.now();
        await ed.edit((b) => b.replace(ed.document.lineAt(line).range, '    duration: 7m'));
        const version = ed.document.version;
        for (const end = Date.now() + 30000; !(((s = await snap())?.version ?? 0) >= version); await sleep(10))
          if (Date.now() > end) throw new Error('no redraw');
        times.push(Date.now() - t1);
        await sleep(400);
      }
      assert.equal(s!.steps.length, 2000);
      figures['runbook preview: 10,000 lines, edit → redrawn ms (median of 3, with the 150 ms debounce)'] = times.sort((a, b) => a - b)[1];
      await closeRunbook(ed.document);
    },
  ],
  [
    'a CallManager step moved up: one ccm/order problem on the moved step, and its Move fix restores the plan',
    async () => {
      const ext = vscode.extensions.getExtension(EXT_ID)!;
      const example = fs.readFileSync(vscode.Uri.joinPath(ext.extensionUri, 'examples', 'callmanager', 'cluster-4.1.upgrade.yaml').fsPath, 'utf8');
      const lines = example.split('\n');
      const [moved] = lines.splice(
        lines.findIndex((l) => l.includes('id: upgrade-ipma')),
        1,
      );
      lines.splice(lines.findIndex((l) => l.includes('id: upgrade-pub')) + 1, 0, moved);
      fs.writeFileSync(file('moved.upgrade.yaml').fsPath, lines.join('\n'));
      const ed = await open('moved.upgrade.yaml');
      const order = () => vscode.languages.getDiagnostics(ed.document.uri).filter((d) => (d.code as { value: string }).value === 'ccm/order');
      await until('the ccm/order problem', () => order().length > 0);
      assert.equal(order().length, 1);
      const movedLine = lines.findIndex((l) => l.includes('id: upgrade-ipma'));
      assert.equal(order()[0].range.start.line, movedLine);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        ed.document.uri,
        order()[0].range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title === 'Move `upgrade-ipma` after `upgrade-sub2`');
      assert.ok(fix?.isPreferred, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.equal(ed.document.getText(), example);
      await until('ccm/order gone', () => order().length === 0);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(file('moved.upgrade.yaml').fsPath, { force: true });
    },
  ],
  [
    'New Upgrade Manifest… opens the plan as a new untitled manifest that lints clean',
    async () => {
      const uri = await vscode.commands.executeCommand<string>('upgradeLint.newManifest', {
        product: 'cucm-im-presence',
        from: '8.6(3)',
        to: '9.0(1)',
        nodes: [
          { name: 'imp-pub', role: 'publisher' },
          { name: 'imp-sub1', role: 'subscriber' },
        ],
      });
      assert.ok(uri, 'the command returns the new document');
      const ed = vscode.window.activeTextEditor!;
      assert.equal(ed.document.uri.toString(), uri);
      assert.equal(ed.document.uri.scheme, 'untitled');
      assert.equal(ed.document.languageId, 'upgrade-manifest');
      assert.match(ed.document.getText(), /^ {2}- name: imp-sub1\n {4}role: subscriber$/m);
      // The server validates it: a deliberate mistake is reported, and once it is undone nothing is left.
      const problems = () => vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
      const line = ed.document
        .getText()
        .split('\n')
        .findIndex((l) => l === 'manifestVersion: 1');
      await ed.edit((e) => e.replace(new vscode.Range(line, 17, line, 18), '2'));
      await until('the deliberate mistake', () => problems().length > 0);
      await ed.edit((e) => e.replace(new vscode.Range(line, 17, line, 18), '1'));
      await until('no problem in the plan', () => problems().length === 0);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      // On an empty manifest, the same command is offered as a code action.
      fs.writeFileSync(file('empty.upgrade.yaml').fsPath, '');
      const empty = await open('empty.upgrade.yaml');
      const offered = async () =>
        (
          await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            empty.document.uri,
            new vscode.Range(0, 0, 0, 0),
            vscode.CodeActionKind.QuickFix.value,
          )
        ).find((a) => a.command?.command === 'upgradeLint.newManifest');
      let action: vscode.CodeAction | undefined;
      for (let i = 0; i < 100 && !action; i++) {
        action = await offered();
        if (!action) await sleep(100);
      }
      assert.ok(action, 'offered on an empty manifest');
      assert.equal(action.title, 'New upgrade manifest from the guide…');
      assert.deepEqual(action.command?.arguments, [empty.document.uri.toString()]);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(file('empty.upgrade.yaml').fsPath, { force: true });
    },
  ],
];

export async function run(): Promise<void> {
  const out: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  for (const [name, fn] of tests) {
    const t = Date.now();
    try {
      await fn();
      out.push({ name, ok: true, ms: Date.now() - t });
    } catch (e) {
      out.push({ name, ok: false, error: e instanceof Error ? e.message : String(e), ms: Date.now() - t });
    }
  }
  const results = process.env.UPGRADE_LINT_E2E_RESULTS ?? vscode.Uri.joinPath(folder(), '.e2e-results.json').fsPath;
  fs.writeFileSync(results, JSON.stringify({ tests: out, figures }, null, 2));
  const failed = out.filter((t) => !t.ok);
  if (failed.length) throw new Error(`${failed.length} of ${out.length} e2e tests failed: ${failed.map((f) => f.name).join('; ')}`);
}

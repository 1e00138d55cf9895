/**
 * The commands of the "Get started" walkthrough (package.json `contributes.walkthroughs`): open a broken example,
 * turn on Fix all on save, start a new meta file, create a CI workflow, read the CI guide. Each is a palette
 * command as well. The examples open as untitled documents: nothing is written to disk until the user saves.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FIX_ALL_KIND } from '../server/protocol/index';
import { ciWorkflow, EXAMPLES, LANGUAGES, WALKTHROUGH_ID, WORKFLOW_PATH, WORKFLOW_PLACEHOLDERS, type Example } from './walkthrough-content';

type Translate = (message: string, ...args: (string | number)[]) => string;

export function registerWalkthrough(context: vscode.ExtensionContext, t: Translate): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('upgradeLint.getStarted', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false),
    ),
    vscode.commands.registerCommand('upgradeLint.openExample', (language?: unknown) => openExample(t, language)),
    vscode.commands.registerCommand('upgradeLint.newMetaFile', () => openUntitled('acns-meta', '')),
    vscode.commands.registerCommand('upgradeLint.enableFixAllOnSave', () => enableFixAllOnSave(t)),
    vscode.commands.registerCommand('upgradeLint.newCiWorkflow', () => newCiWorkflow(t)),
    vscode.commands.registerCommand('upgradeLint.openCiGuide', () => openCiGuide(context)),
  );
}

async function openUntitled(language: string, content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The example of `language` (a walkthrough link names it); without one, the user picks it. */
async function openExample(t: Translate, language: unknown): Promise<void> {
  let example: Example | undefined = EXAMPLES.find((e) => e.language === language);
  if (!example) {
    const picked = await vscode.window.showQuickPick(
      EXAMPLES.map((e) => ({ label: t(e.label), description: path.basename(e.file), example: e })),
      { placeHolder: t('Open which example? It opens as a new file that is not saved.') },
    );
    if (!picked) return;
    example = picked.example;
  }
  await openUntitled(example.language, example.text);
}

/**
 * `source.fixAll.upgrade-lint` in the user's `editor.codeActionsOnSave` of each of our languages (kept with the
 * actions already there; an `always` or `explicit` the user chose stays).
 */
async function enableFixAllOnSave(t: Translate): Promise<void> {
  for (const languageId of LANGUAGES) {
    const config = vscode.workspace.getConfiguration('editor', { languageId });
    const current = config.inspect<unknown>('codeActionsOnSave')?.globalLanguageValue;
    const actions: Record<string, unknown> = Array.isArray(current)
      ? Object.fromEntries(current.filter((k): k is string => typeof k === 'string').map((k) => [k, 'explicit']))
      : current && typeof current === 'object'
        ? { ...(current as Record<string, unknown>) }
        : {};
    const on = actions[FIX_ALL_KIND];
    if (on === 'always' || on === 'explicit' || on === true) continue;
    actions[FIX_ALL_KIND] = 'explicit';
    await config.update('codeActionsOnSave', actions, vscode.ConfigurationTarget.Global, true);
  }
  // Not awaited: the command is done when the settings are; the message stays until the user closes it.
  const open = t('Open User Settings (JSON)');
  void vscode.window
    .showInformationMessage(
      t('Fix all now runs when you save a meta file, dfc.properties or upgrade manifest (editor.codeActionsOnSave in your user settings).'),
      open,
    )
    .then((answer) => (answer === open ? vscode.commands.executeCommand('workbench.action.openSettingsJson') : undefined));
}

/**
 * The workflow as an unsaved .github/workflows/upgrade-lint.yml of the workspace folder (Save writes it there);
 * without a folder, as an untitled YAML document. Where upgrade-lint comes from (`<owner>`, `<tag>`) are tab stops
 * to type over. An existing workflow file is opened instead, unchanged.
 */
async function newCiWorkflow(t: Translate): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: t('Add the workflow to which folder?') }) : folders[0];
  if (folders.length > 1 && !folder) return;
  let editor: vscode.TextEditor;
  if (folder) {
    const target = vscode.Uri.joinPath(folder.uri, ...WORKFLOW_PATH.split('/'));
    const exists = await vscode.workspace.fs.stat(target).then(
      () => true,
      () => false,
    );
    if (exists) {
      await vscode.window.showTextDocument(target, { preview: false });
      void vscode.window.showInformationMessage(t('{0} already exists; it is opened as it is.', WORKFLOW_PATH));
      return;
    }
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target.with({ scheme: 'untitled' })), { preview: false });
  } else editor = await openUntitled('yaml', '');
  if (editor.document.getText()) return; // the same unsaved workflow, already open: left as it is
  await editor.insertSnippet(workflowSnippet(), new vscode.Position(0, 0));
}

/** The workflow as a snippet: its text as it is, the placeholders as tab stops. */
function workflowSnippet(): vscode.SnippetString {
  const snippet = new vscode.SnippetString();
  const pattern = new RegExp(WORKFLOW_PLACEHOLDERS.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const text = ciWorkflow();
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    snippet.appendText(text.slice(at, m.index));
    snippet.appendPlaceholder(m[0], WORKFLOW_PLACEHOLDERS.indexOf(m[0] as (typeof WORKFLOW_PLACEHOLDERS)[number]) + 1);
    at = m.index + m[0].length;
  }
  snippet.appendText(text.slice(at));
  return snippet;
}

/** The CI guide of the docs (docs/ci.md, shipped with the extension; in English), rendered. */
async function openCiGuide(context: vscode.ExtensionContext): Promise<void> {
  const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', 'ci.md');
  await vscode.commands.executeCommand('markdown.showPreview', uri, [uri], { locked: true });
}

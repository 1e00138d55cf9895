/** VS Code side only: starts the language server, passes settings and locale, and adds the commands. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { upgradeLint as packageSettings } from '../package.json';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ruleDocPath } from '../server/engine/docs';
import { FOREIGN_LANGUAGE, foreignMetaFormat } from '../server/engine/kinds/foreign';
import { registerRunbookPreview } from './runbook';
import { registerWalkthrough } from './walkthrough';
import { registerNewManifest } from './new-manifest';
import {
  FILE_STATUS,
  SHOW_DOC_COMMAND,
  VALIDATE_FILES,
  WORKSPACE_TRUST,
  type FileStatusParams,
  type FileStatusResult,
  type InitializationOptions,
  type ValidateFilesParams,
  type ValidateFilesResult,
  type WorkspaceTrustParams,
} from '../server/protocol/index';

let client: LanguageClient | undefined;
let extensionPath = '';

/**
 * A client message in the language the user chose for upgrade-lint (`upgradeLint.locale`), like the server's
 * messages; `auto` follows VS Code's display language (vscode.l10n). The texts are the l10n bundles'.
 */
/** The client bundles, read once per locale (the status item asks for its texts on every diagnostics change). */
const bundles = new Map<string, Record<string, string>>();
function bundle(locale: string): Record<string, string> {
  let b = bundles.get(locale);
  if (!b) {
    try {
      b = JSON.parse(fs.readFileSync(path.join(extensionPath, 'l10n', `bundle.l10n.${locale}.json`), 'utf8')) as Record<string, string>;
    } catch {
      b = {}; // No bundle for this locale: English.
    }
    bundles.set(locale, b);
  }
  return b;
}

/** The language of upgrade-lint's texts: `upgradeLint.locale`, or VS Code's display language when it is `auto`. */
function uiLocale(): string {
  const locale = vscode.workspace.getConfiguration('upgradeLint').get<string>('locale', 'auto');
  return locale === 'auto' ? (vscode.env.language.startsWith('ja') ? 'ja' : 'en') : locale;
}

function t(message: string, ...args: (string | number)[]): string {
  const locale = vscode.workspace.getConfiguration('upgradeLint').get<string>('locale', 'auto');
  if (locale === 'auto') return vscode.l10n.t(message, ...args);
  const text = locale === 'en' ? message : (bundle(locale)[message] ?? message);
  return text.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}

/**
 * Node options for the server process, kept in package.json (`upgradeLint.serverExecArgv`) so that the benchmark
 * starts the server exactly as the extension does. A small young generation (--max-semi-space-size) lowers the
 * peak memory of parsing a large manifest by about a fifth at no measurable cost in speed (docs/performance.md).
 */
const SERVER_EXEC_ARGV: string[] = packageSettings.serverExecArgv;

const FILE_GLOB = '**/{*.meta,dfc.properties,*.upgrade.yaml,*.upgrade.yml,upgrade-manifest.yaml,upgrade-manifest.yml}';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  // The same entry as other editors use (`upgrade-lint-server`): it loads dist/server.js with a V8 code cache.
  const module = context.asAbsolutePath(path.join('bin', 'upgrade-lint-server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'acns-meta' }, { language: 'cupm-properties' }, { language: 'upgrade-manifest' }],
    synchronize: {
      configurationSection: 'upgradeLint',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.upgrade-lint.json'),
        vscode.workspace.createFileSystemWatcher('**/*.{bin,upg}'),
        vscode.workspace.createFileSystemWatcher('**/{*.meta,dfc.properties}'),
      ],
    },
    initializationOptions: { locale: vscode.env.language, workspaceTrusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
    outputChannelName: 'Upgrade Lint',
    middleware: {
      // "Show documentation" opens the rule's page rendered, in a preview tab of its own, instead of its source.
      executeCommand: async (command, args, next) =>
        command === SHOW_DOC_COMMAND && (await showRuleDoc(String(args[0] ?? ''))) ? undefined : next(command, args),
    },
  };
  client = new LanguageClient('upgradeLint', 'Upgrade Lint', serverOptions, clientOptions);
  handForeignMeta(context);

  context.subscriptions.push(vscode.commands.registerCommand('upgradeLint.validateWorkspace', () => validateWorkspace()));
  registerWalkthrough(context, t);
  registerRunbookPreview(context, t, () => client);
  registerNewManifest(context, t, uiLocale, () => client);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(WORKSPACE_TRUST, { trusted: true } satisfies WorkspaceTrustParams)),
  );
  await client.start();
  statusItem(context);
}

/**
 * A `.meta` file of another format (Unity's YAML metadata, Cocos Creator's JSON) is not an ACNS meta file: when it
 * opens as one, it is handed to its own language. The decision is the server's own (server/engine/kinds/foreign.ts),
 * and is made once per file: a language the user picks for it afterwards stays.
 */
function handForeignMeta(context: vscode.ExtensionContext): void {
  const handed = new Set<string>();
  const check = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'acns-meta' || handed.has(doc.uri.toString())) return;
    const format = foreignMetaFormat(doc.getText());
    if (!format) return;
    handed.add(doc.uri.toString());
    vscode.languages.setTextDocumentLanguage(doc, FOREIGN_LANGUAGE[format]).then(undefined, () => undefined);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));
  vscode.workspace.textDocuments.forEach(check);
}

/**
 * The language status item of the three languages: the file's problems, the configuration file in force (click
 * opens it) and Validate Workspace.
 */
function statusItem(context: vscode.ExtensionContext): void {
  const LANGUAGES = ['acns-meta', 'cupm-properties', 'upgrade-manifest'];
  const item = vscode.languages.createLanguageStatusItem(
    'upgradeLint.status',
    LANGUAGES.map((language) => ({ language })),
  );
  item.name = 'Upgrade Lint';
  context.subscriptions.push(item);
  const active = () => {
    const doc = vscode.window.activeTextEditor?.document;
    return doc && LANGUAGES.includes(doc.languageId) ? doc : undefined;
  };
  // The counts follow the diagnostics; the configuration in force changes only with the file or a config file.
  const counts = () => {
    const doc = active();
    if (!doc) return;
    const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'upgrade-lint');
    const count = (sev: vscode.DiagnosticSeverity) => ds.filter((d) => d.severity === sev).length;
    const errors = count(vscode.DiagnosticSeverity.Error);
    const warnings = count(vscode.DiagnosticSeverity.Warning);
    // Short: the hover puts the text, the detail and the command on one line (at 1280 px a longer one was cut off).
    const part = (n: number, one: string, many: string) => (n === 1 ? t(one) : t(many, n));
    item.text =
      errors || warnings
        ? t('Upgrade Lint: {0}, {1}', part(errors, '1 error', '{0} errors'), part(warnings, '1 warning', '{0} warnings'))
        : t('Upgrade Lint: no problems');
    item.severity = errors ? vscode.LanguageStatusSeverity.Error : warnings ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  };
  const config = async () => {
    const doc = active();
    if (!doc) return;
    let configPath: string | undefined;
    try {
      configPath = (await client?.sendRequest<FileStatusResult>(FILE_STATUS, { uri: doc.uri.toString() } satisfies FileStatusParams))?.configPath;
    } catch {
      configPath = undefined;
    }
    item.detail = configPath ? t('Configuration: {0}', path.basename(path.dirname(configPath)) + '/' + path.basename(configPath)) : t('default rules'); // no .upgrade-lint.json applies (short: the hover is one line, anchored near the right edge)
    item.command = configPath
      ? { title: t('Open configuration'), command: 'vscode.open', arguments: [vscode.Uri.file(configPath)] }
      : { title: t('Validate Workspace'), command: 'upgradeLint.validateWorkspace' };
  };
  const configs = vscode.workspace.createFileSystemWatcher('**/.upgrade-lint.json');
  context.subscriptions.push(
    configs,
    configs.onDidCreate(() => void config()),
    configs.onDidChange(() => void config()),
    configs.onDidDelete(() => void config()),
    vscode.window.onDidChangeActiveTextEditor(() => {
      counts();
      void config();
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const doc = active();
      if (doc && e.uris.some((u) => u.toString() === doc.uri.toString())) counts();
    }),
    // For tests and diagnostics: what the item shows for the active file.
    vscode.commands.registerCommand('upgradeLint.statusSnapshot', async () => {
      counts();
      await config();
      return { text: item.text, detail: item.detail, command: item.command?.command };
    }),
  );
  counts();
  void config();
}

/** The rule's page as a locked Markdown preview (its own tab); false when the page or the preview is not there. */
async function showRuleDoc(rule: string): Promise<boolean> {
  if (!/^[a-z]+\/[A-Za-z0-9-]+$/.test(rule)) return false;
  const file = path.join(extensionPath, 'docs', ruleDocPath(rule));
  if (!fs.existsSync(file)) return false;
  // The page has an English half and a Japanese half (`## 日本語`): the preview opens at the user's.
  const uri = vscode.Uri.file(file).with({ fragment: uiLocale() === 'ja' ? '日本語' : '' });
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri, [uri], { locked: true });
    return true;
  } catch {
    return false;
  }
}

async function validateWorkspace(): Promise<{ files: number; errors: number; warnings: number; information: number; message: string } | undefined> {
  if (!client) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: t('Upgrade Lint: validating workspace') }, async (progress) => {
    const uris = await vscode.workspace.findFiles(FILE_GLOB, '**/node_modules/**');
    const summary = { files: 0, errors: 0, warnings: 0, information: 0 };
    // Batches keep the server responsive to the editor and show progress in the status bar.
    const BATCH = 50;
    for (let i = 0; i < uris.length; i += BATCH) {
      const part = await client!.sendRequest<ValidateFilesResult>(VALIDATE_FILES, {
        uris: uris.slice(i, i + BATCH).map((u) => u.toString()),
      } satisfies ValidateFilesParams);
      summary.files += part.files;
      summary.errors += part.errors;
      summary.warnings += part.warnings;
      summary.information += part.information;
      progress.report({
        message: `${Math.min(i + BATCH, uris.length)}/${uris.length}`,
        increment: (100 * Math.min(BATCH, uris.length - i)) / Math.max(1, uris.length),
      });
    }
    const message = t(
      'Upgrade Lint: {0} files checked: {1} errors, {2} warnings, {3} information.',
      summary.files,
      summary.errors,
      summary.warnings,
      summary.information,
    );
    void vscode.window.showInformationMessage(message);
    return { ...summary, message };
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

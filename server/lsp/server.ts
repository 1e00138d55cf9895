/**
 * The language server: it only wires handlers. State and per-document options: session.ts; validation and
 * publishing: diagnostics.ts; diagnostics the client pulls: pull.ts; code actions: actions.ts; hover, completion and
 * navigation: navigation.ts; files validated at the client's request: workspace.ts; watched files: watch.ts;
 * formatting: format.ts. All analysis is the engine's.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import * as fs from 'node:fs';
import { findConfig } from '../engine/config';
import { LOCALES, msg, render } from '../engine/l10n/index';
import { warmUp } from '../engine/lint';
import { Roots } from '../node/files';
import { ConfigCache } from '../node/host';
import {
  DIAGNOSTIC_IDENTIFIER,
  FIX_ALL_KIND,
  SORT_STEPS_KIND,
  SHOW_DOC_COMMAND,
  VALIDATE_WORKSPACE_COMMAND,
  WORKSPACE_TRUST,
  type InitializationOptions,
  type Settings,
  type WorkspaceTrustParams,
} from '../protocol/index';
import { registerActions } from './actions';
import { createDiagnostics, registerDocumentEvents } from './diagnostics';
import { formattingCapabilities, registerFormatting } from './format';
import { registerNavigation } from './navigation';
import { registerPullDiagnostics } from './pull';
import { registerRunbook } from './runbook';
import { registerPlan } from './plan';
import { createSession, uriPath } from './session';
import { registerWatchedFiles, registerWatchers } from './watch';
import { registerWorkspaceValidation } from './workspace';

export { FIX_ALL_KIND, SHOW_DOC_COMMAND } from '../protocol/index';

export function startServer(connection: Connection): void {
  const s = createSession(connection);
  const { documents, state, env, guard, log } = s;
  const d = createDiagnostics(s);
  const { revalidateAll } = d;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const cap = params.capabilities;
    env.hasConfigurationCapability = !!cap.workspace?.configuration;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    env.trusted = init.workspaceTrusted !== false;
    env.vscodeClient = init.workspaceTrusted !== undefined;
    // Only what the client said it lets the server register later is registered (`dynamicRegistration: false` or
    // absent: nothing).
    env.dynamic = {
      configuration: cap.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      watchedFiles: cap.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    };
    // A client that can pull diagnostics pulls them, and is sent none. Our VS Code client can, but stays with
    // diagnostics sent to it: pulling, it would also ask for the whole workspace over and over (workspace
    // diagnostics) and fill the Problems view with files nobody opened, where Validate Workspace does that on
    // request; and the problems of files validated from disk, sent, would show twice once such a file is opened.
    env.pull = !!cap.textDocument?.diagnostic && !env.vscodeClient;
    env.diagnosticRefresh = cap.workspace?.diagnostics?.refreshSupport === true;
    env.workDoneProgress = cap.window?.workDoneProgress === true;
    env.disabledActions = cap.textDocument?.codeAction?.disabledSupport === true;
    env.completionSnippets = cap.textDocument?.completion?.completionItem?.snippetSupport === true;
    env.snippetEdits = !!(
      cap.workspace?.workspaceEdit?.documentChanges && (cap.workspace.workspaceEdit as { snippetEditSupport?: boolean }).snippetEditSupport
    );
    const loc = (init.locale ?? params.locale ?? 'en').toLowerCase();
    env.clientLocale = LOCALES.find((l) => loc === l || loc.startsWith(l + '-')) ?? 'en';
    env.initSettings = init.settings ?? {};
    env.workspaceFolders = (params.workspaceFolders ?? []).map((f) => uriPath(f.uri)).filter((p): p is string => !!p);
    if (!env.workspaceFolders.length && params.rootUri) {
      const p = uriPath(params.rootUri);
      if (p) env.workspaceFolders.push(p);
    }
    if (env.workspaceFolders.length) {
      env.workspaceRoots = new Roots(env.workspaceFolders);
      env.configs = new ConfigCache(env.workspaceRoots);
    }
    warmUp(); // compiles the schemas before the client sends the first document
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['=', ':', ' ', '[', ','], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll, SORT_STEPS_KIND] },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        // Our VS Code client has its own Validate Workspace command (VALIDATE_FILES); other editors get the server's.
        executeCommandProvider: env.vscodeClient
          ? { commands: [SHOW_DOC_COMMAND] }
          : { commands: [SHOW_DOC_COMMAND, VALIDATE_WORKSPACE_COMMAND], workDoneProgress: true },
        referencesProvider: true,
        ...(env.pull
          ? { diagnosticProvider: { identifier: DIAGNOSTIC_IDENTIFIER, interFileDependencies: true, workspaceDiagnostics: true, workDoneProgress: true } }
          : {}),
        ...formattingCapabilities(),
      },
      serverInfo: { name: 'upgrade-lint', version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev' },
    };
  });

  connection.onInitialized(() => {
    // What the output channel shows at start: the version, the language of the messages, what is linted and the
    // configuration files in force (a `.upgrade-lint.json` at the top of each workspace folder or above it).
    const configs = [...new Set(env.workspaceFolders.map((f) => findConfig(f, (p) => fs.existsSync(p))).filter((p): p is string => !!p))];
    connection.console.info(
      `[upgrade-lint] ${render(
        msg('lsp.log.started', {
          version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev',
          locale: env.clientLocale,
          folders: env.workspaceFolders.length ? env.workspaceFolders : [render(msg('lsp.log.none'), env.clientLocale)],
          configs: configs.length ? configs : [render(msg('lsp.log.none'), env.clientLocale)],
        }),
        env.clientLocale,
      )}`,
    );
    if (env.hasConfigurationCapability && env.dynamic?.configuration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'upgradeLint' }).catch(() => undefined);
    }
    registerWatchers(s);
  });

  connection.onDidChangeConfiguration((change) => {
    const s = (change.settings as { upgradeLint?: Partial<Settings> } | undefined)?.upgradeLint;
    if (!env.hasConfigurationCapability && s) env.initSettings = { ...env.initSettings, ...s };
    void guard('configuration', undefined, revalidateAll)();
  });

  connection.onNotification(WORKSPACE_TRUST, (p: Partial<WorkspaceTrustParams> | null) => {
    env.trusted = p?.trusted === true;
    void guard('trust', undefined, revalidateAll)();
  });

  registerDocumentEvents(s, d);
  const { validateWorkspace } = registerWorkspaceValidation(s, d);
  registerActions(s, { [VALIDATE_WORKSPACE_COMMAND]: (_args, token, workDone) => validateWorkspace(token, workDone) });
  registerNavigation(s);
  registerPullDiagnostics(s, d);
  registerWatchedFiles(s, d);
  registerFormatting(s);
  registerRunbook(s);
  registerPlan(s);

  connection.onShutdown(() => {
    for (const st of state.values()) if (st.timer) clearTimeout(st.timer);
    state.clear();
  });

  documents.listen(connection);
  connection.listen();
  log('started');
}

declare const PACKAGE_VERSION: string;

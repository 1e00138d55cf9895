/** A real LSP client for tests: starts the built server (bin/upgrade-lint-server.js --stdio) and talks JSON-RPC. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  RegistrationRequest,
  ShutdownRequest,
  ExitNotification,
  type PublishDiagnosticsParams,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ShowDocumentRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  DiagnosticRefreshRequest,
  type ClientCapabilities,
  type FileEvent,
  type Registration,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
  type WorkDoneProgressEnd,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface StartOptions {
  /** Settings returned for workspace/configuration (section upgradeLint). */
  settings?: Record<string, unknown>;
  /** When false the client does not support workspace/configuration (like a minimal editor). */
  configuration?: boolean;
  locale?: string;
  initializationOptions?: Record<string, unknown>;
  rootPath?: string;
  /** Workspace-edit capabilities beyond the default (e.g. LSP 3.18 snippet edits). */
  workspaceEdit?: Record<string, unknown>;
  /** The trace level sent at initialize ('off' when absent). */
  trace?: 'off' | 'messages' | 'verbose';
  /** Client capabilities merged over the defaults (objects merged key by key; `undefined` removes a key). */
  capabilities?: ClientCapabilities;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v);
function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = isPlain(v) && isPlain(out[k]) ? merge(out[k] as Plain, v) : v;
  }
  return out;
}

export class TestClient {
  readonly connection: ProtocolConnection;
  /** What the server logged (window/logMessage). */
  readonly logs: string[] = [];
  /** What the server traced ($/logTrace, sent only when the trace is on). */
  readonly traces: string[] = [];
  private readonly proc: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = '';
  /** URIs the server asked the editor to show (window/showDocument). */
  shown: string[] = [];
  settings: Record<string, unknown>;
  exited: Promise<number | null>;
  /** What the server registered (client/registerCapability), in order. */
  readonly registrations: Registration[] = [];
  /** Work-done progress on tokens the server created (window/workDoneProgress/create), in order. */
  readonly progress: { token: string | number; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }[] = [];
  /** How many times the server asked the client to pull diagnostics again (workspace/diagnostic/refresh). */
  refreshes = 0;

  constructor(private opts: StartOptions = {}) {
    this.settings = opts.settings ?? {};
    this.proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => {
      this.stderr += d;
    });
    this.exited = new Promise((r) => this.proc.on('exit', (code) => r(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
    });
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.connection.onProgress(WorkDoneProgress.type, p.token, (value) => void this.progress.push({ token: p.token, value }));
    });
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
    });
    this.connection.onRequest(ShowDocumentRequest.type, (p) => {
      this.shown.push(p.uri);
      return { success: true };
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => void this.logs.push(p.message));
    this.connection.onNotification('$/logTrace', (p: { message: string }) => void this.traces.push(p.message));
    this.connection.listen();
  }

  async initialize() {
    const root = this.opts.rootPath ?? ROOT;
    return this.connection
      .sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(root).href,
        workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'root' }],
        locale: this.opts.locale,
        ...(this.opts.trace ? { trace: this.opts.trace } : {}),
        initializationOptions: this.opts.initializationOptions,
        capabilities: merge(
          {
            workspace: {
              configuration: this.opts.configuration ?? true,
              didChangeConfiguration: { dynamicRegistration: true },
              ...(this.opts.workspaceEdit ? { workspaceEdit: this.opts.workspaceEdit } : {}),
            },
            textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true } },
            window: { showDocument: { support: true } },
          },
          (this.opts.capabilities ?? {}) as Plain,
        ) as ClientCapabilities,
      })
      .then(async (r) => {
        await this.connection.sendNotification(InitializedNotification.type, {});
        return r;
      });
  }

  /** Resolves with the next diagnostics published for `uri` that satisfy `pred`. */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        uri,
        pred,
        resolve: (p) => {
          clearTimeout(t);
          resolve(p);
        },
      });
    });
  }

  async open(uri: string, languageId: string, text: string, version = 1) {
    const waiting = this.waitForDiagnostics(uri, (p) => p.version === version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return waiting;
  }

  async change(
    uri: string,
    version: number,
    changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[],
  ) {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes.map((c) => (c.range ? { range: c.range, text: c.text } : { text: c.text })),
    });
  }

  async save(uri: string) {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string) {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeConfiguration(settings: Record<string, unknown>) {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { upgradeLint: settings } });
  }

  async fileChanged(uri: string) {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Changed }] });
  }

  /** Watched files changed (created, changed or deleted), in one notification. */
  async filesChanged(changes: FileEvent[]) {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** Resolves when `pred` holds, checking every 20 ms (rejects after `timeoutMs`). */
  async until(what: string, pred: () => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

export const fileUri = (p: string) => pathToFileURL(p).href;

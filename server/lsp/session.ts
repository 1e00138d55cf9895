/**
 * The language server's state and what every handler needs from it: the documents, each document's record, the
 * client's settings and capabilities, and the engine options resolved per document. The handlers live in
 * diagnostics.ts, actions.ts, navigation.ts and workspace.ts; server.ts wires them.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindForLanguage, kindForPath } from '../engine/kinds/index';
import { LOCALES } from '../engine/l10n/index';
import { DEFAULT_MAX_DIAGNOSTICS, DEFAULT_MAX_FILE_SIZE, lint, lintAsync } from '../engine/lint';
import { DEFAULT_MAX_ALIAS_EXPANSION } from '../engine/parse/yaml';
import { parseDuration, STEP_ACTIONS } from '../engine/runbook/duration';
import { looksBinary } from '../engine/text';
import type { EngineFs, FileKind, LintOptions, LintResult, Locale, SeveritySetting } from '../engine/types';
import { confinedFs, Roots } from '../node/files';
import { ConfigCache, optionsFromConfig } from '../node/host';
import type { Settings } from '../protocol/index';

/** A validation that took longer than this (work, not pauses) is not done again just to answer a hover. */
const SLOW_VALIDATION_MS = 30;

const DEFAULTS: Settings = {
  run: 'onType',
  rules: {},
  imageSearchPaths: [],
  locale: 'auto',
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS,
  remoteChecks: false,
  maxAliasExpansion: DEFAULT_MAX_ALIAS_EXPANSION,
};

/** A document's settings and the engine options derived from them. */
export interface Resolved {
  settings: Settings;
  options: LintOptions & { locale: Locale; rules: Record<string, SeveritySetting>; imageSearchPaths: string[]; maxFileSize: number };
}

/** Everything the server keeps about one document. */
export interface DocState {
  /** The last validation's result and the version it is for. */
  result?: { version: number; result: LintResult };
  /** The pending validation. */
  timer?: NodeJS.Timeout;
  /** Settings and engine options, resolved once (until settings, config files or watched files change). */
  resolved?: Promise<Resolved>;
  /** A manifest's referenced meta/properties files (absolute paths): their edits re-validate it. */
  references?: string[];
  /** How long its last validation kept the server busy without a pause (ms): the debounce follows it. */
  lintMs?: number;
  /** Seen by onDidChangeContent, which also fires when a document opens (that first time it validates at once). */
  opened?: boolean;
  /** Edited since it was opened or last saved. */
  unsaved?: boolean;
  /**
   * For a client that pulls diagnostics: bumped when something the document's problems depend on changes (a file
   * it references, the configuration), so that a validation started before is not recorded.
   */
  epoch?: number;
  /** For a client that pulls diagnostics: the validation under way, shared by requests for the same version. */
  pending?: { version: number; epoch: number; promise: Promise<{ version: number; result: LintResult } | undefined> };
}

/** What the client told the server at initialize (and later): mutable, read by every handler. */
export interface ClientEnv {
  configs: ConfigCache;
  clientLocale: Locale;
  hasConfigurationCapability: boolean;
  initSettings: Partial<Settings>;
  workspaceFolders: string[];
  /** The workspace folders as the tree files may be read from (set at initialize when there are any). */
  workspaceRoots?: Roots;
  /** Workspace trust as the client reports it; a client that says nothing about it is trusted (it runs us). */
  trusted: boolean;
  /** The client is our VS Code extension (it sends workspace trust): VS Code commands may be named to it. */
  vscodeClient?: boolean;
  /** The client shows code actions that cannot run with the reason (`codeAction.disabledSupport`). */
  disabledActions?: boolean;
  /** The client takes snippets in completion items (`completionItem.snippetSupport`); others get the plain text. */
  completionSnippets?: boolean;
  /** The client applies snippet edits in a workspace edit (LSP 3.18 `snippetEditSupport` with `documentChanges`). */
  snippetEdits?: boolean;
  /**
   * The client pulls diagnostics (it has `textDocument.diagnostic`; not our VS Code client, see server.ts): it is
   * sent none (`textDocument/publishDiagnostics`), it asks for them.
   */
  pull?: boolean;
  /** The client takes `workspace/diagnostic/refresh` (asks again for every document's problems when told). */
  diagnosticRefresh?: boolean;
  /** The client shows progress the server starts (`window/workDoneProgress/create`). */
  workDoneProgress?: boolean;
  /** What the client lets the server register dynamically (`dynamicRegistration` of each capability). */
  dynamic?: { configuration: boolean; watchedFiles: boolean };
}

export type Session = ReturnType<typeof createSession>;

export function createSession(connection: Connection) {
  const env: ClientEnv = {
    configs: new ConfigCache(),
    clientLocale: 'en',
    hasConfigurationCapability: false,
    initSettings: {},
    workspaceFolders: [],
    trusted: true,
  };
  const documents = new TextDocuments(TextDocument);
  /** Everything kept about each document, in one record: dropped as a whole when the document closes. */
  const state = new Map<string, DocState>();
  const stateOf = (uri: string): DocState => {
    let st = state.get(uri);
    if (!st) state.set(uri, (st = {}));
    return st;
  };
  const docsDir = path.resolve(__dirname, '..', 'docs');
  /**
   * The folders a document's references may be read from: the workspace folders (and image folders the user's
   * settings name) for a document inside one; the document's own folder for a file opened on its own.
   */
  function rootsFor(file: string, imageFolders: string[]): Roots {
    const inWorkspace = env.workspaceFolders.some((f) => file === f || file.startsWith(f + path.sep));
    return new Roots(inWorkspace ? [...env.workspaceFolders, ...imageFolders] : [path.dirname(file), ...imageFolders]);
  }
  /** File access for the engine, confined to `roots`, that sees unsaved edits of open documents first. */
  function openFs(roots: Roots): EngineFs {
    const disk = confinedFs(roots);
    const open = (p: string) => (roots.where(p) === 'outside' ? undefined : documents.get(pathToFileURL(p).href));
    return {
      fileSize: (p) => {
        const d = open(p);
        return d ? Buffer.byteLength(d.getText()) : disk.fileSize(p);
      },
      readText: (p) => open(p)?.getText() ?? disk.readText!(p),
      refused: (p) => disk.refused!(p),
    };
  }

  const log = (msg: string) => connection.console.log(`[upgrade-lint] ${msg}`);
  const guard =
    <A extends unknown[], R>(name: string, fallback: R, fn: (...a: A) => R | Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        connection.console.error(`[upgrade-lint] ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };

  /**
   * Our VS Code client names the kind in the language id (a file the user set to a language by hand included).
   * Other clients may send one id for every file a server serves (Eglot 1.9 does), so there a file name of a known
   * kind wins, and the language id decides only for other names (untitled buffers, `site.conf`).
   */
  const kindOf = (doc: TextDocument): FileKind | undefined => {
    const byPath = kindForPath(uriPath(doc.uri) ?? doc.uri);
    return env.vscodeClient ? (kindForLanguage(doc.languageId) ?? byPath) : (byPath ?? kindForLanguage(doc.languageId));
  };

  async function fetchSettings(uri: string | undefined): Promise<Settings> {
    if (!env.hasConfigurationCapability) return { ...DEFAULTS, ...env.initSettings };
    return connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'upgradeLint' })
      .then((c: Partial<Settings> | null) => ({ ...DEFAULTS, ...env.initSettings, ...(c ?? {}) }))
      .catch(() => ({ ...DEFAULTS, ...env.initSettings }));
  }

  const localeOf = (s: Settings): Locale => (LOCALES.includes(s.locale as Locale) ? (s.locale as Locale) : env.clientLocale);

  /**
   * Settings and the engine options derived from them (config file, overrides, paths) for a document, resolved
   * once and kept until settings, config files or watched files change or the document closes.
   */
  function lintOptions(uri: string): Promise<Resolved> {
    const st = stateOf(uri);
    let r = st.resolved;
    if (!r) {
      r = fetchSettings(uri).then((s) => {
        const file = uriPath(uri);
        const images = file ? resolvePaths(s.imageSearchPaths, file) : [];
        const base = file
          ? optionsFromConfig(env.configs.forFile(file), file, openFs(rootsFor(file, images)), sanitizeRules(s.rules), images)
          : { rules: sanitizeRules(s.rules), imageSearchPaths: [] };
        const durations = { ...('defaultDurations' in base ? base.defaultDurations : {}), ...sanitizeDurations(s.defaultDurations) };
        return {
          settings: s,
          options: {
            ...base,
            ...(Object.keys(durations).length ? { defaultDurations: durations } : {}),
            locale: localeOf(s),
            maxFileSize: s.maxFileSize,
            maxDiagnostics: s.maxDiagnostics,
            maxAliasExpansion: s.maxAliasExpansion,
          },
        };
      });
      st.resolved = r;
    }
    return r;
  }

  const settingsFor = async (uri: string): Promise<Settings> => (await lintOptions(uri)).settings;

  function resolvePaths(paths: string[] | undefined, file: string): string[] {
    const folder = env.workspaceFolders.find((f) => file.startsWith(f + path.sep)) ?? path.dirname(file);
    return (Array.isArray(paths) ? paths : []).filter((p) => typeof p === 'string').map((p) => path.resolve(folder, p));
  }

  /**
   * The latest lint result for a document at its current version, computing it now if needed. `shown`: for a
   * hover, which may take the problems the editor shows (the last ones sent) rather than wait for a large document
   * to be validated again after an edit, and otherwise lints in steps (other requests are answered meanwhile; an
   * edit meanwhile gives undefined). Other callers build edits from the result: they get it at once, for the text
   * as it is (no pause in which an edit could come).
   */
  async function resultFor(doc: TextDocument, shown = false): Promise<LintResult | undefined> {
    const st = state.get(doc.uri);
    const cached = st?.result;
    if (cached && cached.version === doc.version) return cached.result;
    if (shown && cached && (st?.lintMs ?? 0) > SLOW_VALIDATION_MS) return cached.result;
    const kind = kindOf(doc);
    if (!kind) return undefined;
    const { options } = await lintOptions(doc.uri);
    const version = doc.version;
    const text = doc.getText();
    const input = { text, kind, path: uriPath(doc.uri), binary: isBinary(text, options.maxFileSize) };
    if (!shown) return lint(input, options);
    const done = await lintAsync(input, options, () => new Promise<boolean>((resolve) => setImmediate(() => resolve(doc.version === version))));
    return done?.result;
  }

  const tooBig = async (doc: TextDocument) => doc.getText().length > (await settingsFor(doc.uri)).maxFileSize;

  /**
   * Files whose problems the user asked to see from disk (Validate Workspace): when such a file's editor closes, its
   * problems stay, as its last validation from disk, instead of disappearing with the editor.
   */
  const diskValidated = new Set<string>();
  /** The files a manifest validated from disk references (absolute paths), by its URI: their changes re-validate it. */
  const diskReferences = new Map<string, string[]>();

  /** The language of what is not about one document (workspace validation progress): the settings of the first folder. */
  const workspaceLocale = async (): Promise<Locale> =>
    localeOf(await fetchSettings(env.workspaceFolders.length ? pathToFileURL(env.workspaceFolders[0]).href : undefined));

  return {
    connection,
    documents,
    state,
    stateOf,
    env,
    docsDir,
    log,
    guard,
    kindOf,
    lintOptions,
    settingsFor,
    resultFor,
    tooBig,
    diskValidated,
    diskReferences,
    workspaceLocale,
  };
}

/** An open document's text holds binary data (only looked at when the text is small enough to validate). */
export const isBinary = (text: string, maxFileSize: number) => text.length <= maxFileSize && looksBinary(text);

export function uriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The `upgradeLint.defaultDurations` setting: action → minutes, what is not an action and a duration left out. */
export function sanitizeDurations(durations: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!durations || typeof durations !== 'object') return out;
  for (const [k, v] of Object.entries(durations as Record<string, unknown>)) {
    const minutes = parseDuration(v);
    if (STEP_ACTIONS.includes(k) && minutes !== undefined) out[k] = minutes;
  }
  return out;
}

export function sanitizeRules(rules: unknown): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  if (!rules || typeof rules !== 'object') return out;
  for (const [k, v] of Object.entries(rules as Record<string, unknown>)) {
    if (v === 'off' || v === 'error' || v === 'warning' || v === 'information' || v === 'hint') out[k] = v;
  }
  return out;
}

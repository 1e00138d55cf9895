/**
 * LSP wiring: documents, settings, debounced validation and the feature handlers. All analysis is done by
 * the engine; this file only translates between LSP and engine shapes.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocPath } from '../engine/docs';
import { DEFAULT_MAX_DIAGNOSTICS, DEFAULT_MAX_FILE_SIZE, lint, preferredEdits, settleExtra, unreadableResult, warmUp } from '../engine/lint';
import { kindForLanguage, kindForPath, kindModule, type DocSymbol } from '../engine/kinds/index';
import { manifestDefinition, manifestReferencedFiles, manifestReferences } from '../engine/services/manifestinfo';
import { LOCALES, msg, render } from '../engine/l10n/index';
import {
  FIX_ALL_KIND,
  SHOW_DOC_COMMAND,
  VALIDATE_FILES,
  WORKSPACE_TRUST,
  type InitializationOptions,
  type Settings,
  type ValidateFilesParams,
  type ValidateFilesResult,
  type WorkspaceTrustParams,
} from '../protocol/index';
import { looksBinary } from '../engine/text';
import type { Diagnostic, EngineFs, FileKind, LintOptions, LintResult, Locale, Severity, SeveritySetting } from '../engine/types';
import { confinedFs, Roots } from '../node/files';
import { ConfigCache, optionsFromConfig, readForLint } from '../node/host';
import { remoteCheckMeta } from '../node/remote';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYamlAsync } from '../engine/parse/yaml';

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

const SYMBOL_KINDS: Record<DocSymbol['kind'], SymbolKind> = {
  document: SymbolKind.File,
  list: SymbolKind.Array,
  node: SymbolKind.Object,
  step: SymbolKind.Event,
  property: SymbolKind.Property,
};

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A document's settings and the engine options derived from them. */
interface Resolved {
  settings: Settings;
  options: LintOptions & { locale: Locale; rules: Record<string, SeveritySetting>; imageSearchPaths: string[]; maxFileSize: number };
}

export { FIX_ALL_KIND, SHOW_DOC_COMMAND } from '../protocol/index';

/**
 * `# upgrade-lint-disable-next-line <rule>` above a line, indented like it; when the line above already is
 * such a comment, the rule is added to it instead.
 */
function disableEdit(doc: TextDocument, line: number, rule: string) {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const indent = /^[ \t]*/.exec(text)![0];
  if (line > 0) {
    const prev = doc.getText({ start: { line: line - 1, character: 0 }, end: { line, character: 0 } }).replace(/\r?\n$/, '');
    const m = /^([ \t]*#\s*upgrade-lint-disable-next-line)(\s+.*)?$/.exec(prev);
    if (m && m[2]?.trim()) {
      return { range: { start: { line: line - 1, character: prev.length }, end: { line: line - 1, character: prev.length } }, newText: `, ${rule}` };
    }
  }
  const eol = doc.getText().includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# upgrade-lint-disable-next-line ${rule}${eol}` };
}

/** Everything the server keeps about one document. */
interface DocState {
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
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let configs = new ConfigCache();
  /** Everything kept about each document, in one record: dropped as a whole when the document closes. */
  const state = new Map<string, DocState>();
  const stateOf = (uri: string): DocState => {
    let st = state.get(uri);
    if (!st) state.set(uri, (st = {}));
    return st;
  };
  let clientLocale: Locale = 'en';
  let hasConfigurationCapability = false;
  let initSettings: Partial<Settings> = {};
  let workspaceFolders: string[] = [];
  /** Workspace trust as the client reports it; a client that says nothing about it is trusted (it runs us). */
  let trusted = true;
  const docsDir = path.resolve(__dirname, '..', 'docs');
  /**
   * The folders a document's references may be read from: the workspace folders (and image folders the user's
   * settings name) for a document inside one; the document's own folder for a file opened on its own.
   */
  function rootsFor(file: string, imageFolders: string[]): Roots {
    const inWorkspace = workspaceFolders.some((f) => file === f || file.startsWith(f + path.sep));
    return new Roots(inWorkspace ? [...workspaceFolders, ...imageFolders] : [path.dirname(file), ...imageFolders]);
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

  const kindOf = (doc: TextDocument): FileKind | undefined => kindForLanguage(doc.languageId) ?? kindForPath(uriPath(doc.uri) ?? doc.uri);

  async function fetchSettings(uri: string): Promise<Settings> {
    if (!hasConfigurationCapability) return { ...DEFAULTS, ...initSettings };
    return connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'upgradeLint' })
      .then((c: Partial<Settings> | null) => ({ ...DEFAULTS, ...initSettings, ...(c ?? {}) }))
      .catch(() => ({ ...DEFAULTS, ...initSettings }));
  }

  const localeOf = (s: Settings): Locale => (LOCALES.includes(s.locale as Locale) ? (s.locale as Locale) : clientLocale);

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
          ? optionsFromConfig(configs.forFile(file), file, openFs(rootsFor(file, images)), sanitizeRules(s.rules), images)
          : { rules: sanitizeRules(s.rules), imageSearchPaths: [] };
        return {
          settings: s,
          options: { ...base, locale: localeOf(s), maxFileSize: s.maxFileSize, maxDiagnostics: s.maxDiagnostics, maxAliasExpansion: s.maxAliasExpansion },
        };
      });
      st.resolved = r;
    }
    return r;
  }

  const settingsFor = async (uri: string): Promise<Settings> => (await lintOptions(uri)).settings;

  function resolvePaths(paths: string[] | undefined, file: string): string[] {
    const folder = workspaceFolders.find((f) => file.startsWith(f + path.sep)) ?? path.dirname(file);
    return (Array.isArray(paths) ? paths : []).filter((p) => typeof p === 'string').map((p) => path.resolve(folder, p));
  }

  function toLsp(d: Diagnostic, uri: string): LspDiagnostic {
    return {
      ...(d.related?.length
        ? { relatedInformation: d.related.map((r) => ({ location: { uri: r.path ? pathToFileURL(r.path).href : uri, range: r.range }, message: r.message })) }
        : {}),
      range: d.range,
      severity: SEVERITY[d.severity],
      code: d.rule,
      codeDescription: { href: pathToFileURL(path.join(docsDir, ruleDocPath(d.rule))).href },
      source: 'upgrade-lint',
      message: d.message,
      data: { rule: d.rule },
    };
  }

  async function validate(doc: TextDocument): Promise<void> {
    const kind = kindOf(doc);
    if (!kind) return;
    const { settings, options } = await lintOptions(doc.uri);
    // The document object is updated in place by later edits: take its text and version together, now, and
    // compare versions (never `doc.version` after an await) to know whether this work is still wanted.
    const version = doc.version;
    const text = doc.getText();
    const current = () => documents.get(doc.uri)?.version === version;
    const binary = isBinary(text, options.maxFileSize);
    if (kind === 'upgrade-manifest' && !binary && text.length <= options.maxFileSize) {
      // A large manifest is parsed piece by piece, letting hovers, completions and other documents through
      // between pieces; an edit meanwhile cancels this validation (a newer one is scheduled for it).
      const stillCurrent = () => new Promise<boolean>((resolve) => setImmediate(() => resolve(current())));
      if (!(await loadYamlAsync(text, options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION, stillCurrent))) return;
    }
    const started = performance.now();
    const result = lint({ text, kind, path: uriPath(doc.uri), binary }, options);
    const st = stateOf(doc.uri);
    st.lintMs = performance.now() - started;
    if (!current()) return; // superseded meanwhile
    st.result = { version, result };
    const file = uriPath(doc.uri);
    if (kind === 'upgrade-manifest' && file && text.length <= options.maxFileSize) st.references = manifestReferencedFiles(text, file);
    await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: result.diagnostics.map((d) => toLsp(d, doc.uri)) });
    if (kind === 'acns-meta' && settings.remoteChecks === true && trusted && !result.diagnostics.some((d) => d.rule.startsWith('file/'))) {
      const extra = settleExtra(await remoteCheckMeta(text, { locale: options.locale }), text, kind, options.rules);
      if (!extra.length || !current()) return; // nothing to add, or superseded meanwhile
      await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: [...result.diagnostics, ...extra].map((d) => toLsp(d, doc.uri)) });
      st.result = { version, result: { ...result, diagnostics: [...result.diagnostics, ...extra] } };
    }
  }

  /**
   * The debounce before validating an edited document adapts to what validating it costs: as long as the part of
   * its last validation that cannot be interrupted, at most 150 ms (before the first one is measured: by line
   * count). A meta file (well under a millisecond) is validated at once; a 50,000-line manifest waits ~50 ms.
   * Parsing a large manifest is not counted: it pauses between pieces, an edit cancels it, and the pieces
   * already parsed are reused.
   */
  function delayFor(doc: TextDocument): number {
    const last = state.get(doc.uri)?.lintMs;
    if (last === undefined) {
      const n = doc.lineCount;
      return n < 2000 ? 20 : n < 20000 ? 60 : 150;
    }
    return Math.round(Math.min(150, last));
  }

  function schedule(doc: TextDocument, delay: number): void {
    const st = stateOf(doc.uri);
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      const current = documents.get(doc.uri);
      if (current) void guard('validate', undefined, validate)(current);
    }, delay);
  }

  /** Settings, config files or watched files changed: validate again — in onSave mode only what is saved. */
  async function revalidateAll(): Promise<void> {
    for (const st of state.values()) st.resolved = undefined;
    configs.clear();
    for (const d of documents.all()) {
      if (state.get(d.uri)?.unsaved && (await settingsFor(d.uri)).run === 'onSave') continue;
      schedule(d, 0);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const cap = params.capabilities;
    hasConfigurationCapability = !!cap.workspace?.configuration;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = init.workspaceTrusted !== false;
    const loc = (init.locale ?? params.locale ?? 'en').toLowerCase();
    clientLocale = LOCALES.find((l) => loc === l || loc.startsWith(l + '-')) ?? 'en';
    initSettings = init.settings ?? {};
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => uriPath(f.uri)).filter((p): p is string => !!p);
    if (!workspaceFolders.length && params.rootUri) {
      const p = uriPath(params.rootUri);
      if (p) workspaceFolders.push(p);
    }
    if (workspaceFolders.length) configs = new ConfigCache(new Roots(workspaceFolders));
    warmUp(); // compiles the schemas before the client sends the first document
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['=', ':', ' ', '[', ','], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll] },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        executeCommandProvider: { commands: [SHOW_DOC_COMMAND] },
        referencesProvider: true,
      },
      serverInfo: { name: 'upgrade-lint', version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev' },
    };
  });

  connection.onInitialized(() => {
    if (hasConfigurationCapability) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'upgradeLint' }).catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const s = (change.settings as { upgradeLint?: Partial<Settings> } | undefined)?.upgradeLint;
    if (!hasConfigurationCapability && s) initSettings = { ...initSettings, ...s };
    void guard('configuration', undefined, revalidateAll)();
  });

  connection.onDidChangeWatchedFiles(() => void guard('watchedFiles', undefined, revalidateAll)());

  connection.onNotification(WORKSPACE_TRUST, (p: Partial<WorkspaceTrustParams> | null) => {
    trusted = p?.trusted === true;
    void guard('trust', undefined, revalidateAll)();
  });

  /** Open manifests that reference the file at `uri` are validated again (a meta or properties file changed). */
  function revalidateDependents(uri: string): void {
    const file = uriPath(uri);
    if (!file) return;
    for (const [m, st] of state) {
      const doc = st.references?.includes(file) ? documents.get(m) : undefined;
      if (doc) schedule(doc, delayFor(doc));
    }
  }

  // onDidChangeContent also fires when a document opens: that first time it validates at once.
  documents.onDidChangeContent(
    guard('change', undefined, async (e) => {
      const uri = e.document.uri;
      revalidateDependents(uri);
      const st = stateOf(uri);
      if (!st.opened) {
        st.opened = true;
        schedule(e.document, 0);
        return;
      }
      st.unsaved = true;
      const s = await settingsFor(uri);
      if (s.run === 'onSave') return;
      schedule(e.document, delayFor(e.document));
    }),
  );
  documents.onDidSave((e) => {
    stateOf(e.document.uri).unsaved = false;
    schedule(e.document, 0);
  });
  documents.onDidClose((e) => {
    const st = state.get(e.document.uri);
    if (st?.timer) clearTimeout(st.timer);
    state.delete(e.document.uri);
    revalidateDependents(e.document.uri); // the manifest now reads the file from disk again
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The latest lint result for a document at its current version, computing it now if needed. */
  async function resultFor(doc: TextDocument): Promise<LintResult | undefined> {
    const cached = state.get(doc.uri)?.result;
    if (cached && cached.version === doc.version) return cached.result;
    const kind = kindOf(doc);
    if (!kind) return undefined;
    const { options } = await lintOptions(doc.uri);
    const text = doc.getText();
    return lint({ text, kind, path: uriPath(doc.uri), binary: isBinary(text, options.maxFileSize) }, options);
  }

  const tooBig = async (doc: TextDocument) => doc.getText().length > (await settingsFor(doc.uri)).maxFileSize;

  connection.onHover(
    guard('hover', null, async (p) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return null;
      const { options } = await lintOptions(doc.uri);
      const result = await resultFor(doc);
      const h = kindModule(kind).hover(doc.getText(), p.position, result?.diagnostics ?? [], options.locale);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
    }),
  );

  connection.onCompletion(
    guard('completion', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return [];
      const { options } = await lintOptions(doc.uri);
      const list = kindModule(kind).completion(doc.getText(), p.position, options.locale, {
        path: uriPath(doc.uri),
        fs: options.fs,
        imageSearchPaths: options.imageSearchPaths,
      });
      return list.map((c) => ({
        label: c.label,
        kind: c.kind === 'property' ? CompletionItemKind.Property : c.kind === 'reference' ? CompletionItemKind.Reference : CompletionItemKind.Value,
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        textEdit: { range: c.range, newText: c.insertText },
        insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: c.sortText,
      }));
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      const result = await resultFor(doc);
      if (!result) return [];
      const only = p.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
      const actions: CodeAction[] = [];
      if (wants(CodeActionKind.QuickFix)) {
        for (const ld of p.context.diagnostics) {
          if (ld.source !== 'upgrade-lint') continue;
          const d = result.diagnostics.find((x) => x.rule === ld.code && sameRange(x.range, ld.range));
          for (const f of d?.fixes ?? []) {
            actions.push({
              title: f.title,
              kind: CodeActionKind.QuickFix,
              isPreferred: f.preferred,
              diagnostics: [ld],
              edit: { changes: { [doc.uri]: f.edits } },
            });
          }
        }
      }
      if (wants(CodeActionKind.QuickFix)) {
        const locale = (await lintOptions(doc.uri)).options.locale;
        const rules = [
          ...new Map(
            p.context.diagnostics.filter((d) => d.source === 'upgrade-lint' && typeof d.code === 'string').map((d) => [`${d.code}@${d.range.start.line}`, d]),
          ).values(),
        ];
        for (const ld of rules) {
          const rule = String(ld.code);
          if (!rule.startsWith('file/') && !rule.startsWith('config/') && !rule.startsWith('yaml/')) {
            actions.push({
              title: render(msg('action.disableLine', { rule }), locale),
              kind: CodeActionKind.QuickFix,
              diagnostics: [ld],
              edit: { changes: { [doc.uri]: [disableEdit(doc, ld.range.start.line, rule)] } },
            });
          }
          actions.push({
            title: render(msg('action.showDocumentation', { rule }), locale),
            kind: CodeActionKind.QuickFix,
            diagnostics: [ld],
            command: { title: render(msg('action.showDocumentation', { rule }), locale), command: SHOW_DOC_COMMAND, arguments: [rule] },
          });
        }
      }
      if (only && wants(FIX_ALL_KIND) && only.some((o) => FIX_ALL_KIND.startsWith(o))) {
        const edits = preferredEdits(result.diagnostics);
        if (edits.length) {
          const locale = (await lintOptions(doc.uri)).options.locale;
          actions.push({ title: render(msg('action.fixAll'), locale), kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: nonOverlapping(edits) } } });
        }
      }
      return actions;
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return [];
      const conv = (x: DocSymbol): DocumentSymbol => ({
        name: x.name || '-',
        detail: x.detail,
        kind: SYMBOL_KINDS[x.kind],
        range: x.range,
        selectionRange: x.selectionRange,
        ...(x.children.length ? { children: x.children.map(conv) } : {}),
      });
      return kindModule(kind).symbols(doc.getText()).map(conv);
    }),
  );

  connection.onDocumentLinks(
    guard('documentLinks', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return [];
      const { options } = await lintOptions(doc.uri);
      return kindModule(kind)
        .links(doc.getText(), uriPath(doc.uri), options.locale)
        .map((l) => ({ range: l.range, target: l.url, ...(l.tooltip ? { tooltip: l.tooltip } : {}) }));
    }),
  );

  connection.onDefinition(
    guard('definition', null, async (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc || kindOf(doc) !== 'upgrade-manifest' || (await tooBig(doc))) return null;
      const loc = manifestDefinition(doc.getText(), p.position, uriPath(doc.uri));
      return loc ? { uri: loc.path ? pathToFileURL(loc.path).href : doc.uri, range: loc.range } : null;
    }),
  );

  connection.onReferences(
    guard('references', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc || kindOf(doc) !== 'upgrade-manifest' || (await tooBig(doc))) return [];
      return manifestReferences(doc.getText(), p.position, p.context.includeDeclaration).map((range) => ({ uri: doc.uri, range }));
    }),
  );

  /** Opens a rule's documentation page in the editor (LSP window/showDocument). */
  connection.onExecuteCommand(
    guard('executeCommand', null, async (p) => {
      if (p.command !== SHOW_DOC_COMMAND) return null;
      const rule = String(p.arguments?.[0] ?? '');
      const file = path.join(docsDir, ruleDocPath(rule));
      if (!/^[a-z]+\/[A-Za-z0-9-]+$/.test(rule) || !fs.existsSync(file)) return null;
      await connection.window.showDocument({ uri: pathToFileURL(file).href, takeFocus: true });
      return null;
    }),
  );

  /** Validates files on disk (e.g. the whole workspace) and publishes their diagnostics. */
  connection.onRequest(
    VALIDATE_FILES,
    guard('validateFiles', { files: 0, errors: 0, warnings: 0, information: 0, hints: 0 }, async (p: ValidateFilesParams): Promise<ValidateFilesResult> => {
      const summary: ValidateFilesResult = { files: 0, errors: 0, warnings: 0, information: 0, hints: 0 };
      for (const uri of p.uris ?? []) {
        const open = documents.get(uri);
        const file = uriPath(uri);
        const kind = open ? kindOf(open) : file ? kindForPath(file) : undefined;
        if (!kind) continue;
        let result: LintResult;
        if (open) {
          result = (await resultFor(open))!;
        } else {
          if (!file) continue;
          const { options } = await lintOptions(uri);
          // The client lists the files, but a link may lead out of the workspace: such a file is not read.
          const read =
            workspaceFolders.length && new Roots(workspaceFolders).where(file) === 'outside'
              ? { reason: 'outside' as const }
              : readForLint(file, options.maxFileSize);
          result =
            'reason' in read
              ? unreadableResult(kind, read, options)
              : lint({ text: read.text, kind, path: file, invalidUtf8: read.invalidUtf8, binary: read.binary, size: read.size }, options);
          await connection.sendDiagnostics({ uri, diagnostics: result.diagnostics.map((d) => toLsp(d, uri)) });
        }
        summary.files++;
        for (const d of result.diagnostics) {
          if (d.severity === 'error') summary.errors++;
          else if (d.severity === 'warning') summary.warnings++;
          else if (d.severity === 'information') summary.information++;
          else summary.hints++;
        }
      }
      return summary;
    }),
  );

  connection.onShutdown(() => {
    for (const st of state.values()) if (st.timer) clearTimeout(st.timer);
    state.clear();
  });

  documents.listen(connection);
  connection.listen();
  log('started');
}

declare const PACKAGE_VERSION: string;

/** An open document's text holds binary data (only looked at when the text is small enough to validate). */
const isBinary = (text: string, maxFileSize: number) => text.length <= maxFileSize && looksBinary(text);

function uriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function sanitizeRules(rules: unknown): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  if (!rules || typeof rules !== 'object') return out;
  for (const [k, v] of Object.entries(rules as Record<string, unknown>)) {
    if (v === 'off' || v === 'error' || v === 'warning' || v === 'information' || v === 'hint') out[k] = v;
  }
  return out;
}

const sameRange = (a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** Drops edits that overlap an earlier one (LSP forbids overlapping edits in one change). */
function nonOverlapping<T extends { range: { start: { line: number; character: number }; end: { line: number; character: number } } }>(edits: T[]): T[] {
  const key = (p: { line: number; character: number }) => p.line * 1e7 + p.character;
  const sorted = [...edits].sort((a, b) => key(a.range.start) - key(b.range.start));
  const out: T[] = [];
  let end = -1;
  for (const e of sorted) {
    if (key(e.range.start) < end) continue;
    out.push(e);
    end = key(e.range.end);
  }
  return out;
}

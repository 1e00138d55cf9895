/** Diagnostics: validating a document (debounced, cancelled by newer edits), publishing, and re-validation. */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocPath } from '../engine/docs';
import { msg, render } from '../engine/l10n/index';
import { lintAsync, settleExtra } from '../engine/lint';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYamlAsync } from '../engine/parse/yaml';
import { manifestReferencedFiles } from '../engine/services/navigation';
import type { Diagnostic, FileKind, LintResult, Severity } from '../engine/types';
import { remoteCheckMeta } from '../node/remote';
import { isBinary, uriPath, type Resolved, type Session } from './session';
import { validateFromDisk } from './workspace';
import { SHOW_DOC_COMMAND, type Settings } from '../protocol/index';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export type Diagnostics = ReturnType<typeof createDiagnostics>;

export function createDiagnostics(s: Session) {
  const { connection, documents, state, stateOf, env, docsDir, guard, kindOf, lintOptions, settingsFor } = s;
  /** `index`: the diagnostic's place in its file's result, so a code action finds this one among look-alikes. */
  function toLsp(d: Diagnostic, uri: string, index?: number): LspDiagnostic {
    return {
      ...(d.related?.length
        ? { relatedInformation: d.related.map((r) => ({ location: { uri: r.path ? pathToFileURL(r.path).href : uri, range: r.range }, message: r.message })) }
        : {}),
      range: d.range,
      severity: SEVERITY[d.severity],
      code: d.rule,
      // Our VS Code client opens the page rendered (the command its middleware handles); a file link would open the
      // Markdown source. Other editors get the file.
      codeDescription: {
        href: env.vscodeClient
          ? `command:${SHOW_DOC_COMMAND}?${encodeURIComponent(JSON.stringify([d.rule]))}`
          : pathToFileURL(path.join(docsDir, ruleDocPath(d.rule))).href,
      },
      source: 'upgrade-lint',
      message: d.message,
      data: index === undefined ? { rule: d.rule } : { rule: d.rule, index },
    };
  }

  /** A validation of this version and dependency epoch is still wanted: no edit, and nothing it read, changed since. */
  const isCurrent = (uri: string, version: number, epoch: number) => documents.get(uri)?.version === version && (state.get(uri)?.epoch ?? 0) === epoch;

  /** What a validation found, for the document version it is for, with what it was found with. */
  interface Validated {
    version: number;
    epoch: number;
    result: LintResult;
    kind: FileKind;
    text: string;
    settings: Settings;
    options: Resolved['options'];
  }

  /**
   * Validates a document as it is now and records the result (and a manifest's references). A large manifest is
   * parsed piece by piece, letting hovers, completions and other documents through between pieces; an edit
   * meanwhile (or, for a client that pulls, a change of a file the document depends on) supersedes the validation:
   * then nothing is recorded and the answer is undefined.
   */
  async function compute(doc: TextDocument): Promise<Validated | undefined> {
    const kind = kindOf(doc);
    if (!kind) return undefined;
    const epoch = stateOf(doc.uri).epoch ?? 0;
    const { settings, options } = await lintOptions(doc.uri);
    // The document object is updated in place by later edits: take its text and version together, now, and
    // compare versions (never `doc.version` after an await) to know whether this work is still wanted.
    const version = doc.version;
    const text = doc.getText();
    const current = () => isCurrent(doc.uri, version, epoch);
    const binary = isBinary(text, options.maxFileSize);
    // A newer validation is scheduled (or asked for) after an edit; the pieces already parsed are reused.
    const stillCurrent = () => new Promise<boolean>((resolve) => setImmediate(() => resolve(current())));
    if (kind === 'upgrade-manifest' && !binary && text.length <= options.maxFileSize) {
      if (!(await loadYamlAsync(text, options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION, stillCurrent))) return undefined;
    }
    // The schema and the rules run in steps too, with other requests answered between them.
    const done = await lintAsync({ text, kind, path: uriPath(doc.uri), binary }, options, stillCurrent);
    if (!done) return undefined; // superseded meanwhile
    const { result } = done;
    if (!documents.get(doc.uri)) return undefined; // closed meanwhile: nothing is kept about it
    const st = stateOf(doc.uri);
    st.lintMs = done.busyMs;
    // With `upgradeLint.trace.server` on, the output channel shows what each validation cost (LSP $/logTrace,
    // sent only while the client's trace is not off).
    connection.tracer.log(
      render(
        msg('lsp.trace.validated', { file: path.basename(uriPath(doc.uri) ?? doc.uri), kind, ms: st.lintMs.toFixed(1), count: result.diagnostics.length }),
        options.locale,
      ),
    );
    if (!current()) return undefined; // superseded meanwhile
    st.result = { version, result };
    const file = uriPath(doc.uri);
    if (kind === 'upgrade-manifest' && file && text.length <= options.maxFileSize) st.references = manifestReferencedFiles(text, file);
    return { version, epoch, result, kind, text, settings, options };
  }

  /**
   * Remote checks (opt-in, trusted workspaces, a meta file without a file problem): what the image server says is
   * added to the document's result. The new result, when there is something to add and the validation is still
   * current; otherwise undefined.
   */
  async function addRemote(doc: TextDocument, v: Validated): Promise<LintResult | undefined> {
    if (
      v.kind !== 'acns-meta' ||
      v.result.foreign ||
      v.settings.remoteChecks !== true ||
      !env.trusted ||
      v.result.diagnostics.some((d) => d.rule.startsWith('file/'))
    ) {
      return undefined;
    }
    const extra = settleExtra(await remoteCheckMeta(v.text, { locale: v.options.locale }), v.text, v.kind, v.options.rules);
    const st = state.get(doc.uri);
    // Nothing to add, or superseded meanwhile.
    if (!extra.length || !st || !isCurrent(doc.uri, v.version, v.epoch)) return undefined;
    const result = { ...v.result, diagnostics: [...v.result.diagnostics, ...extra] };
    st.result = { version: v.version, result };
    return result;
  }

  /** Validates a document and publishes its problems (a client that does not pull them). */
  async function validate(doc: TextDocument): Promise<void> {
    const v = await compute(doc);
    if (!v) return;
    await connection.sendDiagnostics({ uri: doc.uri, version: v.version, diagnostics: v.result.diagnostics.map((d, i) => toLsp(d, doc.uri, i)) });
    firstWorkDone();
    const withRemote = await addRemote(doc, v);
    if (withRemote)
      await connection.sendDiagnostics({ uri: doc.uri, version: v.version, diagnostics: withRemote.diagnostics.map((d, i) => toLsp(d, doc.uri, i)) });
  }

  /**
   * A document's problems for a client that pulls them: the recorded result when it is for this version (in onSave
   * mode, while the document is unsaved: that of its last validation), else a new validation, shared by requests
   * that come meanwhile. Remote checks run after it; what they add is there when the client asks again (it is told
   * to). Undefined when an edit supersedes the validation.
   */
  async function pulled(doc: TextDocument): Promise<{ version: number; result: LintResult } | undefined> {
    const st = stateOf(doc.uri);
    if (st.result?.version === doc.version) return st.result;
    if (st.result && st.unsaved && (await settingsFor(doc.uri)).run === 'onSave') return st.result;
    const epoch = st.epoch ?? 0;
    if (st.pending?.version === doc.version && st.pending.epoch === epoch) return st.pending.promise;
    const promise = compute(doc).then((v) => {
      if (v) {
        void guard('remoteChecks', undefined, async () => {
          if (await addRemote(doc, v)) requestRefresh();
        })();
      }
      return v && { version: v.version, result: v.result };
    });
    st.pending = { version: doc.version, epoch, promise };
    void promise.finally(() => {
      if (st.pending?.promise === promise) st.pending = undefined;
    });
    return promise;
  }

  /** What a client that pulls diagnostics gets for a result: the LSP diagnostics and an id that changes with them. */
  const reports = new WeakMap<LintResult, { resultId: string; items: LspDiagnostic[] }>();
  function reportOf(uri: string, result: LintResult): { resultId: string; items: LspDiagnostic[] } {
    let r = reports.get(result);
    if (!r) {
      const items = result.diagnostics.map((d, i) => toLsp(d, uri, i));
      r = { resultId: createHash('sha256').update(JSON.stringify(items)).digest('base64url').slice(0, 24), items };
      reports.set(result, r);
    }
    return r;
  }

  /** Tells a client that pulls diagnostics to ask again for them (once for changes that come together). */
  let refreshTimer: NodeJS.Timeout | undefined;
  function requestRefresh(): void {
    if (!env.pull || !env.diagnosticRefresh || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      void connection.languages.diagnostics.refresh().catch(() => undefined);
    }, 20);
  }

  /**
   * Something a document's problems depend on changed: a client that is sent them gets them again (after `delay`);
   * one that pulls them is told to ask again, and gets a new validation when it does.
   */
  function revalidate(doc: TextDocument, delay: number): void {
    if (!env.pull) return schedule(doc, delay);
    const st = stateOf(doc.uri);
    st.epoch = (st.epoch ?? 0) + 1;
    st.result = undefined;
    requestRefresh();
  }

  /**
   * The debounce before validating an edited document adapts to what validating it costs: as long as the work of
   * its last validation after the parse (schema and rules, pauses left out), at most 150 ms (before the first one
   * is measured: by line count). A meta file (well under a millisecond) is validated at once. Parsing a large
   * manifest is not counted: it pauses between pieces, an edit cancels it, and the pieces already parsed are reused.
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

  /** Settings or config files changed: validate again — in onSave mode only what is saved. */
  async function revalidateAll(): Promise<void> {
    for (const st of state.values()) st.resolved = undefined;
    env.configs.clear();
    for (const d of documents.all()) {
      if (state.get(d.uri)?.unsaved && (await settingsFor(d.uri)).run === 'onSave') continue;
      revalidate(d, 0);
    }
    requestRefresh(); // a client that pulls also asks again for the files on disk
  }

  /** Open manifests that reference the file at `uri` are validated again (a meta or properties file changed). */
  function revalidateDependents(uri: string): void {
    const file = uriPath(uri);
    if (!file) return;
    for (const [m, st] of state) {
      const doc = st.references?.includes(file) ? documents.get(m) : undefined;
      if (doc) revalidate(doc, delayFor(doc));
    }
  }

  return { toLsp, validate, pulled, reportOf, requestRefresh, revalidate, delayFor, schedule, revalidateAll, revalidateDependents };
}

/** Opening, editing, saving and closing documents. */
export function registerDocumentEvents(s: Session, d: Diagnostics): void {
  const { connection, documents, state, stateOf, env, guard, settingsFor } = s;
  const { schedule, delayFor, revalidateDependents, requestRefresh } = d;
  // onDidChangeContent also fires when a document opens: that first time it validates at once.
  documents.onDidChangeContent(
    guard('change', undefined, async (e) => {
      const uri = e.document.uri;
      revalidateDependents(uri);
      const st = stateOf(uri);
      if (!st.opened) {
        st.opened = true;
        if (!env.pull) schedule(e.document, 0);
        return;
      }
      st.unsaved = true;
      if (env.pull) return; // a client that pulls asks for the new version's problems itself
      const s = await settingsFor(uri);
      if (s.run === 'onSave') return;
      schedule(e.document, delayFor(e.document));
    }),
  );
  documents.onDidSave(
    guard('save', undefined, async (e) => {
      stateOf(e.document.uri).unsaved = false;
      if (!env.pull) return schedule(e.document, 0);
      // In onSave mode a client that pulls was answered with the problems of the last save: now it asks again.
      if ((await settingsFor(e.document.uri)).run === 'onSave') requestRefresh();
    }),
  );
  documents.onDidClose((e) => {
    const st = state.get(e.document.uri);
    if (st?.timer) clearTimeout(st.timer);
    state.delete(e.document.uri);
    revalidateDependents(e.document.uri); // the manifest now reads the file from disk again
    if (env.pull) return; // a client that pulls diagnostics manages those of a closed document itself
    // A file the user validated from disk keeps its problems, now those of the file on disk; any other is cleared.
    const kind = s.kindOf(e.document);
    if (s.diskValidated.has(e.document.uri) && kind) void guard('close', undefined, () => validateFromDisk(s, d, e.document.uri, kind))();
    else void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}

/**
 * Once, after the first problems went out: tells bin/code-cache.js that the code a first validation needs is now
 * compiled, so the V8 code cache it writes holds it (the next cold start then compiles neither the bundle nor
 * the validation). A process event, so the engine and the server do not depend on how they were loaded.
 */
let warm = false;
export function firstWorkDone(): void {
  if (warm) return;
  warm = true;
  setTimeout(() => (process as NodeJS.EventEmitter).emit('upgrade-lint:first-work'), 0).unref();
}

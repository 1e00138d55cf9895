/** Diagnostics: validating a document (debounced, cancelled by newer edits), publishing, and re-validation. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocPath } from '../engine/docs';
import { msg, render } from '../engine/l10n/index';
import { lint, settleExtra } from '../engine/lint';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYamlAsync } from '../engine/parse/yaml';
import { manifestReferencedFiles } from '../engine/services/navigation';
import type { Diagnostic, Severity } from '../engine/types';
import { remoteCheckMeta } from '../node/remote';
import { isBinary, uriPath, type Session } from './session';
import { validateFromDisk } from './workspace';
import { SHOW_DOC_COMMAND } from '../protocol/index';

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
    // With `upgradeLint.trace.server` on, the output channel shows what each validation cost (LSP $/logTrace,
    // sent only while the client's trace is not off).
    connection.tracer.log(
      render(
        msg('lsp.trace.validated', { file: path.basename(uriPath(doc.uri) ?? doc.uri), kind, ms: st.lintMs.toFixed(1), count: result.diagnostics.length }),
        options.locale,
      ),
    );
    if (!current()) return; // superseded meanwhile
    st.result = { version, result };
    const file = uriPath(doc.uri);
    if (kind === 'upgrade-manifest' && file && text.length <= options.maxFileSize) st.references = manifestReferencedFiles(text, file);
    await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: result.diagnostics.map((d, i) => toLsp(d, doc.uri, i)) });
    if (kind === 'acns-meta' && settings.remoteChecks === true && env.trusted && !result.diagnostics.some((d) => d.rule.startsWith('file/'))) {
      const extra = settleExtra(await remoteCheckMeta(text, { locale: options.locale }), text, kind, options.rules);
      if (!extra.length || !current()) return; // nothing to add, or superseded meanwhile
      await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: [...result.diagnostics, ...extra].map((d, i) => toLsp(d, doc.uri, i)) });
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
    env.configs.clear();
    for (const d of documents.all()) {
      if (state.get(d.uri)?.unsaved && (await settingsFor(d.uri)).run === 'onSave') continue;
      schedule(d, 0);
    }
  }

  /** Open manifests that reference the file at `uri` are validated again (a meta or properties file changed). */
  function revalidateDependents(uri: string): void {
    const file = uriPath(uri);
    if (!file) return;
    for (const [m, st] of state) {
      const doc = st.references?.includes(file) ? documents.get(m) : undefined;
      if (doc) schedule(doc, delayFor(doc));
    }
  }

  return { toLsp, validate, delayFor, schedule, revalidateAll, revalidateDependents };
}

/** Opening, editing, saving and closing documents. */
export function registerDocumentEvents(s: Session, d: Diagnostics): void {
  const { connection, documents, state, stateOf, guard, settingsFor } = s;
  const { schedule, delayFor, revalidateDependents } = d;
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
    // A file the user validated from disk keeps its problems, now those of the file on disk; any other is cleared.
    const kind = s.kindOf(e.document);
    if (s.diskValidated.has(e.document.uri) && kind) void guard('close', undefined, () => validateFromDisk(s, d, e.document.uri, kind))();
    else void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}

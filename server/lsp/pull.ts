/**
 * Pull diagnostics (LSP 3.17), for clients that have `textDocument.diagnostic` (see server.ts): a document's
 * problems when the client asks (`textDocument/diagnostic`), and those of every file of the workspace
 * (`workspace/diagnostic`, what Validate Workspace finds). Each report carries an id that changes with its
 * problems: asked again with the same id, the answer is `unchanged`. Nothing is pushed to these clients; when what
 * they were told may be out of date (a referenced file or the configuration changed, remote checks answered) they
 * are asked to pull again (`workspace/diagnostic/refresh`, when they take it).
 */
import { pathToFileURL } from 'node:url';
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type DiagnosticServerCancellationData,
  type DocumentDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver/node';
import { kindForPath } from '../engine/kinds/index';
import { msg, render } from '../engine/l10n/index';
import type { LintResult } from '../engine/types';
import { firstWorkDone, type Diagnostics } from './diagnostics';
import { uriPath, type Session } from './session';
import { cancelledError, count, eachFile, lintFromDisk, MAX_WORKSPACE_FILES, progressFor, workspaceFiles } from './workspace';

/** Reports sent at once as a partial result of workspace/diagnostic, when the client takes them. */
const PARTIAL_BATCH = 100;

export function registerPullDiagnostics(s: Session, d: Diagnostics): void {
  const { connection, documents, env, guard, kindOf } = s;

  /** An open document's result as the client should see it now, or undefined when edits keep superseding it. */
  async function openResult(uri: string): Promise<{ version: number; result: LintResult } | undefined> {
    // An edit during a validation supersedes it: the next one is for the new version (a few tries at most).
    for (let i = 0; i < 3; i++) {
      const doc = documents.get(uri);
      if (!doc || !kindOf(doc)) return undefined;
      const r = await d.pulled(doc);
      if (r) return r;
    }
    return undefined;
  }

  connection.languages.diagnostics.on(
    guard(
      'diagnostic',
      { kind: DocumentDiagnosticReportKind.Full, items: [] },
      async (p, token): Promise<DocumentDiagnosticReport | ResponseError<DiagnosticServerCancellationData>> => {
        const uri = typeof p?.textDocument?.uri === 'string' ? p.textDocument.uri : '';
        const doc = documents.get(uri);
        let result: LintResult | undefined;
        if (doc) {
          if (!kindOf(doc)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
          const r = await openResult(uri);
          if (token.isCancellationRequested) return cancelledError<DiagnosticServerCancellationData>(env.clientLocale);
          if (!r) {
            return new ResponseError(LSPErrorCodes.ServerCancelled, render(msg('lsp.error.superseded'), env.clientLocale), { retriggerRequest: true });
          }
          result = r.result;
        } else {
          // A closed file (the client may ask about one): as it is on disk.
          const file = uriPath(uri);
          const kind = file ? kindForPath(file) : undefined;
          result = kind ? await lintFromDisk(s, uri, kind) : undefined;
          if (!result) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        }
        const report = d.reportOf(uri, result);
        firstWorkDone();
        return p.previousResultId === report.resultId
          ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId: report.resultId }
          : { kind: DocumentDiagnosticReportKind.Full, resultId: report.resultId, items: report.items };
      },
    ),
  );

  connection.languages.diagnostics.onWorkspace(
    guard(
      'workspaceDiagnostic',
      { items: [] },
      async (p, token, workDone, partial): Promise<WorkspaceDiagnosticReport | ResponseError<DiagnosticServerCancellationData>> => {
        const previous = new Map<string, string>();
        for (const x of Array.isArray(p?.previousResultIds) ? p.previousResultIds : []) {
          if (typeof x?.uri === 'string' && typeof x.value === 'string') previous.set(x.uri, x.value);
        }
        const locale = await s.workspaceLocale();
        const { progress, cancelled } = await progressFor(s, workDone);
        const stop = () => token.isCancellationRequested || cancelled();
        progress.begin(render(msg('lsp.progress.title'), locale), 0, undefined, true);
        try {
          const found = await workspaceFiles(env.workspaceFolders, stop);
          if (!found) return cancelledError<DiagnosticServerCancellationData>(locale);
          if (found.truncated) connection.console.warn(`[upgrade-lint] ${render(msg('lsp.log.workspaceTruncated', { max: MAX_WORKSPACE_FILES }), locale)}`);
          const items: WorkspaceDocumentDiagnosticReport[] = [];
          let sent = 0;
          const summary = { files: 0, errors: 0, warnings: 0, information: 0, hints: 0 };
          const uris = found.files.map((f) => pathToFileURL(f.path).href);
          const done = await eachFile(uris, progress, locale, stop, async (uri, i) => {
            const open = documents.get(uri);
            const r = open ? await openResult(uri) : undefined;
            const result = r?.result ?? (open ? undefined : await lintFromDisk(s, uri, found.files[i].kind));
            if (!result || result.foreign) return; // a file of another format (a Unity `.meta`) is not reported
            count(summary, result);
            const report = d.reportOf(uri, result);
            const version = r ? r.version : null;
            items.push(
              previous.get(uri) === report.resultId
                ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId: report.resultId }
                : { kind: DocumentDiagnosticReportKind.Full, uri, version, resultId: report.resultId, items: report.items },
            );
            if (partial && items.length - sent >= PARTIAL_BATCH) {
              partial.report({ items: items.slice(sent) });
              sent = items.length;
            }
          });
          if (!done) return cancelledError<DiagnosticServerCancellationData>(locale);
          progress.report(100, render(msg('lsp.progress.done', summary), locale));
          if (!partial) return { items };
          // With partial results, all of them go as progress and the answer itself is empty (LSP).
          if (items.length > sent) partial.report({ items: items.slice(sent) });
          return { items: [] };
        } finally {
          progress.done();
        }
      },
    ),
  );
}

/**
 * Validating files on disk at the client's request (Validate Workspace), read as the CLI reads them: the files the
 * client lists (VALIDATE_FILES), or every file of the workspace folders (VALIDATE_WORKSPACE_COMMAND, and
 * workspace/diagnostic in pull.ts). Long runs report progress and stop when the request is cancelled.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgressReporter,
  type CancellationToken,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { kindForPath } from '../engine/kinds/index';
import { msg, render, type Message } from '../engine/l10n/index';
import { lint, unreadableResult } from '../engine/lint';
import { manifestReferencedFiles } from '../engine/services/navigation';
import type { FileKind, LintResult, Locale } from '../engine/types';
import { readForLint } from '../node/host';
import {
  FILE_STATUS,
  VALIDATE_FILES,
  type FileStatusParams,
  type FileStatusResult,
  type ValidateFilesParams,
  type ValidateFilesResult,
} from '../protocol/index';
import type { Diagnostics } from './diagnostics';
import { uriPath, type Session } from './session';

/** A workspace validation reads at most this many files… */
export const MAX_WORKSPACE_FILES = 20000;
/** …and this many folders (a tree of a million empty folders is not walked to the end). */
export const MAX_WORKSPACE_DIRS = 50000;
/** Folders never walked (Validate Workspace in VS Code leaves out node_modules; .git holds no files to check). */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** Lints a file as it is on disk (as the CLI reads it), without publishing anything. */
export async function lintFromDisk(s: Session, uri: string, kind: FileKind): Promise<LintResult | undefined> {
  const file = uriPath(uri);
  if (!file) return undefined;
  const { options } = await s.lintOptions(uri);
  // The client lists the files, but a link may lead out of the workspace: such a file is not read.
  const read = s.env.workspaceRoots?.where(file) === 'outside' ? { reason: 'outside' as const } : readForLint(file, options.maxFileSize);
  if (kind === 'upgrade-manifest') {
    if ('text' in read && !read.truncated && !read.binary) s.diskReferences.set(uri, manifestReferencedFiles(read.text, file));
    else s.diskReferences.delete(uri);
  }
  return 'reason' in read
    ? unreadableResult(kind, read, options)
    : lint({ text: read.text, kind, path: file, invalidUtf8: read.invalidUtf8, binary: read.binary, size: read.size }, options);
}

/** Lints a file as it is on disk (as the CLI reads it) and publishes the result (to a client that does not pull). */
export async function validateFromDisk(s: Session, d: Diagnostics, uri: string, kind: FileKind): Promise<LintResult | undefined> {
  const result = await lintFromDisk(s, uri, kind);
  if (result && !s.env.pull) await s.connection.sendDiagnostics({ uri, diagnostics: result.diagnostics.map((x, i) => d.toLsp(x, uri, i)) });
  return result;
}

const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The files of the three kinds under the workspace folders, in a stable order: node_modules and .git are left out,
 * links to folders are not followed (a link to a file is listed: reading it checks where it leads). At most
 * MAX_WORKSPACE_FILES files from at most MAX_WORKSPACE_DIRS folders (`truncated` then); between folders other
 * messages get through. Undefined when `stop()` says so.
 */
export async function workspaceFiles(
  folders: string[],
  stop: () => boolean,
): Promise<{ files: { path: string; kind: FileKind }[]; truncated: boolean } | undefined> {
  const files: { path: string; kind: FileKind }[] = [];
  const seen = new Set<string>();
  const stack = [...folders].reverse();
  let dirs = 0;
  while (stack.length) {
    const dir = stack.pop()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    if (++dirs > MAX_WORKSPACE_DIRS) return { files, truncated: true };
    if (dirs % 32 === 0) {
      await pause();
      if (stop()) return undefined;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or gone: nothing to validate there
    }
    entries.sort(byName);
    const sub: string[] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) sub.push(p);
        continue;
      }
      if (!e.isFile() && !e.isSymbolicLink()) continue;
      const kind = kindForPath(e.name);
      if (!kind || seen.has(p)) continue;
      seen.add(p);
      files.push({ path: p, kind });
      if (files.length >= MAX_WORKSPACE_FILES) return { files, truncated: true };
    }
    for (let i = sub.length - 1; i >= 0; i--) stack.push(sub[i]);
  }
  return { files, truncated: false };
}

/** The answer to a request the client cancelled (LSP RequestCancelled). */
export const cancelledError = <D = void>(locale: Locale) => new ResponseError<D>(LSPErrorCodes.RequestCancelled, render(msg('lsp.error.cancelled'), locale));

/**
 * Progress of a long run: on the request's own token when the client gave one, else on one the server creates when
 * the client shows such progress (the user may cancel it there: `cancelled`), else nowhere.
 */
export async function progressFor(s: Session, given: WorkDoneProgressReporter): Promise<{ progress: WorkDoneProgressReporter; cancelled: () => boolean }> {
  if (!WorkDoneProgressReporter.isNullInstance(given) || !s.env.workDoneProgress) return { progress: given, cancelled: () => false };
  let created: WorkDoneProgressServerReporter | undefined;
  try {
    created = await s.connection.window.createWorkDoneProgress();
  } catch {
    return { progress: given, cancelled: () => false }; // the client refused the token: no progress
  }
  return { progress: created, cancelled: () => created.token.isCancellationRequested };
}

/** Counts a result's problems into a summary (a file of another format, such as a Unity `.meta`, is not counted). */
export function count(summary: ValidateFilesResult, result: LintResult): void {
  if (result.foreign) return;
  summary.files++;
  for (const d of result.diagnostics) {
    if (d.severity === 'error') summary.errors++;
    else if (d.severity === 'warning') summary.warnings++;
    else if (d.severity === 'information') summary.information++;
    else summary.hints++;
  }
}

const emptySummary = (): ValidateFilesResult => ({ files: 0, errors: 0, warnings: 0, information: 0, hints: 0 });
const summaryMessage = (x: ValidateFilesResult): Message =>
  msg('lsp.progress.done', { files: x.files, errors: x.errors, warnings: x.warnings, information: x.information });

/**
 * Runs `visit` on each of `uris` with progress (files done/total), giving way to other messages after each file;
 * false when `stop()` said so before the end.
 */
export async function eachFile(
  uris: string[],
  progress: WorkDoneProgressReporter,
  locale: Locale,
  stop: () => boolean,
  visit: (uri: string, i: number) => Promise<void>,
): Promise<boolean> {
  const step = Math.max(1, Math.ceil(uris.length / 100));
  for (let i = 0; i < uris.length; i++) {
    await pause(); // a $/cancelRequest (and any edit, hover, …) is read here
    if (stop()) return false;
    await visit(uris[i], i);
    if ((i + 1) % step === 0 || i + 1 === uris.length) {
      progress.report(Math.round((100 * (i + 1)) / uris.length), render(msg('lsp.progress.files', { done: i + 1, total: uris.length }), locale));
    }
  }
  return true;
}

export type WorkspaceValidation = ReturnType<typeof registerWorkspaceValidation>;

export function registerWorkspaceValidation(s: Session, d: Diagnostics) {
  const { connection, documents, guard, kindOf, resultFor, diskValidated, env } = s;

  /** One file for a workspace validation: an open document as it is in the editor, any other from disk. */
  async function validateOne(uri: string, kindHint?: FileKind): Promise<LintResult | undefined> {
    const open = documents.get(uri);
    const file = uriPath(uri);
    const kind = open ? kindOf(open) : (kindHint ?? (file ? kindForPath(file) : undefined));
    if (!kind) return undefined;
    if (file) diskValidated.add(uri);
    return open ? await resultFor(open) : await validateFromDisk(s, d, uri, kind);
  }

  /** Validates files on disk (e.g. the whole workspace) and publishes their diagnostics. */
  connection.onRequest(
    VALIDATE_FILES,
    guard('validateFiles', emptySummary(), async (p: ValidateFilesParams, token?: CancellationToken): Promise<ValidateFilesResult | ResponseError> => {
      const summary = emptySummary();
      const uris = Array.isArray(p?.uris) ? p.uris.filter((u): u is string => typeof u === 'string') : [];
      // Progress only on a token the request brings: our VS Code client shows its own, for all its batches.
      const progress = connection.window.attachWorkDoneProgress(p?.workDoneToken);
      const quiet = WorkDoneProgressReporter.isNullInstance(progress);
      const locale = quiet ? env.clientLocale : await s.workspaceLocale();
      progress.begin(render(msg('lsp.progress.title'), locale), 0, undefined, false);
      try {
        const done = await eachFile(
          uris,
          progress,
          locale,
          () => !!token?.isCancellationRequested,
          async (uri) => {
            const result = await validateOne(uri);
            if (result) count(summary, result);
          },
        );
        if (!done) return cancelledError(quiet ? await s.workspaceLocale() : locale);
        if (uris.length) progress.report(100, render(summaryMessage(summary), locale));
        return summary;
      } finally {
        progress.done();
      }
    }),
  );

  /** The configuration file in force for a file, for the client's language status item. */
  connection.onRequest(
    FILE_STATUS,
    guard('fileStatus', {}, (p: FileStatusParams): FileStatusResult => {
      const file = uriPath(p.uri);
      const configPath = file ? s.env.configs.forFile(file).path : undefined;
      return configPath ? { configPath } : {};
    }),
  );

  /**
   * VALIDATE_WORKSPACE_COMMAND: every file of the workspace folders is validated (and its problems published), with
   * progress; the summary, or RequestCancelled when the request (or its progress) is cancelled.
   */
  async function validateWorkspace(token: CancellationToken, workDone: WorkDoneProgressReporter): Promise<ValidateFilesResult | ResponseError> {
    const locale = await s.workspaceLocale();
    const { progress, cancelled } = await progressFor(s, workDone);
    const stop = () => token.isCancellationRequested || cancelled();
    progress.begin(render(msg('lsp.progress.title'), locale), 0, undefined, true);
    const summary = emptySummary();
    try {
      const found = await workspaceFiles(env.workspaceFolders, stop);
      if (!found) return cancelledError(locale);
      if (found.truncated) connection.console.warn(`[upgrade-lint] ${render(msg('lsp.log.workspaceTruncated', { max: MAX_WORKSPACE_FILES }), locale)}`);
      const uris = found.files.map((f) => pathToFileURL(f.path).href);
      const done = await eachFile(uris, progress, locale, stop, async (uri, i) => {
        const result = await validateOne(uri, found.files[i].kind);
        if (result) count(summary, result);
      });
      if (!done) return cancelledError(locale);
      progress.report(100, render(summaryMessage(summary), locale));
      return summary;
    } finally {
      progress.done();
    }
  }

  return { validateWorkspace };
}

/** Validating files on disk at the client's request (Validate Workspace): read as the CLI reads them. */
import { kindForPath } from '../engine/kinds/index';
import { lint, unreadableResult } from '../engine/lint';
import type { FileKind, LintResult } from '../engine/types';
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

/** Lints a file as it is on disk (as the CLI reads it) and publishes the result. */
export async function validateFromDisk(s: Session, d: Diagnostics, uri: string, kind: FileKind): Promise<LintResult | undefined> {
  const file = uriPath(uri);
  if (!file) return undefined;
  const { options } = await s.lintOptions(uri);
  // The client lists the files, but a link may lead out of the workspace: such a file is not read.
  const read = s.env.workspaceRoots?.where(file) === 'outside' ? { reason: 'outside' as const } : readForLint(file, options.maxFileSize);
  const result =
    'reason' in read
      ? unreadableResult(kind, read, options)
      : lint({ text: read.text, kind, path: file, invalidUtf8: read.invalidUtf8, binary: read.binary, size: read.size }, options);
  await s.connection.sendDiagnostics({ uri, diagnostics: result.diagnostics.map((x, i) => d.toLsp(x, uri, i)) });
  return result;
}

export function registerWorkspaceValidation(s: Session, d: Diagnostics): void {
  const { connection, documents, guard, kindOf, resultFor, diskValidated } = s;
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
        if (file) diskValidated.add(uri);
        const result = open ? await resultFor(open) : await validateFromDisk(s, d, uri, kind);
        if (!result) continue;
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

  /** The configuration file in force for a file, for the client's language status item. */
  connection.onRequest(
    FILE_STATUS,
    guard('fileStatus', {}, (p: FileStatusParams): FileStatusResult => {
      const file = uriPath(p.uri);
      const configPath = file ? s.env.configs.forFile(file).path : undefined;
      return configPath ? { configPath } : {};
    }),
  );
}

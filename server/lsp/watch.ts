/**
 * The files the server depends on, and what their changes on disk do. When the client allows it
 * (`workspace.didChangeWatchedFiles.dynamicRegistration`), the server asks it to watch them (WATCHED_FILE_GLOBS);
 * a client may also watch them on its own (our VS Code client did before). A configuration file changed: every
 * document is validated again with the configuration read anew. Any other file: only what depends on it (the
 * manifests that name it, the meta files when an image changed, a file validated from disk when it changed itself).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { CONFIG_FILE } from '../engine/config';
import { kindForPath } from '../engine/kinds/index';
import { WATCHED_FILE_GLOBS } from '../protocol/index';
import type { Diagnostics } from './diagnostics';
import { uriPath, type Session } from './session';
import { validateFromDisk } from './workspace';

/** Asks the client to watch the files the server depends on, when it allows the server to register that. */
export function registerWatchers(s: Session): void {
  if (!s.env.dynamic?.watchedFiles) return;
  void s.connection.client
    .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern })) })
    .catch(() => undefined);
}

const under = (p: string, changed: string) => p === changed || p.startsWith(changed.endsWith(path.sep) ? changed : changed + path.sep);

export function registerWatchedFiles(s: Session, d: Diagnostics): void {
  const { connection, documents, state, env, guard, kindOf, diskValidated, diskReferences } = s;
  /** Re-readings of every file validated from disk (the configuration changed): a newer one stops an older one. */
  let generation = 0;

  /**
   * Files validated from disk (closed ones) are read again, one at a time, giving way to other messages between;
   * `all`: every one of them, for a new configuration.
   */
  async function revalidateFromDisk(uris: string[], all = false): Promise<void> {
    const mine = all ? ++generation : generation;
    for (const uri of uris) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (all && mine !== generation) return;
      const file = uriPath(uri);
      const kind = file ? kindForPath(file) : undefined;
      if (!file || !kind || documents.get(uri)) continue;
      if (fs.existsSync(file)) await validateFromDisk(s, d, uri, kind);
      else forget(uri); // gone (with its folder): no problems any more
    }
  }

  /** A file validated from disk that is gone: its problems are cleared. */
  function forget(uri: string): void {
    diskValidated.delete(uri);
    diskReferences.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  async function changed(p: DidChangeWatchedFilesParams): Promise<void> {
    const changes = (Array.isArray(p?.changes) ? p.changes : [])
      .map((c) => ({ uri: typeof c?.uri === 'string' ? c.uri : '', file: typeof c?.uri === 'string' ? uriPath(c.uri) : undefined, type: c?.type }))
      .filter((c): c is { uri: string; file: string; type: FileChangeType } => !!c.file);
    if (!changes.length) return;
    // A configuration file, or something without an extension (a folder, created, moved or deleted, may hold
    // one): the configuration is read anew and everything is validated again.
    if (changes.some((c) => path.basename(c.file) === CONFIG_FILE || !path.extname(c.file))) {
      await d.revalidateAll();
      if (!env.pull) await revalidateFromDisk([...diskValidated], true);
      return;
    }
    const files = changes.map((c) => c.file);
    const touches = (refs: string[] | undefined) => !!refs?.some((r) => files.some((f) => under(r, f)));
    // A file that is none of the three kinds is taken for an image: meta files check their image's size.
    const image = files.some((f) => !kindForPath(f));
    for (const doc of documents.all()) {
      const kind = kindOf(doc);
      // An open document is validated as the editor has it: its own file on disk does not matter.
      if ((image && kind === 'acns-meta') || (kind === 'upgrade-manifest' && touches(state.get(doc.uri)?.references))) d.revalidate(doc, 0);
    }
    if (env.pull) return d.requestRefresh(); // files on disk are in the workspace report, which the client pulls again
    const again: string[] = [];
    for (const uri of diskValidated) {
      if (documents.get(uri)) continue;
      const file = uriPath(uri);
      const gone = changes.find((c) => c.file === file && c.type === FileChangeType.Deleted);
      if (gone) forget(uri);
      else if ((file && files.includes(file)) || touches(diskReferences.get(uri)) || (image && file && kindForPath(file) === 'acns-meta')) {
        again.push(uri);
      }
    }
    if (again.length) await revalidateFromDisk(again);
  }

  connection.onDidChangeWatchedFiles((p) => void guard('watchedFiles', undefined, changed)(p));
}

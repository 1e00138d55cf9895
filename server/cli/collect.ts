/** The files a CLI run validates: the inputs, folders walked in a stable order. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KINDS } from '../engine/kinds/index';
import { msg } from '../engine/l10n/index';
import { kindForPath } from '../engine/lint';
import type { FileKind } from '../engine/types';
import { UsageError } from './args';

export const shown = (p: string) => p.split(path.sep).join('/');

/**
 * Files to validate, in a stable order. Explicit files must be of a known kind. A folder that cannot be read is
 * returned in `unreadable` (reported, never skipped silently).
 */
export function collectFiles(inputs: string[], unreadable: { path: string; code?: string }[] = []): { path: string; kind: FileKind }[] {
  const out: { path: string; kind: FileKind }[] = [];
  const seen = new Set<string>();
  const add = (p: string, kind: FileKind) => {
    const abs = path.resolve(p);
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push({ path: p, kind });
    }
  };
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      unreadable.push({ path: dir, code: (e as NodeJS.ErrnoException).code });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') walk(p);
      } else if (e.isFile()) {
        const k = kindForPath(e.name);
        if (k) add(p, k);
      }
    }
  };
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch {
      throw new UsageError(msg('cli.error.noSuchFile', { path: input }));
    }
    if (st.isDirectory()) walk(input);
    else {
      const k = kindForPath(input);
      if (!k) throw new UsageError(msg('cli.error.notChecked', { path: input, patterns: KINDS.flatMap((x) => x.patterns).join(', ') }));
      add(input, k);
    }
  }
  return out;
}

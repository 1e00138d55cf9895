/**
 * How upgrade-lint reads files from disk, for both front ends. A repository may be hostile (a pull request, a
 * vendor's sample): names may be symlinks to private files, FIFOs that never deliver, devices that never end.
 * So a file is read only when it is a regular file, its size limit is enforced while reading (not only by a
 * `stat` taken before), and files that a linted file merely *references* (a manifest's `propertiesFile`, a
 * meta file's image) are read only inside the tree being linted: the workspace folders in an editor, the
 * working folder and the folders named on the command line in the CLI, plus folders the user allows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeBytes } from '../engine/text';
import type { EngineFs } from '../engine/types';

/** Why a file could not be read: the code is stable (tests, messages), the errno is for people. */
export type Unreadable = { reason: 'missing' | 'not-regular' | 'denied' | 'error'; code?: string };
export type ReadBytes = { bytes: Buffer; size: number; truncated: boolean } | Unreadable;

const HEAD = 4096;
const NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

const unreadable = (e: unknown): Unreadable => {
  const code = (e as NodeJS.ErrnoException)?.code;
  return { reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : code === 'EACCES' || code === 'EPERM' ? 'denied' : 'error', code };
};

/**
 * Reads a regular file of at most `maxBytes` bytes. A larger one is not read whole: its first 4 KB come back
 * with `truncated` set (to report its size). A FIFO, socket or device is refused before it is opened (and
 * again after, in case the name was swapped meanwhile): opening is non-blocking, so a FIFO cannot hang us.
 */
export function readRegularFile(file: string, maxBytes: number): ReadBytes {
  let fd: number | undefined;
  try {
    if (!fs.statSync(file).isFile()) return { reason: 'not-regular' };
    fd = fs.openSync(file, fs.constants.O_RDONLY | NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { reason: 'not-regular' };
    // Read at most one byte past the limit, whatever stat said: the file may grow while we read it.
    const limit = Math.min(maxBytes + 1, st.size > maxBytes ? HEAD : maxBytes + 1);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Sized from what stat said is left (and one byte more, to see the end or a growing file): a 1 MB buffer
      // for every small meta file made a 10,000-file run about 40% slower.
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, limit - total), Math.max(4096, st.size - total + 1)));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total >= limit) break;
    }
    const bytes = Buffer.concat(chunks, total);
    if (st.size > maxBytes || total > maxBytes) return { bytes: bytes.subarray(0, Math.min(total, HEAD)), size: Math.max(st.size, total), truncated: true };
    return { bytes, size: total, truncated: false };
  } catch (e) {
    return unreadable(e);
  } finally {
    if (fd !== undefined)
      try {
        fs.closeSync(fd);
      } catch {
        /* closing a read-only descriptor cannot lose data */
      }
  }
}

/** The real path of `p`, or undefined when it does not exist. */
function real(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * The folders a linted file may make upgrade-lint read. A path is inside when its real path (symlinks
 * resolved) is inside the real path of one of the roots.
 */
export class Roots {
  private readonly reals: string[];
  constructor(readonly folders: string[]) {
    this.reals = [...new Set(folders.map((f) => real(path.resolve(f)) ?? path.resolve(f)))];
  }

  /** 'inside', 'outside', or 'missing' (nothing there — or a dangling link). */
  where(p: string): 'inside' | 'outside' | 'missing' {
    const r = real(path.resolve(p));
    if (r === undefined) return 'missing';
    return this.reals.some((root) => within(r, root)) ? 'inside' : 'outside';
  }

  /** Folders to add for the CLI: the working folder (unless it is the file-system root) and every input outside it. */
  static forCli(inputs: string[], allowed: string[] = [], cwd = process.cwd()): Roots {
    const folders: string[] = [];
    if (path.dirname(cwd) !== cwd) folders.push(cwd);
    for (const input of inputs) {
      const abs = path.resolve(cwd, input);
      let dir = abs;
      try {
        if (!fs.statSync(abs).isDirectory()) dir = path.dirname(abs);
      } catch {
        dir = path.dirname(abs);
      }
      if (!folders.some((f) => within(dir, f))) folders.push(dir);
    }
    return new Roots([...folders, ...allowed.map((a) => path.resolve(cwd, a))]);
  }
}

/** Referenced files are read only up to this size (a meta or properties file is a few hundred bytes). */
export const MAX_REFERENCED_SIZE = 1024 * 1024;

/**
 * File access for the engine's cross-file rules, confined to `roots`: a path outside them (after resolving
 * symlinks), or anything but a regular file, is neither measured nor read.
 */
export function confinedFs(roots: Roots, maxBytes = MAX_REFERENCED_SIZE): EngineFs {
  const allowed = (p: string) => roots.where(p) === 'inside';
  return {
    fileSize(p) {
      if (!allowed(p)) return undefined;
      try {
        const st = fs.statSync(p);
        return st.isFile() ? st.size : undefined;
      } catch {
        return undefined;
      }
    },
    readText(p) {
      if (!allowed(p)) return undefined;
      const r = readRegularFile(p, maxBytes);
      if (!('bytes' in r) || r.truncated) return undefined;
      const d = decodeBytes(r.bytes); // as the engine decodes files it lints (BOM removed)
      return d.binary ? undefined : d.text;
    },
    refused(p) {
      const w = roots.where(p);
      return w === 'outside' ? 'outside' : undefined;
    },
  };
}

/** Writing a fixed file in place, never half-written. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { msg, type Message } from '../engine/l10n/index';

/**
 * Writes a fixed file without ever leaving it half-written: the text goes to a new file in the same folder,
 * which then replaces the original in one rename (concurrent runs each replace it whole). The real file behind
 * a symlink is the one replaced, with its permissions. Returns why it was not written, or undefined.
 */
export function writeFileAtomic(file: string, text: string): Message | undefined {
  let target: string;
  let mode: number;
  let owner: { uid: number; gid: number };
  try {
    target = fs.realpathSync.native(file);
    const st = fs.statSync(target);
    if (!st.isFile()) return msg('cli.notFixed.notRegular');
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
    fs.accessSync(target, fs.constants.W_OK); // a read-only file stays as it is (rename would replace it)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? msg('cli.notFixed.readOnly')
      : msg('cli.notFixed.cannotWrite', { code: code ?? 'error' });
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fchmodSync(fd, mode); // the original's permissions, whatever the umask
      if (owner.uid !== process.getuid?.())
        try {
          fs.fchownSync(fd, owner.uid, owner.gid);
        } catch {
          /* only root may give a file away */
        }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
    return undefined;
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* it was never created, or is already gone */
    }
    return msg('cli.notFixed.cannotWrite', { code: (e as NodeJS.ErrnoException).code ?? 'error' });
  }
}

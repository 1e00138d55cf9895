'use strict';
/**
 * Loads a bundle of dist/ with a V8 code cache (issue 16): the compiled code of a previous run, so that a fresh
 * process does not parse and compile the 2–3 MB bundle again. What it guards against:
 * - a stale or foreign cache: V8 rejects data made from another source, V8 version or flags (the bundle is then
 *   compiled as usual and the cache written again); the file name also carries the bundle's size and mtime, the
 *   Node version and the V8 options;
 * - a cache someone else could write: it lives only in the user's own cache folder ($XDG_CACHE_HOME or ~/.cache,
 *   upgrade-lint/), created 0700 and used only when it is owned by this user and not writable by others; never in
 *   a shared temporary folder, never next to the bundle (an installed package's folder);
 * - cost: reading it is one file read; it is written once (atomically: a temporary file renamed) after the process
 *   did its first work — at exit for the CLI; for the server right after its first problems were sent (the event
 *   `upgrade-lint:first-work`, server/lsp/diagnostics.ts), or two seconds after start — and only when missing or
 *   rejected; caches of the same bundle's earlier builds that no run read for a week are removed then.
 *   UPGRADE_LINT_NO_CODE_CACHE=1 turns it off.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { isAscii } = require('node:buffer');

function cacheDir() {
  if (process.env.UPGRADE_LINT_NO_CODE_CACHE) return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'upgrade-lint');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (process.platform !== 'win32' && (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** Runs `bundle` (an absolute path) as a CommonJS module and returns its exports. `when`: 'exit' or a delay in ms. */
function load(bundle, when) {
  const dir = cacheDir();
  // An ASCII bundle (scripts/build.mjs makes them so) is read as a one-byte string: no UTF-8 decoding, half the memory.
  const raw = fs.readFileSync(bundle);
  const src = typeof isAscii === 'function' && isAscii(raw) ? raw.toString('latin1') : raw.toString('utf8');
  let cacheFile;
  let cachedData;
  if (dir) {
    const st = fs.statSync(bundle);
    const flags = process.execArgv.join(' ').replace(/[^A-Za-z0-9=.-]+/g, '_').slice(0, 80);
    cacheFile = path.join(dir, `${path.basename(bundle)}-${st.size}-${Math.floor(st.mtimeMs)}-${process.version}-${process.arch}-${flags}.cache`);
    try {
      const cst = fs.lstatSync(cacheFile);
      const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
      if (cst.isFile() && (uid === undefined || cst.uid === uid) && (cst.mode & 0o022) === 0) cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(src), { filename: bundle, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    const write = () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
        // Caches of this bundle's earlier builds, unused for a week, go (another install's recent one stays).
        const prefix = `${path.basename(bundle)}-`;
        const week = Date.now() - 7 * 24 * 3600 * 1000;
        for (const f of fs.readdirSync(dir))
          if (f.startsWith(prefix) && f.endsWith('.cache') && path.join(dir, f) !== cacheFile && fs.statSync(path.join(dir, f)).atimeMs < week) fs.rmSync(path.join(dir, f), { force: true });
      } catch {
        /* a cache is optional */
      }
    };
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      write();
    };
    if (when === 'exit') process.once('exit', once);
    else {
      // The server: as soon as its first problems went out (the code they need is compiled by then), else after `when` ms.
      process.once('upgrade-lint:first-work', once);
      setTimeout(once, when).unref();
    }
  }
  const m = new Module(bundle, module);
  m.filename = bundle;
  m.paths = Module._nodeModulePaths(path.dirname(bundle));
  m.loaded = true;
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(bundle), m, bundle, path.dirname(bundle));
  return m.exports;
}

module.exports = { load };

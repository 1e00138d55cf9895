/**
 * `upgrade-lint [options] <file|folder>...` — the CI front end over the engine.
 * Exit codes: 0 no error-severity diagnostic, 1 errors (or too many warnings), 2 usage or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEVERITY_SETTINGS } from '../engine/config';
import { ruleDocPath } from '../engine/docs';
import { kindForPath, preferredEdits, settleExtra, unreadableResult } from '../engine/lint';
import { LOCALES, msg, render, type Arg, type Message, type MessageArgs, type MessageKey } from '../engine/l10n/index';
import { applyEdits } from '../engine/text';
import { ruleMeta } from '../engine/rules/index';
import { toSarif, type FileReport } from '../engine/sarif';
import type { FileKind, Locale, SeveritySetting } from '../engine/types';
import { KINDS } from '../engine/kinds/index';
import { Roots } from '../node/files';
import { ConfigCache, fixText, lintFileOnDisk } from '../node/host';
import { remoteCheckMeta } from '../node/remote';

declare const PACKAGE_VERSION: string;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

/** The language of what the CLI prints before its options are read: `--locale ja` anywhere on the line. */
const earlyLocale = (argv: string[]): Locale => (argv.some((a, i) => a === '--locale=ja' || (a === '--locale' && argv[i + 1] === 'ja')) ? 'ja' : 'en');

/** A mistake on the command line: said in the user's language, with the usage (exit 2). */
class UsageError extends Error {
  constructor(readonly why: Message) {
    super(why.key);
  }
}

interface CliOptions {
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  rules: Record<string, SeveritySetting>;
  locale: Locale;
  maxWarnings?: number;
  remoteChecks: boolean;
  allowPaths: string[];
  inputs: string[];
}

export function parseArgs(argv: string[]): CliOptions | 'help' | 'version' {
  const o: CliOptions = { format: 'text', fix: false, rules: {}, locale: 'en', remoteChecks: false, allowPaths: [], inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(msg('cli.error.needsValue', { option: a }));
      return v;
    };
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--version':
        return 'version';
      case '--fix':
        o.fix = true;
        break;
      case '--remote-checks':
        o.remoteChecks = true;
        break;
      case '--allow-path':
        o.allowPaths.push(value());
        break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(msg('cli.error.format', { value: v }));
        o.format = v;
        break;
      }
      case '--locale': {
        const v = value();
        if (!LOCALES.includes(v as Locale)) throw new UsageError(msg('cli.error.locale', { value: v }));
        o.locale = v as Locale;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(msg('cli.error.maxWarnings', { value: v }));
        o.maxWarnings = Number(v);
        break;
      }
      case '--rule': {
        const v = value();
        const m = /^([^=]+)=(.+)$/.exec(v);
        if (!m) throw new UsageError(msg('cli.error.rule', { value: v }));
        const [, id, sev] = m;
        if (!ruleMeta(id) && !/^[a-z]+\/\*$/.test(id)) throw new UsageError(msg('cli.error.ruleId', { id }));
        if (!SEVERITY_SETTINGS.includes(sev as SeveritySetting))
          throw new UsageError(msg('cli.error.severity', { allowed: SEVERITY_SETTINGS.join(', '), value: sev }));
        o.rules[id] = sev as SeveritySetting;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(msg('cli.error.option', { option: a }));
        o.inputs.push(argv[i]);
    }
  }
  if (!o.inputs.length) throw new UsageError(msg('cli.error.noInput'));
  return o;
}

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

const shown = (p: string) => p.split(path.sep).join('/');

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export async function run(argv: string[], io: Io): Promise<number> {
  let o: CliOptions;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.out(render(msg('cli.usage'), earlyLocale(argv)) + '\n');
      return 0;
    }
    if (parsed === 'version') {
      io.out(VERSION + '\n');
      return 0;
    }
    o = parsed;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`upgrade-lint: ${render(e.why, earlyLocale(argv))}\n\n${render(msg('cli.usage'), earlyLocale(argv))}\n`);
      return 2;
    }
    throw e;
  }
  let files: { path: string; kind: FileKind }[];
  const unreadableDirs: { path: string; code?: string }[] = [];
  try {
    files = collectFiles(o.inputs, unreadableDirs);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`upgrade-lint: ${render(e.why, o.locale)}\n`);
      return 2;
    }
    throw e;
  }

  const roots = Roots.forCli(o.inputs, o.allowPaths);
  const configs = new ConfigCache(roots, o.locale);
  const reports: FileReport[] = [];
  const notes: Message[] = [];
  for (const d of unreadableDirs) {
    const rel = shown(path.relative(process.cwd(), d.path)) || '.';
    reports.push({
      path: rel,
      uri: encodeUriPath(rel),
      kind: 'folder',
      diagnostics: unreadableResult('acns-meta', { reason: d.code === 'EACCES' || d.code === 'EPERM' ? 'denied' : 'error', code: d.code }, { locale: o.locale })
        .diagnostics,
    });
  }
  for (const f of files) {
    const abs = path.resolve(f.path);
    if (roots.where(abs) === 'outside') {
      // A link (often committed to a repository) from inside the tree to a file outside it: never read.
      reports.push({
        path: shown(f.path),
        uri: encodeUriPath(shown(path.relative(process.cwd(), abs)) || shown(f.path)),
        kind: f.kind,
        diagnostics: unreadableResult(f.kind, { reason: 'outside' }, { locale: o.locale }).diagnostics,
      });
      continue;
    }
    const { read, options, result: first, lintText } = lintFileOnDisk(abs, f.kind, configs, { rules: o.rules, locale: o.locale, roots });
    let result = first;
    let text = read.text; // the file's text as it now is on disk
    const write = (t: string): boolean => {
      const why = writeFileAtomic(abs, (read.bom ? '\uFEFF' : '') + t);
      if (why) notes.push(msg('cli.notFixed', { path: shown(f.path), why }));
      return !why;
    };
    if (o.fix && !read.unreadable && !read.truncated && !read.binary && preferredEdits(result.diagnostics).length) {
      if (read.invalidUtf8) {
        notes.push(msg('cli.notFixed', { path: shown(f.path), why: msg('cli.notFixed.encoding') }));
      } else {
        const fixed = fixText(read.text, lintText);
        if (fixed.text === read.text || write(fixed.text)) {
          result = fixed.result;
          text = fixed.text;
        }
      }
    }
    let found = result.diagnostics;
    if (o.remoteChecks && f.kind === 'acns-meta' && !read.unreadable && !read.binary && !read.truncated) {
      const remote = async (t: string) => settleExtra(await remoteCheckMeta(t, { locale: o.locale }), t, f.kind, options.rules);
      let extra = await remote(text);
      if (o.fix && !read.invalidUtf8 && preferredEdits(extra).length) {
        const next = applyEdits(text, preferredEdits(extra));
        if (write(next)) {
          text = next;
          found = lintText(text).diagnostics;
          extra = await remote(text); // answered from the session cache
        }
      }
      found = [...found, ...extra].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    }
    // Related places in other files are shown relative to the working folder, like `path`.
    const diagnostics = found.map((d) =>
      d.related ? { ...d, related: d.related.map((r) => (r.path ? { ...r, path: shown(path.relative(process.cwd(), r.path)) } : r)) } : d,
    );
    reports.push({ path: shown(f.path), uri: encodeUriPath(shown(path.relative(process.cwd(), abs)) || shown(f.path)), kind: f.kind, diagnostics });
  }
  // Problems in configuration files are reported as files of their own.
  for (const c of configs.loaded()) {
    if (c.path && c.problems.length) {
      reports.push({
        path: shown(path.relative(process.cwd(), c.path)),
        uri: encodeUriPath(shown(path.relative(process.cwd(), c.path))),
        kind: 'config',
        diagnostics: c.problems,
      });
    }
  }

  const count = { files: files.length, errors: 0, warnings: 0, information: 0, hints: 0 };
  for (const r of reports)
    for (const d of r.diagnostics) {
      if (d.severity === 'error') count.errors++;
      else if (d.severity === 'warning') count.warnings++;
      else if (d.severity === 'information') count.information++;
      else count.hints++;
    }

  if (o.format === 'json') {
    io.out(
      JSON.stringify({ version: 1, files: reports.map((r) => ({ path: r.path, kind: r.kind, diagnostics: r.diagnostics })), summary: count }, null, 2) + '\n',
    );
  } else if (o.format === 'sarif') {
    const docsDir = path.resolve(__dirname, '..', 'docs');
    io.out(
      JSON.stringify(
        toSarif(reports, { version: VERSION, locale: o.locale, docUri: (id) => pathToFileURL(path.join(docsDir, ruleDocPath(id))).href }),
        null,
        2,
      ) + '\n',
    );
  } else {
    io.out(formatText(reports, count, io.isTTY && !process.env.NO_COLOR, o.locale));
  }
  for (const n of notes) io.err(`upgrade-lint: ${render(n, o.locale)}\n`);
  const tooManyWarnings = o.maxWarnings !== undefined && count.warnings > o.maxWarnings;
  if (tooManyWarnings && o.format === 'text')
    io.err(`upgrade-lint: ${render(msg('cli.tooManyWarnings', { count: count.warnings, max: o.maxWarnings! }), o.locale)}\n`);
  return count.errors > 0 || tooManyWarnings ? 1 : 0;
}

function formatText(
  reports: FileReport[],
  count: { files: number; errors: number; warnings: number; information: number; hints: number },
  color: boolean,
  locale: Locale,
): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<string, string> = { error: '31', warning: '33', information: '36', hint: '2' };
  const lines: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const where = `${r.path}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      lines.push(`${where}  ${paint(sevColor[d.severity], d.severity)}  ${d.message}  ${paint('2', d.rule)}`);
      for (const rel of d.related ?? [])
        lines.push(paint('2', `    ↳ ${rel.path ?? r.path}:${rel.range.start.line + 1}:${rel.range.start.character + 1}  ${rel.message}`));
    }
  }
  const total = count.errors + count.warnings + count.information + count.hints;
  const n = (count: number, one: CountKey, other: CountKey) => msg(count === 1 ? one : other, { count });
  const summary = render(
    msg('cli.summary', {
      files: n(count.files, 'cli.summary.file', 'cli.summary.files'),
      problems: n(total, 'cli.summary.problem', 'cli.summary.problems'),
      errors: n(count.errors, 'cli.summary.error', 'cli.summary.errors'),
      warnings: n(count.warnings, 'cli.summary.warning', 'cli.summary.warnings'),
      information: count.information,
      hints: n(count.hints, 'cli.summary.hint', 'cli.summary.hints'),
    }),
    locale,
  );
  if (lines.length) lines.push('');
  lines.push(count.errors ? paint('31', summary) : summary);
  return lines.join('\n') + '\n';
}

/** The messages that take exactly a `{count}`: the singular and plural forms of the summary. */
type CountKey = { [K in MessageKey]: MessageArgs[K] extends { count: Arg } ? (keyof MessageArgs[K] extends 'count' ? K : never) : never }[MessageKey];

/** A `/`-separated path as a URI reference: every segment percent-encoded (SARIF `artifactLocation.uri`). */
export const encodeUriPath = (p: string) =>
  p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');

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

export function main(): void {
  // A reader that stops early (`| head`) closes the pipe: the run ends quietly with its own exit code.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  try {
    run(process.argv.slice(2), {
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
      isTTY: !!process.stdout.isTTY,
    }).then(
      (code) => {
        process.exitCode = code;
      },
      (e) => {
        process.stderr.write(`upgrade-lint: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 2;
      },
    );
  } catch (e) {
    process.stderr.write(`upgrade-lint: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) main();

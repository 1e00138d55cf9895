/**
 * `upgrade-lint [options] <file|folder>...` — the CI front end over the engine.
 * Exit codes: 0 no error-severity diagnostic, 1 errors (or too many warnings), 2 usage or internal error.
 * The options are read in args.ts, the files found in collect.ts, the report written in output.ts.
 */
import * as path from 'node:path';
import { preferredEdits, settleExtra, unreadableResult } from '../engine/lint';
import { msg, render, type Message } from '../engine/l10n/index';
import { applyEdits } from '../engine/text';
import type { FileReport } from '../engine/sarif';
import { Roots } from '../node/files';
import { ConfigCache, fixText, lintFileOnDisk } from '../node/host';
import { remoteCheckMeta } from '../node/remote';
import { earlyLocale, parseArgs, UsageError, type CliOptions } from './args';
import { collectFiles, shown } from './collect';
import { encodeUriPath, formatReport } from './output';
import { writeFileAtomic } from './write';
import type { FileKind } from '../engine/types';

declare const PACKAGE_VERSION: string;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

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

  io.out(formatReport(o, reports, count, { version: VERSION, isTTY: io.isTTY }));
  for (const n of notes) io.err(`upgrade-lint: ${render(n, o.locale)}\n`);
  const tooManyWarnings = o.maxWarnings !== undefined && count.warnings > o.maxWarnings;
  if (tooManyWarnings && o.format === 'text')
    io.err(`upgrade-lint: ${render(msg('cli.tooManyWarnings', { count: count.warnings, max: o.maxWarnings! }), o.locale)}\n`);
  return count.errors > 0 || tooManyWarnings ? 1 : 0;
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

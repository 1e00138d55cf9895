/**
 * `upgrade-lint [options] <file|folder>...` — the CI front end over the engine.
 * Exit codes: 0 no error-severity diagnostic, 1 errors (or too many warnings), 2 usage or internal error.
 * The options are read in args.ts, the files found in collect.ts, the report written in output.ts.
 */
import * as path from 'node:path';
import { KINDS } from '../engine/kinds/index';
import { DEFAULT_MAX_FILE_SIZE, kindForPath } from '../engine/lint';
import { msg, render, type Message } from '../engine/l10n/index';
import type { FileReport } from '../engine/sarif';
import { Roots } from '../node/files';
import { ConfigCache } from '../node/host';
import { earlyLocale, parseArgs, UsageError, type CliOptions } from './args';
import { collectFiles, inputRoots, shown, uncheckedReport, type Unchecked } from './collect';
import { effectiveConfig, writeStarter } from './configcmd';
import { lintInParallel, threadCount, workerMain, workerThreads, WORKER_ARG, WORKER_TAG } from './jobs';
import { lintJob, outsideOutcome, type FileOutcome, type LintJob } from './lintfile';
import { encodeUriPath, formatReport, formatText, githubData, writeReport } from './output';
import { readStdin, type StdinStream } from './stdin';
import type { Diagnostic, FileKind } from '../engine/types';
import type { ForeignFormat } from '../engine/kinds/foreign';
import { runbookHtml, runbookInputForText, runbookMarkdown, type RunbookInput } from '../engine/runbook/export';
import { decodeBytes } from '../engine/text';
import { readForLint } from '../node/host';
import { runNew, type NewOptions } from './newcmd';

declare const PACKAGE_VERSION: string;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  /** Whether stderr is a terminal (the report goes there with `- --fix`). */
  errIsTTY?: boolean;
  /** Standard input, asked for only when `-` is linted. */
  stdin?: () => StdinStream;
  /** Bytes to stdout as they are (the text of `- --fix` when nothing could be fixed). */
  outBytes?: (b: Uint8Array) => void;
}

/** Why a file named on the command line was not checked: its content is of another format. */
const FOREIGN_NOTE: Record<ForeignFormat, (path: string) => Message> = {
  'unity-yaml': (p) => msg('cli.foreign.unity-yaml', { path: p }),
  yaml: (p) => msg('cli.foreign.yaml', { path: p }),
  json: (p) => msg('cli.foreign.json', { path: p }),
};

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
  if (o.printConfig !== undefined) {
    const r = effectiveConfig(o, o.printConfig);
    if ('error' in r) {
      io.err(`upgrade-lint: ${render(r.error, o.locale)}\n`);
      return 2;
    }
    io.out(r.json);
    return 0;
  }
  if (o.init) {
    const r = writeStarter(process.cwd(), o.locale);
    if (r.code) io.err(`upgrade-lint: ${render(r.say, o.locale)}\n`);
    else io.out(render(r.say, o.locale) + '\n');
    return r.code;
  }
  if (o.plan) return planNew(o, o.plan, io);
  if (o.inputs[0] === '-') return lintStdin(o, io);
  let files: { path: string; kind: FileKind }[];
  const unreadableDirs: Unchecked[] = [];
  // A glob stands for its base folder in the tree; configurations are read while folders are walked (ignorePatterns).
  const roots = Roots.forCli(inputRoots(o.inputs), o.allowPaths);
  const configs = new ConfigCache(roots, o.locale);
  try {
    files = collectFiles(o.inputs, unreadableDirs, { noIgnore: o.noIgnore, ignorePatterns: o.ignorePatterns, configs, roots });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`upgrade-lint: ${render(e.why, o.locale)}\n`);
      return 2;
    }
    throw e;
  }

  const reports: FileReport[] = [];
  const notes: Message[] = [];
  const manifests: RunbookSource[] = [];
  let foreign = 0;
  for (const d of unreadableDirs) reports.push(uncheckedReport(d, { locale: o.locale, rules: o.rules }));
  // Files linked from outside the tree are reported unread; the others are linted, on every core when there are
  // many. Each file's configuration is loaded here first, in input order, so that the configuration problems
  // reported are the same whichever thread linted the file.
  const outcomes: FileOutcome[] = new Array(files.length);
  const toLint: LintJob[] = [];
  const at: number[] = [];
  files.forEach((f, i) => {
    const abs = path.resolve(f.path);
    if (roots.where(abs) === 'outside') outcomes[i] = outsideOutcome(f, o.locale);
    else {
      configs.forFile(abs);
      toLint.push(f);
      at.push(i);
    }
  });
  // --jobs n: n threads from the start; by default, workers join only a run that proves long (jobs.ts).
  const linted = await lintInParallel(
    toLint,
    threadCount(o.jobs, toLint.length),
    { o, configs, roots },
    __filename,
    {
      [WORKER_TAG]: true,
      o: { fix: o.fix, remoteChecks: o.remoteChecks, rules: o.rules, locale: o.locale },
      inputs: inputRoots(o.inputs),
      allowPaths: o.allowPaths,
    },
    { eager: o.jobs !== undefined },
  );
  linted.forEach((r, k) => (outcomes[at[k]] = r));
  files.forEach((f, i) => {
    const r = outcomes[i];
    if (r.foreign) {
      // Another format under the kind's name (a Unity `.meta`): not checked, not counted, not listed; a file named on
      // the command line says why it was not checked.
      foreign++;
      if (o.inputs.some((x) => path.resolve(x) === path.resolve(f.path))) notes.push(FOREIGN_NOTE[r.foreign](shown(f.path)));
    }
    notes.push(...r.notes);
    if (r.report) reports.push(r.report);
    // --runbook: the manifests' runbooks replace the report; other files are linted (for the exit code) only.
    if (o.runbook && r.report && !r.foreign) {
      if (f.kind === 'upgrade-manifest') manifests.push({ abs: path.resolve(f.path), shown: r.report.path, diagnostics: r.report.diagnostics });
      else if (o.inputs.some((x) => path.resolve(x) === path.resolve(f.path))) notes.push(msg('cli.runbook.skipped', { path: shown(f.path) }));
    }
  });
  const runbook = o.runbook ? () => runbookDocument(o, manifests, configs, notes) : undefined;
  return finish(o, io, reports, notes, files.length - foreign, configs, runbook);
}

/** `-`: the text on standard input, linted as the file that --stdin-filename names (which need not exist). */
async function lintStdin(o: CliOptions, io: Io): Promise<number> {
  const name = o.stdinFilename;
  const kind = name === undefined ? undefined : kindForPath(name);
  if (name === undefined || !kind) {
    const why =
      name === undefined
        ? msg('cli.error.stdinNoFilename')
        : msg('cli.error.notChecked', { path: name, patterns: KINDS.flatMap((x) => x.patterns).join(', ') });
    io.err(`upgrade-lint: ${render(why, o.locale)}\n`);
    return 2;
  }
  const stream = (io.stdin ?? (() => process.stdin))();
  // Nothing piped in: say what is awaited rather than seem to hang.
  if (stream.isTTY) io.err(`upgrade-lint: ${render(msg('cli.stdinHint', { path: shown(name) }), o.locale)}\n`);
  let input: Awaited<ReturnType<typeof readStdin>>;
  try {
    input = await readStdin(stream, DEFAULT_MAX_FILE_SIZE);
  } catch (e) {
    io.err(`upgrade-lint: ${render(msg('cli.error.stdinRead', { code: (e as NodeJS.ErrnoException).code ?? String(e) }), o.locale)}\n`);
    return 2;
  }
  // The kind, the configuration and the files the text refers to come from the name, as for a file on disk.
  const roots = Roots.forCli([name], o.allowPaths);
  const configs = new ConfigCache(roots, o.locale);
  const r = await lintJob({ path: name, kind }, { o, configs, roots }, input);
  // --runbook (never with --fix here: args.ts): the text read is the manifest.
  const given = o.runbook && !input.truncated ? decodeBytes(input.bytes).text : undefined;
  if (o.fix) {
    // stdout carries the text alone (fixed, or as it came when nothing was fixed); the report goes to stderr.
    if (r.fixed !== undefined) io.out(r.fixed);
    else await input.passOn(io.outBytes ?? ((b) => io.out(Buffer.from(b).toString('utf8'))));
    io = { ...io, out: io.err, isTTY: !!io.errIsTTY };
  } else input.drop();
  const notes = r.foreign ? [FOREIGN_NOTE[r.foreign](shown(name)), ...r.notes] : r.notes;
  let runbook: (() => Runbook | undefined) | undefined;
  if (o.runbook) {
    const sources: RunbookSource[] = [];
    if (r.report && !r.foreign && kind === 'upgrade-manifest')
      sources.push({ abs: path.resolve(name), shown: r.report.path, diagnostics: r.report.diagnostics, text: given ?? '' });
    else if (r.report && !r.foreign) notes.push(msg('cli.runbook.skipped', { path: shown(name) }));
    runbook = () => runbookDocument(o, sources, configs, notes);
  }
  return finish(o, io, r.report ? [r.report] : [], notes, r.foreign ? 0 : 1, configs, runbook);
}

/** A manifest linted with --runbook: where it is, its name in the report, its problems (and its text, from stdin). */
interface RunbookSource {
  abs: string;
  shown: string;
  diagnostics: Diagnostic[];
  text?: string;
}

/**
 * `--runbook`: one document with a section per manifest, in the order linted (read again after --fix: the runbook
 * is of the text as it now is). A manifest that cannot be read as YAML gets a section with its problems and no
 * steps. Undefined when no manifest was linted.
 */
function runbookDocument(o: CliOptions, sources: RunbookSource[], configs: ConfigCache, notes: Message[]): Runbook | undefined {
  if (!sources.length) return undefined;
  const inputs = sources.map((src): RunbookInput => {
    let text = src.text;
    if (text === undefined) {
      const read = readForLint(src.abs, DEFAULT_MAX_FILE_SIZE);
      text = 'reason' in read || read.truncated || read.binary ? '' : read.text;
    }
    const defaultDurations = configs.forFile(src.abs).config.defaultDurations;
    const options = { locale: o.locale, ...(defaultDurations ? { defaultDurations } : {}) };
    const input = runbookInputForText(text, src.diagnostics, options, src.shown, src.abs);
    if (input) return input;
    notes.push(msg('cli.runbook.unreadable', { path: src.shown }));
    return { schedule: { steps: [], nodes: [], total: 0 }, marks: [], diagnostics: src.diagnostics, locale: o.locale, path: src.shown };
  });
  return { text: o.runbook === 'md' ? runbookMarkdown(inputs) : runbookHtml(inputs), paths: new Set(sources.map((x) => x.shown)) };
}

/** The document `--runbook` writes, and the reports (by path) whose problems it lists. */
interface Runbook {
  text: string;
  paths: Set<string>;
}

/**
 * Reports the configuration files' problems, prints the report (or with --runbook the runbook, `runbook`) and the
 * notes; returns the exit code.
 */
function finish(
  o: CliOptions,
  io: Io,
  reports: FileReport[],
  notes: Message[],
  checked: number,
  configs: ConfigCache,
  runbook?: () => Runbook | undefined,
): number {
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

  const count = { files: checked, errors: 0, warnings: 0, information: 0, hints: 0 };
  for (const r of reports)
    for (const d of r.diagnostics) {
      if (d.severity === 'error') count.errors++;
      else if (d.severity === 'warning') count.warnings++;
      else if (d.severity === 'information') count.information++;
      else count.hints++;
    }

  // The report goes to stdout, or whole to the -o file (uncolored then unless --color: a file is no terminal).
  let report: string;
  try {
    const document = runbook?.();
    if (runbook && document === undefined) {
      for (const n of notes) io.err(`upgrade-lint: ${render(n, o.locale)}\n`);
      io.err(`upgrade-lint: ${render(msg('cli.runbook.none'), o.locale)}\n`);
      return 2;
    }
    // The problems no runbook lists (configuration files, files of other kinds) go to stderr as a text report.
    const elsewhere = document ? reports.filter((r) => r.diagnostics.length && !document.paths.has(r.path)) : [];
    if (elsewhere.length) io.err(formatText(elsewhere, count, o.color ?? (!!io.errIsTTY && !process.env.NO_COLOR), o.locale));
    report = document?.text ?? formatReport(o, reports, count, { version: VERSION, isTTY: io.isTTY && o.outputFile === undefined });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`upgrade-lint: ${render(e.why, o.locale)}\n`);
      return 2;
    }
    throw e;
  }
  const notWritten = o.outputFile === undefined ? void io.out(report) : writeReport(o.outputFile, report);
  for (const n of notes) io.err(`upgrade-lint: ${render(n, o.locale)}\n`);
  if (notWritten) {
    io.err(`upgrade-lint: ${render(notWritten, o.locale)}\n`);
    return 2;
  }
  // Warnings count for --max-warnings even when --quiet leaves them out of the report (as in ESLint).
  const tooManyWarnings = o.maxWarnings !== undefined && count.warnings > o.maxWarnings;
  if (tooManyWarnings && (o.format === 'text' || o.format === 'github')) {
    const why = render(msg('cli.tooManyWarnings', { count: count.warnings, max: o.maxWarnings! }), o.locale);
    io.err(o.format === 'github' ? `::error title=upgrade-lint::${githubData(why)}\n` : `upgrade-lint: ${why}\n`);
  }
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
      errIsTTY: !!process.stderr.isTTY,
      stdin: () => process.stdin,
      outBytes: (b) => process.stdout.write(b),
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

// Started as one of the workers of a parallel run (jobs.ts), or as the command.
const isWorker = () =>
  process.argv.includes(WORKER_ARG) && !workerThreads().isMainThread && !!(workerThreads().workerData as Record<string, unknown> | null)?.[WORKER_TAG];
if (isWorker()) workerMain();
else if (require.main === module) main();

/** `--new`: the planner's manifest to stdout or `-o`; what is wrong with the inputs to stderr (exit 1 or 2). */
function planNew(o: CliOptions, n: NewOptions, io: Io): number {
  let r: ReturnType<typeof runNew>;
  try {
    r = runNew(n, o.locale);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`upgrade-lint: ${render(e.why, o.locale)}\n`);
      return 2;
    }
    throw e;
  }
  for (const m of r.say) io.err(`upgrade-lint: ${render(m, o.locale)}\n`);
  if (r.text === undefined) return r.code;
  if (o.outputFile) {
    const why = writeReport(o.outputFile, r.text);
    if (why) {
      io.err(`upgrade-lint: ${render(why, o.locale)}\n`);
      return 2;
    }
  } else io.out(r.text);
  return r.code;
}

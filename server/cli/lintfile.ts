/**
 * One file of a CLI run: linted, fixed with --fix, checked remotely with --remote-checks. The same code runs on
 * the main thread and in the workers of a parallel run (jobs.ts), so the report cannot depend on where a file
 * was linted. Standard input (`-`) goes through here too, with the text it read and no file to write.
 */
import * as path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, lint, preferredEdits, settleExtra, unreadableResult } from '../engine/lint';
import { msg, type Message } from '../engine/l10n/index';
import type { ForeignFormat } from '../engine/kinds/foreign';
import { applyEdits, decodeBytes } from '../engine/text';
import type { FileReport } from '../engine/sarif';
import type { FileKind, Locale, SeveritySetting } from '../engine/types';
import { confinedFs, Roots } from '../node/files';
import { ConfigCache, fixText, lintFileOnDisk, optionsFromConfig, type ReadFile } from '../node/host';
import { remoteCheckMeta } from '../node/remote';
import { shown } from './collect';
import { encodeUriPath } from './output';
import { writeFileAtomic } from './write';

/** A file to lint: its path as found or named (relative to the working folder, or absolute) and its kind. */
export interface LintJob {
  path: string;
  kind: FileKind;
}

/** What linting one file gives: plain data (it crosses from a worker to the main thread). */
export interface FileOutcome {
  /** Absent when the text is of another format under the kind's name (`foreign`): nothing is reported then. */
  report?: FileReport;
  foreign?: ForeignFormat;
  /** Said on stderr after the report (files that could not be fixed). */
  notes: Message[];
  /** Standard input with --fix: the text after the fixes; undefined when it is to be passed on unchanged. */
  fixed?: string;
}

/** The options of a run that linting a file depends on. */
export interface LintSettings {
  fix: boolean;
  remoteChecks: boolean;
  rules: Record<string, SeveritySetting>;
  locale: Locale;
}

export interface LintContext {
  o: LintSettings;
  configs: ConfigCache;
  roots: Roots;
}

/** The report's path and URI of a file: as found or named, and relative to the working folder. */
function where(f: LintJob, abs: string) {
  return { path: shown(f.path), uri: encodeUriPath(shown(path.relative(process.cwd(), abs)) || shown(f.path)) };
}

/** A link (often committed to a repository) from inside the tree to a file outside it: never read. */
export function outsideOutcome(f: LintJob, locale: Locale): FileOutcome {
  const abs = path.resolve(f.path);
  return { report: { ...where(f, abs), kind: f.kind, diagnostics: unreadableResult(f.kind, { reason: 'outside' }, { locale }).diagnostics }, notes: [] };
}

/** Bytes read from standard input, at most the size limit (`truncated`: there was more). */
export interface StdinText {
  bytes: Buffer;
  size: number;
  truncated: boolean;
}

/** `lintFileOnDisk` for a text that is not read from the file its name says (standard input). */
function lintGiven(abs: string, kind: FileKind, ctx: LintContext, input: StdinText) {
  const read: ReadFile = { ...decodeBytes(input.truncated ? input.bytes.subarray(0, 4096) : input.bytes), size: input.size, truncated: input.truncated };
  const options = {
    ...optionsFromConfig(ctx.configs.forFile(abs), abs, confinedFs(ctx.roots), ctx.o.rules),
    locale: ctx.o.locale,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
  };
  const lintText = (text: string, size = read.size) => lint({ text, kind, path: abs, invalidUtf8: read.invalidUtf8, binary: read.binary, size }, options);
  return { read, options, result: lintText(read.text), lintText };
}

/**
 * Lints one file (not outside the tree: the caller checks). With `stdin`, the text is that, and fixes are
 * returned in `fixed` instead of written.
 */
export async function lintJob(f: LintJob, ctx: LintContext, stdin?: StdinText): Promise<FileOutcome> {
  const { o, configs, roots } = ctx;
  const abs = path.resolve(f.path);
  const notes: Message[] = [];
  const {
    read,
    options,
    result: first,
    lintText,
  } = stdin ? lintGiven(abs, f.kind, ctx, stdin) : lintFileOnDisk(abs, f.kind, configs, { rules: o.rules, locale: o.locale, roots });
  // Another format under the kind's name (a Unity `.meta`): not checked, not counted, not listed.
  if (first.foreign) return { foreign: first.foreign, notes };
  let result = first;
  let text = read.text; // the file's text as it now is (on disk, or after the fixes for standard input)
  let changed = false;
  const write = (t: string): boolean => {
    if (stdin) return (changed = true);
    const why = writeFileAtomic(abs, (read.bom ? '\uFEFF' : '') + t);
    if (why) notes.push(msg('cli.notFixed', { path: shown(f.path), why }));
    return !why;
  };
  const fixable = !read.unreadable && !read.truncated && !read.binary;
  if (o.fix && fixable && preferredEdits(result.diagnostics).length) {
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
  if (o.remoteChecks && f.kind === 'acns-meta' && fixable) {
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
  const outcome: FileOutcome = { report: { ...where(f, abs), kind: f.kind, diagnostics }, notes };
  // Standard input: the text after the fixes (with its byte order mark), or, when nothing changed or nothing could
  // be fixed safely (not UTF-8, binary, too large), the bytes as they came.
  if (stdin && changed && fixable && !read.invalidUtf8) outcome.fixed = (read.bom ? '\uFEFF' : '') + text;
  return outcome;
}

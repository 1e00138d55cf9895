/**
 * The engine's entry point: text in, diagnostics with fixes out. Parse → schema → cross-rules →
 * suppression comments → severities → limits. No editor or LSP imports: the language server and the
 * CLI both call `lint`, so editor and CI cannot disagree.
 */
import { Collector, familyWildcard, severityFor } from './collector';
import { kindModule } from './kinds/index';
import { msg, render } from './l10n/index';
import type { Comment } from './parse/kv';
import { firstLineRange, LineIndex } from './text';
import { drain, inSlices } from './util';
import type { Diagnostic, FileKind, LintOptions, LintResult, Severity, SeveritySetting } from './types';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_DIAGNOSTICS = 1000;

export { kindForPath } from './kinds/index';
export { severityFor } from './collector';

export interface LintInput {
  text: string;
  kind: FileKind;
  /** Absolute path, when the file is on disk (used for relative lookups and messages). */
  path?: string;
  /** Set when the bytes were not valid UTF-8 (the text then holds U+FFFD replacement characters). */
  invalidUtf8?: boolean;
  /** Set when the content is binary. */
  binary?: boolean;
  /** Size of the file in bytes, when known (a file over the limit may be passed with only its head as text). */
  size?: number;
}

export function lint(input: LintInput, opts: LintOptions = {}): LintResult {
  return drain(lintSteps(input, opts));
}

/**
 * `lint` for callers that must stay responsive (the language server): every `sliceMs` of work, `pause` is
 * awaited so that other requests can be answered; when it resolves to false (the text is outdated) the work
 * stops and undefined is returned. `busyMs` is the time spent linting, pauses left out.
 */
export async function lintAsync(
  input: LintInput,
  opts: LintOptions,
  pause: () => Promise<boolean>,
  sliceMs = 8,
): Promise<{ result: LintResult; busyMs: number } | undefined> {
  const done = await inSlices(lintSteps(input, opts), pause, sliceMs);
  return done && { result: done.value, busyMs: done.busyMs };
}

function* lintSteps(input: LintInput, opts: LintOptions): Generator<void, LintResult> {
  // A file of another format under the kind's file names (a Unity `.meta`): not ours, so nothing is said about it.
  const foreign = kindModule(input.kind).foreign?.(input.text);
  if (foreign) return { kind: input.kind, diagnostics: [], foreign };
  const locale = opts.locale ?? 'en';
  const c = new Collector(locale);
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const finish = () => ({ kind: input.kind, diagnostics: applySettings(c.out, opts, c.hidden) });

  const size = input.size ?? input.text.length;
  if (size > maxSize) {
    const head = new LineIndex(input.text.slice(0, 4096));
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    c.add('file/too-large', {
      range: firstLineRange(head),
      message: msg('file/too-large.message', { size: mb(size), max: mb(maxSize) }),
    });
    return finish();
  }
  const index0 = () => new LineIndex(input.text);
  if (input.binary) {
    c.add('file/binary', {
      range: firstLineRange(index0()),
      message: msg('file/binary.message'),
    });
    return finish();
  }

  const kind = kindModule(input.kind);
  const comments = kind.lintSteps ? yield* kind.lintSteps(input, opts, c, lint) : kind.lint(input, opts, c, lint);
  if (input.invalidUtf8) {
    const idx = index0();
    const bad = input.text.indexOf('\uFFFD');
    const line = idx.positionAt(Math.max(0, bad)).line;
    c.add('file/encoding', {
      range: idx.range(idx.lineStarts[line], idx.lineEnd(line)),
      message: msg('file/encoding.message'),
    });
  }
  c.out.splice(0, c.out.length, ...suppress(c.out, comments));
  return finish();
}

export { closest } from './util';

const DISABLE_RE = /^\s*upgrade-lint-disable-next-line\b(.*)$/;

/** `# upgrade-lint-disable-next-line rule-a, rule-b` silences those rules (all rules when none is named) on the next line. */
export function suppress(diags: Diagnostic[], comments: Comment[]): Diagnostic[] {
  if (!comments.length) return diags;
  const byLine = new Map<number, Set<string> | 'all'>();
  for (const cm of comments) {
    const m = DISABLE_RE.exec(cm.text);
    if (!m) continue;
    const ids = m[1].split(/[\s,]+/).filter(Boolean);
    byLine.set(cm.line + 1, ids.length ? new Set(ids) : 'all');
  }
  if (!byLine.size) return diags;
  return diags.filter((d) => {
    if (d.rule.startsWith('file/') || d.rule.startsWith('config/')) return true;
    const s = byLine.get(d.range.start.line);
    if (!s) return true;
    if (s === 'all') return false;
    return !(s.has(d.rule) || s.has(familyWildcard(d.rule)));
  });
}

/**
 * Applies suppression comments and severity settings to diagnostics found outside `lint` (remote checks),
 * exactly as `lint` does for its own.
 */
export function settleExtra(diags: Diagnostic[], text: string, kind: FileKind, rules: Record<string, SeveritySetting> = {}): Diagnostic[] {
  return suppress(diags, kindModule(kind).comments(text)).flatMap((d) => {
    const s = severityFor(d.rule, rules);
    return s === 'off' ? [] : [s ? { ...d, severity: s } : d];
  });
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function applySettings(diags: Diagnostic[], opts: LintOptions, hidden = 0): Diagnostic[] {
  const rules = opts.rules ?? {};
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const s = severityFor(d.rule, rules);
    if (s === 'off') continue;
    out.push(s ? { ...d, severity: s } : d);
  }
  out.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity] ||
      a.rule.localeCompare(b.rule),
  );
  const max = Math.max(0, Math.floor(opts.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS)) || 0;
  if (out.length + hidden > max) {
    const left = out.length + hidden - max;
    const kept = out.slice(0, max);
    const last = kept[kept.length - 1] ?? out[0];
    kept.push({
      rule: 'file/too-many-problems',
      severity: 'information',
      range: last.range,
      fixes: [],
      message: render(msg('file/too-many-problems.message', { left, max }), opts.locale ?? 'en'),
    });
    return kept;
  }
  return out;
}

/**
 * Compiles every schema and runs each code path once on tiny inputs, so that the first real document a
 * server validates does not pay for schema compilation.
 */
export function warmUp(): void {
  lint({ text: 'updateFileSize=1\nversion=5.1.3\nupdateFileUrl=ftp://h/ACNS-5.1.3-K9.bin\n', kind: 'acns-meta' });
  lint({ text: 'dfc.webport=80\n', kind: 'cupm-properties' });
  lint({
    text: 'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes: [{name: a, role: content-engine}]\nsteps: [{id: s, action: upgrade, node: a}]\n',
    kind: 'upgrade-manifest',
  });
}

/**
 * The result for a file that could not be read at all (permission denied, not a regular file, vanished): one
 * `file/unreadable` error, so the run goes on and its exit code says that a file was not checked.
 */
export function unreadableResult(kind: FileKind, why: { reason: string; code?: string }, opts: LintOptions = {}): LintResult {
  const c = new Collector(opts.locale ?? 'en');
  const what =
    why.reason === 'not-regular'
      ? msg('file/unreadable.notRegular')
      : why.reason === 'denied'
        ? msg('file/unreadable.denied')
        : why.reason === 'missing'
          ? msg('file/unreadable.missing')
          : why.reason === 'outside'
            ? msg('file/unreadable.outside')
            : why.code
              ? why.code
              : msg('file/unreadable.error');
  c.add('file/unreadable', {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: msg('file/unreadable.message', { why: what }),
  });
  return { kind, diagnostics: applySettings(c.out, opts) };
}

/** The edits of every preferred fix, for `--fix` and "fix all" (overlapping ones are dropped when applied). */
export function preferredEdits(diags: Diagnostic[]) {
  return diags.flatMap((d) => d.fixes.filter((f) => f.preferred).flatMap((f) => f.edits));
}

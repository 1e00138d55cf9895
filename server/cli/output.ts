/**
 * How a CLI run's reports are printed: text for people, JSON and SARIF for tools, GitHub workflow commands
 * (annotations) and JUnit XML for CI systems; and the report file `-o` writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { msg, render, type Arg, type Message, type MessageArgs, type MessageKey } from '../engine/l10n/index';
import { toSarif, type FileReport } from '../engine/sarif';
import type { Diagnostic, Locale } from '../engine/types';
import { UsageError, type CliOptions } from './args';
import { writeFileAtomic } from './write';

export interface Counts {
  files: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
}

/**
 * The whole report in the format asked for (`--format`). With `--quiet` only errors are in it (and in its
 * summary); the caller still counts every warning for `--max-warnings`, as ESLint does.
 */
export function formatReport(o: CliOptions, reports: FileReport[], count: Counts, env: { version: string; isTTY: boolean }): string {
  const docs = docsBase(o.docsUrl); // checked whatever the format: a wrong --docs-url is a usage error
  if (o.quiet) {
    reports = reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') }));
    count = { ...count, warnings: 0, information: 0, hints: 0 };
  }
  switch (o.format) {
    case 'json':
      return (
        JSON.stringify({ version: 1, files: reports.map((r) => ({ path: r.path, kind: r.kind, diagnostics: r.diagnostics })), summary: count }, null, 2) + '\n'
      );
    case 'sarif':
      return JSON.stringify(toSarif(reports, { version: env.version, locale: o.locale, docsBase: docs }), null, 2) + '\n';
    case 'github':
      return formatGithub(reports);
    case 'junit':
      return formatJunit(reports);
    default:
      return formatText(reports, count, o.color ?? (env.isTTY && !process.env.NO_COLOR), o.locale);
  }
}

/**
 * The base address rule pages are linked from: `--docs-url`, else `upgradeLint.docsUrl` in the package.json of
 * upgrade-lint itself (how a fork that publishes its docs sets it); undefined when neither is set — then no
 * report links anywhere. Always ends in `/`. A `--docs-url` that is no http(s) address is a usage error.
 */
export function docsBase(flag: string | undefined): string | undefined {
  const v = flag ?? packageDocsUrl();
  if (v === undefined) return undefined;
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || !u.host) {
    if (flag !== undefined) throw new UsageError(msg('cli.error.docsUrl', { value: flag }));
    return undefined;
  }
  // Only the address goes into reports: never a user name or password written into it.
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return u.href.endsWith('/') ? u.href : u.href + '/';
}

let pkgDocsUrl: { value: string | undefined } | undefined;
/** `upgradeLint.docsUrl` from upgrade-lint's own package.json (the nearest one named upgrade-lint above this file). */
function packageDocsUrl(): string | undefined {
  if (pkgDocsUrl) return pkgDocsUrl.value;
  pkgDocsUrl = { value: undefined };
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; upgradeLint?: { docsUrl?: unknown } };
      if (pkg.name !== 'upgrade-lint') continue;
      if (typeof pkg.upgradeLint?.docsUrl === 'string' && pkg.upgradeLint.docsUrl) pkgDocsUrl.value = pkg.upgradeLint.docsUrl;
      break;
    } catch {
      /* no package.json here: look one folder up */
    }
  }
  return pkgDocsUrl.value;
}

/**
 * Control characters (and bidirectional overrides) of hostile text made visible, so that a file name or a value
 * quoted in a message can neither move the terminal's cursor, retitle it or recolor the report, nor break a
 * diagnostic over two lines (a problem matcher reads one line per diagnostic).
 */
export const visible = (s: string) =>
  s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\t' ? c : c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

export function formatText(reports: FileReport[], count: Counts, color: boolean, locale: Locale): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<string, string> = { error: '31', warning: '33', information: '36', hint: '2' };
  const lines: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const where = `${visible(r.path)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      lines.push(`${where}  ${paint(sevColor[d.severity], d.severity)}  ${visible(d.message)}  ${paint('2', d.rule)}`);
      for (const rel of d.related ?? [])
        lines.push(paint('2', `    ↳ ${visible(rel.path ?? r.path)}:${rel.range.start.line + 1}:${rel.range.start.character + 1}  ${visible(rel.message)}`));
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

/** A workflow command's message (`::error …::<message>`), escaped as the runner unescapes it. */
export const githubData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A workflow command's property value (`file=<value>,…`): as a message, and `:` and `,` too. */
export const githubProperty = (s: string) => githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const GITHUB_COMMAND: Record<Diagnostic['severity'], string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/**
 * `--format github`: one workflow command per diagnostic, which GitHub Actions turns into an annotation on the
 * file and line: `::error file=<path>,line=…,col=…,endLine=…,endColumn=…,title=<rule>::<message>` (information and
 * hints are `::notice`). Nothing else is printed — the annotations are the report, as with actionlint.
 * Related places follow the message on lines of their own. A folder that cannot be read has no file or line.
 */
export function formatGithub(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const props: [string, string | number][] =
        r.kind === 'folder'
          ? []
          : [
              ['file', r.path],
              ['line', d.range.start.line + 1],
              ['col', d.range.start.character + 1],
              ['endLine', d.range.end.line + 1],
              ['endColumn', d.range.end.character + 1],
            ];
      props.push(['title', d.rule]);
      const message = [
        visible(d.message),
        ...(d.related ?? []).map(
          (rel) => `↳ ${visible(rel.path ?? r.path)}:${rel.range.start.line + 1}:${rel.range.start.character + 1}  ${visible(rel.message)}`,
        ),
      ].join('\n');
      lines.push(`::${GITHUB_COMMAND[d.severity]} ${props.map(([k, v]) => `${k}=${githubProperty(visible(String(v)))}`).join(',')}::${githubData(message)}`);
    }
  }
  return lines.map((l) => l + '\n').join('');
}

/**
 * Text as XML 1.0 character data (or, with `attr`, an attribute value: line ends and tabs kept as references, which
 * attribute normalization would turn into spaces): escaped, and the characters XML cannot hold at all replaced.
 */
export const xml = (s: string, attr = false) => {
  const t = s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
  return attr ? t.replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : t;
};

/**
 * `--format junit`: JUnit XML as Jenkins, GitLab and Azure DevOps read it. One `<testsuite>` per file (named by its
 * path); in it one `<testcase>` per rule that reported in the file, failed (`<failure type="error|warning">`) when
 * the rule found an error or a warning there, passed with the findings in `<system-out>` when it found only
 * information or hints; a file no rule reported on is one passed `<testcase>` named after the file. A failure's
 * `message` is the rule's first finding, its text every finding, one per line as in the text report.
 */
export function formatJunit(reports: FileReport[]): string {
  const line = (r: FileReport, d: Diagnostic) =>
    [
      `${visible(r.path)}:${d.range.start.line + 1}:${d.range.start.character + 1}  ${d.severity}  ${visible(d.message)}  ${d.rule}`,
      ...(d.related ?? []).map(
        (rel) => `    ↳ ${visible(rel.path ?? r.path)}:${rel.range.start.line + 1}:${rel.range.start.character + 1}  ${visible(rel.message)}`,
      ),
    ].join('\n');
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const r of reports) {
    const byRule = new Map<string, Diagnostic[]>();
    for (const d of r.diagnostics) byRule.set(d.rule, [...(byRule.get(d.rule) ?? []), d]);
    const cases: string[] = [];
    let failed = 0;
    for (const [rule, ds] of byRule) {
      const open = `    <testcase name="${xml(rule, true)}" classname="${xml(visible(r.path), true)}" time="0"`;
      const bad = ds.filter((d) => d.severity === 'error' || d.severity === 'warning');
      const body = ds.map((d) => line(r, d)).join('\n');
      if (bad.length) {
        failed++;
        const type = bad.some((d) => d.severity === 'error') ? 'error' : 'warning';
        cases.push(`${open}>\n      <failure type="${type}" message="${xml(visible(bad[0].message), true)}">${xml(body)}</failure>\n    </testcase>`);
      } else cases.push(`${open}>\n      <system-out>${xml(body)}</system-out>\n    </testcase>`);
    }
    if (!cases.length) cases.push(`    <testcase name="${xml(visible(r.path), true)}" classname="${xml(visible(r.path), true)}" time="0"/>`);
    tests += cases.length;
    failures += failed;
    suites.push(
      `  <testsuite name="${xml(visible(r.path), true)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0" time="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="upgrade-lint" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * Writes the report to `-o <file>` whole or not at all: to a new file beside it, then renamed over it (an existing
 * file keeps its permissions; missing parent folders are created, as ESLint does). Returns why it was not written.
 */
export function writeReport(file: string, text: string): Message | undefined {
  const abs = path.resolve(file);
  const failed = (why: Message) => msg('cli.outputFile', { path: file, why });
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    st = undefined;
  }
  if (st) {
    const why = writeFileAtomic(abs, text);
    return why && failed(why);
  }
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const fd = fs.openSync(tmp, 'wx', 0o666);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, abs);
    return undefined;
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    const code = (e as NodeJS.ErrnoException).code;
    return failed(msg('cli.notFixed.cannotWrite', { code: code ?? 'error' }));
  }
}

/** A `/`-separated path as a URI reference: every segment percent-encoded (SARIF `artifactLocation.uri`). */
export const encodeUriPath = (p: string) =>
  p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');

/** How a CLI run's reports are printed: text for people, JSON and SARIF for tools. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocPath } from '../engine/docs';
import { msg, render, type Arg, type MessageArgs, type MessageKey } from '../engine/l10n/index';
import { toSarif, type FileReport } from '../engine/sarif';
import type { Locale } from '../engine/types';
import type { CliOptions } from './args';

export interface Counts {
  files: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
}

/** The whole report in the format asked for (`--format`). */
export function formatReport(o: CliOptions, reports: FileReport[], count: Counts, env: { version: string; isTTY: boolean }): string {
  switch (o.format) {
    case 'json':
      return (
        JSON.stringify({ version: 1, files: reports.map((r) => ({ path: r.path, kind: r.kind, diagnostics: r.diagnostics })), summary: count }, null, 2) + '\n'
      );
    case 'sarif': {
      const docsDir = path.resolve(__dirname, '..', 'docs');
      return (
        JSON.stringify(
          toSarif(reports, { version: env.version, locale: o.locale, docUri: (id) => pathToFileURL(path.join(docsDir, ruleDocPath(id))).href }),
          null,
          2,
        ) + '\n'
      );
    }
    default:
      return formatText(reports, count, o.color ?? (env.isTTY && !process.env.NO_COLOR), o.locale);
  }
}

export function formatText(reports: FileReport[], count: Counts, color: boolean, locale: Locale): string {
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

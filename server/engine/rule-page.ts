/**
 * A rule's documentation page (Markdown): what docs/rules/<family>/<name>.md holds (scripts/docgen.ts writes those)
 * and what SARIF carries as each rule's `help` — one function, so the two never differ.
 */
import { LOCALES, msg, render, type Message } from './l10n/index';
import type { RuleMeta } from './rule';
import { describeSource } from './services/common';
import type { Locale } from './types';

const FENCE: Record<string, string> = { 'cupm-properties': 'properties', 'upgrade-manifest': 'yaml' };
const fence = (kind: string, text: string) => ['```' + (FENCE[kind] ?? 'ini'), text.trimEnd(), '```'].join('\n');

/**
 * The page: a section per locale (the first without a heading), every sentence from the catalogs. `rowLink` turns
 * a guide-coverage row id into a link (docs/rules pages: `../../guide-coverage.md#<row>`); without it the row ids
 * are plain text (a page read where relative links lead nowhere).
 */
export function rulePage(r: RuleMeta, locales: readonly Locale[] = LOCALES, rowLink?: (row: string) => string): string {
  const out: string[] = [`# ${r.id}`, ''];
  for (const [i, lang] of locales.entries()) {
    const t = (m: Message) => render(m, lang);
    const d = r.docs[lang];
    if (i > 0) out.push('---', '', `## ${t(msg('docs.language'))}`, '');
    out.push(`**${d.summary}**`, '');
    out.push(
      `| | |`,
      `|---|---|`,
      `| ${t(msg('docs.severity'))} | ${t(msg(`docs.severity.${r.severity}`))} |`,
      `| ${t(msg('docs.fix'))} | ${t(r.fix === 'preferred' ? msg('docs.fix.preferred') : r.fix === 'suggestion' ? msg('docs.fix.suggestion') : msg('docs.fix.none'))} |`,
      `| ${t(msg('docs.appliesTo'))} | ${t(msg(`docs.kind.${r.kind}`))} |`,
      `| ${t(msg('docs.source'))} | ${describeSource(r.source, lang, rowLink)} |`,
      '',
    );
    out.push(`### ${t(msg('docs.why'))}`, '', d.details, '');
    if (d.bad) out.push(`### ${t(msg('docs.fails'))}`, '', fence(r.kind, d.bad), '');
    if (d.good) out.push(`### ${t(msg('docs.passes'))}`, '', fence(r.kind, d.good), '');
    out.push(`### ${t(msg('docs.turnOff'))}`, '', t(msg('docs.turnOff.how', { id: r.id })), '');
  }
  return out.join('\n');
}

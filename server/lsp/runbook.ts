/**
 * The runbook preview's request (RUNBOOK): an open manifest's schedule drawn as the engine's SVG timeline (theme
 * 'vscode'), its problems marked on their steps, and where each step is in the text. The picture is the engine's
 * (server/engine/runbook/); this only finds the document, its options and its problems, within the usual bounds.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import { LOCALES } from '../engine/l10n/index';
import { lint } from '../engine/lint';
import { markDiagnostics } from '../engine/runbook/marks';
import { fitsWindow, scheduleForText } from '../engine/runbook/schedule';
import { timelineSvg } from '../engine/runbook/svg';
import type { Locale } from '../engine/types';
import { RUNBOOK, type RunbookParams, type RunbookResult } from '../protocol/index';
import { isBinary, uriPath, type Session } from './session';
import { cancelledError } from './workspace';

/** `ja`, `ja-JP`, `JA` → `ja`; anything else (or nothing) → undefined. */
export function requestedLocale(locale: unknown): Locale | undefined {
  if (typeof locale !== 'string') return undefined;
  const l = locale.toLowerCase();
  return LOCALES.find((x) => l === x || l.startsWith(x + '-'));
}

export function registerRunbook(s: Session): void {
  const { connection, documents, guard, kindOf, lintOptions, resultFor, tooBig } = s;
  connection.onRequest(
    RUNBOOK,
    guard('runbook', null, (p: RunbookParams | null, token: CancellationToken) => runbook(p, token)),
  );
  async function runbook(p: RunbookParams | null, token: CancellationToken): Promise<RunbookResult | null | ReturnType<typeof cancelledError>> {
    const doc = typeof p?.uri === 'string' ? documents.get(p.uri) : undefined;
    if (!p || !doc || kindOf(doc) !== 'upgrade-manifest' || (await tooBig(doc))) return null;
    const { options } = await lintOptions(doc.uri);
    if (token.isCancellationRequested) return cancelledError(options.locale);
    const locale = requestedLocale(p.locale) ?? options.locale;
    const text = doc.getText();
    if (isBinary(text, options.maxFileSize)) return null;
    const version = doc.version;
    // The problems as the editor shows them (the session's result for this version), in the picture's language.
    const result =
      locale === options.locale
        ? await resultFor(doc)
        : lint({ text, kind: 'upgrade-manifest', path: uriPath(doc.uri), binary: false }, { ...options, locale });
    if (token.isCancellationRequested || doc.version !== version) return cancelledError(locale);
    const schedule = scheduleForText(text, { ...options, locale }, uriPath(doc.uri));
    if (!schedule) return null;
    if (token.isCancellationRequested) return cancelledError(locale);
    const marks = markDiagnostics(result?.diagnostics ?? [], schedule.steps);
    const selectedStep = Number.isInteger(p.selectedStep) && p.selectedStep! >= 0 && p.selectedStep! < schedule.steps.length ? p.selectedStep : undefined;
    const svg = timelineSvg(schedule, marks, { locale, theme: 'vscode', selectedStep });
    return {
      svg,
      steps: schedule.steps.map((st) => ({ index: st.index, id: st.id, itemRange: st.itemRange })),
      total: schedule.total,
      fits: fitsWindow(schedule),
    };
  }
}

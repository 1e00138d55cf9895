/**
 * The printable runbook of a manifest, for a change ticket or the approval meeting: its header (product, versions,
 * window, planned duration), the timeline (svg.ts, print colours), a table of the steps with a box to tick, and the
 * problems still open. Self-contained HTML (no remote resource, a strict Content-Security-Policy, print styles) or
 * Markdown (the timeline as an embedded image), in the user's language. Pure: text in, text out.
 */
import { buildManifestContext } from '../manifest';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYaml } from '../parse/yaml';
import { msg, render, type Message } from '../l10n/index';
import type { Diagnostic, LintOptions, Locale } from '../types';
import { markDiagnostics, stepLocator } from './marks';
import { computeSchedule, planEnd, windowMinutes } from './schedule';
import { clockText, durationText, parseStart, stepDurationText, timelineSvg, xmlEscape } from './svg';
import type { MarkedDiagnostic, Schedule, ScheduledStep } from './types';

export interface RunbookInput {
  title?: string;
  product?: string;
  from?: string;
  to?: string;
  schedule: Schedule;
  marks: readonly MarkedDiagnostic[];
  diagnostics: readonly Diagnostic[];
  locale: Locale;
  /** The manifest's path as the user named it (shown, never read). */
  path?: string;
}

/** Above this size the Markdown runbook leaves the timeline out (a line of base64 nobody can review). */
export const MAX_MARKDOWN_IMAGE = 512 * 1024;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * The runbook's input for a manifest's text and the diagnostics linting it gave: the first document that parses
 * and holds a mapping, as `lint` and `scheduleForText` read it. Undefined when there is none.
 */
export function runbookInputForText(
  source: string,
  diagnostics: readonly Diagnostic[],
  options: LintOptions & { locale: Locale },
  shownPath?: string,
  filePath?: string,
): RunbookInput | undefined {
  const file = loadYaml(source, options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION);
  if (file.tooDeep) return undefined;
  const doc = file.docs.find((d) => !d.hasErrors && !d.aliasLimitHit && d.value !== null && typeof d.value === 'object' && !Array.isArray(d.value));
  if (!doc) return undefined;
  const ctx = buildManifestContext(file, doc, filePath, options);
  const schedule = computeSchedule(ctx);
  const input: RunbookInput = { schedule, marks: markDiagnostics(diagnostics, schedule.steps), diagnostics, locale: options.locale };
  const m = ctx.m;
  const [title, product, from, to] = [text(m.title), text(m.product), text(m.from), text(m.to)];
  if (title !== undefined) input.title = title;
  if (product !== undefined) input.product = product;
  if (from !== undefined) input.from = from;
  if (to !== undefined) input.to = to;
  if (shownPath !== undefined) input.path = shownPath;
  return input;
}

/** What both formats show, in the user's language, as plain text (each format escapes it its own way). */
interface Content {
  heading: string;
  facts: [string, string][];
  notes: { text: string; overrun?: boolean }[];
  columns: string[];
  rows: { cells: string[]; estimated: boolean; problems: { rule: string; severity: string }[] }[];
  problemColumns: string[];
  problems: { cells: string[]; severity: string }[];
  say: (m: Message) => string;
}

function content(input: RunbookInput): Content {
  const L = input.locale;
  const say = (m: Message) => render(m, L);
  const s = input.schedule;
  const start = parseStart(s.startTime);
  const heading = say(msg('runbook.doc.title', { title: input.title?.trim() || say(msg('runbook.doc.untitled')) }));
  const facts: [string, string][] = [];
  if (input.path !== undefined) facts.push([say(msg('runbook.doc.file')), input.path]);
  if (input.product !== undefined) facts.push([say(msg('runbook.doc.product')), input.product]);
  if (input.from !== undefined || input.to !== undefined) facts.push([say(msg('runbook.doc.versions')), `${input.from ?? '?'} → ${input.to ?? '?'}`]);
  facts.push([say(msg('runbook.legend.window')), s.window ? `${s.window.start} – ${s.window.end}` : say(msg('runbook.doc.noWindow'))]);
  const estimated = s.steps.reduce((a, x) => (x.estimated && Number.isFinite(x.duration) ? a + x.duration : a), 0);
  const total = durationText(s.total, L);
  facts.push([
    say(msg('runbook.doc.total')),
    estimated > 0 ? say(msg('runbook.doc.totalEstimated', { duration: total, estimated: durationText(estimated, L) })) : total,
  ]);
  const notes: Content['notes'] = [];
  const w = windowMinutes(s);
  if (w !== undefined && s.steps.length) {
    const end = planEnd(s);
    notes.push(
      end > w
        ? { text: say(msg('runbook.doc.overruns', { over: durationText(end - w, L) })), overrun: true }
        : { text: say(msg('runbook.doc.fits', { spare: durationText(w - end, L) })) },
    );
  }
  if (s.steps.some((x) => x.estimated)) notes.push({ text: say(msg('runbook.doc.estimatedNote')) });

  const marksOf = new Map<number, MarkedDiagnostic[]>();
  for (const m of input.marks) if (m.stepIndex !== undefined) marksOf.set(m.stepIndex, [...(marksOf.get(m.stepIndex) ?? []), m]);
  const columns = [
    say(msg('runbook.col.done')),
    '#',
    say(msg('runbook.col.step')),
    say(msg('runbook.col.nodes')),
    say(msg('runbook.col.action')),
    say(msg('runbook.col.start')),
    say(msg('runbook.col.end')),
    say(msg('runbook.col.duration')),
    say(msg('runbook.col.reference')),
    say(msg('runbook.col.problems')),
  ];
  // A guide figure's reference (`000-06 (the publisher is down …)`) is written in English with the product data; in
  // another language the runbook names the guide and the row instead, from the catalog.
  const guideRef = (ref: string | undefined) => {
    const row = ref && /^(\d{3})-\d{2}\b/.exec(ref);
    return !ref || L === 'en' || !row ? ref : `${say(msg(`guide.${row[1]}.title` as 'guide.000.title'))} ${row[0]}`;
  };
  const reference = (x: ScheduledStep) => [guideRef(x.guideRef), x.note].filter((v): v is string => !!v).join(' — ');
  const rows = s.steps.map((x) => {
    const problems = (marksOf.get(x.index) ?? []).map((m) => ({ rule: m.rule, severity: m.severity }));
    return {
      cells: [
        '☐',
        String(x.index + 1),
        x.id,
        x.nodes.join(', '),
        x.action ?? '',
        clockText(x.start, start, L),
        clockText(x.end, start, L),
        stepDurationText(x, L),
        reference(x),
        [...new Set(problems.map((p) => p.rule))].join(', '),
      ],
      estimated: x.estimated,
      problems,
    };
  });
  const problemColumns = [
    say(msg('runbook.col.severity')),
    say(msg('runbook.col.rule')),
    say(msg('runbook.col.line')),
    say(msg('runbook.col.step')),
    say(msg('runbook.col.message')),
  ];
  const locate = stepLocator(s.steps);
  const byIndex = new Map(s.steps.map((x) => [x.index, x]));
  const problems = input.diagnostics.map((d) => {
    const at = locate(d.range.start);
    const step = at === undefined ? undefined : byIndex.get(at);
    return {
      cells: [say({ key: `docs.severity.${d.severity}` }), d.rule, String(d.range.start.line + 1), step ? step.id : '', d.message],
      severity: d.severity,
    };
  });
  return { heading, facts, notes, columns, rows, problemColumns, problems, say };
}

const HTML_STYLE = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;color:#111;background:#fff;margin:24px;line-height:1.45}
h1{font-size:1.5em;margin:0 0 .4em}
h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid #ccc;padding-bottom:.2em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1.2em;margin:0 0 .8em}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
p.note{margin:.3em 0;color:#333}
p.note.overrun{color:#b71c1c;font-weight:600}
.timeline{overflow-x:auto}
.timeline svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #bbb;padding:.3em .45em;text-align:left;vertical-align:top}
thead th{background:#eef2f7}
td.done{font-size:1.2em;text-align:center;width:2em}
td.num{text-align:right}
tr.estimated td.duration{font-style:italic}
td.problems .error,tr.error td.sev{color:#b71c1c;font-weight:600}
td.problems .warning,tr.warning td.sev{color:#8a5300;font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.95em}
section.runbook+section.runbook{margin-top:2.5em;border-top:3px double #999;padding-top:1em}
footer{margin-top:2em;color:#555;font-size:.85em}
@page{size:A4 landscape;margin:12mm}
@media print{
  body{margin:0;font-size:10pt}
  .timeline{overflow:visible}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  h2{break-after:avoid}
  section.runbook+section.runbook{break-before:page;border-top:none;margin-top:0}
  a{color:inherit;text-decoration:none}
}
`;

const h = xmlEscape;

function htmlSection(input: RunbookInput, n: number): string {
  const c = content(input);
  const svg = timelineSvg(input.schedule, input.marks, { locale: input.locale, theme: 'print', idPrefix: `ul${n}` })
    // Inline in HTML, an SVG needs no namespace (and the page then names no address at all).
    .replace(' xmlns="http://www.w3.org/2000/svg"', '');
  const out: string[] = [`<section class="runbook">`, `<h1>${h(c.heading)}</h1>`, '<dl class="facts">'];
  for (const [k, v] of c.facts) out.push(`<dt>${h(k)}</dt><dd>${h(v)}</dd>`);
  out.push('</dl>');
  for (const t of c.notes) out.push(`<p class="note${t.overrun ? ' overrun' : ''}">${h(t.text)}</p>`);
  out.push(`<h2>${h(c.say(msg('runbook.doc.timeline')))}</h2>`, `<div class="timeline">${svg}</div>`);
  out.push(`<h2>${h(c.say(msg('runbook.doc.steps')))}</h2>`, '<table class="steps"><thead><tr>');
  for (const col of c.columns) out.push(`<th scope="col">${h(col)}</th>`);
  out.push('</tr></thead><tbody>');
  const cls = ['done', 'num', 'id', 'nodes', 'action', 'start', 'end', 'duration', 'reference', 'problems'];
  for (const r of c.rows) {
    out.push(`<tr class="${r.estimated ? 'estimated' : 'given'}">`);
    r.cells.forEach((cell, i) => {
      if (cls[i] === 'problems')
        out.push(
          `<td class="problems">${r.problems.length ? [...new Map(r.problems.map((p) => [p.rule, p])).values()].map((p) => `<code class="${p.severity}">${h(p.rule)}</code>`).join(', ') : ''}</td>`,
        );
      else if (cls[i] === 'id' || cls[i] === 'action') out.push(`<td class="${cls[i]}"><code>${h(cell)}</code></td>`);
      else out.push(`<td class="${cls[i]}">${h(cell)}</td>`);
    });
    out.push('</tr>');
  }
  out.push('</tbody></table>');
  out.push(`<h2>${h(c.say(msg('runbook.doc.problems')))}</h2>`);
  if (!c.problems.length) out.push(`<p class="no-problems">${h(c.say(msg('runbook.doc.noProblems')))}</p>`);
  else {
    out.push('<table class="problems"><thead><tr>');
    for (const col of c.problemColumns) out.push(`<th scope="col">${h(col)}</th>`);
    out.push('</tr></thead><tbody>');
    for (const p of c.problems)
      out.push(
        `<tr class="${p.severity}"><td class="sev">${h(p.cells[0])}</td><td><code>${h(p.cells[1])}</code></td><td class="num">${h(p.cells[2])}</td><td><code>${h(p.cells[3])}</code></td><td>${h(p.cells[4])}</td></tr>`,
      );
    out.push('</tbody></table>');
  }
  if (input.path !== undefined) out.push(`<footer>${h(c.say(msg('runbook.doc.generated', { path: input.path })))}</footer>`);
  out.push('</section>');
  return out.join('\n');
}

/** The runbook (of one manifest, or of several one after the other) as a self-contained HTML page. */
export function runbookHtml(inputs: RunbookInput | readonly RunbookInput[]): string {
  const list = Array.isArray(inputs) ? (inputs as readonly RunbookInput[]) : [inputs as RunbookInput];
  const locale = list[0]?.locale ?? 'en';
  const title = list.map((i) => content(i).heading).join(' / ');
  return [
    '<!DOCTYPE html>',
    `<html lang="${h(locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    ...list.map((i, n) => htmlSection(i, n + 1)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Text safe in a Markdown table cell or line: no table break, no markup, no raw HTML. */
export function mdEscape(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]{}<>|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

function markdownSection(input: RunbookInput): string {
  const c = content(input);
  const out: string[] = [`# ${mdEscape(c.heading)}`, ''];
  for (const [k, v] of c.facts) out.push(`- **${mdEscape(k)}:** ${mdEscape(v)}`);
  out.push('');
  for (const t of c.notes) out.push(t.overrun ? `**${mdEscape(t.text)}**` : mdEscape(t.text), '');
  out.push(`## ${mdEscape(c.say(msg('runbook.doc.timeline')))}`, '');
  const svg = timelineSvg(input.schedule, input.marks, { locale: input.locale, theme: 'print' });
  const b64 = Buffer.from(svg, 'utf8').toString('base64');
  if (b64.length <= MAX_MARKDOWN_IMAGE) out.push(`![${mdEscape(c.say(msg('runbook.svg.title')))}](data:image/svg+xml;base64,${b64})`, '');
  else out.push(`*${mdEscape(c.say(msg('runbook.doc.timelineOmitted')))}*`, '');
  out.push(`## ${mdEscape(c.say(msg('runbook.doc.steps')))}`, '');
  const row = (cells: string[]) => `| ${cells.map((x) => mdEscape(x) || ' ').join(' | ')} |`;
  out.push(row(c.columns), `|${c.columns.map((_, i) => (i === 1 ? ' ---: ' : ' --- ')).join('|')}|`);
  for (const r of c.rows) out.push(row(r.cells));
  out.push('', `## ${mdEscape(c.say(msg('runbook.doc.problems')))}`, '');
  if (!c.problems.length) out.push(mdEscape(c.say(msg('runbook.doc.noProblems'))));
  else {
    out.push(row(c.problemColumns), `|${c.problemColumns.map((_, i) => (i === 2 ? ' ---: ' : ' --- ')).join('|')}|`);
    for (const p of c.problems) out.push(row(p.cells));
  }
  if (input.path !== undefined) out.push('', `*${mdEscape(c.say(msg('runbook.doc.generated', { path: input.path })))}*`);
  return out.join('\n');
}

/** The runbook (of one manifest, or of several one after the other) as Markdown (GitHub-flavoured tables). */
export function runbookMarkdown(inputs: RunbookInput | readonly RunbookInput[]): string {
  const list = Array.isArray(inputs) ? (inputs as readonly RunbookInput[]) : [inputs as RunbookInput];
  return list.map(markdownSection).join('\n\n---\n\n') + '\n';
}

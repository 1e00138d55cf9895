/**
 * The runbook's timeline as SVG: one lane per node, one bar per step on each node it runs on, the maintenance
 * window as a band, a time axis, and the manifest's problems marked on their steps. Pure and deterministic (the
 * same schedule gives the same text), with no external resources, so the editor's preview and the CLI's printable
 * runbook show the same picture. Linear in the number of bars; the width is bounded whatever the plan's length.
 */
import { msg, render, type Message } from '../l10n/index';
import type { Locale, Severity } from '../types';
import type { MarkedDiagnostic, Schedule, ScheduledStep } from './types';
import { planEnd, windowMinutes } from './schedule';

export interface TimelineOptions {
  locale: Locale;
  /** 'vscode': colours from the editor's theme (CSS variables); 'print': fixed colours for paper. */
  theme: 'vscode' | 'print';
  /** The step to highlight (the one under the editor's cursor), by index. */
  selectedStep?: number;
  /** A nonce for the `<style>` element, for pages whose Content-Security-Policy allows styles by nonce. */
  styleNonce?: string;
  /** The prefix of the drawing's element ids (its hatch pattern), distinct for each timeline of a page; default `ul`. */
  idPrefix?: string;
}

/** The drawing's geometry (exported for tests and for pages that map positions back to times). */
export const LAYOUT = {
  /** Width of the lane labels on the left. */
  labelWidth: 190,
  /** Height of the time axis above the lanes. */
  axisHeight: 30,
  laneHeight: 30,
  barHeight: 20,
  /** Space on the right of the plot (the last tick's label). */
  rightPad: 56,
  legendHeight: 34,
  minPlotWidth: 720,
  maxPlotWidth: 2400,
  /** Pixels per minute asked for before the plot is clamped to its bounds. */
  pxPerMinute: 2,
  fontSize: 11,
} as const;

/** Bars: the first of a step's bars is reached with Tab (the others are for the mouse), so tabbing goes step by step. */
const MAX_LANE_LABEL = 28;
const LEGEND_ROW = 18;
const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

/** Text safe inside XML content and attribute values: markup escaped, characters XML forbids removed. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The wall-clock start as written (`2026-12-12T21:00:00+09:00`): date, and minutes after its midnight, in its own offset. */
export function parseStart(startTime: string | undefined): { date: string; minutes: number } | undefined {
  if (!startTime) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/.exec(startTime.trim());
  if (!m) return undefined;
  const h = Number(m[2]),
    min = Number(m[3]);
  if (h > 23 || min > 59) return undefined;
  return { date: m[1], minutes: h * 60 + min };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time of the plan as people read it: the wall clock (`21:30`, `01:15 (+1d)` on a later day) when the start is
 * known, else the time since the start (`+1:30`).
 */
export function clockText(t: number, start: { minutes: number } | undefined, locale: Locale): string {
  const whole = Math.round(Number.isFinite(t) ? t : 0);
  if (!start) {
    const a = Math.abs(whole);
    return `${whole < 0 ? '-' : '+'}${Math.floor(a / 60)}:${pad(a % 60)}`;
  }
  const abs = start.minutes + whole;
  const days = Math.floor(abs / 1440);
  const inDay = abs - days * 1440;
  const time = `${pad(Math.floor(inDay / 60))}:${pad(inDay % 60)}`;
  return days === 0 ? time : render(msg('runbook.time.otherDay', { time, days: days > 0 ? `+${days}` : String(days) }), locale);
}

/** A duration in hours and minutes (`1h30m`, `45m`; `1時間30分`). */
export function durationText(minutes: number, locale: Locale): string {
  const whole = Math.max(0, Math.round(Number.isFinite(minutes) ? minutes : 0));
  const h = Math.floor(whole / 60),
    m = whole % 60;
  return render(h && m ? msg('runbook.duration.hm', { h, m }) : h ? msg('runbook.duration.h', { h }) : msg('runbook.duration.m', { m }), locale);
}

/** A step's duration as shown: with "(estimated)" when it was not written in the step. */
export const stepDurationText = (s: ScheduledStep, locale: Locale): string =>
  s.estimated ? render(msg('runbook.duration.estimated', { duration: durationText(s.duration, locale) }), locale) : durationText(s.duration, locale);

/** The span the plot shows, in minutes from the plan's start, and its scale. */
export function timelineScale(schedule: Schedule): { from: number; to: number; pxPerMinute: number; plotWidth: number } {
  let from = 0,
    to = 0;
  for (const s of schedule.steps) {
    if (Number.isFinite(s.start)) from = Math.min(from, s.start);
    if (Number.isFinite(s.end)) to = Math.max(to, s.end);
  }
  const w = schedule.window?.minutes;
  if (w !== undefined && Number.isFinite(w) && w > 0) to = Math.max(to, w);
  if (to - from < 1) to = from + 60;
  const span = to - from;
  const plotWidth = Math.min(LAYOUT.maxPlotWidth, Math.max(LAYOUT.minPlotWidth, span * LAYOUT.pxPerMinute));
  return { from, to, pxPerMinute: plotWidth / span, plotWidth };
}

const TICKS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 10080];

/** Width of a text in pixels, roughly (wide characters count double): to decide whether a label fits. */
function textWidth(s: string, size = LAYOUT.fontSize): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch) || ch.length > 1 ? 1 : 0.6;
  return w * size;
}

const shorten = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
const num = (n: number) => String(Math.round(n * 100) / 100);

const VSCODE_STYLE = (hatch: string) => `
.ul-timeline{font-family:var(--vscode-font-family,system-ui,sans-serif);font-size:${LAYOUT.fontSize}px;fill:var(--vscode-editor-foreground,#333)}
.ul-timeline text{fill:var(--vscode-editor-foreground,#333)}
.ul-timeline .lane-bg{fill:var(--vscode-editor-foreground,#333);opacity:.04}
.ul-timeline .grid{stroke:var(--vscode-editor-foreground,#333);opacity:.15}
.ul-timeline .window{fill:var(--vscode-charts-green,#388a34);opacity:.12}
.ul-timeline .window-end{stroke:var(--vscode-charts-green,#388a34);stroke-width:2}
.ul-timeline .overrun{fill:var(--vscode-editorError-foreground,#e51400);opacity:.14}
.ul-timeline .overrun-end{stroke:var(--vscode-editorError-foreground,#e51400);stroke-width:2;stroke-dasharray:4 3}
.ul-timeline .down{fill:var(--vscode-charts-orange,#d18616)}
.ul-timeline .step rect.bar{fill:var(--vscode-charts-blue,#1a85ff);stroke:var(--vscode-charts-blue,#1a85ff);stroke-width:1}
.ul-timeline .step.estimated rect.bar{fill:url(#${hatch});stroke-dasharray:4 2}
.ul-timeline .hatch-bg{fill:var(--vscode-charts-blue,#1a85ff);opacity:.25}
.ul-timeline .hatch-line{stroke:var(--vscode-charts-blue,#1a85ff);stroke-width:2}
.ul-timeline .step text.label{fill:var(--vscode-button-foreground,#fff)}
.ul-timeline .step.estimated text.label{fill:var(--vscode-editor-foreground,#333)}
.ul-timeline .step.mark-error rect.bar{stroke:var(--vscode-editorError-foreground,#e51400);stroke-width:2}
.ul-timeline .step.mark-warning rect.bar{stroke:var(--vscode-editorWarning-foreground,#bf8803);stroke-width:2}
.ul-timeline .step.mark-information rect.bar,.ul-timeline .step.mark-hint rect.bar{stroke:var(--vscode-editorInfo-foreground,#1a85ff);stroke-width:2}
.ul-timeline .mark-error circle{fill:var(--vscode-editorError-foreground,#e51400)}
.ul-timeline .mark-warning circle{fill:var(--vscode-editorWarning-foreground,#bf8803)}
.ul-timeline .mark-information circle,.ul-timeline .mark-hint circle{fill:var(--vscode-editorInfo-foreground,#1a85ff)}
.ul-timeline .mark text{fill:var(--vscode-editor-background,#fff);font-weight:bold;text-anchor:middle}
.ul-timeline .step{cursor:pointer;outline:none}
.ul-timeline .step:focus rect.bar,.ul-timeline .step.selected rect.bar{stroke:var(--vscode-focusBorder,#007fd4);stroke-width:3;stroke-dasharray:none}
.ul-timeline .legend rect.given{fill:var(--vscode-charts-blue,#1a85ff)}
.ul-timeline .legend rect.estimated{fill:url(#${hatch});stroke:var(--vscode-charts-blue,#1a85ff);stroke-dasharray:4 2}
.vscode-high-contrast .ul-timeline .step rect.bar,.vscode-high-contrast-light .ul-timeline .step rect.bar{stroke:var(--vscode-contrastBorder,#6fc3df);stroke-width:2}
.vscode-high-contrast .ul-timeline .window,.vscode-high-contrast-light .ul-timeline .window{opacity:.3}
`;

const PRINT_STYLE = (hatch: string) => `
.ul-timeline{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;font-size:${LAYOUT.fontSize}px;fill:#111}
.ul-timeline text{fill:#111}
.ul-timeline .lane-bg{fill:#000;opacity:.035}
.ul-timeline .grid{stroke:#999;stroke-width:.5}
.ul-timeline .window{fill:#2e7d32;opacity:.12}
.ul-timeline .window-end{stroke:#2e7d32;stroke-width:2}
.ul-timeline .overrun{fill:#c62828;opacity:.15}
.ul-timeline .overrun-end{stroke:#c62828;stroke-width:2;stroke-dasharray:4 3}
.ul-timeline .down{fill:#ef6c00}
.ul-timeline .step rect.bar{fill:#1565c0;stroke:#0d47a1;stroke-width:1}
.ul-timeline .step.estimated rect.bar{fill:url(#${hatch});stroke:#0d47a1;stroke-dasharray:4 2}
.ul-timeline .hatch-bg{fill:#bbdefb}
.ul-timeline .hatch-line{stroke:#1565c0;stroke-width:2}
.ul-timeline .step text.label{fill:#fff}
.ul-timeline .step.estimated text.label{fill:#0d1b2a}
.ul-timeline .step.mark-error rect.bar{stroke:#c62828;stroke-width:2}
.ul-timeline .step.mark-warning rect.bar{stroke:#b26a00;stroke-width:2}
.ul-timeline .step.mark-information rect.bar,.ul-timeline .step.mark-hint rect.bar{stroke:#0277bd;stroke-width:2}
.ul-timeline .mark-error circle{fill:#c62828}
.ul-timeline .mark-warning circle{fill:#b26a00}
.ul-timeline .mark-information circle,.ul-timeline .mark-hint circle{fill:#0277bd}
.ul-timeline .mark text{fill:#fff;font-weight:bold;text-anchor:middle}
.ul-timeline .step.selected rect.bar{stroke:#000;stroke-width:3;stroke-dasharray:none}
.ul-timeline .legend rect.given{fill:#1565c0}
.ul-timeline .legend rect.estimated{fill:url(#${hatch});stroke:#0d47a1;stroke-dasharray:4 2}
`;

const MARK_GLYPH: Record<Severity, string> = { error: '!', warning: '!', information: 'i', hint: 'i' };

/** The timeline of a schedule, with the problems marked on their steps. */
export function timelineSvg(schedule: Schedule, marks: readonly MarkedDiagnostic[], opts: TimelineOptions): string {
  const L = opts.locale;
  const say = (m: Message) => xmlEscape(render(m, L));
  const start = parseStart(schedule.startTime);
  const hatch = `${(opts.idPrefix ?? 'ul').replace(/[^A-Za-z0-9_-]/g, '') || 'ul'}-hatch`;
  const { from, to, pxPerMinute, plotWidth } = timelineScale(schedule);
  const X = (t: number) => LAYOUT.labelWidth + (t - from) * pxPerMinute;

  // Lanes: the schedule's nodes in order, then nodes a step names that the manifest does not list, then one for
  // steps that name no node.
  const lanes = schedule.nodes.map((n) => ({ name: n.name, role: n.role, down: n.down }));
  const laneOf = new Map<string, number>();
  lanes.forEach((l, i) => laneOf.has(l.name) || laneOf.set(l.name, i));
  let noNodeLane = -1;
  for (const s of schedule.steps) {
    if (!s.nodes.length && noNodeLane < 0) noNodeLane = -2; // decided below, after the named lanes
    for (const n of s.nodes)
      if (!laneOf.has(n)) {
        laneOf.set(n, lanes.length);
        lanes.push({ name: n, role: undefined, down: [] });
      }
  }
  if (noNodeLane === -2) {
    noNodeLane = lanes.length;
    lanes.push({ name: render(msg('runbook.lane.none'), L), role: undefined, down: [] });
  }

  // Marks by step: the worst severity and the lines of the tooltip.
  const marksOf = new Map<number, MarkedDiagnostic[]>();
  for (const m of marks) {
    if (m.stepIndex === undefined) continue;
    const list = marksOf.get(m.stepIndex);
    if (list) list.push(m);
    else marksOf.set(m.stepIndex, [m]);
  }

  const top = LAYOUT.axisHeight;
  const lanesHeight = Math.max(1, lanes.length) * LAYOUT.laneHeight;
  const width = LAYOUT.labelWidth + plotWidth + LAYOUT.rightPad;
  // The opening tag comes last (out[0]): the height depends on how many rows the legend takes.
  const out: string[] = [''];
  const title = say(msg('runbook.svg.title'));
  out.push(
    `<title>${title}</title>`,
    `<style${opts.styleNonce ? ` nonce="${xmlEscape(opts.styleNonce)}"` : ''}>${(opts.theme === 'vscode' ? VSCODE_STYLE : PRINT_STYLE)(hatch)}</style>`,
    `<defs><pattern id="${hatch}" class="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>`,
  );

  // Lane backgrounds and labels.
  out.push('<g class="lanes">');
  lanes.forEach((l, i) => {
    const y = top + i * LAYOUT.laneHeight;
    const full = l.role ? `${l.name} (${l.role})` : l.name;
    const label = xmlEscape(shorten(full, MAX_LANE_LABEL));
    out.push(
      `<g class="lane" data-node="${xmlEscape(l.name)}">`,
      i % 2 === 0 ? `<rect class="lane-bg" x="0" y="${num(y)}" width="${num(width)}" height="${LAYOUT.laneHeight}"/>` : '',
      `<text class="lane-label" x="6" y="${num(y + LAYOUT.laneHeight / 2 + 4)}"><title>${xmlEscape(full)}</title>${label}</text>`,
      '</g>',
    );
  });
  out.push('</g>');

  // The maintenance window, its end, and what runs past it.
  const w = schedule.window;
  const windowEnd = windowMinutes(schedule);
  let overrun = false;
  if (windowEnd !== undefined) {
    out.push(
      `<rect class="window" x="${num(X(0))}" y="${top}" width="${num(windowEnd * pxPerMinute)}" height="${lanesHeight}"><title>${say(msg('runbook.legend.window'))}: ${xmlEscape(w!.start)} – ${xmlEscape(w!.end)}</title></rect>`,
    );
    const lastEnd = planEnd(schedule);
    overrun = lastEnd > windowEnd;
    if (overrun)
      out.push(
        `<rect class="overrun" x="${num(X(windowEnd))}" y="${top}" width="${num((lastEnd - windowEnd) * pxPerMinute)}" height="${lanesHeight}"><title>${say(msg('runbook.legend.overrun'))}: ${xmlEscape(durationText(lastEnd - windowEnd, L))}</title></rect>`,
        `<line class="overrun-end" x1="${num(X(lastEnd))}" y1="${top}" x2="${num(X(lastEnd))}" y2="${top + lanesHeight}"/>`,
      );
    out.push(
      `<line class="window-end" x1="${num(X(windowEnd))}" y1="${top - 4}" x2="${num(X(windowEnd))}" y2="${top + lanesHeight}"><title>${say(msg('runbook.window.end', { time: clockText(windowEnd, start, L) }))}</title></line>`,
    );
  }

  // The axis: a tick every few minutes, at least 64 pixels apart.
  // (A plan of months: whole weeks, as many as keep them apart.)
  const tick = TICKS.find((t) => t * pxPerMinute >= 64) ?? Math.ceil(64 / pxPerMinute / 10080) * 10080;
  out.push('<g class="axis">');
  for (let t = Math.ceil(from / tick) * tick; t <= to + 1e-9; t += tick) {
    const x = X(t);
    out.push(
      `<line class="grid" x1="${num(x)}" y1="${top - 4}" x2="${num(x)}" y2="${top + lanesHeight}"/>`,
      `<text class="tick" x="${num(x)}" y="${top - 10}" text-anchor="middle">${xmlEscape(clockText(t, start, L))}</text>`,
    );
  }
  out.push('</g>');

  // When each node is down: a strip at the bottom of its lane.
  out.push('<g class="downtime">');
  lanes.forEach((l, i) => {
    const y = top + (i + 1) * LAYOUT.laneHeight - 4;
    for (const d of l.down) {
      if (!Number.isFinite(d.start) || !Number.isFinite(d.end) || d.end <= d.start) continue;
      out.push(
        `<rect class="down" x="${num(X(d.start))}" y="${num(y)}" width="${num((d.end - d.start) * pxPerMinute)}" height="3"><title>${say(msg('runbook.legend.down'))}: ${xmlEscape(d.stepId)}</title></rect>`,
      );
    }
  });
  out.push('</g>');

  // The bars.
  out.push('<g class="steps">');
  for (const s of schedule.steps) {
    const found = marksOf.get(s.index) ?? [];
    const worst = SEVERITY_ORDER.find((sev) => found.some((m) => m.severity === sev));
    const cls = ['step', s.estimated ? 'estimated' : 'given', worst ? `mark-${worst}` : '', s.index === opts.selectedStep ? 'selected' : '']
      .filter(Boolean)
      .join(' ');
    const x = X(Number.isFinite(s.start) ? s.start : 0);
    const dur = Number.isFinite(s.duration) && s.duration > 0 ? s.duration : 0;
    const barW = Math.max(1.5, dur * pxPerMinute);
    const startText = clockText(s.start, start, L);
    const endText = clockText(s.end, start, L);
    const durText = stepDurationText(s, L);
    const markLines = found.map((m) => `${m.rule}: ${m.message}`);
    const lanesOf = s.nodes.length ? [...new Set(s.nodes)].map((n) => laneOf.get(n)!) : [noNodeLane];
    lanesOf.forEach((lane, k) => {
      const node = lanes[lane].name;
      const aria = render(
        msg('runbook.step.aria', { index: s.index + 1, id: s.id, action: s.action ?? '—', node, start: startText, end: endText, duration: durText }),
        L,
      );
      const ariaFull = found.length ? `${aria} ${render(msg('runbook.step.problems', { count: found.length }), L)}` : aria;
      const y = top + lane * LAYOUT.laneHeight + (LAYOUT.laneHeight - LAYOUT.barHeight) / 2 - 1;
      out.push(
        `<g class="${cls}" data-step="${s.index}" data-node="${xmlEscape(node)}" tabindex="${k === 0 ? 0 : -1}" role="button" aria-label="${xmlEscape(ariaFull)}">`,
        `<title>${xmlEscape([aria, ...markLines].join('\n'))}</title>`,
        `<rect class="bar" x="${num(x)}" y="${num(y)}" width="${num(barW)}" height="${LAYOUT.barHeight}" rx="2"/>`,
      );
      if (textWidth(s.id) + 8 <= barW) out.push(`<text class="label" x="${num(x + 4)}" y="${num(y + LAYOUT.barHeight / 2 + 4)}">${xmlEscape(s.id)}</text>`);
      if (worst) {
        const cx = x + barW - 1,
          cy = y + 1;
        out.push(
          `<g class="mark mark-${worst}"><title>${xmlEscape(markLines.join('\n'))}</title><circle cx="${num(cx)}" cy="${num(cy)}" r="6"/><text x="${num(cx)}" y="${num(cy + 4)}">${MARK_GLYPH[worst]}</text></g>`,
        );
      }
      out.push('</g>');
    });
  }
  out.push('</g>');

  if (!schedule.steps.length)
    out.push(`<text class="empty" x="${num(LAYOUT.labelWidth + 8)}" y="${num(top + LAYOUT.laneHeight / 2 + 4)}">${say(msg('runbook.svg.empty'))}</text>`);

  // The legend, on as many rows as it takes.
  let ly = top + lanesHeight + 12;
  let lx = LAYOUT.labelWidth;
  const item = (swatch: string, text: Message) => {
    const t = render(text, L);
    const w = 24 + textWidth(t) + 20;
    if (lx > LAYOUT.labelWidth && lx + w > width) {
      lx = LAYOUT.labelWidth;
      ly += LEGEND_ROW;
    }
    out.push(`<g transform="translate(${num(lx)},${num(ly)})">${swatch}<text x="24" y="10">${xmlEscape(t)}</text></g>`);
    lx += w;
  };
  out.push('<g class="legend">');
  item('<rect class="given" width="18" height="12" rx="2"/>', msg('runbook.legend.given'));
  item('<rect class="estimated" width="18" height="12" rx="2"/>', msg('runbook.legend.estimated'));
  if (windowEnd !== undefined) item('<rect class="window" width="18" height="12"/>', msg('runbook.legend.window'));
  if (overrun) item('<rect class="overrun" width="18" height="12"/>', msg('runbook.legend.overrun'));
  if (lanes.some((l) => l.down.length)) item('<rect class="down" y="8" width="18" height="3"/>', msg('runbook.legend.down'));
  out.push('</g>', '</svg>');
  const height = ly + LAYOUT.legendHeight - 12;
  out[0] = `<svg xmlns="http://www.w3.org/2000/svg" class="ul-timeline ul-theme-${opts.theme}" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="group" aria-label="${title}">`;
  return out.join('');
}

/**
 * The scheduler: a manifest's steps laid out in time. Steps run top to bottom, one after the other; a step that names
 * several nodes runs on all of them at once (one bar per node, the same start and end). A step's duration is, in
 * this order: its own `duration`; the duration its product's guide documents for that kind of step (products/*.ts
 * `DURATIONS`, each with its guide-coverage row); the configuration's `defaultDurations[action]`; the fallback of
 * FALLBACK_MINUTES below. Only the first is given; the others are estimates, and every consumer (the timeline, the
 * printable runbook, the rules on time) says so.
 */
import { buildManifestContext, isFreshInstall, type ManifestContext, type StepInfo } from '../manifest';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYaml } from '../parse/yaml';
import { callmanager } from '../products/callmanager';
import { cupm } from '../products/cupm';
import { imp } from '../products/imp';
import type { LintOptions } from '../types';
import { parseDuration, type GuideDuration } from './duration';
import type { DurationSource, NodeLane, PlanWindow, Schedule, ScheduledStep } from './types';

/**
 * What a step takes when nothing documents or configures its duration, in minutes: our own round figures for a
 * small cluster, not a guide's (an upgrade or a fresh installation an hour, a switch of version or a restore half
 * an hour, a backup a quarter of an hour, anything else ten minutes). `defaultDurations` in .upgrade-lint.json
 * (or the `upgradeLint.defaultDurations` setting) replaces them per action.
 */
export const FALLBACK_MINUTES: Readonly<Record<string, number>> = {
  upgrade: 60,
  install: 60,
  'switch-version': 30,
  restore: 30,
  backup: 15,
  sync: 15,
};
export const FALLBACK_OTHER_MINUTES = 10;

/** The durations the guides document, by product (ACNS, 002, and iPlanet, 004, give none). */
const GUIDE_DURATIONS: Readonly<Record<string, readonly GuideDuration[]>> = {
  'cucm-im-presence': imp.DURATIONS,
  cupm: cupm.DURATIONS,
  callmanager: callmanager.DURATIONS,
};

/** Actions that take their nodes down (or leave them degraded) while they run. */
const DOWN_ACTIONS = new Set(['upgrade', 'switch-version', 'restore', 'uninstall']);
/** True when the step takes the nodes it names down: an upgrade, a switch of version, a restore, a fresh install… */
export const takesDown = (s: StepInfo): boolean => (s.action !== undefined && DOWN_ACTIONS.has(s.action)) || isFreshInstall(s);

export interface ScheduleOptions {
  /** Per action, in minutes (from `defaultDurations`); replaces the fallback, not a given or documented duration. */
  defaultDurations?: Readonly<Record<string, number>>;
}

/** An RFC 3339 date-time as the schema allows it (`T`, `t` or a blank; `Z` or `z` or an offset) in ms, or NaN. */
export function parseDateTime(s: unknown): number {
  if (typeof s !== 'string' || s.length > 40) return NaN;
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:\d{2})$/.exec(s.trim());
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3].toUpperCase()}`) : NaN;
}

/** The plan's maintenance window, when it has one with both ends written as text. */
export function planWindow(ctx: Pick<ManifestContext, 'm'>): PlanWindow | undefined {
  const w = ctx.m.maintenanceWindow as { start?: unknown; end?: unknown } | undefined;
  if (!w || typeof w !== 'object' || typeof w.start !== 'string' || typeof w.end !== 'string') return undefined;
  return { start: w.start, end: w.end, minutes: (parseDateTime(w.end) - parseDateTime(w.start)) / 60000 };
}

/** Where a step's duration comes from, and how long it is. */
export function stepDuration(
  ctx: Pick<ManifestContext, 'product' | 'byName'>,
  s: StepInfo,
  options: ScheduleOptions = {},
): { minutes: number; source: DurationSource; guideRef?: string } {
  const given = parseDuration(s.data.duration);
  if (given !== undefined) return { minutes: given, source: 'given' };
  const roles = s.nodes.map((r) => ctx.byName.get(r.name)?.role);
  const documented = (GUIDE_DURATIONS[ctx.product ?? ''] ?? []).find(
    (d) => d.action === s.action && (!d.roles || roles.some((r) => r !== undefined && d.roles!.includes(r))) && (!d.when || d.when(s.data)),
  );
  if (documented) return { minutes: documented.minutes, source: 'guide', guideRef: documented.ref };
  const configured = s.action !== undefined ? options.defaultDurations?.[s.action] : undefined;
  if (typeof configured === 'number' && Number.isFinite(configured) && configured >= 0) return { minutes: configured, source: 'config' };
  return { minutes: (s.action !== undefined ? FALLBACK_MINUTES[s.action] : undefined) ?? FALLBACK_OTHER_MINUTES, source: 'fallback' };
}

/** The schedule of a manifest (see the top of this file). Linear in the number of steps and node references. */
export function computeSchedule(ctx: ManifestContext, options?: ScheduleOptions): Schedule {
  if (options) return scheduleWith(ctx, options);
  // With the context's own options, once per context: several rules on time ask for the same plan in one lint.
  let sched = byContext.get(ctx);
  if (!sched) byContext.set(ctx, (sched = scheduleWith(ctx, {})));
  return sched;
}

const byContext = new WeakMap<ManifestContext, Schedule>();

function scheduleWith(ctx: ManifestContext, options: ScheduleOptions): Schedule {
  const opts: ScheduleOptions = { defaultDurations: options.defaultDurations ?? ctx.options.defaultDurations };
  const lanes = new Map<string, NodeLane>();
  for (const n of ctx.nodes) if (!lanes.has(n.name)) lanes.set(n.name, { name: n.name, ...(n.role !== undefined ? { role: n.role } : {}), down: [] });
  const steps: ScheduledStep[] = [];
  let t = 0;
  for (const s of ctx.steps) {
    const d = stepDuration(ctx, s, opts);
    const nodes = [...new Set(s.nodes.map((r) => r.name))];
    const down = takesDown(s) ? nodes : [];
    const start = t,
      end = t + d.minutes;
    for (const name of nodes) {
      // A node a step names but the plan does not declare still gets its lane (manifest/unknown-node reports it).
      if (!lanes.has(name)) lanes.set(name, { name, down: [] });
      if (down.length) lanes.get(name)!.down.push({ start, end, stepId: s.id });
    }
    steps.push({
      id: s.id,
      index: s.index,
      ...(s.action !== undefined ? { action: s.action } : {}),
      nodes,
      start,
      end,
      duration: d.minutes,
      estimated: d.source !== 'given',
      source: d.source,
      ...(d.guideRef ? { guideRef: d.guideRef } : {}),
      downNodes: down,
      get range() {
        return s.range;
      },
      get itemRange() {
        return s.itemRange;
      },
      ...(typeof s.data.note === 'string' ? { note: s.data.note } : {}),
    });
    t = end;
  }
  const window = planWindow(ctx);
  const valid = window && window.minutes > 0;
  return { steps, nodes: [...lanes.values()], total: t, ...(window ? { window } : {}), ...(valid ? { startTime: window.start } : {}) };
}

/** The maintenance window's length in minutes when the plan has a usable one (a broken window has none). */
export function windowMinutes(schedule: Schedule): number | undefined {
  const m = schedule.window?.minutes;
  return m !== undefined && Number.isFinite(m) && m > 0 ? m : undefined;
}

/** When the plan's last step ends (minutes from its start). */
export const planEnd = (schedule: Schedule): number => schedule.steps.reduce((a, x) => (Number.isFinite(x.end) ? Math.max(a, x.end) : a), 0);

/** Whether the plan ends inside its maintenance window; undefined without a usable window. */
export function fitsWindow(schedule: Schedule): boolean | undefined {
  const w = windowMinutes(schedule);
  return w === undefined ? undefined : planEnd(schedule) <= w;
}
/**
 * The schedule of a manifest's text, read the way `lint` reads it: the first document that parses and holds a
 * mapping. Undefined when there is none (a syntax error, an empty file, too many aliases). For the CLI's runbook and
 * the editor's preview.
 */
export function scheduleForText(text: string, options: LintOptions = {}, filePath?: string): Schedule | undefined {
  const file = loadYaml(text, options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION);
  if (file.tooDeep) return undefined;
  const doc = file.docs.find((d) => !d.hasErrors && !d.aliasLimitHit && d.value !== null && typeof d.value === 'object' && !Array.isArray(d.value));
  if (!doc) return undefined;
  return computeSchedule(buildManifestContext(file, doc, filePath, options));
}

/** Minutes after the plan's start as a wall-clock time in the offset of `startTime` (`2026-12-06T01:30+09:00`). */
export function wallClock(startTime: string, minutes: number): string | undefined {
  const t0 = parseDateTime(startTime);
  if (Number.isNaN(t0)) return undefined;
  const off = /([+-])(\d{2}):(\d{2})$/.exec(startTime.trim());
  const offMin = off ? (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) : 0;
  const d = new Date(t0 + minutes * 60000 + offMin * 60000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return date + (off ? off[0] : 'Z');
}

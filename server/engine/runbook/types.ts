/**
 * The runbook's schedule: what the scheduler (schedule.ts) computes from a manifest and what the timeline (svg.ts),
 * the printable runbook (export.ts), the rules on time and the editor's preview read. Times are minutes from the
 * plan's start (the maintenance window's start when there is one); `startTime` gives the wall clock.
 */
import type { Range, Severity } from '../types';

/** Where a step's duration comes from: written in the step, documented in a guide, configured, or a fallback. */
export type DurationSource = 'given' | 'guide' | 'config' | 'fallback';

export interface ScheduledStep {
  /** The step's `id` (or `#<index+1>` when it has none). */
  id: string;
  /** Its place in `steps` (0-based). */
  index: number;
  action?: string;
  /** The nodes it runs on (all at once when several). */
  nodes: string[];
  start: number;
  end: number;
  duration: number;
  /** True unless the duration was written in the step (`source` 'given'). */
  estimated: boolean;
  source: DurationSource;
  /** For `source` 'guide': the guide-coverage row and a few words (`'000-12 (publisher unavailable up to 30 min)'`). */
  guideRef?: string;
  /** The nodes it takes down (upgrade, restart, switch-version, …) rather than only works on. */
  downNodes: string[];
  /** The step's `id` value range (what the rules point at) and the whole item's range (what the preview selects). */
  range: Range;
  itemRange: Range;
  note?: string;
}

export interface NodeLane {
  name: string;
  role?: string;
  /** When the node is down or degraded, one interval per step that takes it down. */
  down: { start: number; end: number; stepId: string }[];
}

export interface PlanWindow {
  /** As written (RFC 3339 with offset). */
  start: string;
  end: string;
  /** Length in minutes (negative or NaN when the window is broken: other rules report that). */
  minutes: number;
}

export interface Schedule {
  steps: ScheduledStep[];
  nodes: NodeLane[];
  /** Minutes from the first step's start to the last step's end. */
  total: number;
  window?: PlanWindow;
  /** The wall-clock start (the window's start) when known, as written. */
  startTime?: string;
}

/** A problem of the manifest as the timeline marks it on its step. */
export interface MarkedDiagnostic {
  rule: string;
  severity: Severity;
  message: string;
  /** The step it sits on (by index), when its range falls inside a step item. */
  stepIndex?: number;
}

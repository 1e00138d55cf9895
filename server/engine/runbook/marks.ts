/**
 * The manifest's diagnostics placed on the steps of its schedule: a diagnostic belongs to the step whose item
 * (`itemRange`) contains the start of its range; others (the header, the nodes, the whole file) belong to none.
 */
import type { Diagnostic, Position } from '../types';
import type { MarkedDiagnostic, ScheduledStep } from './types';

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * The index of the step whose item contains `pos`, or undefined. `order` is the steps sorted by where their item
 * starts (built once by `stepLocator`), so that each look-up is a binary search.
 */
export function stepLocator(steps: readonly ScheduledStep[]): (pos: Position) => number | undefined {
  const order = [...steps].sort((a, b) => (before(a.itemRange.start, b.itemRange.start) ? -1 : before(b.itemRange.start, a.itemRange.start) ? 1 : 0));
  return (pos) => {
    // The last step whose item starts at or before pos.
    let lo = 0,
      hi = order.length - 1,
      found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (before(pos, order[mid].itemRange.start)) hi = mid - 1;
      else {
        found = mid;
        lo = mid + 1;
      }
    }
    if (found < 0) return undefined;
    const s = order[found];
    return before(s.itemRange.end, pos) ? undefined : s.index;
  };
}

/** Each diagnostic as the timeline marks it, in the order given, with the step it sits on when there is one. */
export function markDiagnostics(diagnostics: readonly Diagnostic[], steps: readonly ScheduledStep[]): MarkedDiagnostic[] {
  const locate = stepLocator(steps);
  return diagnostics.map((d) => {
    const m: MarkedDiagnostic = { rule: d.rule, severity: d.severity, message: d.message };
    const at = locate(d.range.start);
    if (at !== undefined) m.stepIndex = at;
    return m;
  });
}

/**
 * Rules on time: the plan's schedule (runbook/schedule.ts) against its maintenance window and against the limits the
 * guides set on how long something may last. A refresh upgrade of IM and Presence with no window at all is
 * imp/maintenance-window's; a CUPM window too short for the installations alone is cupm/install-time's.
 */
import { msg, ruleDocs } from '../l10n/index';
import { isFreshInstall, isUpgrade, related } from '../manifest';
import { callmanager } from '../products/callmanager';
import { cupm } from '../products/cupm';
import { computeSchedule, planWindow, wallClock } from '../runbook/schedule';
import type { ScheduledStep } from '../runbook/types';
import type { ManifestRule } from './manifest';

/** The minutes of the steps whose duration was stated (given, documented or configured), the fallbacks left out. */
const stated = (steps: readonly ScheduledStep[]) => steps.reduce((n, x) => n + (x.source === 'fallback' ? 0 : x.duration), 0);

const windowOverrun: ManifestRule = {
  id: 'manifest/window-overrun',
  kind: 'upgrade-manifest',
  severity: 'warning',
  source: 'FMT-16, 003-41, 000-06, 000-43, 001-19, 003-38 (the plan fits its maintenance window, with the durations the guides give)',
  docs: ruleDocs('manifest/window-overrun'),
  check(ctx, report) {
    const w = planWindow(ctx);
    if (!w || !(w.minutes > 0) || !ctx.steps.length) return; // no window, or a broken one (schema, manifest/window-order)
    // The installations alone do not fit: cupm/install-time says so, once.
    if (ctx.product === 'cupm' && w.minutes < ctx.steps.filter(isFreshInstall).length * cupm.INSTALL_MINUTES) return;
    const sched = computeSchedule(ctx);
    // Only what someone stated counts towards the warning: the plan's durations, the guide's, the configuration's.
    // The fallbacks are our guesses; a plan that overruns only by them is drawn past the window but not reported.
    if (stated(sched.steps) <= w.minutes) return;
    const i = sched.steps.findIndex((s) => s.end > w.minutes);
    const s = sched.steps[i];
    const upTo = sched.steps.slice(0, i + 1);
    const estimated = upTo.filter((x) => x.estimated).length;
    const givenOnly = upTo.reduce((n, x) => n + (x.estimated ? 0 : x.duration), 0);
    const at = (minutes: number) => wallClock(w.start, minutes) ?? `+${minutes}`;
    const args = { id: s.id, start: at(s.start), end: at(s.end), windowEnd: w.end, over: Math.round(s.end - w.minutes) };
    report({
      range: ctx.steps[s.index].range,
      message:
        // Only the estimates push the plan past the end: say so, and how many there are.
        estimated && givenOnly <= w.minutes
          ? msg('manifest/window-overrun.estimated', { ...args, estimated, count: upTo.length })
          : msg('manifest/window-overrun.message', args),
      related: [
        related(ctx.keyRange('/maintenanceWindow'), msg('manifest/window-overrun.window', { start: w.start, end: w.end, minutes: Math.round(w.minutes) })),
        related(
          ctx.steps[sched.steps[sched.steps.length - 1].index].range,
          msg('manifest/window-overrun.total', { total: Math.round(sched.total), end: at(sched.total) }),
        ),
      ],
    });
  },
};

const oversubscribedTooLong: ManifestRule = {
  id: 'ccm/oversubscribed-too-long',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: ['callmanager'],
  source: '003-36 (secondaries oversubscribed for no more than a few hours)',
  docs: ruleDocs('ccm/oversubscribed-too-long'),
  check(ctx, report) {
    // The plan oversubscribes its secondaries (it says how many devices register to them while the primaries are
    // upgraded): from the start of the first primary's upgrade to the end of the last one.
    const n = ctx.m.devicesOnSecondary;
    if (typeof n !== 'number' || n <= 0) return;
    const primaries = ctx.steps.filter((s) => isUpgrade(s) && s.nodes.some((r) => ctx.byName.get(r.name)?.role === 'primary'));
    if (!primaries.length) return;
    const sched = computeSchedule(ctx);
    const first = sched.steps[primaries[0].index],
      last = sched.steps[primaries[primaries.length - 1].index];
    const during = sched.steps.slice(first.index, last.index + 1);
    // As for the window: the fallback guesses alone never make the oversubscription too long.
    if (stated(during) <= callmanager.MAX_OVERSUBSCRIBED_MINUTES) return;
    const minutes = last.end - first.start;
    const estimated = during.filter((x) => x.estimated).length;
    const args = { minutes: Math.round(minutes), max: callmanager.MAX_OVERSUBSCRIBED_MINUTES / 60, first: first.id, last: last.id };
    report({
      range: ctx.steps[last.index].range,
      message: estimated ? msg('ccm/oversubscribed-too-long.estimated', { ...args, estimated }) : msg('ccm/oversubscribed-too-long.message', args),
      related: [
        related(ctx.steps[first.index].range, msg('ccm/oversubscribed-too-long.first')),
        related(ctx.range('/devicesOnSecondary'), msg('ccm/oversubscribed-too-long.devices', { n })),
      ],
    });
  },
};

export const timeRules: ManifestRule[] = [windowOverrun, oversubscribedTooLong];

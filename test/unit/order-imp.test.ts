/**
 * IM and Presence order (issue 15): the step the user moved carries the one order diagnostic, with related
 * information on the step it must follow or precede and a Move fix that restores the plan; the planner writes the
 * guide's order (reference 000) for each from-version family and refuses what the rules refuse, with their message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../server/engine/l10n/index';
import { reorderEdit, stepBlocks } from '../../server/engine/order';
import { newManifest, type PlanNode, type PlanRequest } from '../../server/engine/planner/index';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';
import type { Diagnostic } from '../../server/engine/types';
import { context, lineOf, lintManifest, moveBefore, problems, seeded, show, shuffled } from '../helpers/plans';

const NODES: PlanNode[] = [
  { name: 'imp-pub', role: 'publisher', hardware: 'MCS-7835-I3' },
  { name: 'imp-sub1', role: 'subscriber', hardware: 'MCS-7835-I3' },
  { name: 'imp-sub2', role: 'subscriber', hardware: 'MCS-7835-I3' },
];
const planned = (req: Partial<PlanRequest>) => {
  const r = newManifest({ product: 'cucm-im-presence', from: '8.5(4)', to: '9.0(1)', nodes: NODES, ...req }, 'en');
  assert.ok(r.ok, r.ok ? '' : render(r.message, 'en'));
  return r;
};
/** Every diagnostic of an IM and Presence rule, whatever its severity, and the errors and warnings of any rule. */
const findings = (ds: Diagnostic[]) => ds.filter((d) => d.rule.startsWith('imp/') || d.severity === 'error' || d.severity === 'warning');

/** Checks the one finding of a moved step: rule, the range of its id, the related step, the fix and its text. */
function oneFinding(
  moved: string,
  original: string,
  want: { rule: string; id: string; related: string; relatedText: string; fix: string; restores?: boolean },
) {
  const ds = findings(lintManifest(moved));
  assert.deepEqual(
    ds.map((d) => d.rule),
    [want.rule],
    show(ds),
  );
  const [d] = ds;
  const line = lineOf(moved, `  - id: ${want.id}`);
  const col = moved.split('\n')[line].indexOf(want.id);
  assert.deepEqual(d.range, { start: { line, character: col }, end: { line, character: col + want.id.length } });
  assert.equal(d.related?.length, 1);
  assert.equal(d.related![0].range.start.line, lineOf(moved, `  - id: ${want.related}`));
  assert.equal(d.related![0].message, want.relatedText);
  assert.equal(d.fixes.length, 1);
  assert.equal(d.fixes[0].title, want.fix);
  assert.equal(d.fixes[0].preferred, true);
  const fixed = applyEdits(moved, d.fixes[0].edits);
  if (want.restores !== false) assert.equal(fixed, original);
  assert.deepEqual(problems(lintManifest(fixed)), []);
  return d;
}

test('the issue: moving enable-ha up gives one finding, on enable-ha, and the Move fix puts it back after the check', () => {
  const original = planned({ facts: { highAvailability: 'enabled' } }).text;
  assert.deepEqual(problems(lintManifest(original)), []);
  const moved = moveBefore(original, 'enable-ha', 'upgrade-publisher');
  const d = oneFinding(moved, original, {
    rule: 'imp/enable-ha-after-switch',
    id: 'enable-ha',
    related: 'upgrade-subscribers',
    relatedText: 'the last upgrade or switch',
    fix: 'Move `enable-ha` after `verify-cluster`',
  });
  assert.equal(
    d.message,
    '`enable-ha` enables high availability before `upgrade-subscribers`: enable it again only after every node is upgraded and switched to the new version.',
  );
});

test('moving the publisher down: imp/publisher-first is on the publisher step, with a fix that moves it back', () => {
  const original = planned({ facts: { highAvailability: 'enabled' } }).text;
  const moved = moveBefore(original, 'upgrade-publisher', 'verify-cluster');
  const d = oneFinding(moved, original, {
    rule: 'imp/publisher-first',
    id: 'upgrade-publisher',
    related: 'upgrade-subscribers',
    relatedText: 'a subscriber is upgraded here',
    fix: 'Move `upgrade-publisher` before `upgrade-subscribers`',
  });
  assert.equal(d.severity, 'error');
  assert.equal(
    d.message,
    "The publisher's upgrade `upgrade-publisher` comes after `upgrade-subscribers`, which upgrades subscriber imp-sub1, imp-sub2: upgrade the publisher first.",
  );
});

test('the COP file moved past the first upgrade: imp/cop-file-required on the COP step, moved back by its fix', () => {
  const original = planned({}).text;
  const moved = moveBefore(original, 'install-cop', 'upgrade-subscribers');
  oneFinding(moved, original, {
    rule: 'imp/cop-file-required',
    id: 'install-cop',
    related: 'upgrade-publisher',
    relatedText: 'The first upgrade',
    fix: 'Move `install-cop` before `upgrade-publisher`',
  });
});

test('disable-ha moved past the first upgrade: imp/ha-enabled on disable-ha, not on the header', () => {
  const original = planned({ facts: { highAvailability: 'enabled' } }).text;
  const moved = moveBefore(original, 'disable-ha', 'upgrade-subscribers');
  oneFinding(moved, original, {
    rule: 'imp/ha-enabled',
    id: 'disable-ha',
    related: 'upgrade-publisher',
    relatedText: 'first upgrade',
    fix: 'Move `disable-ha` before `upgrade-publisher`',
    // The guide's order puts disable-ha first; the fix puts it right before the upgrade, which is as valid.
    restores: false,
  });
});

test('switching after the upgrades: the publisher switched after the subscribers is the step out of place', () => {
  const original = planned({ from: '8.6(4)', facts: { switchMode: 'after-upgrades' } }).text;
  assert.deepEqual(problems(lintManifest(original)), []);
  const moved = moveBefore(original, 'switch-publisher', 'verify-cluster');
  oneFinding(moved, original, {
    rule: 'imp/publisher-first',
    id: 'switch-publisher',
    related: 'switch-subscribers',
    relatedText: 'a subscriber is switched to the new version here',
    fix: 'Move `switch-publisher` before `switch-subscribers`',
  });
  // A switch moved above the upgrade it follows: imp/switch-missing says so on the switch, and moves it after the upgrade.
  const early = moveBefore(original, 'switch-publisher', 'upgrade-publisher');
  const ds = findings(lintManifest(early));
  assert.deepEqual(
    ds.map((d) => d.rule),
    ['imp/switch-missing'],
    show(ds),
  );
  assert.equal(ds[0].range.start.line, lineOf(early, '  - id: switch-publisher'));
  assert.equal(ds[0].related![0].range.start.line, lineOf(early, '  - id: upgrade-publisher'));
  assert.equal(ds[0].fixes[0].title, 'Move `switch-publisher` after `upgrade-publisher`');
  assert.equal(ds[0].fixes[0].preferred, true);
  assert.deepEqual(problems(lintManifest(applyEdits(early, ds[0].fixes[0].edits))), []);
});

test('the Sync Agent started before it is stopped: the finding is on the stop, moved back before the start', () => {
  // Without the check of Unified CM between the two Sync Agent steps, which no rule places: the stop moved back
  // before the start is then the plan as it was.
  const original = planned({ from: '8.6(4)', facts: { unifiedCmFrom: '8.6(2)' } }).text.replace(/^ {2}- id: check-unified-cm\n(?: {4}.*\n)+/m, '');
  assert.ok(!original.includes('check-unified-cm'));
  assert.deepEqual(problems(lintManifest(original)), []);
  const moved = moveBefore(original, 'stop-sync-agent', 'upgrade-publisher');
  oneFinding(moved, original, {
    rule: 'imp/sync-agent-restart',
    id: 'stop-sync-agent',
    related: 'start-sync-agent',
    relatedText: 'the Sync Agent is started here',
    fix: 'Move `stop-sync-agent` before `start-sync-agent`',
  });
});

test('switching back to 8.6(3): the COP file written before the switch is moved after it', () => {
  const nodes = NODES.map((n) => ({ ...n }));
  const original = newManifest({ product: 'cucm-im-presence', from: '9.0(1)', to: '8.6(3)', nodes }, 'en');
  assert.ok(original.ok);
  assert.deepEqual(problems(lintManifest(original.text)), []);
  const moved = moveBefore(original.text, 'reinstall-cop', 'switch-back-subscribers');
  oneFinding(moved, original.text, {
    rule: 'imp/cop-after-revert',
    id: 'reinstall-cop',
    related: 'switch-back-subscribers',
    relatedText: 'the last switch back',
    fix: 'Move `reinstall-cop` after `switch-back-subscribers`',
  });
});

test('the planner: the issue CLI example (8.6(3), a publisher and a subscriber, defaults for every fact)', () => {
  const r = newManifest(
    {
      product: 'cucm-im-presence',
      from: '8.6(3)',
      to: '9.0(1)',
      nodes: [
        { name: 'imp-pub', role: 'publisher' },
        { name: 'imp-sub1', role: 'subscriber' },
      ],
    },
    'en',
  );
  assert.ok(r.ok);
  assert.deepEqual(
    r.plan.steps.map((s) => s.id),
    ['backup-drs', 'upgrade-publisher', 'upgrade-subscribers', 'verify-cluster'],
  );
  assert.deepEqual(r.plan.header.upgradeType, 'refresh');
  assert.ok(r.plan.header.maintenanceWindow, 'a refresh upgrade runs in a maintenance window (000-04)');
  assert.deepEqual(
    lintManifest(r.text),
    lintManifest(r.text).filter((d) => d.severity === 'hint' || d.severity === 'information'),
  );
  assert.deepEqual(problems(lintManifest(r.text)), []);
  assert.match(r.text, /duration: 20m/);
  assert.ok(newManifest({ product: 'cucm-im-presence', from: '8.6(3)', to: '9.0(1)', nodes: r.plan.nodes }, 'ja').ok);
});

test('the planner: from 8.0(1) with high availability, Unified CM upgraded too, an H3 server, switching after the upgrades', () => {
  const nodes: PlanNode[] = [
    { name: 'imp-pub', role: 'publisher', hardware: 'MCS-7835-I3' },
    { name: 'imp-sub1', role: 'subscriber', hardware: 'MCS-7825-H3' },
    { name: 'imp-sub2', role: 'subscriber' },
  ];
  const r = planned({ from: '8.0(1)', nodes, facts: { highAvailability: 'enabled', unifiedCmFrom: '8.6(2)', switchMode: 'after-upgrades' } });
  assert.deepEqual(
    r.plan.steps.map((s) => s.id),
    [
      'disable-ha',
      'backup-drs',
      'backup-usb',
      'stop-sync-agent',
      'check-unified-cm',
      'start-sync-agent',
      'install-cop',
      'upgrade-publisher',
      'upgrade-subscribers',
      'switch-publisher',
      'switch-subscribers',
      'verify-cluster',
      'enable-ha',
    ],
  );
  const step = (id: string) => r.plan.steps.find((s) => s.id === id)!;
  assert.equal(step('backup-usb').node, 'imp-sub1');
  assert.deepEqual(step('install-cop').nodes, ['imp-pub', 'imp-sub1', 'imp-sub2']);
  assert.equal(step('upgrade-publisher').switch, false);
  assert.equal(step('switch-publisher').duration, '30m');
  assert.equal(step('switch-subscribers').duration, undefined);
  assert.deepEqual(r.plan.header, {
    upgradeType: 'refresh',
    unifiedCmFrom: '8.6(2)',
    unifiedCmVersion: '9.0(1)',
    highAvailability: 'enabled',
    maintenanceWindow: { start: '2026-12-05T22:00:00+09:00', end: '2026-12-06T06:00:00+09:00' },
  });
  assert.deepEqual(problems(lintManifest(r.text)), []);
  assert.match(render(step('install-cop').note, 'en'), /000-19, 000-20\)$/);
  assert.match(render(step('install-cop').note, 'ja'), /COP ファイル/);
});

test('the planner: the staged upgrade and the standard upgrade from 8.6(4)', () => {
  const staged = planned({ from: '8.6(3)', facts: { switchMode: 'staged' } });
  assert.deepEqual(
    staged.plan.steps.map((s) => s.id),
    ['backup-drs', 'upgrade-publisher', 'switch-publisher', 'upgrade-subscribers', 'verify-cluster'],
  );
  assert.equal(staged.plan.steps[1].switch, false);
  assert.equal(staged.plan.steps[3].switch, undefined);
  const standard = planned({ from: '8.6(4)' });
  assert.deepEqual(
    standard.plan.steps.map((s) => s.id),
    ['backup-drs', 'upgrade-publisher', 'upgrade-subscribers', 'verify-cluster'],
  );
  assert.equal(standard.plan.header.upgradeType, 'standard');
  assert.equal(standard.plan.header.maintenanceWindow, undefined, 'the standard upgrade runs while the system is up');
  const given = planned({ from: '8.6(2)', maintenanceWindow: { start: '2027-01-09T21:00:00+09:00', end: '2027-01-10T05:00:00+09:00' } });
  assert.equal(given.plan.header.maintenanceWindow, undefined, "the request's window is written, not the default");
  assert.match(given.text, /start: 2027-01-09T21:00:00\+09:00/);
  assert.deepEqual(problems(lintManifest(given.text)), []);
});

test('refused paths: the rule and its exact message', () => {
  const refused = (req: Partial<PlanRequest>) => {
    const r = newManifest({ product: 'cucm-im-presence', from: '8.6(3)', to: '9.0(1)', nodes: NODES, ...req }, 'en');
    assert.ok(!r.ok);
    return { rule: r.rule, message: render(r.message, 'en') };
  };
  assert.deepEqual(refused({ from: '7.1(5)' }), {
    rule: 'imp/upgrade-path',
    message: 'There is no direct upgrade from 7.1(5) to 9.0(1): start from 8.0(1)–8.6(4).',
  });
  assert.deepEqual(refused({ facts: { unifiedCmVersion: '8.6(2)' } }), {
    rule: 'imp/cucm-version-match',
    message: 'Unified CM runs 8.6(2) but IM and Presence goes to 9.0(1): upgrade Unified CM to 9.0 first.',
  });
  // The linter says the same of the plan written with that Unified CM version.
  const ok = planned({ from: '8.6(3)' }).text.replace('unifiedCmVersion: 9.0(1)', 'unifiedCmVersion: 8.6(2)');
  assert.ok(lintManifest(ok).some((d) => d.rule === 'imp/cucm-version-match' && d.message === refused({ facts: { unifiedCmVersion: '8.6(2)' } }).message));
  const h3 = NODES.map((n, i) => (i === 1 ? { ...n, hardware: 'MCS-7828-H3' } : n));
  assert.deepEqual(refused({ from: '9.0(1)', to: '8.6(2)', nodes: h3 }), {
    rule: 'imp/no-revert-h3',
    message:
      'imp-sub1 is an MCS-7828-H3: its refresh upgrade reformatted the disk, so it cannot be switched back to 8.6(2). Install 8.6(2) afresh and restore the DRS backup instead.',
  });
  assert.equal(refused({ from: '9.0(1)', to: '9.1(1)' }).rule, 'plan/unsupported');
  assert.equal(refused({ from: '8.6(4)', to: '10.0(1)' }).rule, 'plan/unsupported');
});

test('shuffled planner plans sort back to a clean plan with the same steps', () => {
  for (const facts of [{ highAvailability: 'enabled', unifiedCmFrom: '8.6(2)', switchMode: 'after-upgrades' }, { switchMode: 'staged' }]) {
    const original = planned({ from: '8.0(1)', facts }).text;
    for (let k = 1; k <= 20; k++) {
      const ctx = context(original);
      const order = shuffled([...ctx.steps.keys()], seeded(k));
      if (order.every((x, i) => x === i)) continue;
      const mixed = applyEdits(original, [reorderEdit(ctx, stepBlocks(ctx)!, order)]);
      const r = sortManifestSteps(mixed);
      assert.ok('edits' in r);
      const sorted = applyEdits(mixed, r.edits);
      assert.deepEqual(problems(lintManifest(sorted)), [], `shuffle ${k}\n${sorted}`);
    }
  }
});

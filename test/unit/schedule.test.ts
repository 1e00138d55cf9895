/**
 * The scheduler (server/engine/runbook/schedule.ts) and the duration syntax (duration.ts): steps in order, several
 * nodes at once, given durations against the guide's, the configuration's and the fallbacks, windows across midnight
 * and UTC offsets, bad durations ignored (and reported by the schema), and the rules on time through `lint`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import manifestSchema from '../../schemas/upgrade-manifest.schema.json';
import { parseConfig } from '../../server/engine/config';
import { lint } from '../../server/engine/lint';
import { DURATION_PATTERN, parseDuration, STEP_ACTIONS } from '../../server/engine/runbook/duration';
import { FALLBACK_MINUTES, FALLBACK_OTHER_MINUTES, parseDateTime, scheduleForText, wallClock } from '../../server/engine/runbook/schedule';
import type { LintOptions } from '../../server/engine/types';
import { sanitizeDurations } from '../../server/lsp/session';

const HEAD = `manifestVersion: 1
product: cucm-im-presence
from: 8.6(4)
to: 9.0(1)
upgradeType: standard
`;
const NODES = `nodes:
  - { name: pub, role: publisher }
  - { name: sub1, role: subscriber }
  - { name: sub2, role: subscriber }
`;
const plan = (steps: string, window = '') => `${HEAD}${window}${NODES}steps:\n${steps}`;
const win = (start: string, end: string) => `maintenanceWindow:\n  start: ${start}\n  end: ${end}\n`;
const sched = (text: string, opts: LintOptions = {}) => {
  const s = scheduleForText(text, opts);
  assert.ok(s, 'a schedule');
  return s;
};
const rules = (text: string, opts: LintOptions = {}) => lint({ text, kind: 'upgrade-manifest' }, opts).diagnostics.map((d) => d.rule);

test('durations: hours and minutes, ISO 8601; bare numbers, blanks, other units and huge values are not durations', () => {
  assert.equal(parseDuration('45m'), 45);
  assert.equal(parseDuration('1h30m'), 90);
  assert.equal(parseDuration('2h'), 120);
  assert.equal(parseDuration('0m'), 0);
  assert.equal(parseDuration('PT45M'), 45);
  assert.equal(parseDuration('PT1H30M'), 90);
  assert.equal(parseDuration('PT2H'), 120);
  for (const bad of ['90', '', 'h', 'm', '1h 30m', ' 45m', '45 m', '2 hours', '1.5h', '-5m', 'PT', 'P1D', 'pt45m', '30m1h', '12345m', 90, null, undefined])
    assert.equal(parseDuration(bad), undefined, String(bad));
  // The schema's pattern is the same syntax, so what the schema accepts the scheduler reads.
  const pattern = (manifestSchema as unknown as { definitions: { step: { properties: { duration: { pattern: string } } } } }).definitions.step.properties
    .duration.pattern;
  assert.equal(pattern, DURATION_PATTERN);
  const re = new RegExp(pattern, 'u');
  for (const s of ['45m', '1h30m', '2h', 'PT45M', 'PT1H30M', '1h 30m', '90', 'PT', 'h'])
    assert.equal(re.test(s), parseDuration(s) !== undefined, `schema and parser agree on ${JSON.stringify(s)}`);
  assert.ok(STEP_ACTIONS.includes('upgrade') && STEP_ACTIONS.includes('switch-version') && STEP_ACTIONS.length >= 20);
});

test('steps run one after the other; a step naming several nodes runs on all of them at once', () => {
  const s = sched(
    plan(`  - { id: b, action: backup, node: pub, target: drs, duration: 30m }
  - { id: up-pub, action: upgrade, node: pub, duration: 1h30m }
  - { id: up-subs, action: upgrade, nodes: [sub1, sub2], duration: PT45M }
`),
  );
  assert.deepEqual(
    s.steps.map((x) => [x.id, x.start, x.end, x.nodes]),
    [
      ['b', 0, 30, ['pub']],
      ['up-pub', 30, 120, ['pub']],
      ['up-subs', 120, 165, ['sub1', 'sub2']],
    ],
  );
  assert.equal(s.total, 165);
  assert.ok(s.steps.every((x) => !x.estimated && x.source === 'given'));
  // A backup does not take its node down; an upgrade does, on every node it names, for its whole length.
  assert.deepEqual(s.steps[0].downNodes, []);
  assert.deepEqual(s.steps[2].downNodes, ['sub1', 'sub2']);
  const lane = (n: string) => s.nodes.find((l) => l.name === n)!;
  assert.deepEqual(lane('pub').down, [{ start: 30, end: 120, stepId: 'up-pub' }]);
  assert.deepEqual(lane('sub1').down, [{ start: 120, end: 165, stepId: 'up-subs' }]);
  assert.deepEqual(lane('sub2').down, lane('sub1').down);
  assert.equal(lane('pub').role, 'publisher');
  assert.equal(s.window, undefined);
  assert.equal(s.startTime, undefined);
  // The ranges are those of the steps' ids (what the rules point at) and of the items (what the preview selects).
  assert.equal(s.steps[1].range.start.line, 11);
  assert.equal(s.steps[1].range.start.character, 10);
  assert.equal(s.steps[1].itemRange.start.line, 11);
  assert.equal(s.steps[1].itemRange.start.character, 4);
});

test('without a duration: the guide documents one, else the configuration, else the fallback; all estimates', () => {
  const text = plan(`  - { id: b, action: backup, node: pub, target: drs }
  - { id: up-pub, action: upgrade, node: pub, switch: false }
  - { id: sw-pub, action: switch-version, node: pub }
  - { id: sw-sub, action: switch-version, node: sub1 }
  - { id: check-pub, action: verify, node: pub }
  - { id: check-sub, action: verify, node: sub1 }
  - { id: note, action: command, node: pub, run: utils service list }
`);
  const s = sched(text);
  const by = (id: string) => s.steps.find((x) => x.id === id)!;
  // 000-06: the publisher is down up to 30 minutes when it switches; 000-43: its feature services start up to 20 minutes late.
  assert.equal(by('sw-pub').source, 'guide');
  assert.equal(by('sw-pub').duration, 30);
  assert.match(by('sw-pub').guideRef!, /^000-06 /);
  assert.equal(by('check-pub').source, 'guide');
  assert.equal(by('check-pub').duration, 20);
  assert.match(by('check-pub').guideRef!, /^000-43 /);
  // A subscriber's switch and check have no figure in the guide.
  assert.equal(by('sw-sub').source, 'fallback');
  assert.equal(by('sw-sub').duration, FALLBACK_MINUTES['switch-version']);
  assert.equal(by('check-sub').duration, FALLBACK_OTHER_MINUTES);
  assert.equal(by('up-pub').duration, FALLBACK_MINUTES.upgrade);
  assert.ok(s.steps.every((x) => x.estimated));
  // The configuration replaces the fallbacks, never a documented duration.
  const c = sched(text, { defaultDurations: { upgrade: 150, 'switch-version': 5, verify: 3 } });
  const cb = (id: string) => c.steps.find((x) => x.id === id)!;
  assert.deepEqual([cb('up-pub').source, cb('up-pub').duration], ['config', 150]);
  assert.deepEqual([cb('sw-sub').source, cb('sw-sub').duration], ['config', 5]);
  assert.deepEqual([cb('sw-pub').source, cb('sw-pub').duration], ['guide', 30]);
  assert.deepEqual([cb('check-pub').source, cb('check-pub').duration], ['guide', 20]);
  assert.deepEqual([cb('b').source, cb('b').duration], ['fallback', FALLBACK_MINUTES.backup]);
  // A given duration wins over all of them.
  const g = sched(text.replace('{ id: sw-pub, action: switch-version, node: pub }', '{ id: sw-pub, action: switch-version, node: pub, duration: 12m }'));
  assert.deepEqual([g.steps[2].source, g.steps[2].duration, g.steps[2].estimated], ['given', 12, false]);
});

test('the documented durations of CUPM (a fresh installation, 001-19) and CallManager (a primary re-registers, 003-38)', () => {
  const cupmPlan = `manifestVersion: 1
product: cupm
from: 8.5
to: 8.5
nodes:
  - { name: old, role: all-in-one }
  - { name: new, role: all-in-one, replaces: old }
steps:
  - { id: install-new, action: install, node: new }
  - { id: install-pkg, action: install, node: new, package: patch }
`;
  const c = sched(cupmPlan);
  assert.deepEqual([c.steps[0].source, c.steps[0].duration], ['guide', 60]);
  assert.match(c.steps[0].guideRef!, /^001-19 /);
  assert.deepEqual(c.steps[0].downNodes, ['new'], 'a fresh installation takes its node down');
  assert.equal(c.steps[1].source, 'fallback', 'a package is not the installation the guide times');
  assert.deepEqual(c.steps[1].downNodes, []);
  const ccm = sched(`manifestVersion: 1
product: callmanager
from: 4.1(2)
to: 4.1(3)
nodes:
  - { name: pri1, role: primary }
  - { name: sec1, role: secondary }
steps:
  - { id: check-pri1, action: verify, node: pri1 }
  - { id: check-sec1, action: verify, node: sec1 }
`);
  assert.deepEqual([ccm.steps[0].source, ccm.steps[0].duration], ['guide', 30]);
  assert.match(ccm.steps[0].guideRef!, /^003-38 /);
  assert.equal(ccm.steps[1].source, 'fallback');
});

test('windows: across midnight in +09:00, in Z, and with two different offsets; the wall clock keeps the start offset', () => {
  const steps = '  - { id: up, action: upgrade, node: pub, duration: 2h }\n';
  const a = sched(plan(steps, win('2026-12-12T23:00:00+09:00', '2026-12-13T02:30:00+09:00')));
  assert.deepEqual(a.window, { start: '2026-12-12T23:00:00+09:00', end: '2026-12-13T02:30:00+09:00', minutes: 210 });
  assert.equal(a.startTime, '2026-12-12T23:00:00+09:00');
  const z = sched(plan(steps, win('2026-12-31T22:30:00Z', '2027-01-01T01:00:00Z')));
  assert.equal(z.window!.minutes, 150);
  // 23:00 in Tokyo is 14:00 UTC: a window to 17:00Z lasts three hours.
  const mixed = sched(plan(steps, win('2026-12-12T23:00:00+09:00', '2026-12-12T17:00:00Z')));
  assert.equal(mixed.window!.minutes, 180);
  // The forms the schema allows: a blank or a lower-case t, z, no seconds, fractions.
  assert.equal(parseDateTime('2026-12-12 23:00+09:00'), Date.parse('2026-12-12T14:00:00Z'));
  assert.equal(parseDateTime('2026-12-12t14:00:00.5z'), Date.parse('2026-12-12T14:00:00.500Z'));
  assert.ok(Number.isNaN(parseDateTime('2026-12-12T23:00')), 'no offset, no time');
  assert.equal(wallClock('2026-12-12T23:00:00+09:00', 90), '2026-12-13T00:30+09:00');
  assert.equal(wallClock('2026-12-31T22:30:00Z', 120), '2027-01-01T00:30Z');
  assert.equal(wallClock('2026-12-12T01:00:00-05:00', -90), '2026-12-11T23:30-05:00');
  // A window that ends before it starts is kept as written with its (negative) length, but gives no start time.
  const broken = sched(plan(steps, win('2026-12-12T23:00:00+09:00', '2026-12-12T05:00:00+09:00')));
  assert.equal(broken.window!.minutes, -1080);
  assert.equal(broken.startTime, undefined);
});

test('bad durations are ignored by the schedule (estimated instead) and reported by the schema', () => {
  const text = plan(`  - { id: a, action: backup, node: pub, target: drs, duration: 90 }
  - { id: b, action: upgrade, node: pub, duration: 1h 30m }
  - { id: c, action: upgrade, nodes: [sub1, sub2], duration: 45m }
`);
  const s = sched(text);
  assert.deepEqual(
    s.steps.map((x) => [x.source, x.duration]),
    [
      ['fallback', FALLBACK_MINUTES.backup],
      ['fallback', FALLBACK_MINUTES.upgrade],
      ['given', 45],
    ],
  );
  assert.deepEqual(rules(text), ['schema/type', 'schema/pattern']);
});

test('scheduleForText reads what lint reads: none for broken YAML, the first document of several, hostile input fast', () => {
  assert.equal(scheduleForText('steps: [\n'), undefined);
  assert.equal(scheduleForText(''), undefined);
  assert.equal(scheduleForText('- a\n- b\n'), undefined);
  const two = sched(`${plan('  - { id: one, action: upgrade, node: pub, duration: 5m }\n')}---\n${plan('  - { id: two, action: upgrade, node: pub }\n')}`);
  assert.deepEqual(
    two.steps.map((x) => x.id),
    ['one'],
  );
  // Steps without ids, actions or nodes, and nodes no step declares, are scheduled too.
  const odd = sched(plan('  - { node: ghost }\n  - {}\n  - { id: x, action: upgrade, nodes: [pub, pub] }\n'));
  assert.deepEqual(
    odd.steps.map((x) => [x.id, x.duration, x.nodes]),
    [
      ['#1', FALLBACK_OTHER_MINUTES, ['ghost']],
      ['#2', FALLBACK_OTHER_MINUTES, []],
      ['x', FALLBACK_MINUTES.upgrade, ['pub']],
    ],
  );
  assert.ok(odd.nodes.some((l) => l.name === 'ghost'));
  // 5,000 steps (about 150 KB) schedule well under a second.
  const many = Array.from({ length: 5000 }, (_, i) => `  - { id: s${i}, action: upgrade, nodes: [pub, sub1, sub2], duration: 1h30m }\n`).join('');
  const t0 = Date.now();
  const big = sched(plan(many, win('2026-12-12T23:00:00+09:00', '2026-12-13T05:00:00+09:00')));
  assert.equal(big.total, 5000 * 90);
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
  const t1 = Date.now();
  const d = lint({ text: plan(many, win('2026-12-12T23:00:00+09:00', '2026-12-13T05:00:00+09:00')), kind: 'upgrade-manifest' }).diagnostics;
  assert.equal(d.filter((x) => x.rule === 'manifest/window-overrun').length, 1);
  assert.ok(Date.now() - t1 < 3000, `lint ${Date.now() - t1} ms`);
});

test('manifest/window-overrun: on the first step past the end, with the window and the total; estimates said; fallbacks alone never', () => {
  const w = win('2026-12-12T22:00:00+09:00', '2026-12-13T00:30:00+09:00');
  const over = plan(
    `  - { id: b, action: backup, node: pub, target: drs, duration: 30m }
  - { id: up-pub, action: upgrade, node: pub, duration: 1h30m }
  - { id: up-subs, action: upgrade, nodes: [sub1, sub2], duration: 1h }
  - { id: last, action: verify, node: sub1, duration: 10m }
`,
    w,
  );
  const d = lint({ text: over, kind: 'upgrade-manifest' }).diagnostics.filter((x) => x.rule === 'manifest/window-overrun');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'warning');
  assert.equal(d[0].range.start.line, 15, 'on up-subs, the first step that ends after 00:30');
  assert.match(d[0].message, /"up-subs" is planned from 2026-12-13T00:00\+09:00 to 2026-12-13T01:00\+09:00, 30 minutes past/);
  assert.doesNotMatch(d[0].message, /estimate/);
  assert.equal(d[0].related?.length, 2);
  assert.match(d[0].related![0].message, /150 minutes/);
  assert.match(d[0].related![1].message, /190 minutes in all and ends at 2026-12-13T01:10\+09:00/);
  const ja = lint({ text: over, kind: 'upgrade-manifest' }, { locale: 'ja' }).diagnostics.find((x) => x.rule === 'manifest/window-overrun')!;
  assert.match(ja.message, /30 分超えます/);
  // It fits: nothing. The same plan in a window across midnight given in UTC.
  assert.ok(!rules(over.replace('2026-12-13T00:30:00+09:00', '2026-12-12T16:10:00Z')).includes('manifest/window-overrun'));
  assert.ok(rules(over.replace('2026-12-13T00:30:00+09:00', '2026-12-12T16:09:00Z')).includes('manifest/window-overrun'));
  // Only estimates push it past: said in the message. The guide's 30 minutes for the publisher's switch count.
  const est = plan(
    `  - { id: up-pub, action: upgrade, node: pub, duration: 2h15m }
  - { id: sw-pub, action: switch-version, node: pub }
`,
    w,
  );
  const e = lint({ text: est, kind: 'upgrade-manifest' }).diagnostics.find((x) => x.rule === 'manifest/window-overrun');
  assert.ok(e);
  assert.match(e.message, /counting estimates for 1 of the 2 steps/);
  // Configured durations count as stated ones.
  const cfg = plan('  - { id: up-pub, action: upgrade, node: pub }\n  - { id: up-sub, action: upgrade, node: sub1 }\n', w);
  assert.ok(!rules(cfg).includes('manifest/window-overrun'), 'the fallbacks alone are not reported');
  assert.ok(rules(cfg, { defaultDurations: { upgrade: 90 } }).includes('manifest/window-overrun'));
  // No window, a broken window, an unparsable one: nothing from this rule.
  for (const bad of ['', win('2026-12-13T00:30:00+09:00', '2026-12-12T22:00:00+09:00'), win('tonight', 'tomorrow')])
    assert.ok(!rules(over.replace(w, bad)).includes('manifest/window-overrun'), bad);
});

test('.upgrade-lint.json: defaultDurations per action, with problems for unknown actions and bad durations', () => {
  const ok = parseConfig('{ "defaultDurations": { "upgrade": "1h30m", "verify": "PT5M" } }');
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.config.defaultDurations, { upgrade: 90, verify: 5 });
  const bad = parseConfig('{ "defaultDurations": { "reboot": "5m", "upgrade": 90, "verify": "5 min", "backup": "20m" } }');
  assert.deepEqual(bad.config.defaultDurations, { backup: 20 });
  assert.equal(bad.problems.length, 3);
  assert.ok(bad.problems.every((p) => p.rule === 'config/invalid'));
  assert.match(bad.problems[0].message, /"reboot" is not a step action/);
  assert.match(bad.problems[1].message, /"upgrade" must be text such as "45m"/);
  assert.equal(parseConfig('{ "defaultDurations": [] }').problems.length, 1);
});

test('ccm/oversubscribed-too-long: only with devicesOnSecondary, over four hours of stated time between the primaries', () => {
  const text = (a: string, b: string, devices = 'devicesOnSecondary: 3000\n') => `manifestVersion: 1
product: callmanager
from: 4.1(2)
to: 4.1(3)
${devices}nodes:
  - { name: pub, role: publisher }
  - { name: sec, role: secondary }
  - { name: pri1, role: primary }
  - { name: pri2, role: primary }
steps:
  - { id: up-pub, action: upgrade, node: pub, duration: 1h }
  - { id: up-sec, action: upgrade, node: sec, duration: 1h }
  - { id: up-pri1, action: upgrade, node: pri1${a} }
  - { id: check-pri1, action: verify, node: pri1 }
  - { id: up-pri2, action: upgrade, node: pri2${b} }
`;
  const has = (t: string) => rules(t).includes('ccm/oversubscribed-too-long');
  // 2h + the guide's 30 minutes of re-registration + 2h = 4h30.
  assert.ok(has(text(', duration: 2h', ', duration: 2h')));
  assert.ok(!has(text(', duration: 1h45m', ', duration: 1h45m')), 'four hours exactly');
  assert.ok(!has(text(', duration: 2h', ', duration: 2h', '')), 'no oversubscription planned');
  assert.ok(!has(text('', '')), 'the fallbacks alone');
});

test('the upgradeLint.defaultDurations setting: actions and durations only, in minutes', () => {
  assert.deepEqual(sanitizeDurations({ upgrade: '2h', verify: 'PT5M', reboot: '5m', backup: 30, restore: '30 min' }), { upgrade: 120, verify: 5 });
  assert.deepEqual(sanitizeDurations(null), {});
  assert.deepEqual(sanitizeDurations('1h'), {});
});

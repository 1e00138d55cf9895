/**
 * CallManager order (issue 15): the step the user moved carries the one `ccm/order` diagnostic, with related
 * information on the step it must follow or precede and a Move fix that restores the plan; `ccm/one-at-a-time`
 * splits a step into one step per server; the planner writes the documented order and refuses what 003-24 refuses.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { render } from '../../server/engine/l10n/index';
import { reorderEdit, stepBlocks } from '../../server/engine/order';
import { newManifest, type PlanNode } from '../../server/engine/planner/index';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';
import type { Diagnostic } from '../../server/engine/types';
import { context, lintManifest, moveBefore, problems, ROOT, seeded, show, shuffled } from '../helpers/plans';

const EXAMPLE = path.join(ROOT, 'examples/callmanager/cluster-4.1.upgrade.yaml');
const DOMAIN = path.join(ROOT, 'examples/callmanager/domain-cluster-4.1.upgrade.yaml');
const read = (f: string) => fs.readFileSync(f, 'utf8');

/** The 0-based line that holds `needle`. */
const lineWith = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
const orderFindings = (ds: Diagnostic[]) => ds.filter((d) => d.rule === 'ccm/order');

test('the issue: moving one CallManager step up gives one ccm/order error, on the moved step, with a Move fix back', () => {
  const original = read(EXAMPLE);
  assert.deepEqual(problems(lintManifest(original, EXAMPLE)), []);
  // upgrade-sub1 (a primary) moved up, right after the publisher: before tftp, moh and the secondary.
  const moved = moveBefore(original, 'upgrade-sub1', 'upgrade-tftp');
  const ds = lintManifest(moved, EXAMPLE);
  assert.deepEqual(
    problems(ds).map((d) => d.rule),
    ['ccm/order'],
    show(problems(ds)),
  );
  const [d] = orderFindings(ds);
  const line = lineWith(moved, 'id: upgrade-sub1,');
  assert.equal(d.range.start.line, line);
  const col = moved.split('\n')[line].indexOf('upgrade-sub1');
  assert.deepEqual(d.range, { start: { line, character: col }, end: { line, character: col + 'upgrade-sub1'.length } });
  assert.equal(
    d.message,
    'This step upgrades a server with role `primary` before the `secondary` server of `upgrade-backup`; upgrade in the order publisher → tftp → services → secondary → primary → application.',
  );
  assert.equal(d.related?.length, 1);
  assert.equal(d.related![0].range.start.line, lineWith(moved, 'id: upgrade-backup,'));
  assert.equal(d.related![0].message, 'the `secondary` server is upgraded here; the step out of place must come after it');
  assert.equal(d.fixes.length, 1);
  assert.equal(d.fixes[0].title, 'Move `upgrade-sub1` after `upgrade-backup`');
  assert.equal(d.fixes[0].preferred, true);
  assert.equal(applyEdits(moved, d.fixes[0].edits), original);
});

test('moving one CallManager step down: the error is on the moved step, the fix moves it back before the step it jumped', () => {
  const original = read(EXAMPLE);
  const moved = moveBefore(original, 'upgrade-tftp', 'upgrade-sub1');
  const ds = lintManifest(moved, EXAMPLE);
  assert.deepEqual(
    problems(ds).map((d) => d.rule),
    ['ccm/order'],
    show(problems(ds)),
  );
  const [d] = orderFindings(ds);
  assert.equal(d.range.start.line, lineWith(moved, 'id: upgrade-tftp,'));
  assert.equal(
    d.message,
    'This step upgrades a server with role `tftp` after the `services` server of `upgrade-moh`; upgrade in the order publisher → tftp → services → secondary → primary → application.',
  );
  assert.equal(d.related![0].range.start.line, lineWith(moved, 'id: upgrade-moh,'));
  assert.equal(d.related![0].message, 'the `services` server is upgraded here; the step out of place must come before it');
  assert.equal(d.fixes[0].title, 'Move `upgrade-tftp` before `upgrade-moh`');
  assert.equal(applyEdits(moved, d.fixes[0].edits), original);
});

test('a step moved across its preparations: sorting restores a valid plan (Terminal Services, domain, NTP)', () => {
  for (const file of [EXAMPLE, DOMAIN]) {
    const original = read(file);
    for (let k = 1; k <= 20; k++) {
      const ctx = context(original);
      const order = shuffled([...ctx.steps.keys()], seeded(k));
      const mixed = applyEdits(original, [reorderEdit(ctx, stepBlocks(ctx)!, order)]);
      const r = sortManifestSteps(mixed);
      assert.ok('edits' in r);
      const sorted = applyEdits(mixed, r.edits);
      assert.deepEqual(problems(lintManifest(sorted, file)), [], `${path.basename(file)} shuffle ${k}`);
    }
  }
});

test('ccm/one-at-a-time: "Split into one step per server", one-line steps, in the documented role order', () => {
  const text = [
    'manifestVersion: 1',
    'product: callmanager',
    'maintenanceWindow: {start: "2026-12-05T23:00:00+09:00", end: "2026-12-06T04:00:00+09:00"}',
    'from: 4.0(2a)',
    'to: 4.1(3)',
    'nodes:',
    '  - {name: pub, role: publisher, services: [csa]}',
    '  - {name: pri1, role: primary, services: [csa]}',
    '  - {name: sec1, role: secondary, services: [csa]}',
    'steps:',
    '  - {id: sr, action: install, nodes: [pub, pri1, sec1], package: service-releases}',
    '  - {id: ts-off, action: stop-service, nodes: [pub, pri1, sec1], service: terminal-services}',
    '  - {id: up-pub, action: upgrade, node: pub}',
    '  - {id: up-subs, action: upgrade, nodes: [pri1, sec1], via: console}',
    '  - {id: ts-on, action: start-service, nodes: [pub, pri1, sec1], service: terminal-services}',
    '',
  ].join('\n');
  const d = lintManifest(text).find((x) => x.rule === 'ccm/one-at-a-time')!;
  assert.ok(d);
  assert.equal(d.fixes[0].title, 'Split into one step per server');
  assert.equal(d.fixes[0].preferred, true);
  const fixed = applyEdits(text, d.fixes[0].edits);
  assert.equal(
    fixed,
    text.replace(
      '  - {id: up-subs, action: upgrade, nodes: [pri1, sec1], via: console}\n',
      '  - {id: up-subs-sec1, action: upgrade, node: sec1, via: console}\n  - {id: up-subs-pri1, action: upgrade, node: pri1, via: console}\n',
    ),
  );
  assert.deepEqual(problems(lintManifest(fixed)), []);
});

test('ccm/one-at-a-time: block steps keep their comments and keys; the last step of a file without a final line break', () => {
  const head = [
    'manifestVersion: 1',
    'product: callmanager',
    'maintenanceWindow: {start: "2026-12-05T23:00:00+09:00", end: "2026-12-06T04:00:00+09:00"}',
    'from: 4.0(2a)',
    'to: 4.1(3)',
    'nodes:',
    '  - {name: pub, role: publisher}',
    '  - {name: tftp, role: tftp}',
    'steps:',
    '  # both at once',
    '  - id: up',
    '    action: upgrade',
    '    nodes:',
    '      - tftp',
    '      - pub',
    '    via: console # at the console',
  ].join('\n');
  const d = lintManifest(head).find((x) => x.rule === 'ccm/one-at-a-time')!;
  assert.equal(
    applyEdits(head, d.fixes[0].edits),
    head.replace(
      '  - id: up\n    action: upgrade\n    nodes:\n      - tftp\n      - pub\n    via: console # at the console',
      '  - id: up-pub\n    action: upgrade\n    node: pub\n    via: console # at the console\n  - id: up-tftp\n    action: upgrade\n    node: tftp\n    via: console # at the console',
    ),
  );
  // Not safe: a name that is no node of the manifest, or steps written in flow style.
  assert.deepEqual(lintManifest(head.replace('      - pub', '      - nobody')).find((x) => x.rule === 'ccm/one-at-a-time')!.fixes, []);
  const flow = head.replace(/steps:[\s\S]*$/, 'steps: [{id: up, action: upgrade, nodes: [pub, tftp]}]\n');
  assert.deepEqual(lintManifest(flow).find((x) => x.rule === 'ccm/one-at-a-time')!.fixes, []);
});

const CLUSTER: PlanNode[] = [
  { name: 'ccm-sub1', role: 'primary', memoryMB: 2048, services: ['csa'] },
  { name: 'ccm-pub', role: 'publisher', memoryMB: 2048, hardware: 'MCS-7835-H2', osVersion: '2000.2.6sr4', services: ['csa', 'vnc'] },
  { name: 'ccm-app1', role: 'application', services: ['emergency-responder'] },
  { name: 'ccm-sec1', role: 'secondary', memoryMB: 2048, services: ['csa', 'verified-apps', 'crs'] },
  { name: 'ccm-tftp', role: 'tftp', memoryMB: 1024, services: ['csa'] },
  { name: 'ccm-sub2', role: 'primary', memoryMB: 2048, services: ['csa'] },
];

test('the planner: a 3.3 cluster in a Windows domain to 4.1(3), every step in the documented order', () => {
  const r = newManifest({ product: 'callmanager', from: '3.3(5)', to: '4.1(3)', nodes: CLUSTER, facts: { windowsDomain: 'CORP' } }, 'en');
  assert.ok(r.ok);
  assert.deepEqual(
    r.plan.steps.map((s) => s.id),
    [
      'service-releases',
      'os-upgrade-ccm-pub',
      'remove-drive-ccm-pub',
      'disable-terminal-services',
      'disable-vnc',
      'disable-verified-apps',
      'leave-domain-ccm-pub',
      'upgrade-ccm-pub',
      'leave-domain-ccm-tftp',
      'upgrade-ccm-tftp',
      'leave-domain-ccm-sec1',
      'upgrade-ccm-sec1',
      'leave-domain-ccm-sub1',
      'upgrade-ccm-sub1',
      'leave-domain-ccm-sub2',
      'upgrade-ccm-sub2',
      'upgrade-ccm-app1',
      'enable-terminal-services',
      'rejoin-domain',
      'disable-cisco-ntp',
      'upgrade-crs-ccm-sec1',
      'enable-verified-apps',
      'verify-registration',
    ],
  );
  const byId = new Map(r.plan.steps.map((s) => [s.id, s]));
  // The application server runs no CallManager: no Terminal Services, domain or NTP steps for it.
  assert.deepEqual(byId.get('disable-terminal-services')!.nodes, ['ccm-pub', 'ccm-tftp', 'ccm-sec1', 'ccm-sub1', 'ccm-sub2']);
  assert.equal(byId.get('verify-registration')!.duration, '30m');
  assert.equal(r.plan.steps.filter((s) => s.duration !== undefined).length, 1);
  assert.match(
    render(byId.get('upgrade-ccm-pub')!.note, 'en'),
    /Upgrade the publisher ccm-pub first.*\(Cisco CallManager 4\.1 pre-installation guide, 003-02, 003-05, 003-06, 003-16, 003-32\)$/,
  );
  assert.match(render(byId.get('upgrade-ccm-pub')!.note, 'ja'), /最初にパブリッシャ ccm-pub/);
  assert.deepEqual(problems(lintManifest(r.text)), []);
  const ja = newManifest({ product: 'callmanager', from: '3.3(5)', to: '4.1(3)', nodes: CLUSTER }, 'ja');
  assert.ok(ja.ok);
  assert.deepEqual(problems(lintManifest(ja.text)), []);
});

test('the planner: VNC carries the publisher upgrade, no drive fallback, a two-server cluster from 4.1(2)', () => {
  const nodes: PlanNode[] = [
    { name: 'pub', role: 'publisher', hardware: 'MCS-7825-H1', services: ['csa', 'vnc'] },
    { name: 'sub', role: 'primary', services: ['csa', 'vnc'] },
  ];
  const r = newManifest({ product: 'callmanager', from: '4.1(2)', to: '4.1(3)', nodes, facts: { publisherVia: 'vnc' } }, 'en');
  assert.ok(r.ok);
  // The MCS-7825's drive cannot be removed (003-49); VNC stays on the publisher, which it upgrades (003-45).
  assert.deepEqual(
    r.plan.steps.map((s) => [s.id, s.node ?? s.nodes, s.via].filter((x) => x !== undefined)),
    [
      ['service-releases', ['pub', 'sub']],
      ['disable-terminal-services', ['pub', 'sub']],
      ['disable-vnc', 'sub'],
      ['upgrade-pub', 'pub', 'vnc'],
      ['upgrade-sub', 'sub', 'console'],
      ['enable-terminal-services', ['pub', 'sub']],
      ['verify-registration', ['pub', 'sub']],
    ],
  );
  assert.deepEqual(problems(lintManifest(r.text)), []);
});

test('the planner refuses 3.2 → 4.1 with ccm/upgrade-path and its message, and a server the guide does not allow', () => {
  const r = newManifest({ product: 'callmanager', from: '3.2(3)', to: '4.1(3)', nodes: CLUSTER }, 'en');
  assert.ok(!r.ok);
  assert.equal(r.rule, 'ccm/upgrade-path');
  assert.equal(render(r.message, 'en'), 'There is no direct upgrade from 3.2(3) to 4.1(3): upgrade to 3.3 first.');
  const low = newManifest({ product: 'callmanager', from: '4.0(2a)', to: '4.1(3)', nodes: [{ name: 'pub', role: 'publisher', memoryMB: 512 }] }, 'en');
  assert.ok(!low.ok);
  assert.equal(low.rule, 'ccm/memory');
  const unity = newManifest({ product: 'callmanager', from: '4.0(2a)', to: '4.1(3)', nodes: [{ name: 'pub', role: 'publisher', services: ['unity'] }] }, 'en');
  assert.ok(!unity.ok);
  assert.equal(unity.rule, 'ccm/coresident-app');
  const down = newManifest({ product: 'callmanager', from: '4.1(3)', to: '4.0(2a)', nodes: [{ name: 'pub', role: 'publisher' }] }, 'en');
  assert.ok(!down.ok);
  assert.equal(down.rule, 'plan/unsupported');
});

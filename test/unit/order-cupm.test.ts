/**
 * Provisioning Manager order (issue 15): the step the user moved carries the one order diagnostic
 * (`cupm/database-first`, `cupm/uninstall-first`), with related information on the step it must follow or precede
 * and a Move fix that restores the plan; the planner writes the documented order (001-08, 001-42, 001-46, 001-54)
 * and refuses what 001-40 refuses; the valid plans of the rule fixtures sort back into a clean order.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { render } from '../../server/engine/l10n/index';
import { reorderEdit, stepBlocks } from '../../server/engine/order';
import { newManifest, type PlanRequest } from '../../server/engine/planner/index';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';
import { ROOT, context, lineOf, lintManifest, moveBefore, problems, seeded, show, shuffled } from '../helpers/plans';

const planText = (req: Omit<PlanRequest, 'product'>) => {
  const r = newManifest({ product: 'cupm', ...req }, 'en');
  assert.ok(r.ok, r.ok ? '' : render(r.message, 'en'));
  return r;
};
const ids = (req: Omit<PlanRequest, 'product'>) => planText(req).plan.steps.map((s) => s.id);

const DISTRIBUTED = {
  from: '2.2',
  to: '8.5',
  nodes: [
    { name: 'cupm-app1', role: 'application' },
    { name: 'cupm-db1', role: 'database' },
    { name: 'cupm-db2', role: 'database' },
  ],
  facts: { size: 'medium' },
};

test('the issue: moving the application upgrade up gives one cupm/database-first warning, on the moved step, with a Move fix back', () => {
  const original = planText(DISTRIBUTED).text;
  assert.deepEqual(problems(lintManifest(original)), []);
  const moved = moveBefore(original, 'upgrade-cupm-app1', 'upgrade-cupm-db1');
  const ds = problems(lintManifest(moved));
  assert.deepEqual(
    ds.map((d) => d.rule),
    ['cupm/database-first'],
    show(ds),
  );
  const [d] = ds;
  const line = lineOf(moved, '  - id: upgrade-cupm-app1');
  assert.deepEqual(d.range, { start: { line, character: 8 }, end: { line, character: 8 + 'upgrade-cupm-app1'.length } });
  assert.equal(d.message, 'cupm-app1 is upgraded before the database server: upgrade the database server first, then the application server.');
  assert.equal(d.related?.length, 1);
  assert.equal(d.related![0].range.start.line, lineOf(moved, '  - id: upgrade-cupm-db2'));
  assert.equal(d.related![0].message, 'The database server is upgraded here');
  assert.equal(d.fixes.length, 1);
  assert.equal(d.fixes[0].title, 'Move `upgrade-cupm-app1` after `upgrade-cupm-db2`');
  assert.equal(d.fixes[0].preferred, true);
  assert.equal(applyEdits(moved, d.fixes[0].edits), original);
  // Sorting puts it back as well.
  const sorted = sortManifestSteps(moved);
  assert.ok('edits' in sorted);
  assert.equal(applyEdits(moved, sorted.edits), original);
});

test('moving a database upgrade down: the warning is on the moved step, the fix moves it back before the step it jumped', () => {
  const original = planText(DISTRIBUTED).text;
  const moved = moveBefore(original, 'upgrade-cupm-db2', 'check-login-cupm-app1');
  const ds = problems(lintManifest(moved));
  assert.deepEqual(
    ds.map((d) => d.rule),
    ['cupm/database-first'],
    show(ds),
  );
  const [d] = ds;
  assert.equal(d.range.start.line, lineOf(moved, '  - id: upgrade-cupm-db2'));
  assert.equal(
    d.message,
    'cupm-db2 is upgraded after the application server cupm-app1 of `upgrade-cupm-app1`: upgrade the database server first, then the application server.',
  );
  assert.equal(d.related![0].range.start.line, lineOf(moved, '  - id: upgrade-cupm-app1'));
  assert.equal(d.related![0].message, 'The application server is upgraded here; the database server is upgraded before it');
  assert.equal(d.fixes[0].title, 'Move `upgrade-cupm-db2` before `upgrade-cupm-app1`');
  assert.equal(applyEdits(moved, d.fixes[0].edits), original);
});

test('moving the uninstall below the reinstallation: one cupm/uninstall-first warning on the uninstall, moved back by its fix', () => {
  const original = planText({ from: '8.5', to: '2.2', nodes: [{ name: 'cupm01', role: 'all-in-one' }] }).text;
  assert.deepEqual(problems(lintManifest(original)), []);
  const moved = moveBefore(original, 'uninstall-cupm01', 'stop-apache-cupm01');
  const ds = problems(lintManifest(moved));
  assert.deepEqual(
    ds.map((d) => d.rule),
    ['cupm/uninstall-first'],
    show(ds),
  );
  const [d] = ds;
  assert.equal(d.range.start.line, lineOf(moved, '  - id: uninstall-cupm01'));
  assert.equal(
    d.message,
    'uninstall-cupm01 runs the uninstall program on cupm01 after `install-2.2-cupm01` has already removed files or installed again: uninstall first, then delete by hand only what it leaves behind and install again.',
  );
  assert.equal(d.related![0].range.start.line, lineOf(moved, '  - id: install-2.2-cupm01'));
  assert.equal(d.fixes[0].title, 'Move `uninstall-cupm01` before `install-2.2-cupm01`');
  assert.equal(applyEdits(moved, d.fixes[0].edits), original);
});

test('the planner: 2.1 to 8.5 on one system, in the guide order', () => {
  const r = planText({ from: '2.1', to: '8.5', nodes: [{ name: 'cupm01', role: 'all-in-one', services: ['Cisco Security Agent'] }] });
  assert.deepEqual(r.plan.header, { deployment: 'single', installDir: 'C:\\CUPM' });
  assert.deepEqual(
    r.plan.steps.map((s) => s.id),
    [
      'delete-openssl-dlls-cupm01',
      'stop-apache-cupm01',
      'stop-jboss-cupm01',
      'stop-nice-cupm01',
      'dump-database-cupm01',
      'copy-config-cupm01',
      'start-apache-cupm01',
      'start-jboss-cupm01',
      'start-nice-cupm01',
      'disable-csa-cupm01',
      'upgrade-cupm01',
      'enable-csa-cupm01',
      'check-login-cupm01',
      'sync-processors-cupm01',
      'line-users-cupm01',
    ],
  );
  assert.equal(r.plan.nodes[0].os, 'windows-2003');
  assert.deepEqual(
    lintManifest(r.text).filter((d) => d.rule.startsWith('cupm/')),
    [],
  );
});

test('the planner: distributed 2.2 to 8.5, then moved to Windows Server 2008 (database first, restore on the new system)', () => {
  const steps = ids({
    from: '2.2',
    to: '8.5',
    nodes: [
      { name: 'app', role: 'application', address: '10.0.0.10' },
      { name: 'db', role: 'database' },
    ],
    facts: { moveTo2008: true, https: true },
  });
  assert.deepEqual(steps, [
    'upgrade-openssl-app',
    'stop-apache-app',
    'stop-jboss-app',
    'stop-nice-app',
    'dump-database-app',
    'copy-config-app',
    'start-apache-app',
    'start-jboss-app',
    'start-nice-app',
    'upgrade-db',
    'upgrade-app',
    'check-login-app',
    'sync-processors-app',
    'stop-apache-app-2',
    'stop-jboss-app-2',
    'stop-nice-app-2',
    'dump-database-app-2',
    'copy-config-app-2',
    'start-apache-app-2',
    'start-jboss-app-2',
    'start-nice-app-2',
    'install-8.5-db-w2008',
    'install-8.5-app-w2008',
    'check-login-app-w2008',
    'stop-apache-app-w2008',
    'stop-jboss-app-w2008',
    'stop-nice-app-w2008',
    'restore-database-app-w2008',
    'copy-config-back-app-w2008',
    'new-db-address-app-w2008',
    'nice-row-db-w2008',
    'restart-postgresql-db-w2008',
    'start-apache-app-w2008',
    'start-jboss-app-w2008',
    'start-nice-app-w2008',
  ]);
  const r = planText({
    from: '8.5',
    to: '8.5',
    nodes: [
      { name: 'old', role: 'all-in-one' },
      { name: 'new', role: 'all-in-one', replaces: 'old' },
    ],
  });
  assert.deepEqual(
    r.plan.nodes.map((n) => [n.name, n.os]),
    [
      ['old', 'windows-2003'],
      ['new', 'windows-2008'],
    ],
  );
  assert.equal(r.plan.steps.find((s) => s.id === 'install-8.5-new')?.duration, '60m');
});

test('the planner refuses 2.0 to 8.5 with the message of cupm/upgrade-path, and a node set the rules reject', () => {
  const nodes = [{ name: 'cupm01', role: 'all-in-one' }];
  const r = newManifest({ product: 'cupm', from: '2.0', to: '8.5', nodes }, 'en');
  assert.ok(!r.ok);
  assert.equal(r.rule, 'cupm/upgrade-path');
  const text = planText({ from: '2.2', to: '8.5', nodes }).text.replace(/^from: .*$/m, 'from: "2.0"');
  const ds = lintManifest(text).filter((d) => d.rule === 'cupm/upgrade-path');
  assert.deepEqual(
    ds.map((d) => d.message),
    [render(r.message, 'en')],
  );
  assert.equal(render(r.message, 'en'), 'CUPM 8.5 can be upgraded to from 2.1 or 2.2 only, not from 2.0: upgrade to 2.2 first.');
  const big = newManifest(
    { product: 'cupm', from: '2.2', to: '8.5', nodes: [{ name: 'c', role: 'all-in-one', memoryMB: 2048 }], facts: { size: 'large' } },
    'en',
  );
  assert.ok(!big.ok);
  assert.equal(big.rule, 'cupm/size-memory');
  const on2008 = newManifest({ product: 'cupm', from: '2.1', to: '8.5', nodes: [{ name: 'c', role: 'all-in-one', os: 'windows-2008' }] }, 'en');
  assert.ok(!on2008.ok);
  assert.equal(on2008.rule, 'cupm/windows-2008');
});

test('the valid rule fixtures of CUPM, shuffled and sorted, lint clean again', () => {
  const dir = path.join(ROOT, 'test/fixtures/manifest/cupm');
  for (const name of fs.readdirSync(dir).filter((f) => /^valid-.*\.upgrade\.yaml$/.test(f))) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(problems(lintManifest(text, file)), [], name);
    const ctx = context(text);
    const b = stepBlocks(ctx);
    if (!b) continue;
    for (let k = 1; k <= 10; k++) {
      const mixed = applyEdits(text, [reorderEdit(ctx, b, shuffled([...ctx.steps.keys()], seeded(k * 7717)))]);
      const r = sortManifestSteps(mixed);
      assert.ok('edits' in r, `${name} shuffle ${k}`);
      const sorted = applyEdits(mixed, r.edits);
      const ds = problems(lintManifest(sorted, file));
      assert.deepEqual(ds, [], `${name} shuffle ${k}:\n${show(ds)}\n${sorted}`);
    }
  }
});

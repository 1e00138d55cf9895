/**
 * iplanet-messaging order rules and planner (issue 15): a back-out step moved up or down is the one flagged by
 * `ims/backout-order`, with related information on the step it must follow or precede and a Move fix that restores
 * the plan; the order of a shuffled upgrade is restored by the sort; the planner's steps for typical requests, in
 * order; a refused path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../server/engine/l10n/index';
import { newManifest, type PlanRequest } from '../../server/engine/planner/index';
import { iplanetPlanner } from '../../server/engine/planner/iplanet';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';
import { lintManifest, problems, show } from '../helpers/plans';

const backoutReq: PlanRequest = {
  product: 'iplanet-messaging',
  from: '5.2',
  to: '5.1',
  nodes: [
    { name: 'mail01', role: 'messaging', os: 'solaris', services: ['web', 'delegated-admin'] },
    { name: 'ldap01', role: 'directory', os: 'solaris' },
  ],
  facts: { highAvailability: 'none' },
};

const planned = (req: PlanRequest) => {
  const r = newManifest(req, 'en');
  assert.ok(r.ok, r.ok ? '' : render(r.message, 'en'));
  return r;
};

/** The text with the step `id` (and its lines) moved right before the step `target`, or to after it. */
function move(text: string, id: string, where: 'before' | 'after', target: string): string {
  const lines = text.split('\n');
  const start = (x: string) => lines.findIndex((l) => l === `  - id: ${x}`);
  const end = (i: number) => {
    let j = i + 1;
    while (j < lines.length && lines[j].startsWith('    ')) j++;
    return j;
  };
  const i = start(id);
  const block = lines.splice(i, end(i) - i);
  const t = start(target);
  lines.splice(where === 'before' ? t : end(t), 0, ...block);
  return lines.join('\n');
}
const lineOf = (text: string, id: string) => text.split('\n').findIndex((l) => l === `  - id: ${id}`);

test('iPlanet back-out: the planner plan lints clean', () => {
  const r = planned(backoutReq);
  assert.deepEqual(problems(lintManifest(r.text)), []);
});

for (const c of [
  // stop-admin moved up above stop-msg: it is too early and belongs after stop-directory.
  {
    name: 'moved up',
    id: 'stop-admin',
    where: 'before' as const,
    target: 'stop-msg',
    fix: 'Move `stop-admin` after `stop-directory`',
    other: 'stop-directory',
  },
  // stop-web moved down below stop-directory: it is too late and belongs before stop-msg.
  { name: 'moved down', id: 'stop-web', where: 'after' as const, target: 'stop-directory', fix: 'Move `stop-web` before `stop-msg`', other: 'stop-msg' },
  // start-msg moved up above start-admin: too early, after start-directory.
  {
    name: 'start moved up',
    id: 'start-msg',
    where: 'before' as const,
    target: 'start-admin',
    fix: 'Move `start-msg` after `start-directory`',
    other: 'start-directory',
  },
]) {
  test(`iPlanet back-out, one step ${c.name}: one ims/backout-order finding on it, related on ${c.other}, the move fix restores the plan`, () => {
    const original = planned(backoutReq).text;
    const text = move(original, c.id, c.where, c.target);
    assert.notEqual(text, original);
    const ds = problems(lintManifest(text));
    assert.equal(ds.length, 1, show(ds));
    const d = ds[0];
    assert.equal(d.rule, 'ims/backout-order');
    assert.equal(d.severity, 'error');
    const line = lineOf(text, c.id);
    assert.equal(d.range.start.line, line);
    assert.equal(d.range.start.character, '  - id: '.length);
    assert.equal(d.range.end.character, '  - id: '.length + c.id.length);
    assert.equal(d.related?.length, 1);
    assert.equal(d.related?.[0].range.start.line, lineOf(text, c.other));
    const fix = d.fixes.find((f) => f.title === c.fix);
    assert.ok(fix, d.fixes.map((f) => f.title).join(', '));
    assert.equal(fix.preferred, true, 'the move satisfies every chain');
    assert.equal(applyEdits(text, fix.edits), original);
  });
}

test('iPlanet upgrade: a backup moved after the upgrade is put back by the sort, and the plan lints clean again', () => {
  const req: PlanRequest = {
    product: 'iplanet-messaging',
    from: '5.1',
    to: '5.2',
    nodes: [
      { name: 'mail01', role: 'messaging', os: 'solaris' },
      { name: 'ldap01', role: 'directory', os: 'solaris' },
    ],
    facts: { highAvailability: 'none', directoryServerVersion: '4.13' },
  };
  const original = planned(req).text;
  const text = move(original, 'backup-server-root-mail01', 'after', 'upgrade-messaging-mail01');
  const ds = problems(lintManifest(text));
  assert.deepEqual(
    ds.map((d) => d.rule),
    ['ims/backup'],
  );
  const r = sortManifestSteps(text);
  assert.ok('edits' in r);
  const sorted = applyEdits(text, r.edits);
  assert.deepEqual(problems(lintManifest(sorted)), []);
  // The backup goes back before the first upgrade (the Directory Server's), the rest keeps the user's order.
  assert.ok(lineOf(sorted, 'backup-server-root-mail01') < lineOf(sorted, 'upgrade-directory-ldap01'));
});

const stepIds = (req: PlanRequest) => planned(req).plan.steps.map((s) => s.id);

test('iPlanet planner: 5.1 → 5.2, Directory Server 4.13 on its own machine, Web Server 4.1 and Delegated Administrator on the mail host', () => {
  const req: PlanRequest = {
    product: 'iplanet-messaging',
    from: '5.1',
    to: '5.2',
    nodes: [
      { name: 'mail01', role: 'messaging', os: 'solaris', services: ['web', 'delegated-admin'] },
      { name: 'ldap01', role: 'directory', os: 'solaris' },
    ],
    facts: { highAvailability: 'none', directoryServerVersion: '4.13', webServerVersion: '4.1' },
  };
  assert.deepEqual(stepIds(req), [
    'stop-dispatcher-mail01',
    'stop-admin-mail01',
    'stop-msg-mail01',
    'stop-web-mail01',
    'backup-server-root-mail01',
    'backup-queue-mail01',
    'export-ldap-ldap01',
    'save-store-mail01',
    'upgrade-directory-ldap01',
    'save-install-inf-ldap01',
    'prepare-directory',
    'upgrade-messaging-mail01',
    'save-config-mail01',
    'return-store-mail01',
    'install-web-server-mail01',
    'uninstall-delegated-admin-mail01',
    'install-delegated-admin-mail01',
    'reapply-config-mail01',
    'start-web-mail01',
    'start-msg-mail01',
    'check-mail-log-mail01',
  ]);
  const r = planned(req);
  assert.deepEqual(problems(lintManifest(r.text)), []);
  assert.deepEqual(r.plan.header, {
    serverRoot: '/usr/iplanet/server5',
    targetServerRoot: '/usr/iplanet/server5',
    directoryServerVersion: '4.13',
    webServerVersion: '4.1',
    highAvailability: 'none',
  });
  const upgrade = r.plan.steps.find((s) => s.id === 'upgrade-messaging-mail01');
  assert.deepEqual(upgrade?.components, ['core', 'admin', 'messaging']);
  assert.match(render(upgrade!.note, 'en'), /004-22/);
});

test('iPlanet planner: Veritas with the Directory Server in the server-root, two cluster nodes', () => {
  const req: PlanRequest = {
    product: 'iplanet-messaging',
    from: '5.0',
    to: '5.2',
    nodes: [
      { name: 'vcs-a', role: 'messaging', os: 'solaris', services: ['directory'] },
      { name: 'vcs-b', role: 'messaging', os: 'solaris' },
    ],
    facts: { highAvailability: 'veritas', directoryServerVersion: '4.16' },
  };
  assert.deepEqual(stepIds(req), [
    'stop-dispatcher-vcs-a',
    'stop-admin-vcs-a',
    'stop-msg-vcs-a',
    'ims5-offline',
    'ims5-unlink',
    'ims5-online',
    'directory-running-vcs-a',
    'backup-server-root-vcs-a',
    'backup-queue-vcs-a',
    'export-ldap-vcs-a',
    'save-store-vcs-a',
    'upgrade-messaging-vcs-a',
    'save-config-vcs-a',
    'return-store-vcs-a',
    'dssetup',
    'reapply-config-vcs-a',
    'vcs-dependency-tree',
    'start-msg-vcs-a',
    'check-mail-log-vcs-a',
  ]);
  const ds = lintManifest(planned(req).text);
  assert.deepEqual(ds, [], show(ds));
});

test('iPlanet planner: the back-out stops and starts in the guide order', () => {
  assert.deepEqual(stepIds(backoutReq), [
    'stop-delegated-admin',
    'stop-web',
    'stop-msg',
    'stop-directory',
    'stop-admin',
    'unmount-store',
    'restore-server-root',
    'mount-store',
    'start-admin',
    'start-directory',
    'start-msg',
    'start-web',
    'start-delegated-admin',
  ]);
});

test('iPlanet planner: 4.1 → 5.2 is refused with the ims/upgrade-path message', () => {
  const r = newManifest({ ...backoutReq, from: '4.1', to: '5.2' }, 'en');
  assert.ok(!r.ok);
  assert.equal(r.rule, 'ims/upgrade-path');
  assert.equal(render(r.message, 'en'), 'The upgrade to 5.2 starts from an earlier 5.x release (such as 5.1); the guide does not cover an upgrade from 4.1.');
  assert.ok(iplanetPlanner.refused.some((p) => p.from === '4.1' && p.rule === 'ims/upgrade-path'));
});

/**
 * ACNS order rules (server/engine/rules/acns.ts) and the ACNS planner (server/engine/planner/acns.ts): a step moved
 * in a valid plan is the one flagged, with related information on the step it must follow or precede and a Move
 * fix that restores the plan; the planner writes the guide's steps in the guide's order; a refused path is refused
 * with the rule's own message; the valid ACNS plans of the repository are already in the documented order.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { render } from '../../server/engine/l10n/index';
import { buildManifestContext } from '../../server/engine/manifest';
import { loadYaml } from '../../server/engine/parse/yaml';
import { newManifest, type PlanNode, type PlanRequest } from '../../server/engine/planner/index';
import { acnsPlanner } from '../../server/engine/planner/acns';
import { moveOrder, reorderEdit, stepBlocks } from '../../server/engine/order';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';
import type { Diagnostic } from '../../server/engine/types';
import { lintManifest, problems, ROOT, show } from '../helpers/plans';

const NODES: PlanNode[] = [
  { name: 'ce1', role: 'content-engine' },
  { name: 'ce2', role: 'content-engine' },
  { name: 'cr1', role: 'content-router' },
  { name: 'cdm-a', role: 'cdm-primary' },
  { name: 'cdm-b', role: 'cdm-standby' },
];
const LONE = NODES.filter((n) => n.role !== 'cdm-standby');
const EDGES = NODES.filter((n) => !n.role.startsWith('cdm'));

function planned(req: Partial<PlanRequest>): { text: string; ids: string[] } {
  const r = newManifest({ product: 'acns', from: '5.1.0', to: '5.1.3', nodes: NODES, ...req }, 'en');
  assert.ok(r.ok, r.ok ? '' : render(r.message, 'en'));
  return { text: r.text, ids: r.plan.steps.map((s) => s.id) };
}

/** The text with step `id` moved right before (or after) step `other` (whole blocks, as a user cuts and pastes). */
function moved(text: string, id: string, where: 'before' | 'after', other: string): string {
  const file = loadYaml(text, 1000);
  const ctx = buildManifestContext(file, file.docs[0], undefined, {});
  const b = stepBlocks(ctx)!;
  const s = ctx.steps.find((x) => x.id === id)!;
  const o = ctx.steps.find((x) => x.id === other)!;
  const order = moveOrder(ctx.steps.length, s.index, where === 'before' ? { before: o } : { after: o })!;
  return applyEdits(text, [reorderEdit(ctx, b, order)]);
}

/** The line (0-based) of `id: <id>` in the text. */
const lineOf = (text: string, id: string) => text.split('\n').findIndex((l) => l === `  - id: ${id}`);
/** What the plan says beyond the plan it was made from (the GUI steps name no meta file: information, always). */
const extra = (ds: Diagnostic[]) => ds.filter((d) => d.rule !== 'acns/meta-file-missing');

/**
 * The issue's scenario: one step moved; exactly one finding, on that step's id, from `rule`, with related
 * information on `relatedId`, and a Move fix whose text gives back `original` (or, with `restores` false, a plan
 * whose order rules all hold).
 */
function scenario(original: string, text: string, id: string, rule: string, relatedId: string, fixTitle: string, restores = true, preferred = true) {
  assert.notEqual(text, original);
  const ds = extra(lintManifest(text));
  assert.equal(ds.length, 1, show(ds));
  const d = ds[0];
  assert.equal(d.rule, rule);
  const line = lineOf(text, id);
  assert.deepEqual(d.range, { start: { line, character: 8 }, end: { line, character: 8 + id.length } });
  assert.equal(d.related?.length, 1);
  assert.equal(d.related![0].range.start.line, lineOf(text, relatedId));
  const fix = d.fixes.find((f) => f.title === fixTitle);
  assert.ok(fix, `no fix "${fixTitle}": ${d.fixes.map((f) => f.title).join(', ')}`);
  // Preferred when the order after the move satisfies every order rule.
  assert.equal(fix.preferred, preferred);
  const after = applyEdits(text, fix.edits);
  if (restores) assert.equal(after, original);
  if (preferred) assert.deepEqual(problems(lintManifest(after)), []);
  return d;
}

test('acns: cms enable on the standby moved up above its install: flagged there, the move puts it back', () => {
  const { text } = planned({});
  const m = moved(text, 'cms-enable-cdm-b', 'after', 'upgrade-cdm-a');
  const d = scenario(text, m, 'cms-enable-cdm-b', 'acns/cms-enable-after-install', 'upgrade-cdm-b', 'Move `cms-enable-cdm-b` after `upgrade-cdm-b`');
  assert.equal(d.message, 'CMS on CDM cdm-b is started again before its install: run cms enable after the install.');
  assert.equal(d.severity, 'warning');
});

test('acns: the standby stop moved down below the primary install: flagged there, the move puts it back', () => {
  const { text } = planned({});
  const m = moved(text, 'stop-cms-cdm-b', 'after', 'upgrade-cdm-a');
  const d = scenario(text, m, 'stop-cms-cdm-b', 'acns/cms-not-stopped', 'upgrade-cdm-a', 'Move `stop-cms-cdm-b` before `stop-cms-cdm-a`');
  assert.equal(d.message, 'CMS on cdm-b is stopped only after the CDM work has begun (step upgrade-cdm-a): run no cms enable before it.');
});

test('acns: the two CMS stops swapped: acns/cms-stop-order on the later one, the move swaps them back', () => {
  // Moving the primary's stop up above the standby's, or the standby's down below the primary's, writes the same
  // text: of two steps that are as good, the earlier stays in place and the later is flagged.
  const { text } = planned({});
  const m = moved(text, 'stop-cms-cdm-a', 'before', 'stop-cms-cdm-b');
  assert.equal(m, moved(text, 'stop-cms-cdm-b', 'after', 'stop-cms-cdm-a'));
  const d = scenario(text, m, 'stop-cms-cdm-b', 'acns/cms-stop-order', 'stop-cms-cdm-a', 'Move `stop-cms-cdm-b` before `stop-cms-cdm-a`');
  assert.equal(d.message, 'CMS is stopped on standby CDM cdm-b after primary CDM cdm-a: stop the standby first.');
});

test('acns: a CDM moved above the engines, an engine below the CDM: acns/cdm-last on the moved step', () => {
  const { text } = planned({ nodes: LONE });
  const up = moved(text, 'upgrade-cdm-a', 'after', 'check-versions');
  const d = scenario(text, up, 'upgrade-cdm-a', 'acns/cdm-last', 'upgrade-cr1', 'Move `upgrade-cdm-a` after `upgrade-cr1`', false);
  assert.equal(d.message, 'CDM cdm-a is upgraded before cr1 (content-router): upgrade the CDMs last.');
  assert.equal(d.severity, 'error');
  const down = moved(text, 'upgrade-ce1', 'after', 'upgrade-cdm-a');
  const d2 = scenario(text, down, 'upgrade-ce1', 'acns/cdm-last', 'upgrade-cdm-a', 'Move `upgrade-ce1` before `upgrade-cdm-a`', false);
  assert.equal(d2.message, 'content-engine ce1 is upgraded after CDM cdm-a: upgrade every content engine and router before the CDMs.');
  // The steps the moved one jumped over are not flagged (only one finding above), and sorting gives a clean plan
  // (the check of the engines has no order of its own, so it may stay where the sort finds it).
  for (const t of [up, down]) {
    const r = sortManifestSteps(t);
    assert.ok('edits' in r && r.edits.length > 0);
    assert.deepEqual(problems(lintManifest(applyEdits(t, r.edits))), []);
  }
});

test('acns: the standby install moved above the primary install: acns/standby-after-primary, Move fix', () => {
  const { text } = planned({});
  // Two CDM installs: the earlier one stays in place, the primary's is the one out of place. Moving it back above
  // the standby's install still leaves the primary's cms enable and check after the standby's install, so the move
  // is offered but not preferred; "Sort steps" gives back the plan.
  const m = moved(text, 'upgrade-cdm-b', 'before', 'upgrade-cdm-a');
  const d = scenario(text, m, 'upgrade-cdm-a', 'acns/standby-after-primary', 'upgrade-cdm-b', 'Move `upgrade-cdm-a` before `upgrade-cdm-b`', false, false);
  const r = sortManifestSteps(m);
  assert.ok('edits' in r);
  assert.equal(applyEdits(m, r.edits), text);
  assert.equal(d.message, 'Primary CDM cdm-a is upgraded after standby CDM cdm-b: upgrade the primary first.');
  assert.equal(d.severity, 'error');
});

test('acns: a downgrade with the restore moved below the install: acns/downgrade-restore on the restore', () => {
  const { text } = planned({ from: '5.1.3', to: '5.1.0' });
  const m = moved(text, 'restore-db-cdm-a', 'after', 'downgrade-cdm-a');
  const d = scenario(text, m, 'restore-db-cdm-a', 'acns/downgrade-restore', 'downgrade-cdm-a', 'Move `restore-db-cdm-a` before `downgrade-cdm-a`');
  assert.equal(d.message, 'The database backup of primary CDM cdm-a is restored only after its install: restore it before the install.');
});

test('acns planner: the upgrade with a standby CDM, step by step (002-36 to 002-41)', () => {
  const { ids, text } = planned({});
  assert.deepEqual(ids, [
    'check-versions',
    'upgrade-ce1',
    'upgrade-ce2',
    'upgrade-cr1',
    'check-devices',
    'stop-cms-cdm-b',
    'stop-cms-cdm-a',
    'upgrade-cdm-a',
    'copy-dump-cdm-a',
    'cms-enable-cdm-a',
    'check-online',
    'upgrade-cdm-b',
    'cms-enable-cdm-b',
  ]);
  assert.match(
    text,
    /- id: upgrade-ce1\n {4}action: upgrade\n {4}node: ce1\n {4}method: gui\n {4}note: '?Install ACNS 5\.1\.3 on this device from the CDM GUI/,
  );
  assert.match(text, /- id: upgrade-cdm-a\n {4}action: upgrade\n {4}node: cdm-a\n {4}method: cli\n/);
  assert.match(text, /- id: check-online\n {4}action: verify\n {4}nodes: \[ce1, ce2, cr1, cdm-a\]\n/);
  assert.match(text, /\(Cisco ACNS 5\.x software upgrade guide, 002-36, 002-37, 002-38\)/);
  assert.doesNotMatch(text, /metaFile|duration/);
  assert.deepEqual(problems(lintManifest(text)), []);
  // Japanese notes.
  const ja = newManifest({ product: 'acns', from: '5.1.0', to: '5.1.3', nodes: NODES }, 'ja');
  assert.ok(ja.ok && ja.text.includes('最初にスタンバイ CDM を停止します（no cms enable）'));
});

test('acns planner: a lone CDM, the engines as a device group from the GUI', () => {
  const { ids } = planned({ nodes: LONE, facts: { edgeMethod: 'gui', deviceGroup: 'kanto-edge' } });
  assert.deepEqual(ids, ['check-versions', 'upgrade-group-kanto-edge', 'upgrade-cr1', 'check-devices', 'upgrade-cdm-a', 'copy-dump-cdm-a', 'check-online']);
});

test('acns planner: the CDM downgrade within 5.x, with and without a standby (002-42 to 002-48)', () => {
  const { ids } = planned({ from: '5.1.3', to: '5.1.0', facts: { edgeMethod: 'cli' } });
  assert.deepEqual(ids, [
    'check-versions',
    'downgrade-ce1',
    'downgrade-ce2',
    'downgrade-cr1',
    'check-devices',
    'stop-cms-cdm-b',
    'stop-cms-cdm-a',
    'backup-db-cdm-a',
    'delete-db-cdm-a',
    'restore-db-cdm-a',
    'downgrade-cdm-a',
    'cms-enable-cdm-a',
    'backup-db-cdm-b',
    'downgrade-cdm-b',
    'delete-db-cdm-b',
    'create-db-cdm-b',
    'cms-enable-cdm-b',
  ]);
  const lone = planned({ from: '5.1.3', to: '5.1.0', nodes: LONE });
  assert.deepEqual(lone.ids.slice(5), ['stop-cms-cdm-a', 'backup-db-cdm-a', 'delete-db-cdm-a', 'restore-db-cdm-a', 'downgrade-cdm-a', 'cms-enable-cdm-a']);
});

test('acns planner: the GUI downgrade to 4.2 of the engines and routers', () => {
  const { ids, text } = planned({ from: '5.1.3', to: '4.2.9', nodes: EDGES });
  assert.deepEqual(ids, ['check-versions', 'downgrade-ce1', 'downgrade-ce2', 'downgrade-cr1', 'check-registration']);
  assert.match(text, /acns4_cdm_ip\.meta/);
  // The CDMs' CLI downgrade to 4.2.9 is in another chapter (002-33): not planned here.
  const r = newManifest({ product: 'acns', from: '5.1.3', to: '4.2.9', nodes: NODES }, 'en');
  assert.ok(!r.ok);
  assert.equal(r.rule, 'plan/unsupported');
  assert.match(render(r.message, 'en'), /CDM cdm-a, cdm-b to 4\.2\.9 is in another chapter/);
});

test('acns planner: the same version is refused with manifest/same-version, as the linter says it', () => {
  const r = newManifest({ product: 'acns', from: '5.1.3', to: '5.1.3', nodes: NODES }, 'en');
  assert.ok(!r.ok);
  assert.equal(r.rule, 'manifest/same-version');
  const { text } = planned({});
  const same = text.replace(/^from: .*$/m, 'from: 5.1.3');
  const ds = lintManifest(same).filter((d) => d.rule === 'manifest/same-version');
  assert.deepEqual(
    ds.map((d) => d.message),
    [render(r.message, 'en')],
  );
  // Outside the chapter: not from 5.1, not to 5.x or 4.2.
  for (const [from, to] of [
    ['5.0.3', '5.1.3'],
    ['5.1.3', '6.0.0'],
    ['5.1.3', '4.1.0'],
  ]) {
    const x = newManifest({ product: 'acns', from, to, nodes: NODES }, 'en');
    assert.ok(!x.ok && x.rule === 'plan/unsupported', `${from} → ${to}`);
  }
});

test('acns: the valid ACNS plans of the repository are in the documented order already', () => {
  const dirs = ['test/fixtures/manifest/acns', 'test/fixtures/corpus/acns', 'examples/acns'];
  let n = 0;
  for (const dir of dirs) {
    for (const f of fs.readdirSync(path.join(ROOT, dir))) {
      if (!f.endsWith('.upgrade.yaml')) continue;
      const file = path.join(ROOT, dir, f);
      const text = fs.readFileSync(file, 'utf8');
      if (problems(lintManifest(text, file)).length) continue;
      n++;
      const r = sortManifestSteps(text);
      assert.ok('edits' in r && r.edits.length === 0, `${dir}/${f} would be reordered`);
    }
  }
  assert.ok(n >= 10, `${n} valid plans`);
});

test('acns planner: the paths cover upgrades and both CDM downgrades, the 4.2 downgrade and the refused same version', () => {
  const kinds = new Set(acnsPlanner.paths.map((p) => `${p.to.startsWith('4.') ? 'to4' : p.from < p.to ? 'up' : 'down'}:${p.facts?.cdm}`));
  for (const k of ['up:standby', 'up:lone', 'up:none', 'down:standby', 'down:lone', 'down:none', 'to4:none']) assert.ok(kinds.has(k), k);
  assert.ok(acnsPlanner.paths.some((p) => p.facts?.deviceGroup));
  assert.deepEqual(
    acnsPlanner.refused.map((p) => p.rule),
    ['manifest/same-version', 'manifest/same-version'],
  );
  assert.deepEqual(
    acnsPlanner.facts.map((f) => f.key),
    ['edgeMethod', 'deviceGroup'],
  );
});

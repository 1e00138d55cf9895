/**
 * "Sort steps into the documented order" (server/engine/services/sort.ts, order.ts): every valid plan of the
 * corpus and the examples, and every plan the planner writes, shuffled, sorted, linted → no error and no warning;
 * the lines of the file (steps and every comment) are the same multiset before and after. `PLAN_PRODUCT` limits
 * the run to one product, `SORT_SHUFFLES=n` shuffles each plan more often.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildManifestContext } from '../../server/engine/manifest';
import { loadYaml } from '../../server/engine/parse/yaml';
import { newManifest, PLANNERS } from '../../server/engine/planner/index';
import { reorderEdit, stepBlocks } from '../../server/engine/order';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';
import { lintManifest, withExtras, problems, seeded, show, shuffled, validPlans } from '../helpers/plans';

const ONLY = process.env.PLAN_PRODUCT;
const SHUFFLES = Number(process.env.SORT_SHUFFLES ?? 5);

/** The text with its steps in a random order (whole blocks, comments and all). */
function shuffleSteps(text: string, rand: () => number): string {
  const file = loadYaml(text, 1000);
  const ctx = buildManifestContext(file, file.docs[0], undefined, {});
  const b = stepBlocks(ctx);
  assert.ok(b, 'steps as blocks');
  const order = shuffled([...ctx.steps.keys()], rand);
  return applyEdits(text, [reorderEdit(ctx, b, order)]);
}
const lines = (t: string) =>
  t
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .sort();

const plans = (): { name: string; text: string; file?: string }[] => {
  const out: { name: string; text: string; file?: string }[] = validPlans()
    .filter((p) => !ONLY || p.product === ONLY)
    .filter((p) => !p.text.includes('\n---'))
    .map((p) => ({ name: p.file.replace(/.*\/(test\/fixtures|examples)\//, '$1/'), text: p.text, file: p.file }));
  for (const planner of PLANNERS) {
    if (ONLY && planner.product !== ONLY) continue;
    for (const path of planner.paths) {
      const r = newManifest({ product: planner.product, from: path.from, to: path.to, nodes: planner.sampleNodes(seeded(3), path), facts: path.facts }, 'en');
      if (r.ok) out.push({ name: `planner ${planner.product} ${path.from} → ${path.to}`, text: r.text });
    }
  }
  return out;
};

for (const p of plans()) {
  test(`shuffled and sorted, ${p.name} lints clean with the same lines`, () => {
    const blocks = (() => {
      const file = loadYaml(p.text, 1000);
      return file.docs[0] && stepBlocks(buildManifestContext(file, file.docs[0], undefined, {}));
    })();
    if (!blocks) return; // flow-style steps: nothing to move (a test of its own below)
    for (let k = 1; k <= SHUFFLES; k++) {
      const mixed = shuffleSteps(p.text, seeded(k * 104729));
      const r = sortManifestSteps(mixed);
      assert.ok('edits' in r, `shuffle ${k}: ${'problem' in r ? JSON.stringify(r.problem) : ''}`);
      const sorted = applyEdits(mixed, r.edits);
      assert.deepEqual(lines(sorted), lines(p.text), `shuffle ${k}: lines changed`);
      const ds = problems(lintManifest(sorted, p.file));
      assert.deepEqual(ds, [], `shuffle ${k}:\n${show(ds)}\n---\n${sorted}`);
      // Sorting a sorted plan changes nothing.
      const again = sortManifestSteps(sorted);
      assert.ok('edits' in again && again.edits.length === 0, `shuffle ${k}: not stable`);
    }
  });
}

/**
 * A valid plan with extra checks and backups where the guide says nothing against them (test/helpers/plans.ts
 * withExtras) still lints clean and is left exactly as it is by "Sort steps": the order rules ask for what their
 * checks read, not for every step of a kind.
 */
for (const p of plans()) {
  test(`extra checks and a second backup: ${p.name} is left as it is by the sort`, () => {
    const text = withExtras(p.text);
    if (!text || text.includes('\n---')) return;
    if (problems(lintManifest(text, p.file)).length) return; // an extra step a rule of this product faults: not this test's case
    const r = sortManifestSteps(text);
    assert.ok('edits' in r, JSON.stringify(r));
    assert.equal(applyEdits(text, r.edits), text);
  });
}

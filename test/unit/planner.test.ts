/**
 * The planner (server/engine/planner): for every product, every upgrade path its planner lists and random node
 * sets, the written manifest lints with no error and no warning; every refused path is refused with the rule and
 * the message the linter gives for it; the request is checked (roles, names) before anything is planned.
 * `PLAN_PRODUCT=acns` limits the run to one product, `PLAN_SEEDS=n` draws more node sets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../server/engine/l10n/index';
import { newManifest, PLANNERS, type PlanRequest } from '../../server/engine/planner/index';
import { lintManifest, problems, seeded, show } from '../helpers/plans';

const ONLY = process.env.PLAN_PRODUCT;
const SEEDS = Number(process.env.PLAN_SEEDS ?? 6);

for (const planner of PLANNERS) {
  if (ONLY && planner.product !== ONLY) continue;
  test(`${planner.product}: the planner lists upgrade paths and roles`, () => {
    assert.ok(planner.paths.length > 0, 'no path');
    assert.ok(planner.roles.length > 0, 'no role');
  });
  for (const path of planner.paths) {
    const label = `${path.from} → ${path.to}${path.facts ? ' ' + JSON.stringify(path.facts) : ''}`;
    test(`${planner.product} ${label}: every plan lints clean (${SEEDS} node sets), in English and Japanese`, () => {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const rand = seeded(seed * 7919 + planner.paths.indexOf(path));
        const nodes = planner.sampleNodes(rand, path);
        const req: PlanRequest = { product: planner.product, from: path.from, to: path.to, nodes, facts: path.facts };
        for (const locale of ['en', 'ja'] as const) {
          const r = newManifest(req, locale);
          assert.ok(r.ok, `seed ${seed}: refused: ${r.ok ? '' : render(r.message, 'en')}`);
          const ds = problems(lintManifest(r.text, undefined, { locale }));
          assert.deepEqual(ds, [], `seed ${seed} (${locale}):\n${show(ds)}\n---\n${r.text}`);
          // Every node takes part; every step says where it comes from.
          for (const n of nodes) assert.ok(r.text.includes(`name: ${n.name}`), n.name);
          assert.ok(r.plan.steps.every((s) => render(s.note, locale).length > 0));
        }
      }
    });
  }
  for (const path of planner.refused) {
    test(`${planner.product} ${path.from} → ${path.to}: refused by ${path.rule}, with the rule's message`, () => {
      const nodes = planner.sampleNodes(seeded(1), path);
      const r = newManifest({ product: planner.product, from: path.from, to: path.to, nodes, facts: path.facts }, 'en');
      assert.ok(!r.ok, 'planned a path the guide refuses');
      assert.equal(r.rule, path.rule);
      // The linter says the same of a manifest with that header.
      const ok = newManifest({ product: planner.product, from: planner.paths[0].from, to: planner.paths[0].to, nodes, facts: planner.paths[0].facts }, 'en');
      assert.ok(ok.ok);
      const text = ok.text.replace(/^from: .*$/m, `from: ${JSON.stringify(path.from)}`).replace(/^to: .*$/m, `to: ${JSON.stringify(path.to)}`);
      const ds = lintManifest(text).filter((d) => d.rule === path.rule);
      assert.ok(
        ds.some((d) => d.message === render(r.message, 'en')),
        `lint gives:\n${show(ds)}\nplanner: ${render(r.message, 'en')}`,
      );
    });
  }
}

test('the request is checked: unknown product, role, duplicate and bad names', () => {
  const base = { from: '1', to: '2', nodes: [{ name: 'a', role: 'publisher' }] };
  const bad = (req: Partial<PlanRequest>) => {
    const r = newManifest({ product: 'cucm-im-presence', ...base, ...req } as PlanRequest, 'en');
    assert.ok(!r.ok);
    assert.equal(r.rule, undefined);
    return render(r.message, 'en');
  };
  assert.match(bad({ product: 'nope' as PlanRequest['product'] }), /Unknown product `nope`/);
  assert.match(bad({ nodes: [{ name: 'a', role: 'cdm-primary' }] }), /`cdm-primary` is not a role of `cucm-im-presence`/);
  assert.match(
    bad({
      nodes: [
        { name: 'a', role: 'publisher' },
        { name: 'a', role: 'subscriber' },
      ],
    }),
    /given twice/,
  );
  assert.match(bad({ nodes: [{ name: 'a b', role: 'publisher' }] }), /not a usable node name/);
  assert.match(bad({ nodes: [] }), /at least one node/);
});

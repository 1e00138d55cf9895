/**
 * Order as data (server/engine/order.ts): the out-of-place steps of a chain (the one that moved, not the ones it
 * jumped over), the stable topological sort (the user's order kept where the chains allow; a cycle named), steps
 * as blocks of text with their comments (block and one-line styles, CRLF, no final line break, flow style refused)
 * and the move edit's exact text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildManifestContext, type ManifestContext, type StepInfo } from '../../server/engine/manifest';
import { before, chain, chainsHold, moveStepEdits, outOfPlace, ranked, sortSteps, stepBlocks } from '../../server/engine/order';
import { loadYaml } from '../../server/engine/parse/yaml';
import { sortManifestSteps } from '../../server/engine/services/sort';
import { applyEdits } from '../../server/engine/text';

const ctxOf = (text: string): ManifestContext => {
  const file = loadYaml(text, 1000);
  return buildManifestContext(file, file.docs[0], undefined, {});
};
/** A plan whose steps are `ids`, one per line. */
const plan = (ids: string[], style: 'flow' | 'block' = 'flow') =>
  ['manifestVersion: 1', 'product: callmanager', 'from: 3.3', 'to: 4.1(3)', 'nodes: []', 'steps:']
    .concat(style === 'flow' ? ids.map((id) => `  - { id: ${id}, action: verify }`) : ids.flatMap((id) => [`  - id: ${id}`, '    action: verify']))
    .join('\n') + '\n';
const rankedBy = (ctx: ManifestContext, ranks: number[]) => chain(ctx.steps.map((step, i) => ({ step, rank: ranks[i] })));
const ids = (xs: { step: StepInfo }[]) => xs.map((x) => x.step.id);

test('a step moved up is the one out of place, not the steps it jumped over', () => {
  const ctx = ctxOf(plan(['p', 'x', 't', 's', 'q']));
  // Ranks 0 4 1 2 3: `x` (rank 4) was moved up to second place.
  const found = outOfPlace(rankedBy(ctx, [0, 4, 1, 2, 3]));
  assert.deepEqual(ids(found), ['x']);
  assert.equal(found[0].after?.id, 'q', 'it belongs after the last step of a lower rank');
  assert.equal(found[0].before, undefined);
});

test('a step moved down is the one out of place, and belongs before the first step of a higher rank', () => {
  const ctx = ctxOf(plan(['t', 's', 'p', 'q']));
  const found = outOfPlace(rankedBy(ctx, [1, 2, 0, 3]));
  assert.deepEqual(ids(found), ['p']);
  assert.equal(found[0].before?.id, 't');
});

test('two swapped steps: the later one is flagged (the earlier steps are kept where two choices are as good)', () => {
  const ctx = ctxOf(plan(['a', 'b']));
  assert.deepEqual(ids(outOfPlace(rankedBy(ctx, [1, 0]))), ['b']);
  assert.deepEqual(outOfPlace(rankedBy(ctx, [0, 0])), [], 'equal ranks are in any order');
  assert.deepEqual(outOfPlace(rankedBy(ctx, [0, 1])), []);
});

test('a step on two ranks with a step of the rank between: one of them is out of place, and no order satisfies the chain', () => {
  const ctx = ctxOf(plan(['a', 'ab', 'b', 'c']));
  const c = chain([
    { step: ctx.steps[0], rank: 0 },
    { step: ctx.steps[1], rank: 0 },
    { step: ctx.steps[1], rank: 2 },
    { step: ctx.steps[2], rank: 1 },
    { step: ctx.steps[3], rank: 2 },
  ]);
  // `ab` must come before `b` (rank 0 < 1) and after it (2 > 1): either one is flagged; the earlier steps are kept.
  assert.deepEqual(ids(outOfPlace(c)), ['b']);
  const r = sortSteps(ctx.steps, [c]);
  assert.ok('cycle' in r);
  assert.deepEqual(
    r.cycle.map((s) => s.id),
    ['ab', 'b'],
  );
});

test('the sort keeps the user order wherever the chains allow: a blocked step gets its prerequisites right before it', () => {
  const ctx = ctxOf(plan(['v1', 'up-sub', 'note', 'up-pub', 'v2']));
  const [v1, sub, note, pub, v2] = ctx.steps;
  const r = sortSteps(ctx.steps, [before(pub, sub)]);
  assert.ok('order' in r);
  assert.deepEqual(
    r.order.map((i) => ctx.steps[i].id),
    // up-pub is brought up to just before up-sub; `note`, which nothing constrains, does not jump ahead of up-sub.
    ['v1', 'up-pub', 'up-sub', 'note', 'v2'],
  );
  assert.ok(chainsHold([before(pub, sub)], r.order));
  assert.ok(!chainsHold([before(pub, sub)]));
  // Rank groups: every step of a rank before every step of the next one.
  const r2 = sortSteps(ctx.steps, [ranked([[v2], [note, v1], [sub]])]);
  assert.ok('order' in r2);
  assert.deepEqual(
    r2.order.map((i) => ctx.steps[i].id),
    // up-pub is in no chain: it stays last, where it was after up-sub.
    ['v2', 'v1', 'note', 'up-sub', 'up-pub'],
  );
  void pub;
});

test('no order satisfies a cycle: the steps in it are named', () => {
  const ctx = ctxOf(plan(['a', 'b', 'c', 'd']));
  const [a, b, c] = ctx.steps;
  const r = sortSteps(ctx.steps, [before(a, b), before(b, c), before(c, a)]);
  assert.ok('cycle' in r);
  assert.deepEqual(
    r.cycle.map((s) => s.id),
    ['a', 'b', 'c'],
  );
});

test('a chain of 20,000 steps sorts with linear edges (rank groups, not pairs)', () => {
  const ctx = ctxOf(plan(Array.from({ length: 20000 }, (_, i) => `s${i}`)));
  const c = rankedBy(
    ctx,
    ctx.steps.map((_, i) => (i % 2 ? 0 : 1)),
  );
  const r = sortSteps(ctx.steps, [c]);
  assert.ok('order' in r);
  assert.ok(chainsHold([c], r.order));
  assert.equal(outOfPlace(c).length, 10000);
});

const BLOCKS = `manifestVersion: 1
product: callmanager
from: 3.3
to: 4.1(3)
nodes: []
steps:
  # first: the backup
  - id: a
    action: verify
    # about a, indented like its keys

  # the upgrade
  # (two lines)
  - id: b
    action: verify
  - id: c
    action: verify
other: 1
`;

test('steps as blocks: the comments above a step go with it; a comment indented like the keys stays with the step before', () => {
  const ctx = ctxOf(BLOCKS);
  const b = stepBlocks(ctx);
  assert.ok(b);
  const text = ctx.file.index.text;
  const block = (i: number) => text.slice(b.starts[i], i + 1 < b.starts.length ? b.starts[i + 1] : b.end);
  assert.equal(block(0), '  # first: the backup\n  - id: a\n    action: verify\n    # about a, indented like its keys\n\n');
  assert.equal(block(1), '  # the upgrade\n  # (two lines)\n  - id: b\n    action: verify\n');
  assert.equal(block(2), '  - id: c\n    action: verify\n');
});

test('the move edit moves the whole step with its comments, and nothing else', () => {
  const ctx = ctxOf(BLOCKS);
  const edits = moveStepEdits(ctx, ctx.steps[2], { before: ctx.steps[0] });
  assert.ok(edits);
  assert.equal(
    applyEdits(BLOCKS, edits),
    BLOCKS.replace('  # first: the backup\n', '  - id: c\n    action: verify\n  # first: the backup\n').replace(
      '    action: verify\n  - id: c\n    action: verify\nother',
      '    action: verify\nother',
    ),
  );
  const after = moveStepEdits(ctx, ctx.steps[0], { after: ctx.steps[2] });
  assert.ok(after);
  assert.equal(
    applyEdits(BLOCKS, after),
    `manifestVersion: 1
product: callmanager
from: 3.3
to: 4.1(3)
nodes: []
steps:
  # the upgrade
  # (two lines)
  - id: b
    action: verify
  - id: c
    action: verify
  # first: the backup
  - id: a
    action: verify
    # about a, indented like its keys

other: 1
`,
  );
});

test('the last step without a final line break, and CRLF: the lines stay whole', () => {
  const text = plan(['a', 'b', 'c']).replace(/\n$/, '');
  const ctx = ctxOf(text);
  const moved = applyEdits(text, moveStepEdits(ctx, ctx.steps[2], { before: ctx.steps[0] })!);
  assert.equal(moved, plan(['c', 'a', 'b']).replace(/\n$/, ''));
  const crlf = plan(['a', 'b', 'c'], 'block').replace(/\n/g, '\r\n');
  const c2 = ctxOf(crlf);
  assert.equal(applyEdits(crlf, moveStepEdits(c2, c2.steps[0], { after: c2.steps[2] })!), plan(['b', 'c', 'a'], 'block').replace(/\n/g, '\r\n'));
});

test('flow-style steps and steps sharing a line are not moved', () => {
  const flow = ctxOf('manifestVersion: 1\nproduct: callmanager\nnodes: []\nsteps: [{ id: a, action: verify }, { id: b, action: verify }]\n');
  assert.equal(stepBlocks(flow), undefined);
  assert.equal(moveStepEdits(flow, flow.steps[1], { before: flow.steps[0] }), undefined);
});

test('sortManifestSteps: the CallManager upgrades in role order, other steps where they were; a sorted plan is left alone', () => {
  const text = `manifestVersion: 1
product: callmanager
from: 3.3
to: 4.1(3)
nodes:
  - { name: pub, role: publisher, memoryMB: 2048, staticIp: true }
  - { name: sub, role: primary, memoryMB: 2048, staticIp: true }
  - { name: tftp, role: tftp, memoryMB: 2048, staticIp: true }
steps:
  - { id: up-sub, action: upgrade, node: sub }
  # the publisher goes first
  - { id: up-pub, action: upgrade, node: pub }
  - { id: up-tftp, action: upgrade, node: tftp }
  - { id: check, action: verify, nodes: [pub, sub, tftp] }
`;
  const r = sortManifestSteps(text);
  assert.ok('edits' in r);
  const sorted = applyEdits(text, r.edits);
  assert.equal(
    sorted.slice(sorted.indexOf('steps:')),
    `steps:
  # the publisher goes first
  - { id: up-pub, action: upgrade, node: pub }
  - { id: up-tftp, action: upgrade, node: tftp }
  - { id: up-sub, action: upgrade, node: sub }
  - { id: check, action: verify, nodes: [pub, sub, tftp] }
`,
  );
  const again = sortManifestSteps(sorted);
  assert.ok('edits' in again && again.edits.length === 0);
  // With ccm/order off, nothing asks for an order.
  const off = sortManifestSteps(text, { rules: { 'ccm/order': 'off' } });
  assert.ok('edits' in off);
  assert.ok(
    !off.edits.length || !applyEdits(text, off.edits).includes('# the publisher goes first\n  - { id: up-pub, action: upgrade, node: pub }\n  - { id: up-tftp'),
  );
  assert.deepEqual(sortManifestSteps('steps: [\n'), { problem: { key: 'order.sort.syntax' } });
});

test('a step that nothing constrains does not jump ahead of a blocked one; a step moved up goes back down in one move', () => {
  // b, c, u2, chk, u1 with u1 before u2: u1 comes up to u2, the check after the upgrades stays after them.
  const ctx = ctxOf(plan(['b', 'c', 'u2', 'chk', 'u1']));
  const [, , u2, , u1] = ctx.steps;
  const r = sortSteps(ctx.steps, [before(u1, u2)]);
  assert.ok('order' in r);
  assert.deepEqual(
    r.order.map((i) => ctx.steps[i].id),
    ['b', 'c', 'u1', 'u2', 'chk'],
  );
  // x must follow a, y and z; moved up above them, it goes back below them, and nothing else moves.
  const c2 = ctxOf(plan(['a', 'x', 'y', 'z', 'w']));
  const [a, x, y, z] = c2.steps;
  const r2 = sortSteps(c2.steps, [before([a, y, z], x)]);
  assert.ok('order' in r2);
  assert.deepEqual(
    r2.order.map((i) => c2.steps[i].id),
    ['a', 'y', 'z', 'x', 'w'],
  );
});

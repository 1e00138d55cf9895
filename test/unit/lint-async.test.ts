/**
 * `lintAsync` (what the language server validates with) gives exactly what `lint` gives, and lets other work run
 * between the steps of a manifest's validation — the schema and each rule — not only between the pieces of its
 * parse; told that the text is outdated, it stops.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, lintAsync } from '../../server/engine/lint';
import { generated } from '../helpers/yaml-texts';
import { rng } from '../helpers/mutate';

test('lintAsync pauses between the steps of a manifest validation and gives what lint gives', async () => {
  const text = generated(300, rng(4));
  const input = { text, kind: 'upgrade-manifest' as const };
  let pauses = 0;
  const done = await lintAsync(input, {}, async () => (pauses++, true), 0);
  assert.ok(done);
  assert.deepEqual(done.result, lint(input));
  assert.ok(done.result.diagnostics.length > 0);
  // The schema, then one step per rule that applies to the product (ACNS has more than twenty).
  assert.ok(pauses > 20, `only ${pauses} pauses`);
  assert.ok(done.busyMs >= 0);
});

test('lintAsync stops when told the text is outdated; other kinds are linted in one step', async () => {
  const input = { text: generated(300, rng(5)), kind: 'upgrade-manifest' as const };
  let pauses = 0;
  assert.equal(await lintAsync(input, {}, async () => ++pauses < 5, 0), undefined);
  assert.equal(pauses, 5);
  const meta = { text: 'updateFileSize=1\nversion=5.1.3\n', kind: 'acns-meta' as const };
  let metaPauses = 0;
  const r = await lintAsync(meta, {}, async () => (metaPauses++, true), 0);
  assert.deepEqual(r?.result, lint(meta));
  assert.equal(metaPauses, 0);
});

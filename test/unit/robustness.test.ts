/**
 * Bounded mutation fuzzing of the engine over the fixture corpus: byte flips, deleted, duplicated and swapped
 * lines, random Unicode, truncation, huge numbers. Every result must be well-formed: known rule ids, ranges
 * inside the text, non-empty messages, and fixes that apply without error. Deterministic (seeded).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { checkResult } from '../helpers/checks';
import { kindForPath, lint } from '../../server/engine/lint';
import { decodeBytes } from '../../server/engine/text';
import { listFixtures } from '../helpers/fixtures';
import { mutate, rng } from '../helpers/mutate';

test('20,000 mutated inputs: no exception, well-formed diagnostics, none under 10 KB over 100 ms', () => {
  const seeds = listFixtures().map((f) => ({ kind: kindForPath(f)!, text: decodeBytes(fs.readFileSync(f)).text }));
  const r = rng(20261122);
  let count = 0;
  let slowest = 0;
  for (let round = 0; count < 20000; round++) {
    for (const s of seeds) {
      let text = s.text;
      const depth = 1 + Math.floor(r() * 3);
      for (let i = 0; i < depth; i++) text = mutate(text, r);
      const locale = r() < 0.5 ? 'en' : 'ja';
      const t0 = performance.now();
      const result = lint({ text, kind: s.kind }, { locale });
      const ms = performance.now() - t0;
      checkResult(text, result.diagnostics);
      if (ms > 100 && text.length < 10 * 1024) {
        // Re-time before blaming the input: a GC pause or a busy machine is not a slow input.
        const again = Math.min(
          ...[0, 1, 2].map(() => {
            const t = performance.now();
            lint({ text, kind: s.kind }, { locale });
            return performance.now() - t;
          }),
        );
        assert.ok(again <= 100, `an input of ${text.length} bytes took ${again.toFixed(0)} ms: ${JSON.stringify(text.slice(0, 200))}`);
      }
      slowest = Math.max(slowest, ms);
      count++;
    }
  }
  assert.ok(count >= 20000);
  console.log(`fuzz: ${count} inputs, slowest ${slowest.toFixed(1)} ms`);
});

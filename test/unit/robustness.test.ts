/**
 * Bounded mutation fuzzing of the engine over the fixture corpus: byte flips, deleted, duplicated and swapped
 * lines, random Unicode, truncation, huge numbers. Every result must be well-formed: known rule ids, ranges
 * inside the text, non-empty messages, and fixes that apply without error. Deterministic (seeded).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { kindForPath, lint, preferredEdits } from '../../server/engine/lint';
import { ruleMeta } from '../../server/engine/rules/index';
import { applyEdits, decodeBytes, LineIndex } from '../../server/engine/text';
import type { Diagnostic, Range } from '../../server/engine/types';
import { listFixtures } from '../helpers/fixtures';

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const PIECES = ['- ', '&a ', '*a', '{', '}', '[', ']', '---\n', ': ', '\t- ', 'steps:\n  - ', '  node: ', "'", '"', '|\n', '=', '\\', '\\u', ':', '#', '!', '\r', '\n', '\r\n', '\uFEFF', '\u0000', '😀', '東京', 'http://', 'ftp://', ':8080', '@', ',', '99999999999999999999999', '-1', '4.', '.b.', ' ', '\t', 'version=', 'CDM-IP=', 'dfc.webport=', 'dfc.postgres.hostlist=', 'updateFileUrl='];

function mutate(text: string, r: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const lines = text.split('\n');
  switch (Math.floor(r() * 8)) {
    case 0: { // flip characters
      const chars = [...text];
      for (let i = 0; i < 1 + r() * 5 && chars.length; i++) chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 0x3000));
      return chars.join('');
    }
    case 1: lines.splice(Math.floor(r() * lines.length), 1); return lines.join('\n');
    case 2: { const i = Math.floor(r() * lines.length); lines.splice(i, 0, lines[i]); return lines.join('\n'); }
    case 3: { const i = Math.floor(r() * lines.length), j = Math.floor(r() * lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; return lines.join('\n'); }
    case 4: return text.slice(0, Math.floor(r() * text.length));
    case 5: { const at = Math.floor(r() * (text.length + 1)); return text.slice(0, at) + pick(PIECES) + text.slice(at); }
    case 6: return text.replace(/\d+/g, (m) => (r() < 0.3 ? '9'.repeat(1 + Math.floor(r() * 40)) : m));
    default: return lines.map((l) => (r() < 0.2 ? l + pick(PIECES) : l)).join('\n');
  }
}

function checkRange(rg: Range, idx: LineIndex, what: string) {
  for (const p of [rg.start, rg.end]) {
    assert.ok(p.line >= 0 && p.line < idx.lineCount, `${what}: line ${p.line} of ${idx.lineCount}`);
    assert.ok(p.character >= 0 && p.character <= idx.lineText(p.line).length, `${what}: character ${p.character}`);
  }
  assert.ok(rg.start.line < rg.end.line || (rg.start.line === rg.end.line && rg.start.character <= rg.end.character), `${what}: start after end`);
}

function checkResult(text: string, diags: Diagnostic[]) {
  const idx = new LineIndex(text);
  for (const d of diags) {
    assert.ok(ruleMeta(d.rule), `unknown rule ${d.rule}`);
    assert.ok(d.message.length > 0);
    if (d.rule !== 'file/too-large') checkRange(d.range, idx, d.rule);
    for (const f of d.fixes) for (const e of f.edits) checkRange(e.range, idx, `fix of ${d.rule}`);
  }
  assert.equal(typeof applyEdits(text, preferredEdits(diags)), 'string');
}

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
        const again = Math.min(...[0, 1, 2].map(() => { const t = performance.now(); lint({ text, kind: s.kind }, { locale }); return performance.now() - t; }));
        assert.ok(again <= 100, `an input of ${text.length} bytes took ${again.toFixed(0)} ms: ${JSON.stringify(text.slice(0, 200))}`);
      }
      slowest = Math.max(slowest, ms);
      count++;
    }
  }
  assert.ok(count >= 20000);
  console.log(`fuzz: ${count} inputs, slowest ${slowest.toFixed(1)} ms`);
});

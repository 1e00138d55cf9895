/** Well-formedness of a lint result, shared by the fuzz tests: known rules, ranges inside the text, fixes that apply. */
import assert from 'node:assert/strict';
import { preferredEdits } from '../../server/engine/lint';
import { ruleMeta } from '../../server/engine/rules/index';
import { applyEdits, LineIndex } from '../../server/engine/text';
import type { Diagnostic, Range } from '../../server/engine/types';

export function checkRange(rg: Range, idx: LineIndex, what: string) {
  for (const p of [rg.start, rg.end]) {
    assert.ok(p.line >= 0 && p.line < idx.lineCount, `${what}: line ${p.line} of ${idx.lineCount}`);
    assert.ok(p.character >= 0 && p.character <= idx.lineText(p.line).length, `${what}: character ${p.character}`);
  }
  assert.ok(rg.start.line < rg.end.line || (rg.start.line === rg.end.line && rg.start.character <= rg.end.character), `${what}: start after end`);
}

export function checkResult(text: string, diags: Diagnostic[]) {
  const idx = new LineIndex(text);
  for (const d of diags) {
    assert.ok(ruleMeta(d.rule), `unknown rule ${d.rule}`);
    assert.ok(d.message.length > 0, `empty message (${d.rule})`);
    if (d.rule !== 'file/too-large') checkRange(d.range, idx, d.rule);
    for (const f of d.fixes) for (const e of f.edits) checkRange(e.range, idx, `fix of ${d.rule}`);
    for (const r of d.related ?? []) if (!r.path) checkRange(r.range, idx, `related of ${d.rule}`);
  }
  assert.equal(typeof applyEdits(text, preferredEdits(diags)), 'string');
}

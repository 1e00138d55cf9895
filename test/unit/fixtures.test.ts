/** Runs every fixture through the same code path as the CLI and compares with its .expect and .fixed sidecars. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { kindForPath } from '../../server/engine/lint';
import { ConfigCache, fixText, lintFileOnDisk } from '../../server/node/host';
import { FIXTURES, formatDiagnostic, listFixtures, readExpect } from '../helpers/fixtures';

const files = listFixtures();

test('the corpus is not empty and every fixture states its expectations', () => {
  assert.ok(files.length >= 40, `only ${files.length} fixtures`);
  const missing = files.filter((f) => readExpect(f) === undefined).map((f) => path.relative(FIXTURES, f));
  assert.deepEqual(missing, []);
});

for (const file of files) {
  const rel = path.relative(FIXTURES, file);
  test(`fixture ${rel}`, () => {
    const expected = readExpect(file) ?? [];
    const { result } = lintFileOnDisk(file, kindForPath(file)!, new ConfigCache());
    const actual = result.diagnostics.map(formatDiagnostic);
    assert.deepEqual([...actual].sort(), [...expected].sort());
    for (const d of result.diagnostics) {
      assert.ok(d.message.length > 10 && !/undefined|\[object/.test(d.message), `poor message for ${d.rule}: ${d.message}`);
    }
  });
  const fixedPath = file + '.fixed';
  if (fs.existsSync(fixedPath)) {
    test(`fix ${rel}`, () => {
      const { read, lintText } = lintFileOnDisk(file, kindForPath(file)!, new ConfigCache());
      const { text } = fixText(read.text, lintText);
      assert.equal((read.bom ? '\uFEFF' : '') + text, fs.readFileSync(fixedPath, 'utf8'));
    });
  }
}

test('a fixed file has no fixable problem left, and fixing is idempotent', () => {
  for (const file of files.filter((f) => fs.existsSync(f + '.fixed'))) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-fix-'));
    const copy = path.join(dir, path.basename(file));
    fs.writeFileSync(copy, fs.readFileSync(file + '.fixed'));
    for (const cfg of ['.upgrade-lint.json']) {
      const src = path.join(path.dirname(file), cfg);
      if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, cfg));
    }
    const { read, result, lintText } = lintFileOnDisk(copy, kindForPath(copy)!, new ConfigCache());
    assert.equal(result.diagnostics.filter((d) => d.fixes.some((f) => f.preferred)).length, 0, path.basename(file));
    assert.equal(fixText(read.text, lintText).text, read.text);
    fs.rmSync(dir, { recursive: true });
  }
});

/** The CLI on a Unity project: its `.meta` files are not ACNS meta files and are left alone; ACNS ones are checked. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const PROJECT = 'test/fixtures/foreign-meta/unity-project';
const ACNS = `${PROJECT}/Assets/StreamingAssets/ACNS-5.1.3.meta`;

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a walked Unity project: only its ACNS meta file is reported and counted; the Unity ones are skipped silently', () => {
  const unity = fs.readdirSync(path.join(ROOT, PROJECT), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.meta') && !f.includes('ACNS'));
  assert.ok(unity.length >= 6, unity.join(', '));
  const r = run([PROJECT]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.equal(r.err, '');
  const problems = r.out.split('\n').filter((l) => /:\d+:\d+ {2}/.test(l));
  assert.deepEqual(
    problems.map((l) => l.split('  ')[0]),
    [`${ACNS}:4:16`],
  );
  assert.match(r.out, /^1 file checked: 1 problem \(1 error, 0 warnings, 0 information, 0 hints\)$/m);

  const json = run(['--format', 'json', PROJECT]);
  const report = JSON.parse(json.out) as { files: { path: string; diagnostics: { rule: string }[] }[]; summary: { files: number; errors: number } };
  assert.deepEqual(
    report.files.map((f) => [f.path, f.diagnostics.map((d) => d.rule)]),
    [[ACNS, ['meta/http-port']]],
  );
  assert.deepEqual([report.summary.files, report.summary.errors], [1, 1]);
});

test('a Unity .meta named on the command line: no problems, exit 0, and a note on stderr saying why it was not checked', () => {
  const file = `${PROJECT}/Assets/Textures/logo.png.meta`;
  const r = run([file]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.out, '0 files checked: 0 problems (0 errors, 0 warnings, 0 information, 0 hints)\n');
  assert.equal(r.err, `upgrade-lint: ${file}: not checked: it is Unity asset metadata (YAML), not an ACNS meta file\n`);
  const ja = run(['--locale', 'ja', '--format', 'json', file]);
  assert.equal(ja.code, 0);
  assert.deepEqual((JSON.parse(ja.out) as { files: unknown[] }).files, []);
  assert.match(ja.err, /Unity のアセットメタデータ/);
});

test('--fix never touches a Unity .meta; a Cocos Creator JSON meta is left alone too', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-cli-foreign-'));
  const unity = path.join(dir, 'Player.cs.meta');
  const text = fs.readFileSync(path.join(ROOT, PROJECT, 'Assets', 'Scripts', 'Player.cs.meta'), 'utf8');
  fs.writeFileSync(unity, text);
  fs.copyFileSync(path.join(ROOT, 'test/fixtures/foreign-meta/cocos-project/assets/logo.png.meta'), path.join(dir, 'logo.png.meta'));
  const r = run(['--fix', '.'], dir);
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /^0 files checked/m);
  assert.equal(fs.readFileSync(unity, 'utf8'), text);
  fs.rmSync(dir, { recursive: true });
});

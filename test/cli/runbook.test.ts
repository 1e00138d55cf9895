/** `upgrade-lint --runbook html|md`: the printable runbook instead of the report, with the exit codes of linting. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const VALID = 'examples/imp/im-presence-9.0.upgrade.yaml';
const BROKEN = 'examples/imp/broken/branch-imp.upgrade.yaml';

function run(args: string[], cwd = ROOT, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-runbook-'));
const stepRows = (html: string) => (/<table class="steps">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1].match(/<tr /g) ?? []).length;

describe('upgrade-lint --runbook', () => {
  test('html to -o: the file is written, nothing on stdout, exit 0 for a clean manifest', () => {
    const dir = tmp();
    const out = path.join(dir, 'x.html');
    const r = run(['--runbook', 'html', VALID, '-o', out]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, '');
    const html = fs.readFileSync(out, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(html.includes(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`));
    assert.match(html, /<h1>Runbook: IM and Presence cluster 1 to 9\.0\(1\)<\/h1>/);
    assert.equal(stepRows(html), 6);
    assert.match(html, /<svg class="ul-timeline ul-theme-print"/);
    assert.ok(!/\ssrc=|\shref=|https?:/.test(html));
  });

  test('a manifest with errors: its runbook lists them, and the exit code is 1 as for linting', () => {
    const r = run(['--runbook=md', BROKEN]);
    assert.equal(r.code, 1, r.err);
    assert.ok(r.out.startsWith('# Runbook: Branch IM and Presence to 9.0(1)\n'));
    assert.match(r.out, /^\| error \| imp\/cop-file-required \| 21 \| up-pub \| /m);
    assert.match(r.out, /^\| ☐ \| 1 \| drs \| imp-pub \| backup \|/m);
    assert.ok(!/errors?, \d+ warnings/.test(r.out), 'no lint report');
    // --rule still applies: with the errors off, the exit code follows.
    const off = run(['--runbook', 'md', '--rule', 'imp/*=off', '--rule', 'manifest/node-not-upgraded=off', BROKEN]);
    assert.equal(off.code, 0, off.out);
    assert.ok(!off.out.includes('imp/cop-file-required'));
  });

  test('Japanese with --locale ja', () => {
    const r = run(['--runbook', 'html', '--locale', 'ja', VALID]);
    assert.equal(r.code, 0);
    assert.ok(r.out.includes('<html lang="ja">'));
    assert.ok(r.out.includes('<h2>未解決の問題</h2>'));
    assert.ok(r.out.includes('<th scope="col">開始予定</th>'));
  });

  test('several manifests: one document, a section each, in the order found; other files are linted only', () => {
    const r = run(['--runbook', 'html', VALID, BROKEN, 'examples/acns/ACNS-5.1.3.meta']);
    assert.equal(r.code, 1);
    assert.equal((r.out.match(/<section class="runbook">/g) ?? []).length, 2);
    assert.ok(r.out.indexOf('IM and Presence cluster 1') < r.out.indexOf('Branch IM and Presence'));
    assert.match(r.err, /examples\/acns\/ACNS-5\.1\.3\.meta is not an upgrade manifest: it is linted but has no runbook/);
    // Only meta files: there is no runbook to write.
    const none = run(['--runbook', 'html', 'examples/acns/ACNS-5.1.3.meta']);
    assert.equal(none.code, 2);
    assert.equal(none.out, '');
    assert.match(none.err, /none of the files checked is an upgrade manifest/);
  });

  test('problems no runbook lists (a broken configuration, a meta file) are reported on stderr', () => {
    const dir = tmp();
    fs.copyFileSync(path.join(ROOT, VALID), path.join(dir, 'site.upgrade.yaml'));
    fs.copyFileSync(path.join(ROOT, 'examples/acns/broken/ACNS-5.1.3-lab.meta'), path.join(dir, 'lab.meta'));
    const r = run(['--runbook', 'md', '.'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^## Open problems\n\nNo open problems\.$/m);
    assert.match(r.err, /^lab\.meta:5:16 {2}error {2}HTTP image URLs must use port 80.* {2}meta\/http-port$/m);
    assert.match(r.err, /^2 files checked: /m);
    assert.ok(!r.err.includes('site.upgrade.yaml'));
  });

  test('a manifest that is not YAML: a runbook of its problems, exit 1', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'bad.upgrade.yaml'), 'manifestVersion: 1\nsteps: [\n');
    const r = run(['--runbook', 'md', 'bad.upgrade.yaml'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^# Runbook: untitled plan$/m);
    assert.match(r.out, /^## Open problems$/m);
    assert.match(r.out, /^\| error \| yaml\//m);
    assert.match(r.err, /bad\.upgrade\.yaml: the manifest cannot be read as YAML/);
  });

  test('standard input with --stdin-filename; not with --fix', () => {
    const text = fs.readFileSync(path.join(ROOT, VALID), 'utf8');
    const r = run(['--runbook', 'md', '-', '--stdin-filename', 'site.upgrade.yaml'], ROOT, text);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# Runbook: IM and Presence cluster 1 to 9\.0\(1\)$/m);
    assert.match(r.out, /^- \*\*Manifest:\*\* site\.upgrade\.yaml$/m);
    const fix = run(['--runbook', 'md', '--fix', '-', '--stdin-filename', 'site.upgrade.yaml'], ROOT, text);
    assert.equal(fix.code, 2);
    assert.match(fix.err, /--runbook cannot be used with --fix on standard input/);
  });

  test('a bad value is a usage error (exit 2, with the usage, which lists --runbook)', () => {
    const r = run(['--runbook', 'pdf', VALID]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--runbook must be html or md \(got "pdf"\)/);
    assert.match(r.err, /^ {2}--runbook <html\|md> +write each manifest's runbook instead of the report$/m);
    const ja = run(['--runbook', 'pdf', '--locale', 'ja', VALID]);
    assert.match(ja.err, /--runbook には html または md を指定してください/);
    assert.match(run(['--help', '--locale', 'ja']).out, /^ {2}--runbook <html\|md> +レポートの代わりに各マニフェストのランブックを書く$/m);
    assert.equal(run(['--runbook']).code, 2);
  });

  test('a folder named runbook is still linted: the runbook is an option, not a subcommand', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'runbook'));
    fs.copyFileSync(path.join(ROOT, BROKEN), path.join(dir, 'runbook', 'site.upgrade.yaml'));
    for (const arg of ['runbook/', 'runbook']) {
      const r = run([arg], dir);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /^runbook\/site\.upgrade\.yaml:21:9 {2}error {2}.* {2}imp\/cop-file-required$/m);
      assert.match(r.out, /^1 file checked: /m);
      assert.ok(!r.out.includes('<html'));
    }
    // And with the option, the folder's manifest gets its runbook.
    const rb = run(['--runbook', 'html', 'runbook'], dir);
    assert.equal(rb.code, 1);
    assert.equal(stepRows(rb.out), 3);
  });
});

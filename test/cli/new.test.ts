/**
 * `upgrade-lint new` / `--new`: the planner's manifest on stdout or in the -o file; the issue's example verbatim;
 * usage mistakes (exit 2, saying what would be right), a path the guide refuses (exit 1, the rule's reason), an
 * input the guide does not allow reported as the linter reports it; and the contract guard: a file or folder named
 * `new` is still linted, `new` is a subcommand only with planner options after it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { lint } from '../../server/engine/lint';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const BROKEN = 'examples/imp/broken/branch-imp.upgrade.yaml';

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-new-'));
const ISSUE = ['new', '--product', 'cucm-im-presence', '--from', '8.6(3)', '--to', '9.0(1)', '--node', 'imp-pub=publisher', '--node', 'imp-sub1=subscriber'];
const problems = (text: string) => lint({ text, kind: 'upgrade-manifest' }, {}).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');

describe('upgrade-lint new', () => {
  test("the issue's example: a manifest on stdout that lints clean, exit 0, nothing on stderr", () => {
    const r = run(ISSUE);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, /^# Written by upgrade-lint from the guide: IM and Presence 8\.6\(3\) → 9\.0\(1\)\.$/m);
    assert.match(r.out, /^product: cucm-im-presence$/m);
    assert.match(r.out, /^from: 8\.6\(3\)$/m);
    assert.match(r.out, /^to: 9\.0\(1\)$/m);
    assert.match(r.out, /^ {2}- name: imp-pub\n {4}role: publisher$/m);
    assert.match(r.out, /^ {2}- name: imp-sub1\n {4}role: subscriber$/m);
    assert.deepEqual(problems(r.out), []);
    // The same through --new, and the result is the same text.
    const flag = run(['--new', ...ISSUE.slice(1)]);
    assert.equal(flag.code, 0);
    assert.equal(flag.out, r.out);
  });

  test('-o writes the file; the linter agrees it is clean; --locale ja writes the notes in Japanese', () => {
    const dir = tmp();
    const file = path.join(dir, 'cluster.upgrade.yaml');
    const r = run([...ISSUE, '-o', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    const lintIt = run([file]);
    assert.equal(lintIt.code, 0, lintIt.out);
    const ja = run([...ISSUE, '--locale', 'ja']);
    assert.match(ja.out, /^# upgrade-lint がガイドに基づいて作成/m);
    assert.match(ja.out, /note: .*[ぁ-んァ-ン]/);
  });

  test('mistakes are usage errors that say what would be right (exit 2)', () => {
    const noProduct = run(['--new', '--from', '1', '--to', '2']);
    assert.equal(noProduct.code, 2);
    assert.match(noProduct.err, /--new needs --product: one of `acns`, `cucm-im-presence`, `callmanager`, `cupm`, `iplanet-messaging`\./);
    const role = run(['new', '--product', 'cucm-im-presence', '--from', '8.6(3)', '--to', '9.0(1)', '--node', 'x=cdm-primary']);
    assert.equal(role.code, 2);
    assert.match(role.err, /Node `x`: `cdm-primary` is not a role of `cucm-im-presence`; use one of `publisher`, `subscriber`\./);
    const set = run([...ISSUE, '--set', 'phones=3']);
    assert.equal(set.code, 2);
    assert.match(set.err, /`phones=3` is not a fact of `cucm-im-presence` plans; facts: .*`highAvailability`/);
    const value = run([...ISSUE, '--set', 'switchMode=later']);
    assert.equal(value.code, 2);
    assert.match(value.err, /`switchMode` takes `with-upgrade`, `after-upgrades`, `staged`, not `later`\./);
    const withFile = run(['--new', ...ISSUE.slice(1), BROKEN]);
    assert.equal(withFile.code, 2);
    assert.match(withFile.err, /--new writes a manifest; it takes no files to lint/);
    const stray = run(['--from', '8.6(3)', BROKEN]);
    assert.equal(stray.code, 2);
    assert.match(stray.err, /--from is an option of --new \(or `upgrade-lint new`\)\./);
    assert.match(run(['--help']).out, /^ {2}--new +write a new manifest, planned from the guide, to$/m);
  });

  test("--set takes the planner's facts and the product's keys: a staged switch, high availability on", () => {
    const r = run([...ISSUE, '--set', 'switchMode=staged', '--set', 'highAvailability=enabled']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^highAvailability: enabled$/m);
    assert.match(r.out, /^ {4}action: disable-ha$/m);
    assert.match(r.out, /^ {4}action: switch-version$/m);
    assert.deepEqual(problems(r.out), []);
  });

  test('a path the guide refuses: nothing on stdout, the rule and its reason on stderr, exit 1', () => {
    const r = run(['new', '--product', 'callmanager', '--from', '3.1', '--to', '4.1(3)', '--node', 'pub=publisher,memoryMB=2048']);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, /^upgrade-lint: the guide does not allow this upgrade \(ccm\/upgrade-path\): /m);
  });

  test('an input the guide does not allow is refused with the rule that says so (exit 1); a plan the linter still faults is written with its problems on stderr', () => {
    const r = run(['new', '--product', 'callmanager', '--from', '3.3', '--to', '4.1(3)', '--node', 'pub=publisher,memoryMB=512,staticIp=true']);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.out, '');
    assert.match(
      r.err,
      /^upgrade-lint: the guide does not allow this upgrade \(ccm\/memory\): pub has 512 MB of memory; CallManager needs at least 1024 MB\./m,
    );
    // A window too short for the plan: the plan is written, and the linter's warning said on stderr (exit 0: a warning).
    const short = run([...ISSUE, '--window', '2026-12-05T22:00:00+09:00/2026-12-05T22:10:00+09:00']);
    assert.equal(short.code, 0, short.err);
    assert.match(short.out, /^maintenanceWindow:\n {2}start: '?2026-12-05T22:00:00\+09:00'?$/m);
    assert.match(short.err, /^upgrade-lint: line \d+: warning manifest\/window-overrun: /m);
  });

  test('a folder or file named new is still linted: `new` is a subcommand only with planner options after it', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'new'));
    fs.copyFileSync(path.join(ROOT, BROKEN), path.join(dir, 'new', 'site.upgrade.yaml'));
    for (const args of [['new'], ['new/'], ['--', 'new'], ['--format', 'json', 'new']]) {
      const r = run(args, dir);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.ok(r.out.includes('site.upgrade.yaml'), args.join(' '));
      assert.ok(!r.out.includes('# Written by upgrade-lint'));
    }
  });
});

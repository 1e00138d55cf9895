/**
 * The built CLI on a hostile repository (issue 9): special files, links out of the tree, unreadable files and
 * folders, concurrent and read-only `--fix`, a closed pipe, secrets and URIs in every format. Every command has a
 * time limit, so a regression that hangs fails instead of stalling the suite.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n';

/** A folder anyone can read (the tests that drop root privileges run as nobody). */
const tmp = () => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-sec-')));
  fs.chmodSync(d, 0o755);
  return d;
};
const isRoot = process.getuid?.() === 0;
/** Runs the CLI; as root, `asUser` runs it as nobody so that permissions apply. */
function run(args: string[], cwd: string, opts: { asUser?: boolean; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: opts.timeout ?? 20000,
    env: { ...process.env, NO_COLOR: '1' },
    ...(opts.asUser && isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}
const json = (out: string) => JSON.parse(out) as { files: { path: string; kind: string; diagnostics: { rule: string; message: string }[] }[] };
const rulesOf = (out: string) => Object.fromEntries(json(out).files.map((f) => [f.path, f.diagnostics.map((d) => d.rule)]));

describe('CLI on a hostile repository', () => {
  test('a FIFO named x.meta, a link to /dev/zero and a FIFO .upgrade-lint.json: diagnostics at once, never a hang', () => {
    const dir = tmp();
    execFileSync('mkfifo', [path.join(dir, 'fifo.meta')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.meta'));
    fs.writeFileSync(path.join(dir, 'ok.meta'), META);
    const started = Date.now();
    const r = run(['--format', 'json', 'fifo.meta', 'zero.meta', 'ok.meta'], dir);
    assert.equal(r.signal, null, 'timed out: a special file was read');
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(rulesOf(r.out), { 'fifo.meta': ['file/unreadable'], 'zero.meta': ['file/unreadable'], 'ok.meta': [] });
    execFileSync('mkfifo', [path.join(dir, '.upgrade-lint.json')]);
    const c = run(['--format', 'json', '.'], dir);
    assert.equal(c.signal, null, 'timed out reading the config FIFO');
    assert.deepEqual(rulesOf(c.out)['.upgrade-lint.json'], ['config/invalid']);
    assert.ok(Date.now() - started < 15000);
  });

  test('a manifest and a meta file that are links to files outside the tree are not read', () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'id_rsa.meta'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n');
    const dir = tmp();
    fs.symlinkSync(path.join(outside, 'id_rsa.meta'), path.join(dir, 'site.meta'));
    const r = run(['--format', 'json', 'site.meta'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(rulesOf(r.out), { 'site.meta': ['file/unreadable'] });
    assert.doesNotMatch(r.out, /OPENSSH|b3Blbn/);
    // --allow-path lets the user opt in.
    const allowed = run(['--format', 'json', '--allow-path', outside, 'site.meta'], dir);
    assert.ok(rulesOf(allowed.out)['site.meta'].length > 1);
  });

  test('an unreadable file, folder and .upgrade-lint.json are reported; the other files are still checked', { skip: process.platform === 'win32' }, () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'ok.meta'), META);
    fs.chmodSync(path.join(dir, 'ok.meta'), 0o644);
    fs.writeFileSync(path.join(dir, 'secret.meta'), META);
    fs.chmodSync(path.join(dir, 'secret.meta'), 0o000);
    fs.mkdirSync(path.join(dir, 'locked'));
    fs.writeFileSync(path.join(dir, 'locked', 'a.meta'), META);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub, { mode: 0o755 });
    fs.writeFileSync(path.join(sub, '.upgrade-lint.json'), '{"rules": {"meta/*": "off"}}');
    fs.chmodSync(path.join(sub, '.upgrade-lint.json'), 0o000);
    fs.writeFileSync(path.join(sub, 'b.meta'), META);
    fs.chmodSync(path.join(sub, 'b.meta'), 0o644);
    const r = run(['--format', 'json', '.'], dir, { asUser: true });
    assert.equal(r.code, 1, r.err);
    const got = rulesOf(r.out);
    assert.deepEqual(got['locked'], ['file/unreadable']);
    assert.deepEqual(got['secret.meta'], ['file/unreadable']);
    assert.deepEqual(got['ok.meta'], []);
    assert.deepEqual(got['sub/.upgrade-lint.json'], ['config/invalid']);
    assert.equal(json(r.out).files.find((f) => f.path === 'locked')!.kind, 'folder');
    fs.chmodSync(path.join(dir, 'locked'), 0o755);
  });

  test('--fix on a read-only file leaves it as it is, says so, and goes on with the others', () => {
    const dir = tmp();
    const bad = 'updateFileSize=97205475\nversion= 5.1.3\nversion= 5.1.4\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n';
    fs.writeFileSync(path.join(dir, 'ro.meta'), bad);
    fs.writeFileSync(path.join(dir, 'rw.meta'), bad);
    fs.chmodSync(path.join(dir, 'ro.meta'), 0o444);
    fs.chmodSync(path.join(dir, 'rw.meta'), 0o666);
    fs.chmodSync(dir, 0o777);
    const r = run(['--fix', 'ro.meta', 'rw.meta'], dir, { asUser: true });
    assert.equal(r.code, 1, r.out + r.err); // the read-only file still has its error
    assert.match(r.err, /ro\.meta: not fixed \(the file is read-only\)/);
    assert.equal(fs.readFileSync(path.join(dir, 'ro.meta'), 'utf8'), bad);
    assert.equal(fs.readFileSync(path.join(dir, 'rw.meta'), 'utf8'), META, 'the duplicate line is gone');
    assert.equal(fs.statSync(path.join(dir, 'rw.meta')).mode & 0o777, 0o666, 'permissions kept');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['ro.meta', 'rw.meta'], 'no temporary file left behind');
  });

  test('concurrent --fix runs on one large file never leave it truncated or half-written', async () => {
    const dir = tmp();
    const file = path.join(dir, 'big.upgrade.yaml');
    const nodes = Array.from({ length: 12000 }, (_, i) => `  - name: node-${i}\n    role: content-engine\n    address: node-${i}.example.co.jp`).join('\n');
    const text = `manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes:\n${nodes}\nsteps:\n  - id: up\n    action: upgrade\n    node: nodx-1\n`;
    const expected = text.replace('node: nodx-1', 'node: node-1');
    for (let round = 0; round < 2; round++) {
      fs.writeFileSync(file, text);
      const runs = Array.from(
        { length: 4 },
        () =>
          new Promise<number | null>((resolve) => {
            const p = spawn(process.execPath, [BIN, '--fix', file], { stdio: 'ignore' });
            p.on('exit', resolve);
          }),
      );
      await Promise.all(runs);
      assert.equal(fs.readFileSync(file, 'utf8'), expected, `round ${round}: the file is whole and fixed once`);
      assert.deepEqual(fs.readdirSync(dir), ['big.upgrade.yaml'], 'no temporary file left behind');
    }
  });

  test('--fix replaces the file by a rename: a reader that has the old file open still reads the old text whole', () => {
    const dir = tmp();
    const file = path.join(dir, 'a.meta');
    const bad = 'updateFileSize=97205475\nversion= 5.1.3\nversion= 5.1.4\nupdateFileUrl= ftp://h.example.com/ACNS-5.1.3-K9.bin\n';
    fs.writeFileSync(file, bad);
    const fd = fs.openSync(file, 'r');
    try {
      run(['--fix', 'a.meta'], dir);
      assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /5\.1\.4/);
      // Rewriting in place (truncate, then write) is what let concurrent runs see half-written files.
      assert.equal(fs.readFileSync(fd, 'utf8'), bad);
    } finally {
      fs.closeSync(fd);
    }
  });

  test('--fix through a symlink inside the tree rewrites the target, keeping the link', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(
      path.join(dir, 'real', 'a.meta'),
      'updateFileSize=97205475\nversion= 5.1.3\nversion= 5.1.4\nupdateFileUrl= ftp://h.example.com/ACNS-5.1.3-K9.bin\n',
    );
    fs.symlinkSync('real/a.meta', path.join(dir, 'link.meta'));
    run(['--fix', 'link.meta'], dir);
    assert.ok(fs.lstatSync(path.join(dir, 'link.meta')).isSymbolicLink());
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'real', 'a.meta'), 'utf8'), /5\.1\.4/);
  });

  test('a reader that closes the pipe early (| head) ends the run quietly with its exit code', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --format sarif examples/ | head -c 10 > /dev/null; echo "rc=\${PIPESTATUS[0]}"`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.match(r.stdout, /rc=1/);
    assert.doesNotMatch(r.stderr, /EPIPE|internal error|at /);
  });

  test('credentials in URLs and secret values appear in no format; SARIF URIs are percent-encoded', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'a b#1.meta'),
      'updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://user:PW-4711@host with space/ACNS-5.1.3-K9.bin\nuser=u\npassword=Winter-2026\n',
    );
    fs.writeFileSync(
      path.join(dir, 'm.upgrade.yaml'),
      'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes: [{name: a, role: content-engine}]\nsteps:\n  - {id: s, action: upgrade, node: a}\n  - {id: c, action: command, node: a, run: x, env: {DB_PASSWORD: 987654}}\n',
    );
    for (const format of ['text', 'json', 'sarif']) {
      for (const locale of ['en', 'ja']) {
        const r = run(['--format', format, '--locale', locale, '.'], dir);
        assert.equal(r.code, 1);
        assert.doesNotMatch(r.out + r.err, /PW-4711|Winter-2026|987654/, `${format} ${locale}`);
      }
    }
    const sarif = JSON.parse(run(['--format', 'sarif', '.'], dir).out);
    const uris = sarif.runs[0].results.map(
      (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri,
    );
    assert.ok(uris.includes('a%20b%231.meta'), JSON.stringify(uris));
  });

  test('hostile YAML and a glob that backtracks: one diagnostic each, exit 1, never exit 2 or a hang', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'keys.upgrade.yaml'), '{'.repeat(32));
    fs.writeFileSync(path.join(dir, 'deep.upgrade.yaml'), '['.repeat(200000));
    fs.writeFileSync(path.join(dir, 'deep2.upgrade.yaml'), '- '.repeat(100000) + 'x');
    fs.writeFileSync(
      path.join(dir, '.upgrade-lint.json'),
      JSON.stringify({ overrides: [{ files: ['**/'.repeat(30) + '*a'.repeat(30) + 'b'], rules: { 'meta/*': 'off' } }] }),
    );
    fs.writeFileSync(path.join(dir, 'a'.repeat(200) + '.meta'), META);
    const started = Date.now();
    const r = run(['--format', 'json', '.'], dir);
    assert.equal(r.signal, null);
    assert.equal(r.code, 1, r.err);
    const got = rulesOf(r.out);
    assert.deepEqual(got['deep.upgrade.yaml'], ['yaml/too-deep']);
    assert.deepEqual(got['deep2.upgrade.yaml'], ['yaml/too-deep']);
    assert.ok(got['keys.upgrade.yaml'].length > 0 && got['keys.upgrade.yaml'].every((x) => x === 'yaml/syntax'));
    assert.deepEqual(got['.upgrade-lint.json'], ['config/invalid']);
    assert.ok(Date.now() - started < 10000, `${Date.now() - started} ms`);
  });
});

/**
 * Linting on several threads (--jobs, server/cli/jobs.ts): the same report, byte for byte, whatever the number
 * of threads; --fix and --remote-checks work in the workers.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { collectFiles } from '../../server/cli/collect';
import { lintInParallel, threadCount, WORKER_TAG } from '../../server/cli/jobs';
import { lintJob, type LintContext } from '../../server/cli/lintfile';
import { Roots } from '../../server/node/files';
import { ConfigCache } from '../../server/node/host';
import { imageServerForSuite } from '../helpers/imageServer';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60000,
    maxBuffer: 256 << 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-jobs-')));

describe('upgrade-lint --jobs', () => {
  test('test/fixtures: --jobs 1 and --jobs 2 print the same bytes (text and json) and exit alike', () => {
    for (const format of ['text', 'json']) {
      const one = run(['--format', format, '--jobs', '1', 'test/fixtures']);
      const two = run(['--format', format, '--jobs', '2', 'test/fixtures']);
      const all = format === 'text' ? run(['--format', format, 'test/fixtures']) : one;
      assert.ok(one.out.length > 10000, `${format}: a real report`);
      assert.equal(one.code, 1);
      assert.equal(two.code, one.code);
      assert.equal(all.code, one.code);
      assert.ok(two.out === one.out, `${format}: --jobs 2 differs from --jobs 1`);
      assert.ok(all.out === one.out, `${format}: the default differs from --jobs 1`);
      assert.equal(two.err, one.err);
    }
  });

  test('the workers lint files, and their outcomes equal the main thread’s, in input order', async () => {
    const dir = path.join(ROOT, 'test', 'fixtures');
    const files = collectFiles([dir]);
    assert.ok(files.length > 100);
    const o = { fix: false, remoteChecks: false, rules: { 'meta/*': 'warning' as const }, locale: 'ja' as const };
    const roots = Roots.forCli([dir]);
    const ctx = (): LintContext => ({ o, roots, configs: new ConfigCache(roots, o.locale) });
    const single = [];
    const c = ctx();
    for (const f of files) single.push(await lintJob(f, c));
    const stats = { byWorkers: 0, workersStarted: 0 };
    const script = path.join(__dirname, '..', '..', 'server', 'cli', 'cli.js');
    const parallel = await lintInParallel(files, 2, ctx(), script, { [WORKER_TAG]: true, o, inputs: [dir], allowPaths: [] }, { eager: true, stats });
    assert.equal(stats.workersStarted, 1);
    assert.ok(stats.byWorkers > 0, 'a worker linted some of the files');
    assert.ok(stats.byWorkers < files.length, 'and the main thread the others');
    assert.deepEqual(parallel, single);
  });

  test('without --jobs, a worker joins only a run that proves long', async () => {
    const dir = path.join(ROOT, 'examples');
    const files = collectFiles([dir]);
    const o = { fix: false, remoteChecks: false, rules: {}, locale: 'en' as const };
    const roots = Roots.forCli([dir]);
    const script = path.join(__dirname, '..', '..', 'server', 'cli', 'cli.js');
    const lazy = { byWorkers: 0, workersStarted: 0 };
    const setup = { [WORKER_TAG]: true as const, o, inputs: [dir], allowPaths: [] };
    await lintInParallel(files, 2, { o, roots, configs: new ConfigCache(roots) }, script, setup, { stats: lazy });
    assert.deepEqual(lazy, { byWorkers: 0, workersStarted: 0 }, 'the examples are linted before a worker could help');
    // 40 copies of the examples, each linted more slowly than the last few ms: long enough for a worker.
    const many = Array.from({ length: 40 }, () => files).flat();
    const slow: LintContext = { o, roots, configs: new ConfigCache(roots) };
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const original = slow.configs.forFile.bind(slow.configs);
    slow.configs.forFile = (p: string) => (busy(5), original(p));
    const long = { byWorkers: 0, workersStarted: 0 };
    await lintInParallel(many, 2, slow, script, setup, { stats: long });
    assert.equal(long.workersStarted, 1);
  });

  test('small runs stay on one thread; --jobs and the cores bound the threads', () => {
    assert.equal(threadCount(undefined, 8), 1);
    assert.equal(threadCount(4, 3), 1);
    assert.equal(threadCount(1, 500), 1);
    assert.equal(threadCount(3, 500), 3);
    assert.equal(threadCount(64, 20), 20);
    assert.equal(threadCount(undefined, 500), Math.min(os.availableParallelism(), 500));
  });

  test('--fix in the workers writes the same files as on one thread', () => {
    const originals = [
      'acns/broken/ACNS-5.1.3-lab.meta',
      'acns/broken/ACNS-5.1.2-osaka.meta',
      'cupm/broken/dfc.properties',
      'imp/broken/branch-imp.upgrade.yaml',
    ];
    const make = () => {
      const dir = tmp();
      for (let i = 0; i < 12; i++)
        for (const o of originals) {
          const to = path.join(dir, `site-${i}`, o);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(path.join(ROOT, 'examples', o), to);
        }
      return dir;
    };
    const a = make(),
      b = make();
    const one = run(['--fix', '--format', 'json', '--jobs', '1', '.'], a);
    const two = run(['--fix', '--format', 'json', '--jobs', '2', '.'], b);
    assert.equal(two.code, one.code);
    assert.equal(two.out, one.out);
    let changed = 0;
    for (let i = 0; i < 12; i++)
      for (const o of originals) {
        const fa = fs.readFileSync(path.join(a, `site-${i}`, o), 'utf8');
        assert.equal(fs.readFileSync(path.join(b, `site-${i}`, o), 'utf8'), fa, o);
        if (fa !== fs.readFileSync(path.join(ROOT, 'examples', o), 'utf8')) changed++;
      }
    assert.ok(changed >= 36, `fixed files: ${changed}`);
  });

  test('a configuration problem is reported once, in the same place, whichever thread read it', () => {
    const dir = tmp();
    for (const site of ['a', 'b', 'c']) {
      fs.mkdirSync(path.join(dir, site));
      fs.writeFileSync(path.join(dir, site, '.upgrade-lint.json'), `{ "rules": { "meta/nope-${site}": "off" } }`);
      for (let i = 0; i < 10; i++) fs.copyFileSync(path.join(ROOT, 'examples', 'acns', 'ACNS-5.1.3.meta'), path.join(dir, site, `m${i}.meta`));
    }
    const one = run(['--jobs', '1', '.'], dir);
    const two = run(['--jobs', '2', '.'], dir);
    assert.equal(two.out, one.out);
    const problems = one.out.split('\n').filter((l) => l.includes('config/invalid'));
    assert.equal(problems.length, 3);
    problems.forEach((l, i) => assert.match(l, new RegExp(`^${'abc'[i]}/\\.upgrade-lint\\.json:1:\\d+ {2}error {2}Unknown rule id "meta/nope-${'abc'[i]}"`)));
  });
});

describe('upgrade-lint --jobs 2 --remote-checks', () => {
  const server = imageServerForSuite();
  const { host } = server;

  test('the workers ask the image server too, and --fix writes its size', async (t) => {
    if (!server.web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
    const dir = tmp();
    const meta = (i: number) => `updateFileSize=97205475\nversion= 5.1.3\ndescription= site ${i}\nupdateFileUrl= http://${host}/ACNS-5.1.3-K9.bin\n`;
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(dir, `s${String(i).padStart(2, '0')}.meta`), meta(i));
    // Asynchronously: the image server answers from this process.
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, '--remote-checks', '--fix', '--jobs', '2', '--format', 'json', '.'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('exit', (code) => resolve({ code, out }));
    });
    assert.equal(r.code, 0, r.out);
    assert.ok(server.hits >= 1);
    for (let i = 0; i < 40; i++)
      assert.equal(fs.readFileSync(path.join(dir, `s${String(i).padStart(2, '0')}.meta`), 'utf8'), meta(i).replace('97205475', '4321'));
    assert.equal((JSON.parse(r.out) as { summary: { files: number; errors: number } }).summary.files, 40);
  });
});

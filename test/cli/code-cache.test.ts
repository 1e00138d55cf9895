/**
 * The V8 code cache of the bundles (bin/code-cache.js, issue 16): written once in the user's own cache folder
 * (0700, the file 0600) and used on the next run with the same output; a damaged cache is rejected by V8, ignored and
 * written again; a cache folder others may write is never used; UPGRADE_LINT_NO_CODE_CACHE turns it off; the language
 * server writes its cache after its first work. And the schemas compiled to code at build time are current.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { SCHEMA_OPTIONS } from '../../server/engine/schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const META = path.join(ROOT, 'examples', 'acns', 'broken', 'ACNS-5.1.3-lab.meta');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-cache-'));
const run = (cache: string, extra: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BIN, '--format', 'json', META], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache, UPGRADE_LINT_NO_CODE_CACHE: '', ...extra },
  });
const cacheFiles = (cache: string) => {
  const dir = path.join(cache, 'upgrade-lint');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('cli.js-') && f.endsWith('.cache')) : [];
};

describe('V8 code cache', () => {
  test('written once in the user cache folder, private, and used on the next run with the same output', () => {
    const cache = tmp();
    const first = run(cache);
    assert.equal(first.status, 1, first.stderr);
    const files = cacheFiles(cache);
    assert.equal(files.length, 1, 'one cache file');
    const dir = path.join(cache, 'upgrade-lint');
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const file = path.join(dir, files[0]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(fs.statSync(file).size > 100_000, 'compiled code, not an empty file');
    const written = fs.statSync(file).mtimeMs;
    const second = run(cache);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.status, 1);
    assert.equal(fs.statSync(file).mtimeMs, written, 'an accepted cache is not written again');
  });

  test('a cache of another build, unused for a week, is removed when a new one is written; a recent one stays', () => {
    const cache = tmp();
    const dir = path.join(cache, 'upgrade-lint');
    fs.mkdirSync(dir, { mode: 0o700 });
    const old = path.join(dir, 'cli.js-1-1-v0.0.0-x64-.cache');
    const recent = path.join(dir, 'cli.js-2-2-v0.0.0-x64-.cache');
    const other = path.join(dir, 'server.js-1-1-v0.0.0-x64-.cache');
    for (const f of [old, recent, other]) fs.writeFileSync(f, 'x', { mode: 0o600 });
    const longAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    fs.utimesSync(old, longAgo, longAgo);
    fs.utimesSync(other, longAgo, longAgo);
    run(cache);
    assert.ok(!fs.existsSync(old), 'an old cache of the same bundle is removed');
    assert.ok(fs.existsSync(recent), 'a recent one stays (another install may use it)');
    assert.ok(fs.existsSync(other), "another bundle's cache is left to that bundle");
  });

  test('a damaged cache is rejected, the run is the same, and the cache is written again', () => {
    const cache = tmp();
    const clean = run(cache, { UPGRADE_LINT_NO_CODE_CACHE: '1' });
    run(cache);
    const file = path.join(cache, 'upgrade-lint', cacheFiles(cache)[0]);
    fs.writeFileSync(file, Buffer.alloc(4096, 7), { mode: 0o600 });
    const r = run(cache);
    assert.equal(r.stdout, clean.stdout);
    assert.notDeepEqual(fs.readFileSync(file).subarray(0, 64), Buffer.alloc(64, 7), 'written again');
  });

  test('a cache folder others may write is not used; UPGRADE_LINT_NO_CODE_CACHE=1 writes nothing', () => {
    const cache = tmp();
    fs.mkdirSync(path.join(cache, 'upgrade-lint'), { mode: 0o700 });
    fs.chmodSync(path.join(cache, 'upgrade-lint'), 0o777);
    const r = run(cache);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(cacheFiles(cache), []);
    const off = tmp();
    assert.equal(run(off, { UPGRADE_LINT_NO_CODE_CACHE: '1' }).status, 1);
    assert.ok(!fs.existsSync(path.join(off, 'upgrade-lint')));
  });

  test('the language server writes its cache two seconds after it starts', async () => {
    const cache = tmp();
    const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--stdio'], {
      env: { ...process.env, XDG_CACHE_HOME: cache, UPGRADE_LINT_NO_CODE_CACHE: '' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    try {
      const dir = path.join(cache, 'upgrade-lint');
      const has = () => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.startsWith('server.js-') && f.endsWith('.cache'));
      for (let i = 0; i < 100 && !has(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(has(), 'server.js cache written');
    } finally {
      p.kill('SIGKILL');
    }
  });

  test('the schemas compiled to code (server/engine/validators.generated.ts) are what the schemas give', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'validators.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // Compiled with the options the engine documents.
    const src = fs.readFileSync(path.join(ROOT, 'scripts', 'validators.mjs'), 'utf8');
    const given = /new Ajv\(\{ (.*), code: \{ source: true \} \}\)/.exec(src)?.[1];
    assert.equal(
      given,
      Object.entries(SCHEMA_OPTIONS)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
    );
  });
});

test('the bundles the bins load are ASCII, so they are read without UTF-8 decoding (scripts/build.mjs)', () => {
  for (const f of ['server.js', 'cli.js']) {
    const buf = fs.readFileSync(path.join(ROOT, 'dist', f));
    const at = buf.findIndex((b) => b > 0x7f);
    assert.equal(at, -1, `dist/${f}: a byte that is not ASCII at ${at}: ${buf.subarray(Math.max(0, at - 40), at + 20).toString('utf8')}`);
  }
});

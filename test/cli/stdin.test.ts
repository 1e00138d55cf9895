/**
 * `upgrade-lint - --stdin-filename <path>`: the text on standard input, linted as the file the name says (which
 * need not exist): its kind, its configuration and the files it refers to come from that path.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { run as runCli } from '../../server/cli/cli';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');

function run(args: string[], cwd: string, input: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, timeout: 30000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr.toString('utf8'), text: r.stdout.toString('utf8') };
}
const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-stdin-')));

/** A meta file whose only problems are a size that does not match the image beside it and a miscased key. */
const META = [
  'updateFileSize=9999',
  'version=5.1.3',
  'description=typed into the editor',
  'updatefileurl=ftp://images.example.com/ACNS-5.1.3-K9.bin',
  'user=anonymous',
  'password=noc@example.com',
  '',
].join('\n');

/** site/ holds a configuration that turns meta/key-case off and the 1,234-byte image the meta file names. */
function tree() {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'site'));
  fs.mkdirSync(path.join(dir, 'other'));
  fs.writeFileSync(path.join(dir, 'site', '.upgrade-lint.json'), '{\n  // the lab spells keys its own way\n  "rules": { "meta/key-case": "off" }\n}\n');
  fs.writeFileSync(path.join(dir, 'site', 'ACNS-5.1.3-K9.bin'), Buffer.alloc(1234));
  return dir;
}

interface Json {
  files: { path: string; kind: string; diagnostics: { rule: string; severity: string }[] }[];
  summary: { files: number; errors: number };
}
const rules = (j: Json) => j.files.flatMap((f) => f.diagnostics.map((d) => d.rule));

describe('upgrade-lint - (standard input)', () => {
  test('the configuration, the kind and the referenced image come from --stdin-filename (a file that does not exist)', () => {
    const dir = tree();
    const inSite = run(['--format', 'json', '-', '--stdin-filename', 'site/ACNS-5.1.3.meta'], dir, META);
    assert.equal(inSite.code, 1, inSite.err);
    const j = JSON.parse(inSite.text) as Json;
    assert.deepEqual(
      j.files.map((f) => [f.path, f.kind]),
      [['site/ACNS-5.1.3.meta', 'acns-meta']],
    );
    // site/.upgrade-lint.json turned key-case off; the image beside the named path is 1,234 bytes.
    assert.deepEqual(rules(j), ['meta/image-size-mismatch']);
    assert.equal(fs.existsSync(path.join(dir, 'site', 'ACNS-5.1.3.meta')), false);

    // The same text named in another folder: no configuration there, and no image either.
    const elsewhere = JSON.parse(run(['--format', 'json', '-', '--stdin-filename', 'other/ACNS-5.1.3.meta'], dir, META).text) as Json;
    assert.deepEqual(rules(elsewhere), ['meta/key-case']);

    // The name says which kind of file the text is: the same key=value text as dfc.properties is another kind.
    const dfc = JSON.parse(run(['--format', 'json', '-', '--stdin-filename', 'other/dfc.properties'], dir, 'dfc.webport=8o\n').text) as Json;
    assert.equal(dfc.files[0].kind, 'cupm-properties');
    assert.deepEqual(rules(dfc), ['dfc/port-format']);
  });

  test('text report: the path is the name given; a clean text exits 0', () => {
    const dir = tree();
    const clean = META.replace('9999', '1234');
    const r = run(['-', '--stdin-filename', 'site/ACNS-5.1.3.meta'], dir, clean);
    assert.equal(r.code, 0, r.text + r.err);
    assert.equal(r.text, '1 file checked: 0 problems (0 errors, 0 warnings, 0 information, 0 hints)\n');
    const bad = run(['-', '--stdin-filename', 'site/ACNS-5.1.3.meta'], dir, META);
    assert.match(bad.text, /^site\/ACNS-5\.1\.3\.meta:1:16 {2}error {2}updateFileSize is 9999 but the image ACNS-5\.1\.3-K9\.bin is 1234 bytes/m);
  });

  test('- --fix prints exactly the fixed text on stdout; the remaining problems go to stderr', () => {
    const dir = tree();
    const r = run(['--fix', '-', '--stdin-filename', 'other/../site/ACNS-5.1.3.meta', '--rule', 'meta/key-case=warning'], dir, META);
    // Both preferred fixes applied: the size of the image beside the named path, and the key's spelling.
    assert.equal(r.text, META.replace('9999', '1234').replace('updatefileurl', 'updateFileUrl'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^1 file checked: 0 problems/m);
    assert.equal(fs.readdirSync(path.join(dir, 'site')).sort().join(','), '.upgrade-lint.json,ACNS-5.1.3-K9.bin', 'nothing is written');

    // A byte order mark and CRLF line ends survive; an error without a fix stays, and exits 1.
    const crlf = '\uFEFFupdateFileSize=9999\r\nversion=5.1.3\r\nupdateFileUrl=http://images.example.com:8080/ACNS-5.1.3-K9.bin\r\n';
    const c = run(['--fix', '-', '--stdin-filename', 'site/ACNS-5.1.3.meta'], dir, crlf);
    assert.equal(c.out.toString('utf8'), crlf.replace('9999', '1234').replace(':8080', ''));
    assert.equal(c.code, 0, c.err);
    const unfixable = 'updateFileSize=1234\nversion=5.1.3\nupdateFileUrl=gopher://images.example.com/ACNS-5.1.3-K9.bin\n';
    const u = run(['--fix', '--format', 'json', '-', '--stdin-filename', 'site/ACNS-5.1.3.meta'], dir, unfixable);
    assert.equal(u.text, unfixable, 'nothing to fix: the text as it came');
    assert.equal(u.code, 1);
    assert.ok((JSON.parse(u.err) as Json).summary.errors >= 1, 'the JSON report is on stderr');
  });

  test('- --fix passes bytes it must not rewrite through unchanged (not UTF-8)', () => {
    const dir = tree();
    const sjis = Buffer.concat([
      Buffer.from('updateFileSize=9999\nversion=5.1.3\ndescription='),
      Buffer.from([0x93, 0x8c, 0x8b, 0x9e]),
      Buffer.from('\nupdateFileUrl=ftp://images.example.com/ACNS-5.1.3-K9.bin\n'),
    ]);
    const r = run(['--fix', '-', '--stdin-filename', 'site/ACNS-5.1.3.meta'], dir, sjis);
    assert.ok(Buffer.compare(r.out, sjis) === 0, 'the bytes as they came');
    assert.match(r.err, /site\/ACNS-5\.1\.3\.meta: not fixed \(the file is not valid UTF-8/);
    assert.equal(r.code, 1);
  });

  test('more than the size limit on stdin: reported as too large, read no further, passed through with --fix', () => {
    const dir = tree();
    const big = Buffer.alloc(10 * 1024 * 1024 + 4096, 'description=x\n');
    const r = run(['--format', 'json', '-', '--stdin-filename', 'big.meta', '--rule', 'file/too-large=error'], dir, big);
    assert.equal(r.code, 1);
    assert.deepEqual(rules(JSON.parse(r.text) as Json), ['file/too-large']);
    const f = run(['--fix', '-', '--stdin-filename', 'big.meta'], dir, big);
    assert.equal(f.out.length, big.length);
    assert.ok(Buffer.compare(f.out, big) === 0);
  });

  test('without --stdin-filename, or with a name of no kind: exit 2 and one line that says why', () => {
    const dir = tree();
    const r = run(['-'], dir, META);
    assert.equal(r.code, 2);
    assert.equal(r.text, '');
    assert.equal(
      r.err,
      'upgrade-lint: - (standard input) needs --stdin-filename <path>: that name says which kind of file the text is and where its configuration is found (the file need not exist)\n',
    );
    const ja = run(['--locale', 'ja', '-'], dir, META);
    assert.equal(ja.code, 2);
    assert.match(ja.err, /^upgrade-lint: -（標準入力）には --stdin-filename <パス> が必要です/);
    const txt = run(['-', '--stdin-filename', 'notes.txt'], dir, META);
    assert.equal(txt.code, 2);
    assert.match(txt.err, /^upgrade-lint: notes\.txt is not a file upgrade-lint checks \(\*\.meta, dfc\.properties/);
    assert.equal(txt.err.split('\n').length, 2);
  });

  test('standard input that is a terminal: a hint on stderr says what is awaited', async () => {
    const dir = tree();
    const stdin = Object.assign(Readable.from([Buffer.from(META)]), { isTTY: true });
    let out = '',
      err = '';
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const code = await runCli(['-', '--stdin-filename', 'site/ACNS-5.1.3.meta', '--no-color'], {
        out: (s) => (out += s),
        err: (s) => (err += s),
        isTTY: false,
        stdin: () => stdin,
      });
      assert.equal(code, 1);
    } finally {
      process.chdir(cwd);
    }
    assert.match(err, /^upgrade-lint: reading site\/ACNS-5\.1\.3\.meta from standard input: type or paste the text, then press Ctrl-D/);
    assert.match(out, /meta\/image-size-mismatch/);
  });
});

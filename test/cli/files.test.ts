/**
 * Which files a CLI run lints (issue 13): quoted globs expanded here, .gitignore (nested, from the repository's
 * top) and ignore patterns with --no-ignore, override globs as users write them, symbolic links followed inside
 * the tree and reported once when they leave it, loop or dangle; and .upgrade-lint.json read as JSON with
 * comments. Each test copies test/fixtures/cli-files into a folder of its own; every command has a time limit.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'cli-files');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', LC_ALL: 'C' } });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}
interface Report {
  files: {
    path: string;
    kind: string;
    diagnostics: { rule: string; severity: string; message: string; range: { start: { line: number; character: number } } }[];
  }[];
  summary: { files: number };
}
/** Runs with --format json: the report, the paths in it in order, and `path → [rule severity]`. */
function lint(args: string[], cwd: string) {
  const r = run(['--format', 'json', ...args], cwd);
  assert.equal(r.signal, null, `timed out: ${args.join(' ')}`);
  assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')} → exit ${r.code}: ${r.err}`);
  const j = JSON.parse(r.out) as Report;
  return {
    ...r,
    report: j,
    paths: j.files.filter((f) => f.kind !== 'config').map((f) => f.path),
    found: Object.fromEntries(j.files.map((f) => [f.path, f.diagnostics.map((d) => `${d.rule} ${d.severity}`)])),
  };
}
const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (prefix: string) => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(d);
  return d;
};
/** A copy of the fixture tree, with `.gitignore` and `.upgrade-lint.json` made from the fixture files named. */
function tree(opts: { gitignore?: boolean; config?: string } = {}): string {
  const dir = tmp('ul-files-');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (/^(gitignore|config-)/.test(f)) fs.renameSync(path.join(dir, f), path.join(dir, '.fixture-' + f));
  if (opts.gitignore) fs.copyFileSync(path.join(FIXTURE, 'gitignore'), path.join(dir, '.gitignore'));
  if (opts.config) fs.copyFileSync(path.join(FIXTURE, opts.config), path.join(dir, '.upgrade-lint.json'));
  return dir;
}
const ALL = [
  'build/ACNS-5.1.3.meta',
  'lab/ACNS-5.1.3-lab.meta',
  'lab/dfc.properties',
  'sites/old/ACNS-downgrade-4.2.1.meta',
  'sites/osaka/ACNS-5.1.3.bak.meta',
  'sites/osaka/ACNS-5.1.3.meta',
  'sites/tokyo/ACNS-5.1.3.meta',
];

describe('CLI: which files are linted', () => {
  test('a quoted glob is expanded by upgrade-lint (braces, classes, extglobs); only files of a known kind come from it', () => {
    const dir = tree();
    assert.deepEqual(
      lint(['sites/**/*.meta'], dir).paths,
      ALL.filter((p) => p.startsWith('sites/')),
    );
    assert.deepEqual(lint(['lab/*.{meta,properties}'], dir).paths, ['lab/ACNS-5.1.3-lab.meta', 'lab/dfc.properties']);
    assert.deepEqual(lint(['sites/[ot]*/ACNS-5.1.3.meta'], dir).paths, ['sites/osaka/ACNS-5.1.3.meta', 'sites/tokyo/ACNS-5.1.3.meta']);
    assert.deepEqual(lint(['sites/!(old)/*.meta'], dir).paths, [
      'sites/osaka/ACNS-5.1.3.bak.meta',
      'sites/osaka/ACNS-5.1.3.meta',
      'sites/tokyo/ACNS-5.1.3.meta',
    ]);
    assert.deepEqual(
      lint(['+(lab|build)/*'], dir).paths,
      ['build/ACNS-5.1.3.meta', 'lab/ACNS-5.1.3-lab.meta', 'lab/dfc.properties'],
      'notes.txt is not linted',
    );
    // A glob and a folder together: each file once, in input order.
    assert.deepEqual(lint(['lab/*.meta', 'lab'], dir).paths, ['lab/ACNS-5.1.3-lab.meta', 'lab/dfc.properties']);
    // A file whose name looks like a glob is the file.
    fs.writeFileSync(path.join(dir, 'lab', 'site[1].meta'), fs.readFileSync(path.join(dir, 'sites', 'tokyo', 'ACNS-5.1.3.meta')));
    assert.deepEqual(lint(['lab/site[1].meta'], dir).paths, ['lab/site[1].meta']);
  });

  test('a glob that matches nothing upgrade-lint checks is exit 2 with the pattern named; an explicit file of another kind stays an error', () => {
    const dir = tree();
    for (const args of [['sites/**/*.yaml'], ['*.meta'], ['lab/*.txt'], ['nowhere/**/*.meta']]) {
      const r = run(args, dir);
      assert.equal(r.code, 2, `${args} → ${r.code}`);
      assert.match(r.err, new RegExp(`^upgrade-lint: no files matching the pattern ${args[0].replace(/[*.[\]]/g, '\\$&')} were found`));
    }
    assert.equal(run(['lab/notes.txt'], dir).code, 2);
    assert.match(run(['lab/notes.txt'], dir).err, /lab\/notes\.txt is not a file upgrade-lint checks/);
    assert.match(run(['lab/none.meta'], dir).err, /no such file or folder: lab\/none\.meta/);
    // A pattern that could take exponential time to match is refused before anything is walked.
    const hostile = run(['sites/' + '*a'.repeat(10) + '.meta'], dir);
    assert.equal(hostile.code, 2);
    assert.match(hostile.err, /too complex to expand safely: more than 3 `\*` in one path segment/);
  });

  test('.gitignore is respected (with a nested one, and from the repository top); --no-ignore lints what it skips', () => {
    const dir = tree({ gitignore: true });
    const skipped = ['build/ACNS-5.1.3.meta', 'sites/osaka/ACNS-5.1.3.bak.meta'];
    assert.deepEqual(
      lint(['.'], dir).paths,
      ALL.filter((p) => !skipped.includes(p)),
    );
    assert.deepEqual(lint(['--no-ignore', '.'], dir).paths, ALL);
    assert.deepEqual(lint(['sites/**/*.meta'], dir).paths, [
      'sites/old/ACNS-downgrade-4.2.1.meta',
      'sites/osaka/ACNS-5.1.3.meta',
      'sites/tokyo/ACNS-5.1.3.meta',
    ]);
    // A file named is linted even when ignored (naming it is asking for it).
    assert.deepEqual(lint(['build/ACNS-5.1.3.meta'], dir).found, { 'build/ACNS-5.1.3.meta': ['meta/http-port error'] });
    // A folder or glob whose files are all ignored is an error, not "0 files checked".
    for (const input of ['build', 'build/*.meta', 'sites/osaka/*.bak.meta']) {
      const r = run([input], dir);
      assert.equal(r.code, 2, input);
      assert.match(r.err, new RegExp(`all files matched by ${input.replace(/[*.]/g, '\\$&')} are ignored .*--no-ignore`));
      assert.equal(run(['--no-ignore', input], dir).code, 1, input);
    }
    // A deeper .gitignore brings a file back.
    fs.writeFileSync(path.join(dir, 'sites', 'osaka', '.gitignore'), '!ACNS-5.1.3.bak.meta\n');
    assert.ok(lint(['.'], dir).paths.includes('sites/osaka/ACNS-5.1.3.bak.meta'));
    fs.rmSync(path.join(dir, 'sites', 'osaka', '.gitignore'));
    // In a repository, the .gitignore files and .git/info/exclude from its top apply to a run in a subfolder.
    fs.mkdirSync(path.join(dir, '.git', 'info'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.git', 'info', 'exclude'), 'old/\n');
    fs.mkdirSync(path.join(dir, 'sites', 'node_modules', 'x'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'lab', 'ACNS-5.1.3-lab.meta'), path.join(dir, 'sites', 'node_modules', 'x', 'a.meta'));
    const sub = lint(['.'], path.join(dir, 'sites'));
    assert.deepEqual(sub.paths, ['osaka/ACNS-5.1.3.meta', 'tokyo/ACNS-5.1.3.meta']);
    assert.deepEqual(lint(['--no-ignore', '.'], path.join(dir, 'sites')).paths.length, 4, 'node_modules is skipped even then');
  });

  test('--ignore-pattern and ignorePatterns of .upgrade-lint.json (relative to it, `!` brings a file back)', () => {
    const dir = tree({ config: 'config-comments.jsonc' });
    assert.deepEqual(lint(['.'], dir).paths, [
      'build/ACNS-5.1.3.meta',
      'lab/ACNS-5.1.3-lab.meta',
      'lab/dfc.properties',
      'sites/osaka/ACNS-5.1.3.meta',
      'sites/tokyo/ACNS-5.1.3.meta',
    ]);
    assert.deepEqual(lint(['--ignore-pattern', 'build/', '--ignore-pattern=lab', '.'], dir).paths, [
      'sites/osaka/ACNS-5.1.3.meta',
      'sites/tokyo/ACNS-5.1.3.meta',
    ]);
    assert.deepEqual(lint(['--ignore-pattern', '!ACNS-5.1.3.bak.meta', 'sites'], dir).paths, [
      'sites/osaka/ACNS-5.1.3.bak.meta',
      'sites/osaka/ACNS-5.1.3.meta',
      'sites/tokyo/ACNS-5.1.3.meta',
    ]);
    assert.deepEqual(lint(['--no-ignore', '--ignore-pattern', 'build/', '.'], dir).paths, ALL);
    // A configuration in a subfolder: its patterns are relative to it.
    fs.writeFileSync(path.join(dir, 'sites', '.upgrade-lint.json'), '{\n  // Osaka is linted by its own team\n  "ignorePatterns": ["osaka/"],\n}\n');
    assert.deepEqual(lint(['sites'], dir).paths, ['sites/old/ACNS-downgrade-4.2.1.meta', 'sites/tokyo/ACNS-5.1.3.meta']);
    const bad = run(['--ignore-pattern', '**/a/**/b/**/c/**/*.meta', '.'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /too complex/);
  });

  test('overrides[].files: `lab/*.{meta,properties}` applies to lab/ only; extglobs work as users write them', () => {
    const dir = tree({ config: 'config-comments.jsonc' });
    fs.copyFileSync(path.join(dir, 'lab', 'ACNS-5.1.3-lab.meta'), path.join(dir, 'sites', 'tokyo', 'lab-copy.meta'));
    fs.copyFileSync(path.join(dir, 'lab', 'ACNS-5.1.3-lab.meta'), path.join(dir, 'sites', 'osaka', 'lab-copy.meta'));
    const r = lint(['lab', 'sites'], dir);
    assert.deepEqual(r.found['lab/ACNS-5.1.3-lab.meta'], ['meta/http-port warning']);
    assert.deepEqual(r.found['lab/dfc.properties'], ['dfc/duplicate-key error']);
    assert.deepEqual(r.found['sites/tokyo/lab-copy.meta'], ['meta/http-port error']);
    assert.equal(
      r.report.files.find((f) => f.kind === 'config'),
      undefined,
      'the configuration has no problem',
    );
    fs.writeFileSync(
      path.join(dir, '.upgrade-lint.json'),
      `{
  "overrides": [
    { "files": ["lab/*.{meta,properties}"], "rules": { "meta/http-port": "warning" } },
    { "files": ["sites/+(tokyo|kyoto)/*.meta", "!(lab|sites)/**"], "rules": { "meta/http-port": "off" } }
  ]
}
`,
    );
    const x = lint(['--no-ignore', '.'], dir);
    assert.deepEqual(x.found['sites/tokyo/lab-copy.meta'], []);
    assert.deepEqual(x.found['sites/osaka/lab-copy.meta'], ['meta/http-port error']);
    assert.deepEqual(x.found['build/ACNS-5.1.3.meta'], [], 'build/ matches !(lab|sites)/**');
    assert.deepEqual(x.found['lab/ACNS-5.1.3-lab.meta'], ['meta/http-port warning']);
  });

  test('symbolic links: a linked file or folder inside the tree is linted; one leading out of it, a loop and a dangling link are each reported once', () => {
    const dir = tree();
    const outside = tmp('ul-files-out-');
    fs.writeFileSync(path.join(outside, 'id.meta'), 'password=-----BEGIN OPENSSH PRIVATE KEY-----\n');
    fs.mkdirSync(path.join(outside, 'more'));
    fs.writeFileSync(path.join(outside, 'more', 'x.meta'), 'password=hunter2\n');
    const s = (target: string, link: string) => fs.symlinkSync(target, path.join(dir, link));
    s('../../build/ACNS-5.1.3.meta', 'sites/tokyo/current.meta'); // inside the tree, outside the walk
    s('ACNS-5.1.3.meta', 'sites/osaka/alias.meta'); // the file beside it: linted once, under its own name
    s('../lab', 'sites/lab'); // a folder inside the tree
    s(path.join(outside, 'id.meta'), 'sites/secret.meta');
    s(path.join(outside, 'more'), 'sites/more');
    s('..', 'sites/up'); // a loop: sites/up/sites/up/…
    s('.', 'sites/tokyo/here');
    s('nowhere.meta', 'sites/gone.meta');
    s('b.meta', 'sites/a.meta');
    s('a.meta', 'sites/b.meta');
    execFileSync('mkfifo', [path.join(dir, 'sites', '.gitignore')]); // never read, never a hang
    execFileSync('mkfifo', [path.join(dir, 'sites', 'pipe.meta')]); // reported, not skipped
    const r = lint(['sites'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual([...r.paths].sort(), [
      'sites/a.meta',
      'sites/b.meta',
      'sites/gone.meta',
      'sites/lab/ACNS-5.1.3-lab.meta',
      'sites/lab/dfc.properties',
      'sites/more',
      'sites/old/ACNS-downgrade-4.2.1.meta',
      'sites/osaka/ACNS-5.1.3.bak.meta',
      'sites/osaka/ACNS-5.1.3.meta',
      'sites/pipe.meta',
      'sites/secret.meta',
      'sites/tokyo/ACNS-5.1.3.meta',
      'sites/tokyo/current.meta',
      'sites/tokyo/here',
      'sites/up',
    ]);
    const why = (p: string) => r.report.files.filter((f) => f.path === p).map((f) => [f.kind, ...f.diagnostics.map((d) => `${d.rule}: ${d.message}`)]);
    assert.deepEqual(r.found['sites/tokyo/current.meta'], ['meta/http-port error']);
    assert.deepEqual(why('sites/secret.meta'), [
      ['acns-meta', 'file/unreadable: This file was not checked: it is a link to a file outside the tree being linted (see --allow-path).'],
    ]);
    assert.deepEqual(why('sites/more'), [
      ['folder', 'file/unreadable: This file was not checked: it is a link to a folder outside the tree being linted (see --allow-path); it was not searched.'],
    ]);
    const loop =
      'file/unreadable: This file was not checked: it is a symbolic link that loops back to itself or to a folder that contains it; it was not followed.';
    assert.deepEqual(why('sites/up'), [['folder', loop]]);
    assert.deepEqual(why('sites/tokyo/here'), [['folder', loop]]);
    assert.deepEqual(why('sites/a.meta'), [['acns-meta', loop]]);
    assert.deepEqual(why('sites/gone.meta'), [
      ['acns-meta', 'file/unreadable: This file was not checked: it is a symbolic link to a file that does not exist.'],
    ]);
    assert.doesNotMatch(r.out, /OPENSSH|hunter2/);
    assert.match(why('sites/pipe.meta')[0][1] as string, /^file\/unreadable: This file was not checked: it is not a regular file/);
    assert.equal(r.report.summary.files, 9, 'what a walk could not follow is reported, not counted');
    // From the top, lab/ is walked under its own name and its link adds nothing.
    const top = lint(['.'], dir).paths;
    assert.ok(top.includes('lab/dfc.properties') && !top.includes('sites/lab/dfc.properties'));
    // The same links named on the command line.
    assert.deepEqual(lint(['sites/gone.meta', 'sites/a.meta', 'sites/secret.meta'], dir).found, {
      'sites/gone.meta': ['file/unreadable error'],
      'sites/a.meta': ['file/unreadable error'],
      'sites/secret.meta': ['file/unreadable error'],
    });
  });

  test('a hostile .gitignore (tens of thousands of rules, patterns that backtrack) costs seconds at most, never minutes', () => {
    const dir = tree();
    const rules = ['*a*a*a*a*a*a*a*a*a*a*a*a*b', '**/' + '*a'.repeat(30) + 'b/**', 'skip-*.meta'];
    for (let i = 0; rules.join('\n').length < 200 * 1024; i++) rules.push(`generated-${i}/`);
    fs.writeFileSync(path.join(dir, '.gitignore'), rules.join('\n') + '\n');
    fs.mkdirSync(path.join(dir, 'many'));
    const meta = fs.readFileSync(path.join(dir, 'sites', 'tokyo', 'ACNS-5.1.3.meta'));
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(dir, 'many', `${i % 10 ? '' : 'skip-'}${'a'.repeat(200)}${i}.meta`), meta);
    const started = Date.now();
    const r = lint(['many'], dir);
    assert.equal(r.paths.length, 270);
    assert.ok(Date.now() - started < 20000, `${Date.now() - started} ms`);
  });

  test('a tree deeper than the walk goes is reported once where it stops; the order is that of a sorted walk', () => {
    const dir = tree();
    let deep = path.join(dir, 'deep');
    for (let i = 0; i < 105; i++) deep = path.join(deep, 'd');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'x.meta'), 'version= 5.1.3\n');
    const r = lint(['deep'], dir);
    assert.deepEqual(
      r.report.files.map((f) => [f.path.split('/').length, f.kind, f.diagnostics.map((d) => d.message)]),
      [[102, 'folder', ['This file was not checked: it is nested more than 100 folders deep; it was not searched.']]],
    );
    fs.mkdirSync(path.join(dir, 'o', 'a'), { recursive: true });
    for (const f of ['o/a/z.meta', 'o/a-b.meta', 'o/a.meta', 'o/B.meta']) fs.writeFileSync(path.join(dir, f), 'version= 5.1.3\n');
    assert.deepEqual(lint(['o'], dir).paths, ['o/B.meta', 'o/a/z.meta', 'o/a-b.meta', 'o/a.meta']);
  });

  test('.upgrade-lint.json: comments and trailing commas are accepted; a syntax error is a config/invalid at its line; YAML is not taken', () => {
    const ok = lint(['lab'], tree({ config: 'config-comments.jsonc' }));
    assert.equal(
      ok.report.files.find((f) => f.kind === 'config'),
      undefined,
    );
    assert.deepEqual(ok.found['lab/ACNS-5.1.3-lab.meta'], ['meta/http-port warning']);
    const broken = lint(['lab'], tree({ config: 'config-syntax-error.json' }));
    const cfg = broken.report.files.find((f) => f.kind === 'config')!;
    assert.equal(cfg.path, '.upgrade-lint.json');
    assert.deepEqual(
      cfg.diagnostics.map((d) => [d.rule, d.range.start.line, d.range.start.character, d.message]),
      [['config/invalid', 3, 4, '.upgrade-lint.json is not valid JSON: a comma is expected']],
    );
    assert.deepEqual(broken.found['lab/ACNS-5.1.3-lab.meta'], ['meta/http-port error'], 'a file that does not parse is not used');
    assert.equal(broken.code, 1);
    const yaml = lint(['lab'], tree({ config: 'config-looks-like-yaml.txt' }));
    assert.deepEqual(
      yaml.report.files.find((f) => f.kind === 'config')!.diagnostics.map((d) => [d.rule, d.range.start.line]),
      [['config/invalid', 0]],
    );
    assert.deepEqual(yaml.found['lab/ACNS-5.1.3-lab.meta'], ['meta/http-port error'], 'meta/http-port: off in YAML is not applied');
  });
});

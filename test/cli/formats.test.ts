/**
 * The CI side of the CLI: `--format github` (workflow commands) and `junit`, the problem matchers for the text
 * format (GitHub's .github/upgrade-lint-matcher.json, VS Code's `contributes.problemMatchers`), `--quiet`, `-o`,
 * `--color`/`--no-color`, and SARIF's rule help and links (`--docs-url`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { allRules } from '../../server/engine/rules/index';
import { parseXml } from '../helpers/xml';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-formats-'));

function run(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; bin?: string } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [opts.bin ?? BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    timeout: 60000,
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Diag {
  rule: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  related?: { message: string; path?: string; range: { start: { line: number; character: number } } }[];
}
interface JsonReport {
  files: { path: string; kind: string; diagnostics: Diag[] }[];
  summary: { files: number; errors: number; warnings: number; information: number; hints: number };
}
const json = (args: string[], opts: Parameters<typeof run>[1] = {}) => JSON.parse(run(['--format', 'json', ...args], opts).out) as JsonReport;
const flat = (j: JsonReport) => j.files.flatMap((f) => f.diagnostics.map((d) => ({ path: f.path, kind: f.kind, d })));

/** A file any administrator could have: a meta file with a stray `%`, a comma and a colon in its name. */
function oddTree(): string {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'site plans'));
  fs.writeFileSync(
    path.join(dir, 'site plans', 'lab,v2:old.meta'),
    'updateFileSize=100%\nversion=5.1.3\nupdateFileUrl=http://cdn.example.com/ACNS-5.1.3-K9.bin\n',
  );
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// --format github

/** The runner's reading of a workflow command (what `::error file=…::msg` becomes), for the test to compare. */
function parseCommand(line: string) {
  const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return undefined;
  const unProp = (s: string) => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    props[kv.slice(0, i)] = unProp(kv.slice(i + 1));
  }
  return { command: m[1], props, message: unData(m[3]) };
}

describe('--format github', () => {
  test('one workflow command per diagnostic of the JSON report, nothing else; exit code unchanged', () => {
    const r = run(['--format', 'github', 'examples/']);
    const j = json(['examples/']);
    assert.equal(r.code, 1);
    assert.equal(r.err, '');
    const lines = r.out.split('\n');
    assert.equal(lines.pop(), '', 'ends with a line break');
    const all = flat(j);
    assert.equal(lines.length, all.length);
    const sev = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };
    for (const [i, line] of lines.entries()) {
      assert.match(line, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z]+\/[A-Za-z0-9-]+::\S/);
      const c = parseCommand(line)!;
      const { path: p, d } = all[i];
      assert.equal(c.command, sev[d.severity]);
      assert.deepEqual(c.props, {
        file: p,
        line: String(d.range.start.line + 1),
        col: String(d.range.start.character + 1),
        endLine: String(d.range.end.line + 1),
        endColumn: String(d.range.end.character + 1),
        title: d.rule,
      });
      const related = (d.related ?? []).map((x) => `\n↳ ${x.path ?? p}:${x.range.start.line + 1}:${x.range.start.character + 1}  ${x.message}`);
      assert.equal(c.message, d.message + related.join(''));
    }
    assert.ok(lines.some((l) => l.startsWith('::notice ')) && lines.some((l) => l.startsWith('::warning ')));
    assert.ok(
      lines.some((l) => /%0A↳ examples\/acns\/broken\/osaka-cdn\.upgrade\.yaml:21:9 {2}CDM cdm-standby is upgraded here$/.test(l)),
      'related places on lines of their own',
    );
    assert.equal(run(['--format', 'github', 'examples/acns/ACNS-5.1.3.meta']).out, '', 'a clean run prints nothing');
  });

  test('%, CR, LF escaped in messages; and : and , in properties (a path with both), as the runner unescapes them', () => {
    const dir = oddTree();
    const r = run(['--format', 'github', '.'], { cwd: dir });
    assert.equal(r.code, 1);
    const line = r.out.split('\n').find((l) => l.includes('title=schema/pattern'))!;
    assert.ok(line.startsWith('::error file=site plans/lab%2Cv2%3Aold.meta,line=1,col=16,'), line);
    assert.match(line, /::`100%25` is not a valid image size/);
    const c = parseCommand(line)!;
    assert.equal(c.props.file, 'site plans/lab,v2:old.meta');
    assert.equal(c.message, json(['.'], { cwd: dir }).files[0].diagnostics.find((d) => d.rule === 'schema/pattern')!.message);
    assert.match(c.message, /`100%`/);
  });

  test('a hostile key (control characters, a forged command) cannot start a command of its own', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'x.meta'), 'k\u001b[2J\r::error::forged=1\nversion=5.1.3\n');
    const r = run(['--format', 'github', '.'], { cwd: dir });
    for (const l of r.out.split('\n').filter(Boolean)) {
      assert.match(l, /^::(error|warning|notice) file=x\.meta,line=\d+,/);
      assert.doesNotMatch(l, /[\u0000-\u001f]/);
    }
    assert.doesNotMatch(r.out, /^::error::forged/m);
  });

  test('credentials and secret values appear in neither github nor junit output', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'a.meta'),
      'updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://user:PW-4711@host/ACNS-5.1.3-K9.bin\nuser=u\npassword=Winter-2026\n',
    );
    for (const format of ['github', 'junit'])
      for (const locale of ['en', 'ja']) {
        const r = run(['--format', format, '--locale', locale, '.'], { cwd: dir });
        assert.ok(r.out.length > 100, `${format} ${locale}`);
        assert.doesNotMatch(r.out + r.err, /PW-4711|Winter-2026/, `${format} ${locale}`);
      }
  });

  test('--max-warnings exceeded: an error annotation saying so (on stderr), exit 1', () => {
    const r = run(['--format', 'github', '--max-warnings', '0', 'examples/acns/broken/ACNS-5.1.2-osaka.meta', '--rule', 'meta/duplicate-key=off']);
    assert.equal(r.code, 1);
    assert.equal(r.err, '::error title=upgrade-lint::1 warnings exceed --max-warnings 0\n');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// --format junit (parsed with sax in strict mode: any well-formedness error throws)

describe('--format junit', () => {
  test('a testsuite per file, a testcase per rule (failed on errors and warnings), counts that add up', () => {
    const r = run(['--format', 'junit', 'examples/']);
    assert.equal(r.code, 1);
    assert.ok(r.out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    const doc = parseXml(r.out);
    const j = json(['examples/']);
    assert.equal(doc.name, 'testsuites');
    assert.deepEqual(
      doc.children.map((s) => s.attrs.name),
      j.files.map((f) => f.path),
    );
    let tests = 0;
    let failures = 0;
    for (const [i, suite] of doc.children.entries()) {
      const file = j.files[i];
      const rules = [...new Set(file.diagnostics.map((d) => d.rule))];
      assert.equal(suite.name, 'testsuite');
      assert.ok(suite.children.every((c) => c.name === 'testcase' && c.attrs.classname === file.path));
      if (!rules.length)
        assert.deepEqual(
          suite.children.map((c) => [c.attrs.name, c.children.length]),
          [[file.path, 0]],
          'a clean file: one passed testcase',
        );
      else
        assert.deepEqual(
          suite.children.map((c) => c.attrs.name),
          rules,
        );
      for (const c of suite.children) {
        const ds = file.diagnostics.filter((d) => d.rule === c.attrs.name);
        const bad = ds.filter((d) => d.severity === 'error' || d.severity === 'warning');
        const lines = ds.map((d) => `${file.path}:${d.range.start.line + 1}:${d.range.start.character + 1}  ${d.severity}  ${d.message}  ${d.rule}`);
        if (bad.length) {
          assert.equal(c.children.length, 1);
          const f = c.children[0];
          assert.equal(f.name, 'failure');
          assert.equal(f.attrs.type, bad.some((d) => d.severity === 'error') ? 'error' : 'warning');
          assert.equal(f.attrs.message, bad[0].message);
          for (const l of lines) assert.ok(f.text.includes(l), l);
        } else if (ds.length) {
          assert.deepEqual(
            c.children.map((x) => x.name),
            ['system-out'],
            'information and hints only: passed, with the findings',
          );
          for (const l of lines) assert.ok(c.children[0].text.includes(l), l);
        }
      }
      const failed = suite.children.filter((c) => c.children.some((x) => x.name === 'failure')).length;
      assert.equal(suite.attrs.tests, String(suite.children.length));
      assert.equal(suite.attrs.failures, String(failed));
      tests += suite.children.length;
      failures += failed;
    }
    assert.equal(doc.attrs.tests, String(tests));
    assert.equal(doc.attrs.failures, String(failures));
    assert.ok(failures > 0 && failures < tests);
  });

  test('valid with no problems, and with no file at all', () => {
    const clean = run(['--format', 'junit', 'examples/acns/ACNS-5.1.3.meta', 'examples/cupm/dfc.properties']);
    assert.equal(clean.code, 0);
    const doc = parseXml(clean.out);
    assert.deepEqual(doc.attrs, { name: 'upgrade-lint', tests: '2', failures: '0', errors: '0', time: '0' });
    const empty = tmp();
    const none = run(['--format', 'junit', '.'], { cwd: empty });
    assert.equal(none.code, 0);
    assert.deepEqual(parseXml(none.out).children, []);
  });

  test('markup, quotes and control characters in names and values stay well-formed XML', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a<&"\'>.meta'), 'k<&>"\u0007\u0001\uffff=1\nversion=5.1.3\n');
    const r = run(['--format', 'junit', '.'], { cwd: dir });
    const doc = parseXml(r.out);
    assert.equal(doc.children[0].attrs.name, 'a<&"\'>.meta');
    const failure = doc.children[0].children.find((c) => c.attrs.name === 'schema/additionalProperties')!.children[0];
    assert.match(failure.attrs.message, /^Unknown key `k<&>"\\u0007\\u0001\ufffd`/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The problem matchers of the text format

interface MatcherPattern {
  regexp: string;
  file: number;
  line: number;
  column: number;
  severity?: number;
  message: number;
  code: number;
}
const ghMatchers = (
  JSON.parse(fs.readFileSync(path.join(ROOT, '.github', 'upgrade-lint-matcher.json'), 'utf8')) as {
    problemMatcher: { owner: string; severity?: string; pattern: MatcherPattern[] }[];
  }
).problemMatcher;
const vscodeMatcher = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { problemMatchers: { name: string; owner: string; fileLocation: string[]; severity: string; pattern: MatcherPattern }[] };
  }
).contributes.problemMatchers.find((m) => m.name === 'upgrade-lint')!;

/** What GitHub's runner makes of a log line: the first matcher that matches (its color codes stripped first). */
function githubMatch(line: string) {
  const stripped = line.replace(/\x1b\[[0-9;]*m?/g, '');
  for (const m of ghMatchers) {
    const p = m.pattern[0];
    const g = new RegExp(p.regexp).exec(stripped);
    if (g)
      return {
        file: g[p.file],
        line: g[p.line],
        column: g[p.column],
        severity: p.severity ? g[p.severity] : m.severity,
        message: g[p.message],
        code: g[p.code],
      };
  }
  return undefined;
}
/** What VS Code's task system makes of it (`severity: info` stands in for the words it does not know). */
function vscodeMatch(line: string) {
  const p = vscodeMatcher.pattern;
  const g = new RegExp(p.regexp).exec(line);
  if (!g) return undefined;
  const s = g[p.severity!];
  return {
    file: g[p.file],
    line: g[p.line],
    column: g[p.column],
    severity: s === 'error' || s === 'warning' ? s : vscodeMatcher.severity,
    message: g[p.message],
    code: g[p.code],
  };
}

describe('problem matchers for the text format', () => {
  const expected = (j: JsonReport, gh: boolean) =>
    flat(j).map(({ path: p, d }) => ({
      file: p,
      line: String(d.range.start.line + 1),
      column: String(d.range.start.character + 1),
      severity: d.severity === 'error' || d.severity === 'warning' ? d.severity : gh ? 'notice' : 'info',
      message: d.message,
      code: d.rule,
    }));

  const check = (args: string[], cwd = ROOT, env: Record<string, string | undefined> = {}) => {
    const text = run(args, { cwd, env });
    const j = json(args, { cwd, env: { ...env, NO_COLOR: '1' } });
    const lines = text.out.split('\n');
    assert.deepEqual(lines.map(githubMatch).filter(Boolean), expected(j, true), 'GitHub');
    assert.deepEqual(
      lines
        .map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))
        .map(vscodeMatch)
        .filter(Boolean),
      expected(j, false),
      'VS Code',
    );
    return { lines, j };
  };

  test('every diagnostic line of the examples, and nothing else (related places, the summary)', () => {
    const { lines, j } = check(['examples/']);
    assert.ok(flat(j).length > 50);
    assert.ok(lines.some((l) => l.startsWith('    ↳ ')) && lines.every((l) => !l.startsWith('    ↳ ') || !githubMatch(l)));
    assert.equal(githubMatch(lines.filter(Boolean).pop()!), undefined, 'the summary');
    assert.ok(flat(j).some((x) => x.d.severity === 'information'));
  });

  test('Japanese messages, colored output, and paths with spaces and Japanese names', () => {
    check(['--locale', 'ja', 'examples/']);
    check(['--color', 'examples/acns']);
    const dir = tmp();
    fs.mkdirSync(path.join(dir, '大阪 計画'));
    fs.copyFileSync(path.join(ROOT, 'examples/acns/broken/ACNS-5.1.3-lab.meta'), path.join(dir, '大阪 計画', 'ACNS 5.1.3 lab.meta'));
    const { j } = check(['--locale', 'ja', '.'], dir);
    assert.equal(j.files[0].path, '大阪 計画/ACNS 5.1.3 lab.meta');
  });

  test('the matcher files are what the runner and VS Code accept', () => {
    assert.deepEqual(
      ghMatchers.map((m) => m.owner),
      ['upgrade-lint', 'upgrade-lint-notice'],
    );
    for (const m of ghMatchers) {
      assert.equal(m.pattern.length, 1);
      assert.ok(m.severity === undefined || ['error', 'warning', 'notice'].includes(m.severity));
      assert.ok(m.pattern[0].message && m.pattern[0].file && m.pattern[0].line);
      assert.ok(m.pattern[0].severity !== undefined || m.severity === 'notice');
    }
    assert.deepEqual(vscodeMatcher.fileLocation, ['relative', '${workspaceFolder}']);
    assert.equal(vscodeMatcher.owner, 'upgrade-lint');
    // The same line syntax everywhere: only the severities each matcher takes differ.
    const shape = (re: string) => re.replace(/\((?:error|warning|information|hint)(?:\|(?:error|warning|information|hint))*\)/, '(SEV)');
    for (const m of ghMatchers) assert.equal(shape(m.pattern[0].regexp), shape(vscodeMatcher.pattern.regexp));
    // Every rule id is a `code` the matchers read.
    for (const r of allRules) assert.match(r.id, new RegExp(`^${/\(([^()]*\/[^()]*)\)\$$/.exec(vscodeMatcher.pattern.regexp)![1]}$`));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// --quiet, -o, --color

describe('--quiet', () => {
  const lab = 'examples/acns/broken/ACNS-5.1.3-lab.meta';
  test('errors only in the report and its summary; the exit code is the same', () => {
    const all = json([lab]);
    const quiet = json(['--quiet', lab]);
    assert.ok(all.summary.warnings > 0 && all.summary.information > 0);
    assert.deepEqual(
      flat(quiet).map((x) => x.d),
      flat(all)
        .map((x) => x.d)
        .filter((d) => d.severity === 'error'),
    );
    assert.deepEqual(quiet.summary, { ...all.summary, warnings: 0, information: 0, hints: 0 });
    const text = run(['--quiet', lab]);
    assert.equal(text.code, 1);
    assert.doesNotMatch(text.out, / {2}(warning|information|hint) {2}/);
    assert.match(text.out, /^1 file checked: 4 problems \(4 errors, 0 warnings, 0 information, 0 hints\)$/m);
    for (const format of ['github', 'junit'])
      assert.doesNotMatch(run(['--quiet', '--format', format, lab]).out, /::warning|::notice|type="warning"|system-out/, format);
    const sarif = JSON.parse(run(['--quiet', '--format', 'sarif', lab]).out) as SarifLog;
    assert.deepEqual(
      sarif.runs[0].results.map((x) => x.level),
      ['error', 'error', 'error', 'error'],
    );
  });

  test('a file with warnings only: clean report, exit 0 — but --max-warnings still counts them (as ESLint does)', () => {
    const osaka = ['examples/acns/broken/ACNS-5.1.2-osaka.meta', '--rule', 'meta/duplicate-key=off'];
    const q = run(['--quiet', ...osaka]);
    assert.equal(q.code, 0);
    assert.equal(q.out, '1 file checked: 0 problems (0 errors, 0 warnings, 0 information, 0 hints)\n');
    const max = run(['--quiet', '--max-warnings', '0', ...osaka]);
    assert.equal(max.code, 1);
    assert.equal(max.err, 'upgrade-lint: 1 warnings exceed --max-warnings 0\n');
    assert.equal(run(['--quiet', '--max-warnings', '1', ...osaka]).code, 0);
  });
});

describe('-o / --output-file', () => {
  test('the report goes whole to the file (its folders created), stdout stays empty, the exit code is the same', () => {
    const dir = tmp();
    for (const format of ['text', 'json', 'sarif', 'github', 'junit']) {
      const out = path.join(dir, 'reports', format, `upgrade-lint.${format}`);
      const r = run(['--format', format, '-o', out, 'examples/']);
      assert.equal(r.code, 1, format);
      assert.equal(r.out, '', format);
      assert.equal(r.err, '', format);
      assert.equal(fs.readFileSync(out, 'utf8'), run(['--format', format, 'examples/']).out, format);
    }
    assert.deepEqual(fs.readdirSync(path.join(dir, 'reports', 'json')), ['upgrade-lint.json'], 'no temporary file left');
    const clean = run(['--output-file=' + path.join(dir, 'clean.txt'), 'examples/acns/ACNS-5.1.3.meta']);
    assert.equal(clean.code, 0);
    assert.match(fs.readFileSync(path.join(dir, 'clean.txt'), 'utf8'), /^1 file checked: 0 problems/);
  });

  test('an existing report is replaced, keeping its permissions; a relative path is from the working folder', () => {
    const dir = tmp();
    const out = path.join(dir, 'r.xml');
    fs.writeFileSync(out, 'old report, longer than the new one '.repeat(1000));
    fs.chmodSync(out, 0o640);
    fs.cpSync(path.join(ROOT, 'examples', 'cupm'), path.join(dir, 'cupm'), { recursive: true });
    const r = run(['--format', 'junit', '-o', 'r.xml', 'cupm'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(fs.statSync(out).mode & 0o777, 0o640);
    assert.equal(parseXml(fs.readFileSync(out, 'utf8')).name, 'testsuites');
  });

  test('a report that cannot be written: said on stderr, exit 2, nothing half-written', () => {
    const dir = tmp();
    const r = run(['-o', dir, 'examples/acns']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, `upgrade-lint: the report could not be written to ${dir}: it is not a regular file\n`);
    const ja = run(['--locale', 'ja', '-o', dir, 'examples/acns']);
    assert.equal(ja.err, `upgrade-lint: レポートを ${dir} に書き込めませんでした。通常のファイルではありません。\n`);
    fs.writeFileSync(path.join(dir, 'file'), '');
    const under = run(['-o', path.join(dir, 'file', 'r.txt'), 'examples/acns']);
    assert.equal(under.code, 2);
    assert.match(under.err, /could not be written to .*r\.txt: it cannot be written \((ENOTDIR|EEXIST)\)\n$/);
    if (process.getuid?.() !== 0) {
      const ro = path.join(dir, 'ro');
      fs.mkdirSync(ro, 0o555);
      const denied = run(['-o', path.join(ro, 'r.txt'), 'examples/acns']);
      assert.equal(denied.code, 2);
      assert.match(denied.err, /\(EACCES\)/);
      assert.deepEqual(fs.readdirSync(ro), []);
    }
  });
});

describe('--color / --no-color', () => {
  const lab = 'examples/acns/broken/ACNS-5.1.3-lab.meta';
  test('--color colors a piped report; --no-color and NO_COLOR do not; a pipe alone does not', () => {
    const colored = run(['--color', lab], { env: { NO_COLOR: undefined } });
    assert.match(colored.out, /\x1b\[31merror\x1b\[0m/);
    assert.match(colored.out, /\x1b\[33mwarning\x1b\[0m/);
    assert.match(colored.out, /\x1b\[31m1 file checked/);
    assert.equal(colored.out.replace(/\x1b\[[0-9;]*m/g, ''), run([lab]).out, 'the same report, colored');
    assert.match(run(['--color', lab], { env: { NO_COLOR: '1' } }).out, /\x1b\[/, '--color wins over NO_COLOR');
    assert.doesNotMatch(run(['--no-color', lab], { env: { NO_COLOR: undefined } }).out, /\x1b/);
    assert.doesNotMatch(run([lab], { env: { NO_COLOR: '1' } }).out, /\x1b/);
    assert.doesNotMatch(run([lab], { env: { NO_COLOR: undefined } }).out, /\x1b/, 'stdout is a pipe');
    assert.doesNotMatch(run(['--color', '--format', 'github', lab]).out, /\x1b/, 'only the text format is colored');
  });

  test('control characters of a hostile file never reach the terminal', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a\u001b]0;pwned\u0007.meta'), 'k\u001b[2J\u009b31m=1\nversion=5.1.3\n');
    const r = run(['--no-color', '.'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.match(r.out, /^a\\u001b\]0;pwned\\u0007\.meta:1:1 {2}error {2}Unknown key `k\\u001b\[2J\\u009b31m`/m);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// SARIF: rule help is the rule's page; links only to a published address

type SarifLog = {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: { id: string; helpUri?: string; help: { text: string; markdown: string }; shortDescription: { text: string } }[];
      };
    };
    columnKind: string;
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } };
      }[];
    }[];
  }[];
};
/** The SARIF 2.1.0 requirements a consumer (GitHub code scanning) relies on. */
function checkSarifBasics(s: SarifLog) {
  assert.equal(s.version, '2.1.0');
  assert.match(s.$schema, /^https:\/\/.*sarif-2\.1\.0.*\.json$/);
  assert.equal(s.runs.length, 1);
  const run0 = s.runs[0];
  assert.equal(run0.tool.driver.name, 'upgrade-lint');
  assert.match(run0.tool.driver.version, /^\d+\.\d+\.\d+/);
  const ids = run0.tool.driver.rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids unique');
  for (const r of run0.tool.driver.rules) assert.ok(r.shortDescription.text && r.help.text, r.id);
  for (const res of run0.results) {
    assert.ok(res.message.text.length > 0);
    assert.ok(['error', 'warning', 'note', 'none'].includes(res.level));
    if (res.ruleIndex !== undefined) assert.equal(ids[res.ruleIndex], res.ruleId);
    for (const l of res.locations) {
      assert.doesNotMatch(l.physicalLocation.artifactLocation.uri, /^[a-z]+:|^\//, 'relative to the checkout');
      const g = l.physicalLocation.region;
      assert.ok(g.startLine >= 1 && g.startColumn >= 1 && g.endLine >= g.startLine);
    }
  }
}

/** docs/rules/<id>.md, one language of it, with its links to guide rows as plain row ids (or resolved against `base`). */
function pageSection(id: string, locale: 'en' | 'ja', base?: string): string {
  const page = fs.readFileSync(path.join(ROOT, 'docs', 'rules', `${id}.md`), 'utf8');
  const cut = page.indexOf('\n---\n\n## ');
  const section = locale === 'en' ? page.slice(0, cut) : `# ${id}\n\n` + page.slice(cut).replace(/^\n---\n\n## [^\n]*\n\n/, '');
  return section.replace(/\[([\w-]+)\]\(\.\.\/\.\.\/guide-coverage\.md#([\w-]+)\)/g, (_, row: string, anchor: string) =>
    base ? `[${row}](${base}guide-coverage.md#${anchor})` : row,
  );
}

describe('SARIF rule help and links', () => {
  test('without --docs-url: no helpUri and no file:// anywhere; each rule carries its page as help', () => {
    for (const locale of ['en', 'ja'] as const) {
      const r = run(['--format', 'sarif', '--locale', locale, 'examples/']);
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.out, /file:\/\//);
      assert.doesNotMatch(r.out, new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no path of this machine');
      const s = JSON.parse(r.out) as SarifLog;
      checkSarifBasics(s);
      const rules = s.runs[0].tool.driver.rules;
      assert.deepEqual(
        rules.map((x) => x.id),
        allRules.map((x) => x.id),
      );
      for (const rule of rules) {
        assert.equal(rule.helpUri, undefined);
        assert.equal(rule.help.markdown, pageSection(rule.id, locale), `${rule.id} ${locale}`);
        const meta = allRules.find((x) => x.id === rule.id)!.docs[locale];
        assert.equal(rule.help.text, `${meta.summary}\n\n${meta.details}`, 'plain text: the summary and the explanation');
      }
    }
  });

  test('--docs-url: helpUri is the base plus the page path, exactly; guide rows link there too', () => {
    for (const base of ['https://example.com/ul/', 'https://example.com/ul']) {
      const s = JSON.parse(run(['--format', 'sarif', '--docs-url', base, 'examples/acns']).out) as SarifLog;
      checkSarifBasics(s);
      const rules = s.runs[0].tool.driver.rules;
      assert.equal(rules.find((r) => r.id === 'meta/http-port')!.helpUri, 'https://example.com/ul/rules/meta/http-port.md');
      for (const r of rules) {
        assert.equal(r.helpUri, `https://example.com/ul/rules/${r.id}.md`);
        assert.equal(r.help.markdown, pageSection(r.id, 'en', 'https://example.com/ul/'));
      }
    }
    const withUser = run(['--format', 'sarif', '--docs-url=https://reader:s3cret@docs.example.com/ul/', 'examples/acns']).out;
    assert.doesNotMatch(withUser, /s3cret|reader@/, 'a password in the address never goes into a report');
    assert.match(withUser, /"helpUri": "https:\/\/docs\.example\.com\/ul\/rules\/meta\/syntax\.md"/);
    const bad = run(['--docs-url', 'https://[broken', 'examples/acns']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--docs-url takes an http:\/\/ or https:\/\/ address/);
    assert.doesNotMatch(run(['--format', 'json', '--docs-url', 'https://example.com/ul/', 'examples/acns']).out, /example\.com|helpUri/, 'JSON has no links');
  });

  test('a fork sets the base once: upgradeLint.docsUrl in its package.json (the flag still wins)', () => {
    const pkg = tmp();
    fs.mkdirSync(path.join(pkg, 'dist'));
    fs.mkdirSync(path.join(pkg, 'bin'));
    fs.copyFileSync(path.join(ROOT, 'dist', 'cli.js'), path.join(pkg, 'dist', 'cli.js'));
    fs.copyFileSync(BIN, path.join(pkg, 'bin', 'upgrade-lint.js'));
    fs.copyFileSync(path.join(path.dirname(BIN), 'code-cache.js'), path.join(pkg, 'bin', 'code-cache.js'));
    const bin = path.join(pkg, 'bin', 'upgrade-lint.js');
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: 'upgrade-lint', upgradeLint: { docsUrl: 'https://fork.example.org/upgrade-lint/docs' } }),
    );
    const uri = (args: string[]) =>
      (JSON.parse(run(['--format', 'sarif', ...args, 'examples/acns'], { bin }).out) as SarifLog).runs[0].tool.driver.rules[0].helpUri;
    assert.equal(uri([]), 'https://fork.example.org/upgrade-lint/docs/rules/meta/syntax.md');
    assert.equal(uri(['--docs-url', 'https://example.com/x/']), 'https://example.com/x/rules/meta/syntax.md');
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'upgrade-lint', upgradeLint: { docsUrl: 'file:///etc/' } }));
    assert.equal(uri([]), undefined, 'only an http(s) address is a base');
  });
});

/** `upgrade-lint --print-config <file>` and `upgrade-lint --init`. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseConfig } from '../../server/engine/config';
import { allRules } from '../../server/engine/rules/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-cfgcmd-')));

interface Printed {
  file: string;
  kind: string;
  configFile: string | null;
  locale: string;
  rules: Record<string, string>;
  imageSearchPaths: string[];
  ignorePatterns: string[];
  configProblems: { rule: string; message: string }[];
}

/** A repository with a configuration whose override covers lab/. */
function repo() {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'sites', 'lab'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'sites', '.upgrade-lint.json'),
    JSON.stringify(
      {
        rules: { 'meta/key-case': 'off', 'manifest/*': 'warning' },
        imageSearchPaths: ['../images'],
        overrides: [{ files: ['lab/**'], rules: { 'meta/*': 'warning', 'meta/http-port': 'hint' } }],
      },
      null,
      2,
    ),
  );
  fs.mkdirSync(path.join(dir, 'images'));
  return dir;
}

describe('upgrade-lint --print-config', () => {
  test('a file under an override (that does not exist): every rule of its kind with the severity in force, and the settings', () => {
    const dir = repo();
    const r = run(['--print-config', 'sites/lab/ACNS-5.1.3.meta', '--rule', 'meta/syntax=error', '--rule', 'schema/*=off'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const p = JSON.parse(r.out) as Printed;
    assert.equal(p.file, 'sites/lab/ACNS-5.1.3.meta');
    assert.equal(p.kind, 'acns-meta');
    assert.equal(p.configFile, 'sites/.upgrade-lint.json');
    assert.equal(p.locale, 'en');
    assert.deepEqual(p.imageSearchPaths, ['images']);
    assert.deepEqual(p.configProblems, []);
    // The override's exact id beats its family; the base rules' exact id beats the override's family (as the
    // engine resolves them); --rule comes last.
    assert.equal(p.rules['meta/http-port'], 'hint');
    assert.equal(p.rules['meta/http-credentials'], 'warning');
    assert.equal(p.rules['meta/key-case'], 'off');
    assert.equal(p.rules['meta/syntax'], 'error');
    assert.equal(p.rules['schema/pattern'], 'off');
    assert.equal(p.rules['file/binary'], 'error', 'an unset rule shows its default');
    // Exactly the rules that can report on a meta file.
    const expected = allRules
      .filter((x) => (x.kind === 'acns-meta' || x.kind === 'any') && x.id !== 'config/invalid')
      .map((x) => x.id)
      .sort();
    assert.deepEqual(Object.keys(p.rules), expected);
    assert.ok(!Object.keys(p.rules).some((id) => id.startsWith('dfc/') || id.startsWith('manifest/')));
  });

  test('the severities printed are the ones a lint of that file reports', () => {
    const dir = repo();
    fs.copyFileSync(path.join(ROOT, 'examples', 'acns', 'broken', 'ACNS-5.1.3-lab.meta'), path.join(dir, 'sites', 'lab', 'ACNS-5.1.3-lab.meta'));
    const p = JSON.parse(run(['--print-config', 'sites/lab/ACNS-5.1.3-lab.meta'], dir).out) as Printed;
    const lintRun = run(['--format', 'json', 'sites/lab/ACNS-5.1.3-lab.meta'], dir);
    const diags = (JSON.parse(lintRun.out) as { files: { diagnostics: { rule: string; severity: string }[] }[] }).files[0].diagnostics;
    assert.ok(diags.length >= 4);
    for (const d of diags) assert.equal(d.severity, p.rules[d.rule], d.rule);
    assert.ok(!diags.some((d) => d.rule === 'meta/key-case'), 'off in the configuration');
  });

  test('outside the override, a manifest: its own rules and the base severities; no configuration: null', () => {
    const dir = repo();
    const m = JSON.parse(run(['--print-config', 'sites/tokyo.upgrade.yaml'], dir).out) as Printed;
    assert.equal(m.kind, 'upgrade-manifest');
    assert.equal(m.rules['manifest/duplicate-node'], 'warning');
    assert.ok('yaml/syntax' in m.rules && !('meta/http-port' in m.rules));
    const none = JSON.parse(run(['--print-config', 'dfc.properties'], dir).out) as Printed;
    assert.equal(none.configFile, null);
    assert.equal(none.rules['dfc/port-format'], allRules.find((x) => x.id === 'dfc/port-format')!.severity);
  });

  test('what is wrong in the configuration is listed; a path of no kind exits 2', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.upgrade-lint.json'), '{ "rules": { "meta/no-such-rule": "off", "meta/http-port": "warning" } }');
    const p = JSON.parse(run(['--print-config', 'x.meta'], dir).out) as Printed;
    assert.equal(p.rules['meta/http-port'], 'warning', 'the valid parts apply');
    assert.deepEqual(
      p.configProblems.map((d) => d.rule),
      ['config/invalid'],
    );
    assert.match(p.configProblems[0].message, /meta\/no-such-rule/);
    const r = run(['--print-config', 'notes.txt'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^upgrade-lint: notes\.txt is not a file upgrade-lint checks/);
  });
});

describe('upgrade-lint --init', () => {
  test('writes a commented starter that parses cleanly and lints with no configuration problems', () => {
    const dir = tmp();
    const r = run(['--init'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'wrote .upgrade-lint.json: a starter configuration, every key explained in a comment\n');
    const text = fs.readFileSync(path.join(dir, '.upgrade-lint.json'), 'utf8');
    assert.match(text, /^\/\/ upgrade-lint configuration \(JSON with comments\)/);
    for (const key of ['rules', 'overrides', 'ignorePatterns', 'imageSearchPaths', 'defaultDurations'])
      assert.match(text, new RegExp(`^ {2}// "${key}": `, 'm'), key);
    assert.deepEqual(parseConfig(text, path.join(dir, '.upgrade-lint.json')).problems, []);
    // A real run under it: the configuration is read (it is reported when broken) and nothing is wrong with it.
    fs.copyFileSync(path.join(ROOT, 'examples', 'acns', 'ACNS-5.1.3.meta'), path.join(dir, 'ACNS-5.1.3.meta'));
    const lintRun = run(['--format', 'json', '.'], dir);
    assert.equal(lintRun.code, 0, lintRun.out + lintRun.err);
    const j = JSON.parse(lintRun.out) as { files: { path: string; kind: string }[] };
    assert.deepEqual(
      j.files.map((f) => f.kind),
      ['acns-meta'],
    );
    assert.equal(JSON.parse(run(['--print-config', 'ACNS-5.1.3.meta'], dir).out).configFile, '.upgrade-lint.json');
    // Every commented-out example, uncommented, is a valid configuration too.
    const uncommented = text.replace(/^( {4})\/\/ (.*)$/gm, '$1$2');
    assert.notEqual(uncommented, text);
    const loaded = parseConfig(uncommented, path.join(dir, '.upgrade-lint.json'));
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.config.rules, { 'meta/key-case': 'warning' });
    assert.deepEqual(loaded.config.ignorePatterns, ['archive/**']);
    assert.deepEqual(loaded.config.defaultDurations, { upgrade: 90 });
  });

  test('refuses to overwrite an existing file (or a link), exit 2', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.upgrade-lint.json'), '{ "rules": {} }\n');
    const r = run(['--init'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'upgrade-lint: .upgrade-lint.json already exists; it was not overwritten\n');
    assert.equal(fs.readFileSync(path.join(dir, '.upgrade-lint.json'), 'utf8'), '{ "rules": {} }\n');
    // A dangling link named like the file: not followed (it would create the file wherever it points).
    const linked = tmp();
    fs.symlinkSync(path.join(linked, 'elsewhere.json'), path.join(linked, '.upgrade-lint.json'));
    assert.equal(run(['--init'], linked).code, 2);
    assert.equal(fs.existsSync(path.join(linked, 'elsewhere.json')), false);
  });

  test('in the run’s language', () => {
    const dir = tmp();
    const r = run(['--init'], dir, { LANG: 'ja_JP.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\.upgrade-lint\.json を書き出しました/);
    const text = fs.readFileSync(path.join(dir, '.upgrade-lint.json'), 'utf8');
    assert.match(text, /^\/\/ upgrade-lint の設定ファイルです/);
    assert.deepEqual(parseConfig(text, path.join(dir, '.upgrade-lint.json')).problems, []);
  });
});

/**
 * The CI integrations run as their hosts would run them: action.yml's steps (bash, with the runner's environment
 * variables and `${{ }}` expressions filled in), and the pre-commit hook of .pre-commit-hooks.yaml (its `entry`
 * with the files its `files` pattern selects). The build step (`npm ci`) is not run here: it would reinstall this
 * checkout's node_modules.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { KINDS, kindForPath } from '../../server/engine/kinds/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-ci-'));

// ---------------------------------------------------------------------------------------------------------------
// action.yml

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}
const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

/** A workflow run of the action: its inputs, the step outputs so far, and the runner's environment. */
class ActionRun {
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, Record<string, string>> = {};
  readonly log: { step: string; code: number | null; out: string; err: string }[] = [];
  constructor(
    readonly workspace: string,
    given: Record<string, string>,
  ) {
    for (const k of Object.keys(given)) assert.ok(action.inputs[k], `action.yml has no input ${k}`);
    this.inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...given };
  }
  /** `${{ inputs.x }}`, `${{ steps.id.outputs.x }}`, `${{ github.action_path }}`: the expressions the action uses. */
  value(expr: string): string {
    const e = expr.trim();
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(e))) return this.inputs[m[1]];
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e))) return this.outputs[m[1]]?.[m[2]] ?? '';
    if (e === 'github.action_path') return ROOT;
    throw new Error(`expression the test does not know: ${e}`);
  }
  fill = (s: string) => s.replace(/\$\{\{([^}]*)\}\}/g, (_, e: string) => this.value(e));
  /** A step's `if:` (the forms the action uses: `inputs.x == 'v'`, `inputs.x != 'v'`). */
  condition(cond: string | undefined): boolean {
    if (cond === undefined) return true;
    const m = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(cond);
    if (!m) throw new Error(`condition the test does not know: ${cond}`);
    return (this.value(m[1]) === m[3]) === (m[2] === '==');
  }
  /** Runs each `run:` step as the runner does (`bash --noprofile --norc -eo pipefail`), skipping `uses:` steps. */
  runSteps(only?: (s: Step) => boolean) {
    for (const step of action.runs.steps) {
      if (only && !only(step)) continue;
      if (!this.condition(step.if) || step.uses || step.run === undefined) continue;
      assert.equal(step.shell, 'bash');
      const dir = tmp();
      const script = path.join(dir, 'step.sh');
      const output = path.join(dir, 'output');
      fs.writeFileSync(script, this.fill(step.run));
      fs.writeFileSync(output, '');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NO_COLOR: '1',
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_WORKSPACE: this.workspace,
        GITHUB_OUTPUT: output,
      };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = this.fill(v);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: this.workspace, env, encoding: 'utf8', timeout: 60000 });
      this.log.push({ step: step.name ?? step.id ?? '?', code: r.status, out: r.stdout, err: r.stderr });
      if (step.id)
        this.outputs[step.id] = Object.fromEntries(
          fs
            .readFileSync(output, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split(/=(.*)/s).slice(0, 2)),
        );
      if (r.status !== 0) return r.status;
    }
    return 0;
  }
  step = (name: string) => this.log.find((l) => l.step === name);
}
const notBuild = (s: Step) => s.name !== 'Build upgrade-lint';

describe('action.yml (composite GitHub Action)', () => {
  test('its shape: composite, Node set up, built from its own checkout, SARIF uploaded only when asked', () => {
    assert.equal(action.runs.using, 'composite');
    const steps = action.runs.steps;
    assert.deepEqual(
      steps.filter((s) => s.uses).map((s) => [s.uses, s.if]),
      [
        ['actions/setup-node@v4', "inputs.node-version != ''"],
        ['github/codeql-action/upload-sarif@v3', "inputs.sarif == 'true'"],
      ],
    );
    const build = steps.find((s) => s.name === 'Build upgrade-lint')!;
    assert.match(build.run!, /^cd "\$GITHUB_ACTION_PATH"$/m);
    assert.match(build.run!, /^npm ci .*--ignore-scripts$/m);
    assert.match(build.run!, /^node scripts\/build\.mjs$/m);
    assert.ok(fs.existsSync(path.join(ROOT, 'package-lock.json')) && fs.existsSync(path.join(ROOT, 'scripts', 'build.mjs')));
    assert.equal(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!.with!.sarif_file, '${{ inputs.sarif-file }}');
    for (const s of steps.filter((x) => x.run)) assert.doesNotMatch(s.run!, /\$\{\{/, `${s.name}: inputs reach scripts only through env`);
    assert.equal(action.outputs['exit-code'].value, '${{ steps.lint.outputs.exit-code }}');
  });

  test('the lint step annotates the problems of examples/ and the action fails with exit code 1', () => {
    const a = new ActionRun(ROOT, { files: 'examples' });
    assert.equal(a.runSteps(notBuild), 1);
    const lint = a.step('upgrade-lint')!;
    assert.equal(lint.code, 0, lint.err);
    assert.match(
      lint.out,
      /^::error file=examples\/acns\/broken\/ACNS-5\.1\.3-lab\.meta,line=5,col=16,endLine=5,endColumn=70,title=meta\/http-port::HTTP image URLs must use port 80/m,
    );
    assert.ok(
      lint.out
        .split('\n')
        .filter(Boolean)
        .every((l) => /^::(error|warning|notice) file=examples\//.test(l)),
    );
    assert.deepEqual(a.outputs.lint, { 'exit-code': '1' });
    assert.equal(a.step('upgrade-lint (SARIF)'), undefined, 'sarif is false by default');
    assert.equal(a.step('Result')!.code, 1);
  });

  test('clean files (one per line, blank lines and spaces around them ignored): exit code 0', () => {
    const a = new ActionRun(ROOT, { files: '\n  examples/acns/ACNS-5.1.3.meta  \n\nexamples/cupm/dfc.properties\n' });
    assert.equal(a.runSteps(notBuild), 0);
    assert.equal(a.step('upgrade-lint')!.out, '');
    assert.deepEqual(a.outputs.lint, { 'exit-code': '0' });
  });

  test('format text: the problem matcher is added, the text report printed, the matcher removed', () => {
    const a = new ActionRun(ROOT, { files: 'examples/acns', format: 'text' });
    assert.equal(a.runSteps(notBuild), 1);
    const lines = a.step('upgrade-lint')!.out.split('\n');
    const matcher = /^::add-matcher::(.*)$/.exec(lines[0]);
    assert.ok(matcher, lines[0]);
    assert.equal(matcher[1], path.join(ROOT, '.github', 'upgrade-lint-matcher.json'));
    assert.ok(fs.statSync(matcher[1]).isFile());
    assert.match(lines[1], /^examples\/acns\/broken\/ACNS-5\.1\.2-osaka\.meta:3:1 {2}error {2}/);
    assert.deepEqual(lines.slice(-3), ['::remove-matcher owner=upgrade-lint::', '::remove-matcher owner=upgrade-lint-notice::', '']);
  });

  test('sarif true: the SARIF report is written for the upload step even though problems were found', () => {
    const dir = tmp();
    const sarif = path.join(dir, 'results', 'upgrade-lint.sarif');
    const a = new ActionRun(ROOT, { files: 'examples/acns', sarif: 'true', 'sarif-file': sarif });
    assert.equal(a.runSteps(notBuild), 1);
    assert.equal(a.step('upgrade-lint (SARIF)')!.code, 0);
    const s = JSON.parse(fs.readFileSync(sarif, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(s.version, '2.1.0');
    assert.ok(s.runs[0].results.some((r) => r.ruleId === 'meta/http-port'));
    assert.equal(a.step('Result')!.code, 1, 'the job still fails on the errors');
  });

  test('args are options (the action keeps its format); inputs are never run as shell code or expanded as globs', () => {
    const ws = tmp();
    fs.cpSync(path.join(ROOT, 'examples', 'acns'), path.join(ws, 'acns'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'meta'));
    fs.writeFileSync(path.join(ws, 'meta', 'x=error'), ''); // what `meta/*=error` would expand to in a shell
    const a = new ActionRun(ws, { files: 'acns/broken/ACNS-5.1.2-osaka.meta', args: '--format json --rule meta/*=error --locale ja' });
    assert.equal(a.runSteps(notBuild), 1);
    const out = a.step('upgrade-lint')!.out;
    assert.match(
      out,
      /^::error file=acns\/broken\/ACNS-5\.1\.2-osaka\.meta,line=4,col=16,endLine=4,endColumn=67,title=meta\/url-target::/m,
      'meta/* raised to error',
    );
    assert.match(out, /メタ ファイル/);

    const hostile = new ActionRun(ws, { files: 'acns\n$(touch pwned1)\n`touch pwned2`', args: '; touch pwned3 && echo', 'sarif-file': '$(touch pwned4)' });
    assert.equal(hostile.runSteps(notBuild), 2);
    assert.deepEqual(hostile.outputs.lint, { 'exit-code': '2' });
    assert.deepEqual(
      fs.readdirSync(ws).filter((f) => f.startsWith('pwned')),
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// .pre-commit-hooks.yaml

const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  language: string;
  files: string;
  args?: string[];
  pass_filenames: boolean;
}[];
const hook = hooks.find((h) => h.id === 'upgrade-lint')!;

/**
 * The hook's `files` (a Python regular expression, searched in each repository-relative path) as a JavaScript one.
 * Node 20 has no `(?i:…)` group, so its letters become `[aA]` classes; nothing else in it differs.
 */
function pythonRegex(src: string): RegExp {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    if (!src.startsWith('(?i:', i)) {
      out += src[i];
      continue;
    }
    let depth = 1;
    let j = i + 4;
    for (; j < src.length && depth; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === '(') depth++;
      else if (src[j] === ')') depth--;
    }
    const body = src.slice(i + 4, j - 1);
    let b = '';
    for (let k = 0; k < body.length; k++) {
      if (body[k] === '\\') b += body[k] + body[++k];
      else if (/[a-z]/i.test(body[k])) b += `[${body[k].toLowerCase()}${body[k].toUpperCase()}]`;
      else b += body[k];
    }
    out += `(?:${b})`;
    i = j - 1;
  }
  assert.doesNotMatch(out, /\(\?[a-zA-Z]/, 'no other inline flags');
  return new RegExp(out);
}

const walk = (dir: string, rel = ''): string[] =>
  fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));

describe('.pre-commit-hooks.yaml', () => {
  const files = pythonRegex(hook.files);

  test('a node hook whose entry is the package bin, passed the file names', () => {
    assert.equal(hook.language, 'node');
    assert.equal(hook.pass_filenames, true);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin[hook.entry], 'bin/upgrade-lint.js');
  });

  test('`files` selects exactly the names the CLI lints (every KINDS pattern, in the cases it accepts)', () => {
    const names: string[] = [];
    for (const k of KINDS)
      for (const p of k.patterns) {
        const n = p.replace('*', 'osaka plan');
        names.push(n, n.toUpperCase(), n[0].toUpperCase() + n.slice(1));
      }
    names.push(
      'foo.yaml',
      'foo.yml',
      'upgrade.yaml',
      'dfc.properties.bak',
      'mydfc.properties',
      'x.metadata',
      'meta',
      'notes/meta.txt',
      'my-upgrade-manifest.yaml',
    );
    for (const n of names) for (const p of [n, `sites/tokyo 1/${n}`]) assert.equal(files.test(p), kindForPath(p) !== undefined, `${p}: hook ${files.test(p)}`);
    assert.ok(!files.test('foo.yaml'));
    // Python reads the pattern the same way, where it is installed.
    const py = spawnSync(
      'python3',
      ['-c', 'import re,sys,json; r=re.compile(sys.argv[1]); print(json.dumps([bool(r.search(p)) for p in sys.argv[2:]]))', hook.files, ...names],
      {
        encoding: 'utf8',
      },
    );
    if (py.status === 0)
      assert.deepEqual(
        JSON.parse(py.stdout),
        names.map((n) => files.test(n)),
      );
  });

  test('the entry run on the files of examples/ it selects, as pre-commit runs it: exit 1 with the problems', () => {
    const all = walk(ROOT, 'examples');
    const selected = all.filter((f) => files.test(f));
    assert.ok(all.some((f) => !files.test(f)) || selected.length === all.length);
    assert.equal(selected.length, 18);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint.js'), ...(hook.args ?? []), ...selected], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^18 files checked: \d+ problems/m);
    for (const f of selected.filter((x) => x.includes('/broken/')))
      assert.match(r.stdout, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `, 'm'));
    const clean = selected.filter((x) => !x.includes('/broken/'));
    const ok = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint.js'), ...(hook.args ?? []), ...clean], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout);
  });

  test('the package pre-commit installs (npm pack) holds the built CLI its bin loads', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    for (const f of ['bin/upgrade-lint.js', 'bin/code-cache.js', 'dist/cli.js', 'package.json']) assert.ok(files.includes(f), f);
    // The bin loads dist/cli.js through the code cache loader, both shipped.
    assert.match(fs.readFileSync(path.join(ROOT, 'bin', 'upgrade-lint.js'), 'utf8'), /require\('\.\/code-cache\.js'\)\.load\(.*'dist', 'cli\.js'\)/);
    assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.startsWith('out/')));
  });
});

/** The built `upgrade-lint` binary: flags, exit codes, output formats and --fix. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { allRules } from '../../server/engine/rules/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-cli-'));

interface JsonReport {
  version: number;
  files: {
    path: string;
    kind: string;
    diagnostics: {
      rule: string;
      severity: string;
      message: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      fixes: { title: string; preferred: boolean; edits: { range: unknown; newText: string }[] }[];
    }[];
  }[];
  summary: { files: number; errors: number; warnings: number; information: number; hints: number };
}

describe('upgrade-lint CLI', () => {
  test('examples: real findings, exit 1, one summary line', () => {
    const r = run(['examples/']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^examples\/acns\/broken\/ACNS-5\.1\.3-lab\.meta:5:16 {2}error {2}HTTP image URLs must use port 80, not 8080.* {2}meta\/http-port$/m);
    assert.match(r.out, /^18 files checked: \d+ problems \(\d+ errors, \d+ warnings, \d+ information, 0 hints\)$/m);
    assert.match(
      r.out,
      /^examples\/imp\/broken\/branch-imp\.upgrade\.yaml:6:14 {2}error {2}8\.5\(1\) → 9\.0\(1\) is a refresh upgrade, not standard: set upgradeType: refresh\. {2}imp\/upgrade-type$/m,
    );
    for (const line of r.out.split('\n').filter((l) => l.startsWith('examples/')))
      assert.match(line, /^examples\/[a-z]+\/broken\//, `only broken examples have findings: ${line}`);
  });

  test('every valid example (one manifest per product, meta files, dfc.properties) is clean and exits 0', () => {
    const valid = [
      'examples/acns/ACNS-5.1.3.meta',
      'examples/acns/ACNS-downgrade-4.2.1.meta',
      'examples/acns/tokyo-cdn.upgrade.yaml',
      'examples/imp/im-presence-9.0.upgrade.yaml',
      'examples/callmanager/cluster-4.1.upgrade.yaml',
      'examples/callmanager/domain-cluster-4.1.upgrade.yaml',
      'examples/cupm/cupm-8.5.upgrade.yaml',
      'examples/cupm/dfc.properties',
      'examples/iplanet/messaging-5.2.upgrade.yaml',
    ];
    const r = run(valid);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^9 files checked: 0 problems/m);
  });

  test('--format json matches the contract', () => {
    const r = run(['--format', 'json', 'examples/acns/broken/ACNS-5.1.3-lab.meta', 'examples/cupm']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out) as JsonReport;
    assert.deepEqual(Object.keys(j), ['version', 'files', 'summary']);
    assert.equal(j.version, 1);
    assert.deepEqual(
      j.files.map((f) => [f.path, f.kind]),
      [
        ['examples/acns/broken/ACNS-5.1.3-lab.meta', 'acns-meta'],
        ['examples/cupm/broken/cupm-8.5-draft.upgrade.yaml', 'upgrade-manifest'],
        ['examples/cupm/broken/dfc.properties', 'cupm-properties'],
        ['examples/cupm/cupm-8.5.upgrade.yaml', 'upgrade-manifest'],
        ['examples/cupm/dfc.properties', 'cupm-properties'],
      ],
    );
    const port = j.files[0].diagnostics.find((d) => d.rule === 'meta/http-port')!;
    assert.deepEqual(Object.keys(port), ['rule', 'severity', 'message', 'range', 'fixes']);
    assert.equal(port.severity, 'error');
    assert.deepEqual(port.range, { start: { line: 4, character: 15 }, end: { line: 4, character: 69 } });
    assert.deepEqual(port.fixes, [
      {
        title: 'Remove `:8080` (use port 80)',
        preferred: true,
        edits: [{ range: { start: { line: 4, character: 41 }, end: { line: 4, character: 46 } }, newText: '' }],
      },
    ]);
    const all = j.files.flatMap((f) => f.diagnostics);
    const draft = j.files[1].diagnostics.find((d) => d.rule === 'cupm/properties')!;
    assert.equal(draft.severity, 'error', 'the summary takes the worst severity of dfc.properties');
    assert.deepEqual(
      (draft as unknown as { related: { path: string }[] }).related.map((x) => x.path.endsWith('dfc.properties')),
      Array((draft as unknown as { related: unknown[] }).related.length).fill(true),
    );
    assert.deepEqual(j.summary, {
      files: 5,
      errors: all.filter((d) => d.severity === 'error').length,
      warnings: all.filter((d) => d.severity === 'warning').length,
      information: all.filter((d) => d.severity === 'information').length,
      hints: 0,
    });
  });

  test('--format sarif: SARIF 2.1.0 with rule metadata from the registry', () => {
    const r = run(['--format', 'sarif', 'examples/acns/broken']);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    const driver = s.runs[0].tool.driver;
    assert.equal(driver.name, 'upgrade-lint');
    assert.deepEqual(
      driver.rules.map((x: { id: string }) => x.id),
      allRules.map((x) => x.id),
    );
    const res = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'meta/http-port');
    assert.equal(driver.rules[res.ruleIndex].id, 'meta/http-port');
    assert.equal(res.level, 'error');
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 5, startColumn: 16, endLine: 5, endColumn: 70 });
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'examples/acns/broken/ACNS-5.1.3-lab.meta');
    assert.equal(res.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '');
    assert.ok(s.runs[0].results.some((x: { level: string }) => x.level === 'note'));
  });

  test('--fix rewrites only the bytes the fixes touch (CRLF, BOM and other lines kept)', () => {
    const dir = tmp();
    const file = path.join(dir, 'lab.meta');
    const original =
      '\uFEFF# keep this comment  \r\nupdateFileSize=97205475\r\nversion= 5.1.3   \r\nUpdateFileUrl= http://h.example.com:8080/ACNS-5.1.3-K9.bin\r\nuser=x\r\n\r\n';
    fs.writeFileSync(file, original);
    const r = run(['--fix', file]);
    assert.equal(r.code, 0, r.out);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '\uFEFF# keep this comment  \r\nupdateFileSize=97205475\r\nversion= 5.1.3   \r\nupdateFileUrl= http://h.example.com/ACNS-5.1.3-K9.bin\r\n\r\n',
    );
    const again = run(['--fix', file]);
    assert.equal(again.code, 0);
    assert.match(again.out, /0 problems/);
  });

  test('--fix leaves a file that is not valid UTF-8 untouched and says so', () => {
    const dir = tmp();
    const file = path.join(dir, 'sjis.meta');
    const bytes = Buffer.concat([
      Buffer.from('updateFileSize=1\nversion=5.1.3\ndescription='),
      Buffer.from([0x93, 0x8c, 0x8b, 0x9e]),
      Buffer.from('\nupdateFileURL=ftp://h/ACNS-5.1.3-K9.bin\n'),
    ]);
    fs.writeFileSync(file, bytes);
    const r = run(['--fix', file]);
    assert.ok(fs.readFileSync(file).equals(bytes));
    assert.match(r.err, /not fixed/);
    assert.match(r.out, /file\/encoding/);
  });

  test('--rule overrides severities; --max-warnings; --locale ja', () => {
    const f = 'examples/acns/broken/ACNS-5.1.3-lab.meta';
    const off = run(['--format', 'json', '--rule', 'meta/http-port=off', '--rule=meta/http-credentials=warning', '--rule', 'schema/*=off', f]);
    const j = JSON.parse(off.out) as JsonReport;
    assert.ok(!j.files[0].diagnostics.some((d) => d.rule === 'meta/http-port' || d.rule.startsWith('schema/')));
    assert.ok(j.files[0].diagnostics.filter((d) => d.rule === 'meta/http-credentials').every((d) => d.severity === 'warning'));
    assert.equal(off.code, 0, 'no error left');
    assert.equal(run(['--rule', 'meta/http-port=off', '--rule', 'meta/http-credentials=warning', '--rule', 'schema/*=off', '--max-warnings', '1', f]).code, 1);
    const ja = run(['--locale', 'ja', f]);
    assert.match(ja.out, /ポート 80/);
    assert.match(ja.out, /ファイルを検査しました: 問題/);
  });

  test('usage errors exit 2', () => {
    for (const args of [
      [],
      ['--format', 'xml', 'examples'],
      ['--rule', 'meta/nope=off', 'examples'],
      ['--rule', 'meta/http-port=loud', 'examples'],
      ['--bogus', 'examples'],
      ['no/such/dir'],
      ['README.md'],
      ['--max-warnings', 'many', 'examples'],
    ]) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}`);
      assert.match(r.err, /upgrade-lint: /);
    }
    assert.equal(run(['--help']).code, 0);
    assert.match(run(['--version']).out, /^\d+\.\d+\.\d+/);
  });

  test('a malformed .upgrade-lint.json is reported and does not stop validation', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.upgrade-lint.json'), '{\n  "rules": { "meta/http-port": "off", "meta/typo": "off" }\n}\n');
    fs.writeFileSync(path.join(dir, 'a.meta'), 'updateFileSize=1\nversion=5.1.3\nupdateFileUrl=http://h:81/ACNS-5.1.3-K9.bin\nuser=u\n');
    const r = run(['--format', 'json', dir]);
    const j = JSON.parse(r.out) as JsonReport;
    assert.equal(j.files.length, 2);
    assert.deepEqual(
      j.files[0].diagnostics.map((d) => d.rule),
      ['meta/http-credentials'],
      'the valid part of the config applies',
    );
    assert.equal(j.files[1].kind, 'config');
    assert.deepEqual(
      j.files[1].diagnostics.map((d) => [d.rule, d.range.start.line, d.range.start.character]),
      [['config/invalid', 1, 38]],
    );
    assert.equal(r.code, 1);
  });

  test('a 50 MB file and a 1 MB line: one clear diagnostic, quickly, no crash', () => {
    const dir = tmp();
    const big = path.join(dir, 'huge.meta');
    const fd = fs.openSync(big, 'w');
    const chunk = Buffer.from('description=' + 'x'.repeat(1024 * 1024 - 13) + '\n');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    fs.writeFileSync(
      path.join(dir, 'long.meta'),
      'description=' + 'y'.repeat(1024 * 1024) + '\nupdateFileSize=12\nversion=5.1.3\nupdateFileUrl=ftp://h/ACNS-5.1.3-K9.bin\n',
    );
    const r = run(['--format', 'json', dir]);
    const j = JSON.parse(r.out) as JsonReport;
    const byName = Object.fromEntries(j.files.map((f) => [path.basename(f.path), f.diagnostics.map((d) => d.rule)]));
    assert.deepEqual(byName['huge.meta'], ['file/too-large']);
    assert.deepEqual(byName['long.meta'], []);
  });
});

/**
 * A hostile repository (issue 9): what the engine and the node host may read, quote, parse and write. Each test
 * is a regression test for one defect an outside audit found; the CLI-level ones are in test/cli/security.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { GLOB_LIMITS, globMatches, globProblem, parseConfig, rulesForFile } from '../../server/engine/config';
import { lint } from '../../server/engine/lint';
import { loadYaml, yamlScalar } from '../../server/engine/parse/yaml';
import { closest, redactSecrets } from '../../server/engine/util';
import { confinedFs, readRegularFile, Roots } from '../../server/node/files';
import { ConfigCache, lintFileOnDisk } from '../../server/node/host';

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ul-sec-')));
const rules = (ds: { rule: string }[]) => ds.map((d) => d.rule);
/** Milliseconds of the fastest of three runs (a GC pause or a busy machine is not a slow input). */
const timed = (fn: () => void) =>
  Math.min(
    ...[0, 1, 2].map(() => {
      const t = performance.now();
      fn();
      return performance.now() - t;
    }),
  );

const CUPM = (propertiesFile: string) => `manifestVersion: 1
product: cupm
from: 2.2
to: 8.5
size: medium
propertiesFile: ${propertiesFile}
nodes:
  - {name: app, role: application, memoryMB: 8192, os: windows-2003}
steps:
  - {id: stop, action: stop-service, node: app, service: apache}
  - {id: stop-jboss, action: stop-service, node: app, service: jboss}
  - {id: stop-nice, action: stop-service, node: app, service: nice}
  - {id: dump, action: backup, node: app, target: pg_dumpall}
  - {id: start, action: start-service, node: app, service: apache}
  - {id: start-jboss, action: start-service, node: app, service: jboss}
  - {id: start-nice, action: start-service, node: app, service: nice}
  - {id: up, action: upgrade, node: app}
  - {id: login, action: verify, node: app}
  - {id: sync, action: sync, node: app}
`;

describe('referenced files stay inside the tree and are never quoted', () => {
  test('a properties file with problems is summarised by line and rule, never by its values', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'dfc.properties'), 'dfc.jboss.port=SECRET-VALUE-4711\ndfc.db.password=hunter2-SECRET\n');
    fs.writeFileSync(path.join(dir, 'plan.upgrade.yaml'), CUPM('./dfc.properties'));
    const { result } = lintFileOnDisk(path.join(dir, 'plan.upgrade.yaml'), 'upgrade-manifest', new ConfigCache());
    const props = result.diagnostics.find((d) => d.rule === 'cupm/properties');
    assert.ok(props, JSON.stringify(rules(result.diagnostics)));
    assert.match(props.message, /line 1 \(dfc\//);
    const every = JSON.stringify(result.diagnostics);
    assert.doesNotMatch(every, /SECRET|hunter2|4711/);
  });

  test('`../`, absolute paths and symlinks that leave the tree are refused, not read', () => {
    const root = tmp();
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'dfc.properties'), 'dfc.jboss.port=PRIVATE\n');
    const inside = path.join(root, 'site');
    fs.mkdirSync(inside);
    fs.symlinkSync(path.join(outside, 'dfc.properties'), path.join(inside, 'linked.properties'));
    const roots = new Roots([root]);
    for (const ref of [path.relative(inside, path.join(outside, 'dfc.properties')), path.join(outside, 'dfc.properties'), './linked.properties']) {
      fs.writeFileSync(path.join(inside, 'plan.upgrade.yaml'), CUPM(JSON.stringify(ref)));
      const { result } = lintFileOnDisk(path.join(inside, 'plan.upgrade.yaml'), 'upgrade-manifest', new ConfigCache(roots), { roots });
      assert.deepEqual(rules(result.diagnostics), ['manifest/file-outside-workspace'], ref);
      assert.doesNotMatch(JSON.stringify(result.diagnostics), /PRIVATE/);
    }
    // Inside the tree, the same file is read (the rule is about where, not what).
    fs.copyFileSync(path.join(outside, 'dfc.properties'), path.join(inside, 'dfc.properties'));
    fs.writeFileSync(path.join(inside, 'plan.upgrade.yaml'), CUPM('./dfc.properties'));
    const { result } = lintFileOnDisk(path.join(inside, 'plan.upgrade.yaml'), 'upgrade-manifest', new ConfigCache(roots), { roots });
    assert.deepEqual(rules(result.diagnostics), ['cupm/properties']);
  });

  test('the confined file access measures and reads nothing outside, nor anything but regular files', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'a.bin'), Buffer.alloc(10));
    fs.symlinkSync('/etc/hostname', path.join(root, 'host.bin'));
    fs.mkdirSync(path.join(root, 'dir.bin'));
    const efs = confinedFs(new Roots([root]));
    assert.equal(efs.fileSize(path.join(root, 'a.bin')), 10);
    assert.equal(efs.fileSize(path.join(root, 'host.bin')), undefined);
    assert.equal(efs.readText!(path.join(root, 'host.bin')), undefined);
    assert.equal(efs.refused!(path.join(root, 'host.bin')), 'outside');
    assert.equal(efs.fileSize(path.join(root, 'dir.bin')), undefined);
    assert.equal(efs.readText!('/etc/hostname'), undefined);
  });

  test('image search paths of .upgrade-lint.json that leave the tree are reported and not searched', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, '.upgrade-lint.json'), '{\n  "imageSearchPaths": ["/etc", "./images"]\n}\n');
    fs.mkdirSync(path.join(root, 'images'));
    // An "image" named like a file that exists in /etc: its size would reveal it.
    fs.writeFileSync(path.join(root, 'a.meta'), 'updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://h.example.com/passwd\n');
    const roots = new Roots([root]);
    const configs = new ConfigCache(roots);
    const { result } = lintFileOnDisk(path.join(root, 'a.meta'), 'acns-meta', configs, { roots });
    assert.ok(!rules(result.diagnostics).includes('meta/image-size-mismatch'), JSON.stringify(result.diagnostics));
    const problems = configs.loaded()[0].problems;
    assert.deepEqual(
      problems.map((p) => [p.rule, p.range.start.line]),
      [['config/invalid', 1]],
    );
    assert.match(problems[0].message, /"\/etc" leaves the tree/);
  });
});

describe('override globs', () => {
  test('picomatch patterns as users write them: braces, classes, base names, folders', () => {
    assert.ok(globMatches('lab/*.{meta,properties}', 'lab/a.meta'));
    assert.ok(globMatches('lab/*.{meta,properties}', 'lab/x.properties'));
    assert.ok(!globMatches('lab/*.{meta,properties}', 'lab/x.yaml'));
    assert.ok(globMatches('site-[0-9].meta', 'deep/site-3.meta'));
    assert.ok(globMatches('sites/**/*.upgrade.yaml', 'sites/tokyo/a/b.upgrade.yaml'));
    assert.ok(globMatches('lab/', 'lab/x/y.meta'));
    assert.ok(globMatches('./lab/*.meta', 'lab/y.meta'));
    const loaded = parseConfig('{"overrides": [{"files": ["lab/*.{meta,properties}"], "rules": {"meta/*": "off"}}]}', '/w/.upgrade-lint.json');
    assert.deepEqual(rulesForFile(loaded, '/w/lab/a.meta'), { 'meta/*': 'off' });
  });

  test('patterns that would backtrack are refused with a config/invalid on their line; the worst allowed ones stay fast', () => {
    for (const bad of ['*a'.repeat(20) + 'b', '*a*a*a*a*b', 'x'.repeat(GLOB_LIMITS.length + 1), '{a,aa}'.repeat(6)]) {
      assert.ok(globProblem(bad), bad);
      assert.equal(globMatches(bad, 'a'.repeat(60)), false);
    }
    const loaded = parseConfig(
      '{\n  "overrides": [{\n    "files": ["*a*a*a*a*a*a*a*a*a*a*a*a*b", "lab/*.meta"],\n    "rules": {"meta/*": "off"}\n  }]\n}',
      '/w/.upgrade-lint.json',
    );
    assert.deepEqual(
      loaded.problems.map((p) => [p.rule, p.range.start.line]),
      [['config/invalid', 2]],
    );
    assert.deepEqual(loaded.config.overrides[0].files, ['lab/*.meta']);
    // The most complex patterns the limits allow, against long and deep paths (names up to 255 characters).
    // (Repeated `**/` collapse into one.)
    const worst = ['**/'.repeat(20) + 'x', '*a*a*b', '**/a/**/a/**/b', '**/a*a*/**/*a*b', '{a,aa}{a,aa}{a,aa}{a,aa}b'];
    const paths = ['a'.repeat(255), 'a/'.repeat(500) + 'c', ('a'.repeat(254) + '/').repeat(4) + 'c'];
    let slowest = 0;
    for (const g of worst) {
      assert.equal(globProblem(g), undefined, g);
      for (const p of paths)
        slowest = Math.max(
          slowest,
          timed(() => globMatches(g, p)),
        );
    }
    assert.ok(slowest < 500, `slowest allowed glob took ${slowest.toFixed(0)} ms`);
  });
});

describe('reading files', () => {
  test('a FIFO, a device and a folder are refused without blocking; a growing file is cut at the limit', () => {
    const dir = tmp();
    const fifo = path.join(dir, 'x.meta');
    require('node:child_process').execFileSync('mkfifo', [fifo]);
    assert.deepEqual(readRegularFile(fifo, 1000), { reason: 'not-regular' });
    assert.deepEqual(readRegularFile('/dev/zero', 1000), { reason: 'not-regular' });
    assert.deepEqual(readRegularFile(dir, 1000), { reason: 'not-regular' });
    assert.equal((readRegularFile(path.join(dir, 'none'), 1000) as { reason: string }).reason, 'missing');
    const big = path.join(dir, 'big.meta');
    fs.writeFileSync(big, Buffer.alloc(5000, 0x61));
    const r = readRegularFile(big, 1000);
    assert.ok('bytes' in r && r.truncated && r.bytes.length <= 4096 && r.size === 5000);
  });

  test('a .upgrade-lint.json that is a FIFO or too large is a config/invalid, never a hang or a silent default', () => {
    const dir = tmp();
    require('node:child_process').execFileSync('mkfifo', [path.join(dir, '.upgrade-lint.json')]);
    fs.writeFileSync(path.join(dir, 'a.meta'), 'updateFileSize=1\n');
    const configs = new ConfigCache();
    lintFileOnDisk(path.join(dir, 'a.meta'), 'acns-meta', configs);
    assert.deepEqual(
      configs.loaded().map((c) => c.problems.map((p) => p.rule)),
      [['config/invalid']],
    );
    assert.match(configs.loaded()[0].problems[0].message, /not a regular file/);
  });
});

describe('YAML that grows, nests or recurses', () => {
  test('nested flow collections used as keys: bounded time and memory, a diagnostic, no exception', () => {
    for (const text of ['{'.repeat(32), '{'.repeat(60) + '}'.repeat(60) + ': x', '? '.repeat(60) + 'x', '[{'.repeat(30) + 'a: b']) {
      let ds: { rule: string }[] = [];
      const ms = timed(() => {
        ds = lint({ text, kind: 'upgrade-manifest' }).diagnostics;
      });
      assert.ok(ms < 1000, `${JSON.stringify(text.slice(0, 20))}: ${ms.toFixed(0)} ms`);
      assert.ok(ds.length > 0 && ds.every((d) => typeof d.rule === 'string'));
    }
  });

  test('a document nested 100,000 levels deep is one yaml/too-deep (not an alias bomb, not a stack overflow)', () => {
    for (const text of [
      '['.repeat(100000),
      '['.repeat(50000) + ']'.repeat(50000),
      '- '.repeat(40000) + 'x',
      Array.from({ length: 300 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1',
      'steps:\n  - ' + '{a: '.repeat(20000),
    ]) {
      const ds = lint({ text, kind: 'upgrade-manifest' }).diagnostics;
      assert.deepEqual(rules(ds), ['yaml/too-deep'], JSON.stringify(text.slice(0, 30)));
    }
    // Valid manifests of every style are never too deep, including block scalars with deep indentation.
    const notes =
      'manifestVersion: 1\nproduct: acns\nnotes: |\n' + Array.from({ length: 100 }, (_, i) => ' '.repeat(i + 2) + 'x').join('\n') + '\nfrom: 5.1.0\n';
    assert.ok(!rules(lint({ text: notes, kind: 'upgrade-manifest' }).diagnostics).includes('yaml/too-deep'));
    assert.equal(loadYaml(notes).tooDeep, undefined);
  });

  test('duplicate keys are syntax errors at the second key, at any depth, as the parser reported them', () => {
    const at = (text: string) =>
      lint({ text, kind: 'upgrade-manifest' })
        .diagnostics.filter((d) => d.rule === 'yaml/syntax')
        .map((d) => [d.range.start.line, d.range.start.character, d.message]);
    assert.deepEqual(at('manifestVersion: 1\nproduct: acns\nproduct: cupm\n'), [
      [2, 0, 'The key `product` appears twice in the same mapping; keep one of them.'],
    ]);
    assert.deepEqual(at('steps:\n  - {id: a, id: b}\n'), [[1, 12, 'The key `id` appears twice in the same mapping; keep one of them.']]);
    assert.deepEqual(at('a: &x {k: 1}\nb: *x\nc: *x\n'), [], 'an alias used twice is not a duplicate');
    assert.deepEqual(at('1: a\n"1": b\n'), [], 'the number 1 and the string "1" are different keys, as for the parser');
  });

  test('a flood of 98,000 syntax errors: the first thousand are diagnostics, the rest are counted, not made', () => {
    const ds = lint({ text: ']'.repeat(98000), kind: 'upgrade-manifest' }).diagnostics;
    assert.equal(ds.length, 1001);
    assert.equal(ds.filter((d) => d.rule === 'yaml/syntax').length, 1000);
    assert.match(ds[1000].message, /^97000 more problems/);
    assert.equal(lint({ text: ']'.repeat(98000), kind: 'upgrade-manifest' }, { rules: { 'yaml/syntax': 'off' } }).diagnostics.length, 0);
  });

  test('`__proto__` is a key like any other: it cannot supply product or manifestVersion', () => {
    const text =
      '__proto__:\n  manifestVersion: 1\n  product: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes: [{name: a, role: content-engine}]\nsteps: [{id: s, action: upgrade, node: a}]\n';
    const ds = lint({ text, kind: 'upgrade-manifest' }).diagnostics;
    assert.ok(rules(ds).includes('schema/required'), JSON.stringify(rules(ds)));
    assert.ok(rules(ds).includes('schema/additionalProperties'));
    const meta = lint({ text: '__proto__=x\nupdateFileSize=1\nversion=5.1.3\nupdateFileUrl=ftp://h/ACNS-5.1.3-K9.bin\n', kind: 'acns-meta' }).diagnostics;
    assert.deepEqual(rules(meta), ['schema/additionalProperties']);
  });
});

describe('fixes write YAML that means what they say', () => {
  test('yamlScalar: every string reads back as itself, in block and in flow context', () => {
    for (const s of [
      '007',
      'pub-1',
      '/opt/msg',
      '/srv/a: b #c',
      'yes',
      'null',
      'true',
      '8.5',
      '8.6(3)',
      'a, b',
      '[x]',
      "it's",
      '- x',
      '#x',
      '',
      ' lead',
      'tab\there',
      'line\nbreak',
      '*alias',
      '&a',
      '!tag',
      '%x',
      '@x',
      '`x',
      '{a}',
      '~',
      '0x1F',
      '1e3',
      '.inf',
    ]) {
      const q = yamlScalar(s);
      assert.equal(parse(`k: ${q}`).k, s, `block: ${q}`);
      assert.deepEqual(parse(`k: [${q}, z]`).k, [s, 'z'], `flow: ${q}`);
    }
    assert.equal(yamlScalar('pub-1'), 'pub-1');
    assert.equal(yamlScalar('007'), "'007'");
  });
});

describe('inputs that were quadratic or worse (each well under a second at ~100 KB)', () => {
  const cases: [string, string, 'upgrade-manifest' | 'acns-meta'][] = [
    [
      '2,000 aliases',
      'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nx: &r {a: 1}\nnodes:\n' +
        Array.from({ length: 2000 }, (_, i) => `  - {name: n${i}, role: content-engine, extra: *r}`).join('\n') +
        '\nsteps: [{id: s, action: upgrade, node: n1}]\n',
      'upgrade-manifest',
    ],
    [
      '3,000 unknown names among 3,000 nodes',
      'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes:\n' +
        Array.from({ length: 3000 }, (_, i) => `  - {name: node-${i}, role: content-engine}`).join('\n') +
        '\nsteps:\n' +
        Array.from({ length: 3000 }, (_, i) => `  - {id: s${i}, action: upgrade, node: nxde-${i}}`).join('\n') +
        '\n',
      'upgrade-manifest',
    ],
    ['a 99 KB password', 'updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://h/ACNS-5.1.3-K9.bin\npassword=' + 'a@'.repeat(50000) + '\n', 'acns-meta'],
    [
      'a 90 KB serverRoot of slashes',
      'manifestVersion: 1\nproduct: iplanet-messaging\nfrom: 5.1\nto: 5.2\nserverRoot: ' +
        '/'.repeat(90000) +
        'x\ntargetServerRoot: /opt/b\nnodes: [{name: a, role: messaging-server}]\nsteps: [{id: s, action: upgrade, node: a}]\n',
      'upgrade-manifest',
    ],
    [
      '12,000 keys in one mapping (the parser compared each key with all before it)',
      'a: &a ' + '['.repeat(60) + 'x' + ']'.repeat(60) + '\n' + Array.from({ length: 12000 }, (_, i) => `k${i}: *a`).join('\n') + '\n',
      'upgrade-manifest',
    ],
    ['a URL path of ? ending in U+2028', 'updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://h/' + '?'.repeat(90000) + '\u2028\n', 'acns-meta'],
    ['a 90 KB value of a://a://…', 'manifestVersion: 1\nproduct: acns\nmetaFile: "' + 'a://'.repeat(22000) + '"\n', 'upgrade-manifest'],
    [
      '3,000 steps without an action',
      'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes: [{name: a, role: content-engine}]\nsteps:\n' +
        Array.from({ length: 3000 }, (_, i) => `  - {id: s${i}, node: a}`).join('\n') +
        '\n',
      'upgrade-manifest',
    ],
    [
      'a 90 KB unknown node name',
      'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes:\n  - {name: ' +
        'a'.repeat(45000) +
        ', role: content-engine}\nsteps: [{id: s, action: upgrade, node: ' +
        'a'.repeat(44990) +
        'b}]\n',
      'upgrade-manifest',
    ],
  ];
  for (const [name, text, kind] of cases) {
    test(name, () => {
      const ms = timed(() => lint({ text, kind }));
      assert.ok(ms < 1000, `${name}: ${ms.toFixed(0)} ms for ${text.length} bytes`);
    });
  }

  test('"did you mean" still suggests within two edits, and the banded distance agrees with the full one', () => {
    assert.equal(closest('pub-l', ['pub-1', 'sub-1'], 2), 'pub-1');
    assert.equal(closest('abcdef', ['abxxef', 'zzzzzz'], 2), 'abxxef');
    assert.equal(closest('abcdef', ['axxxef'], 2), undefined);
    assert.equal(closest('ab', ['ba'], 2), 'ba');
    assert.equal(closest('Version', ['version'], 0), 'version');
  });
});

describe('secrets never reach a message', () => {
  test('user info in URLs is masked in every message, however the URL is written', () => {
    assert.equal(redactSecrets('`ftp://user:PW@host/x.bin` is bad'), '`ftp://***@host/x.bin` is bad');
    assert.equal(redactSecrets('see ftp://u:p/w@h/x and http://h/y'), 'see ftp://***@h/x and http://h/y');
    assert.equal(redactSecrets('no url here: a@b'), 'no url here: a@b');
    assert.equal(redactSecrets('「ftp://a:b@c/」'), '「ftp://***@c/」');
    const ds = lint(
      { text: 'updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://user:PW-4711@host with space/ACNS-5.1.3-K9.bin\n', kind: 'acns-meta' },
      { locale: 'ja' },
    ).diagnostics;
    assert.ok(ds.length > 0);
    assert.doesNotMatch(JSON.stringify(ds), /PW-4711/);
  });

  test('values of secret-looking keys are never quoted, in English or Japanese', () => {
    const text =
      'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes: [{name: a, role: content-engine}]\nsteps:\n  - {id: s, action: upgrade, node: a}\n  - {id: c, action: command, node: a, run: x, env: {DB_PASSWORD: 987654}}\n';
    for (const locale of ['en', 'ja'] as const) {
      const ds = lint({ text, kind: 'upgrade-manifest' }, { locale }).diagnostics;
      assert.ok(ds.length > 0);
      assert.doesNotMatch(JSON.stringify(ds.map((d) => d.message)), /987654/, locale);
    }
  });
});

describe('limits', () => {
  test('maxDiagnostics 0 reports only how many problems there are', () => {
    const ds = lint({ text: 'a=1\nb=2\n', kind: 'acns-meta' }, { maxDiagnostics: 0 }).diagnostics;
    assert.deepEqual(rules(ds), ['file/too-many-problems']);
  });
});

test('every fixed manifest fixture is valid YAML whose values are the strings the fixes meant', () => {
  const { listFixtures } = require('../helpers/fixtures') as typeof import('../helpers/fixtures');
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const fixed = listFixtures().filter((f) => f.endsWith('.yaml') && fs.existsSync(f + '.fixed'));
  assert.ok(fixed.length >= 5, `only ${fixed.length} fixed manifests`);
  for (const f of fixed) {
    const docs = parseAllDocuments(fs.readFileSync(f + '.fixed', 'utf8'));
    for (const d of docs)
      assert.deepEqual(
        d.errors.map((e) => e.message),
        [],
        f,
      );
  }
  // The two fixtures written for this: names and roots stay strings.
  const imp = parse(fs.readFileSync(listFixtures().find((f) => f.endsWith('numeric-node-names.upgrade.yaml'))! + '.fixed', 'utf8'));
  assert.deepEqual(imp.steps.find((s: { action: string }) => s.action === 'install-cop').nodes, ['007', '008']);
  assert.equal(imp.steps.find((s: { id: string }) => s.id === 'upgrade-subscriber').node, '008');
  const ims = parse(fs.readFileSync(listFixtures().find((f) => f.endsWith('quoted-server-root.upgrade.yaml'))! + '.fixed', 'utf8'));
  assert.equal(ims.targetServerRoot, ims.serverRoot);
});

test('the e-mail test of meta/password-exposed: same answers, linear time', () => {
  const exposed = (pw: string) =>
    lint({
      text: `updateFileSize=1\nversion= 5.1.3\nupdateFileUrl= ftp://h/ACNS-5.1.3-K9.bin\nuser=anonymous\npassword=${pw}\n`,
      kind: 'acns-meta',
    }).diagnostics.some((d) => d.rule === 'meta/password-exposed');
  for (const ok of ['noc@example.com', 'a@b.c', 'a.b@c.d.e']) assert.equal(exposed(ok), false, ok);
  for (const bad of ['Winter2026!', 'a@b', '@b.c', 'a@.c', 'a@b.', 'a@@b.c', 'a@b@c.d']) assert.equal(exposed(bad), true, bad);
  const long = 'a@' + 'a.'.repeat(50000) + 'a%';
  assert.ok(timed(() => exposed(long)) < 1000);
});

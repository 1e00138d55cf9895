import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { globMatches, parseConfig, rulesForFile } from '../../server/engine/config';
import { kindForPath, lint, suppress } from '../../server/engine/lint';
import { parseMeta, parseProperties } from '../../server/engine/parse/kv';
import { acns } from '../../server/engine/products/index';

/** MAJOR.MINOR of the release an image file name installs. */
const imageTargetVersion = (name: string) => {
  const v = acns.imageVersion(name);
  return v && { major: v.parts[0], minor: v.parts[1] };
};
import { isHost } from '../../server/engine/rules/dfc';
import { applyEdits, decodeBytes, LineIndex, looksBinary } from '../../server/engine/text';
import { splitUrl, urlFileName } from '../../server/engine/url';
import { range, type Diagnostic } from '../../server/engine/types';
import { Lru } from '../../server/engine/util';

describe('text', () => {
  test('LineIndex maps offsets and positions with LF, CRLF and CR line breaks', () => {
    const idx = new LineIndex('ab\r\ncd\ref\ngh');
    assert.deepEqual(idx.lineStarts, [0, 4, 7, 10]);
    assert.deepEqual(idx.positionAt(5), { line: 1, character: 1 });
    assert.equal(idx.offsetAt({ line: 2, character: 1 }), 8);
    assert.equal(idx.lineText(0), 'ab');
    assert.equal(idx.lineText(1), 'cd');
    assert.equal(idx.offsetAt({ line: 0, character: 99 }), 2, 'clamped to the end of the line');
    assert.equal(idx.offsetAt({ line: 99, character: 0 }), 12);
    assert.equal(idx.eol(), '\r\n');
    assert.deepEqual(idx.positionAt(3), { line: 0, character: 2 }, 'between \\r and \\n is the end of the line');
  });

  test('applyEdits applies in any order and skips an overlapping edit instead of corrupting text', () => {
    const t = 'one two three';
    assert.equal(
      applyEdits(t, [
        { range: range(0, 8, 0, 13), newText: '3' },
        { range: range(0, 0, 0, 3), newText: '1' },
      ]),
      '1 two 3',
    );
    assert.equal(
      applyEdits(t, [
        { range: range(0, 0, 0, 7), newText: 'X' },
        { range: range(0, 4, 0, 13), newText: 'Y' },
      ]),
      'X three',
    );
  });

  test('decodeBytes: BOM, invalid UTF-8 and binary data', () => {
    const bom = decodeBytes(Buffer.from('\uFEFFa=1', 'utf8'));
    assert.deepEqual([bom.text, bom.bom, bom.invalidUtf8, bom.binary], ['a=1', true, false, false]);
    const sjis = decodeBytes(Buffer.from([0x61, 0x3d, 0x93, 0x8c, 0x8b, 0x9e]));
    assert.equal(sjis.invalidUtf8, true);
    assert.ok(sjis.text.includes('\uFFFD'));
    assert.equal(decodeBytes(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1])).binary, true);
    assert.equal(looksBinary('plain\ttext\r\n'), false);
    assert.equal(looksBinary('\u0001\u0002\u0003abc'), true);
  });
});

describe('parsers', () => {
  test('meta: key before the first =, blanks around values ignored, exact ranges', () => {
    const d = parseMeta('  version =  5.1.3  \nupdateFileUrl= ftp://h/a=b.bin\n# c\n\nbad line\n');
    assert.equal(d.entries.length, 2);
    const [v, u] = d.entries;
    assert.deepEqual([v.key, v.value], ['version', '5.1.3']);
    assert.deepEqual(v.keyRange, range(0, 2, 0, 9));
    assert.deepEqual(v.valueRange, range(0, 13, 0, 18));
    assert.equal(u.value, 'ftp://h/a=b.bin');
    assert.deepEqual(d.comments, [{ line: 2, text: ' c' }]);
    assert.equal(d.syntax.length, 1);
    assert.deepEqual(d.syntax[0].range, range(4, 0, 4, 8));
  });

  test('properties: separators, escapes, continuation lines and comments', () => {
    const text = [
      '! bang comment',
      '# hash comment',
      'a=1',
      'b : 2',
      'c 3',
      'd\\ e=4',
      'path=C\\:\\\\CUPM',
      'uni=\\u0041\\u0062',
      'long=first, \\',
      '    second',
      'empty=',
      '',
    ].join('\n');
    const d = parseProperties(text);
    assert.deepEqual(
      d.entries.map((e) => [e.key, e.value]),
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
        ['d e', '4'],
        ['path', 'C:\\CUPM'],
        ['uni', 'Ab'],
        ['long', 'first, second'],
        ['empty', ''],
      ],
    );
    const long = d.entries[6];
    assert.deepEqual([long.line, long.endLine], [8, 9]);
    assert.deepEqual(long.valueRange, range(8, 5, 9, 10));
    assert.deepEqual(d.entries[1].valueRange, range(3, 4, 3, 5));
    assert.equal(d.comments.length, 2);
    assert.equal(d.syntax.length, 0);
  });

  test('properties: syntax problems are reported, never thrown', () => {
    const d = parseProperties('x=\\u12\nkeyonly\n:value\ntail=\\');
    assert.equal(d.syntax.length, 4);
    assert.deepEqual(
      d.syntax.map((s) => s.range.start.line),
      [0, 1, 2, 3],
    );
  });
});

describe('helpers', () => {
  test('kindForPath follows the spec patterns', () => {
    assert.equal(kindForPath('/a/ACNS-5.1.3.meta'), 'acns-meta');
    assert.equal(kindForPath('C:\\CUPM\\sep\\dfc.properties'), 'cupm-properties');
    assert.equal(kindForPath('tokyo.upgrade.yml'), 'upgrade-manifest');
    assert.equal(kindForPath('upgrade-manifest.yaml'), 'upgrade-manifest');
    assert.equal(kindForPath('other.properties'), undefined);
    assert.equal(kindForPath('notes.yaml'), undefined);
  });

  test('splitUrl keeps offsets of user info, port and path', () => {
    const u = splitUrl('http://u:p@host.example:8080/a/ACNS.bin?x=1')!;
    assert.equal(u.scheme, 'http');
    assert.deepEqual(u.userinfo, { text: 'u:p@', start: 7, end: 11 });
    assert.equal(u.host, 'host.example');
    assert.deepEqual(u.port, { text: ':8080', value: '8080', start: 23, end: 28 });
    assert.equal(urlFileName(u), 'ACNS.bin');
    assert.equal(splitUrl('http://[::1]/x.bin')!.port, undefined);
    assert.equal(splitUrl('not a url'), undefined);
  });

  test('image target version from Cisco file names', () => {
    assert.deepEqual(imageTargetVersion('ACNS-5.1.3-K9.bin'), { major: 5, minor: 1 });
    assert.deepEqual(imageTargetVersion('ACNS-5.x.x-TO-4.2.1-K9.bin'), { major: 4, minor: 2 });
    assert.deepEqual(imageTargetVersion('ACNS-5.1.x.x-TO-4.2.9-K9.bin'), { major: 4, minor: 2 });
    assert.equal(imageTargetVersion('image.bin'), undefined);
  });

  test('host names and addresses', () => {
    for (const ok of ['db01', 'db01.example.co.jp', '10.0.0.1', '::1', 'fe80::1', 'a-b.c']) assert.ok(isHost(ok), ok);
    for (const bad of ['db_01', '10.0.0.300', 'db01:5432', '-db', 'a..b', 'jdbc:postgresql://x', '']) assert.ok(!isHost(bad), bad);
  });
});

describe('configuration', () => {
  test('a valid config: rules, image paths, overrides by glob', () => {
    const c = parseConfig(
      '{"rules":{"meta/password-exposed":"off","meta/*":"warning"},"imageSearchPaths":["images/"],"overrides":[{"files":["lab/**"],"rules":{"meta/http-port":"hint"}}]}',
      '/ws/.upgrade-lint.json',
    );
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.config.imageSearchPaths, ['images/']);
    assert.equal(rulesForFile(c, '/ws/lab/x/a.meta')['meta/http-port'], 'hint');
    assert.equal(rulesForFile(c, '/ws/prod/a.meta')['meta/http-port'], undefined);
  });

  test('malformed configs are reported with ranges; valid parts still apply', () => {
    const bad = parseConfig('{ "rules": { "meta/nope": "off", "meta/http-port": "loud", "meta/key-case": "off" }, "colour": 1 }', '/ws/.upgrade-lint.json');
    assert.deepEqual(
      bad.problems.map((p) => p.rule),
      ['config/invalid', 'config/invalid', 'config/invalid'],
    );
    assert.deepEqual(bad.problems[0].range, range(0, 13, 0, 24));
    assert.match(bad.problems[1].message, /one of off, error/);
    assert.match(bad.problems[2].message, /Unknown key "colour"/);
    assert.deepEqual(bad.config.rules, { 'meta/key-case': 'off' });
    const broken = parseConfig('{ "rules": { "meta/http-port": "off", }\n', '/ws/.upgrade-lint.json');
    assert.ok(broken.problems.length >= 1);
    assert.equal(broken.problems[0].rule, 'config/invalid');
    assert.deepEqual(
      parseConfig('[1,2]').problems.map((p) => p.message),
      ['.upgrade-lint.json must hold a JSON object.'],
    );
  });

  test('globs', () => {
    assert.ok(globMatches('lab/**', 'lab/a/b.meta'));
    assert.ok(globMatches('*.meta', 'deep/x/y.meta'));
    assert.ok(!globMatches('lab/*.meta', 'lab/a/b.meta'));
    assert.ok(globMatches('lab/**/b.meta', 'lab/b.meta'));
    assert.ok(globMatches('a?.meta', 'ab.meta'));
  });
});

describe('suppression and limits', () => {
  const d = (rule: string, line: number): Diagnostic => ({ rule, severity: 'error', message: 'm', range: range(line, 0, line, 1), fixes: [] });

  test('disable-next-line: named rules, family wildcard, or all rules', () => {
    const comments = [
      { line: 0, text: ' upgrade-lint-disable-next-line meta/a, meta/b' },
      { line: 4, text: 'upgrade-lint-disable-next-line' },
      { line: 6, text: ' upgrade-lint-disable-next-line meta/*' },
    ];
    const kept = suppress([d('meta/a', 1), d('meta/b', 1), d('meta/c', 1), d('meta/a', 2), d('meta/z', 5), d('meta/y', 7), d('file/encoding', 5)], comments);
    assert.deepEqual(
      kept.map((x) => `${x.rule}@${x.range.start.line}`),
      ['meta/c@1', 'meta/a@2', 'file/encoding@5'],
    );
  });

  test('severity overrides, off, and the per-file diagnostic limit', () => {
    const text = Array.from({ length: 50 }, (_, i) => `junk line ${i}`).join('\n');
    const r = lint({ text, kind: 'acns-meta' }, { maxDiagnostics: 10, rules: { 'schema/required': 'off' } });
    assert.equal(r.diagnostics.length, 11);
    assert.equal(r.diagnostics[10].rule, 'file/too-many-problems');
    assert.match(r.diagnostics[10].message, /40 more/);
    const w = lint({ text: 'x', kind: 'acns-meta' }, { rules: { 'meta/*': 'hint' } });
    assert.ok(w.diagnostics.some((x) => x.rule === 'meta/syntax' && x.severity === 'hint'));
  });

  test('a file over the size limit is not parsed', () => {
    const r = lint({ text: 'x', kind: 'cupm-properties', size: 60 * 1024 * 1024 }, {});
    assert.deepEqual(
      r.diagnostics.map((x) => x.rule),
      ['file/too-large'],
    );
    assert.match(r.diagnostics[0].message, /60\.0 MB/);
  });
});

test('Lru forgets the least recently used entries, by count and by weight, and always keeps the newest', () => {
  const byCount = new Lru<number>(2);
  byCount.set('a', 1);
  byCount.set('b', 2);
  assert.equal(byCount.get('a'), 1); // now b is the least recently used
  byCount.set('c', 3);
  assert.deepEqual(
    ['a', 'b', 'c'].map((k) => byCount.has(k)),
    [true, false, true],
  );
  const byWeight = new Lru<number>(Infinity, 6, (k) => k.length);
  byWeight.set('aaa', 1);
  byWeight.set('bbb', 2);
  assert.deepEqual(
    ['aaa', 'bbb'].map((k) => byWeight.has(k)),
    [true, true],
  );
  byWeight.set('cc', 3); // 8 > 6: aaa goes
  assert.deepEqual(
    ['aaa', 'bbb', 'cc'].map((k) => byWeight.has(k)),
    [false, true, true],
  );
  byWeight.set('dddddddddd', 4); // heavier than the limit alone: kept, everything else goes
  assert.deepEqual(
    ['bbb', 'cc', 'dddddddddd'].map((k) => byWeight.has(k)),
    [false, false, true],
  );
});

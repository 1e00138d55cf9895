/**
 * `.upgrade-lint.json` is JSON with comments and trailing commas (jsonc-parser), and nothing else: a syntax error
 * is one config/invalid at its line and column, YAML is never taken for a configuration, and `ignorePatterns` is
 * read like `overrides[].files`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flowDepth, parseConfig, rulesForFile } from '../../server/engine/config';

const CFG = '/ws/.upgrade-lint.json';
const where = (text: string) => parseConfig(text, CFG).problems.map((p) => [p.rule, p.range.start.line, p.range.start.character]);

describe('.upgrade-lint.json syntax', () => {
  test('line and block comments and trailing commas are accepted, and the settings apply', () => {
    const c = parseConfig(
      [
        '// upgrade-lint settings for the Tokyo sites',
        '{',
        '  /* lab images are not on the build server */',
        '  "rules": {',
        '    "meta/http-port": "off", // lab uses 8080',
        '    "dfc/*": "warning",',
        '  },',
        '  "ignorePatterns": ["archive/", "*.old.meta",],',
        '  "overrides": [{ "files": ["lab/*.{meta,properties}"], "rules": { "meta/key-case": "hint", }, },],',
        '}',
        '',
      ].join('\n'),
      CFG,
    );
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.config.rules, { 'meta/http-port': 'off', 'dfc/*': 'warning' });
    assert.deepEqual(c.config.ignorePatterns, ['archive/', '*.old.meta']);
    assert.equal(rulesForFile(c, '/ws/lab/x.meta')['meta/key-case'], 'hint');
    assert.equal(rulesForFile(c, '/ws/lab/sub/x.meta')['meta/key-case'], undefined);
  });

  test('a missing comma is reported at its line and column, in both languages; nothing of the file is used', () => {
    const text = '{\n  "rules": {\n    "meta/http-port": "off"\n    "meta/key-case": "off"\n  }\n}\n';
    assert.deepEqual(where(text), [['config/invalid', 3, 4]]);
    const c = parseConfig(text, CFG);
    assert.equal(c.problems[0].message, '.upgrade-lint.json is not valid JSON: a comma is expected');
    assert.match(parseConfig(text, CFG, undefined, 'ja').problems[0].message, /正しい JSON ではありません: カンマが必要です/);
    assert.deepEqual(c.config.rules, {});
  });

  test('other syntax errors are placed where they are', () => {
    assert.deepEqual(where('{\n  "rules": { "meta/http-port": "off" }\n'), [['config/invalid', 2, 0]]); // no closing brace
    assert.match(parseConfig('{\n  "rules": { "meta/http-port": "off" }\n', CFG).problems[0].message, /closing brace/);
    assert.deepEqual(where('{\n  "rules": {\n    meta/http-port: "off"\n  }\n}'), [['config/invalid', 2, 4]]); // unquoted key
    assert.deepEqual(where('{ "rules": { "meta/http-port": "off" } } {}'), [['config/invalid', 0, 41]]); // two values
    assert.deepEqual(where('{ "imageSearchPaths": ["a\n"] }'), [['config/invalid', 0, 23]]); // string over a line end
    assert.deepEqual(where('{ "rules": {} /* never closed\n'), [['config/invalid', 0, 14]]);
  });

  test('YAML is never taken for a configuration: it is a config/invalid that says so', () => {
    for (const text of ['rules:\n  meta/http-port: off\n', '---\nrules: {}\n', '"rules": { "meta/http-port": "off" }\n', '# comment\n{}\n']) {
      const c = parseConfig(text, CFG);
      assert.deepEqual(
        c.problems.map((p) => p.rule),
        ['config/invalid'],
        text,
      );
      assert.deepEqual(c.config.rules, {}, text);
    }
    const yaml = parseConfig('rules:\n  meta/http-port: off\n', CFG);
    assert.deepEqual(yaml.problems[0].range.start, { line: 0, character: 0 });
    assert.equal(yaml.problems[0].message, '.upgrade-lint.json looks like YAML, but it must be JSON (comments and trailing commas are allowed).');
    // What YAML reads as strings and JSON does not: single quotes.
    assert.deepEqual(where("{ 'rules': {} }"), [['config/invalid', 0, 2]]);
  });

  test('an empty file, or one of comments only, is an empty configuration; a value that is no object is reported', () => {
    assert.deepEqual(where(''), []);
    assert.deepEqual(where('// nothing here yet\n'), []);
    assert.deepEqual(where('\uFEFF{}'), []);
    assert.deepEqual(where('\n[1, 2]'), [['config/invalid', 1, 0]]);
  });

  test('ignorePatterns: strings only, patterns too complex to match are reported where they are and left out', () => {
    const c = parseConfig('{\n  "ignorePatterns": [\n    "old/",\n    3,\n    "' + '*a'.repeat(6) + 'b",\n    "!old/keep.meta"\n  ]\n}', CFG);
    assert.deepEqual(
      c.problems.map((p) => [p.range.start.line, p.message]),
      [
        [3, 'Each entry of "ignorePatterns" must be a string.'],
        [4, 'The pattern "*a*a*a*a*a*ab" is too complex to match safely (more than 3 `*` in one path segment); it is not used.'],
      ],
    );
    assert.deepEqual(c.config.ignorePatterns, ['old/', '!old/keep.meta']);
    assert.deepEqual(where('{ "ignorePatterns": "old/" }'), [['config/invalid', 0, 20]]);
    assert.match(parseConfig('{ "ignore": [] }', CFG).problems[0].message, /"ignorePatterns"/);
  });

  test("nesting is measured as JSONC reads it: `#` and `'` hide nothing, comments and strings do", () => {
    // Brackets after `#` or inside `'…'` are structure to jsonc-parser (YAML would have skipped them).
    assert.ok(flowDepth('# ' + '['.repeat(100)) >= 100);
    assert.ok(flowDepth("'" + '['.repeat(100) + "'") >= 100);
    assert.equal(flowDepth('{ /* [[[[[[ */ "a": "{{{{", // [[[[\n "b": [] }'), 2);
    for (const text of ['# ' + '['.repeat(200000), '{"a":' + '['.repeat(200000)]) {
      const c = parseConfig(text, CFG);
      assert.deepEqual(
        c.problems.map((p) => p.rule),
        ['config/invalid'],
      );
      assert.match(c.problems[0].message, /more than 64 levels deep/);
    }
  });
});

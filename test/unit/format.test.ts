/**
 * Document formatting (server/engine/services/format.ts). Every fixture and example file is formatted and must keep
 * its data (YAML: every document's `toJS()` and the comments in order; key=value files: what the parser reads), come
 * out formatted for good (formatting again changes nothing), and be edited in whitespace only; a manifest with a
 * syntax error is left alone. Then hand-written files with their exact formatted text, range formatting, and
 * hostile input (100 KB, deep nesting) that must stay fast.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Parser, parseAllDocuments } from 'yaml';
import { parseMeta, parseProperties } from '../../server/engine/parse/kv';
import { formatDocument, formatRange, type FormatOptions } from '../../server/engine/services/format';
import { applyEdits, decodeBytes, LineIndex } from '../../server/engine/text';
import type { FileKind, Range, TextEdit } from '../../server/engine/types';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The kind of a file name, for the walk (any `*.properties` is read as Java properties). */
function kindOf(name: string): FileKind | undefined {
  if (/\.meta$/i.test(name)) return 'acns-meta';
  if (/\.properties$/i.test(name)) return 'cupm-properties';
  if (/\.upgrade\.ya?ml$/i.test(name) || /^upgrade-manifest\.ya?ml$/i.test(name)) return 'upgrade-manifest';
  return undefined;
}

/** Files of the three kinds under a folder (regular files only; symlinked folders are not followed). */
function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (kindOf(e.name)) {
      try {
        if (fs.statSync(p).isFile()) out.push(p);
      } catch {
        /* a dangling link: not a file */
      }
    }
  }
  return out.sort();
}

const FILES = [...walk(path.join(ROOT, 'test', 'fixtures')), ...walk(path.join(ROOT, 'examples'))];

const trimEndBlanks = (s: string) => {
  let e = s.length;
  while (e > 0 && ' \t\f\r'.includes(s[e - 1])) e--;
  return s.slice(0, e);
};

/** The data of every document: `toJS()`, or (alias bombs, which toJS refuses) the document written out again. */
function yamlData(text: string) {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) return { errors: d.errors.map((e) => e.code) };
    try {
      return { data: d.toJS() as unknown };
    } catch (e) {
      return { refused: (e as Error).message, text: String(d) };
    }
  });
}

const yamlHasErrors = (text: string) => parseAllDocuments(text).some((d) => d.errors.length > 0);

/** Every `#` comment of a YAML text (from the concrete syntax tree), in source order, without trailing blanks. */
function yamlComments(text: string): string[] {
  const found: { offset: number; source: string }[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object') {
      const t = x as { type?: unknown; offset?: number; source?: string };
      if (t.type === 'comment') found.push({ offset: t.offset!, source: t.source! });
      else for (const v of Object.values(x)) if (v && typeof v === 'object') visit(v);
    }
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found.sort((a, b) => a.offset - b.offset).map((c) => trimEndBlanks(c.source));
}

/** What the kv parser reads: keys, values (with the trailing blanks Java keeps), comments, syntax problems. */
function kvData(kind: FileKind, text: string) {
  const doc = kind === 'acns-meta' ? parseMeta(text) : parseProperties(text);
  return {
    entries: doc.entries.map((e) => ({ key: e.key, value: e.value, trailing: e.trailing?.text, line: e.line, endLine: e.endLine })),
    comments: doc.comments.map((c) => ({ line: c.line, text: trimEndBlanks(c.text) })),
    syntax: doc.syntax.map((s) => ({ line: s.range.start.line, endLine: s.range.end.line, message: s.message })),
  };
}

/** Edits that replace whitespace with whitespace only, never overlap, and each change something. */
function assertWhitespaceEdits(text: string, edits: TextEdit[]): void {
  const index = new LineIndex(text);
  let end = -1;
  for (const e of edits) {
    const a = index.offsetAt(e.range.start);
    const b = index.offsetAt(e.range.end);
    assert.ok(a >= end, `edits overlap or are out of order at offset ${a}`);
    end = b;
    const old = text.slice(a, b);
    assert.match(old, /^[ \t\f\r\n]*$/, `an edit replaces more than whitespace: ${JSON.stringify(old)}`);
    assert.match(e.newText, /^[ \r\n]*$/, `an edit writes more than spaces and line breaks: ${JSON.stringify(e.newText)}`);
    assert.notEqual(old, e.newText, 'an edit that changes nothing');
  }
}

const format = (kind: FileKind, text: string, options?: FormatOptions) => applyEdits(text, formatDocument(kind, text, options));

/** Formats, checks the edits and that formatting again does nothing, and returns the formatted text. */
function formatted(kind: FileKind, text: string, options?: FormatOptions): string {
  const edits = formatDocument(kind, text, options);
  assertWhitespaceEdits(text, edits);
  const out = applyEdits(text, edits);
  assert.deepEqual(formatDocument(kind, out, options), [], 'formatting the formatted text changes nothing');
  return out;
}

// ------------------------------------------------------------------------------------------- every fixture

describe('every fixture and example keeps its data', () => {
  test('the walk finds files of all three kinds', () => {
    const kinds = new Set(FILES.map((f) => kindOf(path.basename(f))));
    assert.deepEqual([...kinds].sort(), ['acns-meta', 'cupm-properties', 'upgrade-manifest']);
    assert.ok(FILES.length >= 300, `only ${FILES.length} files`);
  });

  for (const file of FILES) {
    const rel = path.relative(ROOT, file);
    const kind = kindOf(path.basename(file))!;
    test(rel, () => {
      const { text } = decodeBytes(fs.readFileSync(file));
      const edits = formatDocument(kind, text);
      assertWhitespaceEdits(text, edits);
      const out = applyEdits(text, edits);
      assert.deepEqual(formatDocument(kind, out), [], 'idempotent');
      if (kind === 'upgrade-manifest') {
        if (yamlHasErrors(text)) assert.deepEqual(edits, [], 'a file with YAML errors is left alone');
        assert.deepEqual(yamlData(out), yamlData(text));
        assert.deepEqual(yamlComments(out), yamlComments(text));
      } else {
        assert.deepEqual(kvData(kind, out), kvData(kind, text));
      }
    });
  }

  test('a manifest re-indented with 4 spaces (every fixture that stays valid) formats back to the original', () => {
    let checked = 0;
    for (const file of FILES.filter((f) => kindOf(path.basename(f)) === 'upgrade-manifest')) {
      const { text } = decodeBytes(fs.readFileSync(file));
      // Doubling every line's indentation keeps most manifests valid (not a compact `- key:` whose next key then
      // sits deeper than the first); multi-line flow collections keep their inner layout, so they are skipped.
      const wide = text.replace(/^( +)/gm, '$1$1');
      if (wide === text || yamlHasErrors(text) || yamlHasErrors(wide) || /[[{,][ \t]*$/m.test(text)) continue;
      const out = formatted('upgrade-manifest', wide);
      assert.deepEqual(yamlData(out), yamlData(wide), path.relative(ROOT, file));
      assert.equal(out, text, path.relative(ROOT, file));
      checked++;
    }
    assert.ok(checked >= 100, `only ${checked} manifests checked`);
  });
});

// ------------------------------------------------------------------------------------------------ manifests

describe('manifests', () => {
  test('a badly indented manifest: 4-space and mixed indentation, wide blanks, trailing blanks, block scalars, comments', () => {
    const text = [
      '# Plan for the Osaka edge   ',
      'manifestVersion:    1',
      'product: acns   ',
      "title:   'Osaka edge upgrade'",
      'nodes:',
      '    -   name: ce-1',
      '        role:   content-engine',
      '        notes: >',
      '            folded text   ',
      '              more indented  ',
      '',
      '            last',
      '    # the router',
      '    -   name: cr-1',
      '        role: content-router',
      'steps:',
      '  - id: s1',
      '    action: upgrade',
      '    node:     ce-1',
      '    note: |',
      '        reboot after install   ',
      '          indented line  ',
      '   ',
      '        # not a comment',
      '      # comment between steps',
      '  -  id: s2',
      '     action: upgrade   # inline comment',
      '     node: cr-1',
      '# end of steps',
      '',
      '',
    ].join('\n');
    const expected = [
      '# Plan for the Osaka edge',
      'manifestVersion: 1',
      'product: acns',
      "title: 'Osaka edge upgrade'",
      'nodes:',
      '  - name: ce-1',
      '    role: content-engine',
      '    notes: >',
      // The block scalar moves with its key (4 columns left): its text, trailing blanks included, is the same.
      '        folded text   ',
      '          more indented  ',
      '',
      '        last',
      '  # the router',
      '  - name: cr-1',
      '    role: content-router',
      'steps:',
      '  - id: s1',
      '    action: upgrade',
      '    node: ce-1',
      '    note: |',
      '        reboot after install   ',
      '          indented line  ',
      // A line of blanks inside a block scalar moves with it; it is an empty line either way.
      '   ',
      '        # not a comment',
      '    # comment between steps',
      '  - id: s2',
      '    action: upgrade   # inline comment',
      '    node: cr-1',
      '# end of steps',
      '',
    ].join('\n');
    const out = formatted('upgrade-manifest', text);
    assert.equal(out, expected);
    assert.deepEqual(yamlData(out), yamlData(text));
    assert.deepEqual(yamlComments(out), yamlComments(text));
    const note = (parseAllDocuments(out)[0].toJS() as { steps: { note: string }[] }).steps[0].note;
    assert.equal(note, 'reboot after install   \n  indented line  \n\n# not a comment\n');
  });

  test('tabSize sets the indentation; a sequence written at its key indentation stays so', () => {
    const text = 'nodes:\n- name: a\n  env:\n   k: v\nsteps:\n  - id: s\n';
    assert.equal(formatted('upgrade-manifest', text, { tabSize: 4 }), 'nodes:\n- name: a\n  env:\n      k: v\nsteps:\n    - id: s\n');
    assert.equal(formatted('upgrade-manifest', text, { tabSize: 2, insertSpaces: false }), 'nodes:\n- name: a\n  env:\n    k: v\nsteps:\n  - id: s\n');
  });

  test('multi-document files: each document formatted, markers, directives and comments kept', () => {
    const text = '%YAML 1.2\n--- # first\nproduct:    acns\nnodes:\n    - name: a\n...\n---\nproduct: cupm   \nsteps:\n   -    id: x\n';
    const out = formatted('upgrade-manifest', text);
    assert.equal(out, '%YAML 1.2\n--- # first\nproduct: acns\nnodes:\n  - name: a\n...\n---\nproduct: cupm\nsteps:\n  - id: x\n');
    assert.deepEqual(yamlData(out), yamlData(text));
  });

  test('CRLF stays CRLF; a missing final line break is added with it; extra blank lines at the end go', () => {
    assert.equal(formatted('upgrade-manifest', 'a:\r\n    b:   1  \r\n    c: 2'), 'a:\r\n  b: 1\r\n  c: 2\r\n');
    assert.equal(formatted('upgrade-manifest', 'a: 1\n\n   \n\n'), 'a: 1\n');
  });

  test('quoted, multi-line plain scalars and flow collections are not reflowed; they move with their key', () => {
    const text = ['top:', '    q: "multi  ', '        line\\ ', '        end"', '    p: plain   ', '        more', '    f: [1,  ', '          2]', ''].join(
      '\n',
    );
    const out = formatted('upgrade-manifest', text);
    assert.equal(out, ['top:', '  q: "multi  ', '      line\\ ', '      end"', '  p: plain   ', '      more', '  f: [1,  ', '        2]', ''].join('\n'));
    assert.deepEqual(yamlData(out), yamlData(text));
  });

  test('block scalars: explicit indentation, keep chomping at the end, no line break added after a final body', () => {
    const text = 'a:\n    b: |2\n          two more\n        base\n    c: |+\n        kept\n\n\n';
    const out = formatted('upgrade-manifest', text);
    assert.equal(out, 'a:\n  b: |2\n        two more\n      base\n  c: |+\n      kept\n\n\n');
    assert.deepEqual(yamlData(out), yamlData(text));
    assert.deepEqual(formatDocument('upgrade-manifest', 'a: |\n  text  '), [], 'the final line of a body is left as it is');
  });

  test('anchors, aliases and tags keep their places; an alias key keeps the blank before its colon', () => {
    const text = 'base: &b\n    k:   v\nname: &n x\nkey  : *b\n*n : y\nt:    !!str 5\n';
    const out = formatted('upgrade-manifest', text);
    assert.equal(out, 'base: &b\n  k: v\nname: &n x\nkey: *b\n*n : y\nt: !!str 5\n');
    assert.deepEqual(yamlData(out), yamlData(text));
  });

  test('an already formatted manifest gets no edits; one bad line gets edits on that line only', () => {
    const good = 'manifestVersion: 1\nproduct: acns\nnodes:\n  - name: ce-1\n    role: content-engine\n';
    assert.deepEqual(formatDocument('upgrade-manifest', good), []);
    const edits = formatDocument('upgrade-manifest', good.replace('role: ', 'role:    '));
    assert.deepEqual(edits, [{ range: { start: { line: 4, character: 9 }, end: { line: 4, character: 13 } }, newText: ' ' }]);
  });

  test('a file with a syntax error, a duplicate key, a tab indentation or an explicit key gets no edits', () => {
    for (const text of [
      'a:   1\nb: "open\n',
      'a:   1\na: 2\n',
      'a:\n\tb:   1\n',
      'a:    [1, 2\n',
      '? a\n:    b\n',
      'x:   1\r  y: 2\n', // a lone CR
    ])
      assert.deepEqual(formatDocument('upgrade-manifest', text), [], JSON.stringify(text));
  });
});

// ------------------------------------------------------------------------------------------------ meta files

describe('meta files', () => {
  test('a CRLF meta file: blanks before the key and `=` go, blanks after it become one, the value and its trailing blanks stay', () => {
    const text = [
      '# ACNS 5.1.3 image  ',
      '  updateFileSize = 97205475',
      '  version =  5.1.3',
      'description=  Tokyo  edge  ',
      '   ',
      'updateFileUrl\t=\tftp://h.example.com/ACNS-5.1.3-K9.bin',
      'not a key line   ',
      'user =anonymous',
    ].join('\r\n');
    const expected = [
      '# ACNS 5.1.3 image',
      'updateFileSize= 97205475',
      'version= 5.1.3',
      'description= Tokyo  edge  ',
      '',
      'updateFileUrl= ftp://h.example.com/ACNS-5.1.3-K9.bin',
      'not a key line   ', // a syntax problem: left as written
      'user=anonymous',
      '',
    ].join('\r\n');
    const out = formatted('acns-meta', text);
    assert.equal(out, expected);
    assert.deepEqual(kvData('acns-meta', out), kvData('acns-meta', text));
  });

  test("the guide's form is already formatted; an empty value loses the blanks after `=`", () => {
    assert.deepEqual(formatDocument('acns-meta', 'updateFileSize=97205475\nversion= 5.1.0.b.26\nuser=anonymous\n'), []);
    assert.equal(formatted('acns-meta', 'description =   \n'), 'description=\n');
  });
});

// --------------------------------------------------------------------------------------------- dfc.properties

describe('dfc.properties', () => {
  test('a value ending in blanks and a continuation line: the value and the continuation are never touched', () => {
    const text = [
      '# CUPM 8.5 database  ',
      '  dfc.postgres.host = cupm-db01  ',
      'dfc.postgres.port :  5432',
      'dfc.description = first part \\',
      '      second part   ',
      'dfc.hash = \\',
      '  # not a comment: the value  ',
      '  dfc.note = \\',
      '    on the next line',
      'dfc.webport    80',
      'dfc.flag   ',
      'dfc.bad = \\u00zz',
      '! bang comment\t',
    ].join('\n');
    const expected = [
      '# CUPM 8.5 database',
      'dfc.postgres.host=cupm-db01  ',
      'dfc.postgres.port:5432',
      'dfc.description=first part \\',
      '      second part   ',
      'dfc.hash = \\', // its value starts on the next line, which only looks like a comment
      '  # not a comment: the value  ',
      'dfc.note = \\', // the value starts on the continuation line: only the indentation goes
      '    on the next line',
      'dfc.webport 80',
      'dfc.flag   ', // a blank separator before an empty value stays
      'dfc.bad = \\u00zz', // a syntax problem: left as written
      '! bang comment',
      '',
    ].join('\n');
    const out = formatted('cupm-properties', text);
    assert.equal(out, expected);
    assert.deepEqual(kvData('cupm-properties', out), kvData('cupm-properties', text));
    const e = parseProperties(out).entries.find((x) => x.key === 'dfc.postgres.host')!;
    assert.equal(e.trailing?.text, '  ', 'Java keeps the blanks after the value');
  });

  test('a key with escaped `=`, blanks and backslashes keeps its characters', () => {
    const text = '  a\\=b = c\nkey\\ with\\ blanks  =  v\nx\\\\ = y\nends = a\\\\\n   next = 1\n';
    const out = formatted('cupm-properties', text);
    assert.equal(out, 'a\\=b=c\nkey\\ with\\ blanks=v\nx\\\\=y\nends=a\\\\\nnext=1\n');
    assert.deepEqual(
      parseProperties(out).entries.map((e) => [e.key, e.value]),
      [
        ['a=b', 'c'],
        ['key with blanks', 'v'],
        ['x\\', 'y'],
        ['ends', 'a\\'], // an even number of backslashes: no continuation
        ['next', '1'],
      ],
    );
  });

  test('a continuation backslash on the last line: no final line break is added', () => {
    assert.deepEqual(formatDocument('cupm-properties', 'dfc.webport=80\ndfc.x=a\\'), []);
    assert.equal(formatted('cupm-properties', 'dfc.webport=80'), 'dfc.webport=80\n');
  });
});

// ------------------------------------------------------------------------------------------ range formatting

describe('formatRange', () => {
  const lines = (r: Range, text: string, kind: FileKind) => formatRange(kind, text, r).map((e) => e.range.start.line);

  test('only edits on the lines of the range (a range ending at a line start leaves that line out)', () => {
    const text = '  a = 1\n  b = 2\n  c = 3\n';
    assert.deepEqual([...new Set(lines({ start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text, 'acns-meta'))], [1]);
    assert.deepEqual([...new Set(lines({ start: { line: 1, character: 3 }, end: { line: 2, character: 1 } }, text, 'acns-meta'))], [1, 2]);
  });

  test('a manifest range that would re-indent part of a block keeps only the edits that keep the data', () => {
    const text = 'nodes:\n    - name:   a\n    - name: b\n';
    const edits = formatRange('upgrade-manifest', text, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    const out = applyEdits(text, edits);
    assert.equal(out, 'nodes:\n    - name: a\n    - name: b\n');
    assert.deepEqual(yamlData(out), yamlData(text));
    const whole = formatRange('upgrade-manifest', text, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } });
    assert.equal(applyEdits(text, whole), 'nodes:\n  - name: a\n  - name: b\n');
  });
});

// --------------------------------------------------------------------------------------------- hostile input

describe('hostile input', () => {
  /** Best of three runs, in milliseconds. */
  const ms = (f: () => unknown) => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      f();
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };
  const SIZE = 100 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length));

  test('100 KB files format in time proportional to parsing them (no quadratic step, no regex backtracking)', () => {
    const steps = 'steps:\n' + fill('    -   id: s   \n        action:    upgrade\n        # note  \n        run: |\n            echo  \n');
    // 60 levels of 3-space indentation (the nesting limit is 64), repeated under distinct top-level keys.
    const stairs = (r: number) => Array.from({ length: 60 }, (_, d) => '   '.repeat(d) + `k${d}_${r}:\n`).join('') + '   '.repeat(60) + 'v: 1\n';
    let deep = '';
    for (let r = 0; deep.length < SIZE; r++) deep += stairs(r);
    const cases: [FileKind, string][] = [
      ['upgrade-manifest', steps],
      ['upgrade-manifest', deep],
      ['upgrade-manifest', '#' + ' '.repeat(SIZE) + 'x\na:   1\n'],
      ['upgrade-manifest', 'a: 1' + ' \t'.repeat(SIZE / 2) + '\n'],
      ['acns-meta', fill('  version =  5.1.3  \n')],
      ['acns-meta', ' '.repeat(SIZE) + '\n#' + ' \t'.repeat(SIZE / 2) + '\n'],
      ['cupm-properties', fill(' a = b \\\n  c\\\\\n')],
      ['cupm-properties', 'a=' + '\\'.repeat(SIZE) + '\n' + 'b' + ' '.repeat(SIZE) + '=' + ' '.repeat(SIZE) + 'c\n'],
    ];
    for (const [kind, text] of cases) {
      const base = kind === 'upgrade-manifest' ? ms(() => parseAllDocuments(text)) : ms(() => (kind === 'acns-meta' ? parseMeta(text) : parseProperties(text)));
      let edits: TextEdit[] = [];
      const took = ms(() => (edits = formatDocument(kind, text)));
      assert.ok(took < 500 + 8 * base, `${kind} ${JSON.stringify(text.slice(0, 40))}…: ${took.toFixed(0)} ms (parsing ${base.toFixed(0)} ms)`);
      assert.ok(edits.length > 0, `${kind} ${JSON.stringify(text.slice(0, 40))}…: nothing was formatted`);
      assert.deepEqual(formatDocument(kind, applyEdits(text, edits)), []);
    }
  });

  test('deep nesting is refused before parsing, at once', () => {
    for (const text of [
      '['.repeat(SIZE),
      '{a: '.repeat(SIZE / 4),
      fill('- '),
      Array.from({ length: 300 }, (_, d) => ' '.repeat(d) + `k${d}:`).join('\n') + '\n',
    ]) {
      let edits: TextEdit[] = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'x' }];
      const took = ms(() => (edits = formatDocument('upgrade-manifest', text)));
      assert.deepEqual(edits, []);
      assert.ok(took < 1000, `${JSON.stringify(text.slice(0, 20))}…: ${took.toFixed(0)} ms`);
    }
  });

  test('binary content and empty text get no edits', () => {
    assert.deepEqual(formatDocument('acns-meta', '\u0000\u0001  a = b\n'), []);
    assert.deepEqual(formatDocument('upgrade-manifest', ''), []);
    assert.equal(format('cupm-properties', ''), '');
  });
});

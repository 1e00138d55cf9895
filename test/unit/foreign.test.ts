/**
 * `*.meta` files of other formats (Unity's YAML metadata, Cocos Creator's JSON) are declined by the acns-meta kind:
 * no diagnostics, no services. Every ACNS meta file in the repository, and broken ones, must still be claimed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { foreignMetaFormat, SNIFF_CHARS } from '../../server/engine/kinds/foreign';
import { kindModule } from '../../server/engine/kinds/index';
import { lint } from '../../server/engine/lint';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const UNITY = path.join(ROOT, 'test', 'fixtures', 'foreign-meta', 'unity-project', 'Assets');
const read = (p: string) => fs.readFileSync(p, 'utf8');

function metaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...metaFiles(p));
    else if (/\.meta$/i.test(e.name)) out.push(p);
  }
  return out;
}

const UNITY_SAMPLES: Record<string, string> = {
  'folder meta (folderAsset: yes)': read(path.join(UNITY, 'Textures.meta')),
  'folder meta of Unity 5 (timeCreated, licenseType)': read(path.join(UNITY, 'Scripts.meta')),
  'script (MonoImporter)': read(path.join(UNITY, 'Scripts', 'Player.cs.meta')),
  'texture with nested YAML, over the sniffed head': read(path.join(UNITY, 'Textures', 'logo.png.meta')),
  'plugin with `: Any` keys and a `=` in userData': read(path.join(UNITY, 'Plugins', 'libbridge.a.meta')),
  'asset meta with CRLF line ends': read(path.join(UNITY, 'Data', 'config.asset.meta')),
  'the two lines tools write for a new asset': 'fileFormatVersion: 2\nguid: 4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5a\n',
  'with a byte-order mark': '\uFEFFfileFormatVersion: 2\nguid: 4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5a\nDefaultImporter:\n  userData: \n',
  'upper-case GUID, guid first': 'guid: 4F1C9E2B7A3D4C5E8B6A0F1E2D3C4B5A\nfileFormatVersion: 2\n',
  'a comment and blank lines first': '# generated\n\nfileFormatVersion: 2\nguid: 4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5a\n',
};

test('Unity metadata files are recognised, from folder metas to texture metas', () => {
  assert.ok(read(path.join(UNITY, 'Textures', 'logo.png.meta')).length > SNIFF_CHARS, 'the texture sample is longer than the sniffed head');
  for (const [name, text] of Object.entries(UNITY_SAMPLES)) assert.equal(foreignMetaFormat(text), 'unity-yaml', name);
});

test('other formats with positive evidence: a Cocos Creator JSON meta, a YAML document with a directive', () => {
  const cocos = read(path.join(ROOT, 'test', 'fixtures', 'foreign-meta', 'cocos-project', 'assets', 'logo.png.meta'));
  assert.equal(foreignMetaFormat(cocos), 'json');
  assert.equal(foreignMetaFormat('{"ver":"1.1.0","importer":"prefab","uuid":"0f1e2d3c"}'), 'json');
  assert.equal(foreignMetaFormat('{}\n'), 'json');
  assert.equal(foreignMetaFormat('%YAML 1.1\n%TAG !u! tag:unity3d.com,2011:\n--- !u!114 &1\n'), 'yaml');
});

test('every ACNS meta file in examples, fixtures and the e2e workspace is claimed', () => {
  const files = ['examples', 'test'].flatMap((d) => metaFiles(path.join(ROOT, d))).filter((f) => !f.includes(`${path.sep}foreign-meta${path.sep}`));
  assert.ok(files.length >= 50, `only ${files.length} meta files`);
  const declined = files.filter((f) => foreignMetaFormat(read(f)) !== undefined).map((f) => path.relative(ROOT, f));
  assert.deepEqual(declined, []);
  assert.equal(foreignMetaFormat(read(path.join(UNITY, 'StreamingAssets', 'ACNS-5.1.3.meta'))), undefined, 'the ACNS meta file inside a Unity project');
});

test('broken ACNS meta files are claimed: wrong case, `:` for `=`, no keys at all', () => {
  const broken = {
    'lower-case keys': 'updatefilesize=97205475\nversion=5.1.3\nupdatefileurl=ftp://h/ACNS-5.1.3-K9.bin\n',
    'YAML-style colons throughout': 'updateFileSize: 97205475\nversion: 5.1.3\nupdateFileUrl: ftp://h/ACNS-5.1.3-K9.bin\n',
    'one colon typo': 'updateFileSize=97205475\nversion: 5.1.3\n',
    'comments only': '# to be filled in by the NOC\n',
    empty: '',
    blanks: '\n  \n\t\n',
    'a checksum of 32 hex digits': 'md5sum=0f343b0931126a20f133d67c2b018a3b\nupdateFileSize=1\n',
    'a guid key written the ACNS way': 'guid=4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5a\nversion=5.1.3\n',
    'Unity-looking first line, ACNS lines after it': 'fileFormatVersion: 2\nupdateFileSize=97205475\nversion=5.1.3\n',
    'a GUID line among ACNS lines': 'updateFileSize=97205475\nguid: 4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5a\nversion=5.1.3\n',
    'a value that is not a version number': 'fileFormatVersion: two\n',
    'a GUID one digit short': 'guid: 4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5\n',
    'a brace that opens no JSON object': '{updateFileSize=1}\n',
    'a JSON object with ACNS lines after it': '{"a": 1}\nupdateFileSize=97205475\n',
  };
  for (const [name, text] of Object.entries(broken)) assert.equal(foreignMetaFormat(text), undefined, name);
});

test('the decision reads only the head: cheap on a 10 MB text, and evidence past the head is not looked for', () => {
  const big = 'fileFormatVersion: 2\nguid: 4f1c9e2b7a3d4c5e8b6a0f1e2d3c4b5a\n' + '  userData: x\n'.repeat(800_000);
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) assert.equal(foreignMetaFormat(big), 'unity-yaml');
  assert.ok(performance.now() - t0 < 1000, `100 decisions took ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(foreignMetaFormat('#'.repeat(SNIFF_CHARS) + '\nfileFormatVersion: 2\n'), undefined);
});

test('lint: a Unity .meta gets no diagnostics at all, whatever the settings; the result says why', () => {
  for (const [name, text] of Object.entries(UNITY_SAMPLES)) {
    const r = lint({ text, kind: 'acns-meta', path: '/p/Assets/x.meta' }, { rules: { 'meta/*': 'error' }, maxFileSize: 1024 });
    assert.deepEqual(r.diagnostics, [], name);
    assert.equal(r.foreign, 'unity-yaml', name);
  }
  // Before this, each of them had a screenful of errors: the same text as ACNS content would.
  const claimed = lint({ text: 'fileFormatVersion=2\n', kind: 'acns-meta' });
  assert.equal(claimed.foreign, undefined);
  assert.ok(claimed.diagnostics.length >= 3, JSON.stringify(claimed.diagnostics.map((d) => d.rule)));
});

test('the editor services offer nothing in a Unity .meta (and still do in an ACNS one)', () => {
  const k = kindModule('acns-meta');
  const env = { imageSearchPaths: [] };
  const unity = UNITY_SAMPLES['script (MonoImporter)'];
  const acns = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= ftp://h.example.com/ACNS-5.1.3-K9.bin\n';
  const pos = { line: 0, character: 3 };
  assert.equal(k.hover(unity, pos, [], 'en'), undefined);
  assert.deepEqual(k.completion(unity, { line: 11, character: 0 }, 'en', env), []);
  assert.deepEqual(k.symbols(unity), []);
  assert.deepEqual(k.links(unity, undefined, 'en'), []);
  assert.ok(k.hover(acns, pos, [], 'en'));
  assert.ok(k.completion(acns, { line: 3, character: 0 }, 'en', env).length > 0);
  assert.equal(k.symbols(acns).length, 3);
  assert.equal(k.links(acns, undefined, 'en').length, 1);
});

test('the VS Code client decides with the same function, and the module can go into its bundle (it imports nothing)', () => {
  const client = read(path.join(ROOT, 'client', 'extension.ts'));
  assert.match(client, /import \{[^}]*\bforeignMetaFormat\b[^}]*\} from '\.\.\/server\/engine\/kinds\/foreign';/);
  assert.match(client, /setTextDocumentLanguage\(doc, FOREIGN_LANGUAGE\[format\]\)/);
  assert.doesNotMatch(read(path.join(ROOT, 'server', 'engine', 'kinds', 'foreign.ts')), /^import /m);
});

/**
 * The editor services, one feature at a time, called directly on small texts: hover, completion, definition and
 * references, symbols, links. A `‸` in a fixture marks the cursor (the fixtures contain no other `‸`).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../server/engine/lint';
import { kvCompletion, manifestCompletion } from '../../server/engine/services/completion';
import { kvHover, manifestHover } from '../../server/engine/services/hover';
import { kvLinks, manifestLinks } from '../../server/engine/services/links';
import { manifestDefinition, manifestReferencedFiles, manifestReferences } from '../../server/engine/services/navigation';
import { kvSymbols, manifestSymbols } from '../../server/engine/services/symbols';
import type { FileKind, Position, Range } from '../../server/engine/types';

const CURSOR = '‸';

/** The text without its one cursor marker, and the marker's position. */
function cursor(marked: string): { text: string; pos: Position } {
  const at = marked.indexOf(CURSOR);
  assert.ok(at >= 0 && marked.indexOf(CURSOR, at + 1) < 0, 'exactly one cursor marker');
  const before = marked.slice(0, at).split('\n');
  return { text: marked.slice(0, at) + marked.slice(at + CURSOR.length), pos: { line: before.length - 1, character: before[before.length - 1].length } };
}

const range = (line: number, start: number, end: number, endLine = line): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});
const diagnosticsOf = (kind: FileKind, text: string) => lint({ text, kind }, { locale: 'en' }).diagnostics;

const META = 'updateFileSize=97205475\nversion=5.1.3\nupdateFileUrl=http://h.example.com:8080/ACNS-5.1.3-TO-4.2.1-K9.bin\n';
const PROPS = 'dfc.webport=80\ndfc.postgres.host=db1\n';
const MANIFEST = [
  'manifestVersion: 1',
  'product: acns',
  'title: Edge upgrade',
  'from: 5.1.3',
  'to: 5.3.1',
  'metaFile: images/acns.meta',
  'nodes:',
  '  - name: ce-1',
  '    role: content-engine',
  '    address: 10.0.0.5',
  '  - name: cdm-1',
  '    role: cdm-primary',
  'steps:',
  '  - id: s1',
  '    action: upgrade',
  '    node: ce-1',
  '  - id: s2',
  '    action: upgrade',
  '    node: cdm-1',
  '',
].join('\n');
/** MANIFEST with the cursor marker put at `column` of line `line`. */
const manifestAt = (line: number, column: number) => {
  const lines = MANIFEST.split('\n');
  lines[line] = lines[line].slice(0, column) + CURSOR + lines[line].slice(column);
  return lines.join('\n');
};

test('the cursor helper removes the marker and returns its position', () => {
  assert.deepEqual(cursor('ab\nc‸d\n'), { text: 'ab\ncd\n', pos: { line: 1, character: 1 } });
  assert.deepEqual(cursor('‸x'), { text: 'x', pos: { line: 0, character: 0 } });
});

// ------------------------------------------------------------------------------------------------------ hover

test('hover on a meta key shows its title, description and facts over the key range', () => {
  const { text, pos } = cursor('updateFileSize=97205475\nver‸sion=5.1.3\n');
  const h = kvHover('acns-meta', text, pos, [], 'en');
  assert.ok(h);
  assert.match(h.markdown, /^\*\*version\*\* — software version/);
  assert.match(h.markdown, /- Required/);
  assert.match(h.markdown, /Cisco ACNS 5\.x software upgrade guide, 002-10 in the guide coverage map/, 'the source reference is named');
  assert.deepEqual(h.range, range(1, 0, 7));
});

test('hover on a dfc.properties value shows the key, the rule of the diagnostic and the reserved port owner', () => {
  const { text, pos } = cursor('dfc.webport=460‸09\n');
  const diagnostics = diagnosticsOf('cupm-properties', text);
  assert.ok(diagnostics.some((d) => d.rule === 'dfc/reserved-port'));
  const h = kvHover('cupm-properties', text, pos, diagnostics, 'en');
  assert.ok(h);
  const parts = h.markdown.split('\n\n---\n\n');
  assert.match(parts[0], /^\*\*dfc\/reserved-port\*\* — /, 'the rule comes first');
  assert.ok(parts.some((p) => p.startsWith('**dfc.webport** — Apache web server port')));
  assert.ok(parts.some((p) => p.includes('46009')));
  assert.deepEqual(h.range, range(0, 12, 17));
  assert.equal(kvHover('cupm-properties', 'dfc.webport=80\n', { line: 0, character: 13 }, [], 'en')?.markdown.includes('Default: `80`'), true);
});

test('hover on a manifest node reference describes the declared node', () => {
  const { text, pos } = cursor(manifestAt(15, 11));
  const h = manifestHover(text, pos, [], 'en');
  assert.ok(h);
  assert.match(h.markdown, /\*\*ce-1\*\*/);
  assert.match(h.markdown, /content-engine/);
  assert.match(h.markdown, /10\.0\.0\.5/);
  assert.deepEqual(h.range, range(15, 10, 14));
});

test('hover on a manifest from/to shows the property and the upgrade path', () => {
  const { text, pos } = cursor(manifestAt(3, 8));
  const h = manifestHover(text, pos, [], 'en');
  assert.ok(h);
  assert.match(h.markdown, /^\*\*from\*\* — current version/);
  assert.match(h.markdown, /\*\*Upgrade path\*\*: 5\.1\.3 → 5\.3\.1/);
  assert.deepEqual(h.range, range(3, 6, 11));
  assert.equal(manifestHover(cursor(manifestAt(2, 0)).text, { line: 99, character: 0 }, [], 'en'), undefined, 'nothing under a clamped position past the end');
});

// ------------------------------------------------------------------------------------------------- completion

test('completion at the start of a meta line offers the keys not present yet, required first', () => {
  const { text, pos } = cursor('version=5.1.3\n‸\n');
  const items = kvCompletion('acns-meta', text, pos, 'en');
  const labels = items.map((i) => i.label);
  assert.ok(!labels.includes('version'), 'a present key is not offered');
  assert.ok(labels.includes('updateFileSize') && labels.includes('updateFileUrl') && labels.includes('CDM-IP'));
  const size = items.find((i) => i.label === 'updateFileSize')!;
  assert.equal(size.insertText, 'updateFileSize=$1');
  assert.equal(size.snippet, true);
  assert.equal(size.kind, 'property');
  assert.match(size.detail ?? '', /image size/);
  assert.match(size.documentation ?? '', /^\*\*updateFileSize\*\* — image size/);
  const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
  assert.deepEqual(
    sorted.slice(0, 2).map((i) => i.label),
    ['updateFileSize', 'updateFileUrl'],
  );
});

test('completion of a meta version offers the version the image installs', () => {
  const { text, pos } = cursor('updateFileUrl=http://h.example.com/ACNS-5.1.3-TO-4.2.1-K9.bin\nversion=‸\n');
  const items = kvCompletion('acns-meta', text, pos, 'en');
  assert.deepEqual(
    items.map((i) => [i.label, i.kind]),
    [['4.2.1', 'value']],
  );
  assert.match(items[0].detail ?? '', /ACNS-5\.1\.3-TO-4\.2\.1-K9\.bin/);
  assert.deepEqual(items[0].range, range(1, 8, 8));
});

test('completion of a dfc.properties value offers the default; of a key, the other keys', () => {
  const v = cursor('dfc.webport=‸\n');
  const values = kvCompletion('cupm-properties', v.text, v.pos, 'en');
  assert.equal(values[0]?.label, '80');
  assert.equal(values[0]?.kind, 'value');
  const k = cursor('dfc.webport=80\ndfc.jb‸\n');
  const keys = kvCompletion('cupm-properties', k.text, k.pos, 'en');
  assert.ok(keys.some((i) => i.label === 'dfc.jboss.port'));
  assert.ok(!keys.some((i) => i.label === 'dfc.webport'));
  assert.deepEqual(keys[0].range, range(1, 0, 6));
});

test('completion of a step node in a manifest offers the declared node names', () => {
  const { text, pos } = cursor(MANIFEST.replace('    node: cdm-1', '    node: ‸'));
  const items = manifestCompletion(text, pos, 'en');
  assert.deepEqual(
    items.map((i) => i.label),
    ['ce-1', 'cdm-1'],
  );
  assert.ok(items.every((i) => i.kind === 'reference'));
  assert.equal(items[0].detail, 'content-engine · 10.0.0.5');
});

test('completion of manifest keys offers the keys of the mapping not present yet; of a role, the product roles', () => {
  const k = cursor(MANIFEST.replace('    address: 10.0.0.5', '    ‸'));
  const keys = manifestCompletion(k.text, k.pos, 'en').map((i) => i.label);
  assert.ok(keys.includes('address') && keys.includes('hardware'), keys.join());
  assert.ok(!keys.includes('name') && !keys.includes('role'), 'present keys are not offered');
  const r = cursor(MANIFEST.replace('    role: cdm-primary', '    role: ‸'));
  const roles = manifestCompletion(r.text, r.pos, 'en').map((i) => i.label);
  assert.ok(roles.includes('content-engine') && roles.includes('cdm-primary'), roles.join());
});

test("completion in a step offers only its action's keys, never `nodes` beside `node`; services and targets of the product", () => {
  const k = cursor(MANIFEST.replace('  - id: s1\n    action: upgrade\n    node: ce-1', '  - id: s1\n    action: upgrade\n    node: ce-1\n    ‸'));
  const keys = manifestCompletion(k.text, k.pos, 'en').map((i) => i.label);
  assert.deepEqual([...keys].sort(), ['components', 'duration', 'method', 'note', 'switch', 'via'], keys.join());
  const b = cursor(MANIFEST.replace('  - id: s1\n    action: upgrade\n    node: ce-1', '  - id: s1\n    action: backup\n    nodes: [cdm-1]\n    ‸'));
  assert.deepEqual(
    manifestCompletion(b.text, b.pos, 'en')
      .map((i) => i.label)
      .sort(),
    ['duration', 'note', 'target'],
  );
  const t = cursor(MANIFEST.replace('  - id: s1\n    action: upgrade\n    node: ce-1', '  - id: s1\n    action: backup\n    node: cdm-1\n    target: ‸'));
  assert.deepEqual(
    manifestCompletion(t.text, t.pos, 'en').map((i) => i.label),
    ['cdm-database', 'cdm-dump'],
  );
  const sv = cursor(
    MANIFEST.replace('  - id: s1\n    action: upgrade\n    node: ce-1', '  - id: s1\n    action: stop-service\n    node: cdm-1\n    service: ‸'),
  );
  assert.deepEqual(
    manifestCompletion(sv.text, sv.pos, 'en').map((i) => i.label),
    ['cms'],
  );
});

// --------------------------------------------------------------------------------------- definition, references

test('definition from a step node lands on the name of the node declaration', () => {
  const { text, pos } = cursor(manifestAt(18, 12));
  assert.deepEqual(manifestDefinition(text, pos), { range: range(10, 10, 15) });
  assert.equal(manifestDefinition(cursor(manifestAt(18, 5)).text, cursor(manifestAt(18, 5)).pos), undefined, 'no definition on a key');
});

test('definition from metaFile opens the meta file next to the manifest', () => {
  const { text, pos } = cursor(manifestAt(5, 14));
  const file = path.resolve('/ws/manifests/edge.yaml');
  assert.deepEqual(manifestDefinition(text, pos, file), { path: path.resolve('/ws/manifests/images/acns.meta'), range: range(0, 0, 0) });
  assert.equal(manifestDefinition(text, pos), undefined, 'no file without the manifest path');
});

test('references of a node name: every step that uses it, with or without the declaration', () => {
  const fromDecl = cursor(manifestAt(7, 11));
  assert.deepEqual(manifestReferences(fromDecl.text, fromDecl.pos, true), [range(7, 10, 14), range(15, 10, 14)]);
  const fromUse = cursor(manifestAt(15, 12));
  assert.deepEqual(manifestReferences(fromUse.text, fromUse.pos, false), [range(15, 10, 14)]);
  assert.deepEqual(manifestReferencedFiles(MANIFEST, path.resolve('/ws/m.yaml')), [path.resolve('/ws/images/acns.meta')]);
});

// ----------------------------------------------------------------------------------------------------- symbols

test('symbols of meta and dfc.properties files list their entries', () => {
  const meta = kvSymbols('acns-meta', META);
  assert.deepEqual(
    meta.map((s) => [s.name, s.detail]),
    [
      ['updateFileSize', '97205475'],
      ['version', '5.1.3'],
      ['updateFileUrl', 'http://h.example.com:8080/ACNS-5.1.3-TO-4.2.1-K9.bin'],
    ],
  );
  assert.deepEqual(meta[1].selectionRange, range(1, 0, 7));
  assert.deepEqual(meta[1].range, range(1, 0, 13));
  const props = kvSymbols('cupm-properties', PROPS);
  assert.deepEqual(
    props.map((s) => s.name),
    ['dfc.webport', 'dfc.postgres.host'],
  );
  assert.equal(props[1].detail, 'db1');
});

test('symbols of a manifest: the document, its nodes and its steps', () => {
  const [doc, ...rest] = manifestSymbols(MANIFEST);
  assert.equal(rest.length, 0);
  assert.equal(doc.name, 'Edge upgrade');
  assert.equal(doc.detail, 'acns');
  assert.equal(doc.kind, 'document');
  const [nodes, steps] = doc.children;
  assert.deepEqual([nodes.name, nodes.detail, steps.name, steps.detail], ['nodes', '2', 'steps', '2']);
  assert.deepEqual(
    nodes.children.map((n) => [n.name, n.detail, n.kind]),
    [
      ['ce-1', 'content-engine', 'node'],
      ['cdm-1', 'cdm-primary', 'node'],
    ],
  );
  assert.deepEqual(
    steps.children.map((s) => [s.name, s.detail, s.kind]),
    [
      ['s1', 'upgrade · ce-1', 'step'],
      ['s2', 'upgrade · cdm-1', 'step'],
    ],
  );
  assert.deepEqual(steps.children[0].selectionRange, range(13, 8, 10));
});

// ------------------------------------------------------------------------------------------------------- links

test('links of a meta file point at the image URL; dfc.properties has none', () => {
  const links = kvLinks('acns-meta', META, 'en');
  assert.equal(links.length, 1);
  assert.equal(links[0].target, 'http://h.example.com:8080/ACNS-5.1.3-TO-4.2.1-K9.bin');
  assert.deepEqual(links[0].range, range(2, 14, 66));
  assert.ok(links[0].tooltip.length > 0);
  assert.deepEqual(kvLinks('acns-meta', 'updateFileUrl=file:///tmp/x.bin\n', 'en'), [], 'only http and ftp URLs');
  assert.deepEqual(kvLinks('cupm-properties', PROPS, 'en'), []);
});

test('links of a manifest point at the metaFile path next to the manifest', () => {
  const links = manifestLinks(MANIFEST, path.resolve('/ws/manifests/edge.yaml'));
  assert.deepEqual(links, [{ range: range(5, 10, 26), target: path.resolve('/ws/manifests/images/acns.meta') }]);
  assert.deepEqual(manifestLinks(MANIFEST), [], 'no links without the manifest path');
});

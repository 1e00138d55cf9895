/**
 * Parsing in pieces must never change a result: for every manifest fixture and example, generated manifests
 * and thousands of mutations of them, the file parsed in pieces (when its layout allows it) gives exactly what
 * the whole-file parse gives — the same data, the same pointer → range map in the same order, the same
 * document ranges, the same syntax problems (a piece with one is read again in its context).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clearPieces, loadYamlAsync, parsedInPieces, parseYaml, type YamlFile } from '../../server/engine/parse/yaml';
import { generated, manifests } from '../helpers/yaml-texts';
import { mutate, rng } from '../helpers/mutate';

const YAML_PIECES = [
  '  - id: new\n',
  '- ',
  '    ',
  '# c\n',
  '\n',
  '---\n',
  'key: v\n',
  '  x: |\n    a\n',
  '"',
  "'",
  ' #',
  '[',
  '{a: 1}',
  '&x ',
  '*x',
  '!!str ',
  '? ',
  '...\n',
  '%YAML 1.2\n',
  ':',
  '\t',
];

function yamlMutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 5)) {
    case 0:
      lines[i] = lines[i].replace(/^ */, (m) => ' '.repeat(Math.max(0, m.length + Math.floor(r() * 5) - 2)));
      break;
    case 1:
      lines.splice(i, 0, YAML_PIECES[Math.floor(r() * YAML_PIECES.length)].replace(/\n$/, ''));
      break;
    case 2: {
      const at = Math.floor(r() * (lines[i].length + 1));
      lines[i] = lines[i].slice(0, at) + YAML_PIECES[Math.floor(r() * YAML_PIECES.length)] + lines[i].slice(at);
      break;
    }
    case 3:
      return text.replace(/\n/g, '\r\n');
    default:
      return mutate(text, r);
  }
  return lines.join('\n');
}

function snapshot(file: YamlFile) {
  return file.docs.map((d) => ({
    value: d.value,
    start: d.start,
    end: d.end,
    aliasLimitHit: d.aliasLimitHit,
    hasErrors: !!d.hasErrors,
    at: [...d.at].map(([p, l]) => [p, l.start, l.end, l.range, l.keyRange ?? null]),
  }));
}

const norm = (it: Iterable<[string, { start: number; end: number; keyRange?: unknown }]>) => [...it].map(([p, l]) => [p, l.start, l.end, l.keyRange ?? null]);

let withErrors = 0; // files with syntax problems that were still read in pieces

function compare(text: string, groupLines: number): boolean {
  const pieces = parseYaml(text, 10000, 'chunked', groupLines);
  if (!parsedInPieces(pieces)) return false;
  if (pieces.syntax.length) withErrors++;
  const whole = parseYaml(text, 10000, 'whole');
  assert.deepEqual(pieces.syntax, whole.syntax, `syntax problems differ: ${JSON.stringify(text.slice(0, 300))}`);
  assert.equal(pieces.syntaxDropped, whole.syntaxDropped);
  assert.deepEqual(snapshot(pieces), snapshot(whole), `pieces differ from the whole parse: ${JSON.stringify(text.slice(0, 300))}`);
  // Lookups by pointer agree too (the map answers get() without iterating).
  for (const [i, d] of whole.docs.entries()) {
    for (const [p, l] of d.at)
      assert.deepEqual({ ...pieces.docs[i].at.get(p), keyRange: pieces.docs[i].at.get(p)?.keyRange ?? null }, { ...l, keyRange: l.keyRange ?? null }, p);
    assert.equal(pieces.docs[i].at.get('/nope/0'), undefined);
    // So do the lookups by offset that hover and go-to-definition use.
    for (let o = 0, step = Math.max(1, Math.floor(text.length / 40)); o <= text.length; o += step + (o % 3)) {
      assert.deepEqual(norm(pieces.docs[i].at.around(o)), norm(d.at.around(o)), `around(${o})`);
    }
  }
  return true;
}

test("parsing in pieces gives the whole parse's result: fixtures, examples and generated manifests", () => {
  const r = rng(7);
  const seeds = [...manifests(), ...Array.from({ length: 12 }, (_, i) => generated(5 + i * 7, r))];
  let accepted = 0;
  for (const text of seeds) for (const g of [1, 3, 40]) if (compare(text, g)) accepted++;
  // Most real manifests have the layout that allows pieces; if this drops, the splitter got stricter by mistake.
  assert.ok(accepted >= seeds.length * 2, `only ${accepted} of ${seeds.length * 3} parsed in pieces`);
});

test("parsing in pieces gives the whole parse's result on 6,000 mutated manifests", () => {
  const r = rng(20261122);
  const seeds = [...manifests(), ...Array.from({ length: 6 }, (_, i) => generated(10 + i * 5, r))];
  let accepted = 0,
    total = 0;
  while (total < 6000) {
    for (const s of seeds) {
      let text = s;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) text = yamlMutate(text, r);
      if (compare(text, 1 + Math.floor(r() * 4))) accepted++;
      total++;
    }
  }
  console.log(`pieces: ${accepted} of ${total} mutated manifests parsed in pieces (${withErrors} with syntax problems), all equal to the whole parse`);
  assert.ok(accepted > total / 4, `only ${accepted} of ${total} accepted: the comparison would prove little`);
  // A piece with a syntax problem is read in its context rather than sending the whole file to the slow parse.
  assert.ok(withErrors > total / 20, `only ${withErrors} with syntax problems read in pieces`);
});

test('anchors and aliases across pieces, and syntax problems, read in pieces as the whole parse reads them', () => {
  const r = rng(1616);
  let accepted = 0,
    total = 0;
  for (let k = 0; k < 60; k++) {
    const lines = generated(30 + k, r).split('\n');
    const at = (re: RegExp) => lines.map((l, i) => (re.test(l) ? i : -1)).filter((i) => i >= 0);
    const nodes = at(/^ *(- )? *node: ce-\d+$/);
    // An anchor on a scalar, one on a mapping (a step), one defined twice; aliases before and after them.
    lines[nodes[2]] = lines[nodes[2]].replace('node: ', 'node: &n ');
    if (k % 3 === 0) lines[nodes[nodes.length - 3]] = lines[nodes[nodes.length - 3]].replace('node: ', 'node: &n ');
    for (let a = 0; a < 4; a++) {
      const i = nodes[Math.floor(r() * nodes.length)];
      lines[i] = lines[i].replace(/node: (&n )?ce-\d+/, 'node: *n');
    }
    const ids = at(/^ *- id: s\d+$/);
    if (k % 2) lines[ids[1]] = lines[ids[1]].replace('- id:', '- &step id:');
    if (k % 2 && ids.length > 6) lines.splice(ids[ids.length - 2], 0, lines[ids[ids.length - 2]].replace(/id: .*/, '*step'));
    if (k % 5 === 1) lines.splice(5, 0, 'defaults: &d {method: gui}');
    if (k % 5 === 1) lines.push('extra: *d');
    // Now and then a syntax problem too (a key without its colon), away from or next to the aliases.
    if (k % 4 === 3) lines[ids[Math.floor(ids.length / 2)] + 1] = lines[ids[Math.floor(ids.length / 2)] + 1].replace(': ', ' ');
    const text = lines.join('\n');
    for (const g of [1, 3, 40]) {
      total++;
      if (compare(text, g)) accepted++;
    }
  }
  assert.ok(accepted > total / 2, `only ${accepted} of ${total} read in pieces`);
});

test('syntax problems and duplicate keys of several documents are listed as the whole parse lists them', () => {
  const r = rng(99);
  let accepted = 0;
  for (let k = 0; k < 12; k++) {
    const docs = [0, 1, 2].map(() =>
      generated(12 + k, r)
        .replace(/^# generated\n/, '')
        .split('\n'),
    );
    for (const [d, lines] of docs.entries()) {
      const ids = lines.map((l, i) => (/^ *- id: s\d+$/.test(l) ? i : -1)).filter((i) => i >= 0);
      // A duplicate key in a step, a key without its colon in another, in different documents and orders.
      if ((d + k) % 2 === 0) lines.splice(ids[2] + 1, 0, lines[ids[2]].replace('- id:', '  id:'));
      if ((d + k) % 3 !== 1) lines[ids[ids.length - 2] + 1] = lines[ids[ids.length - 2] + 1].replace(': ', ' ');
    }
    const text = docs.map((l) => l.join('\n')).join('---\n');
    for (const g of [1, 3]) if (compare(text, g)) accepted++;
  }
  assert.ok(accepted >= 12, `only ${accepted} of 24 read in pieces`);
});

test('an edit re-parses only the piece it touches: the others come from the cache', () => {
  clearPieces();
  const r = rng(3);
  const text = generated(400, r);
  const a = parseYaml(text, 10000, 'chunked');
  assert.ok(parsedInPieces(a));
  const at = text.indexOf('id: s200') + 'id: s200'.length;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  const b = parseYaml(edited, 10000, 'chunked');
  const steps = (f: YamlFile) => (f.docs[0].value as { steps: unknown[] }).steps;
  // Items outside the edited group are the very same objects; the edited one is new and has the new text.
  assert.equal(steps(b)[10], steps(a)[10]);
  assert.equal(steps(b)[399], steps(a)[399]);
  assert.notEqual(steps(b)[200], steps(a)[200]);
  assert.equal((steps(b)[200] as { id: string }).id, 's200x');
  assert.deepEqual(snapshot(b), snapshot(parseYaml(edited, 10000, 'whole')));
});

test('the asynchronous loader pauses between pieces and stops when told the text is outdated', async () => {
  clearPieces();
  const text = generated(600, rng(11));
  let pauses = 0;
  const stopped = await loadYamlAsync(text, 10000, async () => ++pauses < 3, 0);
  assert.equal(stopped, undefined);
  assert.equal(pauses, 3);
  const full = await loadYamlAsync(
    text,
    10000,
    async () => {
      pauses++;
      return true;
    },
    0,
  );
  assert.ok(full && parsedInPieces(full));
  assert.ok(pauses > 20, `only ${pauses} pauses for a ${text.split('\n').length}-line manifest`);
  assert.deepEqual(snapshot(full), snapshot(parseYaml(text, 10000, 'whole')));
});

test('cached pieces do not keep old versions of the document alive', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  clearPieces();
  let text = generated(6000, rng(5)); // about 0.6 MB
  parseYaml(text, 10000, 'chunked');
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 40; i++) {
    const at = text.indexOf('action: upgrade', Math.floor((text.length * ((i * 37) % 100)) / 100));
    text = text.slice(0, at) + 'x' + text.slice(at);
    assert.ok(parsedInPieces(parseYaml(text, 10000, 'chunked')));
  }
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 1e6;
  // Keeping each version alive would cost 40 × 0.6 MB; the pieces that changed cost a few KB each.
  assert.ok(grown < 15, `the heap grew by ${grown.toFixed(1)} MB over 40 edits of a ${(text.length / 1e6).toFixed(1)} MB document`);
  clearPieces();
});

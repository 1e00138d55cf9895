/**
 * Parsing in pieces must never change a result: for every manifest fixture and example, generated manifests
 * and thousands of mutations of them, the file parsed in pieces (when its layout allows it) gives exactly what
 * the whole-file parse gives — the same data, the same pointer → range map in the same order, the same
 * document ranges — and the pieces are only accepted when the whole parse finds no syntax error.
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
    at: [...d.at].map(([p, l]) => [p, l.start, l.end, l.range, l.keyRange ?? null]),
  }));
}

const norm = (it: Iterable<[string, { start: number; end: number; keyRange?: unknown }]>) => [...it].map(([p, l]) => [p, l.start, l.end, l.keyRange ?? null]);

function compare(text: string, groupLines: number): boolean {
  const pieces = parseYaml(text, 10000, 'chunked', groupLines);
  if (!parsedInPieces(pieces)) return false;
  const whole = parseYaml(text, 10000, 'whole');
  assert.deepEqual(whole.syntax, [], `accepted in pieces but the whole parse has errors: ${JSON.stringify(text.slice(0, 300))}`);
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
  console.log(`pieces: ${accepted} of ${total} mutated manifests parsed in pieces, all equal to the whole parse`);
  assert.ok(accepted > total / 4, `only ${accepted} of ${total} accepted: the comparison would prove little`);
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

/**
 * The quick reader (server/engine/parse/fast.ts) must give exactly what the `yaml` package and `build` give for
 * any text it accepts — the same data and the same pointer → offsets map in the same order — and it must accept
 * the plain YAML that manifests are written in (else it would buy nothing). Compared on every run of lines of
 * the fixtures, examples and generated manifests, on mutations of them, and on random soups of tricky lines.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { fastPiece, plainValue } from '../../server/engine/parse/fast';
import { yamlPiece } from '../../server/engine/parse/yaml';
import { generated, manifests } from '../helpers/yaml-texts';
import { mutate, rng } from '../helpers/mutate';
import { FIXTURES } from '../helpers/fixtures';

const locs = (m: Map<string, { s: number; e: number; ks?: number; ke?: number }>) => [...m].map(([p, l]) => [p, l.s, l.e, l.ks ?? null, l.ke ?? null]);

/** Compares both readers on `text`; true when the quick one accepted it. */
function same(text: string): boolean {
  const fast = fastPiece(text);
  if (!fast) return false;
  const slow = yamlPiece(text);
  assert.ok(slow, `the quick reader accepted what \`yaml\` refuses: ${JSON.stringify(text.slice(0, 400))}`);
  assert.deepStrictEqual(fast.value, slow.value, `data differ: ${JSON.stringify(text.slice(0, 400))}`);
  assert.deepStrictEqual(locs(fast.locs), locs(slow.locs), `offsets differ: ${JSON.stringify(text.slice(0, 400))}`);
  return true;
}

/** Every run of whole lines from `from` of `text`, a few lengths each. */
function runs(text: string, r: () => number, each = 3): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let a = 0; a < lines.length; a++)
    for (let k = 0; k < each; k++) {
      const b = Math.min(lines.length, a + 1 + Math.floor(r() * 60));
      out.push(lines.slice(a, b).join('\n') + (b < lines.length || r() < 0.5 ? '\n' : ''));
    }
  return out;
}

test('the quick reader agrees with `yaml` on every run of lines of the fixtures, examples and generated manifests', () => {
  const r = rng(16);
  let accepted = 0,
    total = 0;
  for (const text of [...manifests(), ...Array.from({ length: 8 }, (_, i) => generated(4 + i * 6, r))])
    for (const slice of runs(text, r, 2)) {
      total++;
      if (same(slice)) accepted++;
    }
  console.log(`quick reader: ${accepted} of ${total} runs of lines accepted, all equal to \`yaml\``);
  assert.ok(accepted > total / 10, `only ${accepted} of ${total} accepted`);
});

test('the quick reader agrees with `yaml` on mutated manifests', () => {
  const r = rng(1612);
  const seeds = [...manifests(), generated(30, r), generated(30, r)];
  let accepted = 0,
    total = 0;
  while (total < 8000)
    for (const s of seeds) {
      let text = s;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) text = mutate(text, r);
      const lines = text.split('\n');
      const a = Math.floor(r() * lines.length);
      const slice = lines.slice(a, a + 1 + Math.floor(r() * 80)).join('\n') + '\n';
      total++;
      if (same(slice)) accepted++;
    }
  console.log(`quick reader: ${accepted} of ${total} mutated runs accepted, all equal to \`yaml\``);
  assert.ok(accepted > total / 20, `only ${accepted} of ${total} accepted`);
});

const KEYS = ['id', 'name', 'action', 'node', 'version', 'from', 'to', 'True', 'NULL', 'null', 'a.b', 'x-y', '_k', '$k', 'note', 'id', 'steps'];
/** Scalars the quick reader reads itself (most of a manifest's). */
const COMMON = [
  'plain',
  'two words',
  '5.1.3',
  '5.10',
  '8.6(4)',
  '007',
  '1e3',
  '~',
  'true',
  'TRUE',
  'yes',
  '"q"',
  "'s'",
  "'a\"b'",
  '[a, b]',
  '[5.1, 007, true]',
  'データベース',
  'a#b',
  '.inf',
];
const SCALARS = [
  ...COMMON,
  '-7',
  '+7',
  '0o17',
  '0o19',
  '0x1F',
  '0xG',
  '1.5E-2',
  '.5',
  '5.',
  '-.Inf',
  '.NaN',
  '.nan.',
  'Null',
  'nULL',
  'tRUE',
  'false',
  'on',
  '2026-12-05T22:00:00+09:00',
  'ftp://h/ACNS-5.1.3-K9.bin',
  'a #b',
  'a: b',
  'a:',
  'a:b',
  '"a\\"b"',
  '"it\'s"',
  "'it''s'",
  '""',
  "''",
  '[]',
  '[ ]',
  '[a,b ,c]',
  '[a, b, ]',
  '[a b]',
  '[a, [b]]',
  '{a: 1}',
  '&x a',
  '*x',
  '!!str 1',
  '|',
  '>-',
  '-',
  '- a',
  '? a',
  ': a',
  '%x',
  '@x',
  '`x`',
  'a\tb',
  'x  ',
  '',
];

/**
 * A random block collection (well formed but for a tricky scalar here and there), with comments and blank lines
 * between its lines; `messy` also shifts a line's indentation now and then.
 */
function soup(r: () => number, messy: boolean): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const lines: string[] = [];
  const noise = (pad: string) => {
    if (r() < 0.12) lines.push(pick(['', '   ', `${pad}# comment`, '# top', `${pad}  # deeper`]));
  };
  const value = () => `${pick(r() < 0.8 ? COMMON : SCALARS)}${pick(['', '', '', ' # c', '  ', '#c'])}`;
  const block = (pad: string, depth: number, seq: boolean) => {
    for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
      noise(pad);
      const lead = seq ? `${pad}- ` : pad;
      const inner = seq ? `${pad}  ` : pad;
      if (seq && r() < 0.3) lines.push(`${lead}${value()}`);
      else {
        // A map (inside a sequence item: its first key on the dash's line).
        for (let m = 1 + Math.floor(r() * 3), first = true; m > 0; m--, first = false) {
          const head = first ? lead : inner;
          const key = pick(KEYS);
          if (depth < 3 && r() < 0.3) {
            lines.push(`${head}${key}:${pick(['', ' ', '  # c'])}`);
            const nestedSeq = r() < 0.5;
            block(nestedSeq && r() < 0.4 ? inner : `${inner}  `, depth + 1, nestedSeq);
          } else lines.push(`${head}${key}:${r() < 0.1 ? pick(['', ' # c', ' ']) : ` ${value()}`}`);
          if (!first || m > 1) noise(inner);
        }
      }
    }
  };
  block(r() < 0.5 ? '' : '  ', 0, r() < 0.5);
  if (messy) {
    const i = Math.floor(r() * lines.length);
    lines[i] = ' '.repeat(Math.floor(r() * 3)) + lines[i];
  }
  return lines.join('\n') + pick(['\n', '', '\n\n', '\n# end\n']);
}

test('the quick reader agrees with `yaml` on 30,000 random soups of tricky lines', () => {
  const r = rng(2026);
  let accepted = 0;
  for (let k = 0; k < 30000; k++) if (same(soup(r, k % 4 === 3))) accepted++;
  console.log(`quick reader: ${accepted} of 30000 soups accepted, all equal to \`yaml\``);
  assert.ok(accepted > 4000, `only ${accepted} accepted`);
});

test('the quick reader reads the generated benchmark manifest almost entirely itself', async () => {
  const bench = pathToFileURL(path.join(FIXTURES, '..', '..', 'bench', 'generate.mjs')).href;
  const { manifest } = (await import(bench)) as { manifest: (n: number) => string };
  // Cut as parsing in pieces cuts it: each top-level entry, and each group of items of a long sequence.
  const lines = manifest(2000).split('\n');
  const cuts = lines.flatMap((l: string, i: number) =>
    /^(?:[a-z]| {2}- )/.test(l) && (!l.startsWith('  - ') || i % 5 === 0 || /^[a-z]/.test(lines[i - 1])) ? [i] : [],
  );
  let fast = 0;
  for (let k = 0; k < cuts.length; k++) if (fastPiece(lines.slice(cuts[k], cuts[k + 1] ?? lines.length).join('\n') + '\n')) fast++;
  assert.ok(cuts.length > 100 && fast >= cuts.length - 2, `${fast} of ${cuts.length} pieces`);
});

test('the quick reader leaves keys over 1,024 characters to `yaml`, which refuses them', () => {
  for (const text of [`${'k'.repeat(1100)}: v\n`, `- ${'k'.repeat(1100)}: v\n`, `a:\n  ${'k'.repeat(1030)}:\n`]) {
    assert.equal(fastPiece(text), undefined);
    assert.equal(yamlPiece(text), null);
  }
  assert.ok(fastPiece(`${'k'.repeat(900)}: v\n`));
});

test('plain scalars resolve as the YAML 1.2 core schema says', () => {
  assert.equal(plainValue('~'), null);
  assert.equal(plainValue('NULL'), null);
  assert.equal(plainValue('nULL'), 'nULL');
  assert.equal(plainValue('True'), true);
  assert.equal(plainValue('yes'), 'yes');
  assert.equal(plainValue('007'), 7);
  assert.equal(plainValue('0o17'), 15);
  assert.equal(plainValue('0x1F'), 31);
  assert.equal(plainValue('5.10'), 5.1);
  assert.equal(plainValue('-.inf'), -Infinity);
  assert.ok(Number.isNaN(plainValue('.NaN')));
  assert.equal(plainValue('5.1.3'), '5.1.3');
  assert.equal(plainValue('2026-12-05'), '2026-12-05');
});

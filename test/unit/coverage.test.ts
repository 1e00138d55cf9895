/**
 * docs/guide-coverage.md, the map from the five guides to the rules, kept in step with the registry: every rule is
 * in the map and its `source` names a row that lists it; every rule id in the map exists; rows are numbered in
 * order per guide; the figures at the top are the table's own counts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules } from '../../server/engine/rules/index';

const FILE = path.resolve(__dirname, '..', '..', '..', 'docs', 'guide-coverage.md');
const STATUSES = ['checked', 'not yet', 'not checkable'] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  id: string;
  guide: string;
  n: number;
  status: Status;
  rules: string[];
  why: string;
  line: number;
}

/** Cells of a markdown table line (`\|` is a pipe inside a cell). */
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

function parse(text: string): { rows: Row[]; figures: Map<string, string[]> } {
  const rows: Row[] = [];
  const figures = new Map<string, string[]>();
  text.split('\n').forEach((line, i) => {
    if (!line.startsWith('|')) return;
    const c = cells(line);
    const id = /^(?:<a id="[^"]+"><\/a>)?((\d{3}|FMT)-(\d{2}))$/.exec(c[0]);
    if (id) {
      assert.equal(c.length, 5, `line ${i + 1}: a row has 5 cells`);
      const status = c[3] as Status;
      assert.ok(STATUSES.includes(status), `line ${i + 1}: status \`${c[3]}\``);
      const rules = [...c[4].matchAll(/`([a-z]+\/[a-zA-Z0-9-]+)`/g)].map((m) => m[1]);
      rows.push({ id: id[1], guide: id[2], n: Number(id[3]), status, rules, why: c[4], line: i + 1 });
      return;
    }
    const fig = /^(\d{3})\b/.exec(c[0]);
    if (fig && c.length === 5) figures.set(fig[1], c);
  });
  return { rows, figures };
}

const { rows, figures } = parse(fs.readFileSync(FILE, 'utf8'));
const byId = new Map(rows.map((r) => [r.id, r]));
const ROW_LIST = /^((?:\d{3}|FMT)-\d{2})((?:, (?:\d{3}|FMT)-\d{2})*)(?: \((.+)\))?$/;

test('the map lists every guide, rows numbered from 01 in order without gaps', () => {
  for (const g of ['000', '001', '002', '003', '004', 'FMT']) {
    const ns = rows.filter((r) => r.guide === g).map((r) => r.n);
    assert.ok(ns.length >= (g === 'FMT' ? 5 : 15), `guide ${g}: ${ns.length} rows`);
    assert.deepEqual(
      ns,
      ns.map((_, i) => i + 1),
      `guide ${g} numbering`,
    );
  }
  assert.equal(byId.size, rows.length, 'row ids are unique');
});

test('checked rows name rules that exist; other rows say why and name none as checking them', () => {
  const ids = new Set(allRules.map((r) => r.id));
  for (const r of rows) {
    for (const id of r.rules) assert.ok(ids.has(id), `${r.id} (line ${r.line}) names \`${id}\`, which is not a rule`);
    if (r.status === 'checked') assert.ok(r.rules.length > 0, `${r.id} is checked but names no rule`);
    else assert.ok(r.why.replace(/`[^`]*`/g, '').length > 25, `${r.id} (${r.status}) says why in a sentence`);
  }
});

test('every rule is in the map, and its source names rows that list it', () => {
  for (const rule of allRules) {
    const m = ROW_LIST.exec(rule.source);
    assert.ok(m, `${rule.id}: source \`${rule.source}\` starts with row ids such as 000-12`);
    const named = [m[1], ...(m[2] ? m[2].split(', ').slice(1) : [])];
    for (const id of named) assert.ok(byId.has(id), `${rule.id}: source names ${id}, which is not in the map`);
    assert.ok(
      named.some((id) => byId.get(id)!.rules.includes(rule.id) && byId.get(id)!.status === 'checked'),
      `${rule.id}: none of its source rows (${named.join(', ')}) lists it as checking`,
    );
  }
});

test('the figures at the top are the counts of the tables', () => {
  for (const g of ['000', '001', '002', '003', '004']) {
    const of = (s: Status) => rows.filter((r) => r.guide === g && r.status === s).length;
    const f = figures.get(g);
    assert.ok(f, `a figures line for ${g}`);
    const checked = of('checked'),
      notYet = of('not yet'),
      never = of('not checkable');
    const pct = Math.floor((100 * checked) / (checked + notYet));
    assert.deepEqual(f.slice(1), [String(checked), String(notYet), String(never), `${pct}% (${checked}/${checked + notYet})`], `figures of ${g}`);
  }
});

test("the README's coverage sentence is the map's total", () => {
  const guides = rows.filter((r) => r.guide !== 'FMT');
  const checked = guides.filter((r) => r.status === 'checked').length;
  const notYet = guides.filter((r) => r.status === 'not yet').length;
  const never = guides.filter((r) => r.status === 'not checkable').length;
  const readme = fs.readFileSync(path.resolve(FILE, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
  const pct = Math.floor((100 * checked) / (checked + notYet));
  assert.ok(readme.includes(`${checked} of ${checked + notYet} checkable statements (${pct}%); ${never} more`), 'README coverage figures');
});

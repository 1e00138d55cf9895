/**
 * The runbook preview's request (upgradeLint/runbook) over a real server on stdio: one bar per step per node, the
 * problems marked on their steps with their rule ids, where each step is in the text, the window's fit, the
 * language, and the bounds (other kinds, files too large, text that is not a manifest, 100 KB).
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RUNBOOK, type RunbookParams, type RunbookResult } from '../../server/protocol/index';
import { fileUri, TestClient } from '../helpers/lspClient';

const MANIFEST = `manifestVersion: 1
product: cucm-im-presence
title: IM and Presence cluster 1 to 9.0(1)
from: 8.6(3)
to: 9.0(1)
upgradeType: refresh
unifiedCmVersion: 9.0.1.10000-37
highAvailability: enabled
maintenanceWindow:
  start: 2026-12-12T21:00:00+09:00
  end: 2026-12-13T05:00:00+09:00
nodes:
  - name: imp-pub
    role: publisher
  - name: imp-sub1
    role: subscriber
steps:
  - id: drs-backup
    action: backup
    nodes: [imp-pub]
    target: drs
    duration: 30m
  - id: ha-off
    action: disable-ha
    nodes: [imp-pub, imp-sub1]
    duration: 10m
  - id: upgrade-publisher
    action: upgrade
    node: imp-pub
    method: cli
    duration: 2h
  - id: upgrade-ghost
    action: upgrade
    node: imp-sub9
    method: cli
    duration: 1h
`;

const dir = path.join(os.tmpdir(), 'ul-runbook-lsp');
const uri = fileUri(path.join(dir, 'site.upgrade.yaml'));
const request = (c: TestClient, p: RunbookParams) => c.connection.sendRequest<RunbookResult | null>(RUNBOOK, p);
/** The distinct `data-step` of the `g.step` elements, and how many there are of each. */
const bars = (svg: string) => {
  const count = new Map<number, number>();
  for (const m of svg.matchAll(/<g class="step[^"]*" data-step="(\d+)"/g)) count.set(Number(m[1]), (count.get(Number(m[1])) ?? 0) + 1);
  return count;
};
/** The `<g class="step …">` element of a step on its first node, up to its closing tag. */
const stepElement = (svg: string, index: number) => {
  const start = svg.search(new RegExp(`<g class="step[^"]*" data-step="${index}"`));
  assert.ok(start >= 0, `no bar for step ${index}`);
  return svg.slice(start, svg.indexOf('<rect', start));
};

describe('upgradeLint/runbook', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient({ rootPath: dir });
    await c.initialize();
    await c.open(uri, 'upgrade-manifest', MANIFEST);
  });
  after(() => c.stop());

  test('one bar per step on each of its nodes, each step with the range of its item', async () => {
    const r = await request(c, { uri, locale: 'en' });
    assert.ok(r);
    assert.deepEqual(
      r.steps.map((s) => s.id),
      ['drs-backup', 'ha-off', 'upgrade-publisher', 'upgrade-ghost'],
    );
    assert.deepEqual(
      r.steps.map((s) => s.index),
      [0, 1, 2, 3],
    );
    // `- id: drs-backup` is line 17; the item ends where the next one starts (or before it).
    const lines = MANIFEST.split('\n');
    for (const s of r.steps) {
      assert.match(lines[s.itemRange.start.line].slice(s.itemRange.start.character), new RegExp(`^id: ${s.id}$`), s.id);
      assert.ok(s.itemRange.end.line >= s.itemRange.start.line + 2, `${s.id}: ${JSON.stringify(s.itemRange)}`);
    }
    assert.equal(r.steps[0].itemRange.start.line, 17);
    assert.equal(r.steps[1].itemRange.start.line, 22);
    // ha-off runs on two nodes: two bars; the others on one.
    assert.deepEqual(
      [...bars(r.svg).entries()],
      [
        [0, 1],
        [1, 2],
        [2, 1],
        [3, 1],
      ],
    );
    assert.equal(r.total, 30 + 10 + 120 + 60);
    assert.equal(r.fits, true, 'three hours forty in an eight-hour window');
  });

  test("a step's problem is marked on its bar with the rule id in the tooltip", async () => {
    const r = (await request(c, { uri, locale: 'en' }))!;
    const ghost = stepElement(r.svg, 3);
    assert.match(ghost, /class="step [^"]*mark-error/);
    assert.match(ghost, /<title>[^<]*manifest\/unknown-node/);
    // The clean steps carry no mark.
    assert.doesNotMatch(stepElement(r.svg, 0), /mark-/);
    assert.doesNotMatch(stepElement(r.svg, 0), /manifest\/unknown-node/);
  });

  test('Japanese when asked for (VS Code display language ja-JP), English otherwise', async () => {
    const ja = (await request(c, { uri, locale: 'ja-JP' }))!;
    const en = (await request(c, { uri, locale: 'en' }))!;
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
    assert.match(stepElement(ja.svg, 3), japanese);
    assert.doesNotMatch(en.svg.replace(/IM and Presence/g, ''), japanese);
    // The problem's message is in the picture's language too.
    const jaTitle = /<title>([^<]*manifest\/unknown-node[^<]*)<\/title>/.exec(stepElement(ja.svg, 3))![1];
    assert.match(jaTitle.split('manifest/unknown-node')[1], japanese);
  });

  test('the selected step is drawn selected', async () => {
    const r = (await request(c, { uri, locale: 'en', selectedStep: 2 }))!;
    assert.match(stepElement(r.svg, 2), /class="step [^"]*selected/);
    assert.doesNotMatch(stepElement(r.svg, 1), /selected/);
    // Out of range or not a number: nothing selected, no failure.
    for (const selectedStep of [99, -1, 1.5, 'x' as unknown as number]) {
      const o = (await request(c, { uri, selectedStep }))!;
      assert.doesNotMatch(o.svg, /class="step [^"]*selected/, String(selectedStep));
    }
  });

  test('a plan that overruns its window does not fit; edits are seen at once', async () => {
    const long = MANIFEST.replace('duration: 2h', 'duration: 7h');
    await c.change(uri, 2, [{ text: long }]);
    const r = (await request(c, { uri, locale: 'en' }))!;
    assert.equal(r.total, 30 + 10 + 420 + 60);
    assert.equal(r.fits, false);
    await c.change(uri, 3, [{ text: MANIFEST }]);
    assert.equal((await request(c, { uri }))!.fits, true);
  });

  test('null for what has no runbook: other kinds, unknown documents, text that is not a manifest, no parameters', async () => {
    const meta = fileUri(path.join(dir, 'a.meta'));
    await c.open(meta, 'acns-meta', 'updateFileSize=1\n');
    assert.equal(await request(c, { uri: meta }), null);
    assert.equal(await request(c, { uri: fileUri(path.join(dir, 'never-opened.upgrade.yaml')) }), null);
    assert.equal(await c.connection.sendRequest(RUNBOOK, null), null);
    assert.equal(await c.connection.sendRequest(RUNBOOK, { uri: 42 }), null);
    const broken = fileUri(path.join(dir, 'broken.upgrade.yaml'));
    await c.open(broken, 'upgrade-manifest', 'steps: [ {id: a\n  - : :\n');
    assert.equal(await request(c, { uri: broken }), null);
  });

  test('a manifest larger than upgradeLint.maxFileSize is not drawn', async () => {
    const big = fileUri(path.join(dir, 'big.upgrade.yaml'));
    const s = new TestClient({ rootPath: dir, settings: { maxFileSize: 200 } });
    try {
      await s.initialize();
      await s.open(big, 'upgrade-manifest', MANIFEST);
      assert.equal(await request(s, { uri: big }), null);
    } finally {
      await s.stop();
    }
  });

  test('100 KB of steps: answered well under a second, every step drawn', async () => {
    const head = MANIFEST.slice(0, MANIFEST.indexOf('steps:\n') + 'steps:\n'.length);
    const steps: string[] = [];
    for (let i = 0; head.length + steps.join('').length < 100_000; i++)
      steps.push(`  - id: s${i}\n    action: verify\n    nodes: [imp-pub, imp-sub1]\n    duration: 5m\n`);
    const huge = fileUri(path.join(dir, 'huge.upgrade.yaml'));
    await c.open(huge, 'upgrade-manifest', head + steps.join(''));
    const t0 = Date.now();
    const r = (await request(c, { uri: huge }))!;
    const ms = Date.now() - t0;
    assert.equal(r.steps.length, steps.length);
    assert.equal(bars(r.svg).size, steps.length);
    assert.ok(ms < 1000, `${ms} ms for ${steps.length} steps`);
  });
});

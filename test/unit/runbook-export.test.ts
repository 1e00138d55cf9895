/** The printable runbook (server/engine/runbook/export.ts): self-contained HTML and Markdown, en and ja. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { lint } from '../../server/engine/lint';
import { mdEscape, runbookHtml, runbookInputForText, runbookMarkdown, type RunbookInput } from '../../server/engine/runbook/export';
import { durationText } from '../../server/engine/runbook/svg';
import type { Locale } from '../../server/engine/types';
import { parseXml, type XmlNode } from '../helpers/xml';

const all = (n: XmlNode, pred: (x: XmlNode) => boolean, acc: XmlNode[] = []): XmlNode[] => {
  if (pred(n)) acc.push(n);
  for (const c of n.children) all(c, pred, acc);
  return acc;
};

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A manifest of the examples, linted, as the CLI gives it to the runbook. */
function example(rel: string, locale: Locale = 'en'): RunbookInput {
  const abs = path.join(ROOT, rel);
  const text = fs.readFileSync(abs, 'utf8');
  const { diagnostics } = lint({ text, kind: 'upgrade-manifest', path: abs }, { locale });
  const input = runbookInputForText(text, diagnostics, { locale }, rel, abs);
  assert.ok(input, rel);
  return input;
}

/** The rows of the table of class `cls` (its body), each as the text of its cells. */
function tableRows(html: string, cls: string): string[][] {
  const m = new RegExp(`<table class="${cls}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html);
  if (!m) return [];
  return [...m[1].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, '')));
}

describe('runbookHtml', () => {
  test('self-contained: a strict CSP, no address, no script; the timeline inline with print colours', () => {
    const html = runbookHtml(example('examples/imp/im-presence-9.0.upgrade.yaml'));
    assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`));
    assert.ok(!/http/i.test(html.replace('http-equiv', '')), 'no http address anywhere (not even the SVG namespace)');
    assert.ok(!/<script|<link|<img|<iframe|\ssrc=|\shref=|@import|url\((?!#)/i.test(html));
    assert.match(html, /@media print\{/);
    assert.equal((html.match(/<svg /g) ?? []).length, 1);
    assert.match(html, /<svg class="ul-timeline ul-theme-print"/);
    assert.ok(!html.includes('--vscode-'));
  });

  test('the steps table: a row per step with node, action, wall-clock start and end, duration, the guide reference, a box to tick', () => {
    const input = example('examples/imp/im-presence-9.0.upgrade.yaml');
    const html = runbookHtml(input);
    const rows = tableRows(html, 'steps');
    assert.equal(rows.length, input.schedule.steps.length);
    assert.equal(rows.length, 6);
    const heads = [.../<table class="steps"><thead><tr>([\s\S]*?)<\/tr>/.exec(html)![1].matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(heads, ['Done', '#', 'Step', 'Nodes', 'Action', 'Planned start', 'Planned end', 'Duration', 'Guide reference / note', 'Problems']);
    const first = rows[0];
    assert.equal(first[0], '☐');
    assert.equal(first[1], '1');
    assert.equal(first[2], 'drs-backup');
    assert.equal(first[3], 'imp-pub');
    assert.equal(first[4], 'backup');
    // The window opens at 21:00 (+09:00): the first step starts then.
    assert.equal(first[5], '21:00');
    const s0 = input.schedule.steps[0];
    assert.equal(first[7], s0.estimated ? `${durationText(s0.duration, 'en')} (estimated)` : durationText(s0.duration, 'en'));
    const withGuide = input.schedule.steps.findIndex((s) => s.guideRef);
    if (withGuide >= 0) assert.equal(rows[withGuide][8].startsWith(input.schedule.steps[withGuide].guideRef!), true);
    // Every row's end is the next row's start (steps run one after the other).
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i][5], rows[i - 1][6]);
    assert.match(html, /<dt>Maintenance window<\/dt><dd>2026-12-12T21:00:00\+09:00 – 2026-12-13T05:00:00\+09:00<\/dd>/);
    assert.match(html, /<p class="note">The plan ends .* before the window closes\.<\/p>/);
    assert.match(html, /No open problems\./);
  });

  test('open problems with their rule ids, and each on its step row', () => {
    const input = example('examples/imp/broken/branch-imp.upgrade.yaml');
    const html = runbookHtml(input);
    const problems = tableRows(html, 'problems');
    assert.equal(problems.length, input.diagnostics.length);
    assert.ok(problems.length >= 3);
    const cop = problems.find((p) => p[1] === 'imp/cop-file-required');
    assert.ok(cop, problems.map((p) => p[1]).join(' '));
    assert.deepEqual(cop.slice(0, 4), ['error', 'imp/cop-file-required', '21', 'up-pub']);
    const header = problems.find((p) => p[1] === 'imp/upgrade-type')!;
    assert.equal(header[3], '', 'a problem of the header sits on no step');
    const steps = tableRows(html, 'steps');
    assert.equal(steps[1][2], 'up-pub');
    assert.match(steps[1][9], /imp\/cop-file-required/);
    assert.equal(steps[0][9], '');
    assert.match(html, /<dt>Maintenance window<\/dt><dd>none written<\/dd>/);
  });

  test('Japanese: every heading from the catalog', () => {
    const html = runbookHtml(example('examples/imp/broken/branch-imp.upgrade.yaml', 'ja'));
    assert.ok(html.includes('<html lang="ja">'));
    for (const t of [
      '<h1>ランブック: Branch IM and Presence to 9.0(1)</h1>',
      '<h2>タイムライン</h2>',
      '<h2>手順</h2>',
      '<h2>未解決の問題</h2>',
      '<th scope="col">開始予定</th>',
      '<th scope="col">完了</th>',
      '<th scope="col">ルール</th>',
    ])
      assert.ok(html.includes(t), t);
    assert.match(html, /（推定）/);
    assert.match(html, /<td class="sev">エラー<\/td>|<td class="sev">error<\/td>/);
    assert.ok(!/Planned start|Open problems|Guide reference/.test(html));
  });

  test('hostile text is escaped', () => {
    const input = example('examples/imp/im-presence-9.0.upgrade.yaml');
    input.title = '</title><script>alert(1)</script>';
    input.schedule.steps[0] = { ...input.schedule.steps[0], id: '<img src=x onerror=alert(1)>', note: '"><b>x</b>' };
    const html = runbookHtml(input);
    assert.ok(!html.includes('<script'));
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('<b>x'));
    assert.ok(html.includes('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    // The inline SVG, like the page, is well formed.
    parseXml(/<svg [\s\S]*<\/svg>/.exec(html)![0]);
  });

  test('several manifests: one section each, one page', () => {
    const html = runbookHtml([example('examples/imp/im-presence-9.0.upgrade.yaml'), example('examples/cupm/cupm-8.5.upgrade.yaml')]);
    assert.equal((html.match(/<section class="runbook">/g) ?? []).length, 2);
    assert.equal((html.match(/<html/g) ?? []).length, 1);
    assert.equal((html.match(/<svg /g) ?? []).length, 2);
    assert.ok(html.includes('id="ul1-hatch"') && html.includes('id="ul2-hatch"'), 'distinct ids per timeline');
  });
});

describe('runbookMarkdown', () => {
  test('the same content: facts, the timeline as an embedded SVG image, the steps table, the problems', () => {
    const input = example('examples/imp/broken/branch-imp.upgrade.yaml');
    const md = runbookMarkdown(input);
    assert.ok(md.startsWith('# Runbook: Branch IM and Presence to 9.0(1)\n'));
    const img = /!\[Runbook timeline\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(md);
    assert.ok(img);
    const svg = parseXml(Buffer.from(img[1], 'base64').toString('utf8'));
    assert.equal(
      all(svg, (n) => n.name === 'g' && (n.attrs.class ?? '').split(' ').includes('step')).length,
      input.schedule.steps.reduce((a, s) => a + Math.max(1, s.nodes.length), 0),
    );
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| Done | # | Step |'));
    assert.ok(head > 0, md);
    assert.match(lines[head + 1], /^\| --- \| ---: \|/);
    const rows = lines.slice(head + 2).filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith('| ☐')));
    assert.equal(rows.length, input.schedule.steps.length);
    assert.match(rows[1], /^\| ☐ \| 2 \| up-pub \| imp-pub \| upgrade \| \+0:15 \| \+1:15 \| 1h \(estimated\) \| .* \| imp/);
    assert.match(md, /^## Open problems$/m);
    assert.match(md, /^\| error \| imp\/cop-file-required \| 21 \| up-pub \| /m);
  });

  test('cells cannot break the table or inject markup', () => {
    assert.equal(mdEscape('a|b\nc <x> *y* [z](u)'), 'a\\|b c \\<x\\> \\*y\\* \\[z\\](u)');
    const input = example('examples/imp/im-presence-9.0.upgrade.yaml', 'ja');
    input.schedule.steps[0] = { ...input.schedule.steps[0], id: 'a|b', note: 'line1\nline2 <script>' };
    const md = runbookMarkdown(input);
    assert.ok(!/(?<!\\)<script/.test(md), 'markup escaped');
    const row = md.split('\n').find((l) => l.startsWith('| ☐ | 1 |'))!;
    assert.ok(row.includes('a\\|b'));
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 10, 'ten cells');
    assert.match(md, /^## 手順$/m);
  });
});

test('a manifest that is not YAML gives no input; large manifests are fast', () => {
  assert.equal(runbookInputForText('steps: [', [], { locale: 'en' }), undefined);
  assert.equal(runbookInputForText('- a\n- b\n', [], { locale: 'en' }), undefined);
  const lines = ['manifestVersion: 1', 'product: callmanager', 'title: big', 'from: 4.0(2a)', 'to: 4.1(3)', 'nodes:'];
  for (let i = 0; i < 20; i++) lines.push(`  - name: n${i}`, '    role: subscriber');
  lines.push('steps:');
  for (let i = 0; i < 2500; i++) lines.push(`  - id: s${i}`, '    action: verify', `    nodes: [n${i % 20}, n${(i + 3) % 20}]`, '    duration: 5m');
  const text = lines.join('\n') + '\n';
  assert.ok(text.length > 100_000);
  const t0 = performance.now();
  const input = runbookInputForText(text, [], { locale: 'en' })!;
  const html = runbookHtml(input);
  const md = runbookMarkdown(input);
  const ms = performance.now() - t0;
  assert.equal(input.schedule.steps.length, 2500);
  assert.equal(tableRows(html, 'steps').length, 2500);
  assert.ok(md.length > 0);
  assert.ok(ms < 1500, `${ms} ms`);
});

describe('the guide reference in a Japanese runbook', () => {
  test('names the guide in Japanese and the row, not the English words of the product data', () => {
    const file = path.join(__dirname, '..', '..', '..', 'examples', 'imp', 'im-presence-9.0.upgrade.yaml');
    const text = fs.readFileSync(file, 'utf8');
    for (const locale of ['en', 'ja'] as const) {
      const options = { locale };
      const diags = lint({ text, kind: 'upgrade-manifest', path: file }, options).diagnostics;
      const input = runbookInputForText(text, diags, options, 'im-presence-9.0.upgrade.yaml', file)!;
      const ref = input.schedule.steps.find((s) => s.guideRef)?.guideRef;
      assert.ok(ref, 'the example has a step timed from the guide');
      const html = runbookHtml(input);
      if (locale === 'en') assert.ok(html.includes(ref.replace(/&/g, '&amp;')), 'English shows the reference as written');
      else {
        assert.ok(!html.includes(ref.slice(7)), 'no English words of the reference in the Japanese runbook');
        assert.match(html, new RegExp(`アップグレード ガイド ${ref.slice(0, 6)}`));
      }
    }
  });
});

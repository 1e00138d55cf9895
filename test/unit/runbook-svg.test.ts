/** The runbook timeline (server/engine/runbook/svg.ts) and the marks (marks.ts): positions, labels, escaping. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markDiagnostics } from '../../server/engine/runbook/marks';
import { clockText, durationText, LAYOUT, timelineScale, timelineSvg, xmlEscape } from '../../server/engine/runbook/svg';
import type { MarkedDiagnostic, Schedule, ScheduledStep } from '../../server/engine/runbook/types';
import type { Diagnostic, Range } from '../../server/engine/types';
import { parseXml, type XmlNode } from '../helpers/xml';

const all = (n: XmlNode, pred: (x: XmlNode) => boolean, acc: XmlNode[] = []): XmlNode[] => {
  if (pred(n)) acc.push(n);
  for (const c of n.children) all(c, pred, acc);
  return acc;
};
const classes = (n: XmlNode) => (n.attrs.class ?? '').split(/\s+/);
const bars = (svg: XmlNode) => all(svg, (n) => n.name === 'g' && classes(n).includes('step'));
const rectOf = (g: XmlNode) => g.children.find((c) => c.name === 'rect' && c.attrs.class === 'bar')!;
const titleOf = (g: XmlNode) => g.children.find((c) => c.name === 'title')?.text ?? '';

const line = (a: number, b: number): Range => ({ start: { line: a, character: 2 }, end: { line: b, character: 20 } });

/** A step of a hand-made schedule: item on lines 10*i+10 … 10*i+15. */
function step(index: number, id: string, nodes: string[], start: number, duration: number, over: Partial<ScheduledStep> = {}): ScheduledStep {
  return {
    id,
    index,
    action: 'upgrade',
    nodes,
    start,
    end: start + duration,
    duration,
    estimated: false,
    source: 'given',
    downNodes: [],
    range: line(10 * index + 10, 10 * index + 10),
    itemRange: line(10 * index + 10, 10 * index + 15),
    ...over,
  };
}

/** Three nodes; a backup, then both subscribers at once (parallel), then an estimated check; a 4-hour window. */
function plan(): Schedule {
  return {
    steps: [
      step(0, 'backup', ['pub'], 0, 30, { action: 'backup' }),
      step(1, 'upgrade-pub', ['pub'], 30, 60),
      step(2, 'upgrade-subs', ['sub1', 'sub2'], 90, 45),
      step(3, 'check', ['pub', 'sub1', 'sub2'], 135, 20, { action: 'verify', estimated: true, source: 'fallback' }),
    ],
    nodes: [
      { name: 'pub', role: 'publisher', down: [{ start: 30, end: 90, stepId: 'upgrade-pub' }] },
      { name: 'sub1', role: 'subscriber', down: [] },
      { name: 'sub2', role: 'subscriber', down: [] },
    ],
    total: 155,
    window: { start: '2026-12-12T21:00:00+09:00', end: '2026-12-13T01:00:00+09:00', minutes: 240 },
    startTime: '2026-12-12T21:00:00+09:00',
  };
}

const draw = (s: Schedule, marks: MarkedDiagnostic[] = [], more: { locale?: 'en' | 'ja'; selectedStep?: number; theme?: 'vscode' | 'print' } = {}) =>
  timelineSvg(s, marks, { locale: more.locale ?? 'en', theme: more.theme ?? 'vscode', selectedStep: more.selectedStep });

describe('timelineSvg', () => {
  test('one bar per step per node, x and width proportional to start and duration', () => {
    const s = plan();
    const svg = parseXml(draw(s));
    const { pxPerMinute, from } = timelineScale(s);
    assert.equal(from, 0);
    // The 4-hour window decides the span: 240 minutes over the plot's minimum width.
    assert.equal(pxPerMinute, LAYOUT.minPlotWidth / 240);
    const b = bars(svg);
    assert.equal(b.length, 1 + 1 + 2 + 3);
    for (const st of s.steps) {
      const mine = b.filter((g) => g.attrs['data-step'] === String(st.index));
      assert.deepEqual(
        mine.map((g) => g.attrs['data-node']),
        st.nodes,
        `step ${st.id}: a bar on each of its nodes`,
      );
      for (const g of mine) {
        const r = rectOf(g);
        assert.equal(Number(r.attrs.x), Math.round((LAYOUT.labelWidth + st.start * pxPerMinute) * 100) / 100, `x of ${st.id}`);
        assert.equal(Number(r.attrs.width), Math.round(st.duration * pxPerMinute * 100) / 100, `width of ${st.id}`);
        assert.equal(g.attrs.role, 'button');
      }
      // Tab goes step by step: the first bar of a step is focusable, the others only clickable.
      assert.deepEqual(
        mine.map((g) => g.attrs.tabindex),
        mine.map((_, i) => (i === 0 ? '0' : '-1')),
      );
    }
    // upgrade-pub (30 min in, 60 long) ends where upgrade-subs starts.
    const x = (i: number) => Number(rectOf(b.find((g) => g.attrs['data-step'] === String(i))!).attrs.x);
    const w = (i: number) => Number(rectOf(b.find((g) => g.attrs['data-step'] === String(i))!).attrs.width);
    assert.equal(Math.round((x(1) + w(1)) * 100), Math.round(x(2) * 100));
    assert.equal(w(1), 3 * w(3));
  });

  test('parallel bars share x and sit in different lanes', () => {
    const svg = parseXml(draw(plan()));
    const subs = bars(svg).filter((g) => g.attrs['data-step'] === '2');
    assert.equal(subs.length, 2);
    const [a, b] = subs.map(rectOf);
    assert.equal(a.attrs.x, b.attrs.x);
    assert.equal(a.attrs.width, b.attrs.width);
    assert.equal(Number(b.attrs.y) - Number(a.attrs.y), LAYOUT.laneHeight, 'sub1 and sub2: neighbouring lanes');
  });

  test('lanes: one per node, labelled with name and role', () => {
    const svg = parseXml(draw(plan()));
    const lanes = all(svg, (n) => n.name === 'g' && n.attrs.class === 'lane');
    assert.deepEqual(
      lanes.map((l) => l.attrs['data-node']),
      ['pub', 'sub1', 'sub2'],
    );
    const labels = all(svg, (n) => n.name === 'text' && n.attrs.class === 'lane-label').map((t) => t.text);
    assert.deepEqual(labels, ['pub (publisher)', 'sub1 (subscriber)', 'sub2 (subscriber)']);
  });

  test('estimated steps, and only they, are hatched; the legend says what the hatching means', () => {
    const text = draw(plan());
    const svg = parseXml(text);
    const b = bars(svg);
    for (const g of b) assert.equal(classes(g).includes('estimated'), g.attrs['data-step'] === '3', `bar of step ${g.attrs['data-step']}`);
    assert.equal(b.filter((g) => classes(g).includes('given')).length, 4);
    assert.ok(all(svg, (n) => n.name === 'pattern' && n.attrs.id === 'ul-hatch').length === 1);
    assert.match(text, /\.step\.estimated rect\.bar\{fill:url\(#ul-hatch\);stroke-dasharray/);
    const legend = all(svg, (n) => n.name === 'g' && n.attrs.class === 'legend')[0];
    const legendText = all(legend, (n) => n.name === 'text').map((t) => t.text);
    assert.ok(legendText.includes('Estimated duration'), legendText.join('|'));
    assert.ok(all(legend, (n) => n.name === 'rect' && n.attrs.class === 'estimated').length === 1);
    // Without estimated steps, still no step is hatched.
    const s = plan();
    s.steps[3] = { ...s.steps[3], estimated: false, source: 'given' };
    assert.ok(!bars(parseXml(draw(s))).some((g) => classes(g).includes('estimated')));
  });

  test('the window is a band from the start to its end, a line at its end; an overrun is shown past it', () => {
    const s = plan();
    const { pxPerMinute } = timelineScale(s);
    let svg = parseXml(draw(s));
    const band = svg.children.filter((n) => n.name === 'rect' && n.attrs.class === 'window');
    assert.equal(band.length, 1);
    assert.equal(Number(band[0].attrs.x), LAYOUT.labelWidth);
    assert.equal(Number(band[0].attrs.width), 240 * pxPerMinute);
    const end = all(svg, (n) => n.name === 'line' && n.attrs.class === 'window-end');
    assert.equal(Number(end[0].attrs.x1), LAYOUT.labelWidth + 240 * pxPerMinute);
    assert.equal(all(svg, (n) => n.attrs.class === 'overrun').length, 0, 'the plan fits: no overrun (not even in the legend)');

    // A 2-hour window: the last 35 minutes run past it.
    s.window = { start: '2026-12-12T21:00:00+09:00', end: '2026-12-12T23:00:00+09:00', minutes: 120 };
    const sc = timelineScale(s);
    assert.equal(sc.to, 155);
    svg = parseXml(draw(s));
    const over = svg.children.filter((n) => n.name === 'rect' && n.attrs.class === 'overrun');
    assert.equal(over.length, 1);
    assert.equal(Number(over[0].attrs.x), Math.round((LAYOUT.labelWidth + 120 * sc.pxPerMinute) * 100) / 100);
    assert.equal(Number(over[0].attrs.width), Math.round(35 * sc.pxPerMinute * 100) / 100);
    assert.match(titleOf(over[0]), /Past the end of the window: 35m/);
  });

  test('the axis: wall clock from the start time (next day marked), else time since the start', () => {
    let svg = parseXml(draw(plan()));
    const ticks = all(svg, (n) => n.name === 'text' && n.attrs.class === 'tick').map((t) => t.text);
    assert.equal(ticks[0], '21:00');
    assert.ok(ticks.includes('22:00') && ticks.includes('00:00 (+1d)'), ticks.join(' '));
    const s = plan();
    delete s.startTime;
    delete s.window;
    svg = parseXml(draw(s));
    const rel = all(svg, (n) => n.name === 'text' && n.attrs.class === 'tick').map((t) => t.text);
    assert.equal(rel[0], '+0:00');
    assert.ok(rel.includes('+1:00') && rel.includes('+2:00'), rel.join(' '));
    assert.equal(clockText(75, undefined, 'en'), '+1:15');
    assert.equal(clockText(200, { minutes: 23 * 60 }, 'ja'), '02:20（+1日）');
    assert.equal(durationText(90, 'en'), '1h30m');
    assert.equal(durationText(90, 'ja'), '1時間30分');
  });

  test('problems are marked on their step, with severity and `rule: message` in the title', () => {
    const s = plan();
    const diags: Diagnostic[] = [
      { rule: 'imp/window-overrun', severity: 'warning', message: 'The plan runs past the window.', range: line(32, 32), fixes: [] },
      { rule: 'manifest/product', severity: 'error', message: 'Unknown product.', range: line(1, 1), fixes: [] },
      { rule: 'imp/ha-off', severity: 'error', message: 'Turn HA off <first>.', range: line(35, 35), fixes: [] },
    ];
    const marks = markDiagnostics(diags, s.steps);
    assert.deepEqual(
      marks.map((m) => m.stepIndex),
      [2, undefined, 2],
    );
    const svg = parseXml(draw(s, marks));
    const marked = bars(svg).filter((g) => classes(g).some((c) => c.startsWith('mark-')));
    assert.deepEqual(
      marked.map((g) => [g.attrs['data-step'], classes(g).find((c) => c.startsWith('mark-'))]),
      [
        ['2', 'mark-error'],
        ['2', 'mark-error'],
      ],
    );
    const icon = all(marked[0], (n) => n.name === 'g' && classes(n).includes('mark'))[0];
    assert.equal(titleOf(icon), 'imp/window-overrun: The plan runs past the window.\nimp/ha-off: Turn HA off <first>.');
    assert.match(titleOf(marked[0]), /imp\/ha-off: Turn HA off <first>\./);
    assert.match(marked[0].attrs['aria-label'], /Problems: 2\./);
    // The file-level problem marks no step.
    assert.equal(all(svg, (n) => n.name === 'g' && classes(n).includes('mark')).length, 2);
  });

  test('a hostile step id and node name are escaped; the SVG stays well formed', () => {
    const s = plan();
    s.steps[1] = { ...s.steps[1], id: '<script>alert("x")</script>&\u0001', nodes: ['pub', '"><img src=x onerror=1>'] };
    const text = draw(s, [{ rule: 'r/x', severity: 'error', message: '</title><script>', stepIndex: 1 }]);
    assert.ok(!text.includes('<script'), 'no markup from the data');
    assert.ok(!text.includes('<img'));
    assert.ok(!text.includes('\u0001'));
    const svg = parseXml(text);
    const g = bars(svg).find((x) => x.attrs['data-node'] === '"><img src=x onerror=1>');
    assert.ok(g, 'the unknown node got its lane, with its name as data');
    assert.match(titleOf(g!), /<script>alert\("x"\)<\/script>&/);
    assert.equal(xmlEscape(`a<b>&"'`), 'a&lt;b&gt;&amp;&quot;&#39;');
  });

  test('Japanese labels', () => {
    const svg = parseXml(draw(plan(), [], { locale: 'ja' }));
    assert.equal(all(svg, (n) => n.name === 'title')[0].text, 'ランブックのタイムライン');
    const legend = all(all(svg, (n) => n.attrs.class === 'legend')[0], (n) => n.name === 'text').map((t) => t.text);
    assert.ok(legend.includes('推定の所要時間') && legend.includes('メンテナンス ウィンドウ'), legend.join('|'));
    const check = bars(svg).find((g) => g.attrs['data-step'] === '3')!;
    assert.match(check.attrs['aria-label'], /^手順 4 check（verify）、pub: 23:15～23:35、20分（推定）。$/);
  });

  test('the step id is written on its bar when it fits; the selected step is highlighted', () => {
    const s = plan();
    s.steps[3] = { ...s.steps[3], id: 'check-every-service-on-every-node' };
    const svg = parseXml(draw(s, [], { selectedStep: 1 }));
    const labels = all(svg, (n) => n.name === 'text' && n.attrs.class === 'label').map((t) => t.text);
    assert.deepEqual(labels, ['backup', 'upgrade-pub', 'upgrade-subs', 'upgrade-subs']);
    const long = bars(svg).filter((g) => g.attrs['data-step'] === '3');
    assert.equal(long.length, 3, 'a 20-minute bar is too narrow for its id, which is in its title');
    assert.match(titleOf(long[0]), /check-every-service-on-every-node/);
    assert.deepEqual(
      bars(svg)
        .filter((g) => classes(g).includes('selected'))
        .map((g) => g.attrs['data-step']),
      ['1'],
    );
  });

  test('themes: vscode colours only through CSS variables, print with fixed colours', () => {
    const v = draw(plan());
    const style = /<style>([\s\S]*?)<\/style>/.exec(v)![1];
    for (const decl of style.match(/(fill|stroke):[^;}]+/g)!) assert.match(decl, /var\(--vscode-|url\(#|none/, decl);
    assert.match(style, /var\(--vscode-focusBorder/);
    const p = draw(plan(), [], { theme: 'print' });
    assert.ok(!p.includes('--vscode-'));
    assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg")/.test(v + p), 'no address but the SVG namespace');
  });

  test('an empty plan, broken numbers, and thousands of steps: bounded and fast', () => {
    const empty = parseXml(draw({ steps: [], nodes: [], total: 0 }));
    assert.ok(all(empty, (n) => n.attrs.class === 'empty').length === 1);
    const s = plan();
    s.window = { start: 'x', end: 'y', minutes: NaN };
    s.steps[0] = { ...s.steps[0], duration: NaN, end: NaN };
    parseXml(draw(s));
    const many: Schedule = { steps: [], nodes: [], total: 0 };
    for (let i = 0; i < 20; i++) many.nodes.push({ name: `n${i}`, down: [] });
    for (let i = 0; i < 4000; i++) many.steps.push(step(i, `step-${i}`, [`n${i % 20}`, `n${(i + 7) % 20}`], i * 15, 15));
    const t0 = performance.now();
    const text = draw(many);
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `${ms} ms`);
    const svg = parseXml(text);
    assert.equal(bars(svg).length, 8000);
    assert.ok(Number(svg.attrs.width) <= LAYOUT.labelWidth + LAYOUT.maxPlotWidth + LAYOUT.rightPad);
    assert.ok(text.length < 8000 * 1200, `${text.length} characters`);
    // Steps of 9999 hours: the axis still has a bounded number of ticks.
    const long: Schedule = { steps: [], nodes: [{ name: 'n', down: [] }], total: 0 };
    for (let i = 0; i < 2000; i++) long.steps.push(step(i, `s${i}`, ['n'], i * 599940, 599940));
    const ticks = all(parseXml(draw(long)), (n) => n.attrs.class === 'tick');
    assert.ok(ticks.length > 2 && ticks.length <= LAYOUT.maxPlotWidth / 64 + 1, `${ticks.length} ticks`);
  });
});

describe('markDiagnostics', () => {
  test('a diagnostic belongs to the step whose item contains its start, inclusive of the item end', () => {
    const s = plan().steps;
    const d = (l: number, c = 4): Diagnostic => ({
      rule: 'x/y',
      severity: 'hint',
      message: 'm',
      range: { start: { line: l, character: c }, end: { line: l, character: c + 1 } },
      fixes: [],
    });
    const m = markDiagnostics([d(9), d(10), d(15, 20), d(15, 21), d(16), d(45), d(60)], s);
    assert.deepEqual(
      m.map((x) => x.stepIndex),
      [undefined, 0, 0, undefined, undefined, 3, undefined],
    );
    assert.deepEqual(markDiagnostics([], s), []);
    assert.deepEqual(markDiagnostics([d(10)], []), [{ rule: 'x/y', severity: 'hint', message: 'm' }]);
  });
});

/**
 * The runbook preview's client side without VS Code: the command's contribution (title in every locale, editor
 * title button, context menus), the client texts' translations, the page's Content-Security-Policy, and its script
 * run against a small stand-in of the DOM (clicks and keys post the step, messages redraw and highlight).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
import { pageHtml, stepAt } from '../../client/runbook-page';
import { LOCALES } from '../../server/engine/l10n/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const COMMAND = 'upgradeLint.openRunbookPreview';

test('the command is contributed with its icon, a title in every locale, the editor title button and the context menus', () => {
  const pkg = JSON.parse(read('package.json'));
  const c = pkg.contributes.commands.find((x: { command: string }) => x.command === COMMAND);
  assert.deepEqual(c, { command: COMMAND, title: '%command.openRunbookPreview%', category: 'Upgrade Lint', icon: '$(open-preview)' });
  assert.equal(JSON.parse(read('package.nls.json'))['command.openRunbookPreview'], 'Open Runbook Preview');
  for (const l of LOCALES.filter((x) => x !== 'en')) assert.ok(JSON.parse(read(`package.nls.${l}.json`))['command.openRunbookPreview']?.trim(), l);
  const menus = pkg.contributes.menus as Record<string, { command: string; when?: string; group?: string }[]>;
  const entry = (menu: string) => menus[menu]?.find((m) => m.command === COMMAND);
  assert.deepEqual(entry('editor/title'), { command: COMMAND, when: 'editorLangId == upgrade-manifest', group: 'navigation' });
  assert.equal(entry('editor/context')?.when, 'editorLangId == upgrade-manifest');
  assert.equal(entry('explorer/context')?.when, 'resourceLangId == upgrade-manifest');
  assert.match(entry('commandPalette')?.when ?? '', /editorLangId == upgrade-manifest/);
  // The client registers it, and the test commands it offers are not in the palette.
  const client = read('client/runbook.ts');
  assert.match(client, new RegExp(`'${COMMAND.replace('.', '\\.')}'`));
  for (const id of ['upgradeLint.runbookSnapshot', 'upgradeLint.runbookMessage']) {
    assert.ok(client.includes(`'${id}'`), id);
    assert.ok(!pkg.contributes.commands.some((x: { command: string }) => x.command === id), id);
  }
});

test("the preview's client texts have their translation in each locale's client bundle", () => {
  const used = [...read('client/runbook.ts').matchAll(/\bt\(\s*'([^']+)'/g)].map((m) => m[1]);
  assert.ok(used.length >= 10, used.join(' | '));
  for (const l of LOCALES.filter((x) => x !== 'en')) {
    const bundle = JSON.parse(read(`l10n/bundle.l10n.${l}.json`)) as Record<string, string>;
    assert.deepEqual(
      used.filter((u) => !bundle[u]),
      [],
      `l10n/bundle.l10n.${l}.json`,
    );
    // Placeholders survive the translation.
    for (const u of used) assert.deepEqual((bundle[u].match(/\{\d\}/g) ?? []).sort(), (u.match(/\{\d\}/g) ?? []).sort(), u);
  }
});

const WEBVIEW = { cspSource: "'self' https://*.vscode-cdn.net" };
const NONCE = 'bm9uY2Utb2YtdGhlLXRlc3Q=';

test('the page: a strict policy, the nonce on its one style sheet and one script, nothing remote, the file name escaped', () => {
  const html = pageHtml(WEBVIEW, NONCE, 'ja', 'Runbook: <img src=x onerror=alert(1)>.upgrade.yaml');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
  assert.equal(
    csp,
    `default-src 'none'; style-src 'self' https://*.vscode-cdn.net 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src 'self' https://*.vscode-cdn.net data:`,
  );
  assert.deepEqual(
    [...html.matchAll(/<(script|style)\b([^>]*)>/g)].map((m) => `${m[1]}${m[2]}`),
    [`style nonce="${NONCE}"`, `script nonce="${NONCE}"`],
  );
  assert.doesNotMatch(html.replace(csp, '').replace(/<title>.*<\/title>/, ''), /https?:|\ssrc=|<link|@import|url\(/);
  assert.match(html, /<html lang="ja">/);
  assert.match(html, /<title>Runbook: &#60;img src=x onerror=alert\(1\)&#62;\.upgrade\.yaml<\/title>/);
  assert.doesNotMatch(html, /<img/);
});

/** A stand-in of the few DOM parts the page's script uses: elements with classes, `data-step`, closest() and focus. */
class El {
  classes = new Set<string>();
  attrs: Record<string, string> = {};
  parent?: El;
  children: El[] = [];
  innerHTML = '';
  textContent = '';
  focused = 0;
  listeners: Record<string, ((e: unknown) => void)[]> = {};
  constructor(
    public tag: string,
    cls = '',
    attrs: Record<string, string> = {},
  ) {
    cls
      .split(' ')
      .filter(Boolean)
      .forEach((c) => this.classes.add(c));
    this.attrs = attrs;
  }
  get classList() {
    return { add: (c: string) => this.classes.add(c), remove: (c: string) => this.classes.delete(c) };
  }
  add(child: El) {
    child.parent = this;
    this.children.push(child);
    return child;
  }
  getAttribute(n: string) {
    return this.attrs[n] ?? null;
  }
  all(): El[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  matches(sel: string) {
    const m = /^g\.step((?:\.[a-z]+)*)(?:\[data-step="(\d+)"\])?$/.exec(sel);
    if (!m) throw new Error(`selector not supported by the stand-in: ${sel}`);
    const classes = m[1].split('.').filter(Boolean);
    return (
      this.tag === 'g' && this.classes.has('step') && classes.every((c) => this.classes.has(c)) && (m[2] === undefined || this.attrs['data-step'] === m[2])
    );
  }
  querySelectorAll(sel: string) {
    return this.all().filter((e) => e.matches(sel));
  }
  closest(sel: string): El | null {
    if (this.tag === 'g' && this.matches(sel)) return this;
    return this.parent ? this.parent.closest(sel) : null;
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  focus() {
    this.focused++;
  }
}

function runPage() {
  const html = pageHtml(WEBVIEW, NONCE, 'en', 'Runbook: a.upgrade.yaml');
  const script = /<script nonce="[^"]+">([^]*?)<\/script>/.exec(html)![1];
  const timeline = new El('div');
  const steps = timeline.add(new El('g', 'steps'));
  // Step 0 on one node, step 1 on two (two bars), step 2 on one; a mark inside step 1's first bar.
  const bar = (i: number) => steps.add(new El('g', 'step given', { 'data-step': String(i), tabindex: '0' }));
  const s0 = bar(0);
  const s1a = bar(1);
  const s1b = bar(1);
  const s2 = bar(2);
  const mark = s1a.add(new El('g', 'mark mark-error')).add(new El('circle'));
  const els: Record<string, El> = { timeline, summary: new El('p'), message: new El('p') };
  const posted: unknown[] = [];
  const windowListeners: ((e: { data: unknown }) => void)[] = [];
  const document = { getElementById: (id: string) => els[id], activeElement: null as El | null };
  const context = {
    // (Through JSON, as postMessage does: the script's objects are of another realm.)
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => void posted.push(JSON.parse(JSON.stringify(m))) }),
    document,
    window: { addEventListener: (_: string, fn: (e: { data: unknown }) => void) => void windowListeners.push(fn) },
    Number,
    String,
  };
  vm.runInNewContext(script, context);
  const fire = (el: El, type: string, e: Record<string, unknown>) => {
    let prevented = false;
    for (const fn of timeline.listeners[type] ?? []) fn({ target: el, preventDefault: () => (prevented = true), ...e });
    return prevented;
  };
  const receive = (data: unknown) => windowListeners.forEach((fn) => fn({ data }));
  return { posted, fire, receive, els, document, bars: { s0, s1a, s1b, s2, mark } };
}

test("the page's script: ready on load; a click or Enter/Space on a bar posts its step; other keys and places post nothing", () => {
  const { posted, fire, bars, els } = runPage();
  assert.deepEqual(posted, [{ type: 'ready' }]);
  fire(bars.mark, 'click', {}); // on the mark inside step 1's bar
  fire(bars.s2, 'click', {});
  fire(els.timeline, 'click', {}); // between the bars
  assert.equal(fire(bars.s0, 'keydown', { key: 'Enter' }), true, 'Enter is taken');
  assert.equal(fire(bars.s1b, 'keydown', { key: ' ' }), true, 'Space does not scroll the page');
  assert.equal(fire(bars.s0, 'keydown', { key: 'Tab' }), false, 'Tab moves the focus as usual');
  fire(bars.s0, 'keydown', { key: 'a' });
  assert.deepEqual(posted.slice(1), [
    { type: 'reveal', index: 1 },
    { type: 'reveal', index: 2 },
    { type: 'reveal', index: 0 },
    { type: 'reveal', index: 1 },
  ]);
});

test("the page's script: highlight marks every bar of the step and only those; an update redraws and keeps the selection it is given", () => {
  const { receive, bars, els } = runPage();
  const selected = () => Object.entries(bars).flatMap(([k, e]) => (e.classes.has('selected') ? [k] : []));
  receive({ type: 'highlight', index: 1 });
  assert.deepEqual(selected(), ['s1a', 's1b']);
  receive({ type: 'highlight', index: 2 });
  assert.deepEqual(selected(), ['s2']);
  receive({ type: 'highlight', index: -1 });
  assert.deepEqual(selected(), []);
  receive({ type: 'highlight', index: '1' }); // not a number: nothing
  assert.deepEqual(selected(), []);
  receive({ type: 'update', svg: '<svg></svg>', summary: '3 steps', message: '', selected: 0, steps: 3 });
  assert.equal(els.timeline.innerHTML, '<svg></svg>');
  assert.equal(els.summary.textContent, '3 steps');
  // (The stand-in keeps its bars after innerHTML is set: the selection given is applied to them.)
  assert.deepEqual(selected(), ['s0']);
  receive(null);
  receive('update');
  assert.deepEqual(selected(), ['s0']);
});

test("stepAt: the step whose item holds the cursor, from the item's first character to its last; -1 outside", () => {
  const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
  const steps = [
    { index: 0, id: 'a', itemRange: r(10, 4, 12, 14) },
    { index: 1, id: 'b', itemRange: r(13, 4, 15, 10) },
  ];
  const at = (line: number, character: number) => stepAt(steps, { line, character });
  assert.equal(at(10, 4), 0);
  assert.equal(at(11, 0), 0);
  assert.equal(at(12, 14), 0);
  assert.equal(at(12, 15), -1);
  assert.equal(at(13, 2), -1);
  assert.equal(at(14, 0), 1);
  assert.equal(at(9, 20), -1);
  assert.equal(at(99, 0), -1);
  assert.equal(stepAt([], { line: 0, character: 0 }), -1);
});

#!/usr/bin/env node
/*
 * UI check of the packaged extension, as a person sees it: installs upgrade-lint.vsix into code-server, opens a
 * workspace in headless Chromium (playwright-core) and clicks through it. It checks, in this order (screenshot):
 *   1. a broken meta file clicked in the Explorer gets its squiggle under the URL (1-squiggle);
 *   2. hovering the squiggle explains the rule (2-hover);
 *   3. the Problems panel lists the problem with its rule id (3-problems);
 *   4. the light bulb's preferred fix removes the port and the problem goes (4-quick-fix, 5-fixed);
 *   5. "Add every missing key" in a meta file with only updateFileSize= inserts `version=` and `updateFileUrl=`
 *      as a snippet: the cursor waits at the first value, Tab goes to the second (6-placeholder,
 *      7-placeholder-filled);
 *   6. the language status item (the `{ }` next to the language mode) shows the file's problem counts and
 *      Validate Workspace, whose link runs it (8-status-hover, 9-validate-workspace);
 *   7. "Show documentation for meta/http-port" from the light bulb opens the rule's page rendered, in a preview
 *      tab, at its top, not the Markdown source (10-doc-preview);
 *   8. the rule link in the Problems panel (a command: link for our client) opens the rendered page too
 *      (11-problems-link-preview);
 *   9. the README on the extension page (Extensions view, @installed) shows its embedded screenshots: every
 *      <img> loaded (12-readme);
 *  10. the runbook preview opens beside a manifest from the editor title button: one bar per step, the problem
 *      marked, the cursor's step highlighted, a clicked bar (and Enter on a focused one) selects its step; then in
 *      Default Dark Modern (13-runbook-light, 14-runbook-dark).
 * Screenshots go to test-output/ui/ (failed.png: the screen when a check failed); with --update-docs the hover
 * and the light bulb also go to docs/images/ under the names README.md uses.
 * Needs scripts/e2e-setup.sh and `npm run package` first (`npm run test:ui` does both). Prints
 * "ui: N passed, N failed".
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const assert = require('node:assert/strict');

const { ROOT, CODE_SERVER, freePort, launchChromium, waitForCodeServer } = require('../helpers/code-server');
const VSIX = path.join(ROOT, 'upgrade-lint.vsix');
const SHOTS = path.join(ROOT, 'test-output', 'ui');
const updateDocs = process.argv.includes('--update-docs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  assert.ok(fs.existsSync(VSIX), 'upgrade-lint.vsix is missing: run npm run package first');
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.rmSync(path.join(SHOTS, 'failed.png'), { force: true }); // from an earlier run
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-ui-'));
  const dirs = Object.fromEntries(['ud', 'ext', 'cfg', 'data', 'cache', 'ws'].map((d) => [d, path.join(scratch, d)]));
  Object.values(dirs).forEach((d) => fs.mkdirSync(d));
  fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.ud, 'User', 'settings.json'),
    JSON.stringify({
      'files.autoSave': 'off',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'editor.hover.delay': 100,
      'workbench.colorTheme': 'Default Light Modern',
      'window.commandCenter': false,
    }),
  );
  fs.writeFileSync(
    path.join(dirs.ws, 'ACNS-5.1.3-lab.meta'),
    '# Copied from the lab and edited at 2 a.m.\nupdateFileSize=97205475\nversion= 5.1.3\ndescription= lab image server\nupdateFileUrl= http://lab-web.example.com:8080/acns/ACNS-5.1.3-K9.bin\n',
  );
  fs.copyFileSync(path.join(ROOT, 'examples', 'acns', 'ACNS-5.1.3.meta'), path.join(dirs.ws, 'ACNS-5.1.3.meta'));
  // Two keys missing: the "Add every missing key" fix inserts them as a snippet (tab stops at the values).
  fs.writeFileSync(path.join(dirs.ws, 'new.meta'), 'updateFileSize=97205475\n');
  // One http-port error (and nothing else): the file behind the status item, the docs and the Problems link.
  fs.writeFileSync(
    path.join(dirs.ws, 'ACNS-5.2.0-docs.meta'),
    'updateFileSize=97205475\nversion=5.2.0\nupdateFileUrl=http://lab-web.example.com:8080/acns/ACNS-5.2.0-K9.bin\n',
  );
  const env = { ...process.env, XDG_CONFIG_HOME: dirs.cfg, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache };
  const port = await freePort();
  fs.writeFileSync(path.join(scratch, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext, '--config', path.join(scratch, 'config.yaml')];
  const inst = spawnSync(CODE_SERVER, [...common, '--install-extension', VSIX], { env, encoding: 'utf8', timeout: 120000 });
  assert.match(inst.stdout + inst.stderr, /successfully installed/i, `VSIX install failed: ${inst.stdout}${inst.stderr}`);
  const cs = spawn(
    CODE_SERVER,
    [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    { env, detached: true, stdio: 'ignore' },
  );
  let browser;
  let page;
  const results = [];
  const check = async (name, fn) => {
    const t = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - t });
      console.log(`✔ ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      results.push({ name, ok: false });
      const p = path.join(SHOTS, 'failed.png');
      if (page) await page.screenshot({ path: p }).catch(() => undefined);
      console.log(`✖ ${name}\n    ${e && e.message}\n    (screen at the failure: ${path.relative(ROOT, p)})`);
      throw e;
    }
  };
  try {
    if (!(await waitForCodeServer(port))) throw new Error('code-server did not start');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    const EDITOR = '.part.editor .editor-group-container.active .monaco-editor';
    /** Clicks a file in the Explorer and waits until its editor is the active one. */
    const openFromExplorer = async (name) => {
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
      await row.waitFor({ timeout: 30000 });
      await row.click();
      await page.locator('.part.editor .tab.active', { hasText: name }).waitFor({ timeout: 30000 });
      await page.waitForSelector(`${EDITOR} .view-lines`, { timeout: 30000 });
    };
    /** The lines of the active text editor, top to bottom (Monaco renders spaces as no-break spaces). */
    const editorLines = () =>
      page.evaluate((sel) => {
        const rows = [...document.querySelectorAll(`${sel} .view-lines .view-line`)];
        rows.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
        return rows.map((r) => r.textContent.replace(/\u00a0/g, ' '));
      }, EDITOR);
    /** The cursor as the status bar shows it: `Ln 2, Col 9`. */
    const cursorPosition = async () =>
      (
        await page
          .locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ })
          .first()
          .textContent()
      ).trim();
    /** In the open light bulb menu: moves the focus to the action whose title matches and runs it with Enter. */
    const chooseAction = async (re) => {
      const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: re }).first();
      // Seen once in about six runs, right after a file opened: "No code actions available" for Ctrl+. although the
      // light bulb was there. Then it asks again, at most twice, and says so in the output.
      const none = page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
      for (let attempt = 1; ; attempt++) {
        await Promise.race([item.waitFor({ timeout: 15000 }), none.waitFor({ timeout: 15000 })]).catch(() => undefined);
        if (await item.isVisible()) break;
        const empty = await none.isVisible();
        if (!empty || attempt >= 3) {
          const titles = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
          throw new Error(empty ? `Ctrl+. found no code actions, ${attempt} times` : `no action ${re} in the menu: ${JSON.stringify(titles)}`);
        }
        console.log('  ⚠ Ctrl+. found no code actions: asking again');
        await page.keyboard.press('Escape');
        await sleep(500);
        await page.keyboard.press('Control+.');
      }
      // The menu has an overlay that swallows clicks: move the focus with the arrows.
      for (let i = 0; i < 12; i++) {
        const focused = await page
          .locator('.action-widget .monaco-list-row.focused')
          .first()
          .textContent()
          .catch(() => '');
        if (re.test((focused || '').trim())) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
    };
    const shot = async (name) => {
      const p = path.join(SHOTS, `${name}.png`);
      await page.screenshot({ path: p });
      return p;
    };

    await check('open the broken meta file from the Explorer', async () => {
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ACNS-5.1.3-lab.meta' });
      await row.waitFor({ timeout: 60000 });
      await row.click();
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30000 });
    });
    await check('the squiggle appears under the URL', async () => {
      await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30000 });
      await sleep(500);
      await shot('1-squiggle');
    });
    await check('hovering the squiggle explains the rule', async () => {
      const sq = page.locator('.monaco-editor .squiggly-error').first();
      const box = await sq.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:visible, .monaco-resizable-hover:visible').first();
      await hover.waitFor({ timeout: 15000 });
      await page.waitForFunction(() => /port 80/.test(document.body.innerText), null, { timeout: 15000 });
      await shot('2-hover');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    });
    await check('the Problems panel lists the problem with its rule id', async () => {
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 15000 });
      await page.waitForFunction(() => /meta\/http-port/.test(document.querySelector('.markers-panel')?.textContent ?? ''), null, { timeout: 15000 });
      await shot('3-problems');
    });
    await check('the light bulb quick fix removes the port and the problem goes', async () => {
      const sq = page.locator('.monaco-editor .squiggly-error').first();
      const box = await sq.boundingBox();
      await page.mouse.click(box.x + 4, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Remove `:8080`' }).first();
      await item.waitFor({ timeout: 15000 });
      await shot('4-quick-fix');
      // Move the focus to the fix (the menu has an overlay that swallows clicks) and press Enter.
      for (let i = 0; i < 6; i++) {
        const focused = await page
          .locator('.action-widget .monaco-list-row.focused')
          .first()
          .textContent()
          .catch(() => '');
        if (/Remove `:8080`/.test(focused || '')) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => !/meta\/http-port/.test(document.querySelector('.markers-panel')?.textContent ?? ''), null, { timeout: 15000 });
      await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-error').length === 0, null, { timeout: 15000 });
      await page.waitForFunction(() => /lab-web\.example\.com\/acns/.test(document.querySelector('.monaco-editor .view-lines')?.textContent ?? ''), null, {
        timeout: 15000,
      });
      await shot('5-fixed');
    });

    // ---- Placeholder insert: the snippet edit of "Add every missing key" -------------------------------------
    await check('"Add every missing key" inserts the keys with tab stops at their values', async () => {
      await openFromExplorer('new.meta');
      await page.waitForSelector(`${EDITOR} .squiggly-error`, { timeout: 30000 });
      await sleep(500);
      // The missing-key problem sits at the end of the text (after the last value, before the final line break).
      // Clicking into the text gives the editor the keyboard focus (the Explorer has it after the click there).
      await page.locator(`${EDITOR} .view-line`).first().click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('End');
      await page.keyboard.press('Control+.');
      await chooseAction(/Add every missing key/);
      await page.waitForFunction((sel) => /updateFileUrl=/.test(document.querySelector(`${sel} .view-lines`)?.textContent ?? ''), EDITOR, { timeout: 15000 });
      await sleep(300);
      const lines = await editorLines();
      assert.deepEqual(lines.slice(0, 3), ['updateFileSize=97205475', 'version=', 'updateFileUrl='], `editor shows ${JSON.stringify(lines)}`);
      // The first tab stop: the cursor waits at the value of `version=`, not at the end of the inserted text.
      assert.equal(await cursorPosition(), 'Ln 2, Col 9');
      await shot('6-placeholder');
      await page.keyboard.type('5.1.3');
      await page.keyboard.press('Tab');
      await page.keyboard.type('http://lab-web.example.com/acns/ACNS-5.1.3-K9.bin');
      await page.keyboard.press('Escape');
      await sleep(300);
      const typed = await editorLines();
      assert.deepEqual(
        typed.slice(0, 3),
        ['updateFileSize=97205475', 'version=5.1.3', 'updateFileUrl=http://lab-web.example.com/acns/ACNS-5.1.3-K9.bin'],
        `after typing the editor shows ${JSON.stringify(typed)}`,
      );
      await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .squiggly-error`).length === 0, EDITOR, { timeout: 15000 });
      await shot('7-placeholder-filled');
    });

    // ---- The language status item ----------------------------------------------------------------------------
    await check('the language status hover shows the problem counts and Validate Workspace', async () => {
      await openFromExplorer('ACNS-5.2.0-docs.meta');
      await page.waitForSelector(`${EDITOR} .squiggly-error`, { timeout: 30000 });
      // The `{ }` next to the language mode: VS Code's entry for all language status items of the file.
      const entry = page.locator('[id="status.languageStatus"]');
      await page.waitForFunction(
        () => /Upgrade Lint: 1 error, 0 warnings/.test(document.getElementById('status.languageStatus')?.getAttribute('aria-label') ?? ''),
        null,
        {
          timeout: 15000,
        },
      );
      await entry.click();
      const status = page.locator('.workbench-hover .hover-language-status').filter({ hasText: 'Upgrade Lint:' }).first();
      await status.waitFor({ timeout: 15000 });
      await sleep(300); // the hover fades in
      assert.match(await status.locator('.left').innerText(), /^Upgrade Lint: 1 error, 0 warnings/);
      const link = status.locator('a.monaco-link', { hasText: 'Validate Workspace' });
      assert.equal(await link.getAttribute('href'), 'command:upgradeLint.validateWorkspace');
      const [right, width] = await link.evaluate((a) => [a.getBoundingClientRect().right, innerWidth]);
      assert.ok(right <= width, `the hover is cut off at the window's edge: "Validate Workspace" ends at ${Math.round(right)} px of ${width}`);
      await shot('8-status-hover');
      // The link runs the command (Playwright scrolls it into view first): its summary comes up as a notification.
      await link.click();
      // The hover stays open over the notification as long as the mouse is on it.
      await page.mouse.move(600, 300);
      await page.keyboard.press('Escape');
      const toast = page.locator('.notification-toast', { hasText: /Upgrade Lint: \d+ files checked/ }).first();
      await toast.waitFor({ timeout: 30000 });
      // It slides in from below the window: wait until it is all in view.
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.notification-toast')].some(
            (e) => /files checked/.test(e.textContent) && e.getBoundingClientRect().bottom <= innerHeight && getComputedStyle(e).opacity === '1',
          ),
        null,
        { timeout: 15000 },
      );
      await shot('9-validate-workspace');
      await toast.hover();
      await toast.locator('.codicon-notifications-clear').click();
    });

    // ---- Rendered documentation -----------------------------------------------------------------------------
    const HEADING = 'meta/http-port';
    /** The webview frame whose rendered page has the rule's heading, or undefined. */
    const docFrame = async () => {
      for (const f of page.frames()) {
        const h = await f.evaluate(() => document.querySelector('h1')?.textContent ?? '').catch(() => '');
        if (h.trim() === HEADING) return f;
      }
      return undefined;
    };
    /** Waits for the active editor to be the rendered page of meta/http-port: a preview tab, not its source. */
    const expectRenderedDoc = async () => {
      const tab = page.locator('.part.editor .editor-group-container.active .tab.active');
      // Whatever opens (the preview or the source), its tab names the page: then tell which it is.
      await page.waitForFunction(
        () => /http-port\.md/.test(document.querySelector('.part.editor .editor-group-container.active .tab.active')?.textContent ?? ''),
        null,
        { timeout: 15000 },
      );
      const label = (await tab.innerText()).trim();
      assert.match(label, /^\[?Preview\]? http-port\.md/, `the active tab is "${label}", not the rendered page`);
      let frame;
      for (let i = 0; i < 100 && !(frame = await docFrame()); i++) await sleep(100);
      assert.ok(frame, 'no webview shows the rendered page');
      // At the top of the page (the English half), the heading in view.
      const top = await frame.evaluate(() => document.querySelector('h1').getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 200, `heading at ${top}px`);
      // No text editor in front: the source is not what is shown, and no tab has it open.
      const textEditorShown = await page
        .locator(EDITOR)
        .evaluateAll((els) => els.some((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().width > 0));
      assert.equal(textEditorShown, false, 'a text editor is visible in the active group');
      const sources = await page
        .locator('.part.editor .tab .label-name')
        .evaluateAll((els) => els.map((e) => e.textContent.trim()).filter((t) => t === 'http-port.md'));
      assert.deepEqual(sources, [], 'the Markdown source is open in a tab');
    };
    const closeActiveEditor = async () => {
      const tab = page.locator('.part.editor .editor-group-container.active .tab.active');
      const label = await tab.innerText();
      await tab.locator('.tab-actions .action-label').click();
      await page.waitForFunction((l) => ![...document.querySelectorAll('.part.editor .tab')].some((t) => t.innerText === l), label, { timeout: 15000 });
    };

    await check('"Show documentation" from the light bulb opens the rendered page', async () => {
      const sq = page.locator(`${EDITOR} .squiggly-error`).first();
      const box = await sq.boundingBox();
      await page.mouse.click(box.x + 4, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      await chooseAction(/Show documentation for meta\/http-port/);
      await expectRenderedDoc();
      await sleep(300);
      await shot('10-doc-preview');
      await closeActiveEditor();
    });

    await check('the rule link in the Problems panel opens the rendered page too', async () => {
      await page.locator('.part.editor .tab', { hasText: 'ACNS-5.2.0-docs.meta' }).click();
      await page.waitForSelector(`${EDITOR} .view-lines`, { timeout: 15000 });
      const link = page.locator('.markers-panel .monaco-list-row a.monaco-link', { hasText: HEADING }).first();
      await link.waitFor({ timeout: 15000 });
      const href = await link.getAttribute('href');
      assert.match(decodeURIComponent(href ?? ''), /^command:upgradeLint\.showRuleDocumentation\?\["meta\/http-port"\]$/, `link: ${href}`);
      await link.click();
      await expectRenderedDoc();
      await sleep(300);
      await shot('11-problems-link-preview');
    });

    // ---- The README on the extension page ------------------------------------------------------------------
    await check('the README on the extension page shows its images', async () => {
      await page.locator('.part.activitybar .action-item a[aria-label^="Extensions"]').click();
      const search = page.locator('.extensions-viewlet .suggest-input-container .monaco-editor').first();
      await search.waitFor({ timeout: 15000 });
      await search.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('@installed upgrade-lint');
      const row = page.locator('.extensions-viewlet .monaco-list-row .extension-list-item', { hasText: 'Upgrade Lint' }).first();
      await row.waitFor({ timeout: 30000 });
      await row.click();
      // The README is rendered in a webview (nested iframes): the frame whose page has the README's heading.
      let frame;
      let imgs = [];
      for (let i = 0; i < 150; i++) {
        frame = undefined;
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const r = await f
            .evaluate(() => ({
              readme: /^upgrade-lint$/.test(document.querySelector('h1')?.textContent?.trim() ?? ''),
              imgs: [...document.querySelectorAll('img')].map((im) => ({
                src: (im.getAttribute('src') ?? '').slice(0, 30),
                alt: im.alt,
                ok: im.complete && im.naturalWidth > 0,
              })),
            }))
            .catch(() => undefined);
          if (r?.readme) {
            frame = f;
            imgs = r.imgs;
          }
        }
        if (frame && imgs.length >= 2 && imgs.every((im) => im.ok)) break;
        await sleep(100);
      }
      assert.ok(frame, 'no webview shows the README');
      assert.ok(imgs.length >= 2, `README images: ${JSON.stringify(imgs)}`);
      assert.ok(
        imgs.every((im) => im.ok),
        `broken README images: ${JSON.stringify(imgs.filter((im) => !im.ok))}`,
      );
      // Scrolled to the screenshots, as a person reading the page would.
      await frame.evaluate(() => document.querySelector('img').scrollIntoView({ block: 'start' }));
      await sleep(300);
      await shot('12-readme');
    });

    // ---- The runbook preview -------------------------------------------------------------------------------
    /** The webview frame of the runbook preview (the one whose page has `g.step` bars), or undefined. */
    const runbookFrame = async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame()) continue;
        const n = await f.evaluate(() => document.querySelectorAll('#timeline g.step').length).catch(() => 0);
        if (n > 0) return f;
      }
      return undefined;
    };
    /** Gives the manifest's editor (the only text editor next to the preview) the focus: a click into its text. */
    const clickManifestEditor = async () => {
      // By the mouse at a point of the editor (a locator's click scrolls Monaco's virtual lines first).
      const boxes = await page.locator('.part.editor .monaco-editor').evaluateAll((els) =>
        els
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.width > 100 && r.height > 100)
          .map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
      );
      assert.equal(boxes.length, 1, `text editors shown: ${JSON.stringify(boxes)}`);
      await page.mouse.click(boxes[0].x + 80, boxes[0].y + boxes[0].height / 2);
    };
    /** Picks a colour theme as a person does: "Preferences: Color Theme" in the Command Palette. */
    const colorTheme = async (name) => {
      // Ctrl+K Ctrl+T: "Preferences: Color Theme" (the palette's text would also match the Marketplace command).
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Default Light Modern' }).first().waitFor({ timeout: 10000 });
      await page.keyboard.type(name);
      // The filtered list keeps "Browse Additional Color Themes…" first: the theme's row is clicked.
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
    };
    /** Widens the preview (its group) by dragging the sash between the editor groups to the left. */
    const widenPreview = async (px) => {
      const group = page.locator('.part.editor .editor-group-container', { has: page.locator('.tab', { hasText: 'Runbook:' }) });
      const box = await group.boundingBox();
      await page.mouse.move(box.x, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x - px, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
    };
    /** The cursor into a step (Go to Line), the timeline scrolled to its start, a screenshot. */
    const runbookShot = async (manifest, stepId, name) => {
      const line = manifest.split('\n').findIndex((l) => l === `  - id: ${stepId}`) + 2;
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget').waitFor({ timeout: 10000 });
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      let frame;
      for (let i = 0; i < 100 && !(frame = await runbookFrame()); i++) await sleep(100);
      await frame.waitForFunction(() => document.querySelector('#timeline g.step.selected'), null, { timeout: 10000 });
      await frame.evaluate(() => document.getElementById('timeline').scrollTo(0, 0));
      await page.mouse.move(5, 5);
      await sleep(500);
      await shot(name);
    };
    await check('the runbook preview opens beside the manifest from the editor title button, follows the cursor and selects a clicked step', async () => {
      // The IM and Presence example, with a step on a node the manifest does not list (an error marked on its bar).
      const example = fs.readFileSync(path.join(ROOT, 'examples', 'imp', 'im-presence-9.0.upgrade.yaml'), 'utf8');
      const manifest = example.replace(/\n*$/, '\n') + '  - id: upgrade-ghost\n    action: upgrade\n    node: imp-ghost\n    method: cli\n';
      fs.writeFileSync(path.join(dirs.ws, 'site.upgrade.yaml'), manifest);
      const ids = [...manifest.slice(manifest.indexOf('\nsteps:')).matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1]);
      await page.keyboard.press('Control+Shift+E'); // back to the Explorer (the last check left the Extensions view)
      await openFromExplorer('site.upgrade.yaml');
      // Its problem (on line 53, below the fold) reaches the Problems panel, open since the third check.
      await page.waitForFunction(() => /manifest\/unknown-node/.test(document.querySelector('.markers-panel')?.textContent ?? ''), null, { timeout: 30000 });
      // The button in the editor's title bar (codicon open-preview).
      const button = page.locator('.part.editor .editor-group-container.active .editor-actions .action-label[aria-label^="Open Runbook Preview"]');
      await button.waitFor({ timeout: 15000 });
      assert.ok(await button.evaluate((e) => e.classList.contains('codicon-open-preview')), 'the button shows the open-preview icon');
      await button.click();
      await page.locator('.part.editor .tab', { hasText: 'Runbook: site.upgrade.yaml' }).waitFor({ timeout: 15000 });
      let frame;
      for (let i = 0; i < 150 && !(frame = await runbookFrame()); i++) await sleep(100);
      assert.ok(frame, 'no webview shows the timeline');
      // One bar per step reachable by Tab (a step on several nodes has one bar on each), the mark on the ghost step.
      const drawn = await frame.evaluate(() => ({
        steps: [...document.querySelectorAll('#timeline g.step[tabindex="0"]')].map((g) => Number(g.getAttribute('data-step'))),
        mark: [...document.querySelectorAll('#timeline g.step .mark title')].map((t) => t.textContent),
        fill: getComputedStyle(document.querySelector('#timeline g.step rect.bar')).fill,
        styled: getComputedStyle(document.querySelector('#timeline svg')).fontFamily,
        summary: document.getElementById('summary').textContent,
      }));
      assert.deepEqual(
        drawn.steps,
        ids.map((_, i) => i),
      );
      assert.ok(
        drawn.mark.some((t) => /manifest\/unknown-node/.test(t)),
        `marks: ${JSON.stringify(drawn.mark)}`,
      );
      // The SVG's own style sheet applies (the page's policy lets it in by its nonce): bars are coloured by the theme.
      assert.notEqual(drawn.fill, 'rgb(0, 0, 0)', `the bars are black: the SVG's style sheet was refused (${drawn.styled})`);
      assert.match(drawn.summary, new RegExp(`^${ids.length} steps · `));
      // The editor keeps the focus: the cursor moved into the third step highlights its bars.
      const third = manifest.split('\n').findIndex((l) => l === `  - id: ${ids[2]}`);
      await clickManifestEditor();
      await page.keyboard.press('Control+Home');
      for (let i = 0; i < third + 1; i++) await page.keyboard.press('ArrowDown');
      await frame.waitForFunction((i) => document.querySelector(`#timeline g.step.selected[data-step="${i}"]`), 2, { timeout: 10000 });
      // A click on the second bar selects its step in the editor.
      await frame.locator('#timeline g.step[data-step="1"]').first().click();
      const second = manifest.split('\n').findIndex((l) => l === `  - id: ${ids[1]}`);
      await page.waitForFunction(() => /\(\d+ selected\)/.test(document.querySelector('.statusbar')?.textContent ?? ''), null, { timeout: 10000 });
      await frame.waitForFunction(() => document.querySelector('#timeline g.step.selected[data-step="1"]'), null, { timeout: 10000 });
      // The selection ends where the step's item ends: on the line before the third step (or at the start of its line).
      const line = Number(/^Ln (\d+)/.exec(await cursorPosition())[1]);
      assert.ok(line > second + 1 && line <= third + 1, `the cursor is on line ${line}; the second step is lines ${second + 1}–${third}`);
      // The keyboard: Enter on the focused fourth bar selects that step.
      await frame.locator('#timeline g.step[data-step="3"]').first().focus();
      await page.keyboard.press('Enter');
      await frame.waitForFunction(() => document.querySelector('#timeline g.step.selected[data-step="3"]'), null, { timeout: 10000 });
      // For the screenshot: room for the picture (no side bar, no panel), the cursor in the publisher's upgrade.
      await clickManifestEditor();
      await page.keyboard.press('Control+B');
      await page.keyboard.press('Control+J');
      await widenPreview(280);
      await clickManifestEditor();
      await runbookShot(manifest, 'upgrade-publisher', '13-runbook-light');
    });
    await check('the runbook preview follows the colour theme (Default Dark Modern)', async () => {
      const manifest = fs.readFileSync(path.join(dirs.ws, 'site.upgrade.yaml'), 'utf8');
      await colorTheme('Default Dark Modern');
      try {
        await page.waitForSelector('.monaco-workbench.vs-dark', { timeout: 15000 });
        let frame;
        for (let i = 0; i < 100 && !(frame = await runbookFrame()); i++) await sleep(100);
        assert.ok(frame, 'no webview shows the timeline');
        await frame.waitForFunction(() => document.body.classList.contains('vscode-dark'), null, { timeout: 10000 });
        const bg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = bg.match(/\d+/g).map(Number);
        assert.ok(r + g + b < 150, `the page's background is ${bg}, not dark`);
        await runbookShot(manifest, 'upgrade-publisher', '14-runbook-dark');
      } finally {
        await colorTheme('Default Light Modern').catch(() => undefined);
        // The side bar and the panel as the other checks had them.
        await page.keyboard.press('Control+B');
        await page.keyboard.press('Control+J');
      }
    });
    // ---- The printable runbook (CLI), as a browser prints it -------------------------------------------------
    await check('the printable runbook from the CLI renders: timeline, one row per step, the open problems', async () => {
      const example = path.join(ROOT, 'examples', 'imp', 'im-presence-9.0.upgrade.yaml');
      const out = path.join(scratch, 'runbook.html');
      const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint.js'), '--runbook', 'html', example, '-o', out], {
        encoding: 'utf8',
        timeout: 60000,
      });
      assert.ok(cli.status === 0 || cli.status === 1, `--runbook exited ${cli.status}: ${cli.stderr}`);
      const steps = (fs.readFileSync(example, 'utf8').match(/^ {2}- id: /gm) ?? []).length;
      const print = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await print.goto(pathToFileURL(out).href);
        await print.emulateMedia({ media: 'print' });
        const seen = await print.evaluate(() => ({
          bars: new Set([...document.querySelectorAll('svg g.step')].map((g) => g.getAttribute('data-step'))).size,
          svgWidth: document.querySelector('svg')?.getBoundingClientRect().width ?? 0,
          rows: document.querySelectorAll('table')[0]?.querySelectorAll('tbody tr').length ?? 0,
          boxes: (document.body.innerText.match(/☐/g) ?? []).length,
        }));
        assert.ok(steps > 0, 'the example has steps');
        assert.equal(seen.bars, steps, 'one bar group per step in the timeline');
        assert.ok(seen.svgWidth > 300, `the timeline is drawn (${seen.svgWidth} px wide)`);
        assert.equal(seen.rows, steps, 'one table row per step');
        assert.ok(seen.boxes >= steps, 'a checkbox per step');
        await print.screenshot({ path: path.join(SHOTS, '15-runbook-html.png'), fullPage: true });
      } finally {
        await print.close();
      }
    });
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    try {
      process.kill(-cs.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (updateDocs) {
    // Under the names README.md uses (scripts/vsix-readme.mjs embeds them in the VSIX's README).
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    fs.mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
    for (const [shotName, docName] of [
      ['2-hover', 'hover.png'],
      ['4-quick-fix', 'quick-fix.png'],
      ['13-runbook-light', 'runbook-preview.png'],
    ]) {
      assert.ok(readme.includes(`docs/images/${docName}`), `README.md no longer shows docs/images/${docName}`);
      fs.copyFileSync(path.join(SHOTS, `${shotName}.png`), path.join(ROOT, 'docs', 'images', docName));
    }
  }
  return results;
}

main()
  .then((r) => {
    console.log(`ui: ${r.filter((x) => x.ok).length} passed, ${r.filter((x) => !x.ok).length} failed`);
  })
  .catch((e) => {
    console.error('ui check failed:', e && e.message);
    console.log('ui: 0 passed, 1 failed');
    process.exit(1);
  });

#!/usr/bin/env node
/*
 * UI check of the packaged extension, as a person sees it: installs upgrade-lint.vsix into code-server, opens a
 * workspace in headless Chromium (playwright-core), clicks a broken meta file in the Explorer, waits for the
 * squiggle, hovers it, reads the Problems panel, applies the quick fix from the light bulb and sees the
 * problem go. Screenshots go to test-output/ui/ (with --update-docs also to docs/images/).
 * Needs scripts/e2e-setup.sh and `npm run package` first. Prints "ui: N passed, N failed".
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');

const { ROOT, CODE_SERVER, freePort, launchChromium, waitForCodeServer } = require('../helpers/code-server');
const VSIX = path.join(ROOT, 'upgrade-lint.vsix');
const SHOTS = path.join(ROOT, 'test-output', 'ui');
const updateDocs = process.argv.includes('--update-docs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  assert.ok(fs.existsSync(VSIX), 'upgrade-lint.vsix is missing: run npm run package first');
  fs.mkdirSync(SHOTS, { recursive: true });
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
  const results = [];
  const check = async (name, fn) => {
    const t = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - t });
      console.log(`✔ ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      results.push({ name, ok: false });
      console.log(`✖ ${name}\n    ${e && e.message}`);
      throw e;
    }
  };
  try {
    if (!(await waitForCodeServer(port))) throw new Error('code-server did not start');
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
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
    fs.mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
    for (const n of ['2-hover', '4-quick-fix']) fs.copyFileSync(path.join(SHOTS, `${n}.png`), path.join(ROOT, 'docs', 'images', `${n}.png`));
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

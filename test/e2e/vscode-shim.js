#!/usr/bin/env node
/*
 * A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) on a machine without
 * desktop VS Code: it starts code-server (VS Code in a browser, with the real Node extension host), opens it
 * in headless Debian Chromium through playwright-core, and asks the workbench to load the extension under
 * development and run its tests (the contract VS Code's own browser integration tests use). The exit code is
 * the suite's. Arguments are the ones runTests passes to a real VS Code.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CODE_SERVER, freePort, launchChromium, waitForCodeServer } = require('../helpers/code-server');

const args = process.argv.slice(2);
const opt = (name) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a && a.slice(name.length + 3);
};
const devPath = opt('extensionDevelopmentPath');
const testsPath = opt('extensionTestsPath');
const folder = args.find((a) => !a.startsWith('--'));
const timeoutMs = Number(process.env.UPGRADE_LINT_E2E_TIMEOUT || 300000);
if (!devPath || !testsPath) {
  console.error('vscode-shim: --extensionDevelopmentPath and --extensionTestsPath are required');
  process.exit(2);
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-code-server-'));
  for (const d of ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'chromium']) fs.mkdirSync(path.join(scratch, d));
  const userData = opt('user-data-dir') || path.join(scratch, 'user-data');
  // Settings for the run: the suite changes them through the API as it needs.
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'files.autoSave': 'off',
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
    }),
  );
  const port = await freePort();
  fs.writeFileSync(path.join(scratch, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const cs = spawn(
    CODE_SERVER,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      opt('extensions-dir') || path.join(scratch, 'extensions'),
      '--config',
      path.join(scratch, 'config.yaml'),
    ],
    {
      detached: true,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
        XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
        XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let csLog = '';
  cs.stdout.on('data', (d) => {
    csLog += d;
  });
  cs.stderr.on('data', (d) => {
    csLog += d;
  });
  let browser;
  const stop = async (code) => {
    try {
      if (browser) await browser.close();
    } catch {
      /* gone */
    }
    try {
      process.kill(-cs.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    fs.rmSync(scratch, { recursive: true, force: true });
    process.exit(code);
  };
  const timer = setTimeout(() => {
    console.error(`vscode-shim: timed out after ${timeoutMs} ms\n${csLog.slice(-3000)}`);
    void stop(1);
  }, timeoutMs);
  if (!(await waitForCodeServer(port))) {
    console.error(`vscode-shim: code-server did not start\n${csLog}`);
    return stop(1);
  }
  browser = await launchChromium();
  const page = await browser.newPage();
  let done;
  const finished = new Promise((r) => {
    done = r;
  });
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    console.log(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
  });
  await page.exposeFunction('codeAutomationExit', (code) => done(code));
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
  ]);
  const url = `http://127.0.0.1:${port}/?${folder ? `folder=${encodeURIComponent(path.resolve(folder))}&` : ''}payload=${encodeURIComponent(payload)}`;
  await page.goto(url);
  const code = await finished;
  clearTimeout(timer);
  await stop(typeof code === 'number' ? code : 1);
}

main().catch((e) => {
  console.error('vscode-shim:', e);
  process.exit(1);
});

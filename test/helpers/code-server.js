/**
 * What the in-editor suite (test/e2e/vscode-shim.js) and the UI check (test/ui/ui-check.js) both need to drive
 * code-server in headless Chromium: the pinned tools, a free local port, waiting for code-server to answer, and a
 * Chromium that makes no network calls of its own. Plain CommonJS: both scripts run without compiling.
 */
'use strict';
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS = process.env.UPGRADE_LINT_E2E_TOOLS || path.join(ROOT, '.e2e-tools');
const CODE_SERVER = path.join(TOOLS, 'node_modules', '.bin', 'code-server');

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });

/** Resolves once code-server on `port` answers /healthz; false after about 30 s. */
async function waitForCodeServer(port) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return true;
    } catch {
      /* not yet */
    }
    if (i > 300) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Debian's Chromium through the pinned playwright-core, headless, with its own network features off. */
function launchChromium() {
  const { chromium } = require(path.join(TOOLS, 'node_modules', 'playwright-core'));
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

module.exports = { ROOT, TOOLS, CODE_SERVER, freePort, waitForCodeServer, launchChromium };

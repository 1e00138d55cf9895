/**
 * `npm run test:e2e`: runs the in-editor suite (test/e2e/suite) in a real VS Code through
 * @vscode/test-electron's runTests. With VSCODE_EXECUTABLE set it uses that VS Code (a desktop install);
 * otherwise test/e2e/vscode-shim.js, which runs the same suite in code-server's Node extension host driven
 * by headless Chromium (scripts/e2e-setup.sh installs both).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-e2e-ws-'));
  fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspace'), ws, { recursive: true });
  const results = path.join(ws, '.e2e-results.json');
  process.env.UPGRADE_LINT_E2E_RESULTS = results;
  const started = Date.now();
  let code = 1;
  try {
    code = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE ?? path.join(ROOT, 'test', 'e2e', 'vscode-shim.js'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index'),
      launchArgs: [ws, '--disable-extensions'],
      extensionTestsEnv: { UPGRADE_LINT_E2E_RESULTS: results },
    });
  } catch (e) {
    console.error('e2e run failed:', e);
  }
  let passed = 0,
    failed = 0;
  if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, 'utf8')) as {
      tests: { name: string; ok: boolean; error?: string; ms: number }[];
      figures: Record<string, number>;
    };
    for (const t of r.tests) {
      console.log(`${t.ok ? '✔' : '✖'} ${t.name} (${t.ms} ms)${t.ok ? '' : `\n    ${t.error}`}`);
      if (t.ok) passed++;
      else failed++;
    }
    for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k}: ${v}`);
  } else {
    console.log('no results were written by the suite');
    failed++;
  }
  console.log(`  total run time: ${Date.now() - started} ms`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
}

void main();

// Runs the compiled tests (out/test/**/*.test.js) with Node's built-in test runner.
// Node 20's --test does not expand globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['out/test/unit', 'out/test/lsp', 'out/test/cli'];
const files = [];
const walk = (d) => {
  let names = [];
  try {
    names = readdirSync(d);
  } catch {
    return;
  }
  for (const n of names.sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (n.endsWith('.test.js')) files.push(p);
  }
};
dirs.forEach(walk);
if (!files.length) {
  console.error('no test files found in ' + dirs.join(', '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

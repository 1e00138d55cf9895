/**
 * The language server in another editor: Neovim 0.7's built-in LSP client, headless (`npm run test:neovim`;
 * needs `nvim` on PATH — .ci/run installs Debian's neovim). Proves the server works outside VS Code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface NvimResult {
  waited: boolean;
  diagnostics: { code: string; source: string; lnum: number; col: number; end_lnum: number; end_col: number; severity: number; message: string }[];
  hover: { kind: string; value: string } | null;
}

function runNvim(
  fileName: string,
  content: string,
  filetype: string,
  hover: { line: number; character: number },
  extra: Record<string, string> = {},
): NvimResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-nvim-'));
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, content);
  const result = path.join(dir, 'result.json');
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${path.join(ROOT, 'test', 'neovim', 'check.lua')}`], {
    env: {
      ...process.env,
      UL_SERVER: path.join(ROOT, 'bin', 'upgrade-lint-server.js'),
      UL_FILE: file,
      UL_FILETYPE: filetype,
      UL_RESULT: result,
      UL_HOVER_LINE: String(hover.line),
      UL_HOVER_COL: String(hover.character),
    },
    encoding: 'utf8',
    timeout: 60000,
  });
  assert.ok(fs.existsSync(result), `nvim wrote no result (status ${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(fs.readFileSync(result, 'utf8')) as NvimResult;
}

test('nvim is available', () => {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, 'nvim not found: install Neovim (Debian: apt-get install neovim)');
  assert.match(r.stdout, /^NVIM v0\.\d+/);
});

test('meta file: diagnostics with rule code and exact range, and a hover', () => {
  const res = runNvim('lab.meta', 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= http://lab.example.com:8080/ACNS-5.1.3-K9.bin\n', 'acns-meta', {
    line: 0,
    character: 3,
  });
  assert.equal(res.waited, true);
  const d = res.diagnostics.find((x) => x.code === 'meta/http-port');
  assert.ok(d, JSON.stringify(res.diagnostics));
  assert.deepEqual([d.lnum, d.col, d.end_lnum, d.end_col, d.severity, d.source], [2, 15, 2, 60, 1, 'upgrade-lint']);
  assert.match(res.hover?.value ?? '', /updateFileSize/);
  assert.match(res.hover?.value ?? '', /bytes/);
});

test('dfc.properties: port conflict', () => {
  const res = runNvim('dfc.properties', 'dfc.webport=80\ndfc.jboss.port=80\n', 'cupm-properties', { line: 1, character: 2 });
  assert.deepEqual(
    res.diagnostics.map((x) => [x.code, x.lnum, x.col]),
    [['dfc/port-conflict', 1, 15]],
  );
  assert.match(res.hover?.value ?? '', /JBoss/);
});

test('upgrade manifest: order rule and hover on a node name in a step', () => {
  const manifest = [
    'manifestVersion: 1',
    'product: acns',
    'from: 5.1.0',
    'to: 5.1.3',
    'nodes:',
    '  - { name: ce-1, role: content-engine, address: 10.1.0.11 }',
    '  - { name: cdm-a, role: cdm-primary }',
    'steps:',
    '  - { id: backup, action: backup, node: cdm-a, target: cdm-database }',
    '  - { id: up-cdm, action: upgrade, node: cdm-a, method: cli }',
    '  - { id: up-ce, action: upgrade, node: ce-1 }',
    '',
  ].join('\n');
  const res = runNvim('plan.upgrade.yaml', manifest, 'upgrade-manifest', { line: 10, character: 44 });
  assert.deepEqual(
    res.diagnostics.map((x) => [x.code, x.lnum]),
    [['acns/cdm-last', 9]],
  );
  assert.match(res.hover?.value ?? '', /content-engine/);
  assert.match(res.hover?.value ?? '', /10\.1\.0\.11/);
});

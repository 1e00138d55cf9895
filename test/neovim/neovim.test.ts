/**
 * The language server in Neovim's built-in LSP client, headless (`npm run test:neovim`; needs `nvim` on PATH —
 * scripts/e2e-setup.sh installs Debian's neovim). Both setups the README shows are the init files here, loaded as
 * Neovim loads a user's: init-0.7.lua (vim.lsp.start_client + vim.lsp.buf_attach_client, Neovim 0.7) and
 * init-0.8.lua (vim.lsp.start, Neovim 0.8 and later). File types come from their vim.filetype.add, the server from
 * PATH; check.lua reads what the editor received.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ACNS_CDM_FIRST_PLAN } from '../helpers/editor-samples';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HERE = path.join(ROOT, 'test', 'neovim');

interface NvimResult {
  waited: boolean;
  diagnostics: { code: string; source: string; lnum: number; col: number; end_lnum: number; end_col: number; severity: number; message: string }[];
  hover: { kind: string; value: string } | null;
  filetype: string;
  clients: string[];
  nvim: string;
}

const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const [major, minor] = (/^NVIM v(\d+)\.(\d+)/.exec(version.stdout ?? '') ?? []).slice(1).map(Number);
const HAS_LSP_START = major > 0 || minor >= 8;

/** `upgrade-lint-server` on PATH, as `npm install -g upgrade-lint` puts it: the setups name the command, not a path. */
function serverOnPath(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-bin-'));
  fs.symlinkSync(path.join(ROOT, 'bin', 'upgrade-lint-server.js'), path.join(bin, 'upgrade-lint-server'));
  return bin;
}

function runNvim(init: 'init-0.7.lua' | 'init-0.8.lua', fileName: string, content: string, hover: { line: number; character: number }): NvimResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-nvim-'));
  fs.writeFileSync(path.join(dir, fileName), content);
  const result = path.join(dir, 'result.json');
  const r = spawnSync('nvim', ['--headless', '-u', path.join(HERE, init), fileName, '-c', `luafile ${path.join(HERE, 'check.lua')}`], {
    cwd: dir,
    env: {
      ...process.env,
      PATH: `${serverOnPath()}${path.delimiter}${process.env.PATH}`,
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

const LAB_META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= http://lab.example.com:8080/ACNS-5.1.3-K9.bin\n';

function assertMetaFile(res: NvimResult): void {
  assert.equal(res.waited, true);
  assert.equal(res.filetype, 'acns-meta');
  assert.deepEqual(res.clients, ['upgrade-lint']);
  const d = res.diagnostics.find((x) => x.code === 'meta/http-port');
  assert.ok(d, JSON.stringify(res.diagnostics));
  assert.deepEqual([d.lnum, d.col, d.end_lnum, d.end_col, d.severity, d.source], [2, 15, 2, 60, 1, 'upgrade-lint']);
  assert.match(res.hover?.value ?? '', /updateFileSize/);
  assert.match(res.hover?.value ?? '', /bytes/);
}

test('nvim is available', () => {
  assert.equal(version.status, 0, 'nvim not found: install Neovim (Debian: apt-get install neovim)');
  assert.match(version.stdout, /^NVIM v0\.\d+/);
});

test('0.7 setup (start_client + buf_attach_client): meta file diagnostics with rule code and exact range, and a hover', () => {
  assertMetaFile(runNvim('init-0.7.lua', 'lab.meta', LAB_META, { line: 0, character: 3 }));
});

test('0.7 setup: dfc.properties gets its own file type (not Vim’s jproperties) and its port conflict', () => {
  const res = runNvim('init-0.7.lua', 'dfc.properties', 'dfc.webport=80\ndfc.jboss.port=80\n', { line: 1, character: 2 });
  assert.equal(res.filetype, 'cupm-properties');
  assert.deepEqual(
    res.diagnostics.map((x) => [x.code, x.lnum, x.col]),
    [['dfc/port-conflict', 1, 15]],
  );
  assert.match(res.hover?.value ?? '', /JBoss/);
});

test('0.7 setup: upgrade manifest, order rule and hover on a node name in a step', () => {
  const manifest = ACNS_CDM_FIRST_PLAN;
  const res = runNvim('init-0.7.lua', 'plan.upgrade.yaml', manifest, { line: 10, character: 44 });
  assert.equal(res.filetype, 'upgrade-manifest');
  assert.deepEqual(
    res.diagnostics.map((x) => [x.code, x.lnum]),
    [['acns/cdm-last', 10]],
  );
  assert.match(res.hover?.value ?? '', /content-engine/);
  assert.match(res.hover?.value ?? '', /10\.1\.0\.11/);
});

test(
  '0.8 setup (vim.lsp.start): meta file diagnostics and a hover',
  { skip: HAS_LSP_START ? false : `vim.lsp.start needs Neovim 0.8 or later; this is ${version.stdout?.split('\n')[0]} (Debian bookworm's)` },
  () => {
    const res = runNvim('init-0.8.lua', 'lab.meta', LAB_META, { line: 0, character: 3 });
    assert.notEqual(res.nvim.split('.')[1], '7');
    assertMetaFile(res);
  },
);

test('both init files are valid Lua for this Neovim, and each is in the README verbatim', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const init of ['init-0.7.lua', 'init-0.8.lua']) {
    const file = path.join(HERE, init);
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-c', `lua if not loadfile(${JSON.stringify(file)}) then vim.cmd('cquit 3') end`, '-c', 'qall!'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${init}: ${r.stderr}`);
    assert.ok(readme.includes(fs.readFileSync(file, 'utf8')), `README.md shows ${init} as it is tested`);
  }
});

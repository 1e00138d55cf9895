// The cold start, side by side (issue 16): fresh processes, no warm-up, medians. Our server is started bare
// (`node bin/upgrade-lint-server.js --stdio`, as other editors start it) and with the VS Code client's options.
// Figures: spawn → initialize answered; spawn → first diagnostics (didOpen sent as soon as initialize is answered);
// didOpen → first diagnostics on a server that finished initializing (and 200 ms of quiet); the first hover and
// completion after that; peak RSS (VmHWM). Then one CLI run on one meta file against `node -e 0`.
// `node bench/cold.mjs` prints the table; bench.mjs imports `coldRows` for docs/performance.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { manifest, meta } from './generate.mjs';
import { configure, connect, initialize, listenAsClient, yamlSettings } from './lsp.mjs';

const require = createRequire(import.meta.url);
const P = require('vscode-languageserver-protocol/node');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = path.join(ROOT, 'schemas', 'upgrade-manifest.schema.json');
const EXEC_ARGV = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).upgradeLint.serverExecArgv;
export const SERVERS = {
  'upgrade-lint (bare)': { cmd: [path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--stdio'], languageId: 'upgrade-manifest' },
  // The first start after an install or an update: no code cache yet (see bin/code-cache.js).
  'upgrade-lint (bare, no code cache)': {
    cmd: [path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--stdio'],
    languageId: 'upgrade-manifest',
    env: { UPGRADE_LINT_NO_CODE_CACHE: '1' },
  },
  'upgrade-lint (VS Code options)': { cmd: [...EXEC_ARGV, path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--stdio'], languageId: 'upgrade-manifest' },
  'yaml-language-server': { cmd: [path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'], languageId: 'yaml' },
};
const now = () => Number(process.hrtime.bigint()) / 1e6;
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const vmHWM = (pid) => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
};

/**
 * One fresh server: spawn, initialize, open `text` at once (`settle`: wait 200 ms after initialize first).
 * `linger`: ms to keep it running after that (the run thrown away: our server writes its code cache just after its
 * first diagnostics, which a process killed at once never does, and an editor's server is not killed at once).
 */
async function cold(name, text, dir, settle, linger = 0) {
  const s = SERVERS[name];
  const uri = pathToFileURL(path.join(dir, 'cold.upgrade.yaml')).href;
  const t0 = now();
  const { proc, conn } = connect(s.cmd, s.env);
  const yaml = yamlSettings(SCHEMA);
  let got;
  const diagnostics = new Promise((resolve) => (got = resolve));
  conn.onNotification(P.PublishDiagnosticsNotification.type, (p) => p.uri === uri && p.diagnostics.length > 0 && got(now()));
  listenAsClient(conn, yaml);
  await initialize(conn, dir);
  const initialized = now() - t0;
  await configure(conn, yaml);
  if (settle) await new Promise((r) => setTimeout(r, 200));
  const t1 = now();
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: s.languageId, version: 1, text } });
  const first = await Promise.race([diagnostics, new Promise((_, rej) => setTimeout(() => rej(new Error(`${name}: no diagnostics`)), 60000))]);
  const out = { initialize: initialized, spawnToDiagnostics: first - t0, openToDiagnostics: first - t1 };
  if (settle) {
    const lines = text.split('\n');
    const roleLine = lines.findIndex((l) => /^\s+role: /.test(l));
    let t = now();
    await conn.sendRequest(P.HoverRequest.type, { textDocument: { uri }, position: { line: roleLine, character: 5 } });
    out.hover = now() - t;
    t = now();
    await conn.sendRequest(P.CompletionRequest.type, { textDocument: { uri }, position: { line: roleLine, character: lines[roleLine].length } });
    out.completion = now() - t;
  }
  out.rss = vmHWM(proc.pid);
  if (linger) await new Promise((r) => setTimeout(r, linger));
  proc.kill('SIGKILL');
  conn.dispose();
  return out;
}

/** Wall time of a process, ms. */
function wall(args) {
  const t = now();
  spawnSync(process.execPath, args, { stdio: 'ignore' });
  return now() - t;
}

export async function coldRows({ runs = Number(process.env.COLD_RUNS ?? 5), sizes = [1000, 10000, 50000] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-cold-'));
  const res = {};
  for (const n of sizes) {
    const text = manifest(n);
    for (const name of Object.keys(SERVERS)) {
      const a = [];
      const b = [];
      // Interleaved runs would be fairer on a shared machine, but each server's runs follow each other so that
      // the file cache is warm for all alike (the first run of each is thrown away).
      await cold(name, text, dir, false, 1000);
      for (let i = 0; i < runs; i++) a.push(await cold(name, text, dir, false));
      if (n <= 10000) for (let i = 0; i < runs; i++) b.push(await cold(name, text, dir, true));
      const m = (xs, k) => (xs.length ? median(xs.map((x) => x[k])) : NaN);
      res[`${n}|${name}`] = {
        initialize: m(a, 'initialize'),
        spawnToDiagnostics: m(a, 'spawnToDiagnostics'),
        openToDiagnostics: m(b, 'openToDiagnostics'),
        hover: m(b, 'hover'),
        completion: m(b, 'completion'),
        rss: m(a, 'rss'),
      };
    }
  }
  const metaFile = path.join(dir, 'one.meta');
  fs.writeFileSync(metaFile, meta(0));
  const cli = [];
  const bare = [];
  wall(['-e', '0']);
  wall([path.join(ROOT, 'bin', 'upgrade-lint.js'), metaFile]);
  for (let i = 0; i < runs * 2; i++) {
    bare.push(wall(['-e', '0']));
    cli.push(wall([path.join(ROOT, 'bin', 'upgrade-lint.js'), metaFile]));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { res, sizes, cli: median(cli), node: median(bare) };
}

const fmt = (x) => (Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The table and the targets of issue 16, met or missed. */
export function coldTable({ res, sizes, cli, node }) {
  const ours = 'upgrade-lint (bare)';
  const vs = 'upgrade-lint (VS Code options)';
  const first = 'upgrade-lint (bare, no code cache)';
  const yls = 'yaml-language-server';
  const out = [
    '| lines | figure (cold, fresh process) | upgrade-lint bare | bare, first start (no code cache) | with VS Code options | yaml-language-server | bare ÷ theirs |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  const FIG = [
    ['initialize', 'spawn → initialize answered (ms)'],
    ['spawnToDiagnostics', 'spawn → first diagnostics (ms)'],
    ['openToDiagnostics', 'didOpen → first diagnostics, initialized server (ms)'],
    ['hover', 'first hover after that (ms)'],
    ['completion', 'first completion after that (ms)'],
    ['rss', 'peak RSS, VmHWM (MB)'],
  ];
  for (const n of sizes)
    for (const [k, label] of FIG) {
      const a = res[`${n}|${ours}`]?.[k];
      const b = res[`${n}|${yls}`]?.[k];
      if (Number.isNaN(a)) continue;
      out.push(`| ${n} | ${label} | ${fmt(a)} | ${fmt(res[`${n}|${first}`]?.[k])} | ${fmt(res[`${n}|${vs}`]?.[k])} | ${fmt(b)} | ${(a / b).toFixed(2)} |`);
    }
  const r = (n, k) => (res[`${n}|${ours}`] && res[`${n}|${yls}`] ? res[`${n}|${ours}`][k] / res[`${n}|${yls}`][k] : NaN);
  const targets = [
    ['spawn → first diagnostics, 1,000 lines', r(1000, 'spawnToDiagnostics'), 0.25],
    ['spawn → first diagnostics, 10,000 lines', r(10000, 'spawnToDiagnostics'), 0.3],
    ['didOpen → first diagnostics, 1,000 lines', r(1000, 'openToDiagnostics'), 0.25],
    ['peak RSS, 10,000 lines (bare)', r(10000, 'rss'), 0.4],
    ...(sizes.includes(50000) ? [['peak RSS, 50,000 lines (bare)', r(50000, 'rss'), 0.4]] : []),
    ['CLI on one meta file ÷ `node -e 0`', cli / node, 1.5],
  ];
  out.push('', '| target | measured | limit | |', '|---|---:|---:|---|');
  for (const [what, got, limit] of targets.filter(([, got]) => !Number.isNaN(got)))
    out.push(`| ${what} | ${got.toFixed(2)} × | ≤ ${limit} × | ${got <= limit ? 'met' : '**missed**'} |`);
  out.push('', `CLI on one meta file: ${fmt(cli)} ms; \`node -e 0\`: ${fmt(node)} ms (medians).`);
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = (process.env.COLD_SIZES ?? '1000,10000,50000').split(',').map(Number);
  console.log(coldTable(await coldRows({ sizes })));
}

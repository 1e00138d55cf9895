// `npm run bench`: upgrade-lint-server vs yaml-language-server (same JSON Schema, SchemaStore off) over stdio
// with a real JSON-RPC client, fresh server processes per measurement, medians; then CLI throughput.
// Writes the table to docs/performance.md. Not part of `npm test`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { manifest, meta } from './generate.mjs';
import { cliJobs } from './cli-jobs.mjs';
import { coldRows, coldTable } from './cold.mjs';
import { brokenRows, brokenTable } from './broken.mjs';
import { configure, connect, initialize, listenAsClient, yamlSettings } from './lsp.mjs';

const require = createRequire(import.meta.url);
const P = require('vscode-languageserver-protocol/node');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCHEMA = path.join(ROOT, 'schemas', 'upgrade-manifest.schema.json');

// Our server is started the way the VS Code extension starts it: with the Node options in package.json.
const EXEC_ARGV = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).upgradeLint.serverExecArgv;
const SERVERS = {
  'upgrade-lint': { cmd: [...EXEC_ARGV, path.join(ROOT, 'bin', 'upgrade-lint-server.js'), '--stdio'], languageId: 'upgrade-manifest' },
  'yaml-language-server': { cmd: [path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'], languageId: 'yaml' },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

function vmHWM(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** A fresh server process with a real JSON-RPC client, initialized and configured; resolves after 200 ms of quiet. */
async function start(name, dir) {
  const s = SERVERS[name];
  const { proc, conn } = connect(s.cmd);
  const yaml = yamlSettings(SCHEMA);
  let waiter;
  conn.onNotification(P.PublishDiagnosticsNotification.type, (p) => {
    if (waiter && p.uri === waiter.uri && p.diagnostics.length > 0) {
      const w = waiter;
      waiter = undefined;
      w.resolve(p);
    }
  });
  listenAsClient(conn, yaml);
  await initialize(conn, dir);
  await configure(conn, yaml);
  await new Promise((r) => setTimeout(r, 200));
  return {
    conn,
    proc,
    /** The next non-empty diagnostics for `uri`. */
    nextDiagnostics: (uri) =>
      new Promise((resolve, reject) => {
        waiter = { uri, resolve };
        setTimeout(() => reject(new Error(`${name}: no diagnostics`)), 60000);
      }),
    async stop() {
      try {
        await Promise.race([conn.sendRequest(P.ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
        await conn.sendNotification(P.ExitNotification.type);
      } catch {
        /* gone */
      }
      setTimeout(() => proc.kill('SIGKILL'), 1000).unref();
      conn.dispose();
    },
  };
}

async function measure(name, text, dir) {
  const s = SERVERS[name];
  const file = path.join(dir, 'bench.upgrade.yaml');
  const uri = pathToFileURL(file).href;
  const server = await start(name, dir);
  const { conn, proc, stop } = server;
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  let roleLine = lines.findIndex((l, i) => i >= mid / 2 && /^\s+role: /.test(l));
  if (roleLine < 0) roleLine = lines.findIndex((l) => /^\s+role: /.test(l));
  const noteLine = lines.findIndex((l, i) => i >= mid && /note: generated step/.test(l));

  const { open, edit } = await openAndEdit(server, uri, s.languageId, text, {
    range: { start: { line: noteLine, character: 10 }, end: { line: noteLine, character: 10 } },
    text: 'x',
  });

  let t = now();
  const h = await conn.sendRequest(P.HoverRequest.type, { textDocument: { uri }, position: { line: roleLine, character: 5 } });
  const hover = now() - t;
  t = now();
  const c = await conn.sendRequest(P.CompletionRequest.type, { textDocument: { uri }, position: { line: roleLine, character: lines[roleLine].length } });
  const completion = now() - t;
  const items = Array.isArray(c) ? c.length : (c?.items?.length ?? 0);
  const rss = vmHWM(proc.pid);
  await stop();
  return { open, edit, hover, completion, rss, hoverOk: !!h, items };
}

/** Our server on a small meta or properties file: open → diagnostics and edit → diagnostics (ms). */
async function measureKv(dir, name, languageId, text, edit) {
  const server = await start('upgrade-lint', dir);
  const times = await openAndEdit(server, pathToFileURL(path.join(dir, name)).href, languageId, text, edit);
  await server.stop();
  return times;
}

/** Opens a document, then applies one change: ms from each notification to the diagnostics that follow it. */
async function openAndEdit({ conn, nextDiagnostics }, uri, languageId, text, change) {
  let t = now();
  let d = nextDiagnostics(uri);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  await d;
  const open = now() - t;
  t = now();
  d = nextDiagnostics(uri);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [change] });
  await d;
  return { open, edit: now() - t };
}

/** files/s of one CLI process over `files` (process start included); `extra`: e.g. `--jobs 1`. */
async function cliThroughput(files, extra = []) {
  const t = now();
  await new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'upgrade-lint.js'), '--format', 'json', ...extra, ...files], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    p.on('exit', resolve);
  });
  return files.length / ((now() - t) / 1000);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-bench-'));
  const rows = [];
  for (const n of SIZES) {
    const text = manifest(n);
    const res = {};
    for (const name of Object.keys(SERVERS)) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(name, text, dir));
      res[name] = Object.fromEntries(['open', 'edit', 'hover', 'completion', 'rss'].map((k) => [k, median(runs.map((r) => r[k]))]));
      res[name].items = runs[0].items;
      process.stderr.write(`${n} lines, ${name}: ${JSON.stringify(res[name])}\n`);
    }
    rows.push({ n: text.split('\n').length, res });
  }
  // Meta files and dfc.properties (our server only: yaml-language-server does not read them).
  const kv = {};
  for (const [name, languageId, text, edit] of [
    ['ACNS-5.1.3.meta', 'acns-meta', meta(10), { range: { start: { line: 2, character: 13 }, end: { line: 2, character: 13 } }, text: 'x' }],
    [
      'dfc.properties',
      'cupm-properties',
      'dfc.webport=8o\ndfc.postgres.hostlist=localhost\ndfc.postgres.port=5432\n',
      { range: { start: { line: 1, character: 22 }, end: { line: 1, character: 22 } }, text: 'x' },
    ],
  ]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measureKv(dir, name, languageId, text, edit));
    kv[name] = { open: median(runs.map((r) => r.open)), edit: median(runs.map((r) => r.edit)) };
    process.stderr.write(`${name}: ${JSON.stringify(kv[name])}\n`);
  }
  // CLI throughput.
  const metaDir = path.join(dir, 'meta');
  fs.mkdirSync(metaDir);
  const metaFiles = Array.from({ length: 10000 }, (_, i) => {
    const f = path.join(metaDir, `m${i}.meta`);
    fs.writeFileSync(f, meta(i));
    return f;
  });
  const manDir = path.join(dir, 'manifests');
  fs.mkdirSync(manDir);
  const m200 = manifest(200);
  const manFiles = Array.from({ length: 1000 }, (_, i) => {
    const f = path.join(manDir, `m${i}.upgrade.yaml`);
    fs.writeFileSync(f, m200);
    return f;
  });
  const metaRate1 = await cliThroughput(metaFiles, ['--jobs', '1']);
  const metaRate = await cliThroughput(metaFiles);
  const manRate1 = await cliThroughput(manFiles, ['--jobs', '1']);
  const manRate = await cliThroughput(manFiles);
  const mixed = cliJobs({ runs: RUNS });
  // The cold start (issue 16): fresh processes, our server bare and with the VS Code client's options.
  const cold = await coldRows({ runs: Math.max(RUNS, 5), sizes: SIZES.filter((n) => n >= 1000) });
  // A large manifest with a syntax error, and with aliases: edits stay quick and other requests do not wait.
  const broken = SIZES.includes(50000) ? await brokenRows({ runs: RUNS }) : undefined;
  process.stderr.write(`CLI: ${JSON.stringify({ metaRate1, metaRate, manRate1, manRate, mixed })}\n`);

  const f = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—');
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '—');
  const table = ['| lines | figure | upgrade-lint | yaml-language-server | ours ÷ theirs |', '|---:|---|---:|---:|---:|'];
  for (const r of rows) {
    const a = r.res['upgrade-lint'],
      b = r.res['yaml-language-server'];
    for (const [k, label] of [
      ['open', 'open → diagnostics (ms)'],
      ['edit', 'edit → diagnostics (ms)'],
      ['hover', 'hover (ms)'],
      ['completion', 'completion (ms)'],
      ['rss', 'peak RSS, VmHWM (MB)'],
    ]) {
      table.push(`| ${r.n} | ${label} | ${f(a[k])} | ${f(b[k])} | ${ratio(a[k], b[k])} |`);
    }
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ylsVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')).version;
  const report = [
    `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Date: ${new Date().toISOString().slice(0, 10)}. yaml-language-server ${ylsVersion} with schemas/upgrade-manifest.schema.json, SchemaStore off.`,
    `Medians over ${RUNS} fresh server processes per cell; generated manifests (bench/generate.mjs, deterministic) with two errors each.`,
    '',
    ...table,
    '',
    `upgrade-lint on small files: a meta file, open → diagnostics **${f(kv['ACNS-5.1.3.meta'].open)} ms**, edit → diagnostics **${f(kv['ACNS-5.1.3.meta'].edit)} ms**; dfc.properties **${f(kv['dfc.properties'].open)} ms** and **${f(kv['dfc.properties'].edit)} ms**.`,
    '',
    `CLI throughput, one process (files/s, process start included), on one thread (\`--jobs 1\`) → on every core (the default, ${os.availableParallelism()} threads):`,
    '',
    '| files | `--jobs 1` | default | speed-up |',
    '|---|---:|---:|---:|',
    `| 10,000 meta files | ${metaRate1.toFixed(0)} | ${metaRate.toFixed(0)} | ${(metaRate / metaRate1).toFixed(2)} × |`,
    `| 1,000 manifests of 200 lines | ${manRate1.toFixed(0)} | ${manRate.toFixed(0)} | ${(manRate / manRate1).toFixed(2)} × |`,
    `| ${mixed.files.toLocaleString('en')} files copied from examples/ (all three kinds, clean and broken: \`node bench/cli-jobs.mjs\`) | ${mixed.jobs1.toFixed(0)} | ${mixed.jobsDefault.toFixed(0)} | ${(mixed.jobsDefault / mixed.jobs1).toFixed(2)} × |`,
    '',
    `### Cold start (\`bench/cold.mjs\`): fresh processes, medians of ${Math.max(RUNS, 5)}, the first run of each server thrown away`,
    '',
    coldTable(cold),
    ...(broken
      ? [
          '',
          `### 50,000 lines that are not plain (\`bench/broken.mjs\`): medians of ${RUNS}, our server with the VS Code client's options`,
          '',
          brokenTable(broken),
        ]
      : []),
  ].join('\n');
  console.log(report);
  fs.rmSync(dir, { recursive: true, force: true });
  if (process.argv.includes('--write')) {
    const p = path.join(ROOT, 'docs', 'performance.md');
    const head = fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('<!-- bench:start -->')[0] : '# Performance\n\n';
    const tail =
      fs.existsSync(p) && fs.readFileSync(p, 'utf8').includes('<!-- bench:end -->') ? fs.readFileSync(p, 'utf8').split('<!-- bench:end -->')[1] : '\n';
    fs.writeFileSync(p, `${head}<!-- bench:start -->\n${report}\n<!-- bench:end -->${tail}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

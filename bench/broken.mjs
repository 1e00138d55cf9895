// A large manifest that is not plain (issue 16): 50,000 lines with a YAML syntax error in the middle, and the same
// with an anchor and aliases. Per server (fresh process, as bench.mjs starts it): open → diagnostics; then one edit
// far from the error → diagnostics, while a hover is sent every 25 ms (one at a time): the longest a hover waited
// says whether other requests wait behind the validation. `node bench/broken.mjs` prints the table.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { manifest } from './generate.mjs';
import { configure, connect, initialize, listenAsClient, yamlSettings } from './lsp.mjs';
import { median, SERVERS } from './cold.mjs';

const require = createRequire(import.meta.url);
const P = require('vscode-languageserver-protocol/node');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = path.join(ROOT, 'schemas', 'upgrade-manifest.schema.json');
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The generated manifest, broken one way: a key without its colon in the middle, or an anchor and 20 aliases. */
export function broken(lines, how) {
  const out = manifest(lines).split('\n');
  const steps = out.map((l, i) => (/^ {4}method: gui$/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (how === 'syntax') out[steps[Math.floor(steps.length / 2)]] = '    method gui';
  else {
    const nodes = out.map((l, i) => (/^ {4}node: ce-\d+$/.test(l) ? i : -1)).filter((i) => i >= 0);
    out[nodes[0]] = out[nodes[0]].replace('node: ', 'node: &first ');
    for (let k = 1; k <= 20; k++) out[nodes[Math.floor((k * nodes.length) / 21)]] = '    node: *first';
  }
  return out.join('\n');
}

async function once(name, text, dir) {
  const s = SERVERS[name];
  const uri = pathToFileURL(path.join(dir, 'broken.upgrade.yaml')).href;
  const { proc, conn } = connect(s.cmd, s.env);
  const yaml = yamlSettings(SCHEMA);
  let waiter;
  conn.onNotification(P.PublishDiagnosticsNotification.type, (p) => {
    if (waiter && p.uri === uri && p.diagnostics.length > 0 && (p.version === undefined || p.version >= waiter.version)) waiter.resolve(now());
  });
  const next = (version) => new Promise((resolve) => (waiter = { resolve, version }));
  listenAsClient(conn, yaml);
  await initialize(conn, dir);
  await configure(conn, yaml);
  await new Promise((r) => setTimeout(r, 200));
  const lines = text.split('\n');
  const noteLine = lines.findIndex((l, i) => i >= lines.length * 0.8 && /note: generated step/.test(l));
  const roleLine = lines.findIndex((l) => /^\s+role: /.test(l));
  let t = now();
  let d = next(1);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: s.languageId, version: 1, text } });
  const open = (await d) - t;
  await new Promise((r) => setTimeout(r, 300));
  t = now();
  d = next(2);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: noteLine, character: 10 }, end: { line: noteLine, character: 10 } }, text: 'x' }],
  });
  let done = false;
  let hoverMax = 0;
  const pinger = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 25));
      if (done) break;
      const h = now();
      await conn.sendRequest(P.HoverRequest.type, { textDocument: { uri }, position: { line: roleLine, character: 5 } });
      hoverMax = Math.max(hoverMax, now() - h);
    }
  })();
  const edit = (await d) - t;
  done = true;
  await pinger;
  proc.kill('SIGKILL');
  conn.dispose();
  return { open, edit, hoverMax };
}

export async function brokenRows({ runs = Number(process.env.BROKEN_RUNS ?? 3), lines = Number(process.env.BROKEN_LINES ?? 50000) } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-broken-'));
  const res = {};
  for (const how of ['syntax', 'anchors']) {
    const text = broken(lines, how);
    for (const name of ['upgrade-lint (VS Code options)', 'yaml-language-server']) {
      const xs = [];
      for (let i = 0; i < runs; i++) xs.push(await once(name, text, dir));
      res[`${how}|${name}`] = Object.fromEntries(['open', 'edit', 'hoverMax'].map((k) => [k, median(xs.map((x) => x[k]))]));
      process.stderr.write(`${lines} lines, ${how}, ${name}: ${JSON.stringify(res[`${how}|${name}`])}\n`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { res, lines };
}

const fmt = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—');

export function brokenTable({ res, lines }) {
  const ours = 'upgrade-lint (VS Code options)';
  const yls = 'yaml-language-server';
  const out = ['| manifest | figure | upgrade-lint | yaml-language-server | ours ÷ theirs |', '|---|---|---:|---:|---:|'];
  const what = { syntax: `${lines.toLocaleString('en')} lines, a syntax error`, anchors: `${lines.toLocaleString('en')} lines, an anchor and 20 aliases` };
  for (const how of ['syntax', 'anchors'])
    for (const [k, label] of [
      ['open', 'open → diagnostics (ms)'],
      ['edit', 'edit → diagnostics (ms)'],
      ['hoverMax', 'longest wait of a hover during that edit (ms)'],
    ]) {
      const a = res[`${how}|${ours}`][k];
      const b = res[`${how}|${yls}`][k];
      out.push(`| ${what[how]} | ${label} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)} |`);
    }
  const r = (how) => res[`${how}|${ours}`].edit / res[`${how}|${yls}`].edit;
  out.push('', '| target | measured | limit | |', '|---|---:|---:|---|');
  for (const how of ['syntax', 'anchors'])
    out.push(`| edit → diagnostics, ${what[how]} | ${r(how).toFixed(2)} × | ≤ 0.3 × | ${r(how) <= 0.3 ? 'met' : '**missed**'} |`);
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(brokenTable(await brokenRows()));

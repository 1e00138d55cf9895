// CLI throughput on a generated tree of ~2,000 files (copies of examples/: meta files, dfc.properties and
// manifests, clean and broken): files/s with `--jobs 1` (one thread) and with the default (a worker per core).
// `node bench/cli-jobs.mjs` prints the figures; bench.mjs calls `cliJobs()` for docs/performance.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'upgrade-lint.js');

/** Copies examples/ into `dir` until it holds at least `target` files; returns the number of files. */
export function generateTree(dir, target = 2000) {
  const src = path.join(ROOT, 'examples');
  const perCopy = fs.readdirSync(src, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  const copies = Math.ceil(target / perCopy);
  for (let i = 0; i < copies; i++) fs.cpSync(src, path.join(dir, `site-${String(i).padStart(3, '0')}`), { recursive: true });
  return copies * perCopy;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time (ms) of one CLI run over the tree, process start included. */
function timeRun(dir, extra) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', ...extra, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 1) throw new Error(`upgrade-lint exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

/** files/s with --jobs 1 and with the default, medians of `runs` runs each (after one warm-up run). */
export function cliJobs({ target = 2000, runs = 5 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-bench-jobs-'));
  try {
    const files = generateTree(dir, target);
    timeRun(dir, ['--jobs', '1']);
    const one = [],
      all = [];
    let same = true;
    for (let i = 0; i < runs; i++) {
      const a = timeRun(dir, ['--jobs', '1']);
      const b = timeRun(dir, []);
      one.push(a.ms);
      all.push(b.ms);
      same &&= a.out === b.out;
    }
    return { files, cores: os.availableParallelism(), jobs1: files / (median(one) / 1000), jobsDefault: files / (median(all) / 1000), same };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = cliJobs({ runs: Number(process.env.BENCH_RUNS ?? 5) });
  console.log(
    `${r.files} files, ${r.cores} cores: --jobs 1 ${r.jobs1.toFixed(0)} files/s | default ${r.jobsDefault.toFixed(0)} files/s | same output: ${r.same}`,
  );
}

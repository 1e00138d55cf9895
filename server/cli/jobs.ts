/**
 * Linting many files on every core: worker threads, each with its own configuration cache, take batches of
 * files from one queue, and so does the main thread (no core idles while the workers start, and a run that ends
 * first never waits for them). Outcomes are put back in input order, so a report never depends on how the work
 * was shared. The workers run the CLI's own script (the bundle, or cli.js when compiled by tsc): cli.ts calls
 * `workerMain` when it is started as one.
 */
import * as os from 'node:os';
import type * as Threads from 'node:worker_threads';
import { warmUp } from '../engine/lint';
import { Roots } from '../node/files';
import { ConfigCache } from '../node/host';
import { lintJob, type FileOutcome, type LintContext, type LintJob, type LintSettings } from './lintfile';

/** Marks the worker data of our workers (cli.ts starts as a worker only with it). */
export const WORKER_TAG = 'upgradeLintCliWorker';
/** In a worker's argv, so that a run that starts none never loads `node:worker_threads` (~2.5 ms) to find out. */
export const WORKER_ARG = '--upgrade-lint-cli-worker';
let threadsModule: typeof Threads | undefined;
/** `node:worker_threads`, loaded when a run first needs it. */
export const workerThreads = () => (threadsModule ??= require('node:worker_threads') as typeof Threads);

/** Fewer files than this are linted on the main thread alone: starting a worker costs ~30 ms of CPU. */
export const PARALLEL_MIN_FILES = 9;

/**
 * Without --jobs, workers start only once a run proves long: when what is left would take the main thread at
 * least `LAZY_MIN_LEFT_MS` more at the pace it keeps after its first `LAZY_WARM_MS` (the first files are slow: the
 * JIT compiles as they go). A worker needs ~170 ms to start and warm up (schemas, then the JIT again: each thread
 * compiles its own code), and on a machine whose cores share their memory bandwidth two threads do not lint twice
 * as fast (docs/performance.md): a run of a few thousand small files is over before a worker pays for itself.
 */
export const LAZY_WARM_MS = 300;
export const LAZY_MIN_LEFT_MS = 2000;

/** What a worker needs to lint files exactly as the main thread does. */
export interface WorkerSetup {
  [WORKER_TAG]: true;
  o: LintSettings;
  /** For `Roots.forCli`: the inputs and --allow-path folders of the run. */
  inputs: string[];
  allowPaths: string[];
}

type ToWorker = { jobs: { index: number; job: LintJob }[] };
type FromWorker = { ready: true } | { results: { index: number; outcome: FileOutcome }[] } | { error: string };

/** How many threads may lint (the main thread counted): --jobs, else one per core; never more than the files. */
export function threadCount(jobs: number | undefined, files: number): number {
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(jobs ?? os.availableParallelism(), files));
}

export interface ParallelOptions {
  /** Start the workers at once (--jobs given), not only once the run proves long. */
  eager?: boolean;
  /** Counts the files the workers linted (for tests and the benchmark). */
  stats?: { byWorkers: number; workersStarted: number };
}

/**
 * Lints `jobs` on up to `threads` threads (the main thread and threads − 1 workers started from `script`); the
 * outcomes come back in the order of `jobs`. A worker that fails fails the run (the error is thrown here).
 */
export async function lintInParallel(
  jobs: LintJob[],
  threads: number,
  here: LintContext,
  script: string,
  setup: WorkerSetup,
  opts: ParallelOptions = {},
): Promise<FileOutcome[]> {
  const stats = opts.stats ?? { byWorkers: 0, workersStarted: 0 };
  const outcomes: (FileOutcome | undefined)[] = new Array(jobs.length);
  if (threads <= 1) {
    for (let i = 0; i < jobs.length; i++) outcomes[i] = await lintJob(jobs[i], here);
    return outcomes as FileOutcome[];
  }
  // Batches small enough to share the tail of the queue evenly, large enough to keep messages few.
  const batch = Math.max(1, Math.min(32, Math.ceil(jobs.length / (threads * 16))));
  let next = 0;
  let left = jobs.length;
  const take = () => {
    const out: { index: number; job: LintJob }[] = [];
    for (; out.length < batch && next < jobs.length; next++) out.push({ index: next, job: jobs[next] });
    return out;
  };
  const workers: Threads.Worker[] = [];
  let failure: Error | undefined;
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = (e) => {
      failure ??= e;
      reject(failure);
    };
  });
  const settle = () => {
    if (left === 0) finish();
  };
  const startWorkers = () => {
    for (let w = 0; w < threads - 1; w++) {
      const worker = new (workerThreads().Worker)(script, { workerData: setup, argv: [WORKER_ARG], stdout: false, stderr: false });
      workers.push(worker);
      stats.workersStarted++;
      // Two batches in flight per worker, so that it never waits for the main thread to hand it the next one.
      const feed = () => {
        const jobsOut = take();
        if (jobsOut.length) worker.postMessage({ jobs: jobsOut } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        if ('error' in m) return fail(new Error(m.error));
        if ('ready' in m) {
          feed();
          feed();
          return;
        }
        for (const r of m.results) {
          outcomes[r.index] = r.outcome;
          left--;
        }
        stats.byWorkers += m.results.length;
        feed();
        settle();
      });
      worker.on('error', (e) => fail(e));
      worker.on('exit', (code) => {
        if (left > 0 && !failure) fail(new Error(`upgrade-lint worker exited (${code}) with files left`));
      });
    }
  };
  if (opts.eager) startWorkers();
  const mainThread = async () => {
    const started = performance.now();
    let doneHere = 0;
    let warm: { at: number; done: number } | undefined;
    for (;;) {
      const jobsHere = take();
      if (!jobsHere.length) break;
      for (const { index, job } of jobsHere) {
        if (failure) return;
        outcomes[index] = await lintJob(job, here);
        left--;
        doneHere++;
      }
      settle();
      if (!workers.length) {
        const now = performance.now();
        if (!warm) {
          if (now - started >= LAZY_WARM_MS) warm = { at: now, done: doneHere };
        } else if (now - warm.at >= LAZY_WARM_MS && (jobs.length - next) * ((now - warm.at) / (doneHere - warm.done)) >= LAZY_MIN_LEFT_MS) startWorkers();
      }
      // Let the workers' messages in (they wait for their next batch).
      if (workers.length) await new Promise((r) => setImmediate(r));
    }
  };
  try {
    await Promise.all([mainThread(), done]);
  } finally {
    // Workers that never became ready (the queue emptied first) or that are done: stopped, not waited for.
    for (const w of workers) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
  return outcomes as FileOutcome[];
}

/** The body of a worker: lints the batches it is sent with its own configuration cache, answers in order. */
export function workerMain(): void {
  const setup = workerThreads().workerData as WorkerSetup;
  const roots = Roots.forCli(setup.inputs, setup.allowPaths);
  const ctx: LintContext = { o: setup.o, roots, configs: new ConfigCache(roots, setup.o.locale) };
  const port = workerThreads().parentPort!;
  let queue = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    // Batches are linted one after another, in the order they came.
    queue = queue.then(async () => {
      try {
        const results: { index: number; outcome: FileOutcome }[] = [];
        for (const { index, job } of m.jobs) results.push({ index, outcome: await lintJob(job, ctx) });
        port.postMessage({ results } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FromWorker);
      }
    });
  });
  // Schemas compiled and code warmed before the first batch: a cold worker would take its first files several
  // times slower than the main thread, which would then wait for it at the end.
  warmUp();
  port.postMessage({ ready: true } satisfies FromWorker);
}

/**
 * Hostile-input audit of the engine: every input of test/helpers/hostile-gen.ts (deterministic, each under
 * 100 KB) goes through `lint` in both locales, with an in-memory EngineFs so that cross-file rules run. No input
 * may throw or overflow the stack, every diagnostic must be well-formed (the checks of robustness.test.ts), and
 * none may take a second or more per 100 KB.
 *
 * The inputs run in child processes started like the language server (package.json `serverExecArgv`, the main
 * thread's stack), so that a slow input can be stopped after HOSTILE_TIMEOUT_MS instead of hanging the test, and
 * a crash is reported as a finding. A first pass runs one child per core (at most two); every input slower than
 * RETIME_MS per 100 KB there is then timed again alone (parse caches emptied; best of three times) before it is
 * blamed, to discount GC pauses and a busy machine.
 *
 * Environment knobs (for investigating, not needed in CI): HOSTILE_FILTER=<regex on "gen: label">,
 * HOSTILE_TIMEOUT_MS=<ms>, HOSTILE_VERBOSE=1 (one line per input).
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkResult } from '../helpers/checks';
import { lint, warmUp } from '../../server/engine/lint';
import { clearPieces, loadYaml } from '../../server/engine/parse/yaml';
import type { Locale } from '../../server/engine/types';
import { allHostileInputs, bytes, MAX_BYTES, memoryFs, type HostileInput } from '../helpers/hostile-gen';

/** The limit: milliseconds per 100 KB of input. */
const LIMIT_MS = 1000;
/** Inputs slower than this (ms per 100 KB) in the first pass are timed again. */
const RETIME_MS = 400;
const TIMEOUT_MS = Number(process.env.HOSTILE_TIMEOUT_MS ?? 5000);
const PER_100KB = 100 * 1024;

// ---------------------------------------------------------------------------------------------------------
// The child: lints what it is sent and says how long it took.

interface Job {
  id: number;
  input: HostileInput;
  locale: Locale;
  runs: number;
  cold: boolean;
}
interface Reply {
  id: number;
  ms: number[];
  count: number;
  error?: string;
}

let flushes = 0;
/** Empties the engine's parse caches (the last parses, the pieces, the per-document schema errors). */
function flushCaches() {
  for (let i = 0; i < 4; i++) loadYaml(`flush: ${flushes++}\n`);
  clearPieces();
  for (let i = 0; i < 64; i++) lint({ text: `a: ${flushes++}\n---\nb: 1\n`, kind: 'upgrade-manifest' });
}

function child() {
  warmUp();
  process.on('message', (job: Job) => {
    const reply: Reply = { id: job.id, ms: [], count: 0 };
    try {
      const opts = { locale: job.locale, fs: memoryFs(job.input.files) };
      for (let run = 0; run < job.runs; run++) {
        if (job.cold) flushCaches();
        const t0 = performance.now();
        const result = lint({ text: job.input.text, kind: job.input.kind, path: job.input.path }, opts);
        reply.ms.push(performance.now() - t0);
        if (run === 0) {
          reply.count = result.diagnostics.length;
          checkResult(job.input.text, result.diagnostics);
        }
      }
    } catch (e) {
      reply.error = e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e);
    }
    process.send!(reply);
  });
  process.send!({ id: -1, ms: [], count: 0 } satisfies Reply);
}

// ---------------------------------------------------------------------------------------------------------
// The parent: one child at a time, restarted when an input runs over the timeout or crashes it.

class Runner {
  private proc?: ChildProcess;
  private ready?: Promise<void>;
  private waiting?: { id: number; resolve: (r: Reply) => void };
  private next = 0;

  private start(): Promise<void> {
    const root = path.resolve(__dirname, '..', '..', '..');
    const execArgv: string[] = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).upgradeLint?.serverExecArgv ?? [];
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // the child is not a test file
    const proc = fork(__filename, ['--hostile-child'], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.proc = proc;
    return new Promise((resolve, reject) => {
      proc.once('error', reject);
      proc.on('message', (r: Reply) => {
        if (r.id === -1) {
          resolve();
          return;
        }
        if (this.waiting?.id === r.id) {
          const w = this.waiting;
          this.waiting = undefined;
          w.resolve(r);
        }
      });
      proc.on('exit', (code, signal) => {
        reject(new Error(`the engine process exited before it was ready (${signal ?? `exit code ${code}`})`)); // no-op once ready
        if (this.proc !== proc) return; // killed after a timeout: already replaced
        this.proc = undefined;
        this.ready = undefined;
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = undefined;
          w.resolve({ id: w.id, ms: [], count: 0, error: `the engine process died (${signal ?? `exit code ${code}`})` });
        }
      });
    });
  }

  /** Runs a job; resolves with an error reply when it takes longer than `timeout` ms (the child is then killed). */
  async run(input: HostileInput, locale: Locale, runs: number, cold: boolean, timeout: number): Promise<Reply> {
    this.ready ??= this.start();
    await this.ready;
    const id = this.next++;
    const proc = this.proc!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiting?.id !== id) return;
        this.waiting = undefined;
        this.proc = undefined;
        this.ready = undefined;
        proc.kill('SIGKILL');
        resolve({ id, ms: [], count: 0, error: `timeout: no result after ${timeout} ms` });
      }, timeout);
      this.waiting = {
        id,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      proc.send({ id, input, locale, runs, cold } satisfies Job);
    });
  }

  stop() {
    this.proc?.kill('SIGKILL');
  }
}

interface Outcome {
  input: HostileInput;
  bytes: number;
  ms: number;
  per100: number;
  diags: number;
  failure?: string;
}

const per100 = (ms: number, size: number) => (ms * PER_100KB) / Math.max(size, 1);

/** First pass (children in parallel): English cold (nothing cached), then Japanese (the parse is cached then). */
async function screen(runner: Runner, input: HostileInput): Promise<Outcome> {
  const size = bytes(input);
  const out: Outcome = { input, bytes: size, ms: 0, per100: 0, diags: 0 };
  if (size > MAX_BYTES) {
    out.failure = `input of ${size} bytes is over the 100 KB limit (generator bug)`;
    return out;
  }
  for (const locale of ['en', 'ja'] as const) {
    const r = await runner.run(input, locale, 1, false, TIMEOUT_MS);
    if (r.error) {
      if (r.error.startsWith('timeout')) {
        out.ms = TIMEOUT_MS;
        out.per100 = per100(TIMEOUT_MS, size);
      }
      out.failure = `${locale}: ${r.error}`;
      return out;
    }
    if (locale === 'en') out.diags = r.count;
    out.ms = Math.max(out.ms, r.ms[0]);
  }
  out.per100 = per100(out.ms, size);
  return out;
}

/**
 * Second pass (one child, nothing else running): a slow input is timed twice more, cold (caches emptied); the
 * best of its three times counts.
 */
async function retime(runner: Runner, o: Outcome): Promise<void> {
  const again = await runner.run(o.input, 'en', 2, true, TIMEOUT_MS * 2);
  if (again.error) {
    o.failure = `re-timing: ${again.error}`;
    if (again.error.startsWith('timeout')) {
      o.ms = TIMEOUT_MS;
      o.per100 = per100(TIMEOUT_MS, o.bytes);
    }
    return;
  }
  o.ms = Math.min(o.ms, ...again.ms);
  o.per100 = per100(o.ms, o.bytes);
}

const describe = (o: Outcome) => `${o.input.gen}: ${o.input.label}`;
const line = (o: Outcome) =>
  `  ${o.failure ? 'FAIL' : 'ok  '} ${o.ms.toFixed(1).padStart(8)} ms ${(o.bytes / 1024).toFixed(1).padStart(6)} KB ${String(o.diags).padStart(5)} diags  ${describe(o)}${o.failure ? `  — ${o.failure}` : ''}`;

if (process.argv.includes('--hostile-child')) {
  child();
} else {
  test('hostile inputs under 100 KB: no exception, well-formed diagnostics, under 1 s per 100 KB', { timeout: 30 * 60 * 1000 }, async () => {
    const t0 = performance.now();
    const filter = process.env.HOSTILE_FILTER ? new RegExp(process.env.HOSTILE_FILTER) : undefined;
    const inputs = allHostileInputs().filter((i) => !filter || filter.test(`${i.gen}: ${i.label}`));
    assert.ok(inputs.length > 0, 'no inputs');
    // Screening uses up to two children (one per core); suspects are timed again alone, so that a neighbour's
    // work or GC is never blamed on an input.
    const runners = Array.from({ length: Math.max(1, Math.min(2, os.availableParallelism())) }, () => new Runner());
    const outcomes: Outcome[] = new Array(inputs.length);
    try {
      let next = 0;
      const t1 = performance.now();
      await Promise.all(
        runners.map(async (runner) => {
          for (let i = next++; i < inputs.length; i = next++) outcomes[i] = await screen(runner, inputs[i]);
        }),
      );
      const t2 = performance.now();
      for (const o of outcomes) {
        if (!o.failure && o.per100 > RETIME_MS) await retime(runners[0], o);
        if (!o.failure && o.per100 >= LIMIT_MS)
          o.failure = `${o.ms.toFixed(0)} ms for ${(o.bytes / 1024).toFixed(1)} KB (${o.per100.toFixed(0)} ms per 100 KB)`;
        if (process.env.HOSTILE_VERBOSE || o.failure) console.log(line(o));
      }
      if (process.env.HOSTILE_VERBOSE)
        console.log(`  (generation ${(t1 - t0).toFixed(0)} ms, first pass ${(t2 - t1).toFixed(0)} ms, re-timing ${(performance.now() - t2).toFixed(0)} ms)`);
    } finally {
      for (const r of runners) r.stop();
    }
    const worst = outcomes.reduce((a, b) => (b.per100 > a.per100 ? b : a));
    const timedOut = worst.failure?.includes('timeout') ? '≥' : '';
    console.log(`hostile: ${outcomes.length} inputs, worst ${timedOut}${worst.per100.toFixed(1)} ms per 100 KB (${describe(worst)})`);
    const failures = outcomes.filter((o) => o.failure);
    assert.equal(
      failures.length,
      0,
      `${failures.length} hostile inputs failed:\n${failures
        .slice(0, 60)
        .map((o) => `  ${describe(o)}: ${o.failure}`)
        .join('\n')}`,
    );
  });
}

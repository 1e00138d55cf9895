import type * as Net from 'node:net';
/** Small helpers shared across the engine. */

/** A key as one token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
/** One token of a JSON pointer back to the key it stands for. */
export const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** The closest candidate within `max` edits (case-insensitive Levenshtein), or undefined. */
export function closest(word: string, candidates: string[], max: number): string | undefined {
  return new Suggester(candidates, max).near(word);
}

/**
 * "Did you mean" over one list of candidates, for many words: each distance is computed in a band of width
 * 2·max+1 (linear in the word's length), only against candidates whose length is within `max`, answers are
 * remembered per word, and all queries together compare at most `budget` characters — past that, no more
 * suggestions (a manifest with 3,000 unknown names among 3,000 nodes took 19 s when every pair was compared).
 */
export class Suggester {
  private readonly byLength = new Map<number, { orig: string; lower: string }[]>();
  private readonly memo = new Map<string, string | undefined>();
  constructor(
    candidates: string[],
    private readonly max: number,
    private budget = 4_000_000,
  ) {
    for (const orig of new Set(candidates)) {
      const list = this.byLength.get(orig.length) ?? [];
      if (!list.length) this.byLength.set(orig.length, list);
      list.push({ orig, lower: orig.toLowerCase() });
    }
  }

  near(word: string): string | undefined {
    if (this.memo.has(word)) return this.memo.get(word);
    const w = word.toLowerCase();
    let best: string | undefined;
    let bestD = this.max + 1;
    for (let len = word.length - this.max; len <= word.length + this.max && bestD > 0; len++) {
      for (const c of this.byLength.get(len) ?? []) {
        if ((this.budget -= Math.min(w.length, c.lower.length) * (2 * this.max + 1) + 1) < 0) return undefined;
        const d = bandedDistance(w, c.lower, Math.min(this.max, bestD - 1));
        if (d < bestD) {
          bestD = d;
          best = c.orig;
          if (d === 0) break;
        }
      }
    }
    if (this.memo.size < 10_000) this.memo.set(word, best);
    return best;
  }
}

/** Levenshtein distance when it is at most `max`, else max + 1; only the diagonal band |i − j| ≤ max is computed. */
function bandedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const INF = max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : INF;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max),
      hi = Math.min(b.length, i + max);
    cur[lo - 1] = lo - 1 === 0 ? i : INF;
    let rowMin = cur[lo - 1];
    for (let j = lo; j <= hi; j++) {
      const v = Math.min((j <= i - 1 + max ? prev[j] : INF) + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v > INF ? INF : v;
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (hi < b.length) cur[hi + 1] = INF;
    if (rowMin > max) return INF;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length], INF);
}

/** `s` without the `/` characters it ends with (a loop: the regular expression `/\/+$/` is quadratic on `////…x`). */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47) end--;
  return s.slice(0, end);
}

/**
 * The index of the last item whose key is at most `x` in `items` sorted by key (0 when none is: callers check
 * the item they get).
 */
export function lastAtMost<T>(items: readonly T[], x: number, key: (item: T) => number): number {
  let lo = 0,
    hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (key(items[mid]) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A cache that forgets its least recently used entries beyond `maxEntries` entries or, with `weigh`, beyond
 * `maxWeight` (it always keeps the newest entry). A hit is kept under the key it was stored with, never under
 * the key it was looked up with: a lookup key may be a slice of a much larger string (V8 keeps the whole
 * string alive for a slice), and caching it would keep that string in memory.
 */
export class Lru<V> {
  private readonly entries = new Map<string, { key: string; value: V; weight: number }>();
  private weight = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight = Infinity,
    private readonly weigh: (key: string, value: V) => number = () => 0,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(e.key, e);
    return e.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.weight -= old.weight;
    }
    const weight = this.weigh(key, value);
    this.entries.set(key, { key, value, weight });
    this.weight += weight;
    while ((this.entries.size > this.maxEntries || this.weight > this.maxWeight) && this.entries.size > 1) {
      const first = this.entries.values().next().value!;
      this.entries.delete(first.key);
      this.weight -= first.weight;
    }
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }
}

/** A plain object without a prototype: a key `__proto__` (from a user's file) is data, never the object's prototype. */
export const dict = <V = unknown>(): Record<string, V> => Object.create(null) as Record<string, V>;

/**
 * `text` with the user-info part of every URL masked: `ftp://user:PW@host/` → `ftp://***@host/`. Everything from
 * `://` to the last `@` before the URL ends (a blank, a quote or a backtick) is masked, so a password holding
 * `/` or `#` is masked too (at worst a host is hidden with it). Linear: one scan of the text.
 */
export function redactSecrets(text: string): string {
  if (!text.includes('://')) return text;
  let out = '';
  let from = 0;
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 3)) {
    if (i < from) continue;
    let end = i + 3;
    let at = -1;
    while (end < text.length && !URL_END.has(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 64 /* @ */) at = end;
      end++;
    }
    if (at < 0) {
      i = end - 3;
      continue;
    } // every `://` up to `end` belongs to this URL: never scanned again
    out += text.slice(from, i + 3) + '***';
    from = at;
    i = end - 3;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Characters that end a URL inside a sentence. */
const URL_END = new Set([
  32, 9, 10, 13, 96 /* ` */, 34 /* " */, 39 /* ' */, 0x3001 /* 、 */, 0x3002 /* 。 */, 0xff08 /* （ */, 0xff09 /* ） */, 0x300c /* 「 */, 0x300d /* 」 */,
]);

/** Keys whose values are secrets: their values are never quoted in a message. */
export const SECRET_KEY = /password|passwd|secret|token/i;

/** A value as a message quotes it: at most 60 characters, and `***` for the value of a secret-looking key. */
export function quoteValue(key: string, value: unknown): string {
  if (SECRET_KEY.test(key)) return '***';
  const t = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

/** A count written as the guides write them, with thousands separators (5,000 devices, 60,000 phones). Not for ports. */
export const grouped = (n: number): string => n.toLocaleString('en-US');

let netModule: typeof Net | undefined;
/** `net.isIP`, with `node:net` (~2.7 ms to load) loaded when a rule first asks: most runs never do. */
export const isIP = (s: string): number => (netModule ??= require('node:net') as typeof Net).isIP(s);

/** Runs work written as a generator (it yields where it may be paused) to its end, at once. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs work written as a generator, awaiting `pause` after every `sliceMs` of it so that other work can run; when
 * `pause` resolves to false (the work is no longer wanted) it stops and gives undefined. `busyMs`: the time the
 * work itself took, pauses left out.
 */
export async function inSlices<T>(
  steps: Generator<void, T>,
  pause: () => Promise<boolean>,
  sliceMs: number,
): Promise<{ value: T; busyMs: number } | undefined> {
  let busyMs = 0;
  let since = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, busyMs: busyMs + performance.now() - since };
    const t = performance.now();
    if (t - since >= sliceMs) {
      busyMs += t - since;
      if (!(await pause())) return undefined;
      since = performance.now();
    }
  }
}

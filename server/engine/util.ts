/** Small helpers shared across the engine. */

/** A key as one token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
/** One token of a JSON pointer back to the key it stands for. */
export const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** The closest candidate within `max` edits (case-insensitive Levenshtein), or undefined. */
export function closest(word: string, candidates: string[], max: number): string | undefined {
  let best: string | undefined;
  let bestD = max + 1;
  for (const cand of candidates) {
    const d = distance(word.toLowerCase(), cand.toLowerCase(), max);
    if (d < bestD) { bestD = d; best = cand; }
  }
  return best;
}

function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

export const doc = (enSummary: string, enDetails: string, jaSummary: string, jaDetails: string) => ({
  en: { summary: enSummary, details: enDetails },
  ja: { summary: jaSummary, details: jaDetails },
});

/**
 * The index of the last item whose key is at most `x` in `items` sorted by key (0 when none is: callers check
 * the item they get).
 */
export function lastAtMost<T>(items: readonly T[], x: number, key: (item: T) => number): number {
  let lo = 0, hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (key(items[mid]) <= x) lo = mid; else hi = mid - 1;
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
  constructor(private readonly maxEntries: number, private readonly maxWeight = Infinity, private readonly weigh: (key: string, value: V) => number = () => 0) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(e.key, e);
    return e.value;
  }

  has(key: string): boolean { return this.entries.has(key); }

  set(key: string, value: V): void {
    const old = this.entries.get(key);
    if (old) { this.entries.delete(key); this.weight -= old.weight; }
    const weight = this.weigh(key, value);
    this.entries.set(key, { key, value, weight });
    this.weight += weight;
    while ((this.entries.size > this.maxEntries || this.weight > this.maxWeight) && this.entries.size > 1) {
      const first = this.entries.values().next().value!;
      this.entries.delete(first.key);
      this.weight -= first.weight;
    }
  }

  clear(): void { this.entries.clear(); this.weight = 0; }
}

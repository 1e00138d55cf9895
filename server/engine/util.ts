/** Small helpers shared by rules. */

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

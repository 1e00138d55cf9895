/**
 * Product version strings, parsed and compared numerically part by part:
 *   ACNS `5.1.3`, `5.1.0.b.26` (build kept apart); IM and Presence / Unified CM `8.6(3)` or `9.0.2.10000-4`;
 *   CallManager `3.2`, `4.1(3)`; CUPM `2.1`, `8.5`; iPlanet `5.1`, `5.2`; Directory Server `4.13`.
 * `8.6(3)` reads as 8.6.3, so it compares equal to the long form `8.6.3.10000-1` on three parts.
 */
export interface Version {
  /** Numeric parts: major, minor, maintenance, then any further parts (long-form build numbers). */
  parts: number[];
  /** ACNS `.b.N` build, not part of comparisons. */
  build?: number;
  text: string;
}

const RE = /^(\d+)\.(\d+)((?:\.\d+)*)(?:\((\d+)[a-z]?\))?(?:-(\d+))?(?:\.b\.(\d+))?$/i;

/** Parses a version written as a string or a YAML number; anything else is not a version. */
export function parseVersion(text: unknown): Version | undefined {
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const t = String(text).trim();
  const m = RE.exec(t);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2])];
  if (m[3]) parts.push(...m[3].slice(1).split('.').map(Number));
  if (m[4] !== undefined) parts.push(Number(m[4]));
  if (m[5] !== undefined) parts.push(Number(m[5]));
  return { parts, build: m[6] === undefined ? undefined : Number(m[6]), text: t };
}

/** Compares the first `n` parts (missing parts count as 0). Negative when a < b. */
export function compareVersions(a: Version, b: Version, n = Math.max(a.parts.length, b.parts.length)): number {
  for (let i = 0; i < n; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * Like compareVersions over every part, then the ACNS `.b.N` build when both versions have one (002: `5.1.0.b.20`
 * and `5.1.0.b.26` are two builds of 5.1.0). One build against none compares equal: nothing says which is newer.
 */
export function compareWithBuild(a: Version, b: Version): number {
  return compareVersions(a, b) || (a.build !== undefined && b.build !== undefined ? a.build - b.build : 0);
}

/** The same release and, when either names one, the same build. */
export const sameRelease = (a: Version, b: Version): boolean => compareVersions(a, b) === 0 && a.build === b.build;

export const v = (text: string): Version => {
  const p = parseVersion(text);
  if (!p) throw new Error(`bad version literal ${text}`);
  return p;
};

/** True when lo ≤ x ≤ hi, comparing `n` parts. */
export function inRange(x: Version, lo: Version, hi: Version, n = 3): boolean {
  return compareVersions(x, lo, n) >= 0 && compareVersions(x, hi, n) <= 0;
}

export const majorMinor = (x: Version) => `${x.parts[0]}.${x.parts[1]}`;
export const sameMajorMinor = (a: Version, b: Version) => a.parts[0] === b.parts[0] && a.parts[1] === b.parts[1];

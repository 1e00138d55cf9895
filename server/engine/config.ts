/**
 * `.upgrade-lint.json`: rule severities, image search paths and per-glob overrides. Found by walking up
 * from the file. A malformed file is reported (`config/invalid`) with exact ranges and never stops
 * validation: whatever parts are valid still apply.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { msg, render, type Message } from './l10n/index';
import type { Diagnostic, Locale, Range, SeveritySetting } from './types';
import { ruleFamilies, ruleMeta } from './rules/index';

export const CONFIG_FILE = '.upgrade-lint.json';
export const SEVERITY_SETTINGS: SeveritySetting[] = ['off', 'error', 'warning', 'information', 'hint'];

export interface ConfigOverride {
  files: string[];
  rules: Record<string, SeveritySetting>;
}
export interface UpgradeLintConfig {
  rules: Record<string, SeveritySetting>;
  imageSearchPaths: string[];
  overrides: ConfigOverride[];
}
export interface LoadedConfig {
  /** Absolute path of the config file (undefined when none was found). */
  path?: string;
  config: UpgradeLintConfig;
  problems: Diagnostic[];
}

export const emptyConfig = (): UpgradeLintConfig => ({ rules: {}, imageSearchPaths: [], overrides: [] });

/** True for a rule id the registry knows, or a family wildcard such as `meta/*`. */
export function isKnownRuleId(id: string): boolean {
  if (ruleMeta(id)) return true;
  const m = /^([a-z]+)\/\*$/.exec(id);
  return !!m && ruleFamilies().has(m[1]);
}

/** A problem with the configuration file as a whole (it could not be read), reported on its first line. */
export function configProblem(
  p: { code: 'unreadable'; why: { reason: string; code?: string } } | { code: 'too-large'; size: number },
  locale: Locale = 'en',
): Diagnostic {
  const message =
    p.code === 'too-large'
      ? msg('config/invalid.tooLarge', { file: CONFIG_FILE, size: p.size })
      : msg('config/invalid.unreadable', {
          file: CONFIG_FILE,
          why: p.why.reason === 'not-regular' ? msg('config/invalid.notRegular') : (p.why.code ?? p.why.reason),
        });
  return {
    rule: 'config/invalid',
    severity: 'error',
    message: render(message, locale),
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    fixes: [],
  };
}

/** Nesting deeper than this is refused before parsing (a configuration needs three levels). */
const MAX_CONFIG_DEPTH = 64;

/**
 * `isOutside(abs)`: true for an image search path that leaves the tree being linted; such a path is reported
 * and not used (a repository's configuration must not make upgrade-lint look around the machine).
 */
export function parseConfig(text: string, configPath?: string, isOutside?: (abs: string) => boolean, locale: Locale = 'en'): LoadedConfig {
  const config = emptyConfig();
  const problems: Diagnostic[] = [];
  text = text.replace(/^\uFEFF/, '');
  if (flowDepth(text) > MAX_CONFIG_DEPTH) {
    problems.push({
      rule: 'config/invalid',
      severity: 'error',
      message: render(msg('config/invalid.tooDeep', { file: CONFIG_FILE, max: MAX_CONFIG_DEPTH }), locale),
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      fixes: [],
    });
    return { path: configPath, config, problems };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const rangeOf = (a: number, b: number): Range => {
    const s = lc.linePos(a),
      e = lc.linePos(b);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  const nodeRange = (n: Node | null | undefined): Range => (n?.range ? rangeOf(n.range[0], n.range[1]) : rangeOf(0, 0));
  const problem = (range: Range, message: Message) =>
    problems.push({ rule: 'config/invalid', severity: 'error', message: render(message, locale), range, fixes: [] });

  if (doc.errors.length) {
    for (const e of doc.errors) problem(rangeOf(e.pos[0], e.pos[1]), msg('config/invalid.json', { file: CONFIG_FILE, error: e.message.split('\n')[0] }));
    return { path: configPath, config, problems };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    if (root) problem(nodeRange(root as Node), msg('config/invalid.notObject', { file: CONFIG_FILE }));
    return { path: configPath, config, problems };
  }
  const readRules = (node: unknown, into: Record<string, SeveritySetting>) => {
    if (!isMap(node)) {
      problem(nodeRange(node as Node), msg('config/invalid.rules'));
      return;
    }
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = isScalar(pair.value) ? pair.value.value : undefined;
      if (!isKnownRuleId(k)) {
        problem(nodeRange(pair.key as Node), msg('config/invalid.ruleId', { id: k }));
        continue;
      }
      if (typeof v !== 'string' || !SEVERITY_SETTINGS.includes(v as SeveritySetting)) {
        problem(nodeRange(pair.value as Node), msg('config/invalid.severity', { id: k, allowed: SEVERITY_SETTINGS.join(', ') }));
        continue;
      }
      into[k] = v as SeveritySetting;
    }
  };
  /** `check` says why an entry cannot be used (it is then reported and left out). */
  const readStrings = (node: unknown, what: string, check: (s: string) => Message | undefined = () => undefined): string[] => {
    if (!isSeq(node)) {
      problem(nodeRange(node as Node), msg('config/invalid.strings', { key: what }));
      return [];
    }
    const out: string[] = [];
    for (const item of node.items) {
      if (!isScalar(item) || typeof item.value !== 'string') {
        problem(nodeRange(item as Node), msg('config/invalid.string', { key: what }));
        continue;
      }
      const why = check(item.value);
      if (why) problem(nodeRange(item as Node), why);
      else out.push(item.value);
    }
    return out;
  };
  const base = configPath ? path.dirname(configPath) : process.cwd();
  const insideTree = (p: string) => (isOutside?.(path.resolve(base, p)) ? msg('config/invalid.imagePathOutside', { path: p }) : undefined);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'rules') readRules(pair.value, config.rules);
    else if (key === 'imageSearchPaths') config.imageSearchPaths = readStrings(pair.value, 'imageSearchPaths', insideTree);
    else if (key === 'overrides') {
      if (!isSeq(pair.value)) {
        problem(nodeRange(pair.value as Node), msg('config/invalid.overrides'));
        continue;
      }
      for (const item of pair.value.items) {
        if (!isMap(item)) {
          problem(nodeRange(item as Node), msg('config/invalid.override'));
          continue;
        }
        const ov: ConfigOverride = { files: [], rules: {} };
        for (const p of item.items) {
          const k = isScalar(p.key) ? String(p.key.value) : '';
          if (k === 'files') ov.files = readStrings(p.value, 'files', globProblem);
          else if (k === 'rules') readRules(p.value, ov.rules);
          else problem(nodeRange(p.key as Node), msg('config/invalid.overrideKey', { key: k }));
        }
        const listed = item.items.some((p) => isScalar(p.key) && p.key.value === 'files' && isSeq(p.value) && p.value.items.length > 0);
        if (!listed) problem(nodeRange(item as Node), msg('config/invalid.overrideFiles'));
        config.overrides.push(ov);
      }
    } else if (key !== '$schema') {
      problem(nodeRange(pair.key as Node), msg('config/invalid.key', { key }));
    }
  }
  return { path: configPath, config, problems };
}

/** Walks up from `dir` to the file system root looking for `.upgrade-lint.json`. */
export function findConfig(dir: string, exists: (p: string) => boolean): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    const candidate = path.join(d, CONFIG_FILE);
    if (exists(candidate)) return candidate;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/**
 * Limits on an override glob. Globs are compiled to regular expressions (picomatch), whose matching time grows
 * with the number of wildcards that can each take a variable part of one path segment (`*a*a*a*a*b` on a long
 * name takes seconds) and with the `**` of one pattern; these bounds keep the worst case to milliseconds per
 * path while leaving every pattern people write (`sites/**\/*.upgrade.yaml`, `lab/*.{meta,properties}`).
 */
export const GLOB_LIMITS = { length: 256, starsPerSegment: 3, globstars: 3, groups: 4 };

/** Why an override glob is refused, or undefined when it may be used. */
export function globProblem(glob: string): Message | undefined {
  const g = normalizeGlob(glob);
  const pattern = glob.length > 60 ? glob.slice(0, 57) + '…' : glob;
  if (glob.length > GLOB_LIMITS.length) return msg('config/invalid.globLength', { pattern, max: GLOB_LIMITS.length });
  const segments = g.split('/');
  if (segments.filter((x) => x === '**').length > GLOB_LIMITS.globstars) return msg('config/invalid.globGlobstars', { pattern, max: GLOB_LIMITS.globstars });
  if (segments.some((x) => x !== '**' && (x.match(/\*+/g) ?? []).length > GLOB_LIMITS.starsPerSegment))
    return msg('config/invalid.globStars', { pattern, max: GLOB_LIMITS.starsPerSegment });
  if ((g.match(/[{(]/g) ?? []).length > GLOB_LIMITS.groups) return msg('config/invalid.globGroups', { pattern, max: GLOB_LIMITS.groups });
  try {
    picomatch.makeRe(g, { dot: true });
  } catch {
    return msg('config/invalid.globSyntax', { pattern });
  }
  return undefined;
}

/**
 * A glob as the config means it: `\` and `/` both separate folders, a leading `./` is dropped, a trailing `/`
 * means everything below, a pattern without `/` matches the base name in any folder, and runs of `**` collapse.
 */
function normalizeGlob(glob: string): string {
  let g = glob.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (g.endsWith('/')) g += '**';
  if (!g.includes('/')) g = '**/' + g;
  return g
    .split('/')
    .filter((x, i, all) => !(x === '**' && all[i - 1] === '**'))
    .join('/');
}

const matchers = new Map<string, (rel: string) => boolean>();

/** Whether `rel` (a path relative to the config's folder, `/`-separated) matches an override glob (picomatch). */
export function globMatches(glob: string, rel: string): boolean {
  let m = matchers.get(glob);
  if (!m) {
    if (globProblem(glob)) m = () => false;
    else m = picomatch(normalizeGlob(glob), { dot: true });
    if (matchers.size > 1000) matchers.clear();
    matchers.set(glob, m);
  }
  return m(rel);
}

/**
 * The deepest nesting of `[`/`{` in JSON-like text, outside strings and comments: a linear scan that keeps
 * a deeply nested document away from the recursive parser (whose stack it would overflow).
 */
export function flowDepth(text: string): number {
  let depth = 0,
    max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      for (i++; i < text.length && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92 /* \\ */) i++;
    } else if (c === 35 /* # */ || (c === 47 /* / */ && text.charCodeAt(i + 1) === 47)) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** Rule severities for one file: the config's rules, then every override whose globs match the file. */
export function rulesForFile(loaded: LoadedConfig, filePath: string | undefined): Record<string, SeveritySetting> {
  const rules = { ...loaded.config.rules };
  if (!loaded.path || !filePath) return rules;
  const rel = path.relative(path.dirname(loaded.path), filePath).split(path.sep).join('/');
  for (const ov of loaded.config.overrides) {
    if (ov.files.some((g) => globMatches(g, rel))) Object.assign(rules, ov.rules);
  }
  return rules;
}

/** Image search paths of the config, made absolute against the config file's folder. */
export function imagePathsOf(loaded: LoadedConfig): string[] {
  const base = loaded.path ? path.dirname(loaded.path) : process.cwd();
  return loaded.config.imageSearchPaths.map((p) => path.resolve(base, p));
}

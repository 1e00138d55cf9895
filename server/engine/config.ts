/**
 * `.upgrade-lint.json`: rule severities, image search paths and per-glob overrides. Found by walking up
 * from the file. A malformed file is reported (`config/invalid`) with exact ranges and never stops
 * validation: whatever parts are valid still apply.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { msg, render, type Message } from './l10n/index';
import type { Diagnostic, Locale, Range, SeveritySetting } from './types';
import { ruleFamilies, ruleMeta } from './rules/index';
import { parseDuration, STEP_ACTIONS } from './runbook/duration';

export const CONFIG_FILE = '.upgrade-lint.json';
export const SEVERITY_SETTINGS: SeveritySetting[] = ['off', 'error', 'warning', 'information', 'hint'];

export interface ConfigOverride {
  files: string[];
  rules: Record<string, SeveritySetting>;
}
export interface UpgradeLintConfig {
  rules: Record<string, SeveritySetting>;
  imageSearchPaths: string[];
  /** Globs (relative to the config's folder, as in `overrides[].files`) of files and folders a CLI run skips; `!` brings one back. */
  ignorePatterns: string[];
  overrides: ConfigOverride[];
  /** Minutes per step action for steps without a `duration` the guides document none for (written `45m`, `1h30m`, `PT2H`). */
  defaultDurations?: Record<string, number>;
}
export interface LoadedConfig {
  /** Absolute path of the config file (undefined when none was found). */
  path?: string;
  config: UpgradeLintConfig;
  problems: Diagnostic[];
}

export const emptyConfig = (): UpgradeLintConfig => ({ rules: {}, imageSearchPaths: [], ignorePatterns: [], overrides: [] });

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

/** The message of each jsonc-parser `ParseErrorCode` (a const enum, so its numbers are written here). */
const SYNTAX_ERRORS: Record<number, Message> = {
  1: msg('config/invalid.syntax.symbol'),
  2: msg('config/invalid.syntax.number'),
  3: msg('config/invalid.syntax.propertyName'),
  4: msg('config/invalid.syntax.value'),
  5: msg('config/invalid.syntax.colon'),
  6: msg('config/invalid.syntax.comma'),
  7: msg('config/invalid.syntax.closeBrace'),
  8: msg('config/invalid.syntax.closeBracket'),
  9: msg('config/invalid.syntax.endOfFile'),
  10: msg('config/invalid.syntax.comment'),
  11: msg('config/invalid.syntax.comment'),
  12: msg('config/invalid.syntax.string'),
  13: msg('config/invalid.syntax.number'),
  14: msg('config/invalid.syntax.escape'),
  15: msg('config/invalid.syntax.escape'),
  16: msg('config/invalid.syntax.escape'),
};

/** Text that starts like a YAML mapping (`rules:`, `- x`, `---`) rather than JSON. */
const YAML_START = /^(?:---|-\s|[A-Za-z_$][\w$.-]*\s*:(?:\s|$)|(["'])[^"'\n]*\1\s*:\s*[^\s{["'\d-])/;

/**
 * Parses `.upgrade-lint.json` as JSON with comments (`//`, `/* *\/`) and trailing commas — what VS Code calls
 * JSONC, read by jsonc-parser —, and nothing else: a syntax error is one `config/invalid` at its place, and
 * the file is then not used. An empty file is an empty configuration.
 *
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
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const posAt = (offset: number) => {
    let lo = 0,
      hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - lineStarts[lo] };
  };
  const rangeOf = (a: number, b: number): Range => ({ start: posAt(a), end: posAt(b) });
  const nodeRange = (n: JsonNode | undefined): Range => (n ? rangeOf(n.offset, n.offset + n.length) : rangeOf(0, 0));
  const problem = (range: Range, message: Message) =>
    problems.push({ rule: 'config/invalid', severity: 'error', message: render(message, locale), range, fixes: [] });

  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length) {
    // The first error is the one to fix; the ones after it mostly follow from it.
    const e = errors[0];
    // YAML's `#` comments are skipped to see what the text starts with.
    const start = text.slice(e.offset).replace(/^(?:\s|#.*)+/, '');
    const yamlLike = e.offset === firstSignificant(text) && YAML_START.test(start);
    problem(
      rangeOf(e.offset, e.offset + e.length),
      yamlLike
        ? msg('config/invalid.yaml', { file: CONFIG_FILE })
        : msg('config/invalid.json', { file: CONFIG_FILE, error: SYNTAX_ERRORS[e.error] ?? msg('config/invalid.syntax.symbol') }),
    );
    return { path: configPath, config, problems };
  }
  if (!root) return { path: configPath, config, problems };
  if (root.type !== 'object') {
    problem(nodeRange(root), msg('config/invalid.notObject', { file: CONFIG_FILE }));
    return { path: configPath, config, problems };
  }
  const props = (n: JsonNode) => (n.children ?? []).map((p) => ({ key: p.children?.[0], value: p.children?.[1] }));
  const keyOf = (k: JsonNode | undefined) => (k && typeof k.value === 'string' ? k.value : '');
  const readRules = (node: JsonNode | undefined, into: Record<string, SeveritySetting>) => {
    if (node?.type !== 'object') {
      problem(nodeRange(node), msg('config/invalid.rules'));
      return;
    }
    for (const pair of props(node)) {
      const k = keyOf(pair.key);
      const v = pair.value?.type === 'string' ? (pair.value.value as string) : undefined;
      if (!isKnownRuleId(k)) {
        problem(nodeRange(pair.key), msg('config/invalid.ruleId', { id: k }));
        continue;
      }
      if (v === undefined || !SEVERITY_SETTINGS.includes(v as SeveritySetting)) {
        problem(nodeRange(pair.value), msg('config/invalid.severity', { id: k, allowed: SEVERITY_SETTINGS.join(', ') }));
        continue;
      }
      into[k] = v as SeveritySetting;
    }
  };
  /** `check` says why an entry cannot be used (it is then reported and left out). */
  const readStrings = (node: JsonNode | undefined, what: string, check: (s: string) => Message | undefined = () => undefined): string[] => {
    if (node?.type !== 'array') {
      problem(nodeRange(node), msg('config/invalid.strings', { key: what }));
      return [];
    }
    const out: string[] = [];
    for (const item of node.children ?? []) {
      if (item.type !== 'string') {
        problem(nodeRange(item), msg('config/invalid.string', { key: what }));
        continue;
      }
      const why = check(item.value as string);
      if (why) problem(nodeRange(item), why);
      else out.push(item.value as string);
    }
    return out;
  };
  /** `{ "upgrade": "1h30m", … }`: an action of the manifest format → a duration; what cannot be used is reported. */
  const readDurations = (node: JsonNode | undefined): Record<string, number> | undefined => {
    if (node?.type !== 'object') {
      problem(nodeRange(node), msg('config/invalid.durations'));
      return undefined;
    }
    const out: Record<string, number> = {};
    for (const pair of props(node)) {
      const k = keyOf(pair.key);
      if (!STEP_ACTIONS.includes(k)) {
        problem(nodeRange(pair.key), msg('config/invalid.durationAction', { action: k, allowed: STEP_ACTIONS.join(', ') }));
        continue;
      }
      const minutes = parseDuration(pair.value?.type === 'string' ? pair.value.value : undefined);
      if (minutes === undefined) {
        problem(nodeRange(pair.value), msg('config/invalid.duration', { action: k }));
        continue;
      }
      out[k] = minutes;
    }
    return out;
  };
  const base = configPath ? path.dirname(configPath) : process.cwd();
  const insideTree = (p: string) => (isOutside?.(path.resolve(base, p)) ? msg('config/invalid.imagePathOutside', { path: p }) : undefined);
  for (const pair of props(root)) {
    const key = keyOf(pair.key);
    if (key === 'rules') readRules(pair.value, config.rules);
    else if (key === 'imageSearchPaths') config.imageSearchPaths = readStrings(pair.value, 'imageSearchPaths', insideTree);
    else if (key === 'defaultDurations') {
      const d = readDurations(pair.value);
      if (d) config.defaultDurations = d;
    } else if (key === 'ignorePatterns') config.ignorePatterns = readStrings(pair.value, 'ignorePatterns', (g) => globProblem(g.replace(/^!/, '')));
    else if (key === 'overrides') {
      if (pair.value?.type !== 'array') {
        problem(nodeRange(pair.value), msg('config/invalid.overrides'));
        continue;
      }
      for (const item of pair.value.children ?? []) {
        if (item.type !== 'object') {
          problem(nodeRange(item), msg('config/invalid.override'));
          continue;
        }
        const ov: ConfigOverride = { files: [], rules: {} };
        const entries = props(item);
        for (const p of entries) {
          const k = keyOf(p.key);
          if (k === 'files') ov.files = readStrings(p.value, 'files', globProblem);
          else if (k === 'rules') readRules(p.value, ov.rules);
          else problem(nodeRange(p.key), msg('config/invalid.overrideKey', { key: k }));
        }
        const listed = entries.some((p) => keyOf(p.key) === 'files' && p.value?.type === 'array' && (p.value.children ?? []).length > 0);
        if (!listed) problem(nodeRange(item), msg('config/invalid.overrideFiles'));
        config.overrides.push(ov);
      }
    } else if (key !== '$schema') {
      problem(nodeRange(pair.key), msg('config/invalid.key', { key }));
    }
  }
  return { path: configPath, config, problems };
}

/** The offset of the first character that is neither white space nor part of a comment. */
function firstSignificant(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return i;
      i = end + 2;
    } else return i;
  }
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

/** Which of GLOB_LIMITS a glob (`/`-separated, as matched) exceeds, or `syntax` when picomatch cannot compile it. */
export function globLimit(g: string, length = g.length): { limit: keyof typeof GLOB_LIMITS; max: number } | 'syntax' | undefined {
  if (length > GLOB_LIMITS.length) return { limit: 'length', max: GLOB_LIMITS.length };
  const segments = g.split('/');
  if (segments.filter((x) => x === '**').length > GLOB_LIMITS.globstars) return { limit: 'globstars', max: GLOB_LIMITS.globstars };
  if (segments.some((x) => x !== '**' && (x.match(/\*+/g) ?? []).length > GLOB_LIMITS.starsPerSegment))
    return { limit: 'starsPerSegment', max: GLOB_LIMITS.starsPerSegment };
  if ((g.match(/[{(]/g) ?? []).length > GLOB_LIMITS.groups) return { limit: 'groups', max: GLOB_LIMITS.groups };
  try {
    picomatch.makeRe(g, { dot: true });
  } catch {
    return 'syntax';
  }
  return undefined;
}

/** Why an override glob (or an ignore pattern) is refused, or undefined when it may be used. */
export function globProblem(glob: string): Message | undefined {
  const why = globLimit(normalizeGlob(glob), glob.length);
  if (!why) return undefined;
  const pattern = glob.length > 60 ? glob.slice(0, 57) + '…' : glob;
  if (why === 'syntax') return msg('config/invalid.globSyntax', { pattern });
  const { max } = why;
  return why.limit === 'length'
    ? msg('config/invalid.globLength', { pattern, max })
    : why.limit === 'globstars'
      ? msg('config/invalid.globGlobstars', { pattern, max })
      : why.limit === 'starsPerSegment'
        ? msg('config/invalid.globStars', { pattern, max })
        : msg('config/invalid.globGroups', { pattern, max });
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
 * The deepest nesting of `[`/`{` in JSON-with-comments text, outside strings and comments as jsonc-parser reads
 * them (a `"` string ends at its quote or the line's end; `//` and `/* *\/` comments): a linear scan that keeps a
 * deeply nested document away from the recursive parser (whose stack it would overflow). Anything else — `'`,
 * `#` — is not a string or a comment there, so its brackets count.
 */
export function flowDepth(text: string): number {
  let depth = 0,
    max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13; i++)
        if (text.charCodeAt(i) === 92 /* \\ */) i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
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

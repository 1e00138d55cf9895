/**
 * `.upgrade-lint.json`: rule severities, image search paths and per-glob overrides. Found by walking up
 * from the file. A malformed file is reported (`config/invalid`) with exact ranges and never stops
 * validation: whatever parts are valid still apply.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostic, Range, SeveritySetting } from './types';
import { ruleMeta } from './rules/index';

export const CONFIG_FILE = '.upgrade-lint.json';
export const SEVERITY_SETTINGS: SeveritySetting[] = ['off', 'error', 'warning', 'information', 'hint'];

export interface ConfigOverride { files: string[]; rules: Record<string, SeveritySetting> }
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
  return !!m && ['meta', 'dfc', 'schema', 'file', 'config', 'manifest', 'acns', 'imp', 'ccm', 'cupm', 'ims', 'yaml'].includes(m[1]);
}

export function parseConfig(text: string, configPath?: string): LoadedConfig {
  const config = emptyConfig();
  const problems: Diagnostic[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const rangeOf = (a: number, b: number): Range => {
    const s = lc.linePos(a), e = lc.linePos(b);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  const nodeRange = (n: Node | null | undefined): Range => (n?.range ? rangeOf(n.range[0], n.range[1]) : rangeOf(0, 0));
  const problem = (range: Range, message: string) =>
    problems.push({ rule: 'config/invalid', severity: 'error', message, range, fixes: [] });

  if (doc.errors.length) {
    for (const e of doc.errors) problem(rangeOf(e.pos[0], e.pos[1]), `${CONFIG_FILE} is not valid JSON: ${e.message.split('\n')[0]}`);
    return { path: configPath, config, problems };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    if (root) problem(nodeRange(root as Node), `${CONFIG_FILE} must hold a JSON object.`);
    return { path: configPath, config, problems };
  }
  const readRules = (node: unknown, into: Record<string, SeveritySetting>) => {
    if (!isMap(node)) { problem(nodeRange(node as Node), '"rules" must be an object of rule id → severity.'); return; }
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = isScalar(pair.value) ? pair.value.value : undefined;
      if (!isKnownRuleId(k)) { problem(nodeRange(pair.key as Node), `Unknown rule id "${k}".`); continue; }
      if (typeof v !== 'string' || !SEVERITY_SETTINGS.includes(v as SeveritySetting)) {
        problem(nodeRange(pair.value as Node), `Severity of "${k}" must be one of ${SEVERITY_SETTINGS.join(', ')}.`);
        continue;
      }
      into[k] = v as SeveritySetting;
    }
  };
  const readStrings = (node: unknown, what: string): string[] => {
    if (!isSeq(node)) { problem(nodeRange(node as Node), `"${what}" must be an array of strings.`); return []; }
    const out: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string') out.push(item.value);
      else problem(nodeRange(item as Node), `Each entry of "${what}" must be a string.`);
    }
    return out;
  };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'rules') readRules(pair.value, config.rules);
    else if (key === 'imageSearchPaths') config.imageSearchPaths = readStrings(pair.value, 'imageSearchPaths');
    else if (key === 'overrides') {
      if (!isSeq(pair.value)) { problem(nodeRange(pair.value as Node), '"overrides" must be an array.'); continue; }
      for (const item of pair.value.items) {
        if (!isMap(item)) { problem(nodeRange(item as Node), 'Each override must be an object with "files" and "rules".'); continue; }
        const ov: ConfigOverride = { files: [], rules: {} };
        for (const p of item.items) {
          const k = isScalar(p.key) ? String(p.key.value) : '';
          if (k === 'files') ov.files = readStrings(p.value, 'files');
          else if (k === 'rules') readRules(p.value, ov.rules);
          else problem(nodeRange(p.key as Node), `Unknown key "${k}" in an override (expected "files" and "rules").`);
        }
        if (!ov.files.length) problem(nodeRange(item as Node), 'An override needs a non-empty "files" list.');
        config.overrides.push(ov);
      }
    } else if (key !== '$schema') {
      problem(nodeRange(pair.key as Node), `Unknown key "${key}" (expected "rules", "imageSearchPaths" or "overrides").`);
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

/** `**` any folders, `*` any characters but `/`, `?` one character; a pattern without `/` matches the base name anywhere. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (g.endsWith('/')) g += '**';
  if (!g.includes('/')) g = '**/' + g;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Rule severities for one file: the config's rules, then every override whose globs match the file. */
export function rulesForFile(loaded: LoadedConfig, filePath: string | undefined): Record<string, SeveritySetting> {
  const rules = { ...loaded.config.rules };
  if (!loaded.path || !filePath) return rules;
  const rel = path.relative(path.dirname(loaded.path), filePath).split(path.sep).join('/');
  for (const ov of loaded.config.overrides) {
    if (ov.files.some((g) => globToRegExp(g).test(rel))) Object.assign(rules, ov.rules);
  }
  return rules;
}

/** Image search paths of the config, made absolute against the config file's folder. */
export function imagePathsOf(loaded: LoadedConfig): string[] {
  const base = loaded.path ? path.dirname(loaded.path) : process.cwd();
  return loaded.config.imageSearchPaths.map((p) => path.resolve(base, p));
}

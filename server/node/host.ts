/**
 * Node-side services shared by the two front ends (CLI and language server): file-system access for the
 * engine, `.upgrade-lint.json` lookup with caching, and reading files as the engine expects them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configProblem, findConfig, imagePathsOf, parseConfig, rulesForFile, type LoadedConfig } from '../engine/config';
import { DEFAULT_MAX_FILE_SIZE, lint, preferredEdits, unreadableResult } from '../engine/lint';
import { applyEdits, decodeBytes } from '../engine/text';
import type { EngineFs, FileKind, Locale, LintResult, SeveritySetting } from '../engine/types';
import { confinedFs, readRegularFile, Roots, type Unreadable } from './files';

/** `.upgrade-lint.json` is read only up to this size. */
const MAX_CONFIG_SIZE = 1024 * 1024;

export class ConfigCache {
  private byPath = new Map<string, LoadedConfig>();
  private dirToPath = new Map<string, string | undefined>();
  /**
   * `roots`: where image search paths of a config may point (others are reported and not used); `locale`: the
   * language of the problems found in configuration files.
   */
  constructor(
    private readonly roots?: Roots,
    private readonly locale: Locale = 'en',
  ) {}

  /** The config that applies to a file (an empty one when none is found). */
  forFile(filePath: string): LoadedConfig {
    const dir = path.dirname(path.resolve(filePath));
    let cfgPath = this.dirToPath.get(dir);
    if (!this.dirToPath.has(dir)) {
      cfgPath = findConfig(dir, (p) => fs.existsSync(p));
      this.dirToPath.set(dir, cfgPath);
    }
    if (!cfgPath) return parseConfig('{}');
    let loaded = this.byPath.get(cfgPath);
    if (!loaded) {
      const read = readRegularFile(cfgPath, MAX_CONFIG_SIZE);
      if (!('bytes' in read) || read.truncated) {
        // Never silently linted without the configuration the repository meant (CI would pass without it).
        loaded = parseConfig('{}', cfgPath);
        loaded.problems.push(configProblem('truncated' in read ? { code: 'too-large', size: read.size } : { code: 'unreadable', why: read }, this.locale));
      } else {
        const roots = this.roots;
        loaded = parseConfig(decodeBytes(read.bytes).text, cfgPath, roots && ((abs) => roots.where(abs) === 'outside'), this.locale);
      }
      this.byPath.set(cfgPath, loaded);
    }
    return loaded;
  }

  /** Forget everything (a config file was created, changed or deleted). */
  clear(): void {
    this.byPath.clear();
    this.dirToPath.clear();
  }

  /** Every config loaded so far. */
  loaded(): LoadedConfig[] {
    return [...this.byPath.values()];
  }
}

export function optionsFromConfig(
  loaded: LoadedConfig,
  filePath: string,
  fs: EngineFs,
  extraRules: Record<string, SeveritySetting> = {},
  extraImagePaths: string[] = [],
) {
  return {
    rules: { ...rulesForFile(loaded, filePath), ...extraRules },
    imageSearchPaths: [...extraImagePaths, ...imagePathsOf(loaded)],
    fs,
    ...(loaded.config.defaultDurations ? { defaultDurations: loaded.config.defaultDurations } : {}),
  };
}

export interface ReadFile {
  text: string;
  bom: boolean;
  invalidUtf8: boolean;
  binary: boolean;
  /** Size in bytes on disk. */
  size: number;
  /** True when only the head of the file was read because it is over the size limit. */
  truncated: boolean;
  /** Set when the file could not be read at all (then `text` is empty). */
  unreadable?: Unreadable;
}

/**
 * Reads a file for linting: only a regular file, and a file over `maxSize` is not read whole (its head comes
 * back, with its size, to report it). Never throws: a file that cannot be read says why.
 */
export function readForLint(filePath: string, maxSize: number): ReadFile | Unreadable {
  const r = readRegularFile(filePath, maxSize);
  if (!('bytes' in r)) return r;
  return { ...decodeBytes(r.bytes), size: r.size, truncated: r.truncated };
}

/**
 * Lints one file on disk exactly as the CLI does (config lookup, image search paths, size limit, files it
 * references read only inside `roots` — by default the working folder and the file's own folder).
 */
export function lintFileOnDisk(
  abs: string,
  kind: FileKind,
  configs: ConfigCache,
  opts: { rules?: Record<string, SeveritySetting>; locale?: Locale; maxFileSize?: number; roots?: Roots } = {},
) {
  const loaded = configs.forFile(abs);
  const engineFs = confinedFs(opts.roots ?? Roots.forCli([abs]));
  const options = {
    ...optionsFromConfig(loaded, abs, engineFs, opts.rules ?? {}),
    locale: opts.locale ?? 'en',
    maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
  };
  const r = readForLint(abs, options.maxFileSize);
  const read: ReadFile = 'reason' in r ? { text: '', bom: false, invalidUtf8: false, binary: false, size: 0, truncated: false, unreadable: r } : r;
  const lintText = (text: string, size = read.size) =>
    read.unreadable
      ? unreadableResult(kind, read.unreadable, options)
      : lint({ text, kind, path: abs, invalidUtf8: read.invalidUtf8, binary: read.binary, size }, options);
  return { read, options, result: lintText(read.text), lintText };
}

/**
 * Applies preferred fixes, re-linting after each pass, until nothing more is fixable (at most 10 passes).
 * Returns the final text and result.
 */
export function fixText(text: string, lintText: (t: string, size?: number) => LintResult): { text: string; result: LintResult } {
  let result = lintText(text, Buffer.byteLength(text));
  for (let pass = 0; pass < 10; pass++) {
    const edits = preferredEdits(result.diagnostics);
    if (!edits.length) break;
    const next = applyEdits(text, edits);
    if (next === text) break;
    text = next;
    result = lintText(text, Buffer.byteLength(text));
  }
  return { text, result };
}

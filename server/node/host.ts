/**
 * Node-side services shared by the two front ends (CLI and language server): file-system access for the
 * engine, `.upgrade-lint.json` lookup with caching, and reading files as the engine expects them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConfig, imagePathsOf, parseConfig, rulesForFile, type LoadedConfig } from '../engine/config';
import { DEFAULT_MAX_FILE_SIZE, lint, preferredEdits } from '../engine/lint';
import { applyEdits, decodeBytes } from '../engine/text';
import type { EngineFs, LintResult, SeveritySetting } from '../engine/types';

export const nodeFs: EngineFs = {
  fileSize(p: string) {
    try {
      const st = fs.statSync(p);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  },
  readText(p: string) {
    try {
      const st = fs.statSync(p);
      if (!st.isFile() || st.size > DEFAULT_MAX_FILE_SIZE) return undefined;
      const d = decodeBytes(fs.readFileSync(p));
      return d.binary ? undefined : d.text;
    } catch {
      return undefined;
    }
  },
};

export class ConfigCache {
  private byPath = new Map<string, LoadedConfig>();
  private dirToPath = new Map<string, string | undefined>();

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
      let text = '';
      try { text = fs.readFileSync(cfgPath, 'utf8'); } catch { /* unreadable: treated as empty */ }
      loaded = parseConfig(text.replace(/^\uFEFF/, ''), cfgPath);
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

export function optionsFromConfig(loaded: LoadedConfig, filePath: string, extraRules: Record<string, SeveritySetting> = {}, extraImagePaths: string[] = []) {
  return {
    rules: { ...rulesForFile(loaded, filePath), ...extraRules },
    imageSearchPaths: [...extraImagePaths, ...imagePathsOf(loaded)],
    fs: nodeFs,
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
}

/** Reads a file for linting; a file over `maxSize` is not read whole (its text is padded to report its size). */
export function readForLint(filePath: string, maxSize: number): ReadFile {
  const size = fs.statSync(filePath).size;
  if (size > maxSize) {
    const fd = fs.openSync(filePath, 'r');
    try {
      const head = Buffer.alloc(4096);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      const d = decodeBytes(head.subarray(0, n));
      return { ...d, text: d.text, size, truncated: true };
    } finally {
      fs.closeSync(fd);
    }
  }
  const d = decodeBytes(fs.readFileSync(filePath));
  return { ...d, size, truncated: false };
}

/** Lints one file on disk exactly as the CLI does (config lookup, image search paths, size limit). */
export function lintFileOnDisk(abs: string, kind: import('../engine/types').FileKind, configs: ConfigCache, opts: { rules?: Record<string, SeveritySetting>; locale?: import('../engine/types').Locale; maxFileSize?: number } = {}) {
  const loaded = configs.forFile(abs);
  const options = { ...optionsFromConfig(loaded, abs, opts.rules ?? {}), locale: opts.locale ?? 'en', maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE };
  const read = readForLint(abs, options.maxFileSize);
  const lintText = (text: string, size = read.size) =>
    lint({ text, kind, path: abs, invalidUtf8: read.invalidUtf8, binary: read.binary, size }, options);
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

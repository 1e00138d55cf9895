/** Shared types of the engine. Positions are 0-based lines and UTF-16 code units, as in LSP. */

export type FileKind = 'acns-meta' | 'cupm-properties' | 'upgrade-manifest';
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';
export type Locale = 'en' | 'ja';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A text in both languages the product speaks. */
export interface Localized {
  en: string;
  ja: string;
}

export interface Fix {
  title: string;
  /** The preferred fix is the one `--fix` and "fix all" apply. */
  preferred: boolean;
  edits: TextEdit[];
}

export interface RelatedInfo {
  message: string;
  range: Range;
  /** Absolute path when the place is in another file (otherwise the same file). */
  path?: string;
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
  /** Other places that explain the problem (e.g. the step this one must follow). Omitted when empty. */
  related?: RelatedInfo[];
}

export interface LintOptions {
  locale?: Locale;
  /** Rule severity overrides, already merged from config file, settings and flags. */
  rules?: Record<string, SeveritySetting>;
  /** Folders (absolute, or relative to the file's folder) searched for image files. */
  imageSearchPaths?: string[];
  /** Files larger than this many bytes get one `file/too-large` diagnostic. */
  maxFileSize?: number;
  /** At most this many diagnostics are reported; one `file/too-many-problems` says how many were left out. */
  maxDiagnostics?: number;
  /** At most this many YAML nodes are copied through aliases per document (alias-bomb guard). */
  maxAliasExpansion?: number;
  /** File-system access for cross-file facts (image sizes). Injected so the engine stays pure and testable. */
  fs?: EngineFs;
}

export interface EngineFs {
  /** Size in bytes of a regular file, or undefined when it does not exist or is not a file. */
  fileSize(path: string): number | undefined;
  /** Text of a file (UTF-8, BOM removed), or undefined when it cannot be read. Optional: cross-file rules need it. */
  readText?(path: string): string | undefined;
  /**
   * Why a path may not be read at all, when it may not: 'outside' — it lies (after resolving symlinks) outside
   * the tree being linted. Optional: an EngineFs without it refuses nothing.
   */
  refused?(path: string): 'outside' | undefined;
}

export interface LintResult {
  kind: FileKind;
  diagnostics: Diagnostic[];
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

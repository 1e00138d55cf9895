/**
 * A file kind, described once: how its files are recognised, linted and served in the editor. The engine, the
 * language server and the CLI read the list in `kinds/index.ts`; adding a kind is a module beside this one and its
 * line there (plus its language contribution in package.json, and its JSON Schema).
 */
import type { Collector } from '../collector';
import type { LintInput } from '../lint';
import type { Comment } from '../parse/kv';
import type { CompletionEnv } from '../services/common';
import type { Diagnostic, FileKind, LintOptions, LintResult, Locale, Position, Range } from '../types';
import type { ForeignFormat } from './foreign';

/** `lint` itself, handed to a kind that lints the files its documents reference (no import cycle). */
export type LintFile = (input: LintInput, opts?: LintOptions) => LintResult;

export interface DocSymbol {
  name: string;
  detail?: string;
  kind: 'document' | 'list' | 'node' | 'step' | 'property';
  range: Range;
  selectionRange: Range;
  children: DocSymbol[];
}

export interface KindCompletion {
  label: string;
  kind: 'property' | 'value' | 'reference' | 'snippet';
  detail?: string;
  documentation?: string;
  range: Range;
  insertText: string;
  filterText?: string;
  snippet?: boolean;
  sortText?: string;
  /** A key whose values are offered too: the editor asks for them once the key is inserted. */
  retrigger?: boolean;
}

export interface FileKindModule {
  id: FileKind;
  /** The VS Code language id. */
  languageId: string;
  /** File-name patterns as people write them (`*.meta`), for messages and docs. */
  patterns: string[];
  /** Whether a file's base name is of this kind. */
  matches(baseName: string): boolean;
  /**
   * For file names that other formats share (a Unity `.meta`): the other format, when the text shows positive
   * evidence of one. Such a text is not of this kind: `lint` reports nothing and the services offer nothing.
   */
  foreign?(text: string): ForeignFormat | undefined;
  /** Lints the text into the collector; returns the comments (for `upgrade-lint-disable-next-line`). */
  lint(input: LintInput, opts: LintOptions, c: Collector, lintFile: LintFile): Comment[];
  /**
   * The same as `lint`, in steps: it yields between them, so that a caller that must stay responsive (the
   * language server, `lintAsync`) can let other work run. Kinds whose files are large have it.
   */
  lintSteps?(input: LintInput, opts: LintOptions, c: Collector, lintFile: LintFile): Generator<void, Comment[]>;
  /** The comments of a text, for suppressing diagnostics found outside `lint` (remote checks). */
  comments(text: string): Comment[];
  hover(text: string, pos: Position, diagnostics: Diagnostic[], locale: Locale): { markdown: string; range: Range } | undefined;
  completion(text: string, pos: Position, locale: Locale, env: CompletionEnv): KindCompletion[];
  symbols(text: string): DocSymbol[];
  /** Links in the document: `url` is a URI (a web URL, or a file: URI). */
  links(text: string, path: string | undefined, locale: Locale): { range: Range; url: string; tooltip?: string }[];
}

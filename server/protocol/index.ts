/**
 * What the VS Code client and the language server say to each other beyond LSP: the custom methods, their
 * parameters and results, the command and code-action kinds, and the shape of the `upgradeLint` settings. Both
 * sides import this one module (no `vscode` or LSP imports here), so a name cannot drift between them.
 */
import type { Locale, SeveritySetting } from '../engine/types';

/** Validates files on disk (e.g. the whole workspace) and publishes their diagnostics. */
export const VALIDATE_FILES = 'upgradeLint/validateFiles';
export interface ValidateFilesParams {
  uris: string[];
  /** A client's progress token (LSP workDoneProgress): the server reports files done/total on it. */
  workDoneToken?: string | number;
}
export interface ValidateFilesResult {
  files: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
}

/** What the language status item shows for a file: the configuration file in force, if any. */
export const FILE_STATUS = 'upgradeLint/fileStatus';
export interface FileStatusParams {
  uri: string;
}
export interface FileStatusResult {
  /** Absolute path of the `.upgrade-lint.json` that applies, or undefined when none does. */
  configPath?: string;
}

/** The client tells the server that the workspace became trusted (remote checks may run). */
export const WORKSPACE_TRUST = 'upgradeLint/workspaceTrust';
export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** Opens a rule's documentation page (window/showDocument). Argument: the rule id. */
export const SHOW_DOC_COMMAND = 'upgradeLint.showRuleDocumentation';
/** The code-action kind of "fix all" (also run by editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.upgrade-lint';

/** The `upgradeLint` settings (package.json `contributes.configuration`), as the server reads them. */
export interface Settings {
  run: 'onType' | 'onSave';
  rules: Record<string, SeveritySetting>;
  imageSearchPaths: string[];
  locale: 'auto' | Locale;
  maxFileSize: number;
  maxDiagnostics: number;
  /** Ask image servers for image sizes (opt-in; ignored while the workspace is not trusted). */
  remoteChecks: boolean;
  /** YAML nodes that aliases may expand to per document (alias-bomb guard). */
  maxAliasExpansion: number;
}

/** What the client passes in `initializationOptions`. */
export interface InitializationOptions {
  locale?: string;
  settings?: Partial<Settings>;
  workspaceTrusted?: boolean;
}

/** The VS Code command a completion item runs to open the value suggestions after inserting a key. */
export const TRIGGER_SUGGEST_COMMAND = 'editor.action.triggerSuggest';

/**
 * The files the server depends on, watched for it (workspace/didChangeWatchedFiles, registered by the server when
 * the client allows dynamic registration): configuration files, the three kinds (a manifest reads the meta and
 * properties files it names; a file validated from disk is read again) and images (a meta file's size is checked
 * against its image).
 */
export const WATCHED_FILE_GLOBS = [
  '**/.upgrade-lint.json',
  '**/*.meta',
  '**/dfc.properties',
  '**/*.upgrade.{yaml,yml}',
  '**/upgrade-manifest.{yaml,yml}',
  '**/*.{bin,upg}',
];

/** The identifier of the server's pull diagnostics (textDocument/diagnostic, workspace/diagnostic). */
export const DIAGNOSTIC_IDENTIFIER = 'upgrade-lint';

/**
 * Validates every file of the workspace and publishes the problems (workspace/executeCommand; result: a
 * ValidateFilesResult), with progress. Offered to clients other than our VS Code extension, whose Validate
 * Workspace command sends VALIDATE_FILES.
 */
export const VALIDATE_WORKSPACE_COMMAND = 'upgradeLint.lsp.validateWorkspace';

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

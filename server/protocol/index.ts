/**
 * What the VS Code client and the language server say to each other beyond LSP: the custom methods, their
 * parameters and results, the command and code-action kinds, and the shape of the `upgradeLint` settings. Both
 * sides import this one module (no `vscode` or LSP imports here), so a name cannot drift between them.
 */
import type { Locale, Range, SeveritySetting } from '../engine/types';

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
  /** Minutes per step action for the runbook's estimates (`{ "upgrade": "1h30m" }`); over `.upgrade-lint.json`'s. */
  defaultDurations?: Record<string, string>;
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

/**
 * The runbook preview (client/runbook.ts): the manifest's timeline drawn by the engine (server/engine/runbook/svg.ts)
 * with its problems marked on their steps, and where each step is in the text. Null when the document is not an
 * open manifest, is too large, or has no plan to draw.
 */
export const RUNBOOK = 'upgradeLint/runbook';
export interface RunbookParams {
  uri: string;
  /** The language of the picture (`en`, `ja`, or a VS Code display language such as `ja-JP`); else the document's. */
  locale?: string;
  /** The step drawn as selected (0-based index in `steps`). */
  selectedStep?: number;
}
export interface RunbookStep {
  index: number;
  id: string;
  /** The whole step item: what the preview selects in the editor when its bar is clicked. */
  itemRange: Range;
}
export interface RunbookResult {
  /** An inline SVG (theme 'vscode': colours are VS Code's CSS variables); its `g.step` elements are the bars. */
  svg: string;
  steps: RunbookStep[];
  /** Minutes from the first step's start to the last step's end. */
  total: number;
  /** Whether the plan fits its maintenance window; absent when the manifest has no usable window. */
  fits?: boolean;
}

/** The code-action kind of "Sort steps into the documented order" (a source action on manifests). */
export const SORT_STEPS_KIND = 'source.sortSteps.upgrade-lint';

/** The VS Code command "Upgrade Lint: New Upgrade Manifest…" (the client asks, the server plans). */
export const NEW_MANIFEST_COMMAND = 'upgradeLint.newManifest';

/** What the planner can plan: per product its roles, the facts it asks for and the upgrade paths of its guide. */
export const PLAN_INFO = 'upgradeLint/planInfo';
export interface PlanInfoParams {
  locale?: Locale;
}
export interface PlanInfoResult {
  products: {
    id: string;
    /** The product's name in the user's language. */
    name: string;
    roles: string[];
    facts: { key: string; values?: string[]; type: 'string' | 'number' | 'boolean'; ask: string; default?: string | number | boolean }[];
    /** The guide's upgrade paths (the editor offers their versions). */
    paths: { from: string; to: string }[];
  }[];
}

/** Plans a manifest (the planner, server/engine/planner): its text, or why it cannot be planned. */
export const NEW_MANIFEST = 'upgradeLint/newManifest';
export interface NewManifestParams {
  product: string;
  from: string;
  to: string;
  nodes: { name: string; role: string }[];
  facts?: Record<string, string | number | boolean>;
  title?: string;
  /** RFC 3339 date-times with offsets. */
  maintenanceWindow?: { start: string; end: string };
  locale?: Locale;
}
export type NewManifestResult = { text: string } | { error: string; rule?: string };

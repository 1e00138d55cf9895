/**
 * The runbook preview ("Upgrade Lint: Open Runbook Preview"): a webview beside a manifest's editor with its timeline,
 * one lane per node and one bar per step, the problems marked on their steps. The picture is the server's (RUNBOOK:
 * the engine's SVG with VS Code's CSS variables for colours, so it follows the theme); it is redrawn shortly after
 * each edit. Clicking a bar (or Enter/Space on it) selects its step in the editor; moving the cursor in the editor
 * highlights the step's bars (class `selected`, as the engine draws a selected step). One panel per document. The page loads nothing: a strict Content-Security-Policy, one
 * inline style sheet and one inline script, both with a nonce.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RUNBOOK, type RunbookParams, type RunbookResult, type RunbookStep } from '../server/protocol/index';
import { pageHtml, stepAt, type FromPage, type ToPage } from './runbook-page';

type Translate = (message: string, ...args: (string | number)[]) => string;

export const OPEN_RUNBOOK_COMMAND = 'upgradeLint.openRunbookPreview';
const VIEW_TYPE = 'upgradeLint.runbookPreview';
/** LSP's RequestCancelled error code. */
const REQUEST_CANCELLED = -32800;
/** Edits closer together than this are drawn once. */
const DEBOUNCE_MS = 150;

interface Preview {
  key: string;
  uri: vscode.Uri;
  panel: vscode.WebviewPanel;
  nonce: string;
  /** Where the manifest's editor was when the preview opened: a step is revealed there when no editor shows it. */
  column?: vscode.ViewColumn;
  steps: RunbookStep[];
  /** The step the editor's cursor is in (-1: none). */
  highlighted: number;
  /** The last picture sent (sent again when the page reloads, e.g. after it was hidden). */
  last?: Extract<ToPage, { type: 'update' }>;
  /** The document version the last picture is of, and when it was drawn. */
  version?: number;
  drawnAt?: number;
  timer?: NodeJS.Timeout;
  cts?: vscode.CancellationTokenSource;
  /** Incremented per request: an answer to an older one is dropped. */
  seq: number;
  /** The diagnostics as last drawn (rules and severities): a change with no edit (a configuration file) redraws. */
  diagnostics?: string;
  disposed?: boolean;
}

export function registerRunbookPreview(context: vscode.ExtensionContext, t: Translate, getClient: () => LanguageClient | undefined): void {
  const previews = new Map<string, Preview>();
  const locale = () => {
    const l = vscode.workspace.getConfiguration('upgradeLint').get<string>('locale', 'auto');
    return l === 'auto' ? vscode.env.language : l;
  };
  const title = (uri: vscode.Uri) => t('Runbook: {0}', path.posix.basename(uri.path));
  const post = (p: Preview, m: ToPage) => {
    if (!p.disposed) void p.panel.webview.postMessage(m).then(undefined, () => undefined);
  };
  /** `1 h 30 min` in the user's language. */
  const minutes = (total: number) => {
    const n = Number.isFinite(total) ? Math.max(0, Math.round(total)) : 0;
    const h = Math.floor(n / 60),
      m = n % 60;
    return h && m ? t('{0} h {1} min', h, m) : h ? t('{0} h', h) : t('{0} min', m);
  };
  /**
   * The problems by rule and severity, not place: places move with every edit that adds a line, and an edit redraws
   * anyway. What changes without an edit (a rule turned off, a referenced file fixed) changes this.
   */
  const diagnosticsKey = (uri: vscode.Uri) =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.source === 'upgrade-lint')
      .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}:${d.severity}`)
      .sort()
      .join('|');

  async function draw(p: Preview): Promise<void> {
    const seq = ++p.seq;
    p.cts?.cancel();
    p.cts?.dispose();
    const cts = (p.cts = new vscode.CancellationTokenSource());
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(p.uri);
    } catch {
      return show(p, seq, undefined, null, t('The manifest cannot be read.'));
    }
    const version = doc.version;
    const client = getClient();
    let result: RunbookResult | null = null;
    let failed = false;
    try {
      const params: RunbookParams = { uri: p.key, locale: locale(), ...(p.highlighted >= 0 ? { selectedStep: p.highlighted } : {}) };
      result = client ? await client.sendRequest<RunbookResult | null>(RUNBOOK, params, cts.token) : null;
    } catch (e) {
      // Cancelled (by a newer request, or by the server because the text changed meanwhile): the picture stays
      // until the next one, which the edit has scheduled.
      const cancelled = (e as { code?: unknown } | null)?.code === REQUEST_CANCELLED;
      if (cts.token.isCancellationRequested || seq !== p.seq || cancelled || doc.version !== version) return;
      failed = true;
    }
    const tooLarge = doc.getText().length > vscode.workspace.getConfiguration('upgradeLint', doc.uri).get<number>('maxFileSize', Infinity);
    const message = result
      ? ''
      : failed || !client
        ? t('The runbook could not be drawn: the language server did not answer. See the "Upgrade Lint" output.')
        : tooLarge
          ? t('This manifest is too large to preview (upgradeLint.maxFileSize).')
          : t('Nothing to draw yet: the manifest has no steps, or it cannot be read as a manifest.');
    show(p, seq, version, result, message);
  }

  function show(p: Preview, seq: number, version: number | undefined, result: RunbookResult | null, message: string): void {
    if (p.disposed || seq !== p.seq) return;
    p.steps = result?.steps ?? [];
    p.version = version;
    p.drawnAt = Date.now();
    p.diagnostics = diagnosticsKey(p.uri);
    // The steps may have moved: the highlight follows the editor's cursor.
    const cursor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === p.key)?.selection.active;
    if (cursor) p.highlighted = stepAt(p.steps, cursor);
    const n = p.steps.length;
    const parts = result
      ? [
          n === 1 ? t('1 step') : t('{0} steps', n),
          t('{0} in total', minutes(result.total)),
          ...(result.fits === true ? [t('fits the maintenance window')] : result.fits === false ? [t('does not fit the maintenance window')] : []),
        ]
      : [];
    // The nonce lets a style sheet the picture may carry apply (the page's policy refuses any other).
    const svg = (result?.svg ?? '').replace(/<style(?=[\s>])/g, `<style nonce="${p.nonce}"`);
    p.last = { type: 'update', svg, summary: parts.join(' · '), message, selected: p.highlighted, steps: n };
    post(p, p.last);
  }

  function schedule(p: Preview, ms = DEBOUNCE_MS): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      void draw(p);
    }, ms);
  }

  /** Selects the step's item in the manifest's editor (opening one, in the column it came from, when none shows it). */
  async function reveal(p: Preview, index: number): Promise<vscode.Range | undefined> {
    const step = p.steps.find((s) => s.index === index);
    if (!step) return undefined;
    const doc = await vscode.workspace.openTextDocument(p.uri);
    const r = step.itemRange;
    const range = doc.validateRange(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === p.key);
    const column =
      shown?.viewColumn ??
      (p.column && p.column !== p.panel.viewColumn
        ? p.column
        : p.panel.viewColumn === vscode.ViewColumn.One
          ? vscode.ViewColumn.Beside
          : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false, preview: false });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return range;
  }

  /** What the page asks (also run by the test command `upgradeLint.runbookMessage`). */
  async function receive(p: Preview, m: unknown): Promise<vscode.Range | undefined> {
    const msg = m as Partial<FromPage> | null;
    if (!msg || typeof msg !== 'object') return undefined;
    if (msg.type === 'ready') {
      if (p.last) post(p, { ...p.last, selected: p.highlighted });
      else void draw(p);
    } else if (msg.type === 'reveal' && Number.isInteger(msg.index)) {
      return reveal(p, msg.index as number);
    }
    return undefined;
  }

  async function open(arg?: unknown): Promise<void> {
    const active = vscode.window.activeTextEditor;
    let uri = arg instanceof vscode.Uri ? arg : active?.document.uri;
    if (!uri) {
      // Run from the palette while a preview has the focus: that preview stays.
      const current = [...previews.values()].find((p) => p.panel.active);
      if (current) return current.panel.reveal(undefined, false);
    }
    let doc: vscode.TextDocument | undefined;
    try {
      doc = uri ? await vscode.workspace.openTextDocument(uri) : undefined;
    } catch {
      doc = undefined;
    }
    if (!uri || !doc || doc.languageId !== 'upgrade-manifest') {
      void vscode.window.showInformationMessage(t('Open an upgrade manifest (*.upgrade.yaml) to preview its runbook.'));
      return;
    }
    uri = doc.uri;
    const key = uri.toString();
    const existing = previews.get(key);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn, true);
      return;
    }
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key)?.viewColumn ?? active?.viewColumn;
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      title(uri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [], enableFindWidget: true },
    );
    const nonce = randomBytes(18).toString('base64');
    const p: Preview = { key, uri, panel, nonce, column, steps: [], highlighted: -1, seq: 0 };
    previews.set(key, p);
    panel.webview.html = pageHtml(panel.webview, nonce, locale().startsWith('ja') ? 'ja' : 'en', title(uri));
    panel.webview.onDidReceiveMessage((m) => void receive(p, m).catch(() => undefined));
    panel.onDidDispose(() => {
      p.disposed = true;
      if (p.timer) clearTimeout(p.timer);
      p.cts?.cancel();
      p.cts?.dispose();
      previews.delete(key);
    });
    void draw(p);
  }

  const previewOf = (uri: vscode.Uri) => previews.get(uri.toString());
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_RUNBOOK_COMMAND, (arg?: unknown) => open(arg)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const p = e.contentChanges.length ? previewOf(e.document.uri) : undefined;
      if (p) schedule(p);
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) {
        const p = previewOf(uri);
        // After an edit the picture is redrawn anyway; this is for problems that change on their own (a configuration
        // file, a referenced meta file), and only when they did.
        if (p && !p.timer && p.version !== undefined && diagnosticsKey(uri) !== p.diagnostics) schedule(p);
      }
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const p = previewOf(e.textEditor.document.uri);
      if (!p) return;
      const index = stepAt(p.steps, e.selections[0].active);
      if (index === p.highlighted) return;
      p.highlighted = index;
      if (p.last) p.last = { ...p.last, selected: index };
      post(p, { type: 'highlight', index });
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('upgradeLint')) return;
      for (const p of previews.values()) {
        p.panel.title = title(p.uri);
        schedule(p);
      }
    }),
    vscode.workspace.onDidRenameFiles((e) => {
      for (const f of e.files) {
        const p = previewOf(f.oldUri);
        if (p) p.panel.dispose(); // the old name is no longer a document
      }
    }),
    // For tests: what the preview of a manifest (or the last one opened) was given, and its page's messages.
    vscode.commands.registerCommand('upgradeLint.runbookSnapshot', (arg?: unknown) => {
      const p = typeof arg === 'string' ? previews.get(arg) : arg instanceof vscode.Uri ? previewOf(arg) : [...previews.values()].pop();
      if (!p) return undefined;
      return {
        uri: p.key,
        title: p.panel.title,
        html: p.panel.webview.html,
        svg: p.last?.svg,
        summary: p.last?.summary,
        message: p.last?.message,
        steps: p.steps.map((s) => ({ index: s.index, id: s.id, itemRange: s.itemRange })),
        highlighted: p.highlighted,
        version: p.version,
        drawnAt: p.drawnAt,
        viewColumn: p.panel.viewColumn,
      };
    }),
    vscode.commands.registerCommand('upgradeLint.runbookMessage', async (arg: unknown, m: unknown) => {
      const p = typeof arg === 'string' ? previews.get(arg) : arg instanceof vscode.Uri ? previewOf(arg) : undefined;
      const r = p ? await receive(p, m) : undefined;
      return r && { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
    }),
  );
}

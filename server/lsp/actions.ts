/** Code actions (quick fixes, disable for this line, show documentation, fix all) and the documentation command. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  type CancellationToken,
  type Diagnostic,
  type WorkDoneProgressReporter,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocPath } from '../engine/docs';
import { msg, render } from '../engine/l10n/index';
import { preferredEdits } from '../engine/lint';
import { onlyComments } from '../engine/text';
import type { TextEdit } from '../engine/types';
import { FIX_ALL_KIND, NEW_MANIFEST_COMMAND, SHOW_DOC_COMMAND, SORT_STEPS_KIND } from '../protocol/index';
import { manifestRuleList } from '../engine/rules/index';
import { sortManifestSteps } from '../engine/services/sort';
import type { Session } from './session';

/**
 * `# upgrade-lint-disable-next-line <rule>` above a line, indented like it; when the line above already is
 * such a comment, the rule is added to it instead.
 */
function disableEdit(doc: TextDocument, line: number, rule: string) {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const indent = /^[ \t]*/.exec(text)![0];
  if (line > 0) {
    const prev = doc.getText({ start: { line: line - 1, character: 0 }, end: { line, character: 0 } }).replace(/\r?\n$/, '');
    const m = /^([ \t]*#\s*upgrade-lint-disable-next-line)(\s+.*)?$/.exec(prev);
    if (m && m[2]?.trim()) {
      return { range: { start: { line: line - 1, character: prev.length }, end: { line: line - 1, character: prev.length } }, newText: `, ${rule}` };
    }
  }
  const eol = doc.getText().includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# upgrade-lint-disable-next-line ${rule}${eol}` };
}

/** A command the server runs besides SHOW_DOC_COMMAND (workspace/executeCommand), by name. */
export type ServerCommand = (args: unknown[], token: CancellationToken, workDone: WorkDoneProgressReporter) => Promise<unknown>;

export function registerActions(s: Session, commands: Record<string, ServerCommand> = {}): void {
  const { connection, documents, guard, lintOptions, resultFor, docsDir, env, kindOf } = s;
  /**
   * "Sort steps into the documented order": a source action on every manifest whose steps the order rules would
   * move (disabled, with the reason, when no order satisfies them or the steps cannot be moved), and a quick fix
   * beside each order problem; on an empty manifest (our VS Code client), "New upgrade manifest from the guide…".
   */
  async function manifestActions(
    doc: TextDocument,
    diagnostics: Diagnostic[],
    only: string[] | undefined,
    wants: (k: string) => boolean,
  ): Promise<CodeAction[]> {
    const out: CodeAction[] = [];
    const { options } = await lintOptions(doc.uri);
    const locale = options.locale;
    const text = doc.getText();
    if (env.vscodeClient && wants(CodeActionKind.QuickFix) && !only?.includes(CodeActionKind.Source) && onlyComments(text)) {
      const title = render(msg('action.newManifest'), locale);
      out.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: NEW_MANIFEST_COMMAND, arguments: [doc.uri] } });
      return out;
    }
    const orderProblems = diagnostics.filter((d) => d.source === 'upgrade-lint' && typeof d.code === 'string' && ORDER_RULES.has(d.code));
    const asSource = !!only && wants(SORT_STEPS_KIND) && only.some((o) => SORT_STEPS_KIND.startsWith(o));
    const asQuickFix = wants(CodeActionKind.QuickFix) && orderProblems.length > 0;
    if (!asSource && !asQuickFix) return out;
    if (text.length > SORT_MAX_CHARS) return out;
    const r = sortManifestSteps(text, options);
    const title = render(msg('order.sort.title'), locale);
    if ('problem' in r) {
      if (asSource && env.disabledActions) out.push({ title, kind: SORT_STEPS_KIND, disabled: { reason: render(r.problem, locale) } });
      return out;
    }
    if (!r.edits.length) return out;
    const edit = { changes: { [doc.uri]: r.edits.map((e) => ({ range: e.range, newText: e.newText })) } };
    if (asSource) out.push({ title, kind: SORT_STEPS_KIND, edit });
    if (asQuickFix) out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: orderProblems, edit });
    return out;
  }
  /**
   * A fix as a workspace edit: where the client takes snippet edits and the fix has them (a key added with a
   * tab stop for its value), as `documentChanges` with snippets; otherwise the plain text every editor applies.
   */
  const fixEdit = (doc: TextDocument, edits: TextEdit[]): WorkspaceEdit =>
    env.snippetEdits && edits.some((e) => e.snippet !== undefined)
      ? {
          documentChanges: [
            {
              textDocument: { uri: doc.uri, version: doc.version },
              edits: edits.map((e) =>
                e.snippet !== undefined ? { range: e.range, snippet: { kind: 'snippet', value: e.snippet } } : { range: e.range, newText: e.newText },
              ),
            },
          ],
        }
      : { changes: { [doc.uri]: edits.map((e) => ({ range: e.range, newText: e.newText })) } };
  connection.onCodeAction(
    guard('codeAction', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      const result = await resultFor(doc);
      if (!result) return [];
      const only = p.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
      const actions: CodeAction[] = [];
      if (wants(CodeActionKind.QuickFix)) {
        for (const ld of p.context.diagnostics) {
          if (ld.source !== 'upgrade-lint') continue;
          // Several diagnostics can share a rule and a range (three missing keys of an empty meta file): the one
          // meant is found by its place in the result, checked against its rule and range, else by its message too.
          const at = (ld.data as { index?: unknown } | undefined)?.index;
          const byIndex = typeof at === 'number' ? result.diagnostics[at] : undefined;
          const d =
            byIndex && byIndex.rule === ld.code && sameRange(byIndex.range, ld.range)
              ? byIndex
              : (result.diagnostics.find((x) => x.rule === ld.code && sameRange(x.range, ld.range) && x.message === ld.message) ??
                result.diagnostics.find((x) => x.rule === ld.code && sameRange(x.range, ld.range)));
          for (const f of d?.fixes ?? []) {
            actions.push({
              title: f.title,
              kind: CodeActionKind.QuickFix,
              isPreferred: f.preferred,
              diagnostics: [ld],
              edit: fixEdit(doc, f.edits),
            });
          }
        }
      }
      if (wants(CodeActionKind.QuickFix)) {
        const locale = (await lintOptions(doc.uri)).options.locale;
        const rules = [
          ...new Map(
            p.context.diagnostics.filter((d) => d.source === 'upgrade-lint' && typeof d.code === 'string').map((d) => [`${d.code}@${d.range.start.line}`, d]),
          ).values(),
        ];
        for (const ld of rules) {
          const rule = String(ld.code);
          if (!rule.startsWith('file/') && !rule.startsWith('config/') && !rule.startsWith('yaml/')) {
            actions.push({
              title: render(msg('action.disableLine', { rule }), locale),
              kind: CodeActionKind.QuickFix,
              diagnostics: [ld],
              edit: { changes: { [doc.uri]: [disableEdit(doc, ld.range.start.line, rule)] } },
            });
          }
          actions.push({
            title: render(msg('action.showDocumentation', { rule }), locale),
            kind: CodeActionKind.QuickFix,
            diagnostics: [ld],
            command: { title: render(msg('action.showDocumentation', { rule }), locale), command: SHOW_DOC_COMMAND, arguments: [rule] },
          });
        }
      }
      if (kindOf(doc) === 'upgrade-manifest') actions.push(...(await manifestActions(doc, p.context.diagnostics, only, wants)));
      if (only && wants(FIX_ALL_KIND) && only.some((o) => FIX_ALL_KIND.startsWith(o))) {
        const edits = preferredEdits(result.diagnostics);
        if (edits.length) {
          const locale = (await lintOptions(doc.uri)).options.locale;
          actions.push({
            title: render(msg('action.fixAll'), locale),
            kind: FIX_ALL_KIND,
            edit: { changes: { [doc.uri]: nonOverlapping(edits).map((e) => ({ range: e.range, newText: e.newText })) } },
          });
        }
      }
      return actions;
    }),
  );

  /** Opens a rule's documentation page in the editor (LSP window/showDocument). */
  connection.onExecuteCommand(
    guard('executeCommand', null, async (p, token, workDone) => {
      const other = Object.hasOwn(commands, p.command) ? commands[p.command] : undefined;
      if (other) return other(Array.isArray(p.arguments) ? p.arguments : [], token, workDone);
      if (p.command !== SHOW_DOC_COMMAND) return null;
      const rule = String(p.arguments?.[0] ?? '');
      const file = path.join(docsDir, ruleDocPath(rule));
      if (!/^[a-z]+\/[A-Za-z0-9-]+$/.test(rule) || !fs.existsSync(file)) return null;
      await connection.window.showDocument({ uri: pathToFileURL(file).href, takeFocus: true });
      return null;
    }),
  );
}

const sameRange = (a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** Drops edits that overlap an earlier one (LSP forbids overlapping edits in one change). */
function nonOverlapping<T extends { range: { start: { line: number; character: number }; end: { line: number; character: number } } }>(edits: T[]): T[] {
  const key = (p: { line: number; character: number }) => p.line * 1e7 + p.character;
  const sorted = [...edits].sort((a, b) => key(a.range.start) - key(b.range.start));
  const out: T[] = [];
  let end = -1;
  for (const e of sorted) {
    if (key(e.range.start) < end) continue;
    out.push(e);
    end = key(e.range.end);
  }
  return out;
}

/** The rules that state an order (their problems get "Sort steps" beside their own fixes). */
const ORDER_RULES = new Set(manifestRuleList.filter((r) => r.order).map((r) => r.id));
/** Sorting reads every step of every rule: not offered on files this large (the CLI has no such limit). */
const SORT_MAX_CHARS = 2_000_000;

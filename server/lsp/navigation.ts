/** Hover, completion, symbols, links, definition and references: the engine's answers in LSP shapes. */
import { pathToFileURL } from 'node:url';
import { CompletionItemKind, InsertTextFormat, MarkupKind, SymbolKind, type CancellationToken, type DocumentSymbol } from 'vscode-languageserver/node';
import { kindModule, type DocSymbol } from '../engine/kinds/index';
import { manifestDefinition, manifestReferences } from '../engine/services/navigation';
import { uriPath, type Session } from './session';
import { cancelledError } from './workspace';
import { TRIGGER_SUGGEST_COMMAND } from '../protocol/index';
import { snippetText } from '../engine/planner/skeleton';

const SYMBOL_KINDS: Record<DocSymbol['kind'], SymbolKind> = {
  document: SymbolKind.File,
  list: SymbolKind.Array,
  node: SymbolKind.Object,
  step: SymbolKind.Event,
  property: SymbolKind.Property,
};

export function registerNavigation(s: Session): void {
  const { connection, documents, env, guard, kindOf, lintOptions, resultFor, tooBig } = s;
  connection.onHover(
    guard('hover', null, async (p, token: CancellationToken) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return null;
      const { options } = await lintOptions(doc.uri);
      const result = await resultFor(doc, true);
      if (token.isCancellationRequested) return cancelledError(options.locale);
      const h = kindModule(kind).hover(doc.getText(), p.position, result?.diagnostics ?? [], options.locale);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
    }),
  );

  const ITEM_KINDS = {
    property: CompletionItemKind.Property,
    reference: CompletionItemKind.Reference,
    value: CompletionItemKind.Value,
    snippet: CompletionItemKind.Snippet,
  } as const;
  connection.onCompletion(
    guard('completion', [], async (p, token: CancellationToken) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return [];
      const { options } = await lintOptions(doc.uri);
      // A request cancelled while it waited (the user typed on) is not worked out.
      if (token.isCancellationRequested) return cancelledError(options.locale);
      const list = kindModule(kind).completion(doc.getText(), p.position, options.locale, {
        path: uriPath(doc.uri),
        fs: options.fs,
        imageSearchPaths: options.imageSearchPaths,
      });
      // A skeleton for a client without snippets is the text it stands for (its placeholders' default text). (The
      // key items' `$1` stays as it always was: every client we test with takes it.)
      const plain = (c: (typeof list)[number]) => c.kind === 'snippet' && env.completionSnippets !== true;
      return list.map((c) => ({
        label: c.label,
        kind: ITEM_KINDS[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        textEdit: { range: c.range, newText: plain(c) ? snippetText(c.insertText) : c.insertText },
        insertTextFormat: c.snippet && !plain(c) ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: c.sortText,
        ...(c.filterText ? { filterText: c.filterText } : {}),
        // Only our VS Code client knows the command; another editor would ask the server to run it.
        ...(c.retrigger && env.vscodeClient ? { command: { title: '', command: TRIGGER_SUGGEST_COMMAND } } : {}),
      }));
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return [];
      const conv = (x: DocSymbol): DocumentSymbol => ({
        name: x.name || '-',
        detail: x.detail,
        kind: SYMBOL_KINDS[x.kind],
        range: x.range,
        selectionRange: x.selectionRange,
        ...(x.children.length ? { children: x.children.map(conv) } : {}),
      });
      return kindModule(kind).symbols(doc.getText()).map(conv);
    }),
  );

  connection.onDocumentLinks(
    guard('documentLinks', [], async (p) => {
      const doc = documents.get(p.textDocument.uri);
      const kind = doc && kindOf(doc);
      if (!doc || !kind || (await tooBig(doc))) return [];
      const { options } = await lintOptions(doc.uri);
      return kindModule(kind)
        .links(doc.getText(), uriPath(doc.uri), options.locale)
        .map((l) => ({ range: l.range, target: l.url, ...(l.tooltip ? { tooltip: l.tooltip } : {}) }));
    }),
  );

  connection.onDefinition(
    guard('definition', null, async (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc || kindOf(doc) !== 'upgrade-manifest' || (await tooBig(doc))) return null;
      const loc = manifestDefinition(doc.getText(), p.position, uriPath(doc.uri));
      return loc ? { uri: loc.path ? pathToFileURL(loc.path).href : doc.uri, range: loc.range } : null;
    }),
  );

  connection.onReferences(
    guard('references', [], async (p, token: CancellationToken) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc || kindOf(doc) !== 'upgrade-manifest' || (await tooBig(doc))) return [];
      if (token.isCancellationRequested) return cancelledError((await lintOptions(doc.uri)).options.locale);
      return manifestReferences(doc.getText(), p.position, p.context.includeDeclaration).map((range) => ({ uri: doc.uri, range }));
    }),
  );
}

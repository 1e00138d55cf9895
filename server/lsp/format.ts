/**
 * Formatting (Format Document, Format Selection): the engine's edits (engine/services/format.ts) for the three
 * kinds, with the client's tab size. A document over `maxFileSize`, binary, or of another format that shares the
 * file name (a Unity `.meta`) gets none.
 */
import type { CancellationToken, FormattingOptions, TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { kindModule } from '../engine/kinds/index';
import { formatDocument, formatRange, type FormatOptions } from '../engine/services/format';
import type { FileKind, Range, TextEdit } from '../engine/types';
import { isBinary, type Session } from './session';
import { cancelledError } from './workspace';

export const formattingCapabilities = () => ({ documentFormattingProvider: true, documentRangeFormattingProvider: true });

/** The client's formatting options the engine uses, only when they are what LSP says they are. */
function formatOptions(o: FormattingOptions | undefined): FormatOptions {
  const out: FormatOptions = {};
  if (typeof o?.tabSize === 'number' && Number.isInteger(o.tabSize) && o.tabSize > 0) out.tabSize = o.tabSize;
  if (typeof o?.insertSpaces === 'boolean') out.insertSpaces = o.insertSpaces;
  return out;
}

const validRange = (r: unknown): r is Range => {
  const pos = (p: unknown) =>
    !!p && typeof p === 'object' && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character);
  return !!r && typeof r === 'object' && pos((r as Range).start) && pos((r as Range).end);
};

export function registerFormatting(s: Session): void {
  const { connection, documents, guard, kindOf, lintOptions } = s;

  /** The document and its kind when it may be formatted; undefined for anything else. */
  async function formattable(uri: unknown): Promise<{ doc: TextDocument; kind: FileKind; text: string } | undefined> {
    const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
    const kind = doc && kindOf(doc);
    if (!doc || !kind) return undefined;
    const { options } = await lintOptions(doc.uri);
    const text = doc.getText();
    if (text.length > options.maxFileSize || isBinary(text, options.maxFileSize) || kindModule(kind).foreign?.(text)) return undefined;
    return { doc, kind, text };
  }

  const lsp = (edits: TextEdit[]): LspTextEdit[] => edits.map((e) => ({ range: e.range, newText: e.newText }));

  async function cancelled(doc: TextDocument, token: CancellationToken) {
    return token.isCancellationRequested ? cancelledError((await lintOptions(doc.uri)).options.locale) : undefined;
  }

  connection.onDocumentFormatting(
    guard('formatting', [], async (p, token: CancellationToken) => {
      const f = await formattable(p?.textDocument?.uri);
      if (!f) return [];
      return (await cancelled(f.doc, token)) ?? lsp(formatDocument(f.kind, f.text, formatOptions(p.options)));
    }),
  );

  connection.onDocumentRangeFormatting(
    guard('rangeFormatting', [], async (p, token: CancellationToken) => {
      const f = await formattable(p?.textDocument?.uri);
      if (!f || !validRange(p.range)) return [];
      return (await cancelled(f.doc, token)) ?? lsp(formatRange(f.kind, f.text, p.range, formatOptions(p.options)));
    }),
  );
}

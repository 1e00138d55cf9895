/** What rules for `key=value` files (meta and properties) get to look at, and edit helpers for their fixes. */
import type { Entry, KvDocument } from './parse/kv';
import type { EngineFs, FileKind, TextEdit } from './types';

export interface KvContext {
  kind: FileKind;
  doc: KvDocument;
  /** Absolute path of the file, when it has one on disk. */
  path?: string;
  fs?: EngineFs;
  /** Absolute folders to search for image files. */
  imageSearchPaths: string[];
  /** The canonical key each entry sets (meta files fold letter case of known keys). */
  canonical: Map<Entry, string>;
  /** The entry whose value counts for each canonical key (meta: the first; properties: the last, as Java does). */
  effective: Map<string, Entry>;
}

export function buildKvContext(
  kind: FileKind,
  doc: KvDocument,
  knownKeys: string[],
  opts: Omit<KvContext, 'kind' | 'doc' | 'canonical' | 'effective'>,
): KvContext {
  const byLower = new Map(knownKeys.map((k) => [k.toLowerCase(), k]));
  const canonical = new Map<Entry, string>();
  const effective = new Map<string, Entry>();
  for (const e of doc.entries) {
    const key = kind === 'acns-meta' ? (byLower.get(e.key.toLowerCase()) ?? e.key) : e.key;
    canonical.set(e, key);
    if (kind === 'cupm-properties' || !effective.has(key)) effective.set(key, e);
  }
  return { kind, doc, canonical, effective, ...opts };
}

/** Deletes the entry's whole lines, so no blank line is left behind. */
export function deleteEntryLines(doc: KvDocument, e: Entry): TextEdit {
  const idx = doc.index;
  const start = idx.lineStarts[e.line];
  const end = idx.lineEndWithBreak(e.endLine);
  if (end === idx.text.length && !/[\r\n]$/.test(idx.text.slice(start, end)) && e.line > 0) {
    // Last line without a trailing line break: remove the break before it instead.
    return { range: idx.range(idx.lineEnd(e.line - 1), end), newText: '' };
  }
  return { range: idx.range(start, end), newText: '' };
}

/** Inserts a new line of text after the given line (or at the end of the file). */
export function insertLineAfter(doc: KvDocument, line: number | undefined, text: string, snippet?: string): TextEdit {
  const idx = doc.index;
  const eol = idx.eol();
  let before = '';
  let after = eol;
  let at = line === undefined || line >= idx.lineCount - 1 ? idx.text.length : idx.lineStarts[line + 1];
  if (at === idx.text.length) {
    const endsWithBreak = idx.text.length === 0 || /[\r\n]$/.test(idx.text);
    before = endsWithBreak ? '' : eol;
    after = endsWithBreak ? eol : '';
    at = idx.text.length;
  }
  const pos = idx.positionAt(at);
  const edit: TextEdit = { range: { start: pos, end: pos }, newText: before + text + after };
  if (snippet !== undefined) edit.snippet = before + snippet + after;
  return edit;
}

/** Text as a literal inside an LSP snippet (`$`, `}` and `\` escaped). */
export const snippetLiteral = (s: string): string => s.replace(/[$}\\]/g, (c) => `\\${c}`);

export function replaceValue(e: Entry, newText: string): TextEdit {
  return { range: e.valueRange, newText };
}

/** Range from the key to the end of the value: "the setting". */
export function entryRange(e: Entry) {
  return { start: e.keyRange.start, end: e.valueRange.end };
}

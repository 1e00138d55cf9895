/**
 * What the editor services share: position clamping and containment, the rule hovers of diagnostics, the human names
 * of guide references, the result types, and the YAML helpers that find the key or value under the cursor.
 * Pure functions over the text (no LSP types).
 */
import { msg, render } from '../l10n/index';
import { parseMeta, parseProperties, type KvDocument } from '../parse/kv';
import type { YamlDocument, YamlFile } from '../parse/yaml';
import { META_KEYS } from '../rules/meta';
import { ruleMeta } from '../rules/index';
import type { LineIndex } from '../text';
import { unescapePointer } from '../util';
import type { Diagnostic, EngineFs, Locale, Position, Range } from '../types';

export type KvKind = 'acns-meta' | 'cupm-properties';

export function parseKv(kind: KvKind, text: string): KvDocument {
  return kind === 'acns-meta' ? parseMeta(text) : parseProperties(text);
}

/**
 * A position moved into the text, for every service that takes one: editors send stale positions and hostile
 * clients any numbers. Negative → 0, past a line's end → the end, past the last line → the last line.
 */
export function clampPosition(index: LineIndex, pos: Position): Position {
  const int = (n: unknown) => (typeof n === 'number' && !Number.isNaN(n) ? Math.trunc(n) : 0);
  const line = Math.min(Math.max(int(pos?.line), 0), index.lineCount - 1);
  return { line, character: Math.min(Math.max(int(pos?.character), 0), index.lineEnd(line) - index.lineStarts[line]) };
}

export const contains = (r: Range, p: Position) =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function canonicalKey(kind: KvKind, key: string): string {
  if (kind !== 'acns-meta') return key;
  return META_KEYS.find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
}

/** The guides that references such as "002 table 7-1" or rows such as "002-07" point into: the catalog key of each title. */
const SOURCES: Readonly<Record<string, 'guide.000.title' | 'guide.001.title' | 'guide.002.title' | 'guide.003.title' | 'guide.004.title' | 'guide.FMT.title'>> =
  {
    '000': 'guide.000.title',
    '001': 'guide.001.title',
    '002': 'guide.002.title',
    '003': 'guide.003.title',
    '004': 'guide.004.title',
    FMT: 'guide.FMT.title',
  };

/** A rule's source: row ids of docs/guide-coverage.md, then (for developers) a few words in parentheses. */
const ROWS = /^((?:\d{3}|FMT)-\d{2}(?:, (?:\d{3}|FMT)-\d{2})*)(?: \(.*\))?$/;

/**
 * Human name of a source: the guides of its coverage rows and the rows (linked when `rowLink` is given), or the
 * guide of a reference such as "002 table 7-1". The words in parentheses are not shown: the row says it.
 */
export function describeSource(src: string, locale: Locale, rowLink?: (row: string) => string): string {
  const r = ROWS.exec(src);
  if (r) {
    const rows = r[1].split(', ');
    const guides = [...new Set(rows.map((x) => x.slice(0, x.indexOf('-'))))].map((g) => render(msg(SOURCES[g]), locale));
    const shown = rows.map((x) => (rowLink ? `[${x}](${rowLink(x)})` : x));
    return render(msg('source.rows', { guides: guides.join(render(msg('list.separator'), locale)), rows: shown.join(', ') }), locale);
  }
  const m = /^(\d{3})\b(.*)$/.exec(src);
  const title = m && Object.hasOwn(SOURCES, m[1]) ? SOURCES[m[1]] : undefined;
  if (!m || !title) return src;
  return `${render(msg(title), locale)}${m[2]}`;
}

export function ruleHover(id: string, locale: Locale, message: string): string {
  const meta = ruleMeta(id);
  if (!meta) return `\`${id}\`: ${message}`;
  const d = meta.docs[locale];
  return [`**${id}** — ${d.summary}`, '', d.details].join('\n');
}

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Hover parts for the rules of the diagnostics under the cursor (each rule once), and the first one's range. */
export function diagnosticHovers(diagnostics: Diagnostic[], pos: Position, locale: Locale): { parts: string[]; range?: Range } {
  const parts: string[] = [];
  let range: Range | undefined;
  const seen = new Set<string>();
  for (const d of diagnostics) {
    if (!contains(d.range, pos) || seen.has(d.rule)) continue;
    seen.add(d.rule);
    parts.push(ruleHover(d.rule, locale, d.message));
    range ??= d.range;
  }
  return { parts, range };
}

export interface CompletionResult {
  label: string;
  /** Text to insert; `snippet` tells whether it uses snippet syntax ($1). */
  insertText: string;
  snippet: boolean;
  detail?: string;
  documentation?: string;
  kind: 'property' | 'value' | 'snippet';
  filterText?: string;
  /** The range the completion replaces. */
  range: Range;
  sortText?: string;
  /** A key whose values are offered too: the editor asks for them once the key is inserted. */
  retrigger?: boolean;
}

export interface CompletionEnv {
  path?: string;
  fs?: EngineFs;
  imageSearchPaths?: string[];
}

// ------------------------------------------------------------------------------------------------------
// Manifests (YAML): the key or value under the cursor, and the node declarations references point to.

/**
 * A YAML value as label text. The loader's mappings have no prototype (a `__proto__` key is data), so String() and
 * join() throw on them: a node whose name is a mapping must not take hover, completion and symbols down with it.
 */
export const label = (v: unknown): string => (v !== null && typeof v === 'object' ? (Array.isArray(v) ? '[…]' : '{…}') : String(v ?? ''));

const size = (r: Range) => (r.end.line - r.start.line) * 1e6 + (r.end.character - r.start.character);

export interface Hit {
  doc: YamlDocument;
  pointer: string;
  onKey: boolean;
  range: Range;
}

/** The innermost key or value under the cursor. */
export function locate(file: YamlFile, pos: Position): Hit | undefined {
  let best: Hit | undefined;
  pos = clampPosition(file.index, pos);
  const offset = file.index.offsetAt(pos);
  for (const doc of file.docs) {
    for (const [pointer, l] of doc.at.around(offset)) {
      if (l.keyRange && contains(l.keyRange, pos) && (!best || size(l.keyRange) <= size(best.range))) best = { doc, pointer, onKey: true, range: l.keyRange };
      if (pointer !== '' && contains(l.range, pos) && (!best || size(l.range) < size(best.range))) best = { doc, pointer, onKey: false, range: l.range };
    }
  }
  return best;
}

export const get = (v: unknown, pointer: string): unknown => {
  let cur = v;
  for (const raw of pointer.split('/').slice(1)) {
    const k = unescapePointer(raw);
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
};

export const isNodeRef = (p: string) => /^\/steps\/\d+\/node$/.test(p) || /^\/steps\/\d+\/nodes\/\d+$/.test(p) || /^\/deviceGroups\/\d+\/members\/\d+$/.test(p);

export function nodeDecl(doc: YamlDocument, name: string): { index: number; data: Record<string, unknown>; range: Range } | undefined {
  const nodes = get(doc.value, '/nodes');
  if (!Array.isArray(nodes)) return undefined;
  const index = nodes.findIndex((n) => n && typeof n === 'object' && (n as { name?: unknown }).name === name);
  if (index < 0) return undefined;
  const l = doc.at.get(`/nodes/${index}/name`);
  return l ? { index, data: nodes[index] as Record<string, unknown>, range: l.range } : undefined;
}

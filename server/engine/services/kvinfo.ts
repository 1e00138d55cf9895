/** Editor services for meta and properties files: hover, completion, symbols and links. Pure functions. */
import { msg, render, type Message } from '../l10n/index';
import * as path from 'node:path';
import { parseMeta, parseProperties, type Entry, type KvDocument } from '../parse/kv';
import { META_KEYS } from '../rules/meta';
import { RESERVED_PORTS, isPortKey } from '../rules/dfc';
import { ruleMeta } from '../rules/index';
import { propertyDescription, propertyTitle, schemas, type PropertySchema } from '../schema';
import type { LineIndex } from '../text';
import { splitUrl, urlFileName } from '../url';
import type { Diagnostic, EngineFs, FileKind, Locale, Position, Range } from '../types';

type KvKind = 'acns-meta' | 'cupm-properties';

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

function canonicalKey(kind: KvKind, key: string): string {
  if (kind !== 'acns-meta') return key;
  return META_KEYS.find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
}

/** The guides that references such as "002 table 7-1" point into, by number: the catalog key of each title. */
const SOURCES: Readonly<Record<string, 'guide.000.title' | 'guide.001.title' | 'guide.002.title' | 'guide.003.title' | 'guide.004.title'>> = {
  '000': 'guide.000.title',
  '001': 'guide.001.title',
  '002': 'guide.002.title',
  '003': 'guide.003.title',
  '004': 'guide.004.title',
};

/** Human name of a reference such as "002 table 7-1". */
export function describeSource(src: string, locale: Locale): string {
  const m = /^(\d{3})\b(.*)$/.exec(src);
  const title = m && Object.hasOwn(SOURCES, m[1]) ? SOURCES[m[1]] : undefined;
  if (!m || !title) return src;
  return `${render(msg(title), locale)}${m[2]}`;
}

export function keyDoc(kind: KvKind, key: string, locale: Locale): string | undefined {
  const schema = schemas[kind];
  const prop: PropertySchema | undefined = schema.properties[key];
  if (!prop) {
    if (kind === 'cupm-properties' && isPortKey(key)) return render(msg('hover.portKey', { key }), locale);
    return undefined;
  }
  const lines = [`**${key}** — ${propertyTitle(prop, key, locale)}`, '', propertyDescription(prop, locale)];
  const facts: Message[] = [];
  if (schema.required?.includes(key)) facts.push(msg('hover.required'));
  if (prop['x-unit']) facts.push(msg('hover.unit', { unit: prop['x-unit'] }));
  if (prop['x-default']) facts.push(msg('hover.default', { value: prop['x-default'] }));
  if (prop['x-hint']) facts.push(msg('hover.form', { hint: prop['x-hint'] }));
  if (prop['x-example']) facts.push(msg('hover.example', { value: prop['x-example'] }));
  if (facts.length) lines.push('', ...facts.map((f) => `- ${render(f, locale)}`));
  if (prop['x-source']) lines.push('', render(msg('hover.source', { source: describeSource(prop['x-source'], locale) }), locale));
  return lines.join('\n');
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

/** Hover at a position: the rule of every diagnostic under the cursor, then the key's documentation. */
export function kvHover(kind: KvKind, text: string, pos: Position, diagnostics: Diagnostic[], locale: Locale): HoverResult | undefined {
  const doc = parseKv(kind, text);
  pos = clampPosition(doc.index, pos);
  const { parts, range: first } = diagnosticHovers(diagnostics, pos, locale);
  let range = first;
  const e = doc.entries.find((x) => x.line <= pos.line && pos.line <= x.endLine && (contains(x.keyRange, pos) || contains(x.valueRange, pos)));
  if (e) {
    const kd = keyDoc(kind, canonicalKey(kind, e.key), locale);
    if (kd) {
      parts.push(kd);
      if (kind === 'cupm-properties' && contains(e.valueRange, pos) && isPortKey(e.key) && RESERVED_PORTS[e.value]) {
        parts.push(render(msg('hover.reservedPort', { port: e.value, owner: RESERVED_PORTS[e.value] }), locale));
      }
      range = contains(e.keyRange, pos) ? e.keyRange : e.valueRange;
    }
  }
  if (!parts.length || !range) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}

export interface CompletionResult {
  label: string;
  /** Text to insert; `snippet` tells whether it uses snippet syntax ($1). */
  insertText: string;
  snippet: boolean;
  detail?: string;
  documentation?: string;
  kind: 'property' | 'value';
  /** The range the completion replaces. */
  range: Range;
  sortText?: string;
}

export interface CompletionEnv {
  path?: string;
  fs?: EngineFs;
  imageSearchPaths?: string[];
}

/** Completion: keys not present yet (at the start of a line), or known values (after `=`). */
export function kvCompletion(kind: KvKind, text: string, pos: Position, locale: Locale, env: CompletionEnv = {}): CompletionResult[] {
  const doc = parseKv(kind, text);
  pos = clampPosition(doc.index, pos);
  const lineText = doc.index.lineText(pos.line);
  const before = lineText.slice(0, pos.character);
  if (/^\s*[#!]/.test(before)) return [];
  const sep = kind === 'acns-meta' ? before.indexOf('=') : before.search(/[=:]/);
  const schema = schemas[kind];
  if (sep < 0) {
    // Key completion: replace the word typed so far.
    const startCol = before.length - before.trimStart().length;
    const range = {
      start: { line: pos.line, character: startCol },
      end: { line: pos.line, character: Math.max(pos.character, startCol + before.trimStart().length) },
    };
    const present = new Set(doc.entries.filter((e) => e.line !== pos.line).map((e) => canonicalKey(kind, e.key)));
    const keys = kind === 'acns-meta' ? META_KEYS : Object.keys(schema.properties);
    return keys
      .filter((k) => !present.has(k))
      .map((k, i) => {
        const prop = schema.properties[k];
        return {
          label: k,
          insertText: `${k}=$1`,
          snippet: true,
          detail: schema.required?.includes(k)
            ? render(msg('completion.required', { title: propertyTitle(prop, k, locale) }), locale)
            : propertyTitle(prop, k, locale),
          documentation: keyDoc(kind, k, locale),
          kind: 'property' as const,
          range,
          sortText: `${schema.required?.includes(k) ? 0 : 1}${String(i).padStart(2, '0')}`,
        };
      });
  }
  const key = canonicalKey(kind, before.slice(0, sep).trim());
  const vStartCol = sep + 1 + (before.slice(sep + 1).length - before.slice(sep + 1).trimStart().length);
  const range = { start: { line: pos.line, character: vStartCol }, end: { line: pos.line, character: Math.max(pos.character, lineText.trimEnd().length) } };
  const values: { v: string; detail: Message }[] = [];
  const prop = schema.properties[key];
  if (prop?.['x-default']) values.push({ v: prop['x-default'], detail: msg('completion.default') });
  if (kind === 'acns-meta') {
    const url = doc.entries.find((e) => canonicalKey(kind, e.key) === 'updateFileUrl');
    const parts = url ? splitUrl(url.value) : undefined;
    const name = parts ? urlFileName(parts) : '';
    if (key === 'updateFileUrl') {
      values.push({ v: 'ftp://', detail: msg('completion.ftpUrl') }, { v: 'http://', detail: msg('completion.httpUrl') });
    } else if (key === 'user') {
      values.push({ v: 'anonymous', detail: msg('completion.anonymous') });
    } else if (key === 'updateFileSize' && name && env.fs) {
      const dirs = [...(env.path ? [path.dirname(env.path)] : []), ...(env.imageSearchPaths ?? [])];
      for (const d of dirs) {
        const size = env.fs.fileSize(path.join(d, name));
        if (size !== undefined) {
          values.push({ v: String(size), detail: msg('completion.actualSize', { file: name }) });
          break;
        }
      }
    } else if (key === 'version' && name) {
      // The version the image installs: after the last "-TO-" for downgrade images (ACNS-5.x.x-TO-4.2.1-K9.bin →
      // 4.2.1). Linear on a long name: `.*-TO-` and an unanchored `\d+\.` were retried from every offset (quadratic);
      // the lookbehind starts a match only where a run of digits starts, which finds the same first match.
      const m = /(?<!\d)\d+\.\d+\.\d+/.exec(name.split(/-TO-/i).pop() ?? '');
      if (m) values.push({ v: m[0], detail: msg('completion.versionFrom', { file: name }) });
    }
  }
  return values.map((x, i) => ({
    label: x.v,
    insertText: x.v,
    snippet: false,
    detail: render(x.detail, locale),
    kind: 'value' as const,
    range,
    sortText: String(i).padStart(2, '0'),
  }));
}

export interface SymbolResult {
  name: string;
  detail: string;
  range: Range;
  selectionRange: Range;
}

export function kvSymbols(kind: KvKind, text: string): SymbolResult[] {
  const doc = parseKv(kind, text);
  return doc.entries.map((e: Entry) => ({
    name: e.key,
    detail: e.value.length > 80 ? e.value.slice(0, 77) + '…' : e.value,
    range: { start: e.keyRange.start, end: doc.index.positionAt(doc.index.lineEnd(e.endLine)) },
    selectionRange: e.keyRange,
  }));
}

export interface LinkResult {
  range: Range;
  target: string;
  tooltip: string;
}

export function kvLinks(kind: FileKind, text: string, locale: Locale): LinkResult[] {
  if (kind !== 'acns-meta') return [];
  const doc = parseMeta(text);
  const out: LinkResult[] = [];
  for (const e of doc.entries) {
    if (canonicalKey('acns-meta', e.key) !== 'updateFileUrl') continue;
    const parts = splitUrl(e.value);
    if (!parts || (parts.scheme !== 'http' && parts.scheme !== 'ftp') || !parts.host) continue;
    out.push({ range: e.valueRange, target: e.value, tooltip: render(msg('links.openImage'), locale) });
  }
  return out;
}

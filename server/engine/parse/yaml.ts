/**
 * YAML loading for upgrade manifests with the `yaml` package: every document of a multi-document file,
 * syntax errors with their real positions, and a map from JSON pointer (as ajv reports instance paths) to
 * the source ranges of the key and the value. The plain instance is built here rather than with toJS(),
 * so that versions keep their source text (`5.10` stays "5.10") and aliases are expanded under a budget:
 * an alias bomb is refused, not expanded.
 *
 * Large files are parsed in pieces (see `chunked` below): each top-level entry of each document, and each
 * group of a few dozen items of a long top-level block sequence (`steps:`, `nodes:`), is parsed on its own
 * and cached by its text. An edit then re-parses only the piece it touched, and a parse never holds the
 * syntax tree of the whole file at once. Whenever the pieces could parse differently from the whole file
 * (syntax errors, anchors or aliases, directives, unusual top-level layout), the whole file is parsed the
 * ordinary way instead; a test checks both ways agree on every fixture and thousands of mutations.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { LineIndex } from '../text';
import { escapePointer, lastAtMost, Lru } from '../util';
import type { Range } from '../types';

/** Keys whose scalar values are versions: read from the source text, never as numbers. */
export const VERSION_KEYS = new Set(['from', 'to', 'unifiedCmVersion', 'directoryServerVersion', 'version']);

export interface Located {
  /** Range of the value (for an alias: the alias itself, where the user wrote it). */
  range: Range;
  /** Range of the key, when the value is the value of a map entry. */
  keyRange?: Range;
  /** Offsets of the value. */
  start: number;
  end: number;
}

/** JSON pointer ('' for the root, '/steps/0/node') → where it is in the text; iterates in document order. */
export interface PointerMap extends Iterable<[string, Located]> {
  get(pointer: string): Located | undefined;
  has(pointer: string): boolean;
  /** The entries whose key or value spans `offset` (ends included), in document order. */
  around(offset: number): Iterable<[string, Located]>;
}

const spans = (l: Loc, base: number, offset: number) =>
  (base + l.s <= offset && offset <= base + l.e) || (l.ks !== undefined && base + l.ks <= offset && offset <= base + l.ke!);

export interface YamlDocument {
  /** The plain data of the document (undefined for an empty document). */
  value: unknown;
  at: PointerMap;
  /** Offsets of the document in the file. */
  start: number;
  end: number;
  /** Set when alias expansion was stopped. */
  aliasLimitHit?: Range;
}

export interface YamlProblem { range: Range; message: string }

export interface YamlFile {
  index: LineIndex;
  docs: YamlDocument[];
  syntax: YamlProblem[];
}

export const DEFAULT_MAX_ALIAS_EXPANSION = 10000;

/** Where a node is, as offsets relative to the text that was parsed (ks/ke: its key). */
interface Loc { s: number; e: number; ks?: number; ke?: number }

function located(index: LineIndex, base: number, l: Loc): Located {
  const n = index.text.length;
  const r = (a: number, b: number) => index.range(Math.min(a, n), Math.min(Math.max(a, b), n));
  const start = base + l.s, end = base + l.e;
  return { range: r(start, end), keyRange: l.ks === undefined ? undefined : r(base + l.ks, base + l.ke!), start, end };
}

/** Pointer map of a document parsed as a whole: a map of offsets, turned into ranges when asked. */
class WholeMap implements PointerMap {
  constructor(private readonly index: LineIndex, private readonly locs: Map<string, Loc>) {}
  get(p: string) { const l = this.locs.get(p); return l && located(this.index, 0, l); }
  has(p: string) { return this.locs.has(p); }
  *[Symbol.iterator](): Iterator<[string, Located]> { for (const [p, l] of this.locs) yield [p, located(this.index, 0, l)]; }
  *around(offset: number): Iterable<[string, Located]> { for (const [p, l] of this.locs) if (spans(l, 0, offset)) yield [p, located(this.index, 0, l)]; }
}

/** A pointer map with nothing in it (a file with no document). */
export const noPointers = (): PointerMap => new WholeMap(new LineIndex(''), new Map());

/**
 * The last few parses, keyed by the text itself: validation, hover and completion of one document version
 * share one parse instead of parsing the same text again for every request.
 */
const recent = new Lru<YamlFile>(4);
const recentKey = (text: string, maxAliasExpansion: number) => `${maxAliasExpansion}\u0000${text}`;

export function loadYaml(text: string, maxAliasExpansion = DEFAULT_MAX_ALIAS_EXPANSION): YamlFile {
  const key = recentKey(text, maxAliasExpansion);
  let file = recent.get(key);
  if (!file) recent.set(key, file = parseYaml(text, maxAliasExpansion));
  return file;
}

/**
 * `loadYaml` for callers that must stay responsive (the language server): a large file is parsed piece by
 * piece, and every few milliseconds `pause` is awaited so that other requests can be answered; when it
 * resolves to false (the text is outdated) parsing stops and undefined is returned. The result is cached, so
 * a `loadYaml` of the same text afterwards costs nothing. Files that cannot be parsed in pieces are parsed
 * whole, without pauses.
 */
export async function loadYamlAsync(text: string, maxAliasExpansion: number, pause: () => Promise<boolean>, sliceMs = 8): Promise<YamlFile | undefined> {
  if (recent.has(recentKey(text, maxAliasExpansion)) || text.length < CHUNKED_MIN_LENGTH) return loadYaml(text, maxAliasExpansion);
  const steps = chunked(text, GROUP_LINES);
  let since = performance.now();
  let file: YamlFile | undefined;
  for (;;) {
    const r = steps.next();
    if (r.done) { file = r.value; break; }
    if (performance.now() - since >= sliceMs) {
      if (!(await pause())) return undefined;
      since = performance.now();
    }
  }
  file ??= whole(text, maxAliasExpansion);
  recent.set(recentKey(text, maxAliasExpansion), file);
  return file;
}

function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Texts at least this long are parsed in pieces when their layout allows it. */
export const CHUNKED_MIN_LENGTH = 8192;

/**
 * Parses a YAML file (no cache). `mode` forces one way of parsing and `groupLines` sets the size of the groups of
 * sequence items, for tests.
 */
export function parseYaml(text: string, maxAliasExpansion = DEFAULT_MAX_ALIAS_EXPANSION, mode: 'auto' | 'whole' | 'chunked' = 'auto', groupLines = GROUP_LINES): YamlFile {
  if (mode === 'chunked' || (mode === 'auto' && text.length >= CHUNKED_MIN_LENGTH)) {
    const file = drain(chunked(text, Math.max(1, groupLines)));
    if (file) return file;
  }
  return whole(text, maxAliasExpansion);
}

const OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

interface Built { value: unknown; locs: Map<string, Loc>; aliasLimitHit?: [number, number]; anchors: boolean; tooDeep: boolean }

/**
 * Plain data and pointer → offsets for one parsed document. Aliases are expanded (each copied node costs one
 * unit of `budget`); nodes reached through an alias are located at the alias.
 */
function build(doc: Document.Parsed, budget: number): Built {
  const out: Built = { value: undefined, locs: new Map(), anchors: false, tooDeep: false };
  const resolved = new Map<unknown, unknown>(); // Alias.resolve() searches the whole document; each alias once
  const walk = (node: unknown, pointer: string, key: [number, number] | undefined, inAlias: Loc | undefined, keyName: string | undefined, depth: number): unknown => {
    if (depth > 200) { out.tooDeep = true; out.aliasLimitHit ??= inAlias ? [inAlias.s, inAlias.e] : [0, 0]; return undefined; }
    if (isAlias(node)) {
      out.anchors = true;
      if (!resolved.has(node)) resolved.set(node, node.resolve(doc));
      const target = resolved.get(node);
      const here: Loc = { s: node.range![0], e: node.range![1], ks: key?.[0], ke: key?.[1] };
      out.locs.set(pointer, here);
      if (!target) return undefined;
      return walk(target, pointer, key, inAlias ?? here, keyName, depth + 1);
    }
    if (inAlias && --budget < 0) { out.aliasLimitHit ??= [inAlias.s, inAlias.e]; return undefined; }
    const n = node as Node | null;
    if (n && (n as { anchor?: string }).anchor) out.anchors = true;
    const loc: Loc = inAlias ? { s: inAlias.s, e: inAlias.e, ks: key?.[0], ke: key?.[1] }
      : n?.range ? { s: n.range[0], e: n.range[1], ks: key?.[0], ke: key?.[1] } : { s: 0, e: 0, ks: key?.[0], ke: key?.[1] };
    if (!inAlias || !out.locs.has(pointer)) out.locs.set(pointer, loc);
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      for (const pair of n.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : pair.key === null ? '' : String((pair.key as Node).toString());
        const kr: [number, number] | undefined = isScalar(pair.key) && pair.key.range ? [pair.key.range[0], pair.key.range[1]] : undefined;
        const p = `${pointer}/${escapePointer(k)}`;
        if (inAlias) { obj[k] = walk(pair.value, p, key, inAlias, k, depth + 1); continue; }
        if (pair.value === null) {
          // `key:` with no value: locate it just after the key.
          const end = kr ? kr[1] : 0;
          out.locs.set(p, { s: end, e: end, ks: kr?.[0], ke: kr?.[1] });
          obj[k] = null;
        } else obj[k] = walk(pair.value, p, kr, undefined, k, depth + 1);
      }
      return obj;
    }
    if (isSeq(n)) return n.items.map((item, i) => walk(item, `${pointer}/${i}`, undefined, inAlias, undefined, depth + 1));
    if (isScalar(n)) {
      const val = n.value;
      if (typeof val === 'number' && keyName && VERSION_KEYS.has(keyName) && n.source !== undefined) return String(n.source);
      return val;
    }
    return n === null || n === undefined ? null : undefined;
  };
  out.value = doc.contents === null ? undefined : walk(doc.contents, '', undefined, undefined, undefined, 0);
  return out;
}

function whole(text: string, maxAliasExpansion: number): YamlFile {
  const index = new LineIndex(text);
  const parsed = parseAllDocuments(text, OPTIONS);
  const list = Array.isArray(parsed) ? parsed : [];
  const file: YamlFile = { index, docs: [], syntax: [] };
  const r = (a: number, b: number) => index.range(Math.min(a, text.length), Math.min(Math.max(a, b), text.length));
  for (const doc of list as Document.Parsed[]) {
    for (const e of doc.errors) {
      file.syntax.push({ range: r(e.pos[0], e.pos[1]), message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
    }
    const b = build(doc, maxAliasExpansion);
    file.docs.push({
      value: b.value, at: new WholeMap(index, b.locs), start: doc.range[0], end: doc.range[2],
      ...(b.aliasLimitHit ? { aliasLimitHit: r(b.aliasLimitHit[0], b.aliasLimitHit[1]) } : {}),
    });
  }
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing in pieces.

/** One piece of text parsed on its own: cached by its text, reused wherever (and whenever) it appears. */
interface Piece { value: unknown; locs: Map<string, Loc>; length: number }

/** Lines per group of sequence items. */
const GROUP_LINES = 40;
/** Pieces kept for reuse, up to 4 million characters of their text in all. */
const pieces = new Lru<Piece | null>(Infinity, 4_000_000, (text) => text.length);

/**
 * A copy of `s` that does not keep the string it was cut from alive. (V8 represents a slice as a view into its
 * parent: a piece cut from one version of a 1 MB document, and every scalar parsed from it, would keep that whole
 * version in memory for as long as the piece is cached.)
 */
const own = (s: string) => Buffer.from(s, 'utf16le').toString('utf16le');

/** A piece's parse (null when the piece cannot stand for its part of the whole file). */
function piece(slice: string): Piece | null {
  const hit = pieces.get(slice);
  if (hit !== undefined) return hit;
  const text = own(slice);
  const docs = parseAllDocuments(text, OPTIONS);
  let p: Piece | null = null;
  if (Array.isArray(docs) && docs.length === 1 && !docs[0].errors.length && docs[0].contents !== null) {
    const b = build(docs[0] as Document.Parsed, 0);
    if (!b.anchors && !b.tooDeep && !b.aliasLimitHit) p = { value: b.value, locs: b.locs, length: text.length };
  }
  pieces.set(text, p);
  return p;
}

/** True when the file was parsed in pieces (tests). */
export const parsedInPieces = (file: YamlFile): boolean => file.docs.some((d) => d.at instanceof ChunkedMap);

/** Drops the pieces kept for reuse (tests). */
export function clearPieces(): void { pieces.clear(); }

interface Group { piece: Piece; base: number; first: number; count: number }
interface Entry {
  name: string;
  token: string;
  /** The entry parsed whole (a one-key map), or — for a long block sequence — its key line(s) alone. */
  head: Piece;
  base: number;
  groups?: Group[];
  /** For a split entry: the sequence's own location (absolute offsets). */
  seq?: Loc;
}

/** Pointer map of a document parsed in pieces: lookups go to the piece holding the pointer. */
class ChunkedMap implements PointerMap {
  private readonly byToken = new Map<string, Entry>();
  constructor(private readonly index: LineIndex, private readonly root: Loc, private readonly entries: Entry[]) {
    for (const e of entries) this.byToken.set(e.token, e);
  }

  private find(p: string): [Loc, number] | undefined {
    if (p === '') return [this.root, 0];
    const slash = p.indexOf('/', 1);
    const token = slash < 0 ? p.slice(1) : p.slice(1, slash);
    const e = this.byToken.get(token);
    if (!e) return undefined;
    if (!e.groups) { const l = e.head.locs.get(p); return l && [l, e.base]; }
    if (slash < 0) return [e.seq!, 0];
    const slash2 = p.indexOf('/', slash + 1);
    const idx = slash2 < 0 ? p.slice(slash + 1) : p.slice(slash + 1, slash2);
    if (!/^(0|[1-9]\d*)$/.test(idx)) return undefined;
    const i = Number(idx);
    const g = e.groups[lastAtMost(e.groups, i, (x) => x.first)];
    if (i < g.first || i >= g.first + g.count) return undefined;
    const l = g.piece.locs.get(`/${i - g.first}${slash2 < 0 ? '' : p.slice(slash2)}`);
    return l && [l, g.base];
  }

  get(p: string) { const f = this.find(p); return f && located(this.index, f[1], f[0]); }
  has(p: string) { return this.find(p) !== undefined; }
  [Symbol.iterator](): Iterator<[string, Located]> { return this.walk(); }
  around(offset: number): Iterable<[string, Located]> { return { [Symbol.iterator]: () => this.walk(offset) }; }

  /** Every entry in document order or, given an offset, those spanning it (skipping the pieces that cannot). */
  private *walk(offset?: number): Generator<[string, Located]> {
    const keep = (l: Loc, base: number) => offset === undefined || spans(l, base, offset);
    if (keep(this.root, 0)) yield ['', located(this.index, 0, this.root)];
    for (const e of this.entries) {
      if (offset !== undefined && offset < e.base) break;
      if (!e.groups) {
        if (offset !== undefined && offset > e.base + e.head.length) continue;
        for (const [p, l] of e.head.locs) if (p !== '' && keep(l, e.base)) yield [p, located(this.index, e.base, l)];
        continue;
      }
      const prefix = `/${e.token}`;
      if (keep(e.seq!, 0)) yield [prefix, located(this.index, 0, e.seq!)];
      let groups = e.groups;
      if (offset !== undefined) {
        // The group starting at or before the offset, and the one before it (ends are inclusive).
        const g = lastAtMost(groups, offset, (x) => x.base);
        groups = groups.slice(Math.max(0, g - 1), g + 1).filter((x) => offset >= x.base && offset <= x.base + x.piece.length);
      }
      for (const g of groups) {
        for (const [p, l] of g.piece.locs) {
          if (p === '' || !keep(l, g.base)) continue;
          const slash = p.indexOf('/', 1);
          const i = Number(slash < 0 ? p.slice(1) : p.slice(1, slash)) + g.first;
          yield [`${prefix}/${i}${slash < 0 ? '' : p.slice(slash)}`, located(this.index, g.base, l)];
        }
      }
    }
  }
}

const BLANK_OR_COMMENT = /^[ ]*(#.*)?$/;
const DOC_START = /^---(?:[ \t]+(?:#.*)?)?$/;
const ENTRY_START = /^[A-Za-z0-9_$.]/;
const SEQ_ITEM = /^( *)-(?:[ \t]|$)/;

/**
 * The file parsed in pieces, or undefined when its layout does not allow it (then the caller parses it
 * whole). Each document must be a block mapping whose keys start in column 0; anything else at column 0
 * (directives, `...`, flow or quoted keys, a top-level sequence) and lone CR line breaks are left to the
 * whole parse, as is any piece with a syntax error, an anchor or an alias.
 */
function* chunked(text: string, groupLines: number): Generator<void, YamlFile | undefined> {
  if (/\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  const index = new LineIndex(text);
  const starts = index.lineStarts;
  const lineCount = starts.length;
  const lineAt = (i: number) => text.slice(starts[i], index.lineEnd(i));

  interface DocPlan { start: number; entries: number[]; endLine: number; marker: boolean }
  const plans: DocPlan[] = [];
  let cur: DocPlan | undefined;
  for (let i = 0; i < lineCount; i++) {
    const c = text.charCodeAt(starts[i]);
    if (c === 45 /* - */ && text.startsWith('---', starts[i])) {
      if (!DOC_START.test(lineAt(i))) return undefined;
      if (cur) cur.endLine = i;
      cur = { start: starts[i], entries: [], endLine: lineCount, marker: true };
      plans.push(cur);
      continue;
    }
    if (c === 32 /* space */ || c === 35 /* # */ || i === lineCount - 1 && starts[i] === text.length) {
      if (!cur?.entries.length && !BLANK_OR_COMMENT.test(lineAt(i))) return undefined; // content before the first key
      continue;
    }
    const line = lineAt(i);
    if (line === '') continue;
    if (c === 45 && SEQ_ITEM.test(line)) {
      if (!cur?.entries.length) return undefined; // a top-level sequence
      continue; // an item of a sequence written at the key's own indentation (`steps:` then `- id: …`)
    }
    if (!ENTRY_START.test(line)) return undefined;
    if (!cur) { cur = { start: starts[i], entries: [], endLine: lineCount, marker: false }; plans.push(cur); }
    cur.entries.push(i);
  }
  if (!plans.length || plans.some((d) => !d.entries.length)) return undefined;

  const file: YamlFile = { index, docs: [], syntax: [] };
  for (let di = 0; di < plans.length; di++) {
    const plan = plans[di];
    const entries: Entry[] = [];
    const value: Record<string, unknown> = {};
    for (let k = 0; k < plan.entries.length; k++) {
      const first = plan.entries[k];
      const last = (k + 1 < plan.entries.length ? plan.entries[k + 1] : plan.endLine) - 1;
      const e = yield* entry(text, index, first, last, groupLines);
      if (!e || Object.prototype.hasOwnProperty.call(value, e.name)) return undefined; // a duplicate key: the whole parse reports it
      entries.push(e);
      value[e.name] = e.groups ? e.groups.flatMap((g) => g.piece.value as unknown[]) : (e.head.value as Record<string, unknown>)[e.name];
    }
    const head = entries[0], tail = entries[entries.length - 1];
    const rootStart = head.base + head.head.locs.get('')!.s;
    const rootEnd = tail.groups ? tail.seq!.e : tail.base + tail.head.locs.get('')!.e;
    const end = di + 1 < plans.length ? plans[di + 1].start : text.length;
    file.docs.push({ value, at: new ChunkedMap(index, { s: rootStart, e: rootEnd }, entries), start: plan.marker ? plan.start : rootStart, end });
  }
  return file;
}

/** One top-level entry (lines first..last), split into groups of items when it is a long block sequence. */
function* entry(text: string, index: LineIndex, first: number, last: number, groupLines: number): Generator<void, Entry | undefined> {
  const starts = index.lineStarts;
  const base = starts[first];
  const endOf = (line: number) => index.lineEndWithBreak(line);
  const one = (p: Piece | null): string | undefined => {
    if (!p || !p.value || typeof p.value !== 'object' || Array.isArray(p.value)) return undefined;
    const keys = Object.keys(p.value);
    return keys.length === 1 ? keys[0] : undefined;
  };
  // A long block sequence: the key line, then items at one indentation, everything else deeper (or comments).
  let items: number[] | undefined;
  if (last - first + 1 >= 2 * groupLines && /^[^#]*:[ \t]*(#.*)?$/.test(text.slice(base, index.lineEnd(first)))) {
    items = [];
    let indent = -1;
    // Scanned by character codes: no string is made per line of a 50,000-line sequence.
    for (let i = first + 1; i <= last && items; i++) {
      const p = starts[i], end = index.lineEnd(i);
      let sp = 0;
      while (p + sp < end && text.charCodeAt(p + sp) === 32) sp++;
      if (p + sp === end || text.charCodeAt(p + sp) === 35 /* # */) continue; // blank or comment
      const next = text.charCodeAt(p + sp + 1);
      const item = text.charCodeAt(p + sp) === 45 /* - */ && (p + sp + 1 === end || next === 32 || next === 9);
      if (indent < 0) { if (!item) items = undefined; else { indent = sp; items.push(i); } continue; }
      if (item && sp === indent) items.push(i);
      else if (sp <= indent) items = undefined;
    }
    if (items && items.length < 2) items = undefined;
  }
  if (!items) {
    const head = piece(text.slice(base, endOf(last)));
    yield;
    const name = one(head);
    return name === undefined ? undefined : { name, token: escapePointer(name), head: head!, base };
  }
  const head = piece(text.slice(base, starts[items[0]]));
  const name = one(head);
  if (name === undefined || (head!.value as Record<string, unknown>)[name] !== null) return undefined;
  const groups: Group[] = [];
  let count = 0;
  for (let g = 0; g < items.length;) {
    let h = g + 1;
    while (h < items.length && items[h] - items[g] < groupLines) h++;
    const from = starts[items[g]];
    const to = h < items.length ? starts[items[h]] : endOf(last);
    const p = piece(text.slice(from, to));
    yield; // a point where an asynchronous caller may let other work run
    if (!p || !Array.isArray(p.value) || p.value.length !== h - g) return undefined;
    groups.push({ piece: p, base: from, first: count, count: h - g });
    count += h - g;
    g = h;
  }
  const key = head!.locs.get(`/${escapePointer(name)}`)!;
  const a = groups[0], z = groups[groups.length - 1];
  const seq: Loc = { s: a.base + a.piece.locs.get('')!.s, e: z.base + z.piece.locs.get('')!.e, ks: base + key.ks!, ke: base + key.ke! };
  return { name, token: escapePointer(name), head: head!, base, groups, seq };
}

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
import { isAlias, isMap, isScalar, isSeq, parse, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import { LineIndex } from '../text';
import { isDeepStrictEqual } from 'node:util';
import { dict, drain, escapePointer, inSlices, lastAtMost, Lru } from '../util';
import type { Range } from '../types';
import { fastPiece, VERSION_KEYS, type Loc } from './fast';

export { VERSION_KEYS };

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
  /** True when the parser found a syntax problem in this document (it is then not checked further). */
  hasErrors?: boolean;
}

export interface YamlProblem {
  range: Range;
  /** The parser's own English text (kept as the fallback when the code has no message of ours). */
  message: string;
  /** The parser's error code (`BAD_DQ_ESCAPE`, `TAB_AS_INDENT`…; `DUPLICATE_KEY` for ours). */
  code?: string;
  /** Offsets in the text. */
  start: number;
  end: number;
}

export interface YamlFile {
  index: LineIndex;
  docs: YamlDocument[];
  syntax: YamlProblem[];
  /** Set when the text nests deeper than `MAX_NESTING` (it is then not parsed at all): where the limit is crossed. */
  tooDeep?: Range;
  /** Syntax problems beyond `MAX_SYNTAX_PROBLEMS`, counted but not kept. */
  syntaxDropped?: number;
}

/**
 * At most this many syntax problems are kept per file (the rest are counted): a file of 100,000 `]` has 100,000,
 * and making a diagnostic of each, to show the first thousand, doubled the time of reading it.
 */
export const MAX_SYNTAX_PROBLEMS = 1000;

/**
 * Nesting deeper than this is refused before parsing. A manifest needs about six levels; the YAML parser and the
 * code after it recurse once per level, so a document of 100,000 `[` must never reach them.
 */
export const MAX_NESTING = 64;

export const DEFAULT_MAX_ALIAS_EXPANSION = 10000;

function located(index: LineIndex, base: number, l: Loc): Located {
  const n = index.text.length;
  const r = (a: number, b: number) => index.range(Math.min(a, n), Math.min(Math.max(a, b), n));
  const start = base + l.s,
    end = base + l.e;
  return { range: r(start, end), keyRange: l.ks === undefined ? undefined : r(base + l.ks, base + l.ke!), start, end };
}

/** Pointer map of a document parsed as a whole: a map of offsets, turned into ranges when asked. */
class WholeMap implements PointerMap {
  constructor(
    private readonly index: LineIndex,
    private readonly locs: Map<string, Loc>,
  ) {}
  get(p: string) {
    const l = this.locs.get(p);
    return l && located(this.index, 0, l);
  }
  has(p: string) {
    return this.locs.has(p);
  }
  *[Symbol.iterator](): Iterator<[string, Located]> {
    for (const [p, l] of this.locs) yield [p, located(this.index, 0, l)];
  }
  *around(offset: number): Iterable<[string, Located]> {
    for (const [p, l] of this.locs) if (spans(l, 0, offset)) yield [p, located(this.index, 0, l)];
  }
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
  if (!file) recent.set(key, (file = parseYaml(text, maxAliasExpansion)));
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
  if (recent.has(recentKey(text, maxAliasExpansion)) || text.length < CHUNKED_MIN_LENGTH || nestingDepth(text).depth > MAX_NESTING)
    return loadYaml(text, maxAliasExpansion);
  const done = await inSlices(chunked(text, GROUP_LINES, maxAliasExpansion), pause, sliceMs);
  if (!done) return undefined;
  const file = done.value ?? whole(text, maxAliasExpansion);
  recent.set(recentKey(text, maxAliasExpansion), file);
  return file;
}

/** Texts at least this long are parsed in pieces when their layout allows it. */
export const CHUNKED_MIN_LENGTH = 8192;

/**
 * Parses a YAML file (no cache). `mode` forces one way of parsing and `groupLines` sets the size of the groups of
 * sequence items, for tests.
 */
export function parseYaml(
  text: string,
  maxAliasExpansion = DEFAULT_MAX_ALIAS_EXPANSION,
  mode: 'auto' | 'whole' | 'chunked' = 'auto',
  groupLines = GROUP_LINES,
): YamlFile {
  const nesting = nestingDepth(text);
  if (nesting.depth > MAX_NESTING) {
    const index = new LineIndex(text);
    return { index, docs: [], syntax: [], tooDeep: index.range(nesting.at, nesting.at) };
  }
  if (mode === 'chunked' || (mode === 'auto' && text.length >= CHUNKED_MIN_LENGTH)) {
    const file = drain(chunked(text, Math.max(1, groupLines), maxAliasExpansion));
    if (file) return file;
  }
  return whole(text, maxAliasExpansion);
}

/**
 * Duplicate keys are found by `build` with a set per mapping, not by the parser (`uniqueKeys`), which compares
 * every key with every earlier key of its mapping: 12,000 keys took 0.7 s. Same message, same place.
 */
const OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true } as const;
const DUPLICATE_KEY = 'Map keys must be unique';

interface Built {
  value: unknown;
  locs: Map<string, Loc>;
  aliasLimitHit?: [number, number];
  /** An anchor or an alias was seen (`aliases`: an alias). */
  anchors: boolean;
  aliases: boolean;
  tooDeep: boolean;
  duplicates: [number, number][];
}

/**
 * The name a key stands for in the data. A collection used as a key (`{a: b}: c`, `? [x]`) is named by its
 * source text, at most 60 characters: never stringified, which takes time and memory exponential in its
 * nesting (a 32-byte `{{{{…` took seconds and a gigabyte).
 */
function keyText(key: unknown, src: string): string {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return '';
  const r = (key as Node).range;
  const t = r ? src.slice(r[0], Math.min(r[1], r[0] + 61)) : '?';
  return t.length > 60 ? t.slice(0, 59) + '…' : t;
}

/** For a piece of a document: the anchors of the pieces before it, and the document's budget for aliases. */
interface Outside {
  /** The closest anchor of that name before offset `at` (of the file) in the pieces before this one. */
  find(name: string, at: number): { node: Node; src: string; base: number } | undefined;
  budget: { left: number };
  /** Where this piece starts in the file. */
  base: number;
}

/**
 * Plain data and pointer → offsets for one parsed document. Aliases are expanded (each copied node costs one
 * unit of `budget`); nodes reached through an alias are located at the alias. `outside`: see `Outside`.
 */
function build(doc: Document.Parsed, budget: number, src: string, outside?: Outside): Built {
  const out: Built = { value: undefined, locs: new Map(), anchors: false, aliases: false, tooDeep: false, duplicates: [] };
  const box = outside?.budget ?? { left: budget };
  const anchors = anchorIndex(doc);
  // A collection's end without the blanks before a comment or line end that the parser sometimes counts to it
  // (it depends on what follows, so a piece and the whole file would disagree; no range should end in them).
  const endOf = (s: number, e: number) => {
    while (e > s && (src.charCodeAt(e - 1) === 32 || src.charCodeAt(e - 1) === 9)) e--;
    return e;
  };
  // A collection that ends the text with a comment and no line break counts the comment in; the parse in pieces
  // does not. Both end a collection before a comment line that follows its last item.
  const collectionEnd = (s: number, e: number) => {
    e = endOf(s, e);
    for (;;) {
      const nl = src.lastIndexOf('\n', e - 1);
      if (nl < s || !/^[ \t]*#/.test(src.slice(nl + 1, e))) return e;
      e = nl + 1;
    }
  };
  const walk = (
    node: unknown,
    pointer: string,
    key: [number, number] | undefined,
    inAlias: Loc | undefined,
    keyName: string | undefined,
    depth: number,
    text = src,
    delta = 0,
  ): unknown => {
    // Deeper than the text's own nesting allows only through aliases (an alias bomb of nested anchors).
    if (depth > 200) {
      out.tooDeep = true;
      out.aliasLimitHit ??= inAlias ? [inAlias.s, inAlias.e] : [0, 0];
      return undefined;
    }
    if (isAlias(node)) {
      out.anchors = out.aliases = true;
      // An alias inside what an alias of another piece stands for: left to the whole parse (it is located in that piece).
      if (delta !== 0) out.tooDeep = true;
      const at = node.range?.[0] ?? 0;
      // An anchor of this piece first (closest before the alias), else one of the pieces before.
      let target = delta === 0 && text === src ? anchors(node.source, at) : undefined;
      let targetSrc = text,
        targetDelta = delta;
      if (!target && outside) {
        const o = outside.find(node.source, outside.base + delta + at);
        if (o) ({ node: target, src: targetSrc, delta: targetDelta } = { node: o.node, src: o.src, delta: o.base - outside.base });
      }
      const here: Loc = { s: at + delta, e: node.range![1] + delta, ks: key?.[0], ke: key?.[1] };
      out.locs.set(pointer, here);
      if (!target) return undefined;
      return walk(target, pointer, key, inAlias ?? here, keyName, depth + 1, targetSrc, targetDelta);
    }
    if (inAlias && --box.left < 0) {
      out.aliasLimitHit ??= [inAlias.s, inAlias.e];
      return undefined;
    }
    const n = node as Node | null;
    if (n && (n as { anchor?: string }).anchor) out.anchors = true;
    const loc: Loc = inAlias
      ? { s: inAlias.s, e: inAlias.e, ks: key?.[0], ke: key?.[1] }
      : n?.range
        ? { s: n.range[0], e: (isMap(n) || isSeq(n) ? collectionEnd : endOf)(n.range[0], n.range[1]), ks: key?.[0], ke: key?.[1] }
        : { s: 0, e: 0, ks: key?.[0], ke: key?.[1] };
    if (!inAlias || !out.locs.has(pointer)) out.locs.set(pointer, loc);
    if (isMap(n)) {
      const obj = dict();
      const seen = inAlias ? undefined : new Set<unknown>();
      for (const pair of n.items) {
        // As the parser's uniqueKeys: scalar keys with the same value (collections as keys are never equal).
        if (seen && isScalar(pair.key)) {
          if (seen.has(pair.key.value) && pair.key.range) out.duplicates.push([pair.key.range[0], pair.key.range[1]]);
          seen.add(pair.key.value);
        }
        if ((pair.key as { anchor?: string } | null)?.anchor) out.anchors = true; // `&a key: value` anchors the key
        const k = keyText(pair.key, text);
        const kr: [number, number] | undefined = isScalar(pair.key) && pair.key.range ? [pair.key.range[0], pair.key.range[1]] : undefined;
        const p = `${pointer}/${escapePointer(k)}`;
        if (inAlias) {
          obj[k] = walk(pair.value, p, key, inAlias, k, depth + 1, text, delta);
          continue;
        }
        if (pair.value === null) {
          // `key:` with no value: locate it just after the key.
          // A collection as the key (`? a: b`) has no key range of its own: the value is placed at the end of it.
          const keyEnd = (pair.key as Node | null)?.range?.[1];
          const end = kr ? kr[1] : (keyEnd ?? 0);
          out.locs.set(p, { s: end, e: end, ks: kr?.[0], ke: kr?.[1] });
          obj[k] = null;
        } else obj[k] = walk(pair.value, p, kr, undefined, k, depth + 1);
      }
      return obj;
    }
    if (isSeq(n)) return n.items.map((item, i) => walk(item, `${pointer}/${i}`, undefined, inAlias, undefined, depth + 1, text, delta));
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

/**
 * Alias → anchored node, as YAML resolves it (the closest anchor of that name before the alias), from one walk
 * over the document. `Alias.resolve()` walks the whole document for every alias: 2,000 aliases took seconds.
 */
function anchorIndex(doc: Document.Parsed): (name: string, offset: number) => Node | undefined {
  let byName: Map<string, { at: number; node: Node }[]> | undefined;
  return (name, offset) => {
    if (!byName) {
      const found = new Map<string, { at: number; node: Node }[]>();
      visit(doc, {
        Node(_key, node) {
          const a = (node as { anchor?: string }).anchor;
          if (!a) return;
          const list = found.get(a) ?? [];
          if (!list.length) found.set(a, list);
          list.push({ at: node.range?.[0] ?? 0, node: node as Node });
        },
      });
      for (const list of found.values()) list.sort((x, y) => x.at - y.at);
      byName = found;
    }
    const list = byName.get(name);
    if (!list) return undefined;
    const i = lastAtMost(list, offset, (x) => x.at);
    return list[i].at <= offset ? list[i].node : undefined;
  };
}

function whole(text: string, maxAliasExpansion: number): YamlFile {
  const index = new LineIndex(text);
  try {
    return wholeParse(text, maxAliasExpansion, index);
  } catch (e) {
    // The nesting guard keeps the parser's recursion shallow; should it still give up, the file gets one
    // syntax problem (the run goes on), never an exception. The message names the error's kind only.
    const kind = e instanceof Error ? e.name : 'Error';
    return {
      index,
      docs: [],
      syntax: [{ range: index.range(0, Math.min(index.lineEnd(0), 200)), message: `the YAML parser could not read this file (${kind})`, start: 0, end: 0 }],
    };
  }
}

/**
 * The parser's documents. It makes an Error object for every syntax problem, and V8 captures a stack trace for
 * each: three quarters of the parse of a file of 100,000 errors (`]]]]…`). No stack is ever used, so none is taken.
 */
function parseDocuments(text: string) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseAllDocuments(text, OPTIONS);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const parserMessage = (m: string) => m.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

/**
 * One document's syntax problems into `file`, as both ways of parsing list them: the parser's ([start, end, code,
 * message]), then the duplicate keys, then — when the document has any — all of the file's so far by position.
 * At most `MAX_SYNTAX_PROBLEMS` are kept (the rest are counted; their messages are never made).
 */
function addProblems(file: YamlFile, parser: [number, number, string, () => string][], duplicates: [number, number][]): void {
  const n = file.index.text.length;
  const add = (s: number, e: number, code: string, message: () => string) => {
    const start = Math.min(s, n),
      end = Math.min(Math.max(s, e), n);
    if (file.syntax.length < MAX_SYNTAX_PROBLEMS) file.syntax.push({ range: file.index.range(start, end), message: message(), code, start, end });
    else file.syntaxDropped = (file.syntaxDropped ?? 0) + 1;
  };
  for (const [s, e, code, message] of parser) add(s, e, code, message);
  for (const [s, e] of duplicates) add(s, e, 'DUPLICATE_KEY', () => DUPLICATE_KEY);
  if (duplicates.length) file.syntax.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}

function wholeParse(text: string, maxAliasExpansion: number, index: LineIndex): YamlFile {
  const parsed = parseDocuments(text);
  const list = Array.isArray(parsed) ? parsed : [];
  const file: YamlFile = { index, docs: [], syntax: [] };
  const r = (a: number, b: number) => index.range(Math.min(a, text.length), Math.min(Math.max(a, b), text.length));
  for (const doc of list as Document.Parsed[]) {
    const b = build(doc, maxAliasExpansion, text);
    addProblems(
      file,
      doc.errors.map((e) => [e.pos[0], e.pos[1], e.code, () => parserMessage(e.message)]),
      b.duplicates,
    );
    file.docs.push({
      value: b.value,
      at: new WholeMap(index, b.locs),
      start: doc.range[0],
      // The last document runs to the end of the text, as the parse in pieces has it (the parser may end it
      // earlier: before the final line break of an empty last value with CRLF, or inside an explicit `?` key).
      end: doc === list[list.length - 1] ? text.length : doc.range[2],
      hasErrors: doc.errors.length > 0 || b.duplicates.length > 0,
      ...(b.aliasLimitHit ? { aliasLimitHit: r(b.aliasLimitHit[0], b.aliasLimitHit[1]) } : {}),
    });
  }
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing in pieces.

/** One piece of text parsed on its own: cached by its text, reused wherever (and whenever) it appears. */
export interface Piece {
  value: unknown;
  locs: Map<string, Loc>;
  length: number;
  /** A piece with anchors or aliases keeps its parse and text, to be read with the pieces before it (`withAnchors`). */
  doc?: Document.Parsed;
  text?: string;
  aliases?: boolean;
  /** A piece read in its context (see `inContext`): the parser's syntax problems and the duplicate keys in it. */
  errors?: PieceProblem[];
  duplicates?: [number, number][];
}

/** A syntax problem of a piece, offsets relative to it. */
interface PieceProblem {
  s: number;
  e: number;
  code: string;
  message: string;
}

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
  const fast = fastPiece(text);
  const p = fast ? { value: fast.value, locs: fast.locs, length: text.length } : yamlPiece(text);
  pieces.set(text, p);
  return p;
}

/** A piece read by the `yaml` package (null when it cannot stand for its part of the whole file). */
export function yamlPiece(text: string): Piece | null {
  const docs = parseDocuments(text);
  if (Array.isArray(docs) && docs.length === 1 && !docs[0].errors.length && docs[0].contents !== null) {
    const doc = docs[0] as Document.Parsed;
    const b = build(doc, 0, text);
    if (b.tooDeep || b.duplicates.length) return null;
    // (`build` does not walk keys that are collections: an anchor inside one is found by a visit.)
    if (!b.anchors && !(text.includes('&') && hasAnchor(doc))) return { value: b.value, locs: b.locs, length: text.length };
    return { value: b.value, locs: b.locs, length: text.length, doc, text, aliases: b.aliases };
  }
  return null;
}

function hasAnchor(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, {
    Node(_key, node) {
      if (!(node as { anchor?: string }).anchor) return undefined;
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** The anchors of a document's pieces so far, by name, in document order; and its budget for aliases. */
interface AnchorScope {
  byName: Map<string, { at: number; node: Node; src: string; base: number }[]>;
  budget: { left: number };
}

/**
 * A piece as it reads at `base` after the pieces before it: its aliases expanded from the anchors before them
 * (in it or in those pieces, as YAML resolves them), on the document's budget; its own anchors recorded for the
 * pieces after it. Undefined when the whole parse must decide (the budget ran out, an alias inside what an alias
 * stands for). A piece without anchors or aliases is itself.
 */
function withAnchors(p: Piece, base: number, scope: AnchorScope): Piece | undefined {
  if (!p.doc) return p;
  let out = p;
  if (p.aliases) {
    const b = build(p.doc, 0, p.text!, {
      base,
      budget: scope.budget,
      find: (name, at) => {
        const list = scope.byName.get(name);
        if (!list) return undefined;
        const i = lastAtMost(list, at, (x) => x.at);
        return list[i].at <= at ? list[i] : undefined;
      },
    });
    if (b.tooDeep || b.aliasLimitHit) return undefined;
    out = { value: b.value, locs: b.locs, length: p.length };
  }
  // Pieces come in document order, so each list stays in order of position once this piece's are sorted in.
  const touched = new Set<{ at: number }[]>();
  visit(p.doc, {
    Node(_key, node) {
      const a = (node as { anchor?: string }).anchor;
      if (!a) return;
      const list = scope.byName.get(a) ?? [];
      if (!list.length) scope.byName.set(a, list);
      list.push({ at: base + (node.range?.[0] ?? 0), node: node as Node, src: p.text!, base });
      touched.add(list);
    },
  });
  for (const list of touched) list.sort((x, y) => x.at - y.at);
  return out;
}

/** True when the file was parsed in pieces (tests). */
export const parsedInPieces = (file: YamlFile): boolean => file.docs.some((d) => d.at instanceof ChunkedMap);

/** Drops the pieces kept for reuse (tests). */
export function clearPieces(): void {
  pieces.clear();
  inContextCache.clear();
}

interface Group {
  piece: Piece;
  base: number;
  first: number;
  count: number;
}
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
  constructor(
    private readonly index: LineIndex,
    private readonly root: Loc,
    private readonly entries: Entry[],
  ) {
    for (const e of entries) this.byToken.set(e.token, e);
  }

  private find(p: string): [Loc, number] | undefined {
    if (p === '') return [this.root, 0];
    const slash = p.indexOf('/', 1);
    const token = slash < 0 ? p.slice(1) : p.slice(1, slash);
    const e = this.byToken.get(token);
    if (!e) return undefined;
    if (!e.groups) {
      const l = e.head.locs.get(p);
      return l && [l, e.base];
    }
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

  get(p: string) {
    const f = this.find(p);
    return f && located(this.index, f[1], f[0]);
  }
  has(p: string) {
    return this.find(p) !== undefined;
  }
  [Symbol.iterator](): Iterator<[string, Located]> {
    return this.walk();
  }
  around(offset: number): Iterable<[string, Located]> {
    return { [Symbol.iterator]: () => this.walk(offset) };
  }

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
          const item = itemPointer(p, '')!; // a group's pointers start with the item's index in the group
          yield [`${prefix}/${item.i + g.first}${item.rest}`, located(this.index, g.base, l)];
        }
      }
    }
  }
}

const BLANK_OR_COMMENT = /^[ ]*(#.*)?$/;
const BLANKS = /^[ \t]+$/;
const DOC_START = /^---(?:[ \t]+(?:#.*)?)?$/;
const ENTRY_START = /^[A-Za-z0-9_$.]/;
const SEQ_ITEM = /^( *)-(?:[ \t]|$)/;

/**
 * The file parsed in pieces, or undefined when its layout does not allow it (then the caller parses it
 * whole). Each document must be a block mapping whose keys start in column 0; anything else at column 0
 * (directives, `...`, flow or quoted keys, a top-level sequence) and lone CR line breaks are left to the
 * whole parse. A piece with a syntax error is read again in its context (`inContext`), a piece with aliases
 * after the pieces before it (`withAnchors`); when that cannot show what the whole parse would say, the whole
 * file is parsed.
 */
function* chunked(text: string, groupLines: number, maxAliasExpansion: number): Generator<void, YamlFile | undefined> {
  if (/\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  const index = new LineIndex(text);
  const starts = index.lineStarts;
  const lineCount = starts.length;
  const lineAt = (i: number) => text.slice(starts[i], index.lineEnd(i));
  // A last line of blanks with no line break after it: the parser ends the document where it likes (before the
  // line when the last value is empty), so the whole parse decides.
  if (starts[lineCount - 1] < text.length && BLANKS.test(lineAt(lineCount - 1))) return undefined;

  interface DocPlan {
    start: number;
    entries: number[];
    endLine: number;
    marker: boolean;
  }
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
    if (c === 32 /* space */ || c === 35 /* # */ || (i === lineCount - 1 && starts[i] === text.length)) {
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
    if (!cur) {
      cur = { start: starts[i], entries: [], endLine: lineCount, marker: false };
      plans.push(cur);
    }
    cur.entries.push(i);
  }
  if (!plans.length || plans.some((d) => !d.entries.length)) return undefined;

  const file: YamlFile = { index, docs: [], syntax: [] };
  for (let di = 0; di < plans.length; di++) {
    const plan = plans[di];
    const entries: Entry[] = [];
    const value = dict();
    const lastLine = (k: number) => (k + 1 < plan.entries.length ? plan.entries[k + 1] : plan.endLine) - 1;
    const errors: [number, PieceProblem][] = [];
    const duplicates: [number, number][] = [];
    const scope: AnchorScope = { byName: new Map(), budget: { left: maxAliasExpansion } };
    for (let k = 0; k < plan.entries.length; k++) {
      const first = plan.entries[k];
      const last = lastLine(k);
      // What follows this entry, for reading a piece with a syntax error in its context: the next entry's first
      // piece; nothing at the end of the file; null (cannot tell) before another document.
      const follower = (): After | null | undefined =>
        k + 1 < plan.entries.length
          ? { text: firstPieceText(text, index, plan.entries[k + 1], lastLine(k + 1), groupLines), sameSeq: false }
          : di + 1 < plans.length
            ? null
            : undefined;
      const e = yield* entry(text, index, first, last, groupLines, follower, scope);
      if (!e || Object.prototype.hasOwnProperty.call(value, e.name)) return undefined; // a duplicate key: the whole parse reports it
      entries.push(e);
      for (const [p, base] of e.groups ? e.groups.map((g) => [g.piece, g.base] as const) : [[e.head, e.base] as const]) {
        for (const x of p.errors ?? []) errors.push([base, x]);
        for (const [ds, de] of p.duplicates ?? []) duplicates.push([base + ds, base + de]);
      }
      value[e.name] = e.groups ? e.groups.flatMap((g) => g.piece.value as unknown[]) : (e.head.value as Record<string, unknown>)[e.name];
    }
    const head = entries[0],
      tail = entries[entries.length - 1];
    const rootStart = head.base + head.head.locs.get('')!.s;
    const rootEnd = tail.groups ? tail.seq!.e : tail.base + tail.head.locs.get('')!.e;
    const end = di + 1 < plans.length ? plans[di + 1].start : text.length;
    file.docs.push({
      value,
      at: new ChunkedMap(index, { s: rootStart, e: rootEnd }, entries),
      start: plan.marker ? plan.start : rootStart,
      end,
      ...(errors.length + duplicates.length ? { hasErrors: true } : {}),
    });
    addProblems(
      file,
      errors.map(([base, x]) => [base + x.s, base + x.e, x.code, () => x.message]),
      duplicates,
    );
  }
  return file;
}

/** Item lines of a long block sequence entry (lines first..last: the key line, then items), or undefined. */
function seqItems(text: string, index: LineIndex, first: number, last: number, groupLines: number): number[] | undefined {
  const starts = index.lineStarts;
  if (last - first + 1 < 2 * groupLines || !/^[^#]*:[ \t]*(#.*)?$/.test(text.slice(starts[first], index.lineEnd(first)))) return undefined;
  let items: number[] | undefined = [];
  let indent = -1;
  // Scanned by character codes: no string is made per line of a 50,000-line sequence.
  for (let i = first + 1; i <= last && items; i++) {
    const p = starts[i],
      end = index.lineEnd(i);
    let sp = 0;
    while (p + sp < end && text.charCodeAt(p + sp) === 32) sp++;
    if (p + sp === end || text.charCodeAt(p + sp) === 35 /* # */) continue; // blank or comment
    const next = text.charCodeAt(p + sp + 1);
    const item = text.charCodeAt(p + sp) === 45 /* - */ && (p + sp + 1 === end || next === 32 || next === 9);
    if (indent < 0) {
      if (!item) items = undefined;
      else {
        indent = sp;
        items.push(i);
      }
      continue;
    }
    if (item && sp === indent) items.push(i);
    else if (sp <= indent) items = undefined;
  }
  return items && items.length >= 2 ? items : undefined;
}

/** The index after the last item of the group of items that starts at `g`. */
function groupEnd(items: number[], g: number, groupLines: number): number {
  let h = g + 1;
  while (h < items.length && items[h] - items[g] < groupLines) h++;
  return h;
}

/** The text of an entry's first piece: the entry itself, or its key line(s) and first group of items. */
function firstPieceText(text: string, index: LineIndex, first: number, last: number, groupLines: number): string {
  const starts = index.lineStarts;
  const items = seqItems(text, index, first, last, groupLines);
  if (!items) return text.slice(starts[first], index.lineEndWithBreak(last));
  const h = groupEnd(items, 0, groupLines);
  return text.slice(starts[first], h < items.length ? starts[items[h]] : index.lineEndWithBreak(last));
}

/**
 * One top-level entry (lines first..last), split into groups of items when it is a long block sequence.
 * `follower`: what comes after the entry (see `chunked`).
 */
function* entry(
  text: string,
  index: LineIndex,
  first: number,
  last: number,
  groupLines: number,
  follower: () => After | null | undefined,
  scope: AnchorScope,
): Generator<void, Entry | undefined> {
  const starts = index.lineStarts;
  const base = starts[first];
  const endOf = (line: number) => index.lineEndWithBreak(line);
  const one = (p: Piece | null): string | undefined => {
    if (!p || !p.value || typeof p.value !== 'object' || Array.isArray(p.value)) return undefined;
    const keys = Object.keys(p.value);
    return keys.length === 1 ? keys[0] : undefined;
  };
  // A long block sequence: the key line, then items at one indentation, everything else deeper (or comments).
  const items = seqItems(text, index, first, last, groupLines);
  if (!items) {
    const slice = text.slice(base, endOf(last));
    let head = piece(slice);
    if (!head) {
      const after = follower();
      head = after === null ? null : inContext('', slice, after, undefined);
    }
    head = head && (withAnchors(head, base, scope) ?? null);
    yield;
    const name = one(head);
    return name === undefined ? undefined : { name, token: escapePointer(name), head: head!, base };
  }
  const headText = text.slice(base, starts[items[0]]);
  const head = piece(headText);
  const name = one(head);
  if (name === undefined || (head!.value as Record<string, unknown>)[name] !== null) return undefined;
  const groups: Group[] = [];
  let count = 0;
  for (let g = 0; g < items.length;) {
    const h = groupEnd(items, g, groupLines);
    const from = starts[items[g]];
    const to = h < items.length ? starts[items[h]] : endOf(last);
    const slice = text.slice(from, to);
    let p = piece(slice);
    if (!p) {
      // The next group, or what follows the entry.
      const hh = h < items.length ? groupEnd(items, h, groupLines) : 0;
      const after = h < items.length ? { text: text.slice(to, hh < items.length ? starts[items[hh]] : endOf(last)), sameSeq: true } : follower();
      p = after === null ? null : inContext(headText, slice, after, name);
    }
    p = p && (withAnchors(p, from, scope) ?? null);
    yield; // a point where an asynchronous caller may let other work run
    if (!p || !Array.isArray(p.value) || (!p.errors?.length && p.value.length !== h - g)) return undefined;
    groups.push({ piece: p, base: from, first: count, count: p.value.length });
    count += p.value.length;
    g = h;
  }
  const key = head!.locs.get(`/${escapePointer(name)}`)!;
  const a = groups[0],
    z = groups[groups.length - 1];
  const seq: Loc = { s: a.base + a.piece.locs.get('')!.s, e: z.base + z.piece.locs.get('')!.e, ks: base + key.ks!, ke: base + key.ke! };
  return { name, token: escapePointer(name), head: head!, base, groups, seq };
}

/** What follows a piece: the next group of items of the same sequence, or the next top-level entry's first piece. */
interface After {
  text: string;
  sameSeq: boolean;
}

/** Pieces with a syntax error read in their context (see `inContext`), by their context's text. */
const inContextCache = new Lru<Piece | null>(Infinity, 2_000_000, (key) => key.length);

/**
 * A piece with a syntax problem (`region`), read as the whole parse reads it: after `head` (the key line of the
 * sequence its items belong to, or nothing for a top-level entry) and before `after` (undefined at the end of the
 * file). It stands for the whole parse only if every problem lies inside the region and what follows reads
 * exactly as it does on its own — the problem did not run on into the rest of the file (an unclosed quote or
 * bracket would). Otherwise null: the whole file is parsed.
 * `name`: the sequence's key for a group of items; undefined for a top-level entry.
 */
function inContext(head: string, region: string, after: After | undefined, name: string | undefined): Piece | null {
  const key = `${name ?? ''}\u0000${head}\u0000${region}\u0000${after ? `${after.sameSeq}\u0000${after.text}` : 'end'}`;
  const hit = inContextCache.get(key);
  if (hit !== undefined) return hit;
  const result = readInContext(own(head), own(region), after && { text: own(after.text), sameSeq: after.sameSeq }, name);
  inContextCache.set(key, result);
  return result;
}

/**
 * True when no quoted scalar or flow collection is left open at the end of any line of `text`: the constructs
 * whose problems run on into the lines after them, where a reading of what follows cannot always tell (an
 * unclosed `{` that a later `}` closes). A quote or bracket inside a plain word (`don't`, `a[1]`) is text.
 */
function closedOnEachLine(text: string): boolean {
  let depth = 0,
    quote = 0,
    tokenStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      if (depth || quote) return false;
      tokenStart = true;
      continue;
    }
    if (quote) {
      if (quote === 34 && c === 92 /* \\ */) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      tokenStart = true;
      continue;
    }
    if (c === 35 /* # */ && tokenStart) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++; // a comment
      continue;
    }
    if ((c === 34 || c === 39) && (tokenStart || depth)) quote = c;
    else if ((c === 91 || c === 123) && (tokenStart || depth)) depth++;
    else if ((c === 93 || c === 125) && depth) depth--;
    tokenStart = c === 44 /* , */ || c === 91 || c === 123 || c === 58 /* : */ || c === 45 /* - */ || c === 63; /* ? */
  }
  return !depth && !quote;
}

/** A line that can only start a top-level entry: a key, its `:`, then a blank or the line end. */
const KEY_LINE = /^[A-Za-z0-9_$.][^:#\r\n]*:(?:[ \t]|\r?\n|$)/;

function readInContext(head: string, region: string, after: After | undefined, name: string | undefined): Piece | null {
  // A top-level entry whose first line is not plainly a key (`i` alone, `a b`): the whole parse may read it as
  // part of what comes before.
  if (name === undefined && !KEY_LINE.test(region)) return null;
  if (!closedOnEachLine(region)) return null;
  const rs = head.length,
    re = rs + region.length;
  const all = head + region + (after?.text ?? '');
  const docs = parseDocuments(all);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].contents === null) return null;
  const doc = docs[0] as Document.Parsed;
  const b = build(doc, 0, all);
  if (b.anchors || b.tooDeep || b.aliasLimitHit || !isPlainMap(b.value)) return null;
  const obj = b.value;
  // Every problem inside the region (at its very end only when nothing follows).
  const inside = (s: number, e: number) => s >= rs && e <= re && (s < re || after === undefined);
  if (!doc.errors.every((e) => inside(e.pos[0], e.pos[1])) || !b.duplicates.every(([s, e]) => inside(s, e))) return null;
  const seqPointer = name === undefined ? undefined : `/${escapePointer(name)}`;
  let kept: number | undefined; // with the next group after it: how many items are the region's
  let followerKeys: string[] = [];
  if (after) {
    // What follows, on its own: the same data, at the same places (shifted past the region), and nothing more.
    const ownText = after.sameSeq ? head + after.text : after.text;
    const ownDocs = parseDocuments(ownText);
    if (!Array.isArray(ownDocs) || ownDocs.length !== 1 || ownDocs[0].errors.length) return null;
    const o = build(ownDocs[0] as Document.Parsed, 0, ownText);
    if (o.anchors || o.duplicates.length || !isPlainMap(o.value)) return null;
    const theirs = o.value;
    let shift = (p: string) => p;
    if (after.sameSeq) {
      const mine = obj[name!];
      const next = theirs[name!];
      if (Object.keys(obj).length !== 1 || Object.keys(theirs).length !== 1 || !Array.isArray(mine) || !Array.isArray(next) || mine.length < next.length)
        return null;
      const k = (kept = mine.length - next.length);
      if (!isDeepStrictEqual(mine.slice(k), next)) return null;
      shift = (p) => {
        const item = itemPointer(p, seqPointer!);
        return item ? `${seqPointer}/${item.i + k}${item.rest}` : p;
      };
    } else {
      followerKeys = Object.keys(theirs);
      for (const k of followerKeys) if (!Object.prototype.hasOwnProperty.call(obj, k) || !isDeepStrictEqual(obj[k], theirs[k])) return null;
    }
    const headLen = after.sameSeq ? head.length : 0;
    const moved = (x: number | undefined) => (x === undefined || x < headLen ? x : x - headLen + re);
    const skip = (p: string) => p === '' || (after.sameSeq && p === seqPointer);
    let n = 0;
    for (const [p, l] of o.locs) {
      if (skip(p)) continue;
      const m = b.locs.get(shift(p));
      if (!m || m.s !== moved(l.s) || m.e !== moved(l.e) || m.ks !== moved(l.ks) || m.ke !== moved(l.ke)) return null;
      n++;
    }
    let beyond = 0;
    for (const [p, l] of b.locs) if (!skip(p) && l.s >= re) beyond++;
    if (beyond !== n) return null;
  }
  // The region's own reading, relative to it.
  const rel = (x: number | undefined) => (x === undefined ? undefined : x - rs);
  const errors = doc.errors.map((e) => ({ s: e.pos[0] - rs, e: e.pos[1] - rs, code: e.code, message: parserMessage(e.message) }));
  const duplicates = b.duplicates.map(([s, e]) => [s - rs, e - rs] as [number, number]);
  const locs = new Map<string, Loc>();
  const mineKeys = Object.keys(obj).filter((k) => !followerKeys.includes(k));
  if (name === undefined) {
    // A top-level entry: one key of its own.
    if (mineKeys.length !== 1) return null;
    const k = mineKeys[0];
    const prefix = `/${escapePointer(k)}`;
    const root = b.locs.get('')!;
    locs.set('', { s: root.s, e: root.e });
    for (const [p, l] of b.locs) if (p === prefix || p.startsWith(`${prefix}/`)) locs.set(p, l);
    const value = dict();
    value[k] = obj[k];
    return { value, locs, length: region.length, errors, duplicates };
  }
  // A group of items: the sequence is the root, as in a piece of items.
  const items = obj[name];
  const seq = b.locs.get(seqPointer!);
  if (mineKeys.length !== 1 || mineKeys[0] !== name || !Array.isArray(items) || !seq) return null;
  const count = kept ?? items.length;
  locs.set('', { s: seq.s - rs, e: seq.e - rs });
  for (const [p, l] of b.locs) {
    const item = itemPointer(p, seqPointer!);
    if (item && item.i < count) locs.set(`/${item.i}${item.rest}`, { s: l.s - rs, e: l.e - rs, ks: rel(l.ks), ke: rel(l.ke) });
  }
  return { value: items.slice(0, count), locs, length: region.length, errors, duplicates };
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `/steps/12/node` under the sequence `/steps`: the item's index (12) and what follows it (`/node`). */
function itemPointer(p: string, seq: string): { i: number; rest: string } | undefined {
  if (!p.startsWith(`${seq}/`)) return undefined;
  const slash = p.indexOf('/', seq.length + 1);
  return { i: Number(slash < 0 ? p.slice(seq.length + 1) : p.slice(seq.length + 1, slash)), rest: slash < 0 ? '' : p.slice(slash) };
}

// ---------------------------------------------------------------------------------------------------------
// The nesting guard.

/**
 * An upper bound of how deeply the text nests, in one linear pass, with the offset where it is deepest: block
 * indentation levels (block scalars skipped), plus `- ` and `? ` indicators that open a collection on the same
 * line, plus open `[`/`{` outside quoted scalars and comments. It may overcount (it never parses), never
 * undercount a collection the parser would open.
 */
export function nestingDepth(text: string): { depth: number; at: number } {
  const indents: number[] = [];
  let flow = 0,
    max = 0,
    at = 0;
  let blockScalarParent = -1; // while >= 0: inside a block scalar whose parent line had this indentation
  const n = text.length;
  for (let ls = 0; ls < n;) {
    let le = text.indexOf('\n', ls);
    if (le < 0) le = n;
    let i = ls;
    while (i < le && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const indent = i - ls;
    const blank = i >= le || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 35; /* # */
    if (blockScalarParent >= 0 && (blank || indent > blockScalarParent)) {
      ls = le + 1;
      continue;
    }
    blockScalarParent = -1;
    if (blank && flow === 0) {
      ls = le + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
    }
    let inline = 0;
    let tokenStart = true;
    let last = -1; // last character that is not a blank or part of a comment
    for (; i < le; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) {
        tokenStart = true;
        continue;
      }
      if (c === 35 /* # */ && tokenStart) break; // a comment
      if (
        (c === 45 /* - */ || c === 63 /* ? */ || c === 58) /* : */ &&
        tokenStart &&
        (i + 1 >= le || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)
      ) {
        if (flow === 0) inline++;
      } else if ((c === 39 /* ' */ || c === 34) /* " */ && tokenStart) {
        // A quoted scalar: skip to its end on this line (one spanning lines goes on counting: an overcount).
        for (i++; i < le && text.charCodeAt(i) !== c; i++) if (c === 34 && text.charCodeAt(i) === 92 /* \\ */) i++;
      } else if (c === 91 || c === 123) {
        if (++flow + indents.length + inline > max) {
          max = flow + indents.length + inline;
          at = i;
        }
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
      last = i;
      tokenStart = c === 44 /* , */ || c === 91 || c === 123;
    }
    if (indents.length + inline + flow > max) {
      max = indents.length + inline + flow;
      at = ls + indent;
    }
    // `key: |`, `- >-` and the like: the lines after it, indented more, are text.
    if (flow === 0 && last >= 0) {
      let j = last;
      while (j > ls && /[0-9+-]/.test(text[j])) j--;
      if ((text[j] === '|' || text[j] === '>') && (j === ls + indent || text[j - 1] === ' ')) blockScalarParent = indent;
    }
    ls = le + 1;
  }
  return { depth: max, at };
}

/**
 * `s` written as a YAML scalar that reads back as exactly this string, in block and in flow context alike (a
 * fix may put it inside `[ … ]`): plain when that is unambiguous (`pub-1`, `/opt/iplanet`), otherwise quoted —
 * `007` stays the string "007", not the number 7, and `/srv/a: b #c` is neither a mapping nor a comment.
 */
export function yamlScalar(s: string): string {
  if (s.length <= 200 && /^[A-Za-z0-9_/][A-Za-z0-9_./()-]*$/.test(s)) {
    try {
      if (parse(s) === s) return s;
    } catch {
      /* not plain, then */
    }
  }
  // Single quotes need no escapes but cannot hold line breaks or control characters faithfully.
  return /[\u0000-\u001f\u007f\u2028\u2029]/.test(s) ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
}

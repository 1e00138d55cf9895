/**
 * Document formatting, for the editor's "Format Document" and "Format Selection": the edits that make a file
 * look the way its guide writes it, changing only whitespace that carries no meaning. Every edit covers
 * whitespace alone (or inserts a final line break), and only lines that change get one, so the editor's cursor
 * and undo stay where the user expects; a file already formatted gets none.
 *
 * `key=value` files (ACNS meta files, CUPM dfc.properties):
 * - A key line loses the blanks before its key and around its separator. The guides write `key=value` with
 *   nothing around the `=`: the ACNS guide's sample meta files, /work/shared/reference/002_d3c51637eab2c60e.txt
 *   lines 156, 160–161 (`updateFileSize=97205475`, `user=anonymous`) and 203, 207–209 (`CDM-IP=1.1.1.1`); the
 *   CUPM guide's dfc.properties keys, 001_7dabcab64ae766de.txt lines 1034–1037 and 1113–1116
 *   (`dfc.jboss.port=46008`) and 1186 (`dfc.postgres.host=<New DB Server IP Address>`). The same ACNS samples
 *   also write `version= 5.1.0.b.26` (lines 157–159, 204–206): in a meta file both forms are the guide's, so
 *   the blanks after `=` become one blank when there are any and stay none when there are none (our parser reads
 *   them as nothing); a properties file loses them, as every dfc.properties line of the CUPM guide is written.
 * - A properties line keeps its separator character: `key: value` becomes `key:value` (never `key=value`), and a
 *   blank separator (`key   value`) becomes one space. A blank separator before an empty value is left alone
 *   (`key ` would otherwise lose the only sign that it has a value).
 * - Never touched: a key's own characters (escapes such as `\=` and `\ ` included), the value and everything
 *   after its first character — blanks inside it and after it (Java keeps trailing blanks as part of the value;
 *   meta files are treated the same), the continuation backslash — and every continuation line of a properties
 *   value, and any line of an entry the parser reports a syntax problem on.
 * - Blank lines lose their blanks and comment lines their trailing blanks: both parsers ignore those lines
 *   entirely, so the blanks mean nothing, and they are the only trailing blanks a formatter may take away here.
 *   A comment's indentation and text stay as written.
 * - The line breaks stay as they are (CRLF stays CRLF); a missing final line break is added (with the file's own
 *   break) unless the last line is part of a syntax problem.
 *
 * Upgrade manifests (YAML), from the `yaml` package's concrete syntax tree, conservatively:
 * - Block mappings and sequences are indented `tabSize` spaces (default 2) per level; a sequence written at its
 *   key's own indentation (`steps:` then `- id: …`) stays so; the content after `- ` of a sequence item starts two
 *   columns after the dash. Comment lines are indented like the level they sit at (the deepest enclosing
 *   collection whose old indentation is not deeper than the comment's).
 * - `key:   value` becomes `key: value`, `key  : value` becomes `key: value` (not for an alias key, whose
 *   blank is needed), `-   item` becomes `- item`; only in block style, never inside a flow collection.
 * - Lines inside a multi-line token (block scalar body, multi-line plain or quoted scalar, flow collection) move
 *   with their collection, by the same number of columns, so what they hold never changes (a block scalar's
 *   content is relative to its indentation, an explicit indentation indicator included); they are not reflowed.
 * - Trailing blanks are removed outside block scalar bodies, quoted and multi-line plain scalars and flow
 *   collections; blank lines lose their blanks; the file ends with exactly one line break (not after a block
 *   scalar that ends the file, where the break could be content).
 * - Nothing is done to a file with a syntax error, a duplicate key, a lone CR line break, nesting deeper than the
 *   linter accepts, or any line this module cannot account for. Finally the edited text is parsed again: unless
 *   every document has the same data (node by node, aliases unexpanded, styles, tags and anchors included) and
 *   the file the same comments in the same order, no edit is returned.
 * - Tabs are never written (YAML indentation cannot hold them), whatever `insertSpaces` says.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type CST, type Document } from 'yaml';
import { parseMeta, parseProperties, type Entry } from '../parse/kv';
import { MAX_NESTING, nestingDepth } from '../parse/yaml';
import { LineIndex, looksBinary } from '../text';
import type { FileKind, Range, TextEdit } from '../types';

export interface FormatOptions {
  /** Spaces per indentation level of a manifest (1–8; default 2). */
  tabSize?: number;
  /** Ignored: no format here may be indented with tabs. */
  insertSpaces?: boolean;
}

/** One replacement in the original text (offsets). `indent`: it changes a line's indentation. */
interface Change {
  start: number;
  end: number;
  text: string;
  indent?: boolean;
}

/** The edits that format the whole text. */
export function formatDocument(kind: FileKind, text: string, options: FormatOptions = {}): TextEdit[] {
  return toEdits(text, changesFor(kind, text, options));
}

/**
 * The edits of `formatDocument` that lie on the lines of `range` (a range ending at the start of a line leaves
 * that line out). For a manifest, indentation changed on some lines of a block and not on others could change
 * the data: when the edits in the range do not keep the data, only those that do not touch indentation are kept,
 * and none when even those do not.
 */
export function formatRange(kind: FileKind, text: string, range: Range, options: FormatOptions = {}): TextEdit[] {
  const all = changesFor(kind, text, options);
  if (!all.length) return [];
  const index = new LineIndex(text);
  const first = range.start.line;
  const last = range.end.character === 0 && range.end.line > first ? range.end.line - 1 : range.end.line;
  let picked = all.filter((c) => index.positionAt(c.start).line >= first && index.positionAt(c.end).line <= last);
  if (kind === 'upgrade-manifest' && picked.length && picked.length < all.length) {
    const before = readYaml(text);
    const keeps = (cs: Change[]) => {
      const after = before && readYaml(apply(text, cs));
      return !!before && !!after && sameYaml(before, after);
    };
    if (!keeps(picked)) {
      picked = picked.filter((c) => !c.indent);
      if (!keeps(picked)) picked = [];
    }
  }
  return toEdits(text, picked);
}

function changesFor(kind: FileKind, text: string, options: FormatOptions): Change[] {
  if (!text.length || looksBinary(text)) return [];
  if (kind === 'upgrade-manifest') return formatYaml(text, tabSizeOf(options)) ?? [];
  return formatKv(kind === 'cupm-properties', text);
}

const tabSizeOf = (o: FormatOptions) => (Number.isInteger(o.tabSize) && o.tabSize! >= 1 && o.tabSize! <= 8 ? o.tabSize! : 2);

function toEdits(text: string, changes: Change[]): TextEdit[] {
  if (!changes.length) return [];
  const index = new LineIndex(text);
  return [...changes].sort((a, b) => a.start - b.start).map((c) => ({ range: index.range(c.start, c.end), newText: c.text }));
}

function apply(text: string, changes: Change[]): string {
  const sorted = [...changes].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const c of sorted) {
    out += text.slice(pos, c.start) + c.text;
    pos = c.end;
  }
  return out + text.slice(pos);
}

/** The line break that ends the last line having one ('\n' when none does). */
function lastBreak(index: LineIndex): string {
  const n = index.lineCount;
  return n < 2 ? '\n' : index.text.slice(index.lineEnd(n - 2), index.lineStarts[n - 1]);
}

// ---------------------------------------------------------------------------------------------------------
// key=value files

/** The blanks of both kv parsers (server/engine/parse/kv.ts): space, tab, form feed. */
const isKvBlank = (c: number) => c === 32 || c === 9 || c === 12;

function formatKv(props: boolean, text: string): Change[] {
  const doc = props ? parseProperties(text) : parseMeta(text);
  const { index } = doc;
  const n = index.lineCount;
  // Lines of a syntax problem are left as written (a difference array: linear however long the problems).
  const diff = new Int32Array(n + 1);
  for (const p of doc.syntax) {
    diff[p.range.start.line]++;
    diff[Math.min(n, p.range.end.line + 1)]--;
  }
  const troubled = new Uint8Array(n);
  for (let i = 0, run = 0; i < n; i++) troubled[i] = (run += diff[i]) > 0 ? 1 : 0;
  const entries = new Map<number, Entry>();
  for (const e of doc.entries) entries.set(e.line, e);

  const out: Change[] = [];
  const code = (i: number) => text.charCodeAt(i);
  const skip = (i: number, end: number) => {
    while (i < end && isKvBlank(code(i))) i++;
    return i;
  };
  let lastBlank = false;
  for (let line = 0; line < n;) {
    const ls = index.lineStarts[line];
    const le = index.lineEnd(line);
    const first = skip(ls, le);
    lastBlank = first === le;
    if (first === le) {
      if (le > ls) out.push({ start: ls, end: le, text: '' });
      line++;
      continue;
    }
    if (text[first] === '#' || (props && text[first] === '!')) {
      let t = le;
      while (t > first && isKvBlank(code(t - 1))) t--;
      if (t < le) out.push({ start: t, end: le, text: '' });
      line++;
      continue;
    }
    // The physical lines of this logical line, exactly as parseProperties joins them.
    let end = line;
    if (props) {
      let segStart = first;
      for (;;) {
        const pe = index.lineEnd(end);
        let backslashes = 0;
        for (let i = pe - 1; i >= segStart && code(i) === 92; i--) backslashes++;
        if (backslashes % 2 === 0 || end + 1 >= n) break;
        end++;
        segStart = skip(index.lineStarts[end], index.lineEnd(end));
      }
    }
    const e = entries.get(line);
    let ok = !!e;
    for (let l = line; l <= end && ok; l++) if (troubled[l]) ok = false;
    if (e && ok) kvLine(props, text, e, ls, le, first, out);
    line = end + 1;
  }
  // A missing final line break; not after a line the parser could not read (a dangling continuation among them).
  const lastLine = n - 1;
  if (index.lineStarts[lastLine] < text.length && !lastBlank && !troubled[lastLine]) out.push({ start: text.length, end: text.length, text: lastBreak(index) });
  return out;
}

/** The changes of one key line: blanks before the key, blanks around the separator. */
function kvLine(props: boolean, text: string, e: Entry, ls: number, le: number, first: number, out: Change[]): void {
  if (e.keyStart !== first) return; // a key that does not start its line (a properties line of a lone `\`)
  if (first > ls) out.push({ start: ls, end: first, text: '', indent: true });
  const r0 = e.keyEnd;
  const r1 = e.valueStart;
  if (r0 < first || r1 > le || r1 < r0) return; // the value starts on a continuation line: separator left alone
  let i = r0;
  while (i < r1 && isKvBlank(text.charCodeAt(i))) i++;
  const sepAt = i;
  const sep = i < r1 && (text[i] === '=' || (props && text[i] === ':'));
  if (sep) i++;
  let j = i;
  while (j < r1 && isKvBlank(text.charCodeAt(j))) j++;
  if (j !== r1) return; // anything but blanks and one separator between key and value: not ours to touch
  if (sep) {
    if (sepAt > r0) out.push({ start: r0, end: sepAt, text: '' });
    // After a meta file's `=`: the guide writes both `updateFileSize=97205475` and `version= 5.1.0.b.26`, so one
    // blank is kept where the user wrote blanks (several become one); a properties file loses them.
    // An empty value keeps no blank after its `=`.
    const after = props || e.valueEnd === e.valueStart ? '' : ' ';
    if (r1 > sepAt + 1 && text.slice(sepAt + 1, r1) !== after) out.push({ start: sepAt + 1, end: r1, text: after });
    return;
  }
  // A blank separator (properties only: a meta key line always has its `=`).
  if (!props || r1 === r0 || e.valueEnd === e.valueStart) return;
  if (r1 - r0 !== 1 || text[r0] !== ' ') out.push({ start: r0, end: r1, text: ' ' });
}

// ---------------------------------------------------------------------------------------------------------
// YAML manifests

/** The linter's parse options; duplicate keys are found below in linear time (`uniqueKeys` is quadratic). */
const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true } as const;

interface YamlRead {
  docs: Document.Parsed[];
  comments: string[];
}

/** Documents and comments of a text; undefined when it has a syntax error or a duplicate key. */
function readYaml(text: string, tokens?: CST.Token[]): YamlRead | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // one Error per syntax problem; no stack is ever used
  try {
    tokens ??= Array.from(new Parser().parse(text));
    const docs = Array.from(new Composer(YAML_OPTIONS).compose(tokens));
    if (docs.some((d) => d.errors.length > 0 || hasDuplicateKey(d.contents))) return undefined;
    const comments: string[] = [];
    for (const t of tokens) cstComments(t, comments);
    return { docs, comments };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function trimBlanksEnd(s: string): string {
  let e = s.length;
  while (e > 0 && (s.charCodeAt(e - 1) === 32 || s.charCodeAt(e - 1) === 9 || s.charCodeAt(e - 1) === 13)) e--;
  return s.slice(0, e);
}

/** Every comment of a CST token, in source order, without its trailing blanks. */
function cstComments(t: CST.Token | undefined | null, out: string[]): void {
  if (!t) return;
  const all = (ts: CST.Token[] | undefined) => ts?.forEach((x) => cstComments(x, out));
  switch (t.type) {
    case 'comment':
      out.push(trimBlanksEnd(t.source));
      return;
    case 'document':
      all(t.start);
      cstComments(t.value, out);
      all(t.end);
      return;
    case 'doc-end':
      all(t.end);
      return;
    case 'block-scalar':
      all(t.props);
      return;
    case 'scalar':
    case 'alias':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
      all(t.end);
      return;
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      if (t.type === 'flow-collection') cstComments(t.start, out);
      for (const it of t.items) {
        all(it.start);
        cstComments(it.key, out);
        all(it.sep);
        cstComments(it.value, out);
      }
      if (t.type === 'flow-collection') all(t.end);
      return;
  }
}

function hasDuplicateKey(node: unknown): boolean {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const p of node.items) {
      if (isScalar(p.key)) {
        const k = `${typeof p.key.value}:${String(p.key.value)}`;
        if (seen.has(k)) return true;
        seen.add(k);
      }
      if (hasDuplicateKey(p.key) || hasDuplicateKey(p.value)) return true;
    }
  } else if (isSeq(node)) {
    for (const x of node.items) if (hasDuplicateKey(x)) return true;
  }
  return false;
}

function sameYaml(a: YamlRead, b: YamlRead): boolean {
  if (a.docs.length !== b.docs.length || a.comments.length !== b.comments.length) return false;
  if (a.comments.some((c, i) => c !== b.comments[i])) return false;
  return a.docs.every((d, i) => sameNode(d.contents, b.docs[i].contents));
}

/** The same data, node by node: values, styles, tags, anchors; aliases by name (never expanded). */
function sameNode(x: unknown, y: unknown): boolean {
  if (x === null || x === undefined || y === null || y === undefined) return (x ?? null) === (y ?? null);
  if (isScalar(x)) return isScalar(y) && Object.is(x.value, y.value) && x.type === y.type && x.tag === y.tag && x.anchor === y.anchor;
  if (isAlias(x)) return isAlias(y) && x.source === y.source;
  if (isPair(x)) return isPair(y) && sameNode(x.key, y.key) && sameNode(x.value, y.value);
  if ((isMap(x) && isMap(y)) || (isSeq(x) && isSeq(y))) {
    const xs = x.items as unknown[];
    const ys = y.items as unknown[];
    return x.flow === y.flow && x.tag === y.tag && x.anchor === y.anchor && xs.length === ys.length && xs.every((v, i) => sameNode(v, ys[i]));
  }
  return false;
}

function formatYaml(text: string, tabSize: number): Change[] | undefined {
  if (/\r(?!\n)/.test(text) || nestingDepth(text).depth > MAX_NESTING) return undefined;
  const tokens = (() => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return Array.from(new Parser().parse(text));
    } finally {
      Error.stackTraceLimit = limit;
    }
  })();
  const before = readYaml(text, tokens);
  if (!before) return undefined;
  let changes: Change[];
  try {
    changes = new YamlFormatter(text, tabSize).run(tokens);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  if (!changes.length) return changes;
  const after = readYaml(apply(text, changes));
  return after && sameYaml(before, after) ? changes : undefined;
}

/** Thrown on anything the formatter does not fully understand: the file is then left as it is. */
class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

/** A block collection's indentation before (`old`) and after (`neu`) formatting, inside its parent's. */
interface Level {
  old: number;
  neu: number;
  up?: Level;
}

/** What a line gets: a new indentation, its indentation moved by some columns, or nothing (only trailing blanks). */
type Claim = { k: 'indent'; col: number } | { k: 'shift'; delta: number; body: boolean } | { k: 'keep' };

const delta = (l: Level | undefined) => (l ? l.neu - l.old : 0);

class YamlFormatter {
  private readonly index: LineIndex;
  private readonly claims: (Claim | undefined)[];
  /** Offset of each line's first character that is not a space or tab (its end when there is none). */
  private readonly firsts: Int32Array;
  /** Where each line's indentation starts (after the byte order mark on line 0). */
  private readonly bases: Int32Array;
  /** Spans whose trailing blanks are kept (scalars, flow collections, block scalar bodies), sorted by start. */
  private readonly kept: [number, number][] = [];
  private readonly changes: Change[] = [];

  constructor(
    private readonly text: string,
    private readonly tab: number,
  ) {
    this.index = new LineIndex(text);
    const n = this.index.lineCount;
    this.claims = new Array<Claim | undefined>(n);
    this.firsts = new Int32Array(n);
    this.bases = new Int32Array(n);
    for (let l = 0; l < n; l++) {
      let i = this.index.lineStarts[l];
      if (l === 0 && text.charCodeAt(0) === 0xfeff) i++;
      this.bases[l] = i;
      const le = this.index.lineEnd(l);
      while (i < le && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      this.firsts[l] = i;
    }
  }

  private line(offset: number): number {
    return this.index.positionAt(offset).line;
  }
  private col(offset: number): number {
    return offset - this.bases[this.line(offset)];
  }
  private isFirst(offset: number): boolean {
    const l = this.line(offset);
    return this.firsts[l] === offset && offset < this.index.lineEnd(l);
  }

  private claim(line: number, c: Claim): void {
    const had = this.claims[line];
    if (had) {
      const same =
        had.k === c.k &&
        (had.k !== 'indent' || had.col === (c as typeof had).col) &&
        (had.k !== 'shift' || (had.delta === (c as typeof had).delta && had.body === (c as typeof had).body));
      if (!same) unsupported();
    }
    this.claims[line] = c;
  }

  /** A comment starting its line: indented like the deepest level not deeper than it. */
  private comment(t: CST.SourceToken, level: Level | undefined): void {
    if (!this.isFirst(t.offset)) return;
    const i = this.col(t.offset);
    let col = level ? 0 : i;
    for (let l = level; l; l = l.up)
      if (l.old <= i) {
        col = l.neu;
        break;
      }
    this.claim(this.line(t.offset), { k: 'indent', col });
  }

  /** Tokens that may only be blanks, line breaks and comments. */
  private trivia(ts: CST.SourceToken[] | undefined, level: Level | undefined): void {
    for (const t of ts ?? []) {
      if (t.type === 'comment') this.comment(t, level);
      else if (t.type !== 'space' && t.type !== 'newline') unsupported();
    }
  }

  /** A blank token replaced by one space. */
  private oneSpace(t: CST.SourceToken): void {
    if (t.source !== ' ') this.changes.push({ start: t.offset, end: t.offset + t.source.length, text: ' ' });
  }

  run(tokens: CST.Token[]): Change[] {
    for (const t of tokens) {
      switch (t.type) {
        case 'document':
          this.document(t);
          break;
        case 'doc-end':
        case 'directive':
        case 'comment':
          if (this.isFirst(t.offset)) this.claim(this.line(t.offset), { k: 'keep' });
          if (t.type === 'doc-end') this.trivia(t.end as CST.SourceToken[] | undefined, undefined);
          break;
        case 'byte-order-mark':
        case 'space':
        case 'newline':
          break;
        default:
          unsupported();
      }
    }
    this.lines();
    return this.changes;
  }

  private document(doc: CST.Document): void {
    const v = doc.value;
    const block = v && (v.type === 'block-map' || v.type === 'block-seq') ? v : undefined;
    const root: Level | undefined = block && { old: block.indent, neu: 0 };
    let startLine = -1;
    for (const t of doc.start) {
      if (t.type === 'doc-start') {
        if (!this.isFirst(t.offset)) unsupported();
        startLine = this.line(t.offset);
        this.claim(startLine, { k: 'keep' });
      } else if (t.type === 'anchor' || t.type === 'tag') {
        if (this.isFirst(t.offset)) unsupported();
      } else this.trivia([t], root);
    }
    if (block) {
      if (this.line(block.offset) === startLine) unsupported();
      this.collection(block, root!);
    } else if (v) this.leaf(v, undefined, true);
    this.trivia(doc.end, root);
  }

  /** The first token of an item: at the collection's column; the line gets the collection's new one. */
  private itemStart(offset: number, level: Level): void {
    if (this.col(offset) !== level.old) unsupported();
    if (this.isFirst(offset)) this.claim(this.line(offset), { k: 'indent', col: level.neu });
  }

  private collection(c: CST.Token, level: Level): void {
    if (c.type === 'block-map') {
      for (const item of c.items) {
        if (item.explicitKey) unsupported();
        let first: CST.SourceToken | undefined;
        for (const t of item.start) {
          if (t.type === 'anchor' || t.type === 'tag') first ??= t;
          else if (first && t.type !== 'space')
            unsupported(); // the key's properties, then the key on their line
          else this.trivia([t], level);
        }
        if (!item.sep && !item.key) {
          if (first) unsupported();
          continue; // comments after the last entry
        }
        if (!item.key || !item.sep) unsupported();
        this.itemStart((first ?? item.key!).offset, level);
        this.key(item.key!);
        const sep = item.sep!;
        const colon = sep.findIndex((t) => t.type === 'map-value-ind');
        if (colon < 0) unsupported();
        for (let i = 0; i < colon; i++) if (sep[i].type !== 'space') unsupported();
        // `key  : value`: the blanks before the colon go (an alias key needs them: `*a:` would name `a:`).
        if (colon > 0 && item.key!.type !== 'alias') this.changes.push({ start: sep[0].offset, end: sep[colon].offset, text: '' });
        this.valuePrefix(sep.slice(colon + 1), item.value, this.line(sep[colon].offset), level, false);
      }
    } else if (c.type === 'block-seq') {
      for (const item of c.items) {
        const dash = item.start.findIndex((t) => t.type === 'seq-item-ind');
        if (dash < 0) {
          if (item.value) unsupported();
          this.trivia(item.start, level);
          continue;
        }
        this.trivia(item.start.slice(0, dash), level);
        const ind = item.start[dash];
        this.itemStart(ind.offset, level);
        this.valuePrefix(item.start.slice(dash + 1), item.value, this.line(ind.offset), level, true);
      }
    } else unsupported();
  }

  /** An implicit key: one line, a scalar, an alias or a flow collection. */
  private key(k: CST.Token): void {
    if (k.type === 'scalar' || k.type === 'alias' || k.type === 'single-quoted-scalar' || k.type === 'double-quoted-scalar') {
      if (k.source.includes('\n') || k.source.includes('\r') || k.end?.some((t) => t.type !== 'space')) unsupported();
      return;
    }
    if (k.type === 'flow-collection') {
      const end = flowEnd(k);
      if (end === undefined || this.line(end) !== this.line(k.offset)) unsupported();
      if (k.end.slice(1).some((t) => t.type !== 'space')) unsupported();
      this.kept.push([k.offset, end! + 1]);
      return;
    }
    unsupported();
  }

  /**
   * What follows an indicator (`:` of an entry or `-` of an item) up to its value: the blank after the indicator
   * becomes one space when content follows on the line; comments are indented like the value's level.
   */
  private valuePrefix(ts: CST.SourceToken[], value: CST.Token | undefined, indLine: number, owner: Level, seqItem: boolean): void {
    const later = !!value && this.line(value.offset) > indLine;
    let level: Level = owner;
    if (value && (value.type === 'block-map' || value.type === 'block-seq')) {
      if (!later) {
        // Compact: `- key: value`, `- - x`; only `- ` may come between.
        if (!seqItem || ts.length !== 1 || ts[0].type !== 'space' || ts[0].source.includes('\t')) unsupported();
        level = { old: value.indent, neu: owner.neu + 2, up: owner };
      } else {
        const indentless = !seqItem && value.type === 'block-seq' && value.indent === owner.old;
        level = { old: value.indent, neu: indentless ? owner.neu : owner.neu + this.tab, up: owner };
      }
    } else if (value && later && this.isFirst(value.offset)) {
      const c = this.col(value.offset);
      level = { old: c, neu: c + delta(owner), up: owner };
    }
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t.type === 'space') {
        // The blank right after the indicator, with content after it on the same line.
        const next = i + 1 < ts.length ? ts[i + 1] : value;
        if (i === 0 && next && next.type !== 'comment' && next.type !== 'newline' && this.line(next.offset) === indLine) this.oneSpace(t);
      } else if (t.type === 'anchor' || t.type === 'tag') {
        if (this.isFirst(t.offset)) unsupported();
      } else this.trivia([t], level);
    }
    if (!value) return;
    // (A collection on a later line: its first item claims its line; a line nothing claims stops the formatting.)
    if (value.type === 'block-map' || value.type === 'block-seq') this.collection(value, level);
    else this.leaf(value, owner, later);
  }

  /** A value that is not a block collection: scalars, aliases, flow collections, block scalars. */
  private leaf(v: CST.Token, owner: Level | undefined, later: boolean): void {
    const shift = (from: number, to: number, body: boolean) => {
      for (let l = from; l <= to; l++) this.claim(l, { k: 'shift', delta: delta(owner), body });
    };
    switch (v.type) {
      case 'scalar':
      case 'alias':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar': {
        if (!this.text.startsWith(v.source, v.offset)) unsupported();
        if (v.source.length) {
          const end = v.offset + v.source.length;
          const l0 = this.line(v.offset);
          if (later && this.isFirst(v.offset)) shift(l0, l0, false);
          shift(l0 + 1, this.line(end - 1), false);
          this.kept.push([v.offset, end]);
        }
        this.trivia(v.end, owner);
        return;
      }
      case 'flow-collection': {
        const end = flowEnd(v);
        if (end === undefined) unsupported();
        const l0 = this.line(v.offset);
        if (later && this.isFirst(v.offset)) shift(l0, l0, false);
        shift(l0 + 1, this.line(end!), false);
        this.kept.push([v.offset, end! + 1]);
        this.trivia(v.end.slice(1), owner);
        return;
      }
      case 'block-scalar': {
        const l0 = this.line(v.offset);
        if (later && this.isFirst(v.offset)) shift(l0, l0, false);
        const props = v.props as CST.SourceToken[];
        let nl: CST.SourceToken | undefined;
        for (const t of props) {
          if (t.type === 'newline') nl = t;
          else if (nl) unsupported();
          else if (t.type === 'anchor' || t.type === 'tag' || t.type === 'block-scalar-header') {
            if (this.isFirst(t.offset) && this.line(t.offset) !== l0) unsupported();
          } else this.trivia([t], owner);
        }
        if (!nl) {
          if (v.source.length) unsupported();
          return;
        }
        const start = nl.offset + nl.source.length;
        if (!this.text.startsWith(v.source, start)) unsupported();
        if (v.source.length) {
          const end = start + v.source.length;
          shift(this.line(start), this.line(end - 1), true);
          this.kept.push([start, end]);
        }
        return;
      }
      default:
        unsupported();
    }
  }

  /** The changes of every line, from its claim. */
  private lines(): void {
    const { text, index } = this;
    const n = index.lineCount;
    const kept = this.kept.sort((a, b) => a[0] - b[0]);
    let k = 0;
    const isKept = (s: number, e: number) => {
      while (k < kept.length && kept[k][1] <= s) k++;
      return k < kept.length && kept[k][0] < e;
    };
    const spaces = (m: number) => ' '.repeat(m);
    // The last line with content; the lines after it are blank.
    let last = n - 1;
    while (last >= 0 && this.firsts[last] === index.lineEnd(last)) last--;
    const lastClaim = last >= 0 ? this.claims[last] : undefined;
    const endsInBody = lastClaim?.k === 'shift' && lastClaim.body;
    let tailFrom = n; // lines from here to the end are removed (blank lines after the last line break)
    if (last >= 0 && !endsInBody) {
      if (last === n - 1) this.changes.push({ start: text.length, end: text.length, text: lastBreak(index) });
      else if (last < n - 2 && !this.claims.slice(last + 1).some((c) => c)) {
        tailFrom = last + 1;
        this.changes.push({ start: index.lineStarts[last + 1], end: text.length, text: '' });
      }
    }
    for (let l = 0; l < Math.min(n, tailFrom); l++) {
      const base = this.bases[l];
      const first = this.firsts[l];
      const le = index.lineEnd(l);
      const blank = first === le;
      const c = this.claims[l];
      const trailing = () => {
        let t = le;
        while (t > first && (text.charCodeAt(t - 1) === 32 || text.charCodeAt(t - 1) === 9)) t--;
        if (t < le && !isKept(t, le)) this.changes.push({ start: t, end: le, text: '' });
      };
      if (!c) {
        if (!blank) unsupported(); // a line nothing above accounted for
        if (le > base) this.changes.push({ start: base, end: le, text: '' });
        continue;
      }
      if (c.k === 'keep') {
        if (!blank) trailing();
        continue;
      }
      let sp = base;
      while (sp < le && text.charCodeAt(sp) === 32) sp++;
      const had = sp - base;
      if (c.k === 'indent') {
        // (A tab can only be there before a comment: a tab indenting content is a syntax error.)
        if (sp !== first || had !== c.col) this.changes.push({ start: base, end: first, text: spaces(c.col), indent: true });
        trailing();
        continue;
      }
      if (c.delta !== 0) {
        if (blank) {
          if (sp !== le) unsupported();
          const m = Math.max(0, had + c.delta);
          if (m !== had) this.changes.push({ start: base, end: sp, text: spaces(m), indent: true });
        } else {
          if (had + c.delta < 0) unsupported();
          this.changes.push({ start: base, end: sp, text: spaces(had + c.delta), indent: true });
        }
      }
      if (!blank) trailing();
    }
  }
}

/** Offset of a flow collection's closing bracket, or undefined when it has none. */
function flowEnd(f: CST.FlowCollection): number | undefined {
  const t = f.end[0];
  return t && (t.type === 'flow-map-end' || t.type === 'flow-seq-end') ? t.offset : undefined;
}

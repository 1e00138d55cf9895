/**
 * Text handling shared by every file kind: decoding bytes (BOM, invalid UTF-8, binary data) and mapping
 * between offsets and LSP positions. Offsets are JavaScript string indexes (UTF-16 code units), which is
 * exactly what LSP positions count.
 */
import type { Position, Range } from './types';
import { lastAtMost } from './util';

/** The first line of a text (at most 200 characters): where a problem with the whole file is shown. */
export const firstLineRange = (index: LineIndex): Range => index.range(0, Math.min(index.lineEnd(0), 200));

/**
 * Where a missing key is reported: an empty range at the end of the last line with text before `end` (the end
 * of the file, or of a YAML document), where the key would be added; the start of the text when it has none.
 */
export function missingKeyRange(index: LineIndex, start = 0, end = index.text.length): Range {
  let i = Math.min(end, index.text.length);
  while (i > start && /\s/.test(index.text[i - 1])) i--;
  return index.range(i, i);
}

export class LineIndex {
  /** Offset at which each line starts. */
  readonly lineStarts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const lo = lastAtMost(this.lineStarts, offset, (start) => start);
    // An offset inside a line break (between \r and \n) is the end of the line's content.
    return { line: lo, character: Math.min(offset, this.lineEnd(lo)) - this.lineStarts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Offset just after a line's line break (or end of text for the last line). */
  lineEndWithBreak(line: number): number {
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** The line break this text uses most, for inserted lines. */
  eol(): string {
    const crlf = this.text.indexOf('\r\n');
    return crlf >= 0 ? '\r\n' : '\n';
  }
}

export interface DecodedText {
  /** The text without a leading BOM. */
  text: string;
  bom: boolean;
  /** Set when the bytes are not valid UTF-8 (they were decoded with replacement characters). */
  invalidUtf8: boolean;
  /** Set when the content looks like binary data rather than text. */
  binary: boolean;
}

/** Decodes a file's bytes the way the CLI reads them. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  let invalidUtf8 = false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    invalidUtf8 = true;
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  return { text, bom, invalidUtf8, binary: looksBinary(text) };
}

/**
 * A text is treated as binary when it holds NUL characters, or when more than 10% of its first 8 KiB are
 * control characters other than tab, line feed, carriage return and form feed.
 */
export function looksBinary(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  if (sample.length === 0) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control / sample.length > 0.1;
}

/** Nothing but blank lines and `#` comments (an empty manifest or meta file, as a new one starts). */
export const onlyComments = (text: string): boolean => text.split(/\r\n|\r|\n/).every((l) => l.trim() === '' || l.trimStart().startsWith('#'));

/** Applies non-overlapping edits (LSP semantics: all ranges refer to the original text). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const index = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue; // overlapping edit: skip rather than corrupt text
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

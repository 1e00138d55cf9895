/**
 * Hand-written line parsers for the two `key=value` formats: ACNS meta files and Java-properties files
 * (CUPM `dfc.properties`). Both keep the exact offsets of every key and value so that diagnostics and
 * fixes land on the characters the user wrote.
 */
import { msg } from '../l10n/index';
import { LineIndex } from '../text';
import type { Message } from '../l10n/index';
import type { Range, TextEdit } from '../types';

export interface Entry {
  /** The key as written (without surrounding blanks; properties escapes resolved). */
  key: string;
  /** The value with surrounding blanks removed (properties escapes and continuations resolved). */
  value: string;
  /** First and last physical line of the entry (they differ only for properties continuations). */
  line: number;
  endLine: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  keyRange: Range;
  valueRange: Range;
  /**
   * Properties only: blanks after the value that Java keeps as part of it (`java.util.Properties` trims only
   * the blanks before a value). `value` leaves them out; a rule that needs the value Java reads adds them.
   */
  trailing?: { start: number; end: number; text: string };
}

export interface Comment {
  line: number;
  text: string;
}

export interface SyntaxProblem {
  range: Range;
  message: Message;
  /** A certain repair (the rules offer it as the preferred fix). */
  fix?: { title: Message; edits: TextEdit[] };
}

/**
 * Characters that look like blanks but are not blanks to the parsers: a line of them is pasted from a web page
 * (U+00A0 from the HTML guides), a word processor or a Japanese input method (U+3000). Named by code point.
 */
const INVISIBLE = /^[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF \t\f]+$/;
const INVISIBLE_NAMES: Record<string, string> = {
  '\u00A0': 'NO-BREAK SPACE',
  '\u3000': 'IDEOGRAPHIC SPACE',
  '\u200B': 'ZERO WIDTH SPACE',
  '\uFEFF': 'ZERO WIDTH NO-BREAK SPACE',
};

/** A line that holds only blanks and look-alike blanks, as a syntax problem with the fix that empties it. */
function invisibleLine(index: LineIndex, ls: number, le: number): SyntaxProblem | undefined {
  const s = index.text.slice(ls, le);
  if (!INVISIBLE.test(s) || !/[^ \t\f]/.test(s)) return undefined;
  const ch = [...s].find((c) => c !== ' ' && c !== '\t' && c !== '\f')!;
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = INVISIBLE_NAMES[ch] ?? 'SPACE';
  const range = index.range(ls, le);
  return {
    range,
    message: msg('parse.invisibleLine', { code, name }),
    fix: { title: msg('parse.invisibleLine.fix', { code }), edits: [{ range, newText: '' }] },
  };
}

export interface KvDocument {
  index: LineIndex;
  entries: Entry[];
  comments: Comment[];
  syntax: SyntaxProblem[];
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\f';

function skipBlanks(s: string, i: number, end = s.length): number {
  while (i < end && isBlank(s[i])) i++;
  return i;
}

function trimEndIndex(s: string, start: number, end: number): number {
  while (end > start && isBlank(s[end - 1])) end--;
  return end;
}

/** ACNS meta file: `key=value` per line; the key is everything before the first `=`. */
export function parseMeta(text: string): KvDocument {
  const index = new LineIndex(text);
  const doc: KvDocument = { index, entries: [], comments: [], syntax: [] };
  for (let line = 0; line < index.lineCount; line++) {
    const ls = index.lineStarts[line];
    const le = index.lineEnd(line);
    const first = skipBlanks(text, ls, le);
    if (first === le) continue;
    if (text[first] === '#') {
      doc.comments.push({ line, text: text.slice(first + 1, le) });
      continue;
    }
    const eq = text.indexOf('=', first);
    const contentEnd = trimEndIndex(text, first, le);
    const invisible = eq < 0 || eq >= le ? invisibleLine(index, ls, le) : undefined;
    if (invisible) {
      doc.syntax.push(invisible);
      continue;
    }
    if (eq < 0 || eq >= le) {
      doc.syntax.push({
        range: index.range(first, contentEnd),
        message: msg('parse.parseMeta.message'),
      });
      continue;
    }
    const keyEnd = trimEndIndex(text, first, eq);
    if (keyEnd === first) {
      doc.syntax.push({
        range: index.range(first, contentEnd),
        message: msg('parse.parseMeta.message2'),
      });
      continue;
    }
    const valueStart = skipBlanks(text, eq + 1, le);
    const valueEnd = trimEndIndex(text, valueStart, le);
    doc.entries.push({
      key: text.slice(first, keyEnd),
      value: text.slice(valueStart, valueEnd),
      line,
      endLine: line,
      keyStart: first,
      keyEnd,
      valueStart,
      valueEnd,
      keyRange: index.range(first, keyEnd),
      valueRange: index.range(valueStart, valueEnd),
    });
  }
  return doc;
}

interface Segment {
  logical: number;
  original: number;
}

/**
 * Java-properties file, following `java.util.Properties.load`: `#`/`!` comment lines, `key=value`,
 * `key: value` or `key value`, backslash escapes and `\` line continuation. Problems reported as syntax
 * errors (Java would either throw or silently do something surprising): a malformed `\uXXXX` escape, a
 * key with no separator and no value, a value with no key, and a continuation backslash on the last line.
 */
export function parseProperties(text: string): KvDocument {
  const index = new LineIndex(text);
  const doc: KvDocument = { index, entries: [], comments: [], syntax: [] };
  let line = 0;
  while (line < index.lineCount) {
    const ls = index.lineStarts[line];
    const le = index.lineEnd(line);
    const first = skipBlanks(text, ls, le);
    if (first === le) {
      line++;
      continue;
    }
    if (text[first] === '#' || text[first] === '!') {
      doc.comments.push({ line, text: text.slice(first + 1, le) });
      line++;
      continue;
    }
    const invisible = invisibleLine(index, ls, le);
    if (invisible) {
      doc.syntax.push(invisible);
      line++;
      continue;
    }
    // Build the logical line from physical lines joined by continuations.
    const segments: Segment[] = [];
    let logical = '';
    const startLine = line;
    let segStart = first;
    let dangling = false;
    for (;;) {
      const pe = index.lineEnd(line);
      let backslashes = 0;
      for (let i = pe - 1; i >= segStart && text[i] === '\\'; i--) backslashes++;
      const continues = backslashes % 2 === 1;
      segments.push({ logical: logical.length, original: segStart });
      logical += text.slice(segStart, continues ? pe - 1 : pe);
      line++;
      if (!continues) break;
      if (line >= index.lineCount) {
        dangling = true;
        break;
      }
      segStart = skipBlanks(text, index.lineStarts[line], index.lineEnd(line));
    }
    const endLine = line - 1;
    const toOriginal = (i: number): number => {
      let s = segments[0];
      for (const seg of segments)
        if (seg.logical <= i) s = seg;
        else break;
      return s.original + (i - s.logical);
    };
    const toOriginalEnd = (i: number): number => (i <= 0 ? toOriginal(0) : toOriginal(i - 1) + 1);
    const rangeOf = (a: number, b: number) => index.range(toOriginal(a), b > a ? toOriginalEnd(b) : toOriginal(a));

    // Key: up to the first unescaped separator.
    let i = 0;
    while (i < logical.length) {
      const c = logical[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '=' || c === ':' || isBlank(c)) break;
      i++;
    }
    const keyEndL = Math.min(i, logical.length);
    let j = skipBlanks(logical, keyEndL);
    let hasSeparator = j > keyEndL;
    if (j < logical.length && (logical[j] === '=' || logical[j] === ':')) {
      hasSeparator = true;
      j = skipBlanks(logical, j + 1);
    }
    const valueStartL = j;
    const valueEndL = trimEndIndex(logical, valueStartL, logical.length);

    const problems: Message[] = [];
    const key = unescape(logical.slice(0, keyEndL), problems);
    const value = unescape(logical.slice(valueStartL, valueEndL), problems);
    const whole = rangeOf(0, trimEndIndex(logical, 0, logical.length));
    for (const p of problems) doc.syntax.push({ range: whole, message: p });
    if (dangling) {
      doc.syntax.push({
        range: whole,
        message: msg('parse.parseProperties.message'),
      });
    }
    if (keyEndL === 0) {
      doc.syntax.push({
        range: whole,
        message: msg('parse.parseProperties.message2'),
      });
      continue;
    }
    if (!hasSeparator && valueStartL >= logical.length) {
      doc.syntax.push({
        range: whole,
        message: msg('parse.parseProperties.message3', { key }),
      });
      continue;
    }
    const keyStart = toOriginal(0);
    const keyEnd = toOriginalEnd(keyEndL);
    const valueStart = valueStartL < logical.length ? toOriginal(valueStartL) : toOriginalEnd(logical.length);
    const valueEnd = valueEndL > valueStartL ? toOriginalEnd(valueEndL) : valueStart;
    doc.entries.push({
      key,
      value,
      line: startLine,
      endLine,
      keyStart,
      keyEnd,
      valueStart,
      valueEnd,
      keyRange: index.range(keyStart, keyEnd),
      valueRange: index.range(valueStart, valueEnd),
      ...(valueEndL > valueStartL && valueEndL < logical.length && !dangling
        ? { trailing: { start: valueEnd, end: toOriginalEnd(logical.length), text: logical.slice(valueEndL) } }
        : {}),
    });
  }
  return doc;
}

function unescape(s: string, problems: Message[]): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else if (n === 'f') out += '\f';
    else if (n === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        problems.push(msg('parse.unescape.message', { hex }));
      }
    } else out += n;
  }
  return out;
}

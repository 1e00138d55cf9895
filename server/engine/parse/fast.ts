/**
 * A quick reader for the plain YAML most manifest pieces are written in (issue 16: a first parse that does less).
 * Parsing in pieces (yaml.ts) hands each piece — a top-level entry, or a group of a few dozen sequence items — to
 * `fastPiece` first. It reads block mappings and block sequences line by line, with plain scalars, one-line quoted
 * scalars without escapes, and one-line flow sequences of simple words, and produces exactly what the `yaml`
 * package and `build` give for the same text: the data (YAML 1.2 core schema) and the same pointer → offsets map,
 * inserted in the same order. Anything else — tabs, control characters, block scalars, anchors, tags, flow
 * mappings, multi-line scalars, escapes, explicit keys, unusual keys, duplicate keys, comments where the `yaml`
 * package ends a collection after them — makes it give up (undefined), and the piece goes to the `yaml` package
 * as before. A unit test compares both on every piece of the fixtures, examples, generated manifests and
 * thousands of mutations and random line soups (test/unit/yaml-fast.test.ts).
 *
 * Why by hand: on a cold process, the `yaml` package's three layers (lexer, parser, composer: generators over
 * tokens) run in V8's interpreter; reading a 10,000-line manifest for the first time took ~10 times as long as
 * once it was compiled. This reader does a small fraction of that work.
 */
import { dict } from '../util';

/** Keys whose scalar values are versions: read from the source text, never as numbers. */
export const VERSION_KEYS = new Set([
  'from',
  'to',
  'unifiedCmVersion',
  'unifiedCmInactiveVersion',
  'unifiedCmFrom',
  'directoryServerVersion',
  'webServerVersion',
  'version',
]);

/** Where a node is, as offsets relative to the text that was parsed (ks/ke: its key). */
export interface Loc {
  s: number;
  e: number;
  ks?: number;
  ke?: number;
}

export interface FastResult {
  value: unknown;
  locs: Map<string, Loc>;
}

// Tabs, CR, control characters, BOM, surrogates and the non-characters: the `yaml` package decides.
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ud800-\udfff\ufeff\ufffe\uffff]/;
// A key: a word that is a plain scalar in any context, followed by `:` and a blank or the line end.
const KEY = /[A-Za-z_$][A-Za-z0-9_$.-]*:(?=[ \n]|$)/y;
// A word inside a flow sequence: no flow indicators, no `:`, `#` or blanks; not starting with an indicator.
const FLOW_WORD = /[A-Za-z0-9_./(][A-Za-z0-9_./()+-]*/y;
// First characters a plain scalar may not start with here (indicators; `-`, `?` and `:` are left to `yaml` too).
const NOT_PLAIN_START = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, tried in the `yaml` package's order. */
export function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most scalars are words: only these first characters can start anything but a string.
  if (!(c === 126 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57) || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70))
    return s;
  if (NULL.test(s)) return null;
  if (TRUE.test(s)) return true;
  if (FALSE.test(s)) return false;
  if (INT_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

class GiveUp {}
const GIVE_UP = new GiveUp();

/** The piece's data and pointer map, or undefined when the `yaml` package must read it. */
export function fastPiece(text: string): FastResult | undefined {
  if (UNUSUAL.test(text)) return undefined;
  // The content lines (not blank, not comments): where each starts, its indentation, its end (without and with the
  // line break), and whether comment lines follow it before the next content line.
  const ls: number[] = [];
  const ind: number[] = [];
  const le: number[] = [];
  const lb: number[] = [];
  const commentAfter: boolean[] = [];
  const commentIndent: number[] = []; // of the first comment line after it
  const n = text.length;
  for (let p = 0; p < n;) {
    let q = text.indexOf('\n', p);
    if (q < 0) q = n;
    let k = p;
    while (k < q && text.charCodeAt(k) === 32) k++;
    if (k === q) {
      // blank
    } else if (text.charCodeAt(k) === 35 /* # */) {
      if (ls.length && !commentAfter[ls.length - 1]) {
        commentAfter[ls.length - 1] = true;
        commentIndent[ls.length - 1] = k - p;
      } else return undefined; // a comment before the first content: `yaml` places the collection after it
    } else {
      if (k === p && (text.startsWith('---', p) || text.startsWith('...', p) || text.charCodeAt(p) === 37)) /* % */ return undefined;
      ls.push(p);
      ind.push(k - p);
      le.push(q);
      lb.push(q < n ? q + 1 : q);
      commentAfter.push(false);
    }
    p = q + 1;
  }
  const lines = ls.length;
  if (!lines) return undefined;
  // A comment line after the last content: where `yaml` ends the collections then depends on its indentation.
  if (commentAfter[lines - 1]) return undefined;
  const locs = new Map<string, Loc>();
  let i = 0; // the current content line

  const fail = (): never => {
    throw GIVE_UP;
  };
  // Where the last value read ends as `yaml` counts it (its comment and line break included; a bare `key:` ends
  // where its value would start), and a collection's end from it: without the blanks before it.
  let end = 0;
  const lineEnd = (l: number) => (end = lb[l]);
  const collectionEnd = (s: number) => {
    let e = end;
    while (e > s && text.charCodeAt(e - 1) === 32) e--;
    return e;
  };
  /** After a value that ends at `p` on line `l`: only blanks and a comment may follow. */
  const lineRest = (p: number, l: number) => {
    const end = le[l];
    let k = p;
    while (k < end && text.charCodeAt(k) === 32) k++;
    if (k < end && !(text.charCodeAt(k) === 35 && k > p)) fail();
  };

  /** A scalar or flow sequence starting at `p` on line `l` (inline value). */
  const inline = (p: number, l: number, pointer: string, key: Loc | undefined, keyName: string | undefined): unknown => {
    const c = text.charCodeAt(p);
    const end = le[l];
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = text.indexOf(c === 34 ? '"' : "'", p + 1);
      if (close < 0 || close >= end) fail();
      const body = text.slice(p + 1, close);
      if (c === 34 ? body.includes('\\') : text.charCodeAt(close + 1) === 39) fail();
      lineRest(close + 1, l);
      lineEnd(l);
      locs.set(pointer, { s: p, e: close + 1, ks: key?.s, ke: key?.e });
      return body;
    }
    if (c === 91 /* [ */) {
      const loc: Loc = { s: p, e: p, ks: key?.s, ke: key?.e };
      locs.set(pointer, loc);
      const out: unknown[] = [];
      let k = p + 1;
      const blanks = () => {
        while (k < end && text.charCodeAt(k) === 32) k++;
      };
      blanks();
      if (text.charCodeAt(k) !== 93 /* ] */)
        for (;;) {
          FLOW_WORD.lastIndex = k;
          const m = FLOW_WORD.exec(text);
          if (!m || k + m[0].length > end) fail();
          const w = m![0];
          locs.set(`${pointer}/${out.length}`, { s: k, e: k + w.length });
          out.push(plainValue(w));
          k += w.length;
          blanks();
          const d = text.charCodeAt(k);
          if (d === 93) break;
          if (d !== 44 /* , */) fail();
          k++;
          blanks();
          if (k >= end || text.charCodeAt(k) === 93) fail(); // a trailing comma: left to `yaml`
        }
      loc.e = k + 1;
      lineRest(k + 1, l);
      lineEnd(l);
      return out;
    }
    if (NOT_PLAIN_START.has(text[p])) fail();
    // A plain scalar: up to ` #` or the line end; `: ` or a final `:` inside it is not ours to read.
    let k = p;
    let e = p;
    for (; k < end; k++) {
      const d = text.charCodeAt(k);
      if (d === 32) {
        if (text.charCodeAt(k + 1) === 35) break;
        continue;
      }
      if (d === 58 /* : */ && (k + 1 === end || text.charCodeAt(k + 1) === 32)) fail();
      e = k + 1;
    }
    const src = text.slice(p, e);
    let v = plainValue(src);
    if (typeof v === 'number' && keyName !== undefined && VERSION_KEYS.has(keyName)) v = src;
    lineEnd(l);
    locs.set(pointer, { s: p, e, ks: key?.s, ke: key?.e });
    return v;
  };

  /** The block collection whose first token is at offset `p` of line `i`, at column `col`. */
  const collection = (p: number, col: number, pointer: string, key?: Loc): unknown => {
    const c = text.charCodeAt(p);
    const next = text.charCodeAt(p + 1);
    if (c === 45 /* - */ && (p + 1 >= le[i] || next === 32)) return seq(col, pointer, key);
    return map(p, col, pointer, key);
  };

  /** A block sequence at column `col`, starting at line `i`. */
  const seq = (col: number, pointer: string, key: Loc | undefined): unknown[] => {
    const loc: Loc = { s: ls[i] + col, e: 0, ks: key?.s, ke: key?.e };
    locs.set(pointer, loc);
    const out: unknown[] = [];
    while (i < lines && ind[i] === col) {
      const dash = ls[i] + col;
      if (text.charCodeAt(dash) !== 45 || !(dash + 1 >= le[i] || text.charCodeAt(dash + 1) === 32)) break; // the parent map goes on
      let p = dash + 1;
      while (p < le[i] && text.charCodeAt(p) === 32) p++;
      if (p >= le[i] || text.charCodeAt(p) === 35) fail(); // an empty item, or its content on the lines below
      const ip = `${pointer}/${out.length}`;
      if (text.charCodeAt(p) === 45 && (p + 1 >= le[i] || text.charCodeAt(p + 1) === 32)) fail(); // `- - x`
      KEY.lastIndex = p;
      if (KEY.test(text)) out.push(map(p, p - ls[i], ip, undefined));
      else {
        out.push(inline(p, i, ip, undefined, undefined));
        i++;
        if (i < lines && ind[i] > col) fail();
      }
    }
    if (i < lines && ind[i] > col) fail();
    // Comment lines right after a sequence's last item: `yaml` may count them in.
    if (commentAfter[i - 1]) fail();
    loc.e = collectionEnd(loc.s);
    return out;
  };

  /** A block mapping at column `col` whose first key is at offset `p` (of line `i`). */
  const map = (p: number, col: number, pointer: string, key: Loc | undefined): Record<string, unknown> => {
    const loc: Loc = { s: p, e: 0, ks: key?.s, ke: key?.e };
    locs.set(pointer, loc);
    const obj = dict();
    const seen = new Set<string>();
    for (let first = true; ; first = false) {
      if (!first) {
        if (i >= lines || ind[i] < col) break;
        if (ind[i] > col) fail();
        p = ls[i] + col;
      }
      KEY.lastIndex = p;
      if (!KEY.test(text)) fail();
      const colon = KEY.lastIndex - 1;
      if (colon - p >= 1000) fail(); // `yaml` refuses implicit keys over 1,024 characters (KEY_OVER_1024_CHARS)
      const raw = text.slice(p, colon);
      const k = String(plainValue(raw));
      if (seen.has(k)) fail(); // `yaml` and `build` report it
      seen.add(k);
      const kl: Loc = { s: p, e: colon };
      const vp = `${pointer}/${k}`;
      let q = colon + 1;
      while (q < le[i] && text.charCodeAt(q) === 32) q++;
      if (q >= le[i] || text.charCodeAt(q) === 35) {
        // Nothing on the line: a collection below it (deeper, or a sequence at the key's own column), or null.
        i++;
        if (
          i < lines &&
          (ind[i] > col || (ind[i] === col && text.charCodeAt(ls[i] + col) === 45 && (ls[i] + col + 1 >= le[i] || text.charCodeAt(ls[i] + col + 1) === 32)))
        ) {
          if (ind[i] === col && !(ls[i] + col + 1 >= le[i] || text.charCodeAt(ls[i] + col + 1) === 32)) fail();
          obj[k] = collection(ls[i] + ind[i], ind[i], vp, kl);
        } else {
          locs.set(vp, { s: q, e: q, ks: kl.s, ke: kl.e });
          if (commentAfter[i - 1]) fail(); // `yaml` may count the comment lines below into it
          if (q < le[i - 1]) {
            // With a comment after it, `yaml` ends it after the line, and after any blank lines that follow.
            end = lb[i - 1];
            let b = end;
            while (b < n && text.charCodeAt(b) === 32) b++;
            if (b < n && text.charCodeAt(b) === 10) fail();
          } else end = q;
          obj[k] = null;
        }
      } else {
        obj[k] = inline(q, i, vp, kl, k);
        i++;
        if (i < lines && ind[i] > col) fail();
      }
    }
    // Comment lines indented deeper than its keys right after its last value: `yaml` counts them in.
    if (commentAfter[i - 1] && commentIndent[i - 1] > col) fail();
    loc.e = collectionEnd(loc.s);
    return obj;
  };

  try {
    const value = collection(ls[0] + ind[0], ind[0], '');
    if (i < lines) return undefined;
    return { value, locs };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

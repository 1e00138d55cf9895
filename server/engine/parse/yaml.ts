/**
 * YAML loading for upgrade manifests with the `yaml` package: every document of a multi-document file,
 * syntax errors with their real positions, and a map from JSON pointer (as ajv reports instance paths) to
 * the source ranges of the key and the value. The plain instance is built here rather than with toJS(),
 * so that versions keep their source text (`5.10` stays "5.10") and aliases are expanded under a budget:
 * an alias bomb is refused, not expanded.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { LineIndex } from '../text';
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

export interface YamlDocument {
  /** The plain data of the document (undefined for an empty document). */
  value: unknown;
  /** JSON pointer ('' for the root, '/steps/0/node') → where it is in the text. */
  at: Map<string, Located>;
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

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The last few parses, keyed by the text itself: validation, hover and completion of one document version
 * share one parse instead of parsing the same text again for every request.
 */
const recent = new Map<string, YamlFile>();
const RECENT_MAX = 4;

export function loadYaml(text: string, maxAliasExpansion = DEFAULT_MAX_ALIAS_EXPANSION): YamlFile {
  const key = `${maxAliasExpansion}\u0000${text}`;
  const hit = recent.get(key);
  if (hit) {
    recent.delete(key);
    recent.set(key, hit);
    return hit;
  }
  const file = parseYamlFile(text, maxAliasExpansion);
  recent.set(key, file);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return file;
}

function parseYamlFile(text: string, maxAliasExpansion: number): YamlFile {
  const index = new LineIndex(text);
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const list = Array.isArray(parsed) ? parsed : [];
  const file: YamlFile = { index, docs: [], syntax: [] };
  const r = (a: number, b: number) => index.range(Math.min(a, text.length), Math.min(Math.max(a, b), text.length));
  for (const doc of list as Document.Parsed[]) {
    for (const e of doc.errors) {
      file.syntax.push({ range: r(e.pos[0], e.pos[1]), message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
    }
    const y: YamlDocument = { value: undefined, at: new Map(), start: doc.range[0], end: doc.range[2] };
    let budget = maxAliasExpansion;
    // Alias.resolve() searches the whole document; each alias is resolved once.
    const resolved = new Map<unknown, unknown>();
    const build = (node: unknown, pointer: string, keyRange: Range | undefined, inAlias: Located | undefined, key: string | undefined, depth: number): unknown => {
      if (depth > 200) { y.aliasLimitHit ??= inAlias?.range ?? r(0, 0); return undefined; }
      if (isAlias(node)) {
        if (!resolved.has(node)) resolved.set(node, node.resolve(doc));
        const target = resolved.get(node);
        const here: Located = { range: r(node.range![0], node.range![1]), keyRange, start: node.range![0], end: node.range![1] };
        y.at.set(pointer, here);
        if (!target) return undefined;
        return build(target, pointer, keyRange, inAlias ?? here, key, depth + 1);
      }
      // Every node copied through an alias costs one unit of the expansion budget.
      if (inAlias && --budget < 0) { y.aliasLimitHit ??= inAlias.range; return undefined; }
      const n = node as Node | null;
      const loc: Located = inAlias ?? (n?.range ? { range: r(n.range[0], n.range[1]), keyRange, start: n.range[0], end: n.range[1] } : { range: r(0, 0), keyRange, start: 0, end: 0 });
      if (!inAlias || !y.at.has(pointer)) y.at.set(pointer, { ...loc, keyRange });
      if (isMap(n)) {
        const obj: Record<string, unknown> = {};
        for (const pair of n.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : pair.key === null ? '' : String((pair.key as Node).toString());
          const kr = isScalar(pair.key) && pair.key.range ? r(pair.key.range[0], pair.key.range[1]) : undefined;
          const p = `${pointer}/${escapePointer(k)}`;
          if (inAlias) { obj[k] = build(pair.value, p, inAlias.keyRange, inAlias, k, depth + 1); continue; }
          if (pair.value === null) {
            // `key:` with no value: locate it just after the key.
            const end = isScalar(pair.key) && pair.key.range ? pair.key.range[1] : 0;
            y.at.set(p, { range: r(end, end), keyRange: kr, start: end, end });
            obj[k] = null;
          } else obj[k] = build(pair.value, p, kr, undefined, k, depth + 1);
        }
        return obj;
      }
      if (isSeq(n)) return n.items.map((item, i) => build(item, `${pointer}/${i}`, undefined, inAlias, undefined, depth + 1));
      if (isScalar(n)) {
        const val = n.value;
        if (typeof val === 'number' && key && VERSION_KEYS.has(key) && n.source !== undefined) return String(n.source);
        return val;
      }
      return n === null || n === undefined ? null : undefined;
    };
    y.value = doc.contents === null ? undefined : build(doc.contents, '', undefined, undefined, undefined, 0);
    file.docs.push(y);
  }
  return file;
}

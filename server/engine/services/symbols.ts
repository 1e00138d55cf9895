/** Document symbols: the entries of meta and properties files, the documents, nodes and steps of manifests. */
import { asArr } from '../manifest';
import type { Entry } from '../parse/kv';
import { loadYaml } from '../parse/yaml';
import type { Range } from '../types';
import { label, parseKv, type KvKind } from './common';

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

export interface ManifestSymbol {
  name: string;
  detail: string;
  kind: 'document' | 'node' | 'step' | 'list';
  range: Range;
  selectionRange: Range;
  children: ManifestSymbol[];
}

export function manifestSymbols(text: string): ManifestSymbol[] {
  const file = loadYaml(text);
  const out: ManifestSymbol[] = [];
  file.docs.forEach((doc, di) => {
    const m = (doc.value ?? {}) as Record<string, unknown>;
    const docRange = file.index.range(doc.start, doc.end);
    const children: ManifestSymbol[] = [];
    for (const list of ['nodes', 'steps'] as const) {
      const arr = asArr(m[list]) as Record<string, unknown>[];
      const l = doc.at.get(`/${list}`);
      if (!l) continue;
      const items: ManifestSymbol[] = [];
      arr.forEach((item, i) => {
        const il = doc.at.get(`/${list}/${i}`);
        const nameKey = list === 'nodes' ? 'name' : 'id';
        const nl = doc.at.get(`/${list}/${i}/${nameKey}`);
        if (!il || !item || typeof item !== 'object') return;
        const name = label(item[nameKey] ?? `#${i + 1}`);
        const detail =
          list === 'nodes'
            ? label(item.role)
            : [item.action, item.node ?? (Array.isArray(item.nodes) ? item.nodes.map(label).join(', ') : '')].filter(Boolean).map(label).join(' · ');
        items.push({ name, detail, kind: list === 'nodes' ? 'node' : 'step', range: il.range, selectionRange: nl?.range ?? il.range, children: [] });
      });
      children.push({
        name: list,
        detail: String(items.length),
        kind: 'list',
        range: { start: l.keyRange?.start ?? l.range.start, end: l.range.end },
        selectionRange: l.keyRange ?? l.range,
        children: items,
      });
    }
    const title = typeof m.title === 'string' ? m.title : `${label(m.product ?? 'manifest')} ${label(m.from)} → ${label(m.to)}`.trim();
    out.push({
      name: file.docs.length > 1 ? `${di + 1}: ${title}` : title,
      detail: label(m.product),
      kind: 'document',
      range: docRange,
      selectionRange: doc.at.get('/title')?.range ?? docRange,
      children,
    });
  });
  return out;
}

/**
 * Editor services for upgrade manifests: hover, completion, go to definition, references, symbols and
 * links. Pure functions over the text (no LSP types), built on the same loader and schema as validation.
 */
import * as path from 'node:path';
import { msg, render, type Message } from '../l10n/index';
import { asArr, manifestPropertySchema, productKeys } from '../manifest';
import { loadYaml, type YamlDocument, type YamlFile } from '../parse/yaml';
import { manifestSchemaAt, propertyDescription, propertyTitle, productRoles, productValues, type PropertySchema } from '../schema';
import { acns, callmanager, cupm, imp } from '../products/index';
import { clampPosition, contains, diagnosticHovers } from './kvinfo';
import { compareVersions, parseVersion } from '../versions';
import { unescapePointer } from '../util';
import type { Diagnostic, Locale, Position, Range } from '../types';

/**
 * A YAML value as label text. The loader's mappings have no prototype (a `__proto__` key is data), so String() and
 * join() throw on them: a node whose name is a mapping must not take hover, completion and symbols down with it.
 */
const label = (v: unknown): string => (v !== null && typeof v === 'object' ? (Array.isArray(v) ? '[…]' : '{…}') : String(v ?? ''));

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

const get = (v: unknown, pointer: string): unknown => {
  let cur = v;
  for (const raw of pointer.split('/').slice(1)) {
    const k = unescapePointer(raw);
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
};

const isNodeRef = (p: string) => /^\/steps\/\d+\/node$/.test(p) || /^\/steps\/\d+\/nodes\/\d+$/.test(p) || /^\/deviceGroups\/\d+\/members\/\d+$/.test(p);

function nodeDecl(doc: YamlDocument, name: string): { index: number; data: Record<string, unknown>; range: Range } | undefined {
  const nodes = get(doc.value, '/nodes');
  if (!Array.isArray(nodes)) return undefined;
  const index = nodes.findIndex((n) => n && typeof n === 'object' && (n as { name?: unknown }).name === name);
  if (index < 0) return undefined;
  const l = doc.at.get(`/nodes/${index}/name`);
  return l ? { index, data: nodes[index] as Record<string, unknown>, range: l.range } : undefined;
}

/** A sentence on the upgrade path from `from` to `to` for the product. */
export function upgradePathSummary(product: unknown, fromRaw: unknown, toRaw: unknown, locale: Locale): string | undefined {
  const m = upgradePathMessage(product, fromRaw, toRaw);
  return m && render(m, locale);
}

function upgradePathMessage(product: unknown, fromRaw: unknown, toRaw: unknown): Message | undefined {
  const from = parseVersion(fromRaw),
    to = parseVersion(toRaw);
  if (!from || !to) return undefined;
  const ends = { from: from.text, to: to.text };
  const cmp = compareVersions(to, from);
  if (cmp === 0) return msg('path.same', ends);
  const down = cmp < 0;
  switch (product) {
    case 'cucm-im-presence': {
      const t = imp.requiredUpgradeType(from, to);
      if (imp.is90(to) && !imp.supportedTo90(from)) return msg('path.cucm-im-presence.noPath', ends);
      if (!t) return msg(down ? 'path.downgrade' : 'path.upgrade', ends);
      const cop = imp.needsCop(from);
      if (t === 'refresh') return msg(cop ? 'path.cucm-im-presence.refresh.cop' : 'path.cucm-im-presence.refresh.noCop', ends);
      return msg(cop ? 'path.cucm-im-presence.standard.cop' : 'path.cucm-im-presence.standard.noCop', ends);
    }
    case 'callmanager':
      if (callmanager.noDirectPath(from, to)) return msg('path.callmanager.noPath', ends);
      return msg(down ? 'path.callmanager.downgrade' : 'path.callmanager.upgrade', { ...ends, order: callmanager.ORDER.join(' → ') });
    case 'cupm':
      if (cupm.supportedTo85(from, to) === false) return msg('path.cupm.noPath', ends);
      return msg(down ? 'path.cupm.downgrade' : 'path.cupm.upgrade', ends);
    case 'acns':
      if (!down) return msg('path.acns.upgrade', ends);
      return msg(acns.downgradeNeedsCdmIp(to) ? 'path.acns.downgradeCdmIp' : 'path.acns.downgrade', ends);
    case 'iplanet-messaging':
      return msg(down ? 'path.iplanet-messaging.downgrade' : 'path.iplanet-messaging.upgrade', ends);
    default:
      return msg(down ? 'path.downgrade' : 'path.upgrade', ends);
  }
}

function propertyDoc(prop: PropertySchema & { enum?: unknown[] }, key: string, locale: Locale, product?: string, pointer?: string): string {
  const lines = [`**${key}** — ${propertyTitle(prop, key, locale)}`, '', propertyDescription(prop, locale)];
  let allowed = prop.enum;
  if (pointer && /\/nodes\/\d+\/role$/.test(pointer) && product) {
    allowed = productRoles(product);
  }
  if (allowed?.length) lines.push('', render(msg('hover.allowed', { values: allowed.map((x) => `\`${String(x)}\``).join(', ') }), locale));
  if (prop['x-hint']) lines.push('', render(msg('hover.form', { hint: prop['x-hint'] }), locale));
  return lines.join('\n');
}

export function manifestHover(text: string, pos: Position, diagnostics: Diagnostic[], locale: Locale): { markdown: string; range: Range } | undefined {
  const file = loadYaml(text);
  pos = clampPosition(file.index, pos);
  const { parts, range: first } = diagnosticHovers(diagnostics, pos, locale);
  let range = first;
  const hit = locate(file, pos);
  if (hit) {
    const m = hit.doc.value as Record<string, unknown> | undefined;
    const value = get(hit.doc.value, hit.pointer);
    if (!hit.onKey && isNodeRef(hit.pointer) && typeof value === 'string') {
      const decl = nodeDecl(hit.doc, value);
      if (decl) {
        const facts = [msg('hover.node.role', { role: label(decl.data.role ?? '?') })];
        if (decl.data.address) facts.push(msg('hover.node.address', { address: label(decl.data.address) }));
        if (decl.data.hardware) facts.push(msg('hover.node.hardware', { hardware: label(decl.data.hardware) }));
        parts.push([render(msg('hover.node.title', { name: value }), locale), '', ...facts.map((f) => `- ${render(f, locale)}`)].join('\n'));
      } else parts.push(render(msg('hover.node.undeclared', { name: value }), locale));
      range = hit.range;
    } else {
      const key = hit.pointer.split('/').pop() ?? '';
      const prop = manifestPropertySchema(hit.pointer);
      if (prop && !/^\d+$/.test(key)) {
        parts.push(propertyDoc(prop, key, locale, typeof m?.product === 'string' ? m.product : undefined, hit.pointer));
        range ??= hit.range;
      }
      if ((hit.pointer === '/from' || hit.pointer === '/to') && m) {
        const s = upgradePathMessage(m.product, m.from, m.to);
        if (s) parts.push(render(msg('hover.upgradePath', { summary: s }), locale));
      }
    }
  }
  if (!parts.length || !range) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}

// ------------------------------------------------------------------------------------------------------
// Completion: the context comes from indentation (it must work while the document is being typed and
// does not parse), then keys or values are offered from the schema and the declared nodes.

export interface ManifestCompletion {
  label: string;
  insertText: string;
  snippet: boolean;
  kind: 'property' | 'value' | 'reference';
  detail?: string;
  documentation?: string;
  range: Range;
}

interface LineCtx {
  path: string[];
  key?: string;
  valueStart?: number;
  inFlowSeq: boolean;
  itemStart: boolean;
}

function lineContext(lines: string[], line: number, character: number): LineCtx {
  const cur = lines[line] ?? '';
  const before = cur.slice(0, character);
  const indentOf = (s: string) => s.length - s.trimStart().length;
  const m = /^(\s*)(-\s+)?([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(before);
  const itemStart = /^\s*-\s+[\w-]*$/.test(before) || /^\s*-\s*$/.test(before);
  let indent = m ? m[1].length + (m[2]?.length ?? 0) : indentOf(before.replace(/^(\s*)-\s+/, '$1  '));
  if (!m && itemStart) indent = before.length - before.replace(/^\s*-\s+/, '').length;
  const path: string[] = [];
  let level = indent;
  for (let i = line - 1; i >= 0 && level > 0; i--) {
    const l = lines[i];
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const ind = indentOf(l);
    const dash = /^(\s*)-\s+(.*)$/.exec(l);
    if (dash && dash[1].length < level) {
      // A list item that holds this line.
      path.unshift('[]');
      level = dash[1].length;
      continue;
    }
    if (ind < level) {
      const km = /^\s*(?:-\s+)?([A-Za-z][\w-]*)\s*:\s*$/.exec(l);
      if (km) {
        path.unshift(km[1]);
        level = ind;
      } else level = ind;
    }
  }
  if (m && m[2] && path[path.length - 1] !== '[]') path.push('[]');
  if (itemStart && path[path.length - 1] !== '[]') path.push('[]');
  if (m) {
    const rest = m[4];
    const flow = rest.lastIndexOf('[');
    const inFlowSeq = flow >= 0 && rest.indexOf(']', flow) < 0;
    const valueStart = inFlowSeq
      ? before.length - (rest.length - flow - 1) + (rest.slice(flow + 1).match(/^(?:.*,)?\s*/)?.[0].length ?? 0)
      : before.length - rest.length;
    return { path, key: m[3], valueStart, inFlowSeq, itemStart: false };
  }
  return { path, inFlowSeq: false, itemStart };
}

/** The object schema whose keys apply at a path (the root, `maintenanceWindow`, an item of `nodes`, `steps`…). */
function objectSchemaFor(path: string[]): { properties: Record<string, PropertySchema> } | undefined {
  const node = manifestSchemaAt(path);
  return node?.properties ? (node as { properties: Record<string, PropertySchema> }) : undefined;
}

export function manifestCompletion(text: string, pos: Position, locale: Locale): ManifestCompletion[] {
  const file = loadYaml(text);
  pos = clampPosition(file.index, pos); // `lines` breaks lines where the index does
  const lines = text.split(/\r\n|\r|\n/);
  const ctx = lineContext(lines, pos.line, pos.character);
  const doc =
    file.docs.find((d) => {
      const s = file.index.positionAt(d.start).line,
        e = file.index.positionAt(d.end).line;
      return pos.line >= s && pos.line <= e;
    }) ?? file.docs[0];
  const m = (doc?.value ?? {}) as Record<string, unknown>;
  const product = typeof m.product === 'string' ? m.product : undefined;
  const lineText = lines[pos.line] ?? '';
  if (ctx.key !== undefined && ctx.valueStart !== undefined) {
    // Value completion.
    const start = ctx.valueStart;
    const tail = lineText.slice(pos.character).match(/^[^,\]\s#]*/)?.[0].length ?? 0;
    const range = { start: { line: pos.line, character: start }, end: { line: pos.line, character: pos.character + tail } };
    const out: ManifestCompletion[] = [];
    const inSteps = ctx.path[0] === 'steps';
    if (inSteps && (ctx.key === 'node' || ctx.key === 'nodes')) {
      for (const n of asArr(m.nodes)) {
        const o = n as { name?: unknown; role?: unknown; address?: unknown };
        if (typeof o?.name !== 'string') continue;
        out.push({
          label: o.name,
          insertText: o.name,
          snippet: false,
          kind: 'reference',
          detail: `${label(o.role)}${o.address ? ` · ${label(o.address)}` : ''}`,
          range,
        });
      }
      return out;
    }
    if (ctx.path[0] === 'deviceGroups' && ctx.key === 'members') {
      for (const n of asArr(m.nodes)) {
        const o = n as { name?: unknown; role?: unknown };
        if (typeof o?.name === 'string' && o.role === 'content-engine')
          out.push({ label: o.name, insertText: o.name, snippet: false, kind: 'reference', detail: 'content-engine', range });
      }
      return out;
    }
    const schema = objectSchemaFor(ctx.path);
    const prop = schema?.properties[ctx.key] as (PropertySchema & { enum?: unknown[]; const?: unknown }) | undefined;
    let values = prop?.enum?.map(String) ?? (prop?.const !== undefined ? [String(prop.const)] : []);
    if (ctx.key === 'role' && ctx.path[0] === 'nodes' && product) {
      values = productRoles(product) ?? values;
    }
    if (ctx.key === 'highAvailability' && ctx.path.length === 0) values = (product && productValues(product, 'highAvailability')) || [];
    if (ctx.key === 'upgradeType' && ctx.path.length === 0) {
      const want = imp.requiredUpgradeType(parseVersion(m.from), parseVersion(m.to));
      if (want) values = [want, ...values.filter((x) => x !== want)];
    }
    return values.map((x) => ({
      label: x,
      insertText: x,
      snippet: false,
      kind: 'value' as const,
      detail: prop ? propertyTitle(prop, ctx.key!, locale) : undefined,
      range,
    }));
  }
  // Key completion.
  const schema = objectSchemaFor(ctx.path);
  if (!schema) return [];
  const trimmed = lineText.slice(0, pos.character).replace(/^\s*(-\s+)?/, '');
  const start = pos.character - trimmed.length;
  const range = { start: { line: pos.line, character: start }, end: { line: pos.line, character: pos.character } };
  let keys = Object.keys(schema.properties);
  if (ctx.path.length === 0 && product) keys = productKeys(product) ?? keys;
  // Keys already present in the same mapping are not offered again.
  const present = new Set<string>();
  const here =
    lines[pos.line].length -
    lines[pos.line].trimStart().length +
    (/^\s*-\s+/.test(lines[pos.line]) ? lines[pos.line].match(/^\s*-\s+/)![0].length - (lines[pos.line].length - lines[pos.line].trimStart().length) : 0);
  for (let i = pos.line - 1; i >= 0; i--) {
    const l = lines[i];
    if (!l.trim()) continue;
    const ind = l.length - l.trimStart().length;
    const km = /^(\s*)(-\s+)?([A-Za-z][\w-]*)\s*:/.exec(l);
    if (!km) continue;
    const col = km[1].length + (km[2]?.length ?? 0);
    if (col === here) {
      present.add(km[3]);
      if (km[2]) break;
    } else if (ind < here) break;
  }
  for (let i = pos.line + 1; i < lines.length; i++) {
    const l = lines[i];
    const km = /^(\s*)(-\s+)?([A-Za-z][\w-]*)\s*:/.exec(l);
    if (!l.trim()) continue;
    const ind = l.length - l.trimStart().length;
    if (!km || ind < here || km[2]) break;
    if (km[1].length === here) present.add(km[3]);
  }
  const required = new Set((schema as { required?: string[] }).required ?? []);
  return keys
    .filter((k) => !present.has(k))
    .map((k) => {
      const prop = schema.properties[k] as PropertySchema & { type?: string | string[] };
      const t = Array.isArray(prop?.type) ? prop.type[0] : prop?.type;
      const insert = t === 'object' ? `${k}:\n${' '.repeat(here + 2)}$1` : t === 'array' ? `${k}:\n${' '.repeat(here + 2)}- $1` : `${k}: $1`;
      return {
        label: k,
        insertText: insert,
        snippet: true,
        kind: 'property' as const,
        detail: required.has(k) ? render(msg('completion.required', { title: propertyTitle(prop, k, locale) }), locale) : propertyTitle(prop, k, locale),
        documentation: prop ? propertyDoc(prop, k, locale, product) : undefined,
        range,
      };
    });
}

// ------------------------------------------------------------------------------------------------------

export interface Loc {
  range: Range;
  path?: string;
}

/** Go to definition: from a node name in a step or device group to its declaration; from metaFile/propertiesFile to the file. */
export function manifestDefinition(text: string, pos: Position, filePath?: string): Loc | undefined {
  const file = loadYaml(text);
  const hit = locate(file, pos);
  if (!hit || hit.onKey) return undefined;
  const value = get(hit.doc.value, hit.pointer);
  if (typeof value !== 'string') return undefined;
  if (isNodeRef(hit.pointer)) {
    const d = nodeDecl(hit.doc, value);
    return d ? { range: d.range } : undefined;
  }
  if ((hit.pointer === '/metaFile' || hit.pointer === '/propertiesFile') && filePath) {
    return { path: path.resolve(path.dirname(filePath), value), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  }
  return undefined;
}

/** Find references: every use of a node name (from its declaration or any reference). */
export function manifestReferences(text: string, pos: Position, includeDeclaration: boolean): Range[] {
  const file = loadYaml(text);
  const hit = locate(file, pos);
  if (!hit || hit.onKey) return [];
  const value = get(hit.doc.value, hit.pointer);
  if (typeof value !== 'string' || !(isNodeRef(hit.pointer) || /^\/nodes\/\d+\/name$/.test(hit.pointer))) return [];
  const out: Range[] = [];
  for (const [p, l] of hit.doc.at) {
    if (get(hit.doc.value, p) !== value) continue;
    if (isNodeRef(p) || (includeDeclaration && /^\/nodes\/\d+\/name$/.test(p))) out.push(l.range);
  }
  return out.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
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

export function manifestLinks(text: string, filePath?: string): { range: Range; target: string }[] {
  if (!filePath) return [];
  const file = loadYaml(text);
  const out: { range: Range; target: string }[] = [];
  for (const doc of file.docs) {
    for (const key of ['metaFile', 'propertiesFile']) {
      const l = doc.at.get(`/${key}`);
      const val = get(doc.value, `/${key}`);
      if (l && typeof val === 'string' && val) out.push({ range: l.range, target: path.resolve(path.dirname(filePath), val) });
    }
  }
  return out;
}

/** Absolute paths of the meta and properties files a manifest references (for cross-file re-validation). */
export function manifestReferencedFiles(text: string, filePath: string): string[] {
  return manifestLinks(text, filePath).map((l) => l.target);
}

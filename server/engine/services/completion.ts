/** Completion for meta, properties and manifest files: keys not present yet, and the values known for a key. */
import * as path from 'node:path';
import { dynamicMsg, msg, render, type Message } from '../l10n/index';
import { asArr, productKeys } from '../manifest';
import { loadYaml } from '../parse/yaml';
import { META_KEYS } from '../rules/meta';
import { manifestSchemaAt, propertyTitle, productRoles, productValues, schemas, stepKeys, type PropertySchema } from '../schema';
import { imp, PRODUCTS, productOf, STEP_VALUES } from '../products/index';
import { manifestSkeleton, metaSkeleton } from '../planner/skeleton';
import { plannerOf } from '../planner/index';
import { splitUrl, urlFileName } from '../url';
import { parseVersion } from '../versions';
import type { Locale, Position, Range } from '../types';
import { onlyComments } from '../text';
import { canonicalKey, clampPosition, label, parseKv, type CompletionEnv, type CompletionResult, type KvKind } from './common';
import { keyDoc, propertyDoc } from './hover';

/** Completion: keys not present yet (at the start of a line), or known values (after `=`). */
export function kvCompletion(kind: KvKind, text: string, pos: Position, locale: Locale, env: CompletionEnv = {}): CompletionResult[] {
  const doc = parseKv(kind, text);
  const meta = kind === 'acns-meta' && onlyComments(text) ? metaSkeletonItem(doc.index.lineText(Math.min(pos.line, doc.index.lineCount - 1)), pos, locale) : [];
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
    return [
      ...meta,
      ...keys
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
            retrigger: true,
          };
        }),
    ];
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

// ------------------------------------------------------------------------------------------------------
// Completion: the context comes from indentation (it must work while the document is being typed and
// does not parse), then keys or values are offered from the schema and the declared nodes.

export interface ManifestCompletion {
  label: string;
  insertText: string;
  snippet: boolean;
  kind: 'property' | 'value' | 'reference' | 'snippet';
  detail?: string;
  documentation?: string;
  range: Range;
  filterText?: string;
  sortText?: string;
  /** A key whose values are offered too: the editor asks for them once the key is inserted. */
  retrigger?: boolean;
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
  // An empty manifest (blank lines and comments only): a whole manifest per product, planned from its guide.
  if (onlyComments(text)) return skeletonItems(text, pos, locale);
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
    // A step's service and target: the ones the product's guide uses.
    if (inSteps && (ctx.key === 'service' || ctx.key === 'target')) {
      const own = productOf(product) ? STEP_VALUES[productOf(product)!.id][ctx.key] : undefined;
      if (own) values = values.filter((x) => own.includes(x));
    }
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
  // The keys of the mapping the cursor is in, with their plain scalar values (a step's `action`).
  const present = new Map<string, string | undefined>();
  const KEY = /^(\s*)(-\s+)?([A-Za-z][\w-]*)\s*:(?:\s*([\w.-]+)\s*(?:#.*)?$)?/;
  const here =
    lines[pos.line].length -
    lines[pos.line].trimStart().length +
    (/^\s*-\s+/.test(lines[pos.line]) ? lines[pos.line].match(/^\s*-\s+/)![0].length - (lines[pos.line].length - lines[pos.line].trimStart().length) : 0);
  for (let i = pos.line - 1; i >= 0; i--) {
    const l = lines[i];
    if (!l.trim()) continue;
    const ind = l.length - l.trimStart().length;
    const km = KEY.exec(l);
    if (!km) continue;
    const col = km[1].length + (km[2]?.length ?? 0);
    if (col === here) {
      present.set(km[3], km[4]);
      if (km[2]) break;
    } else if (ind < here) break;
  }
  for (let i = pos.line + 1; i < lines.length; i++) {
    const l = lines[i];
    const km = KEY.exec(l);
    if (!l.trim()) continue;
    const ind = l.length - l.trimStart().length;
    if (!km || ind < here || km[2]) break;
    if (km[1].length === here) present.set(km[3], km[4]);
  }
  // In a step: only the keys its action takes, and never both `node` and `nodes`.
  if (ctx.path[0] === 'steps' && ctx.path.length === 2) {
    const action = present.get('action');
    const allowed = action ? stepKeys(action) : undefined;
    if (allowed) keys = keys.filter((k) => allowed.includes(k));
    if (present.has('node') || present.has('nodes')) present.set('node', undefined).set('nodes', undefined);
  }
  const required = new Set((schema as { required?: string[] }).required ?? []);
  return keys
    .filter((k) => !present.has(k))
    .map((k) => {
      const prop = schema.properties[k] as PropertySchema & { type?: string | string[] };
      const t = Array.isArray(prop?.type) ? prop.type[0] : prop?.type;
      const insert = t === 'object' ? `${k}:\n${' '.repeat(here + 2)}$1` : t === 'array' ? `${k}:\n${' '.repeat(here + 2)}- $1` : `${k}: $1`;
      const offered =
        !!(prop as { enum?: unknown[] })?.enum ||
        (prop as { const?: unknown })?.const !== undefined ||
        ['node', 'nodes', 'members', 'role', 'highAvailability'].includes(k);
      return {
        label: k,
        insertText: insert,
        snippet: true,
        retrigger: t !== 'object' && t !== 'array' ? offered : k === 'nodes' && ctx.path[0] === 'steps',
        kind: 'property' as const,
        detail: required.has(k) ? render(msg('completion.required', { title: propertyTitle(prop, k, locale) }), locale) : propertyTitle(prop, k, locale),
        documentation: prop ? propertyDoc(prop, k, locale, product) : undefined,
        range,
      };
    });
}

/** The manifest skeleton of each product (snippets), replacing what is typed on the line. */
function skeletonItems(text: string, pos: Position, locale: Locale): ManifestCompletion[] {
  const line = text.split(/\r\n|\r|\n/)[pos.line] ?? '';
  if (line.trimStart().startsWith('#')) return [];
  const range = { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: line.length } };
  const out: ManifestCompletion[] = [];
  PRODUCTS.forEach((p, i) => {
    const body = manifestSkeleton(p.id, locale);
    const path = plannerOf(p.id)?.paths[0];
    if (!body || !path) return;
    const productName = render(dynamicMsg(`product.${p.id}.name`), locale);
    out.push({
      label: render(msg('snippet.manifest.label', { productName }), locale),
      filterText: `${p.id} manifest ${productName}`,
      insertText: body,
      snippet: true,
      detail: render(msg('snippet.manifest.detail', { from: path.from, to: path.to }), locale),
      documentation: render(msg('snippet.manifest.doc'), locale),
      kind: 'snippet',
      range,
      sortText: `0${i}`,
    });
  });
  return out;
}

/** The meta-file skeleton on an empty meta file. */
function metaSkeletonItem(lineText: string, pos: Position, locale: Locale): CompletionResult[] {
  if (lineText.trimStart().startsWith('#')) return [];
  return [
    {
      label: render(msg('snippet.meta.label'), locale),
      filterText: 'meta version updateFileUrl updateFileSize',
      insertText: metaSkeleton(locale),
      snippet: true,
      detail: render(msg('snippet.meta.detail'), locale),
      kind: 'snippet',
      range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: lineText.length } },
      sortText: '00',
    },
  ];
}

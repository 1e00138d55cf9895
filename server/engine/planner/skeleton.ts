/**
 * Snippets: a manifest skeleton per product (the planner's plan for the product's first path and its smallest node
 * set, with the versions and node names as linked tab stops), one step per action with the keys that action takes
 * (allowed values as choices), and a meta-file skeleton with placeholders instead of made-up values. The language
 * server offers the first on an empty manifest (every client); scripts/docgen.ts writes the others to
 * snippets/*.code-snippets for VS Code.
 */
import { render } from '../l10n/index';
import { manifestSchemaAt, stepKeys } from '../schema';
import type { Locale } from '../types';
import { newManifest, plannerOf } from './index';

/** Text as a literal inside a snippet. */
export const snippetEscape = (s: string) => s.replace(/[\\$}]/g, (c) => `\\${c}`);

/** The manifest skeleton of a product, in snippet syntax; undefined when the planner has no path. */
export function manifestSkeleton(product: string, locale: Locale): string | undefined {
  const planner = plannerOf(product);
  const path = planner?.paths[0];
  if (!planner || !path) return undefined;
  const nodes = planner.sampleNodes(() => 0, path);
  const r = newManifest({ product: planner.product, from: path.from, to: path.to, nodes, facts: path.facts }, locale);
  if (!r.ok) return undefined;
  let stop = 0;
  const stops = new Map<string, number>();
  const tab = (v: string) => {
    let n = stops.get(v);
    if (n === undefined) stops.set(v, (n = ++stop));
    return n;
  };
  const lines = r.text.split('\n').map((line) => {
    const m = /^(from|to): (.*)$/.exec(line);
    if (m) return `${m[1]}: \${${tab(`${m[1]}\u0000${m[2]}`)}:${snippetEscape(m[2])}}`;
    return snippetEscape(line);
  });
  // Node names: a tab stop each, the same number wherever the name is written (so editing one edits all).
  const names = nodes.map((n) => n.name).sort((a, b) => b.length - a.length);
  const re = names.length
    ? new RegExp(`(?<![A-Za-z0-9._-])(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'g')
    : undefined;
  const body = lines
    .map((line) => {
      if (!re || /^\s*#/.test(line) || /^\s*(note|title):/.test(line)) return line;
      return line.replace(re, (name) => `\${${tab(`node\u0000${name}`)}:${name}}`);
    })
    .join('\n');
  return body;
}

/** A step of `action` in snippet syntax: the keys it requires, with the schema's values as a choice where it lists them. */
export function stepSnippet(action: string): string {
  const keys = (stepKeys(action) ?? []).filter((k) => !['id', 'action', 'node', 'nodes', 'note', 'duration'].includes(k));
  const required = requiredKeys(action);
  let n = 1;
  const lines = [`- id: \${${n++}:${action}}`, `  action: ${action}`, `  node: \${${n++}:node}`];
  for (const k of keys.filter((x) => required.includes(x))) {
    const s = manifestSchemaAt(['steps', '[]', k]) as { enum?: unknown[] } | undefined;
    const values = s?.enum?.map(String);
    lines.push(values?.length ? `  ${k}: \${${n++}|${values.map((v) => v.replace(/[,|\\]/g, (c) => `\\${c}`)).join(',')}|}` : `  ${k}: \${${n++}:${k}}`);
  }
  lines.push('  note: $0');
  return lines.join('\n');
}

/** The keys a step with this action must have, from the schema's branch for it. */
function requiredKeys(action: string): string[] {
  const step = manifestSchemaAt(['steps', '[]']) as
    { allOf?: { if?: { properties?: { action?: { const?: string } } }; then?: { required?: string[] } }[] } | undefined;
  const branch = step?.allOf?.find((b) => b.if?.properties?.action?.const === action);
  return branch?.then?.required ?? [];
}

/** The meta-file skeleton: the three keys the ACNS guide requires, with placeholders that say what goes there. */
export const metaSkeleton = (locale: Locale): string =>
  [
    `version=\${1:${snippetEscape(render({ key: 'snippet.meta.version' }, locale))}}`,
    `updateFileUrl=\${2:${snippetEscape(render({ key: 'snippet.meta.url' }, locale))}}`,
    `updateFileSize=\${3:${snippetEscape(render({ key: 'snippet.meta.size' }, locale))}}`,
    '$0',
  ].join('\n');

/** The text a snippet inserts when no placeholder is changed: `${1:x}` → x, `${1|a,b|}` → a, `$0` → nothing. */
export function snippetText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length && '\\$}'.includes(snippet[i + 1])) {
      out += snippet[++i];
      continue;
    }
    if (c === '$') {
      const tab = /^\$(\d+)/.exec(snippet.slice(i));
      if (tab) {
        i += tab[0].length - 1;
        continue;
      }
      const choice = /^\$\{\d+\|((?:[^|\\]|\\.)*?)(?:,(?:[^|\\]|\\.)*)*\|\}/.exec(snippet.slice(i));
      if (choice) {
        out += choice[1].replace(/\\(.)/g, '$1');
        i += choice[0].length - 1;
        continue;
      }
      const ph = /^\$\{\d+:/.exec(snippet.slice(i));
      if (ph) {
        i += ph[0].length - 1;
        continue; // the placeholder's text follows; its closing brace is dropped below
      }
    }
    if (c === '}') continue;
    out += c;
  }
  return out;
}

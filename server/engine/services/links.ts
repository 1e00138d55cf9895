/** Document links: the image URL of meta files, the meta and properties files of manifests. */
import * as path from 'node:path';
import { msg, render } from '../l10n/index';
import { parseMeta } from '../parse/kv';
import { loadYaml } from '../parse/yaml';
import { splitUrl } from '../url';
import type { FileKind, Locale, Range } from '../types';
import { canonicalKey, get } from './common';

export interface LinkResult {
  range: Range;
  target: string;
  tooltip: string;
}

export function kvLinks(kind: FileKind, text: string, locale: Locale): LinkResult[] {
  if (kind !== 'acns-meta') return [];
  const doc = parseMeta(text);
  const out: LinkResult[] = [];
  for (const e of doc.entries) {
    if (canonicalKey('acns-meta', e.key) !== 'updateFileUrl') continue;
    const parts = splitUrl(e.value);
    if (!parts || (parts.scheme !== 'http' && parts.scheme !== 'ftp') || !parts.host) continue;
    out.push({ range: e.valueRange, target: e.value, tooltip: render(msg('links.openImage'), locale) });
  }
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

/** Go to definition, find references and the referenced files of upgrade manifests. */
import * as path from 'node:path';
import { loadYaml } from '../parse/yaml';
import type { Position, Range } from '../types';
import { get, isNodeRef, locate, nodeDecl } from './common';
import { manifestLinks } from './links';

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

/** Absolute paths of the meta and properties files a manifest references (for cross-file re-validation). */
export function manifestReferencedFiles(text: string, filePath: string): string[] {
  return manifestLinks(text, filePath).map((l) => l.target);
}

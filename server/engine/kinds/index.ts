/** The file kinds upgrade-lint checks, each described once in its module. */
import type { FileKind } from '../types';
import type { FileKindModule } from './kind';
import { acnsMeta, cupmProperties } from './kv';
import { upgradeManifest } from './manifest';

export const KINDS: readonly FileKindModule[] = [acnsMeta, cupmProperties, upgradeManifest];

const byId = new Map(KINDS.map((k) => [k.id, k]));
export const kindModule = (id: FileKind): FileKindModule => byId.get(id)!;

/** The file kind for a path, by its base name; undefined for files upgrade-lint does not check. */
export function kindForPath(p: string): FileKind | undefined {
  const base = p.replace(/\\/g, '/').split('/').pop() ?? '';
  return KINDS.find((k) => k.matches(base))?.id;
}

/** The kind of a VS Code language id. */
export const kindForLanguage = (languageId: string): FileKind | undefined => KINDS.find((k) => k.languageId === languageId)?.id;

export type { DocSymbol, FileKindModule, KindCompletion } from './kind';

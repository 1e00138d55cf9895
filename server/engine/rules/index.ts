/**
 * The rule registry: every rule id the engine can report, with its docs. Docs (docs/rules.md), SARIF rule
 * metadata, hovers and the README's rule list are all generated from this one list.
 */
import { ruleDocs } from '../l10n/index';
import type { RuleMeta } from '../rule';
import { acnsRules } from './acns';
import { ccmRules } from './ccm';
import { cupmRules } from './cupm';
import { dfcRules } from './dfc';
import { impRules } from './imp';
import { imsRules } from './ims';
import { manifestRules, type ManifestRule } from './manifest';
import { metaRules } from './meta';
import { timeRules } from './time';

const kw = (keyword: string, fix?: RuleMeta['fix']): RuleMeta => ({
  id: `schema/${keyword}`,
  kind: 'any',
  severity: 'error',
  ...(fix ? { fix } : {}),
  source: 'FMT-04 (JSON Schemas in schemas/)',
  docs: ruleDocs(`schema/${keyword}`),
});

/** Structure problems found by the JSON Schemas in `schemas/`, one id per JSON Schema keyword. */
export const schemaRules: RuleMeta[] = [
  kw('required'),
  kw('additionalProperties'),
  kw('pattern', 'preferred'), // a size or port written with separators or a unit: the plain number
  kw('minLength'),
  kw('type'),
  kw('const'),
  kw('minItems'),
  kw('minimum'),
  kw('enum'),
];

/** Opt-in checks that ask the image's server (server/node/remote.ts); off unless upgradeLint.remoteChecks / --remote-checks. */
export const remoteRules: RuleMeta[] = [
  {
    id: 'meta/remote-size-mismatch',
    kind: 'acns-meta',
    severity: 'error',
    fix: 'preferred',
    source: '002-09 (updateFileSize is the size of the image in bytes)',
    docs: ruleDocs('meta/remote-size-mismatch'),
  },
  { id: 'meta/remote-unreachable', kind: 'acns-meta', severity: 'warning', source: 'FMT-15 (remote checks)', docs: ruleDocs('meta/remote-unreachable') },
];

/** Problems with the file as a whole, and with the configuration. */
export const fileRules: RuleMeta[] = [
  { id: 'file/too-large', kind: 'any', severity: 'warning', source: 'FMT-13 (limits)', docs: ruleDocs('file/too-large') },
  { id: 'file/binary', kind: 'any', severity: 'error', source: 'FMT-13 (text files)', docs: ruleDocs('file/binary') },
  { id: 'file/encoding', kind: 'any', severity: 'warning', source: 'FMT-13 (UTF-8)', docs: ruleDocs('file/encoding') },
  { id: 'file/unreadable', kind: 'any', severity: 'error', source: 'FMT-13 (regular, readable files)', docs: ruleDocs('file/unreadable') },
  { id: 'file/too-many-problems', kind: 'any', severity: 'information', source: 'FMT-13 (limits)', docs: ruleDocs('file/too-many-problems') },
  { id: 'yaml/syntax', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', source: 'FMT-01 (YAML 1.2)', docs: ruleDocs('yaml/syntax') },
  { id: 'yaml/too-many-aliases', kind: 'upgrade-manifest', severity: 'error', source: 'FMT-02 (limits)', docs: ruleDocs('yaml/too-many-aliases') },
  { id: 'yaml/too-deep', kind: 'upgrade-manifest', severity: 'error', source: 'FMT-03 (limits)', docs: ruleDocs('yaml/too-deep') },
  { id: 'config/invalid', kind: 'any', severity: 'error', source: 'FMT-14 (.upgrade-lint.json)', docs: ruleDocs('config/invalid') },
];

export const manifestRuleList: ManifestRule[] = [...manifestRules, ...acnsRules, ...impRules, ...ccmRules, ...cupmRules, ...imsRules, ...timeRules];

export const checkRules = [...metaRules, ...dfcRules, ...manifestRuleList];

export const allRules: RuleMeta[] = [...checkRules, ...remoteRules, ...schemaRules, ...fileRules];

const byId = new Map(allRules.map((r) => [r.id, r]));
/** The families of rule ids (`meta`, `dfc`, `acns`…): what `family/*` in a configuration may name. */
let families: Set<string> | undefined;
export const ruleFamilies = (): Set<string> => (families ??= new Set(allRules.map((r) => r.id.slice(0, r.id.indexOf('/')))));

export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}

export { metaRules, dfcRules };

/** Upgrade manifests (YAML): parse, schema, cross-rules per document; and the services of the editor. */
import type { ErrorObject } from 'ajv';
import { pathToFileURL } from 'node:url';
import { Collector, severityFor } from '../collector';
import { msg } from '../l10n/index';
import type { LintInput } from '../lint';
import { buildManifestContext, manifestSchemaFindings } from '../manifest';
import type { Comment } from '../parse/kv';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYaml, MAX_NESTING, noPointers, type YamlDocument } from '../parse/yaml';
import { manifestRuleList } from '../rules/index';
import type { ManifestRule } from '../rules/manifest';
import type { Finding } from '../rule';
import { chainsHold } from '../order';
import { orderChains } from '../services/sort';
import { validate } from '../schema';
import { manifestCompletion } from '../services/completion';
import { manifestHover } from '../services/hover';
import { manifestLinks } from '../services/links';
import { manifestSymbols, type ManifestSymbol } from '../services/symbols';
import { LineIndex, looksBinary } from '../text';
import { drain, Lru } from '../util';
import type { LintOptions } from '../types';
import type { DocSymbol, FileKindModule, LintFile } from './kind';
import { syntaxFinding } from './yaml-syntax';

/** Move fixes checked against every order rule per document (each check reads every chain). */
const MAX_MOVES_CHECKED = 20;

/** Full-line YAML comments (for suppression): `# ...` alone on its line. */
function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  const re = /^[ \t]*#(.*)$/gm;
  if (!text.includes('upgrade-lint-disable')) return out;
  const idx = new LineIndex(text);
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ line: idx.positionAt(m.index).line, text: m[1].replace(/\r$/, '') });
  return out;
}

/** The manifest's diagnostics into `c`, yielding after the schema and after each rule (see `lintSteps`). */
function* lintManifest(input: LintInput, opts: LintOptions, c: Collector, lint: LintFile): Generator<void, void> {
  const file = loadYaml(input.text, opts.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION);
  if (file.tooDeep) {
    c.add('yaml/too-deep', { range: file.tooDeep, message: msg('yaml/too-deep.message', { max: MAX_NESTING }) });
    return;
  }
  if (file.syntaxDropped && severityFor('yaml/syntax', opts.rules ?? {}) !== 'off') c.hidden += file.syntaxDropped;
  for (const p of file.syntax) {
    const f = syntaxFinding(file, p);
    c.add('yaml/syntax', { range: p.range, message: f.message, fixes: f.fixes });
  }
  const docs: YamlDocument[] = file.docs.length ? file.docs : [{ value: undefined, at: noPointers(), start: 0, end: 0, hasErrors: file.syntax.length > 0 }];
  const rules = opts.rules ?? {};
  for (const doc of docs) {
    if (doc.aliasLimitHit) {
      c.add('yaml/too-many-aliases', { range: doc.aliasLimitHit, message: msg('yaml/too-many-aliases.message') });
      continue;
    }
    if (doc.hasErrors) continue;
    if ((doc.value === undefined || doc.value === null) && docs.length > 1) continue; // an empty document among others
    const ctx = buildManifestContext(file, doc, input.path, opts);
    ctx.lintReferenced = (abs, kind) => {
      const text = opts.fs?.readText?.(abs);
      if (text === undefined) return undefined;
      return lint({ text, kind, path: abs, binary: looksBinary(text) }, { ...opts, rules: {} }).diagnostics;
    };
    const errors =
      docs.length > 1 ? documentSchemaErrors(input.text.slice(doc.start, doc.end), opts, doc.value) : validate('upgrade-manifest', doc.value ?? {});
    for (const { rule, finding } of manifestSchemaFindings(errors, ctx)) c.add(rule, finding);
    yield;
    const found: [ManifestRule, Finding][] = [];
    let moves = 0;
    for (const rule of manifestRuleList) {
      if (severityFor(rule.id, rules) === 'off') continue;
      if (rule.products && (!ctx.product || !rule.products.includes(ctx.product))) continue;
      rule.check(ctx, (f) => {
        found.push([rule, f]);
        if (f.fixes?.some((x) => x.order)) moves++;
      });
      yield;
    }
    // A move is the preferred fix when the order after it satisfies every order rule: the only sensible fix.
    // (Checked for a handful of moves; a plan with many steps out of place is for "Sort steps".)
    if (moves && moves <= MAX_MOVES_CHECKED) {
      const chains = orderChains(ctx);
      for (const [, f] of found) for (const x of f.fixes ?? []) if (x.order && chainsHold(chains, x.order)) x.preferred = true;
    }
    for (const [rule, f] of found) c.add(rule, f);
  }
}

/**
 * Schema errors of one document of a multi-document manifest, kept by the document's text: when one document
 * of the file is edited, the others are not validated against the schema again. (The errors name instance
 * paths, which are mapped to ranges afterwards, so a document that only moved still gets the right ranges.)
 */
const schemaErrorsByText = new Lru<ErrorObject[]>(64);
function documentSchemaErrors(docText: string, opts: LintOptions, value: unknown): ErrorObject[] {
  const key = `${opts.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION}\u0000${docText}`;
  let errors = schemaErrorsByText.get(key);
  if (!errors) schemaErrorsByText.set(key, (errors = validate('upgrade-manifest', value ?? {})));
  return errors;
}

const symbolOf = (x: ManifestSymbol): DocSymbol => ({
  name: x.name,
  detail: x.detail,
  kind: x.kind,
  range: x.range,
  selectionRange: x.selectionRange,
  children: x.children.map(symbolOf),
});

export const upgradeManifest: FileKindModule = {
  id: 'upgrade-manifest',
  languageId: 'upgrade-manifest',
  patterns: ['*.upgrade.yaml', '*.upgrade.yml', 'upgrade-manifest.yaml', 'upgrade-manifest.yml'],
  matches: (base) => /\.upgrade\.ya?ml$/i.test(base) || /^upgrade-manifest\.ya?ml$/i.test(base),
  lint(input, opts, c, lintFile) {
    return drain(this.lintSteps!(input, opts, c, lintFile));
  },
  *lintSteps(input, opts, c, lintFile) {
    yield* lintManifest(input, opts, c, lintFile);
    return yamlComments(input.text);
  },
  comments: yamlComments,
  hover: (text, pos, diagnostics, locale) => manifestHover(text, pos, diagnostics, locale),
  completion: (text, pos, locale) => manifestCompletion(text, pos, locale),
  symbols: (text) => manifestSymbols(text).map(symbolOf),
  links: (text, path) => manifestLinks(text, path).map((l) => ({ range: l.range, url: pathToFileURL(l.target).href })),
};

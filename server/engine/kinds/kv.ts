/**
 * The two `key=value` file kinds, ACNS meta files and CUPM dfc.properties: parse, schema layer (the effective value
 * of each canonical key), cross-rules; and the services of the editor.
 */
import { buildKvContext, insertLineAfter, snippetLiteral, type KvContext } from '../kvcontext';
import { Collector, severityFor } from '../collector';
import { msg } from '../l10n/index';
import type { LintInput } from '../lint';
import { parseMeta, parseProperties, type Entry, type KvDocument } from '../parse/kv';
import type { LocalizedFix, Rule } from '../rule';
import { dfcRules, metaRules } from '../rules/index';
import { META_KEYS } from '../rules/meta';
import { schemaMessage, schemas, validate, type KvSchemaName } from '../schema';
import { kvCompletion } from '../services/completion';
import { kvHover } from '../services/hover';
import { kvLinks } from '../services/links';
import { kvSymbols } from '../services/symbols';
import { missingKeyRange } from '../text';
import { closest, dict, unescapePointer } from '../util';
import type { LintOptions } from '../types';
import { foreignMetaFormat, type ForeignFormat } from './foreign';
import type { FileKindModule } from './kind';

function lintKv(doc: KvDocument, input: LintInput, opts: LintOptions, c: Collector): void {
  const kind = input.kind as KvSchemaName;
  const schema = schemas[kind];
  const ctx = buildKvContext(input.kind, doc, kind === 'acns-meta' ? META_KEYS : Object.keys(schema.properties), {
    path: input.path,
    fs: opts.fs,
    imageSearchPaths: opts.imageSearchPaths ?? [],
  });
  // Schema layer: the instance holds the effective value of each canonical key.
  const instance = dict<string>();
  for (const [key, e] of ctx.effective) instance[key] = e.value;
  for (const err of validate(kind, instance)) schemaFinding(err, ctx, schema, c);
  // Cross-rules.
  const rules = (kind === 'acns-meta' ? metaRules : dfcRules) as Rule<KvContext>[];
  const disabled = opts.rules ?? {};
  for (const rule of rules) {
    if (severityFor(rule.id, disabled) === 'off') continue;
    rule.check(ctx, (f) => c.add(rule, f));
  }
}

function schemaFinding(err: import('ajv').ErrorObject, ctx: KvContext, schema: (typeof schemas)[KvSchemaName], c: Collector): void {
  const rule = `schema/${err.keyword}`;
  const doc = ctx.doc;
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    const last = doc.entries[doc.entries.length - 1];
    // The key is added with no value, for the user to fill in (completion offers the values): never an example
    // that looks like a real size or version. With several keys missing, one fix adds them all.
    const all = ((schema as { required?: string[] }).required ?? []).filter(
      (k) => !ctx.effective.has(k) && ![...ctx.effective.keys()].some((e) => e.toLowerCase() === k.toLowerCase()),
    );
    const fixes: LocalizedFix[] = [
      {
        title: msg('schema/required.addKv', { missing }),
        preferred: false,
        edits: [insertLineAfter(doc, last?.endLine, `${missing}=`, `${snippetLiteral(missing)}=$0`)],
      },
    ];
    if (all.length > 1)
      fixes.push({
        title: msg('schema/required.addAllKv', { keys: all.map((k) => `\`${k}=\``) }),
        preferred: false,
        edits: [
          insertLineAfter(
            doc,
            last?.endLine,
            all.map((k) => `${k}=`).join(doc.index.eol()),
            // A tab stop after each `=`: Tab goes from one value to the next.
            all.map((k, i) => `${snippetLiteral(k)}=$${i === all.length - 1 ? 0 : i + 1}`).join(doc.index.eol()),
          ),
        ],
      });
    c.add(rule, {
      // Issue 12: at the end of the file, where the key would be added; not under a key that is present.
      range: missingKeyRange(doc.index),
      message: schemaMessage(err, schema, '', undefined),
      fixes,
    });
    return;
  }
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    const e = ctx.effective.get(extra);
    if (!e) return;
    const near = closest(
      extra,
      Object.keys(schema.properties).filter((k) => !ctx.effective.has(k)),
      2,
    );
    const unknown = schemaMessage(err, schema, extra, undefined);
    const fixes: LocalizedFix[] = near
      ? [{ title: msg('schema.fix.rename', { name: near }), preferred: false, edits: [{ range: e.keyRange, newText: near }] }]
      : [];
    c.add(rule, {
      range: e.keyRange,
      message: near ? msg('schema/additionalProperties.didYouMean', { message: unknown, near }) : unknown,
      fixes,
    });
    return;
  }
  const key = unescapePointer(decodeURIComponent(err.instancePath.split('/')[1] ?? ''));
  const e: Entry | undefined = ctx.effective.get(key);
  if (!e) return;
  // A size written with digit separators or a unit (`97,205,475`, `97205475 bytes`): the plain number is certain.
  const plain = err.keyword === 'pattern' && schema.properties[key]?.['x-unit'] ? plainNumber(e.value) : undefined;
  c.add(rule, {
    range: e.value === '' ? { start: e.keyRange.start, end: e.valueRange.end } : e.valueRange,
    message: schemaMessage(err, schema, key, e.value),
    fixes: plain ? [{ title: msg('schema/pattern.fixNumber', { value: plain }), preferred: true, edits: [{ range: e.valueRange, newText: plain }] }] : [],
  });
}

/** `97,205,475`, `97 205 475`, `97_205_475` or `97205475 bytes` → `97205475`; undefined for anything else. */
function plainNumber(v: string): string | undefined {
  const m = /^([1-9]\d{0,2}(?:[,_ ]\d{3})+|[1-9]\d*)\s*(?:bytes?|B|\u30d0\u30a4\u30c8)?$/i.exec(v.trim());
  if (!m) return undefined;
  const digits = m[1].replace(/[,_ ]/g, '');
  return digits === v ? undefined : digits;
}

/**
 * A `key=value` kind: the parser and the rules differ, everything else is shared. `foreign`: for names that other
 * formats share, recognises their texts; the services offer nothing in them (no hover, completion, symbol or link).
 */
function kvKind(
  id: KvSchemaName,
  languageId: string,
  patterns: string[],
  matches: (base: string) => boolean,
  parse: (text: string) => KvDocument,
  foreign?: (text: string) => ForeignFormat | undefined,
): FileKindModule {
  const ours = (text: string) => !foreign?.(text);
  return {
    id,
    languageId,
    patterns,
    matches,
    ...(foreign ? { foreign } : {}),
    lint(input, opts, c) {
      const doc = parse(input.text);
      lintKv(doc, input, opts, c);
      return doc.comments;
    },
    comments: (text) => parse(text).comments,
    hover: (text, pos, diagnostics, locale) => (ours(text) ? kvHover(id, text, pos, diagnostics, locale) : undefined),
    completion: (text, pos, locale, env) => (ours(text) ? kvCompletion(id, text, pos, locale, env) : []),
    symbols: (text) =>
      (ours(text) ? kvSymbols(id, text) : []).map((x) => ({
        name: x.name,
        detail: x.detail,
        kind: 'property' as const,
        range: x.range,
        selectionRange: x.selectionRange,
        children: [],
      })),
    links: (text, _path, locale) => (ours(text) ? kvLinks(id, text, locale) : []).map((l) => ({ range: l.range, url: l.target, tooltip: l.tooltip })),
  };
}

/** `*.meta` is also Unity's (and Cocos Creator's) metadata file: those texts are declined (kinds/foreign.ts). */
export const acnsMeta = kvKind('acns-meta', 'acns-meta', ['*.meta'], (base) => /\.meta$/i.test(base), parseMeta, foreignMetaFormat);
export const cupmProperties = kvKind('cupm-properties', 'cupm-properties', ['dfc.properties'], (base) => base === 'dfc.properties', parseProperties);

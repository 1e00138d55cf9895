/**
 * The engine's entry point: text in, diagnostics with fixes out. Parse → schema → cross-rules →
 * suppression comments → severities → limits. No editor or LSP imports: the language server and the
 * CLI both call `lint`, so editor and CI cannot disagree.
 */
import { msg, render, type Message } from './l10n/index';
import { buildKvContext, insertLineAfter, type KvContext } from './kvcontext';
import { parseMeta, parseProperties, type Comment, type Entry, type KvDocument } from './parse/kv';
import type { Finding, LocalizedFix, Rule, RuleMeta } from './rule';
import { dfcRules, manifestRuleList, metaRules, ruleMeta } from './rules/index';
import { buildManifestContext, manifestSchemaFindings } from './manifest';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYaml, MAX_NESTING, noPointers, type YamlDocument } from './parse/yaml';
import { META_KEYS } from './rules/meta';
import type { ErrorObject } from 'ajv';
import { schemaMessage, schemas, validate, type KvSchemaName } from './schema';
import { LineIndex, looksBinary } from './text';
import { closest, dict, Lru, redactSecrets, unescapePointer } from './util';
import type { Diagnostic, FileKind, Fix, LintOptions, LintResult, Locale, Range, Severity, SeveritySetting } from './types';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_DIAGNOSTICS = 1000;

/** The file kind for a path, by the patterns of the spec; undefined for files upgrade-lint does not check. */
export function kindForPath(p: string): FileKind | undefined {
  const base = p.replace(/\\/g, '/').split('/').pop() ?? '';
  if (/\.meta$/i.test(base)) return 'acns-meta';
  if (base === 'dfc.properties') return 'cupm-properties';
  if (/\.upgrade\.ya?ml$/i.test(base) || /^upgrade-manifest\.ya?ml$/i.test(base)) return 'upgrade-manifest';
  return undefined;
}

export interface LintInput {
  text: string;
  kind: FileKind;
  /** Absolute path, when the file is on disk (used for relative lookups and messages). */
  path?: string;
  /** Set when the bytes were not valid UTF-8 (the text then holds U+FFFD replacement characters). */
  invalidUtf8?: boolean;
  /** Set when the content is binary. */
  binary?: boolean;
  /** Size of the file in bytes, when known (a file over the limit may be passed with only its head as text). */
  size?: number;
}

const pick = (l: Locale, m: Message) => render(m, l);

class Collector {
  readonly out: Diagnostic[] = [];
  /** Problems found but not made into diagnostics (beyond the parser's limit): they count for `file/too-many-problems`. */
  hidden = 0;
  constructor(private locale: Locale) {}
  add(rule: RuleMeta | string, f: Finding): void {
    const meta = typeof rule === 'string' ? ruleMeta(rule) : rule;
    const id = typeof rule === 'string' ? rule : rule.id;
    // Every sentence leaves the engine with credentials in URLs masked, whatever the rule quoted.
    this.out.push({
      rule: id,
      severity: f.severity ?? meta?.severity ?? 'error',
      message: redactSecrets(pick(this.locale, f.message)),
      range: f.range,
      fixes: (f.fixes ?? []).map((x: LocalizedFix): Fix => ({ title: redactSecrets(pick(this.locale, x.title)), preferred: !!x.preferred, edits: x.edits })),
      ...(f.related?.length
        ? { related: f.related.map((r) => ({ message: redactSecrets(pick(this.locale, r.message)), range: r.range, ...(r.path ? { path: r.path } : {}) })) }
        : {}),
    });
  }
}

function firstLineRange(index: LineIndex): Range {
  return index.range(0, Math.min(index.lineEnd(0), 200));
}

export function lint(input: LintInput, opts: LintOptions = {}): LintResult {
  const locale = opts.locale ?? 'en';
  const c = new Collector(locale);
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const finish = () => ({ kind: input.kind, diagnostics: applySettings(c.out, opts, c.hidden) });

  const size = input.size ?? input.text.length;
  if (size > maxSize) {
    const head = new LineIndex(input.text.slice(0, 4096));
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    c.add('file/too-large', {
      range: firstLineRange(head),
      message: msg('file/too-large.message', { mb: mb(size), mb2: mb(maxSize) }),
    });
    return finish();
  }
  const index0 = () => new LineIndex(input.text);
  if (input.binary) {
    c.add('file/binary', {
      range: firstLineRange(index0()),
      message: msg('file/binary.message'),
    });
    return finish();
  }

  let comments: Comment[];
  if (input.kind === 'acns-meta' || input.kind === 'cupm-properties') {
    const doc = input.kind === 'acns-meta' ? parseMeta(input.text) : parseProperties(input.text);
    comments = doc.comments;
    lintKv(doc, input, opts, c);
  } else {
    comments = yamlComments(input.text);
    lintManifest(input, opts, c);
  }
  if (input.invalidUtf8) {
    const idx = index0();
    const bad = input.text.indexOf('\uFFFD');
    const line = idx.positionAt(Math.max(0, bad)).line;
    c.add('file/encoding', {
      range: idx.range(idx.lineStarts[line], idx.lineEnd(line)),
      message: msg('file/encoding.message'),
    });
  }
  c.out.splice(0, c.out.length, ...suppress(c.out, comments));
  return finish();
}

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
    const first = doc.entries[0];
    const last = doc.entries[doc.entries.length - 1];
    const example = schema.properties[missing]?.['x-example'] ?? '';
    c.add(rule, {
      range: first ? first.keyRange : firstLineRange(doc.index),
      message: schemaMessage(err, schema, '', undefined),
      fixes: [{ title: msg('schema/required.addKv', { missing }), preferred: false, edits: [insertLineAfter(doc, last?.endLine, `${missing}=${example}`)] }],
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
  c.add(rule, {
    range: e.value === '' ? { start: e.keyRange.start, end: e.valueRange.end } : e.valueRange,
    message: schemaMessage(err, schema, key, e.value),
  });
}

export { closest } from './util';

/** Full-line YAML comments (for suppression): `# ...` alone on its line. */
function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  const re = /^[ \t]*#(.*)$/gm;
  if (!text.includes('upgrade-lint-disable')) return out;
  const idx = new LineIndex(text);
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ line: idx.positionAt(m.index).line, text: m[1].replace(/\r$/, '') });
  return out;
}

function lintManifest(input: LintInput, opts: LintOptions, c: Collector): void {
  const file = loadYaml(input.text, opts.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION);
  if (file.tooDeep) {
    c.add('yaml/too-deep', { range: file.tooDeep, message: msg('yaml/too-deep.message', { MAX_NESTING }) });
    return;
  }
  if (file.syntaxDropped && severityFor('yaml/syntax', opts.rules ?? {}) !== 'off') c.hidden += file.syntaxDropped;
  for (const p of file.syntax) c.add('yaml/syntax', { range: p.range, message: msg('yaml/syntax.message', { message: p.message }) });
  const docs: YamlDocument[] = file.docs.length ? file.docs : [{ value: undefined, at: noPointers(), start: 0, end: 0, hasErrors: file.syntax.length > 0 }];
  const rules = opts.rules ?? {};
  docs.forEach((doc) => {
    if (doc.aliasLimitHit) {
      c.add('yaml/too-many-aliases', { range: doc.aliasLimitHit, message: msg('yaml/too-many-aliases.message') });
      return;
    }
    if (doc.hasErrors) return;
    if ((doc.value === undefined || doc.value === null) && docs.length > 1) return; // an empty document among others
    const ctx = buildManifestContext(file, doc, input.path, opts);
    ctx.lintReferenced = (abs, kind) => {
      const text = opts.fs?.readText?.(abs);
      if (text === undefined) return undefined;
      return lint({ text, kind, path: abs, binary: looksBinary(text) }, { ...opts, rules: {} }).diagnostics;
    };
    const errors =
      docs.length > 1 ? documentSchemaErrors(input.text.slice(doc.start, doc.end), opts, doc.value) : validate('upgrade-manifest', doc.value ?? {});
    for (const { rule, finding } of manifestSchemaFindings(errors, ctx)) c.add(rule, finding);
    for (const rule of manifestRuleList) {
      if (severityFor(rule.id, rules) === 'off') continue;
      if (rule.products && (!ctx.product || !rule.products.includes(ctx.product))) continue;
      rule.check(ctx, (f) => c.add(rule, f));
    }
  });
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

const DISABLE_RE = /^\s*upgrade-lint-disable-next-line\b(.*)$/;

/** `# upgrade-lint-disable-next-line rule-a, rule-b` silences those rules (all rules when none is named) on the next line. */
export function suppress(diags: Diagnostic[], comments: Comment[]): Diagnostic[] {
  if (!comments.length) return diags;
  const byLine = new Map<number, Set<string> | 'all'>();
  for (const cm of comments) {
    const m = DISABLE_RE.exec(cm.text);
    if (!m) continue;
    const ids = m[1].split(/[\s,]+/).filter(Boolean);
    byLine.set(cm.line + 1, ids.length ? new Set(ids) : 'all');
  }
  if (!byLine.size) return diags;
  return diags.filter((d) => {
    if (d.rule.startsWith('file/') || d.rule.startsWith('config/')) return true;
    const s = byLine.get(d.range.start.line);
    if (!s) return true;
    if (s === 'all') return false;
    return !(s.has(d.rule) || s.has(d.rule.split('/')[0] + '/*'));
  });
}

/**
 * Applies suppression comments and severity settings to diagnostics found outside `lint` (remote checks),
 * exactly as `lint` does for its own.
 */
export function settleExtra(diags: Diagnostic[], text: string, kind: FileKind, rules: Record<string, SeveritySetting> = {}): Diagnostic[] {
  const comments = kind === 'upgrade-manifest' ? yamlComments(text) : (kind === 'acns-meta' ? parseMeta(text) : parseProperties(text)).comments;
  return suppress(diags, comments).flatMap((d) => {
    const s = severityFor(d.rule, rules);
    return s === 'off' ? [] : [s ? { ...d, severity: s } : d];
  });
}

/** The severity setting in force for a rule: exact id first, then its family wildcard. */
export function severityFor(id: string, rules: Record<string, SeveritySetting>): SeveritySetting | undefined {
  const own = rules[id];
  if (own !== undefined) return own;
  let family = FAMILY_WILDCARD.get(id);
  if (family === undefined) FAMILY_WILDCARD.set(id, (family = id.slice(0, id.indexOf('/') + 1) + '*'));
  return rules[family];
}
/** Rule id → its family wildcard (`meta/http-port` → `meta/*`): asked for every rule of every document. */
const FAMILY_WILDCARD = new Map<string, string>();

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function applySettings(diags: Diagnostic[], opts: LintOptions, hidden = 0): Diagnostic[] {
  const rules = opts.rules ?? {};
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const s = severityFor(d.rule, rules);
    if (s === 'off') continue;
    out.push(s ? { ...d, severity: s } : d);
  }
  out.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity] ||
      a.rule.localeCompare(b.rule),
  );
  const max = Math.max(0, Math.floor(opts.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS)) || 0;
  if (out.length + hidden > max) {
    const left = out.length + hidden - max;
    const kept = out.slice(0, max);
    const last = kept[kept.length - 1] ?? out[0];
    kept.push({
      rule: 'file/too-many-problems',
      severity: 'information',
      range: last.range,
      fixes: [],
      message: render(msg('file/too-many-problems.message', { left, max }), opts.locale ?? 'en'),
    });
    return kept;
  }
  return out;
}

/**
 * Compiles every schema and runs each code path once on tiny inputs, so that the first real document a
 * server validates does not pay for schema compilation.
 */
export function warmUp(): void {
  lint({ text: 'updateFileSize=1\nversion=5.1.3\nupdateFileUrl=ftp://h/ACNS-5.1.3-K9.bin\n', kind: 'acns-meta' });
  lint({ text: 'dfc.webport=80\n', kind: 'cupm-properties' });
  lint({
    text: 'manifestVersion: 1\nproduct: acns\nfrom: 5.1.0\nto: 5.1.3\nnodes: [{name: a, role: content-engine}]\nsteps: [{id: s, action: upgrade, node: a}]\n',
    kind: 'upgrade-manifest',
  });
}

/**
 * The result for a file that could not be read at all (permission denied, not a regular file, vanished): one
 * `file/unreadable` error, so the run goes on and its exit code says that a file was not checked.
 */
export function unreadableResult(kind: FileKind, why: { reason: string; code?: string }, opts: LintOptions = {}): LintResult {
  const c = new Collector(opts.locale ?? 'en');
  const what =
    why.reason === 'not-regular'
      ? msg('file/unreadable.notRegular')
      : why.reason === 'denied'
        ? msg('file/unreadable.denied')
        : why.reason === 'missing'
          ? msg('file/unreadable.missing')
          : why.reason === 'outside'
            ? msg('file/unreadable.outside')
            : why.code
              ? why.code
              : msg('file/unreadable.error');
  c.add('file/unreadable', {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: msg('file/unreadable.message', { why: what }),
  });
  return { kind, diagnostics: applySettings(c.out, opts) };
}

/** The edits of every preferred fix, for `--fix` and "fix all" (overlapping ones are dropped when applied). */
export function preferredEdits(diags: Diagnostic[]) {
  return diags.flatMap((d) => d.fixes.filter((f) => f.preferred).flatMap((f) => f.edits));
}

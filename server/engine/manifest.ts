/**
 * Upgrade manifests: the per-document context rules see (nodes, steps, versions, ranges) and the mapping of
 * JSON Schema errors onto the YAML nodes they concern.
 */
import { catalogs, dynamicMsg, msg, render, type Arg, type Message } from './l10n/index';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import type { YamlDocument, YamlFile, Located } from './parse/yaml';
import type { Finding } from './rule';
import { closest, escapePointer, quoteValue, unescapePointer } from './util';
import { manifestSchemaAt, productKeys, titleOf, type PropertySchema } from './schema';

export { productKeys } from './schema';
import type { Diagnostic, EngineFs, FileKind, LintOptions, Range, TextEdit } from './types';
import { parseVersion, type Version } from './versions';
import { missingKeyRange } from './text';

export interface NodeInfo {
  name: string;
  role?: string;
  index: number;
  /** Range of the name value in the nodes list (computed when read). */
  readonly nameRange: Range;
  data: Record<string, unknown>;
}

export interface NodeRef {
  name: string;
  readonly range: Range;
}

export interface StepInfo {
  id: string;
  action?: string;
  index: number;
  /** Nodes the step names (`node` or `nodes`), with the range of each name. */
  nodes: NodeRef[];
  data: Record<string, unknown>;
  /** The range that stands for the step: its `id` value (or the step item when it has no id). */
  readonly range: Range;
  /** The whole step item. */
  readonly itemRange: Range;
  readonly itemStart: number;
}

export interface ManifestContext {
  file: YamlFile;
  doc: YamlDocument;
  m: Record<string, unknown>;
  product?: string;
  from?: Version;
  to?: Version;
  nodes: NodeInfo[];
  byName: Map<string, NodeInfo>;
  steps: StepInfo[];
  /** Absolute path of the manifest, when on disk. */
  path?: string;
  fs?: EngineFs;
  options: LintOptions;
  at(pointer: string): Located | undefined;
  /** Range of the value at `pointer`, or of the closest parent that exists. */
  range(pointer: string): Range;
  keyRange(pointer: string): Range;
  /** A referenced file, resolved against the manifest's folder. */
  resolve(p: string): string | undefined;
  /** Lints a referenced file with the same options (cross-file rules); undefined when it cannot be read. */
  lintReferenced?: (absPath: string, kind: FileKind) => Diagnostic[] | undefined;
}

/** `v` as an object (an empty one when it is not a plain object). */
export const asObj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/** `v` as an array (an empty one when it is not an array). */
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function buildManifestContext(file: YamlFile, doc: YamlDocument, filePath: string | undefined, options: LintOptions): ManifestContext {
  const m = asObj(doc.value);
  const at = (p: string) => doc.at.get(p);
  const range = (p: string): Range => {
    let q = p;
    for (;;) {
      const l = doc.at.get(q);
      if (l) return l.range;
      if (q === '') return file.index.range(doc.start, doc.start);
      q = q.slice(0, q.lastIndexOf('/'));
    }
  };
  const keyRange = (p: string) => doc.at.get(p)?.keyRange ?? range(p);
  const nodes: NodeInfo[] = [];
  asArr(m.nodes).forEach((n, index) => {
    const o = asObj(n);
    const name = str(o.name);
    if (name === undefined) return;
    nodes.push(new Node(name, str(o.role), index, o, range));
  });
  const byName = new Map<string, NodeInfo>();
  for (const n of nodes) if (!byName.has(n.name)) byName.set(n.name, n);
  const steps: StepInfo[] = [];
  asArr(m.steps).forEach((s, index) => {
    const o = asObj(s);
    const refs: NodeRef[] = [];
    const one = str(o.node);
    if (one !== undefined) refs.push(new Ref(one, `/steps/${index}/node`, range));
    asArr(o.nodes).forEach((x, i) => {
      const nm = str(x);
      if (nm !== undefined) refs.push(new Ref(nm, `/steps/${index}/nodes/${i}`, range));
    });
    steps.push(new Step(str(o.id) ?? `#${index + 1}`, str(o.action), index, refs, o, at, range, doc.start));
  });
  return {
    file,
    doc,
    m,
    product: str(m.product),
    from: parseVersion(m.from),
    to: parseVersion(m.to),
    nodes,
    byName,
    steps,
    path: filePath,
    fs: options.fs,
    options,
    at,
    range,
    keyRange,
    resolve: (p: string) => (filePath ? path.resolve(path.dirname(filePath), p) : path.isAbsolute(p) ? p : undefined),
  };
}

// Nodes, references and steps look their ranges up when a rule reports something (prototype getters, no
// closures per object), not for each of the 25,000 steps of a 50,000-line manifest.
type RangeOf = (pointer: string) => Range;
type At = (pointer: string) => Located | undefined;

class Node implements NodeInfo {
  constructor(
    readonly name: string,
    readonly role: string | undefined,
    readonly index: number,
    readonly data: Record<string, unknown>,
    private readonly rangeOf: RangeOf,
  ) {}
  get nameRange(): Range {
    return this.rangeOf(`/nodes/${this.index}/name`);
  }
}

class Ref implements NodeRef {
  constructor(
    readonly name: string,
    private readonly pointer: string,
    private readonly rangeOf: RangeOf,
  ) {}
  get range(): Range {
    return this.rangeOf(this.pointer);
  }
}

class Step implements StepInfo {
  constructor(
    readonly id: string,
    readonly action: string | undefined,
    readonly index: number,
    readonly nodes: NodeRef[],
    readonly data: Record<string, unknown>,
    private readonly at: At,
    private readonly rangeOf: RangeOf,
    private readonly docStart: number,
  ) {}
  get range(): Range {
    return this.at(`/steps/${this.index}/id`)?.range ?? this.rangeOf(`/steps/${this.index}`);
  }
  get itemRange(): Range {
    return this.rangeOf(`/steps/${this.index}`);
  }
  get itemStart(): number {
    return this.at(`/steps/${this.index}`)?.start ?? this.docStart;
  }
}

/** Helpers for order rules. */
export const isUpgrade = (s: StepInfo) => s.action === 'upgrade';
/** Steps that leave their nodes on the plan's `to`: an upgrade, a switch to the other partition (000, reverting), a fresh install. */
export const bringsToTarget = (s: StepInfo) => s.action === 'upgrade' || s.action === 'switch-version' || isFreshInstall(s);
/**
 * Steps after which their nodes run `to` actively: an upgrade that switches when it ends (`switch` not false), a
 * switch to the other partition, a fresh install.
 */
export const activatesTarget = (s: StepInfo) => (s.action === 'upgrade' ? s.data.switch !== false : bringsToTarget(s));
/** An `install` step without a `package`: a fresh installation of the product at `to` (a migration or a rebuild). */
export const isFreshInstall = (s: StepInfo) => s.action === 'install' && s.data.package === undefined;
export const firstUpgrade = (ctx: ManifestContext) => ctx.steps.find(isUpgrade);
export const lastUpgrade = (ctx: ManifestContext) => [...ctx.steps].reverse().find(isUpgrade);
export const rolesOf = (ctx: ManifestContext, s: StepInfo) => s.nodes.map((r) => ctx.byName.get(r.name)?.role).filter((x): x is string => !!x);
/**
 * True when some step with this action (and, where given, this service, target or node) lies strictly after
 * `after` and strictly before `before`; a missing bound leaves that side open.
 */
export function hasStep(
  ctx: ManifestContext,
  want: { action: string; service?: string; target?: string; node?: string },
  bounds: { after?: StepInfo; before?: StepInfo } = {},
): boolean {
  return ctx.steps.some(
    (s) =>
      s.action === want.action &&
      (want.service === undefined || s.data.service === want.service) &&
      (want.target === undefined || s.data.target === want.target) &&
      (want.node === undefined || s.nodes.some((r) => r.name === want.node)) &&
      (!bounds.after || s.index > bounds.after.index) &&
      (!bounds.before || s.index < bounds.before.index),
  );
}

/** The first upgrade step that names a node with one of the roles, if any. */
export const firstUpgradeOf = (ctx: ManifestContext, ...roles: string[]) =>
  ctx.steps.find((s) => isUpgrade(s) && s.nodes.some((r) => roles.includes(ctx.byName.get(r.name)?.role ?? '')));
/**
 * Order check shared by rules such as "standby after primary" and "subscribers after publisher": every upgrade
 * step that names a node of role `later` must come strictly after the first upgrade of a node of role
 * `earlier`. Reports on the step that is too early, with related information on the step it must follow.
 */
export function checkUpgradedAfter(
  ctx: ManifestContext,
  report: (f: Finding) => void,
  later: string,
  earlier: string,
  text: { early(names: string, together: boolean): Message; never(names: string): Message; here: Message },
): void {
  const first = firstUpgradeOf(ctx, earlier);
  for (const s of ctx.steps.filter(isUpgrade)) {
    const names = s.nodes
      .filter((r) => ctx.byName.get(r.name)?.role === later)
      .map((r) => r.name)
      .join(', ');
    if (!names || (first && first.index < s.index)) continue;
    report({
      range: s.range,
      message: first ? text.early(names, first.index === s.index) : text.never(names),
      related: first && first.index !== s.index ? [{ range: first.range, message: text.here }] : [],
    });
  }
}

/** The first step that upgrades the named node, if any. */
export const upgradeStepOf = (ctx: ManifestContext, name: string) => ctx.steps.find((s) => isUpgrade(s) && s.nodes.some((r) => r.name === name));
export const stepNames = (s: StepInfo) => s.nodes.map((r) => r.name);
/** The role of a declared node. */
export const roleOf = (ctx: ManifestContext, name: string) => ctx.byName.get(name)?.role;
/** A `command` step whose `run` matches: how a plan writes a command the format has no action for (`ims_dssetup.pl`). */
export const runsCommand = (s: StepInfo, test: RegExp | ((run: string) => boolean)) =>
  s.action === 'command' && typeof s.data.run === 'string' && (typeof test === 'function' ? test(s.data.run) : test.test(s.data.run));

/** Replaces a scalar value with plain text. */
export function replaceAt(ctx: ManifestContext, pointer: string, text: string): TextEdit {
  return { range: ctx.range(pointer), newText: text };
}

const related = (range: Range, message: Message) => ({ range, message });
export { related };

// ---------------------------------------------------------------------------------------------------------
// Schema errors → findings on the YAML node they concern.

/** The schema of the property at a JSON pointer (undefined for the root). */
function propSchemaAt(pointer: string): PropertySchema | undefined {
  if (pointer === '') return undefined;
  return manifestSchemaAt(pointer.split('/').slice(1).map(unescapePointer));
}

/** The schema of the property at a JSON pointer (for hovers and messages). */
export const manifestPropertySchema = propSchemaAt;

/** A product's name as people write it (`cucm-im-presence` → IM and Presence), from the catalogs. */
const productName = (id: string): Arg => (catalogs.en[`product.${id}.name`] ? dynamicMsg(`product.${id}.name`) : id);

/** An ajv type name (`string`, `array`, `string,number`…) as a message. */
function typeName(t: string): Message {
  const known = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
  if (known.includes(t)) return msg(`schema/type.${t}` as 'schema/type.string');
  const parts = t.split(',');
  if (parts.length === 2 && parts.every((x) => known.includes(x))) return msg('schema/type.or', { a: typeName(parts[0]), b: typeName(parts[1]) });
  return msg('schema/type.either', { types: parts.map((x) => (known.includes(x) ? typeName(x) : x)) });
}

export function manifestSchemaFindings(errors: ErrorObject[], ctx: ManifestContext): { rule: string; finding: Finding }[] {
  const out: { rule: string; finding: Finding }[] = [];
  const seen = new Set<string>();
  // Keys unknown everywhere are reported once (by the base schema), not again by the product's branch.
  const unknownEverywhere = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}|${(e.params as { additionalProperty: string }).additionalProperty}`),
  );
  // Several required keys missing at one place make one diagnostic.
  const missingAt = new Map<string, string[]>();
  for (const e of errors)
    if (e.keyword === 'required')
      missingAt.set(e.instancePath, [...(missingAt.get(e.instancePath) ?? []), String((e.params as { missingProperty: string }).missingProperty)]);
  // One mistake, one diagnostic: an empty value (`key:` or `key: ""`) where text is expected fails `type`, `enum`,
  // `minLength` and `pattern` at once; it is reported once, as empty, with the allowed values when there are some.
  const VALUE_KEYWORDS = new Set(['type', 'enum', 'minLength', 'pattern', 'const']);
  const emptyAt = new Map<string, { allowed?: unknown[]; done: boolean }>();
  for (const e of errors) {
    if (!VALUE_KEYWORDS.has(e.keyword) || (e.data !== null && e.data !== '') || (e as { propertyName?: string }).propertyName !== undefined) continue;
    const prop = propSchemaAt(e.instancePath) as { type?: unknown; enum?: unknown[] } | undefined;
    const t = prop?.type;
    const textual = t === 'string' || (Array.isArray(t) && t.includes('string')) || !!prop?.enum || e.keyword === 'enum';
    if (!textual) continue;
    const entry = emptyAt.get(e.instancePath) ?? { done: false };
    if (e.keyword === 'enum') entry.allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    else entry.allowed ??= prop?.enum;
    emptyAt.set(e.instancePath, entry);
  }
  for (const err of errors) {
    if (err.keyword === 'if' || err.keyword === 'propertyNames') continue;
    const empty = VALUE_KEYWORDS.has(err.keyword) ? emptyAt.get(err.instancePath) : undefined;
    if (empty && (err as { propertyName?: string }).propertyName === undefined) {
      if (empty.done) continue;
      empty.done = true;
      const key = err.instancePath.split('/').pop() ?? '';
      const title = titleOf(propSchemaAt(err.instancePath), key);
      const allowed = empty.allowed?.map((x) => `\`${String(x)}\``);
      out.push({
        rule: 'schema/minLength',
        finding: {
          range: ctx.range(err.instancePath),
          message: allowed ? msg('schema/minLength.choose', { key: unescapePointer(key), allowed }) : msg('schema/minLength.message', { title }),
        },
      });
      continue;
    }
    const pn = (err as ErrorObject & { propertyName?: string }).propertyName;
    if (pn !== undefined && unknownEverywhere.has(`${err.instancePath}|${pn}`)) continue;
    const pointer = err.instancePath;
    const shown = (v: unknown) => quoteValue(unescapePointer(pointer.slice(pointer.lastIndexOf('/') + 1)), v);
    let rule = `schema/${err.keyword}`;
    let f: Finding | undefined;
    const propName = (err as ErrorObject & { propertyName?: string }).propertyName;
    if (err.keyword === 'enum' && propName !== undefined) {
      // propertyNames of a product or action branch: a key that does not belong there.
      rule = 'schema/additionalProperties';
      const forWhat = String((err.parentSchema as { 'x-keysFor'?: string })['x-keysFor'] ?? '');
      const allowed = (err.params as { allowedValues: string[] }).allowedValues;
      const p = `${pointer}/${escapePointer(propName)}`;
      const known = allowed.map((k) => `\`${k}\``);
      f = {
        range: ctx.keyRange(p),
        message: pointer.startsWith('/steps/')
          ? msg('schema/additionalProperties.notForAction', { key: propName, action: forWhat, known })
          : msg('schema/additionalProperties.notForProduct', { key: propName, product: forWhat, productName: productName(forWhat), known }),
      };
    } else if (err.keyword === 'additionalProperties') {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      const known =
        pointer === '' && ctx.product
          ? (productKeys(ctx.product) ?? Object.keys((err.parentSchema as { properties?: object }).properties ?? {}))
          : Object.keys((err.parentSchema as { properties?: object }).properties ?? {});
      const p = `${pointer}/${escapePointer(extra)}`;
      const near = closest(extra, known, 2);
      const list = known.map((k) => `\`${k}\``);
      if (flowCommaKey(ctx, p, err.data)) {
        out.push({ rule, finding: { range: ctx.keyRange(p), message: msg('schema/additionalProperties.flowComma', { key: extra }) } });
        continue;
      }
      f = {
        range: ctx.keyRange(p),
        message: near
          ? msg('schema/additionalProperties.unknownNear', { key: extra, near, allowed: list })
          : msg('schema/additionalProperties.unknown', { key: extra, allowed: list }),
        fixes: near ? [{ title: msg('schema.fix.rename', { name: near }), preferred: false, edits: [{ range: ctx.keyRange(p), newText: near }] }] : [],
      };
    } else if (err.keyword === 'required') {
      const all = missingAt.get(pointer) ?? [];
      if (all[0] !== String((err.params as { missingProperty: string }).missingProperty)) continue; // reported with the first
      const where = ctx.at(pointer);
      // A top-level key is missing at the end of the document, where it would be added, not under a key that is present.
      const range =
        pointer === '' ? missingKeyRange(ctx.file.index, ctx.doc.start, ctx.doc.end) : (where?.keyRange ?? firstChildKey(ctx, pointer) ?? ctx.range(pointer));
      const place = pointer.startsWith('/steps/') ? 'inStep' : pointer.startsWith('/nodes/') ? 'inNode' : 'here';
      const keys = all.map((k) => msg('schema/required.key', { key: k, title: titleOf(propSchemaAt(`${pointer}/${k}`), k) }));
      f = { range, message: msg(all.length === 1 ? `schema/required.one.${place}` : `schema/required.many.${place}`, { keys }) };
    } else {
      const prop = propSchemaAt(pointer);
      const key = pointer.split('/').pop() ?? '';
      const value = err.data;
      const title = titleOf(prop, key);
      let message: Message;
      switch (err.keyword) {
        case 'enum': {
          const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map((x) => `\`${String(x)}\``);
          message =
            pointer.endsWith('/role') && ctx.product
              ? msg('schema/enum.role', { value: shown(value), title, product: ctx.product, allowed })
              : msg('schema/enum.message', { value: shown(value), title, allowed });
          break;
        }
        case 'pattern': {
          const hint = prop?.['x-hint'];
          message = hint ? msg('schema/pattern.hint', { value: shown(value), title, hint }) : msg('schema/pattern.message', { value: shown(value), title });
          break;
        }
        case 'type':
          message = msg('schema/type.message', {
            title,
            expected: typeName(String((err.params as { type: string }).type)),
            actual:
              value === null
                ? msg('schema/type.empty')
                : Array.isArray(value)
                  ? msg('schema/type.list')
                  : typeof value === 'object'
                    ? msg('schema/type.mapping')
                    : msg('schema/type.value', { value: shown(value) }),
          });
          break;
        case 'const':
          message = msg('schema/const.message', { title, value: JSON.stringify((err.params as { allowedValue: unknown }).allowedValue) });
          break;
        case 'minItems':
          message = msg('schema/minItems.message', { title, limit: (err.params as { limit: number }).limit });
          break;
        case 'minLength':
          message = msg('schema/minLength.message', { title });
          break;
        case 'minimum':
          message = msg('schema/minimum.message', { title, limit: (err.params as { limit: number }).limit });
          break;
        default:
          message = msg('schema.other', { title, problem: err.message ?? err.keyword });
      }
      f = { range: ctx.range(pointer), message };
    }
    const k = `${rule}|${JSON.stringify(f.range)}|${render(f.message, 'en')}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ rule, finding: f });
  }
  return out;
}

/**
 * `{ id: up, note: upgrade first, then reboot }`: a comma inside a value of a `{…}` mapping ends the value, and the
 * rest becomes a key without a value. Recognised by the key: it has no value, holds a blank, and follows a comma
 * on its line inside braces.
 */
function flowCommaKey(ctx: ManifestContext, pointer: string, parent: unknown): boolean {
  const key = unescapePointer(pointer.slice(pointer.lastIndexOf('/') + 1));
  if (!/\s/.test(key) || !parent || typeof parent !== 'object' || (parent as Record<string, unknown>)[key] !== null) return false;
  const r = ctx.keyRange(pointer);
  const idx = ctx.file.index;
  const before = idx.text.slice(idx.lineStarts[r.start.line], idx.offsetAt(r.start));
  return /,\s*$/.test(before) && before.includes('{');
}

/**
 * The key range of the first key of the mapping at `pointer`, from the data (its keys are in document order): a
 * lookup, not a walk over every pointer of the document, which made 3,000 steps without an action quadratic.
 */
function firstChildKey(ctx: ManifestContext, pointer: string): Range | undefined {
  let v: unknown = ctx.doc.value;
  for (const part of pointer.split('/').slice(1)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[unescapePointer(part)] : undefined;
  const first = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v)[0] : undefined;
  return first === undefined ? undefined : ctx.at(`${pointer}/${escapePointer(first)}`)?.keyRange;
}

/**
 * An edit that inserts a new block-sequence step before `before`, indented like it. Undefined when the
 * steps are written in flow style (`[ … ]`), where a safe insertion is not obvious.
 */
export function insertStepBefore(ctx: ManifestContext, before: StepInfo, lines: string[]): TextEdit | undefined {
  const text = ctx.file.index.text;
  const keyStart = before.itemStart;
  const pos = ctx.file.index.positionAt(keyStart);
  const lineStart = ctx.file.index.lineStarts[pos.line];
  const head = text.slice(lineStart, keyStart);
  const m = /^( *)-( +)$/.exec(head);
  if (!m) return undefined;
  const dashCol = m[1].length;
  const keyCol = head.length;
  const eol = ctx.file.index.eol();
  const out = lines.map((l, i) => (i === 0 ? `${' '.repeat(dashCol)}-${' '.repeat(keyCol - dashCol - 1)}${l}` : `${' '.repeat(keyCol)}${l}`)).join(eol) + eol;
  const at = ctx.file.index.positionAt(lineStart);
  return { range: { start: at, end: at }, newText: out };
}

/**
 * An edit that inserts a new step right after `after`: before the next step when there is one, else at the end
 * of the `after` item, indented like it. Undefined where insertStepBefore would be (flow style).
 */
export function insertStepAfter(ctx: ManifestContext, after: StepInfo, lines: string[]): TextEdit | undefined {
  const next = ctx.steps.find((s) => s.index === after.index + 1);
  if (next) return insertStepBefore(ctx, next, lines);
  const idx = ctx.file.index;
  const text = idx.text;
  const keyStart = after.itemStart;
  const pos = idx.positionAt(keyStart);
  const head = text.slice(idx.lineStarts[pos.line], keyStart);
  const m = /^( *)-( +)$/.exec(head);
  if (!m) return undefined;
  const dashCol = m[1].length;
  const keyCol = head.length;
  const eol = idx.eol();
  const end = after.itemRange.end;
  const body = lines.map((l, i) => (i === 0 ? `${' '.repeat(dashCol)}-${' '.repeat(keyCol - dashCol - 1)}${l}` : `${' '.repeat(keyCol)}${l}`)).join(eol) + eol;
  // The item ends at the end of its last line's text, or at the start of the next line.
  return { range: { start: end, end }, newText: end.character === 0 ? body : eol + body.slice(0, -eol.length) };
}

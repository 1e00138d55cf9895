/**
 * JSON Schema layer. Schemas in `schemas/` are the single truth of structure; they also carry the
 * bilingual hover texts (`markdownDescription`, `x-markdownDescription-ja`), short titles (`x-title`) and
 * hints for pattern errors (`x-hint`). Each validator is compiled once per process.
 */
import { msg } from './l10n/index';
import { quoteValue } from './util';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as precompiled from './validators.generated';
import metaSchema from '../../schemas/acns-meta.schema.json';
import dfcSchema from '../../schemas/cupm-dfc-properties.schema.json';
import manifestSchemaJson from '../../schemas/upgrade-manifest.schema.json';
import type { Locale, Localized } from './types';
import type { DataText, Message } from './l10n/index';

export interface PropertySchema {
  type?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  markdownDescription?: string;
  'x-markdownDescription-ja'?: string;
  'x-title'?: Localized;
  'x-hint'?: Localized;
  'x-unit'?: Localized;
  'x-default'?: string;
  'x-example'?: string;
  'x-source'?: string;
  'x-port'?: boolean;
}

export interface ObjectSchema {
  title: string;
  required?: string[];
  additionalProperties?: boolean;
  properties: Record<string, PropertySchema>;
}

export const schemas = {
  'acns-meta': metaSchema as unknown as ObjectSchema,
  'cupm-properties': dfcSchema as unknown as ObjectSchema,
};
export type KvSchemaName = keyof typeof schemas;
export const manifestSchema = manifestSchemaJson as unknown as ObjectSchema;

/**
 * The manifest schema's product branches (`allOf: [{ if: { product }, then: … }]`), read in one place: the keys a
 * product allows, and the values of keys a product narrows (node roles, highAvailability). Completion, hovers and
 * the schema-error mapping all ask here instead of digging into the schema themselves.
 */
interface ProductBranch {
  if: { properties: { product: { const: string } } };
  then: { propertyNames?: { enum: string[] }; properties?: Record<string, { enum?: string[]; items?: { properties?: Record<string, { enum?: string[] }> } }> };
}
const productBranches = (manifestSchemaJson as unknown as { allOf: ProductBranch[] }).allOf;
const branchOf = (product: string) => productBranches.find((b) => b.if.properties.product.const === product)?.then;

/** A node of the manifest schema: a property, an object with properties, or a list of items. */
export type SchemaNode = PropertySchema & { properties?: Record<string, SchemaNode>; items?: SchemaNode; $ref?: string; enum?: unknown[] };
const schemaRoot = manifestSchemaJson as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };
const deref = (x: SchemaNode | undefined): SchemaNode | undefined => (x?.$ref ? schemaRoot.definitions[x.$ref.split('/').pop()!] : x);

/**
 * The schema of the manifest at a path of keys (`['steps', '[]', 'action']`; `'[]'` or a number is a list item),
 * `$ref`s followed; the root for an empty path.
 */
export function manifestSchemaAt(path: readonly string[]): SchemaNode | undefined {
  let cur: SchemaNode | undefined = schemaRoot;
  for (const part of path) {
    if (!cur) return undefined;
    cur = deref(part === '[]' || /^\d+$/.test(part) ? cur.items : cur.properties?.[part]);
  }
  return cur;
}

/** Top-level keys allowed for a product. */
export const productKeys = (product: string): string[] | undefined => branchOf(product)?.propertyNames?.enum;
/** The roles a product's nodes may have. */
export const productRoles = (product: string): string[] | undefined => branchOf(product)?.properties?.nodes?.items?.properties?.role?.enum;
/** The keys a step with this action takes (`backup`: id, action, node, nodes, note, target), from the schema's branches. */
export function stepKeys(action: string): string[] | undefined {
  const step = schemaRoot.definitions.step as SchemaNode & {
    allOf?: { if?: { properties?: { action?: { const?: string } } }; then?: { propertyNames?: { enum?: string[] } } }[];
  };
  return step.allOf?.find((b) => b.if?.properties?.action?.const === action)?.then?.propertyNames?.enum;
}
/** The values a product allows for a top-level key it narrows (e.g. highAvailability), if it does. */
export const productValues = (product: string, key: string): string[] | undefined => branchOf(product)?.properties?.[key]?.enum;

/**
 * The validators, compiled from the schemas at build time (scripts/validators.mjs, ajv standalone, with the options
 * below): no schema is compiled when a process starts, and the bundles carry no schema compiler.
 */
export const SCHEMA_OPTIONS = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;
const compiled = precompiled as unknown as Record<KvSchemaName | 'upgrade-manifest', ValidateFunction>;

export function validator(name: KvSchemaName | 'upgrade-manifest'): ValidateFunction {
  return compiled[name];
}

/** How many instances have been validated against a schema (tests check that unchanged work is not redone). */
export const schemaStats = { validations: 0 };

export function validate(name: KvSchemaName | 'upgrade-manifest', instance: unknown): ErrorObject[] {
  const v = validator(name);
  schemaStats.validations++;
  return v(instance) ? [] : [...(v.errors ?? [])];
}

export function propertyTitle(prop: PropertySchema | undefined, key: string, locale: Locale): string {
  return prop?.['x-title']?.[locale] ?? key;
}

export function propertyDescription(prop: PropertySchema, locale: Locale): string {
  return (locale === 'ja' ? prop['x-markdownDescription-ja'] : undefined) ?? prop.markdownDescription ?? '';
}

/** The title of a property in every language the schema gives (its key where it has none). */
export const titleOf = (prop: PropertySchema | undefined, key: string): DataText => prop?.['x-title'] ?? { en: key };

/** A person's message for one ajv error about the property `key` (or the object itself when key is empty). */
export function schemaMessage(err: ErrorObject, schema: ObjectSchema, key: string, value: unknown): Message {
  const prop = schema.properties[key];
  const title = titleOf(prop, key);
  const shown = quoteValue(key, value);
  switch (err.keyword) {
    case 'required': {
      const missing = String((err.params as { missingProperty: string }).missingProperty);
      return msg('schema/required.kv', { key: missing, title: titleOf(schema.properties[missing], missing) });
    }
    case 'additionalProperties': {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(schema.properties).map((k) => `\`${k}\``);
      return msg('schema/additionalProperties.kv', { key: extra, format: titleOf(schema as unknown as PropertySchema, schema.title), known });
    }
    case 'pattern': {
      const hint = prop?.['x-hint'];
      if (value === '') return hint ? msg('schema/pattern.emptyHint', { key, title, hint }) : msg('schema/pattern.empty', { key, title });
      return hint ? msg('schema/pattern.hint', { value: shown, title, hint }) : msg('schema/pattern.message', { value: shown, title });
    }
    case 'minLength':
      return value === '' ? msg('schema/minLength.empty', { key, title }) : msg('schema/minLength.short', { key, title });
    case 'enum': {
      const allowed = ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => `\`${String(v)}\``);
      return msg('schema/enum.kv', { value: shown, title, allowed });
    }
    case 'type':
      return msg('schema/type.kv', { key, title, type: String((err.params as { type: string }).type) });
    default:
      return msg('schema.otherKv', { key, problem: err.message ?? err.keyword });
  }
}

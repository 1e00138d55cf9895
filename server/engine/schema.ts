/**
 * JSON Schema layer. Schemas in `schemas/` are the single truth of structure; they also carry the
 * bilingual hover texts (`markdownDescription`, `x-markdownDescription-ja`), short titles (`x-title`) and
 * hints for pattern errors (`x-hint`). Each validator is compiled once per process.
 */
import { quoteValue } from './util';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import metaSchema from '../../schemas/acns-meta.schema.json';
import dfcSchema from '../../schemas/cupm-dfc-properties.schema.json';
import manifestSchemaJson from '../../schemas/upgrade-manifest.schema.json';
import type { Locale, Localized } from './types';

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

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
ajv.addVocabulary([
  'markdownDescription', 'x-markdownDescription-ja', 'x-title', 'x-hint', 'x-unit', 'x-default', 'x-example',
  'x-source', 'x-port', 'x-keysFor',
]);
const compiled = new Map<string, ValidateFunction>();

export function validator(name: KvSchemaName | 'upgrade-manifest'): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.compile(name === 'upgrade-manifest' ? manifestSchemaJson : schemas[name]);
    compiled.set(name, v);
  }
  return v;
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

/** A person's message for one ajv error about the property `key` (or the object itself when key is empty). */
export function schemaMessage(err: ErrorObject, schema: ObjectSchema, key: string, value: unknown): Localized {
  const prop = schema.properties[key];
  const title = (l: Locale) => propertyTitle(prop, key, l);
  const shown = quoteValue(key, value);
  switch (err.keyword) {
    case 'required': {
      const missing = String((err.params as { missingProperty: string }).missingProperty);
      const mp = schema.properties[missing];
      return {
        en: `Required key \`${missing}\` (${propertyTitle(mp, missing, 'en')}) is missing.`,
        ja: `必須のキー \`${missing}\`（${propertyTitle(mp, missing, 'ja')}）がありません。`,
      };
    }
    case 'additionalProperties': {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(schema.properties).map((k) => `\`${k}\``).join(', ');
      return {
        en: `Unknown key \`${extra}\`. ${schema.title} keys are: ${known}.`,
        ja: `不明なキー \`${extra}\` です。使用できるキー: ${known}。`,
      };
    }
    case 'pattern': {
      const hint = prop?.['x-hint'];
      if (value === '') {
        return {
          en: `\`${key}\` (${title('en')}) has no value${hint ? `: expected ${hint.en}` : ''}.`,
          ja: `\`${key}\`（${title('ja')}）に値がありません${hint ? `（${hint.ja}）` : ''}。`,
        };
      }
      return {
        en: `\`${shown}\` is not a valid ${title('en')}${hint ? `: expected ${hint.en}` : ''}.`,
        ja: `\`${shown}\` は${title('ja')}として正しくありません${hint ? `（${hint.ja}）` : ''}。`,
      };
    }
    case 'minLength':
      return value === ''
        ? { en: `\`${key}\` (${title('en')}) has no value.`, ja: `\`${key}\`（${title('ja')}）に値がありません。` }
        : { en: `\`${key}\` (${title('en')}) is too short.`, ja: `\`${key}\`（${title('ja')}）が短すぎます。` };
    case 'enum': {
      const allowed = ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => `\`${String(v)}\``).join(', ');
      return {
        en: `\`${shown}\` is not an allowed ${title('en')}. Allowed: ${allowed}.`,
        ja: `\`${shown}\` は${title('ja')}として使用できません。使用できる値: ${allowed}。`,
      };
    }
    case 'type':
      return {
        en: `\`${key}\` (${title('en')}) must be a ${String((err.params as { type: string }).type)}.`,
        ja: `\`${key}\`（${title('ja')}）は ${String((err.params as { type: string }).type)} 型である必要があります。`,
      };
    default:
      return { en: `\`${key}\`: ${err.message ?? err.keyword}.`, ja: `\`${key}\`: ${err.message ?? err.keyword}。` };
  }
}

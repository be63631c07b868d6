/**
 * Inputs derived from a route's own zod schema (through its JSON Schema): mostly what the schema
 * asks for, at and just past its bounds, with now and then one field of the wrong kind. A valid
 * input with one field broken reaches further into a handler than noise, and a new field of a
 * schema is fuzzed without editing the fuzzer.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { hostileJson, hostileNumberTexts, hostileStrings, notQuiteUuids } from './hostile-values';

/** The part of JSON Schema that zod writes for Talk's schemas. */
export interface JsonSchema {
  readonly type?: string | undefined;
  readonly const?: unknown;
  /** The alternatives of a union (a discriminated union of frames, say). */
  readonly oneOf?: readonly JsonSchema[] | undefined;
  readonly enum?: readonly unknown[] | undefined;
  readonly format?: string | undefined;
  readonly pattern?: string | undefined;
  readonly minLength?: number | undefined;
  readonly maxLength?: number | undefined;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
  readonly maxItems?: number | undefined;
  readonly items?: JsonSchema | undefined;
  readonly properties?: Readonly<Record<string, JsonSchema>> | undefined;
  readonly required?: readonly string[] | undefined;
}

const JsonSchemaShape: z.ZodType<JsonSchema> = z.lazy(() =>
  z.looseObject({
    type: z.string().optional(),
    const: z.unknown().optional(),
    oneOf: z.array(JsonSchemaShape).optional(),
    enum: z.array(z.unknown()).optional(),
    format: z.string().optional(),
    pattern: z.string().optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    maxItems: z.number().optional(),
    items: JsonSchemaShape.optional(),
    properties: z.record(z.string(), JsonSchemaShape).optional(),
    required: z.array(z.string()).optional(),
  }),
);

/** The JSON Schema of what a client sends (zod's input side), as the OpenAPI document shows it. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return JsonSchemaShape.parse(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
}

/**
 * Real values by field or parameter name (`talk_id`, `agent_id`, `accesskey`…): a fuzzed request
 * that names a real talk gets past "not found" into the handler's own checks.
 */
export type KnownValues = Readonly<Record<string, readonly string[]>>;

/** Where a generated value goes: a body is JSON, a query string or a path carries only text. */
export type Carrier = 'json' | 'text';

/**
 * `plausible`: of the schema's kind (at and past its bounds included); `hostile`: now and then
 * of any kind at all, and objects with fields the schema does not know.
 */
export type Hostility = 'plausible' | 'hostile';

function knownOr(name: string | undefined, known: KnownValues, fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const values = name === undefined ? undefined : known[name];
  return values === undefined || values.length === 0 ? fallback : fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 3 }, { arbitrary: fallback, weight: 1 });
}

/** Strings within the schema's bounds, at them, and one character past them. */
function plausibleString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'uri') return fc.oneof(fc.webUrl(), fc.constantFrom('ftp://example.com/a', 'javascript:alert(1)', 'https://', 'mailto:a@b'));
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  const edges = [min, ...(min > 0 ? [min - 1] : []), ...(max === undefined ? [] : [max, max + 1])];
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern);
  return fc.oneof(
    { arbitrary: pattern === undefined ? fc.string({ minLength: min, maxLength: Math.min(max ?? 40, 40) }) : fc.stringMatching(pattern), weight: 4 },
    { arbitrary: fc.constantFrom(...edges).map((length) => 'x'.repeat(length)), weight: 1 },
  );
}

/** Integers within the bounds, at them and one past them. */
function plausibleInteger(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -(2 ** 31);
  const max = Math.min(schema.maximum ?? 2 ** 31, 2 ** 53);
  return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }), fc.constantFrom(min, min - 1, max, max + 1));
}

/**
 * A value for `schema`: plausible most of the time, hostile (of any kind) otherwise. `name` is the
 * field's name, looked up in `known`; `carrier` is where the value goes.
 */
export function valueFor(schema: JsonSchema, known: KnownValues, carrier: Carrier, hostility: Hostility, name?: string): fc.Arbitrary<unknown> {
  const plausible = plausibleValue(schema, known, carrier, hostility, name);
  if (hostility === 'plausible') return plausible;
  const hostile = carrier === 'json' ? hostileJson : fc.oneof(hostileStrings, hostileNumberTexts, notQuiteUuids);
  return fc.oneof({ arbitrary: plausible, weight: 2 }, { arbitrary: hostile, weight: 1 });
}

function plausibleValue(schema: JsonSchema, known: KnownValues, carrier: Carrier, hostility: Hostility, name: string | undefined): fc.Arbitrary<unknown> {
  if (schema.oneOf !== undefined && schema.oneOf.length > 0) return fc.oneof(...schema.oneOf.map((alternative) => plausibleValue(alternative, known, carrier, hostility, name)));
  if (schema.const !== undefined) return hostility === 'plausible' ? fc.constant(schema.const) : fc.oneof({ arbitrary: fc.constant(schema.const), weight: 4 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
  if (schema.enum !== undefined && schema.enum.length > 0) {
    return hostility === 'plausible' ? fc.constantFrom(...schema.enum) : fc.oneof(fc.constantFrom(...schema.enum), fc.string({ maxLength: 8 }));
  }
  switch (schema.type) {
    case 'string':
      return knownOr(name, known, schema.format === 'uuid' ? fc.oneof(fc.uuid(), notQuiteUuids) : plausibleString(schema));
    case 'integer':
    case 'number': {
      const number = plausibleInteger(schema);
      if (carrier === 'json') return number;
      return hostility === 'plausible' ? number.map(String) : fc.oneof(number.map(String), hostileNumberTexts);
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ?? {};
      return fc.array(valueFor(items, known, carrier, hostility, name === undefined ? undefined : `${name}[]`), { maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case 'object':
      return objectFor(schema, known, hostility);
    case undefined:
    default:
      return hostileJson;
  }
}

/**
 * An object of the schema's fields (each present or not, required ones mostly present), now and
 * then with a field the schema does not know.
 */
export function objectFor(schema: JsonSchema, known: KnownValues, hostility: Hostility): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(
    Object.entries(properties).map(([field, fieldSchema]) => {
      const value = valueFor(fieldSchema, known, 'json', hostility, field);
      // A required field is left out one time in eight, an optional one half of the time.
      return [field, fc.option(value, { freq: required.has(field) ? 8 : 2, nil: undefined })];
    }),
  );
  const extras = hostility === 'plausible' ? fc.constant(undefined) : fc.option(fc.dictionary(fc.string({ maxLength: 12 }), hostileJson, { maxKeys: 2 }), { freq: 4, nil: undefined });
  return fc.tuple(fc.record(fields), extras).map(
    ([object, extra]) => {
      const present = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
      return extra === undefined ? present : { ...extra, ...present };
    },
  );
}

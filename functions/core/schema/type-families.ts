/**
 * What each kind of Glue type knows about itself: which types it widens to (a reader of the old type
 * can read every value of the new one), how it decomposes into children for the diff, and its JSON
 * Schema. Shared code asks the family of a type; it never switches on type kinds itself.
 */
import {
  type GlueType,
  type GlueTypeKind,
  type GlueTypeOf,
  type PrimitiveName,
  type StructField,
  glueTypesEqual,
} from './glue-type.js';
import type { PathSegment } from './path.js';

export type JsonSchema = { readonly [key: string]: unknown };

/** How a container type's children are matched between two versions. */
export type Children =
  | { readonly by: 'name'; readonly fields: readonly StructField[] }
  | { readonly by: 'slot'; readonly slots: readonly { readonly segment: PathSegment; readonly type: GlueType }[] };

interface TypeFamily<T extends GlueType> {
  /** True when every value of `before` is a value of `after` and readers accept the change. */
  widensTo(before: T, after: GlueType): boolean;
  /** Container types expose children so the diff can recurse; leaves return undefined. */
  children(type: T): Children | undefined;
  /** JSON Schema (draft-07) of a non-null value of this type. */
  jsonSchema(type: T): JsonSchema;
}

type Families = { readonly [K in GlueTypeKind]: TypeFamily<GlueTypeOf<K>> };

const INTEGER_LADDER: readonly PrimitiveName[] = ['tinyint', 'smallint', 'int', 'bigint'];
const INTEGER_RANGE: Readonly<Partial<Record<PrimitiveName, readonly [string, string]>>> = {
  tinyint: ['-128', '127'],
  smallint: ['-32768', '32767'],
  int: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

const PRIMITIVE_WIDENING: Readonly<Partial<Record<PrimitiveName, readonly PrimitiveName[]>>> = {
  tinyint: INTEGER_LADDER.slice(1),
  smallint: INTEGER_LADDER.slice(2),
  int: INTEGER_LADDER.slice(3),
  float: ['double'],
};

const PRIMITIVE_SCHEMA: Readonly<Record<PrimitiveName, JsonSchema>> = {
  boolean: { type: 'boolean' },
  tinyint: { type: 'integer' },
  smallint: { type: 'integer' },
  int: { type: 'integer' },
  bigint: { type: 'integer' },
  float: { type: 'number' },
  double: { type: 'number' },
  string: { type: 'string' },
  date: { type: 'string', format: 'date' },
  timestamp: { type: 'string', format: 'date-time' },
  binary: { type: 'string', contentEncoding: 'base64' },
};

function integerSchema(name: PrimitiveName): JsonSchema {
  const range = INTEGER_RANGE[name];
  return range === undefined ? PRIMITIVE_SCHEMA[name] : { type: 'integer', minimum: Number(range[0]), maximum: Number(range[1]) };
}

/** Largest absolute value of decimal(p,s) as a JSON number: 10^(p-s) - 10^-s. */
function decimalBound(precision: number, scale: number): number {
  return Number(`${'9'.repeat(precision - scale) || '0'}.${'9'.repeat(scale) || '0'}`);
}

const leaf = { children: () => undefined };

const families: Families = {
  primitive: {
    ...leaf,
    widensTo: (before, after) => after.kind === 'primitive' && (PRIMITIVE_WIDENING[before.name] ?? []).includes(after.name),
    jsonSchema: (type) => integerSchema(type.name),
  },
  decimal: {
    ...leaf,
    widensTo: (before, after) => after.kind === 'decimal' && after.scale === before.scale && after.precision > before.precision,
    jsonSchema: (type) => {
      const bound = decimalBound(type.precision, type.scale);
      return { type: 'number', minimum: -bound, maximum: bound };
    },
  },
  char: {
    ...leaf,
    widensTo: (before, after) => after.kind === 'char' && after.length > before.length,
    jsonSchema: (type) => ({ type: 'string', maxLength: type.length }),
  },
  varchar: {
    ...leaf,
    widensTo: (before, after) =>
      (after.kind === 'varchar' && after.length > before.length) || (after.kind === 'primitive' && after.name === 'string'),
    jsonSchema: (type) => ({ type: 'string', maxLength: type.length }),
  },
  interval: {
    ...leaf,
    widensTo: () => false,
    jsonSchema: () => ({ type: 'string' }),
  },
  timestamptz: {
    ...leaf,
    widensTo: () => false,
    jsonSchema: () => ({ type: 'string', format: 'date-time' }),
  },
  opaque: {
    ...leaf,
    widensTo: () => false,
    jsonSchema: () => ({}),
  },
  array: {
    widensTo: () => false,
    children: (type) => ({ by: 'slot', slots: [{ segment: { kind: 'element' }, type: type.element }] }),
    jsonSchema: (type) => ({ type: 'array', items: nullableJsonSchema(type.element) }),
  },
  map: {
    widensTo: () => false,
    children: (type) => ({
      by: 'slot',
      slots: [
        { segment: { kind: 'key' }, type: type.key },
        { segment: { kind: 'value' }, type: type.value },
      ],
    }),
    // JSON object keys are strings whatever the map's key type; the key type is kept in x-glue-type.
    jsonSchema: (type) => ({ type: 'object', additionalProperties: nullableJsonSchema(type.value) }),
  },
  struct: {
    widensTo: () => false,
    children: (type) => ({ by: 'name', fields: type.fields }),
    jsonSchema: (type) => ({
      type: 'object',
      properties: Object.fromEntries(type.fields.map((f) => [f.name, withDescription(nullableJsonSchema(f.type), f.comment)])),
      additionalProperties: false,
    }),
  },
  union: {
    // Appending members keeps every old value readable; anything else does not.
    widensTo: (before, after) =>
      after.kind === 'union' &&
      after.members.length > before.members.length &&
      before.members.every((m, i) => {
        const other = after.members[i];
        return other !== undefined && glueTypesEqual(m, other);
      }),
    children: (type) => ({
      by: 'slot',
      slots: type.members.map((member, index) => ({ segment: { kind: 'member', index }, type: member })),
    }),
    jsonSchema: (type) => ({ anyOf: type.members.map(nullableJsonSchema) }),
  },
};

function familyOf<T extends GlueType>(type: T): TypeFamily<T> {
  // The mapped type guarantees families[type.kind] handles exactly this kind.
  return families[type.kind] as unknown as TypeFamily<T>;
}

export function widensTo(before: GlueType, after: GlueType): boolean {
  return familyOf(before).widensTo(before, after);
}

export function childrenOf(type: GlueType): Children | undefined {
  return familyOf(type).children(type);
}

/** JSON Schema of a column value of this type; every Hive value may be null. */
export function nullableJsonSchema(type: GlueType): JsonSchema {
  const schema = familyOf(type).jsonSchema(type);
  const base = schema.type;
  if (typeof base === 'string') return { ...schema, type: [base, 'null'] };
  const anyOf: unknown = schema.anyOf;
  if (Array.isArray(anyOf)) return { anyOf: [...(anyOf as unknown[]), { type: 'null' }] };
  return schema;
}

export function withDescription(schema: JsonSchema, comment: string | undefined): JsonSchema {
  return comment === undefined ? schema : { ...schema, description: comment };
}

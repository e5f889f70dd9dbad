/**
 * The Avro reader schema of a Hive/Athena Avro table. Hive's AvroSerDe reads every file "against a specified
 * schema", the one in `avro.schema.literal` (or `avro.schema.url`), and infers the table's columns from it, not the
 * other way round (Apache Hive, "AvroSerDe", https://hive.apache.org/docs/latest/avroserde_27850707). Athena takes the
 * literal from the SerDe properties and refuses `avro.schema.url` ("Avro SerDe",
 * https://docs.aws.amazon.com/athena/latest/ug/avro-serde.html); Trino: "the columns listed in the DDL … is ignored",
 * the table schema is the Avro schema (https://trino.io/docs/current/connector/hive.html, "Avro schema evolution").
 *
 * This module parses the literal, maps it to Hive types the way the AvroSerDe does (Hive "AvroSerDe" › "Avro to Hive
 * type conversion"), and checks whether files written with one schema can be read with another (Avro specification,
 * "Schema Resolution", https://avro.apache.org/docs/1.11.1/specification/#schema-resolution).
 */
import { type GlueType, TypeParseError, parseGlueType } from './glue-type.js';

export type AvroType =
  | { readonly kind: 'primitive'; readonly name: 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'; readonly logical?: Logical }
  | { readonly kind: 'record'; readonly name: string; readonly fields: readonly AvroField[] }
  | { readonly kind: 'enum'; readonly name: string; readonly symbols: readonly string[]; readonly hasDefault: boolean }
  | { readonly kind: 'array'; readonly items: AvroType }
  | { readonly kind: 'map'; readonly values: AvroType }
  | { readonly kind: 'union'; readonly branches: readonly AvroType[] }
  | { readonly kind: 'fixed'; readonly name: string; readonly size: number; readonly logical?: Logical };

export interface AvroField {
  readonly name: string;
  readonly type: AvroType;
  readonly hasDefault: boolean;
}

/** The logical types Hive's AvroSerDe maps to their own Hive types; others read as their underlying type (Avro spec). */
type Logical = { readonly name: 'decimal'; readonly precision: number; readonly scale: number } | { readonly name: 'date' | 'timestamp-millis' } | { readonly name: 'varchar' | 'char'; readonly length: number };

/** The literal is not an Avro schema Hive can read with (message in the wording of the other parse errors). */
export class AvroSchemaError extends Error {}

/** Avro says a reader of files with no schema of its own: the parameter's "none" value disables it (Hive AvroSerDe). */
export const AVRO_SCHEMA_NONE = 'none';

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
/** Hive's AvroSerDe cannot map recursive types; nesting is bounded like Glue type strings. */
const MAX_DEPTH = 30;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function isObject(value: unknown): value is Readonly<Record<string, Json>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: Readonly<Record<string, Json>>, key: string): Json | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function logicalOf(object: Readonly<Record<string, Json>>): Logical | undefined {
  const logical = own(object, 'logicalType');
  const number = (key: string): number | undefined => {
    const value = own(object, key);
    return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
  };
  if (logical === 'decimal') {
    const precision = number('precision');
    // A decimal without a valid precision is ignored as a logical type (Avro spec: invalid logical types are ignored).
    if (precision === undefined || precision < 1) return undefined;
    return { name: 'decimal', precision, scale: number('scale') ?? 0 };
  }
  if (logical === 'date' || logical === 'timestamp-millis') return { name: logical };
  if (logical === 'varchar' || logical === 'char') {
    const length = number('maxLength');
    return length === undefined ? undefined : { name: logical, length };
  }
  return undefined;
}

class Parser {
  private readonly named = new Map<string, AvroType>();
  private readonly inProgress = new Set<string>();

  parse(node: Json, namespace: string, depth: number): AvroType {
    if (depth > MAX_DEPTH) throw new AvroSchemaError(`an Avro schema nested at most ${MAX_DEPTH} levels deep`);
    if (typeof node === 'string') return this.reference(node, namespace);
    if (Array.isArray(node)) return { kind: 'union', branches: node.map((branch: Json) => this.parse(branch, namespace, depth + 1)) };
    if (!isObject(node)) throw new AvroSchemaError('an Avro schema: a type name, an array (union) or an object');
    const type = own(node, 'type');
    if (typeof type !== 'string') {
      if (type !== undefined && (Array.isArray(type) || isObject(type))) return this.parse(type, namespace, depth + 1);
      throw new AvroSchemaError('an Avro schema object with a "type"');
    }
    if (PRIMITIVES.has(type)) {
      const logical = logicalOf(node);
      return { kind: 'primitive', name: type as Extract<AvroType, { kind: 'primitive' }>['name'], ...(logical === undefined ? {} : { logical }) };
    }
    switch (type) {
      case 'record':
      case 'error':
        return this.record(node, namespace, depth);
      case 'enum': {
        const name = this.define(node, namespace);
        const symbols = own(node, 'symbols');
        if (!Array.isArray(symbols) || !symbols.every((s): s is string => typeof s === 'string')) throw new AvroSchemaError(`enum "${name}" with a list of symbols`);
        const enumType: AvroType = { kind: 'enum', name, symbols, hasDefault: own(node, 'default') !== undefined };
        this.named.set(name, enumType);
        return enumType;
      }
      case 'array':
        return { kind: 'array', items: this.parse(this.required(node, 'items'), namespace, depth + 1) };
      case 'map':
        return { kind: 'map', values: this.parse(this.required(node, 'values'), namespace, depth + 1) };
      case 'fixed': {
        const name = this.define(node, namespace);
        const size = own(node, 'size');
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new AvroSchemaError(`fixed "${name}" with an integer size`);
        const logical = logicalOf(node);
        const fixed: AvroType = { kind: 'fixed', name, size, ...(logical === undefined ? {} : { logical }) };
        this.named.set(name, fixed);
        return fixed;
      }
      default:
        return this.reference(type, namespace);
    }
  }

  private required(node: Readonly<Record<string, Json>>, key: string): Json {
    const value = own(node, key);
    const type = own(node, 'type');
    if (value === undefined) throw new AvroSchemaError(`an Avro ${typeof type === 'string' ? type : 'type'} with "${key}"`);
    return value;
  }

  private fullName(node: Readonly<Record<string, Json>>, namespace: string): { full: string; namespace: string } {
    const name = own(node, 'name');
    if (typeof name !== 'string' || name === '') throw new AvroSchemaError('a named Avro type (record, enum, fixed) with a "name"');
    if (name.includes('.')) return { full: name, namespace: name.slice(0, name.lastIndexOf('.')) };
    const ns = own(node, 'namespace');
    const space = typeof ns === 'string' ? ns : namespace;
    return { full: space === '' ? name : `${space}.${name}`, namespace: space };
  }

  private define(node: Readonly<Record<string, Json>>, namespace: string): string {
    const { full } = this.fullName(node, namespace);
    if (this.named.has(full) || this.inProgress.has(full)) throw new AvroSchemaError(`Avro type "${full}" defined once`);
    return full;
  }

  private record(node: Readonly<Record<string, Json>>, namespace: string, depth: number): AvroType {
    const name = this.define(node, namespace);
    const inner = this.fullName(node, namespace).namespace;
    const fields = own(node, 'fields');
    if (!Array.isArray(fields)) throw new AvroSchemaError(`record "${name}" with a list of fields`);
    this.inProgress.add(name);
    const seen = new Set<string>();
    const parsed = fields.map((field: Json): AvroField => {
      if (!isObject(field)) throw new AvroSchemaError(`record "${name}": each field an object`);
      const fieldName = own(field, 'name');
      if (typeof fieldName !== 'string' || fieldName === '') throw new AvroSchemaError(`record "${name}": each field with a "name"`);
      // Hive folds column names to lower case: two fields differing only in case are one column.
      if (seen.has(fieldName.toLowerCase())) throw new AvroSchemaError(`record "${name}": field "${fieldName}" once`);
      seen.add(fieldName.toLowerCase());
      return { name: fieldName, type: this.parse(this.required(field, 'type'), inner, depth + 1), hasDefault: own(field, 'default') !== undefined };
    });
    this.inProgress.delete(name);
    const record: AvroType = { kind: 'record', name, fields: parsed };
    this.named.set(name, record);
    return record;
  }

  private reference(name: string, namespace: string): AvroType {
    if (PRIMITIVES.has(name)) return { kind: 'primitive', name: name as Extract<AvroType, { kind: 'primitive' }>['name'] };
    const candidates = name.includes('.') ? [name] : [namespace === '' ? name : `${namespace}.${name}`, name];
    if (candidates.some((c) => this.inProgress.has(c))) {
      throw new AvroSchemaError(`no recursive Avro type ("${name}" refers to itself; Hive's AvroSerDe cannot read recursive schemas)`);
    }
    for (const candidate of candidates) {
      const type = this.named.get(candidate);
      if (type !== undefined) return type;
    }
    throw new AvroSchemaError(`a defined Avro type (unknown type "${name}")`);
  }
}

/** Parses an Avro schema literal; its top level must be a record (a table's row). */
export function parseAvroSchema(text: string): Extract<AvroType, { kind: 'record' }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AvroSchemaError('an Avro schema in JSON (the literal is not valid JSON)');
  }
  const type = new Parser().parse(json as Json, '', 0);
  if (type.kind !== 'record') throw new AvroSchemaError('an Avro record schema (a table row is a record)');
  return type;
}

/** The union without `null`: Hive reads `["null", T]` as a nullable T. */
function nonNull(branches: readonly AvroType[]): readonly AvroType[] {
  return branches.filter((b) => !(b.kind === 'primitive' && b.name === 'null'));
}

/**
 * The Hive type the AvroSerDe gives an Avro type (Hive "AvroSerDe" › "Avro to Hive type conversion"). With
 * `logical: false`, logical types read as their underlying type (what a reader that ignores them sees).
 */
export function hiveTypeText(type: AvroType, useLogical = true): string {
  const inner = (t: AvroType): string => hiveTypeText(t, useLogical);
  switch (type.kind) {
    case 'primitive': {
      const logical = useLogical ? type.logical : undefined;
      if (logical?.name === 'decimal' && type.name === 'bytes') return `decimal(${logical.precision},${logical.scale})`;
      if (logical?.name === 'date' && type.name === 'int') return 'date';
      if (logical?.name === 'timestamp-millis' && type.name === 'long') return 'timestamp';
      if ((logical?.name === 'varchar' || logical?.name === 'char') && type.name === 'string') return `${logical.name}(${logical.length})`;
      const names = { null: 'void', boolean: 'boolean', int: 'int', long: 'bigint', float: 'float', double: 'double', bytes: 'binary', string: 'string' } as const;
      return names[type.name];
    }
    case 'record':
      return `struct<${type.fields.map((f) => `${f.name}:${inner(f.type)}`).join(',')}>`;
    case 'enum':
      return 'string';
    case 'array':
      return `array<${inner(type.items)}>`;
    case 'map':
      return `map<string,${inner(type.values)}>`;
    case 'fixed':
      return useLogical && type.logical?.name === 'decimal' ? `decimal(${type.logical.precision},${type.logical.scale})` : 'binary';
    case 'union': {
      const branches = nonNull(type.branches);
      const only = branches[0];
      if (branches.length === 1 && only !== undefined) return inner(only);
      return `uniontype<${branches.map(inner).join(',')}>`;
    }
  }
}

/** The Hive/Glue type of an Avro type; an unmappable one is opaque (equal only to itself). */
export function avroToGlueType(type: AvroType, column: string, useLogical = true): GlueType {
  const text = hiveTypeText(type, useLogical);
  try {
    return parseGlueType(text, column);
  } catch (error) {
    if (error instanceof TypeParseError) return { kind: 'opaque', text };
    throw error;
  }
}

/** Why a file written with one schema cannot be read with another (Avro "Schema Resolution"). */
export type ResolutionProblem =
  | { readonly problem: 'field-without-default'; readonly path: readonly string[] }
  | { readonly problem: 'incompatible-type'; readonly path: readonly string[]; readonly writer: string; readonly reader: string }
  | { readonly problem: 'enum-symbols-removed'; readonly path: readonly string[]; readonly symbols: readonly string[] }
  | { readonly problem: 'union-branch-unmatched'; readonly path: readonly string[]; readonly writer: string; readonly reader: string };

/** Avro primitive promotions a reader may apply to a writer's value (Avro spec, "Schema Resolution"). */
const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function describe(type: AvroType): string {
  switch (type.kind) {
    case 'primitive':
      return type.logical?.name === 'decimal' ? `decimal(${type.logical.precision},${type.logical.scale})` : type.name;
    case 'fixed':
      return type.logical?.name === 'decimal' ? `fixed decimal(${type.logical.precision},${type.logical.scale})` : `fixed(${type.size})`;
    case 'union':
      return `union[${type.branches.map(describe).join(',')}]`;
    default:
      return type.kind;
  }
}

function decimalOf(type: AvroType): { precision: number; scale: number } | undefined {
  if ((type.kind === 'primitive' || type.kind === 'fixed') && type.logical?.name === 'decimal') return type.logical;
  return undefined;
}

/** Whether a writer value of `writer` is read as `reader` without error (no problems listed into `out`). */
function matches(writer: AvroType, reader: AvroType, path: readonly string[], out: ResolutionProblem[]): boolean {
  const before = out.length;
  resolveInto(writer, reader, path, out);
  const ok = out.length === before;
  return ok;
}

function resolveInto(writer: AvroType, reader: AvroType, path: readonly string[], out: ResolutionProblem[]): void {
  if (writer.kind === 'union') {
    // Each writer branch must resolve against the reader (the reader's schema then resolves that branch).
    for (const branch of writer.branches) {
      const scratch: ResolutionProblem[] = [];
      if (!matches(branch, reader, path, scratch)) {
        out.push(reader.kind === 'union' ? { problem: 'union-branch-unmatched', path, writer: describe(branch), reader: describe(reader) } : (scratch[0] ?? { problem: 'incompatible-type', path, writer: describe(branch), reader: describe(reader) }));
        return;
      }
    }
    return;
  }
  if (reader.kind === 'union') {
    // The first reader branch that matches the writer is used; none matching is an error.
    const found = reader.branches.some((branch) => matches(writer, branch, path, []));
    if (!found) out.push({ problem: 'union-branch-unmatched', path, writer: describe(writer), reader: describe(reader) });
    return;
  }
  const writerDecimal = decimalOf(writer);
  const readerDecimal = decimalOf(reader);
  if (writerDecimal !== undefined || readerDecimal !== undefined) {
    // Decimals resolve only with the same scale and precision (Avro spec, "Logical Types" › "Decimal").
    const same = writerDecimal !== undefined && readerDecimal !== undefined && writerDecimal.precision === readerDecimal.precision && writerDecimal.scale === readerDecimal.scale;
    if (!same || writer.kind !== reader.kind) out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
    return;
  }
  switch (writer.kind) {
    case 'primitive': {
      if (reader.kind !== 'primitive' || (writer.name !== reader.name && !(PROMOTIONS[writer.name] ?? []).includes(reader.name))) {
        out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
      }
      return;
    }
    case 'fixed':
      if (reader.kind !== 'fixed' || reader.size !== writer.size) out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
      return;
    case 'enum': {
      if (reader.kind !== 'enum') {
        out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
        return;
      }
      const missing = writer.symbols.filter((s) => !reader.symbols.includes(s));
      if (missing.length > 0 && !reader.hasDefault) out.push({ problem: 'enum-symbols-removed', path, symbols: missing });
      return;
    }
    case 'array':
      if (reader.kind !== 'array') out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
      else resolveInto(writer.items, reader.items, [...path, '[]'], out);
      return;
    case 'map':
      if (reader.kind !== 'map') out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
      else resolveInto(writer.values, reader.values, [...path, '{value}'], out);
      return;
    case 'record': {
      if (reader.kind !== 'record') {
        out.push({ problem: 'incompatible-type', path, writer: describe(writer), reader: describe(reader) });
        return;
      }
      resolveRecord(writer, reader, path, out);
      return;
    }
  }
}

/** Fields match by name (Hive folds names to lower case); writer-only fields are ignored; reader-only fields need a default. */
function resolveRecord(writer: Extract<AvroType, { kind: 'record' }>, reader: Extract<AvroType, { kind: 'record' }>, path: readonly string[], out: ResolutionProblem[]): void {
  const written = new Map(writer.fields.map((f) => [f.name.toLowerCase(), f]));
  for (const field of reader.fields) {
    const from = written.get(field.name.toLowerCase());
    const at = [...path, field.name];
    if (from === undefined) {
      if (!field.hasDefault) out.push({ problem: 'field-without-default', path: at });
      continue;
    }
    resolveInto(from.type, field.type, at, out);
  }
}

/**
 * What goes wrong when files written with `writer` (the approved literal) are read with `reader` (the literal now):
 * Hive reads every file of the table with the table's schema, so every existing file is read this way.
 */
export function resolutionProblems(writer: Extract<AvroType, { kind: 'record' }>, reader: Extract<AvroType, { kind: 'record' }>): ResolutionProblem[] {
  const out: ResolutionProblem[] = [];
  resolveRecord(writer, reader, [], out);
  return out;
}

/**
 * ODCS v3.0.x (Open Data Contract Standard, https://bitol-io.github.io/open-data-contract-standard/) as drift-guard
 * reads and writes it: the project's own model of the part it uses, not a copy of the standard's JSON Schema
 * (schema/odcs-json-schema-v3.0.2.json in bitol-io/open-data-contract-standard).
 *
 * Export is faithful: each column is a schema property in Glue order, its full Glue type in `physicalType`, the ODCS
 * `logicalType` (+ `logicalTypeOptions`) and nested `properties` / `items` derived from it, partition keys after the
 * columns with `partitioned: true` and `partitionKeyPosition` (1-based, as the standard counts); storage format,
 * location, Input/OutputFormat, SerDe, table type, table parameters and view text in the schema object's
 * `customProperties`; the contract's own terms (version, status, modes, workflows, owners, approval) in the
 * document's `customProperties` `driftGuard`. Import of such a document is lossless: `physicalType` is the truth,
 * and the derived fields must be exactly what drift-guard derives (an edit to one without the other is refused).
 *
 * Import of another tool's ODCS (datacontract-cli `import glue`) recovers what the document says and lists what it
 * does not (wording/odcs.ts UNRECOVERED); a column whose type cannot be recovered means nothing is written.
 *
 * ODCS 3.0.x has no `map` logicalType (3.2.0 added one) and no timestamp: a map is `object`, a timestamp `date`,
 * with the Glue type in physicalType. `apiVersion` is written as v3.0.1: the v3.0.2 JSON Schema's apiVersion enum
 * lists v3.0.1 and older only, so v3.0.1 validates against both published 3.0.x schemas.
 */
import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod/mini';
import { InputError, InputErrors, checkJsonShape, inputErrorsFromZod } from '../errors.js';
import { type GlueType, type StructField, TypeParseError, parseGlueType, printGlueType } from '../schema/glue-type.js';
import { glueName } from '../schema/glue-name.js';
import { STORAGE_FORMATS } from '../schema/storage-format.js';
import { type Column, optional } from '../schema/table-schema.js';
import { RULE_IDS } from '../judging/rule-ids.js';
import { COMPATIBILITY_MODES } from '../judging/rules.js';
import { ODCS_EXPECTATIONS, UNRECOVERED, type Unrecovered, fill, importRefusedExpectation } from '../wording/odcs.js';
import { CONTRACT_STATUSES, type Contract, ENFORCEMENT_MODES } from './contract.js';
import { contractFileText } from './contract-repository.js';

export const ODCS_API_VERSION = 'v3.0.1';
/** The document-level custom property holding the contract's own terms. */
export const DRIFT_GUARD_TERMS = 'driftGuard';

export type OdcsLogicalType = 'string' | 'date' | 'number' | 'integer' | 'object' | 'array' | 'boolean';

export interface OdcsCustomProperty {
  readonly property: string;
  readonly value: unknown;
}

/** A schema property (SchemaProperty; as an array's `items`, SchemaItemProperty without a name). */
export interface OdcsProperty {
  readonly name?: string;
  readonly physicalType?: string;
  readonly logicalType?: OdcsLogicalType;
  readonly logicalTypeOptions?: Readonly<Record<string, unknown>>;
  readonly description?: string;
  readonly partitioned?: boolean;
  readonly partitionKeyPosition?: number;
  readonly properties?: readonly OdcsProperty[];
  readonly items?: OdcsProperty;
}

export interface OdcsSchemaObject {
  readonly name: string;
  readonly physicalName: string;
  readonly physicalType: string;
  readonly logicalType: 'object';
  readonly description?: string;
  readonly properties: readonly OdcsProperty[];
  readonly customProperties: readonly OdcsCustomProperty[];
}

export interface OdcsDocument {
  readonly apiVersion: string;
  readonly kind: 'DataContract';
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly status: string;
  readonly description?: { readonly purpose: string };
  readonly team: readonly { readonly username: string; readonly role: string }[];
  readonly schema: readonly OdcsSchemaObject[];
  readonly customProperties: readonly OdcsCustomProperty[];
  readonly contractCreatedTs?: string;
}

// ---------------------------------------------------------------------------------------------------- export

const INTEGER_FORMATS: Readonly<Record<string, string>> = { tinyint: 'i8', smallint: 'i16', int: 'i32', bigint: 'i64' };

/** The ODCS fields derived from a Glue type: logicalType, its options, nested properties / items. */
function derived(type: GlueType): Omit<OdcsProperty, 'name' | 'description' | 'partitioned' | 'partitionKeyPosition'> {
  const physicalType = printGlueType(type);
  switch (type.kind) {
    case 'primitive': {
      const integer = INTEGER_FORMATS[type.name];
      if (integer !== undefined) return { physicalType, logicalType: 'integer', logicalTypeOptions: { format: integer } };
      if (type.name === 'float' || type.name === 'double') return { physicalType, logicalType: 'number', logicalTypeOptions: { format: type.name === 'float' ? 'f32' : 'f64' } };
      if (type.name === 'boolean') return { physicalType, logicalType: 'boolean' };
      if (type.name === 'date') return { physicalType, logicalType: 'date', logicalTypeOptions: { format: 'yyyy-MM-dd' } };
      if (type.name === 'timestamp') return { physicalType, logicalType: 'date', logicalTypeOptions: { format: 'yyyy-MM-dd HH:mm:ss' } };
      if (type.name === 'binary') return { physicalType, logicalType: 'string', logicalTypeOptions: { format: 'binary' } };
      return { physicalType, logicalType: 'string' };
    }
    case 'decimal':
      return { physicalType, logicalType: 'number' };
    case 'char':
    case 'varchar':
      return { physicalType, logicalType: 'string', logicalTypeOptions: { maxLength: type.length } };
    case 'timestamptz':
      return { physicalType, logicalType: 'date' };
    case 'array':
      return { physicalType, logicalType: 'array', items: derived(type.element) };
    case 'map':
      return { physicalType, logicalType: 'object' };
    case 'struct':
      return { physicalType, logicalType: 'object', properties: type.fields.map(fieldProperty) };
    case 'interval':
    case 'union':
    case 'opaque':
      return { physicalType };
  }
}

function fieldProperty(field: StructField): OdcsProperty {
  return { name: field.name, ...derived(field.type), ...optional('description', field.comment) };
}

function columnProperty(column: Column, partitionKeyPosition?: number): OdcsProperty {
  return {
    name: column.name,
    ...derived(column.type),
    ...optional('description', column.comment),
    ...(partitionKeyPosition === undefined ? {} : { partitioned: true, partitionKeyPosition }),
  };
}

function custom(property: string, value: unknown): OdcsCustomProperty[] {
  return value === undefined ? [] : [{ property, value }];
}

export function contractToOdcs(contract: Contract): OdcsDocument {
  const { schema } = contract;
  const storage = schema.storage;
  const terms = {
    version: contract.version,
    status: contract.status,
    compatibility: contract.compatibility,
    enforcement: contract.enforcement,
    dependentWorkflows: [...contract.dependentWorkflows],
    ...optional('stopRunningRuns', contract.stopRunningRuns),
    owners: [...contract.owners],
    ...optional(
      'approval',
      contract.approval === undefined
        ? undefined
        : {
            reviewer: contract.approval.reviewer,
            approvedAt: contract.approval.approvedAt,
            reason: contract.approval.reason,
            ...optional('glueVersionId', contract.approval.glueVersionId),
            acknowledges: contract.approval.acknowledges.map((a) => ({ ruleId: a.ruleId, path: a.path })),
          },
    ),
  };
  return {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `glue-drift-guard://${schema.database}/${schema.name}`,
    name: `${schema.database}.${schema.name}`,
    version: `${contract.version}.0.0`,
    status: contract.status,
    ...optional('description', contract.description === undefined ? undefined : { purpose: contract.description }),
    team: contract.owners.map((username) => ({ username, role: 'owner' })),
    schema: [
      {
        name: schema.name,
        physicalName: schema.name,
        physicalType: schema.tableType === 'VIRTUAL_VIEW' ? 'view' : 'table',
        logicalType: 'object',
        properties: [...schema.columns.map((c) => columnProperty(c)), ...schema.partitionKeys.map((c, i) => columnProperty(c, i + 1))],
        customProperties: [
          ...custom('glueDatabase', schema.database),
          ...custom('tableType', schema.tableType),
          ...custom('storageFormat', storage.format),
          ...custom('location', storage.location),
          ...custom('inputFormat', storage.inputFormat),
          ...custom('outputFormat', storage.outputFormat),
          ...custom('serdeLibrary', storage.serdeLibrary),
          ...custom('serdeParameters', { ...storage.serdeParameters }),
          ...custom('avroSchema', storage.avroSchema),
          ...custom('tableParameters', { ...schema.parameters }),
          ...custom(
            'view',
            schema.view === undefined
              ? undefined
              : {
                  ...optional('originalText', schema.view.originalText),
                  ...optional('expandedText', schema.view.expandedText),
                  ...optional('representations', schema.view.representations?.map((r) => ({ ...r }))),
                },
          ),
        ],
      },
    ],
    customProperties: [{ property: DRIFT_GUARD_TERMS, value: terms }],
    ...optional('contractCreatedTs', contract.approval?.approvedAt),
  };
}

// ---------------------------------------------------------------------------------------------------- import

const customPropertyShape = z.looseObject({ property: z.string().check(z.minLength(1)), value: z.unknown() });

/** The part of a v3.0.x document drift-guard reads; everything else (quality, SLA, servers but Glue's…) passes. */
const documentShape = z.looseObject({
  apiVersion: z.string().check(z.regex(/^v3\.\d+\.\d+$/, 'an ODCS v3 apiVersion, e.g. v3.0.1')),
  kind: z.literal('DataContract'),
  id: z.string(),
  version: z.string(),
  status: z.string(),
  description: z.optional(z.looseObject({ purpose: z.optional(z.string()) })),
  team: z.optional(z.array(z.looseObject({ username: z.optional(z.string()), role: z.optional(z.string()) }))),
  servers: z.optional(z.array(z.looseObject({ type: z.optional(z.string()), database: z.optional(z.string()) }))),
  schema: z.array(z.unknown()),
  customProperties: z.optional(z.array(customPropertyShape)),
});

const schemaObjectShape = z.looseObject({
  name: z.string().check(z.minLength(1)),
  physicalName: z.optional(z.string().check(z.minLength(1))),
  description: z.optional(z.string()),
  properties: z.array(z.unknown()),
  customProperties: z.optional(z.array(customPropertyShape)),
});

const propertyShape = z.looseObject({
  name: z.optional(z.string().check(z.minLength(1))),
  physicalType: z.optional(z.string()),
  logicalType: z.optional(z.string()),
  logicalTypeOptions: z.optional(z.record(z.string(), z.unknown())),
  description: z.optional(z.string()),
  required: z.optional(z.boolean()),
  partitioned: z.optional(z.boolean()),
  partitionKeyPosition: z.optional(z.int()),
  properties: z.optional(z.array(z.unknown())),
  items: z.optional(z.unknown()),
  customProperties: z.optional(z.array(customPropertyShape)),
});
type PropertyShape = z.infer<typeof propertyShape>;

const nonEmpty = z.string().check(z.minLength(1));
const stringMap = z.record(z.string(), z.string());

const termsShape = z.strictObject({
  version: z.int().check(z.minimum(1)),
  status: z.enum(CONTRACT_STATUSES),
  compatibility: z.enum(COMPATIBILITY_MODES),
  enforcement: z.enum(ENFORCEMENT_MODES),
  dependentWorkflows: z.array(nonEmpty),
  stopRunningRuns: z.optional(z.boolean()),
  owners: z.array(nonEmpty),
  approval: z.optional(
    z.strictObject({
      reviewer: nonEmpty,
      approvedAt: z.string(),
      reason: nonEmpty,
      glueVersionId: z.optional(z.string()),
      acknowledges: z.array(z.strictObject({ ruleId: z.enum(RULE_IDS), path: nonEmpty })),
    }),
  ),
});

const tableCustomShape = z.strictObject({
  glueDatabase: nonEmpty,
  tableType: z.optional(z.string()),
  storageFormat: z.enum(STORAGE_FORMATS),
  location: z.optional(z.string()),
  inputFormat: z.optional(z.string()),
  outputFormat: z.optional(z.string()),
  serdeLibrary: z.optional(z.string()),
  serdeParameters: stringMap,
  avroSchema: z.optional(z.string()),
  tableParameters: stringMap,
  view: z.optional(
    z.strictObject({
      originalText: z.optional(z.string()),
      expandedText: z.optional(z.string()),
      representations: z.optional(z.array(z.strictObject({ dialect: z.string(), originalText: z.optional(z.string()), expandedText: z.optional(z.string()) }))),
    }),
  ),
});

/** What an import recovered: the contract, and what the document did not say (empty for drift-guard's own export). */
export interface OdcsImport {
  readonly contract: Contract;
  readonly origin: 'drift-guard' | 'foreign';
  readonly unrecovered: readonly Unrecovered[];
}

/** What a foreign document cannot say: filled in by the caller (next version, owners, database). */
export interface ForeignDefaults {
  readonly version: number;
  readonly owners: readonly string[];
  readonly database?: string;
}

function parseWith<T>(source: string, shape: z.ZodMiniType<T>, value: unknown, prefix: readonly PropertyKey[]): T {
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw inputErrorsFromZod(source, parsed.error, prefix);
  return parsed.data;
}

function customRecord(properties: readonly { property: string; value: unknown }[] | undefined): Record<string, unknown> {
  // Object.fromEntries defines own properties: a custom property called __proto__ stays a key.
  return Object.fromEntries((properties ?? []).map((p) => [p.property, p.value]));
}

/** Reads an ODCS document into a contract (see the module comment). Bad input: InputErrors naming the path. */
export function odcsToContract(source: string, document: unknown, defaults: ForeignDefaults): OdcsImport {
  checkJsonShape(source, document);
  const doc = parseWith(source, documentShape, document, []);
  if (doc.schema.length !== 1) throw new InputError(source, 'schema', fill(ODCS_EXPECTATIONS.oneObject, { n: doc.schema.length }));
  const object = parseWith(source, schemaObjectShape, doc.schema[0], ['schema', 0]);
  const terms = customRecord(doc.customProperties)[DRIFT_GUARD_TERMS];
  return terms === undefined ? foreignImport(source, doc, object, defaults) : ownImport(source, doc, object, terms);
}

function ownImport(source: string, doc: z.infer<typeof documentShape>, object: z.infer<typeof schemaObjectShape>, rawTerms: unknown): OdcsImport {
  const termsAt = `customProperties[${(doc.customProperties ?? []).findIndex((p) => p.property === DRIFT_GUARD_TERMS)}].value`;
  const terms = parseWith(source, termsShape, rawTerms, [termsAt]);
  const table = parseWith(source, tableCustomShape, customRecord(object.customProperties), ['schema[0].customProperties']);
  const problems: InputError[] = [];
  if (doc.version !== `${terms.version}.0.0`) problems.push(new InputError(source, 'version', fill(ODCS_EXPECTATIONS.version, { found: doc.version })));
  const columns: Column[] = [];
  const partitions: { position: number; column: Column; at: string }[] = [];
  object.properties.forEach((raw, index) => {
    const at = `schema[0].properties[${index}]`;
    const prop = parseWith(source, propertyShape, raw, ['schema[0]', 'properties', index]);
    if (prop.name === undefined) {
      problems.push(new InputError(source, `${at}.name`, 'a column name'));
      return;
    }
    if (prop.physicalType === undefined) {
      problems.push(new InputError(source, `${at}.physicalType`, ODCS_EXPECTATIONS.physicalType));
      return;
    }
    let type: GlueType;
    try {
      type = parseGlueType(prop.physicalType, prop.name);
    } catch (error) {
      if (!(error instanceof TypeParseError)) throw error;
      problems.push(new InputError(source, `${at}.physicalType`, error.message, { cause: error }));
      return;
    }
    const expected = derived(type);
    const given = Object.fromEntries(Object.entries(prop).filter(([key]) => Object.hasOwn(DERIVED_KEYS, key)));
    if (!isDeepStrictEqual(normalise(given), normalise(expected))) {
      problems.push(new InputError(source, at, fill(ODCS_EXPECTATIONS.derived, { type: JSON.stringify(prop.physicalType), expected: JSON.stringify(expected) })));
      return;
    }
    const column: Column = { name: prop.name, type, ...optional('comment', prop.description) };
    if (prop.partitioned === true) partitions.push({ position: prop.partitionKeyPosition ?? -1, column, at });
    else if (prop.partitionKeyPosition !== undefined && prop.partitionKeyPosition !== -1) {
      problems.push(new InputError(source, `${at}.partitionKeyPosition`, ODCS_EXPECTATIONS.partitionedPosition));
    } else columns.push(column);
  });
  const positions = partitions.map((p) => p.position).sort((a, b) => a - b);
  if (!positions.every((p, i) => p === i + 1)) {
    problems.push(new InputError(source, 'schema[0].properties', fill(ODCS_EXPECTATIONS.partitionPositions, { n: positions.length, found: positions.join(', ') })));
  }
  if (problems.length > 0) throw new InputErrors(problems);
  const contract: Contract = {
    version: terms.version,
    status: terms.status,
    ...optional('description', doc.description?.purpose),
    compatibility: terms.compatibility,
    enforcement: terms.enforcement,
    dependentWorkflows: terms.dependentWorkflows,
    ...optional('stopRunningRuns', terms.stopRunningRuns),
    owners: terms.owners,
    ...optional(
      'approval',
      terms.approval === undefined
        ? undefined
        : {
            reviewer: terms.approval.reviewer,
            approvedAt: terms.approval.approvedAt,
            reason: terms.approval.reason,
            ...optional('glueVersionId', terms.approval.glueVersionId),
            acknowledges: terms.approval.acknowledges,
          },
    ),
    schema: {
      database: table.glueDatabase,
      name: object.physicalName ?? object.name,
      columns,
      partitionKeys: [...partitions].sort((a, b) => a.position - b.position).map((p) => p.column),
      storage: {
        format: table.storageFormat,
        ...optional('location', table.location),
        ...optional('inputFormat', table.inputFormat),
        ...optional('outputFormat', table.outputFormat),
        ...optional('serdeLibrary', table.serdeLibrary),
        serdeParameters: table.serdeParameters,
        ...optional('avroSchema', table.avroSchema),
      },
      ...optional('tableType', table.tableType),
      parameters: table.tableParameters,
      ...optional(
        'view',
        table.view === undefined
          ? undefined
          : {
              ...optional('originalText', table.view.originalText),
              ...optional('expandedText', table.view.expandedText),
              ...optional('representations', table.view.representations?.map((r) => ({ dialect: r.dialect, ...optional('originalText', r.originalText), ...optional('expandedText', r.expandedText) }))),
            },
      ),
    },
  };
  // Everything the contract loader checks (names, positions, parameters, approval) is checked here too.
  contractFileText(contract, source);
  return { contract, origin: 'drift-guard', unrecovered: [] };
}

const DERIVED_KEYS = { physicalType: true, logicalType: true, logicalTypeOptions: true, properties: true, items: true } as const;

// ----------------------------------------------------------------------------------------- foreign documents

function numberOption(prop: PropertyShape, key: string): number | undefined {
  const fromOptions = prop.logicalTypeOptions?.[key];
  const value = fromOptions ?? customRecord(prop.customProperties)[key];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The Glue type a foreign property describes, or undefined (and a line in `lost`) when the document does not say. */
function recoverType(source: string, raw: unknown, path: readonly PropertyKey[], where: string, lost: Unrecovered[]): GlueType | undefined {
  const prop = parseWith(source, propertyShape, raw, path);
  const physical = prop.physicalType?.trim().toLowerCase();
  const nested = (): StructField[] | undefined => {
    const fields: StructField[] = [];
    for (const [i, child] of (prop.properties ?? []).entries()) {
      const childProp = parseWith(source, propertyShape, child, [...path, 'properties', i]);
      const name = childProp.name ?? '';
      const type = recoverType(source, child, [...path, 'properties', i], `${where}.${name}`, lost);
      if (type === undefined) return undefined;
      fields.push({ name, type, ...optional('comment', childProp.description) });
    }
    return fields.length === 0 ? undefined : fields;
  };
  if (physical === 'decimal' || physical === 'numeric') {
    const precision = numberOption(prop, 'precision');
    const scale = numberOption(prop, 'scale');
    if (precision !== undefined) return { kind: 'decimal', precision, scale: scale ?? 0 };
    lost.push({ where, ...UNRECOVERED.decimal });
    return undefined;
  }
  if (physical === 'varchar' || physical === 'char') {
    const length = numberOption(prop, 'maxLength');
    if (length !== undefined) return { kind: physical, length };
    lost.push({ where, ...UNRECOVERED.varchar });
    return undefined;
  }
  if (physical === 'map') {
    lost.push({ where, ...UNRECOVERED.map });
    return undefined;
  }
  if (physical === 'struct' || (physical === undefined && prop.properties !== undefined)) {
    const fields = nested();
    if (fields !== undefined) return { kind: 'struct', fields };
    if (!lost.some((l) => l.where.startsWith(`${where}.`))) lost.push({ where, ...UNRECOVERED.noType });
    return undefined;
  }
  if (physical === 'array' || (physical === undefined && prop.items !== undefined)) {
    const element = prop.items === undefined ? undefined : recoverType(source, prop.items, [...path, 'items'], `${where}[]`, lost);
    if (element !== undefined) return { kind: 'array', element };
    if (prop.items === undefined) lost.push({ where, ...UNRECOVERED.noType });
    return undefined;
  }
  if (physical !== undefined) {
    try {
      return parseGlueType(physical, prop.name);
    } catch (error) {
      if (!(error instanceof TypeParseError)) throw error;
    }
  }
  lost.push({ where, ...UNRECOVERED.noType });
  return undefined;
}

function foreignImport(source: string, doc: z.infer<typeof documentShape>, object: z.infer<typeof schemaObjectShape>, defaults: ForeignDefaults): OdcsImport {
  // Glue stores names in lower case (core/schema/glue-name.ts): validated and lower-cased here, as for table files.
  const table = glueName(source, object.physicalName === undefined ? 'schema[0].name' : 'schema[0].physicalName', 'table', object.physicalName ?? object.name);
  const serverIndex = doc.servers?.findIndex((s) => s.type === 'glue' && s.database !== undefined) ?? -1;
  const serverDatabase = doc.servers?.[serverIndex]?.database;
  if (defaults.database === undefined && serverDatabase === undefined) throw new InputError(source, 'servers', ODCS_EXPECTATIONS.databaseName);
  const database = defaults.database ?? glueName(source, `servers[${serverIndex}].database`, 'database', serverDatabase ?? '');
  const lost: Unrecovered[] = [];
  const columns: Column[] = [];
  const partitions: { position: number; column: Column }[] = [];
  const required: string[] = [];
  object.properties.forEach((raw, index) => {
    const path = ['schema', 0, 'properties', index] as const;
    const prop = parseWith(source, propertyShape, raw, path);
    if (prop.name === undefined) throw new InputError(source, `schema[0].properties[${index}].name`, 'a column name');
    const type = recoverType(source, raw, path, `${table}.${prop.name}`, lost);
    if (type === undefined) return;
    const column: Column = { name: prop.name, type, ...optional('comment', prop.description) };
    if (prop.partitioned === true) partitions.push({ position: prop.partitionKeyPosition ?? partitions.length + 1, column });
    else {
      if (prop.required === true) required.push(prop.name);
      columns.push(column);
    }
  });
  if (lost.length > 0) throw new InputError(source, '', importRefusedExpectation(lost));
  if (partitions.length === 0 && required.length > 0) lost.push({ where: `${table} (${required.join(', ')})`, ...UNRECOVERED.partitions });
  lost.push({ where: `${table} (table)`, ...UNRECOVERED.storageFormat }, { where: `${table} (table)`, ...UNRECOVERED.tableType }, { where: `${table} (contract)`, ...UNRECOVERED.terms });
  const contract: Contract = {
    version: defaults.version,
    status: 'proposed',
    ...optional('description', doc.description?.purpose),
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: [],
    owners: defaults.owners,
    schema: {
      database,
      name: table,
      columns,
      partitionKeys: [...partitions].sort((a, b) => a.position - b.position).map((p) => p.column),
      storage: { format: 'unknown', serdeParameters: {} },
      parameters: {},
    },
  };
  contractFileText(contract, source);
  return { contract, origin: 'foreign', unrecovered: lost };
}

/** Key order does not matter in JSON objects. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

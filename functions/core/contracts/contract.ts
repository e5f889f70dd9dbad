/**
 * A contract version: JSON Schema draft-07 describing one row of a Glue table, plus what JSON Schema
 * cannot say in `x-` keys (Glue type, position, partition keys, storage, modes, workflows, owners,
 * approval). zod validates every file strictly; the JSON Schema body must be exactly the one derived
 * from the `x-glue-type`s, so a reviewer cannot edit one and forget the other.
 */
import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod/mini';
import { InputError, InputErrors, checkJsonShape, inputErrorsFromZod } from '../errors.js';
import { TypeParseError, parseGlueType, printGlueType } from '../schema/glue-type.js';
import { glueName } from '../schema/glue-name.js';
import { RULE_IDS, type RuleId } from '../judging/rule-ids.js';
import { COMPATIBILITY_MODES, type CompatibilityMode } from '../judging/rules.js';
import { STORAGE_FORMATS } from '../schema/storage-format.js';
import { BOOKKEEPING_PARAMETERS, type Column, type TableSchema, type ViewText, matchesParameter, optional } from '../schema/table-schema.js';
import { AvroSchemaError, parseAvroSchema } from '../schema/avro-schema.js';
import { FORMERLY_JUDGED_TABLE_PARAMETERS, parameterRole } from '../schema/parameters.js';
import { nullableJsonSchema, withDescription } from '../schema/type-families.js';

export const JSON_SCHEMA_DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
export const ENFORCEMENT_MODES = ['enforce', 'observe'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];
export const CONTRACT_STATUSES = ['approved', 'proposed', 'rejected'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export interface Acknowledgement {
  readonly ruleId: RuleId;
  readonly path: string;
}

export interface Approval {
  readonly reviewer: string;
  /** ISO 8601 date-time. */
  readonly approvedAt: string;
  readonly reason: string;
  /** The Glue table VersionId the approved schema was taken from. */
  readonly glueVersionId?: string;
  /** Breaking findings against the previous version that the reviewer accepted. */
  readonly acknowledges: readonly Acknowledgement[];
}

export interface Contract {
  readonly version: number;
  readonly status: ContractStatus;
  readonly description?: string;
  readonly compatibility: CompatibilityMode;
  readonly enforcement: EnforcementMode;
  readonly dependentWorkflows: readonly string[];
  /** `x-stop-running-runs`: whether holding this table's workflows stops their RUNNING runs; absent: the deployment's setting. */
  readonly stopRunningRuns?: boolean;
  readonly owners: readonly string[];
  readonly approval?: Approval;
  readonly schema: TableSchema;
}

const nonEmpty = z.string().check(z.minLength(1, 'a non-empty string'));
const stringMap = z.record(z.string(), z.string());
const optionalString = z.optional(z.string());

const property = z.looseObject({
  'x-glue-type': nonEmpty,
  'x-position': z.int().check(z.minimum(0, 'a position ≥ 0')),
  'x-partition-key': z.optional(z.literal(true)),
  description: optionalString,
});

const approval = z.strictObject({
  reviewer: nonEmpty,
  approvedAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-11-21T09:30:00Z' }),
  reason: nonEmpty,
  glueVersionId: z.optional(z.string().check(z.regex(/^\d+$/, 'a Glue VersionId (an integer in a string)'))),
  acknowledges: z.optional(z.array(z.strictObject({ ruleId: z.enum(RULE_IDS), path: nonEmpty }))),
});

/** The file format. Strict: an unknown or misspelt key is an error. */
export const contractFile = z.strictObject({
  $schema: z.literal(JSON_SCHEMA_DRAFT_07, { error: `"${JSON_SCHEMA_DRAFT_07}" (json-schema-diff needs draft-07)` }),
  $id: optionalString,
  title: optionalString,
  description: optionalString,
  type: z.literal('object'),
  additionalProperties: z.literal(false),
  // Checked name by name in contractFromFile: z.record would assign each key, and a column called `__proto__` would vanish.
  properties: z.custom<Record<string, z.input<typeof property>>>(isPlainRecord, { error: 'an object of column schemas, keyed by column name' }),
  'x-glue-database': nonEmpty,
  'x-glue-table': nonEmpty,
  'x-version': z.int().check(z.minimum(1, 'a version ≥ 1')),
  'x-status': z.enum(CONTRACT_STATUSES),
  'x-compatibility': z._default(z.enum(COMPATIBILITY_MODES), 'consumer-safe'),
  'x-enforcement': z._default(z.enum(ENFORCEMENT_MODES), 'enforce'),
  'x-dependent-workflows': z._default(z.array(nonEmpty), []),
  'x-stop-running-runs': z.optional(z.boolean({ error: 'true or false (whether holding the workflows stops their RUNNING runs)' })),
  'x-owners': z.array(nonEmpty).check(z.minLength(1, 'at least one owner (a team, person or address to notify)')),
  'x-approval': z.optional(approval),
  'x-storage': z.strictObject({
    format: z.enum(STORAGE_FORMATS),
    location: optionalString,
    inputFormat: optionalString,
    outputFormat: optionalString,
    serdeLibrary: optionalString,
    serdeParameters: z._default(stringMap, {}),
    /** The Avro reader schema literal (avro.schema.literal) the approved table declared. */
    avroSchema: optionalString,
  }),
  'x-table-type': optionalString,
  /** A view's SQL as stored (ViewOriginalText / ViewExpandedText). */
  'x-view': z.optional(
    z.strictObject({
      originalText: optionalString,
      expandedText: optionalString,
      representations: z.optional(z.array(z.strictObject({ dialect: z.string(), originalText: optionalString, expandedText: optionalString }))),
    }),
  ),
  'x-table-parameters': z._default(stringMap, {}),
});
export type ContractFile = z.input<typeof contractFile>;

const PROPERTY_KEYS = new Set(['x-glue-type', 'x-position', 'x-partition-key', 'description']);

function columnSchema(column: Column, position: number, partitionKey: boolean): z.input<typeof property> {
  return {
    ...withDescription(nullableJsonSchema(column.type), column.comment),
    'x-glue-type': printGlueType(column.type),
    'x-position': position,
    ...(partitionKey ? { 'x-partition-key': true } : {}),
  };
}

/** Writes a contract as its file document (keys in a stable, reviewer-friendly order). */
export function contractToFile(contract: Contract): ContractFile {
  const { schema } = contract;
  // Object.fromEntries defines own properties, whatever the column is called.
  const properties: Record<string, z.input<typeof property>> = Object.fromEntries([
    ...schema.columns.map((c, i) => [c.name, columnSchema(c, i, false)] as const),
    ...schema.partitionKeys.map((c, i) => [c.name, columnSchema(c, i, true)] as const),
  ]);
  const storage = schema.storage;
  const file: ContractFile = {
    $schema: JSON_SCHEMA_DRAFT_07,
    $id: `glue-drift-guard://${schema.database}/${schema.name}/v${contract.version}`,
    title: `${schema.database}.${schema.name}`,
    ...optional('description', contract.description),
    type: 'object',
    additionalProperties: false,
    'x-glue-database': schema.database,
    'x-glue-table': schema.name,
    'x-version': contract.version,
    'x-status': contract.status,
    'x-compatibility': contract.compatibility,
    'x-enforcement': contract.enforcement,
    'x-dependent-workflows': [...contract.dependentWorkflows],
    ...optional('x-stop-running-runs', contract.stopRunningRuns),
    'x-owners': [...contract.owners],
    ...optional(
      'x-approval',
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
    'x-storage': {
      format: storage.format,
      ...optional('location', storage.location),
      ...optional('inputFormat', storage.inputFormat),
      ...optional('outputFormat', storage.outputFormat),
      ...optional('serdeLibrary', storage.serdeLibrary),
      serdeParameters: { ...storage.serdeParameters },
      ...optional('avroSchema', storage.avroSchema),
    },
    ...optional('x-table-type', schema.tableType),
    ...optional(
      'x-view',
      schema.view === undefined
        ? undefined
        : {
            ...optional('originalText', schema.view.originalText),
            ...optional('expandedText', schema.view.expandedText),
            ...optional('representations', schema.view.representations?.map((r) => ({ ...r }))),
          },
    ),
    'x-table-parameters': { ...schema.parameters },
    properties,
  };
  return file;
}

/** Reads a contract document; every problem is reported with the file and the path inside it. */
export function contractFromFile(source: string, document: unknown): Contract {
  // Column and struct field names are keys of JSON Schema `properties` maps: `__proto__` is a legal Glue name there.
  checkJsonShape(source, document, 'properties');
  const parsed = contractFile.safeParse(document);
  const properties = parsed.success ? parseProperties(source, parsed.data.properties) : { entries: [], problems: [] };
  if (!parsed.success || properties.problems.length > 0) {
    throw new InputErrors([...(parsed.success ? [] : inputErrorsFromZod(source, parsed.error).errors), ...properties.problems]);
  }
  const file = parsed.data;
  const problems: InputError[] = [];
  // Validated and lower-cased once, here: Glue stores names in lower case (core/schema/glue-name.ts).
  const name = (field: 'x-glue-database' | 'x-glue-table', kind: 'database' | 'table'): string => {
    try {
      return glueName(source, field, kind, file[field]);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
      return file[field];
    }
  };
  const database = name('x-glue-database', 'database');
  const table = name('x-glue-table', 'table');
  const columns: { position: number; column: Column }[] = [];
  const partitionKeys: { position: number; column: Column }[] = [];
  const seen = new Set<string>();
  const columnPositions: { position: number; name: string }[] = [];
  const partitionPositions: { position: number; name: string }[] = [];

  for (const { name, prop, raw } of properties.entries) {
    const at = `properties[${JSON.stringify(name)}]`;
    if (seen.has(name.toLowerCase())) problems.push(new InputError(source, at, 'a column name unique regardless of case'));
    seen.add(name.toLowerCase());
    for (const key of Object.keys(prop)) {
      if (key.startsWith('x-') && !PROPERTY_KEYS.has(key)) {
        problems.push(new InputError(source, `${at}.${key}`, `one of ${[...PROPERTY_KEYS].filter((k) => k.startsWith('x-')).join(', ')} (unknown x- key)`));
      }
    }
    const partitionKey = prop['x-partition-key'] === true;
    (partitionKey ? partitionPositions : columnPositions).push({ position: prop['x-position'], name });
    let column: Column;
    try {
      const type = parseGlueType(prop['x-glue-type'], name);
      const canonical = printGlueType(type);
      if (canonical !== prop['x-glue-type']) {
        problems.push(new InputError(source, `${at}.x-glue-type`, `the canonical spelling "${canonical}" (found "${prop['x-glue-type']}")`));
        continue;
      }
      column = { name, type, ...optional('comment', prop.description) };
    } catch (error) {
      if (!(error instanceof TypeParseError)) throw error;
      problems.push(new InputError(source, `${at}.x-glue-type`, error.message, { cause: error }));
      continue;
    }
    const expected = columnSchema(column, prop['x-position'], partitionKey);
    // The raw JSON, not zod's copy: a nested struct field called `__proto__` must be compared, not dropped.
    const actual = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== 'x-partition-key' || partitionKey));
    if (!isDeepStrictEqual(normalise(actual), normalise(expected))) {
      const body = Object.fromEntries(Object.entries(expected).filter(([key]) => !key.startsWith('x-')));
      problems.push(
        new InputError(
          source,
          at,
          `the JSON Schema derived from x-glue-type "${prop['x-glue-type']}": ${JSON.stringify(body)} (regenerate it with drift-guard, do not edit it by hand)`,
        ),
      );
    }
    (partitionKey ? partitionKeys : columns).push({ position: prop['x-position'], column });
  }
  checkPositions(source, 'columns', columnPositions, problems);
  checkPositions(source, 'partition keys', partitionPositions, problems);

  for (const name of Object.keys(file['x-table-parameters'])) {
    if (matchesParameter(BOOKKEEPING_PARAMETERS, name) && !matchesParameter(FORMERLY_JUDGED_TABLE_PARAMETERS, name)) {
      problems.push(new InputError(source, `x-table-parameters[${JSON.stringify(name)}]`, 'no bookkeeping parameter (crawlers rewrite it on every run; the guard never compares it)'));
    }
  }
  const avroSchema = file['x-storage'].avroSchema;
  if (avroSchema !== undefined) {
    try {
      parseAvroSchema(avroSchema);
    } catch (error) {
      if (!(error instanceof AvroSchemaError)) throw error;
      problems.push(new InputError(source, 'x-storage.avroSchema', error.message, { cause: error }));
    }
  }
  for (const [name, where] of [
    ...Object.keys(file['x-table-parameters']).map((name) => [name, 'table'] as const),
    ...Object.keys(file['x-storage'].serdeParameters).map((name) => [name, 'serde'] as const),
  ]) {
    if (parameterRole(where, name) === 'modelled') {
      const field = where === 'table' ? 'x-table-parameters' : 'x-storage.serdeParameters';
      problems.push(new InputError(source, `${field}[${JSON.stringify(name)}]`, 'no parameter the contract records elsewhere (the Avro reader schema goes in x-storage.avroSchema)'));
    }
  }
  const approvalRecord = file['x-approval'];
  if (file['x-status'] === 'approved' && approvalRecord === undefined) {
    problems.push(new InputError(source, 'x-approval', 'an approval record (reviewer, approvedAt, reason) on an approved version'));
  }
  if (problems.length > 0) throw new InputErrors(problems);

  const byPosition = (a: { position: number }, b: { position: number }): number => a.position - b.position;
  const storage = file['x-storage'];
  return {
    version: file['x-version'],
    status: file['x-status'],
    ...optional('description', file.description),
    compatibility: file['x-compatibility'],
    enforcement: file['x-enforcement'],
    dependentWorkflows: file['x-dependent-workflows'],
    ...optional('stopRunningRuns', file['x-stop-running-runs']),
    owners: file['x-owners'],
    ...optional(
      'approval',
      approvalRecord === undefined
        ? undefined
        : {
            reviewer: approvalRecord.reviewer,
            approvedAt: approvalRecord.approvedAt,
            reason: approvalRecord.reason,
            ...optional('glueVersionId', approvalRecord.glueVersionId),
            acknowledges: approvalRecord.acknowledges ?? [],
          },
    ),
    schema: {
      database,
      name: table,
      columns: columns.sort(byPosition).map((c) => c.column),
      partitionKeys: partitionKeys.sort(byPosition).map((c) => c.column),
      storage: {
        format: storage.format,
        ...optional('location', storage.location),
        ...optional('inputFormat', storage.inputFormat),
        ...optional('outputFormat', storage.outputFormat),
        ...optional('serdeLibrary', storage.serdeLibrary),
        serdeParameters: storage.serdeParameters,
        ...optional('avroSchema', storage.avroSchema),
      },
      ...optional('tableType', file['x-table-type']),
      ...optional('view', viewOf(file['x-view'])),
      // Crawler notes sorted as bookkeeping after the contract was written are not compared: dropped.
      parameters: Object.fromEntries(Object.entries(file['x-table-parameters']).filter(([name]) => !matchesParameter(FORMERLY_JUDGED_TABLE_PARAMETERS, name))),
    },
  };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface PropertyEntry {
  readonly name: string;
  readonly prop: z.output<typeof property>;
  /** The property as read from JSON (own keys only, `__proto__` included). */
  readonly raw: Record<string, unknown>;
}

/** Each column's schema, validated one by one so that every name (even `__proto__`) is kept. */
function parseProperties(source: string, properties: Record<string, unknown>): { entries: PropertyEntry[]; problems: InputError[] } {
  const entries: PropertyEntry[] = [];
  const problems: InputError[] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (name === '') {
      problems.push(new InputError(source, 'properties[""]', 'a column name (a non-empty key)'));
      continue;
    }
    const parsed = property.safeParse(value);
    if (!parsed.success) problems.push(...inputErrorsFromZod(source, parsed.error, ['properties', name]).errors);
    else if (isPlainRecord(value)) entries.push({ name, prop: parsed.data, raw: value });
  }
  return { entries, problems };
}

interface ViewFile {
  originalText?: string | undefined;
  expandedText?: string | undefined;
  representations?: ViewFile[] | undefined;
  dialect?: string;
}

function viewOf(view: ViewFile | undefined): ViewText | undefined {
  if (view === undefined) return undefined;
  const representations = view.representations?.map((r) => ({ dialect: r.dialect ?? '', ...optional('originalText', r.originalText), ...optional('expandedText', r.expandedText) }));
  return { ...optional('originalText', view.originalText), ...optional('expandedText', view.expandedText), ...optional('representations', representations) };
}

function checkPositions(source: string, what: string, entries: readonly { position: number; name: string }[], problems: InputError[]): void {
  const positions = entries.map((e) => e.position).sort((a, b) => a - b);
  const gap = positions.findIndex((p, i) => p !== i);
  if (gap !== -1) {
    const column = entries.find((e) => e.position === positions[gap])?.name ?? '';
    problems.push(
      new InputError(
        source,
        `properties[${JSON.stringify(column)}].x-position`,
        `${what} numbered 0..${entries.length - 1} without gaps or repeats (found ${positions.join(', ')})`,
      ),
    );
  }
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

/**
 * The canonical table schema: what a Glue table promises its readers, and nothing else. Built from
 * exactly what `aws glue get-table` prints (or a bare Table, as the SDK returns it). Crawler
 * bookkeeping, timestamps and version ids are not schema.
 */
import * as z from 'zod/mini';
import { InputError, InputErrors, checkJsonShape, inputErrorsFromZod } from '../errors.js';
import { type GlueType, TypeParseError, parseGlueType } from './glue-type.js';
import { type StorageFormat, deriveStorageFormat } from './storage-format.js';
import { RECORD_PREFIX } from '../incidents/records.js';

export interface Column {
  readonly name: string;
  readonly type: GlueType;
  readonly comment?: string;
}

export interface StorageSchema {
  readonly format: StorageFormat;
  readonly location?: string;
  readonly inputFormat?: string;
  readonly outputFormat?: string;
  readonly serdeLibrary?: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
}

export interface TableSchema {
  readonly database: string;
  readonly name: string;
  readonly columns: readonly Column[];
  readonly partitionKeys: readonly Column[];
  readonly storage: StorageSchema;
  readonly tableType?: string;
  /** Table parameters that are not bookkeeping (see BOOKKEEPING_PARAMETERS). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A table as read from the catalog: its schema plus the facts the guard acts on. */
export interface CatalogTable {
  readonly schema: TableSchema;
  readonly versionId?: string;
  /** `Parameters.UPDATED_BY_CRAWLER`: the crawler that wrote this version, if any. */
  readonly updatedByCrawler?: string;
}

/**
 * Parameters crawlers, engines and open table formats rewrite on their own. Changing only these is not drift.
 * `classification` and `table_type` are not listed: they are folded into `storage.format`.
 */
export const BOOKKEEPING_PARAMETERS: readonly (string | RegExp)[] = [
  'recordCount',
  'averageRecordSize',
  'objectCount',
  'sizeKey',
  'UPDATED_BY_CRAWLER',
  /^CrawlerSchema/,
  'compressionType',
  'typeOfData',
  'transient_lastDdlTime',
  'last_modified_by',
  'last_modified_time',
  'numFiles',
  'numRows',
  'totalSize',
  'rawDataSize',
  'COLUMN_STATS_ACCURATE',
  'STATS_GENERATED_VIA_STATS_TASK',
  'metadata_location',
  'previous_metadata_location',
  /^spark\.sql\.sources\.schema/,
  'spark.sql.create.version',
  'avro.schema.literal',
  'classification',
  'table_type',
  // Hudi and Delta stamp every commit into the table's parameters.
  'last_commit_time_sync',
  'last_commit_completion_time_sync',
  /^delta\.last/,
  /^current-snapshot-/,
  'snapshot-count',
  // The guard's own notes on a version it restored.
  new RegExp(`^${RECORD_PREFIX}`),
];

/**
 * SerDe parameters that restate the columns (the JSON crawler's `paths`, Avro's schema copy): they
 * change whenever columns do, and the column changes are judged on their own.
 */
export const DERIVED_SERDE_PARAMETERS: readonly (string | RegExp)[] = ['paths', 'avro.schema.literal'];

/** Table parameters that change how readers parse the data: a change to one of these breaks readers. */
export const READER_PARAMETERS: readonly (string | RegExp)[] = [
  'skip.header.line.count',
  'skip.footer.line.count',
  'serialization.encoding',
  'serialization.null.format',
  'has_encrypted_data',
  'storage.location.template',
  /^projection\./,
  'avro.schema.url',
];

export function matchesParameter(patterns: readonly (string | RegExp)[], name: string): boolean {
  return patterns.some((p) => (typeof p === 'string' ? p.toLowerCase() === name.toLowerCase() : p.test(name)));
}

const stringMap = z.record(z.string(), z.string());
const nonEmptyString = z.string().check(z.minLength(1));

const glueColumn = z.looseObject({
  Name: nonEmptyString,
  Type: z.string({ error: 'a column type string (a column without a type cannot be judged)' }),
  Comment: z.optional(z.string()),
  Parameters: z.optional(stringMap),
});

/** The fields of a Glue `Table` the guard reads. AWS keeps adding read-only fields: others pass through. */
export const glueTableShape = z.looseObject({
  Name: nonEmptyString,
  DatabaseName: nonEmptyString,
  VersionId: z.optional(z.string().check(z.regex(/^\d+$/, 'an integer in a string'))),
  TableType: z.optional(z.string()),
  Parameters: z.optional(stringMap),
  PartitionKeys: z.optional(z.array(glueColumn)),
  StorageDescriptor: z.optional(
    z.looseObject({
      Columns: z.optional(z.array(glueColumn)),
      Location: z.optional(z.string()),
      InputFormat: z.optional(z.string()),
      OutputFormat: z.optional(z.string()),
      SerdeInfo: z.optional(
        z.looseObject({
          SerializationLibrary: z.optional(z.string()),
          Parameters: z.optional(stringMap),
        }),
      ),
    }),
  ),
});
export type GlueTableShape = z.infer<typeof glueTableShape>;

const getTableOutput = z.looseObject({ Table: glueTableShape });

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseColumns(
  source: string,
  field: string,
  columns: readonly z.infer<typeof glueColumn>[],
  problems: InputError[],
): Column[] {
  const seen = new Set<string>();
  const parsed: Column[] = [];
  columns.forEach((column, index) => {
    const where = `${field}[${index}]`;
    // Iceberg keeps dropped columns in the Glue schema, marked not current: they are not part of the table.
    if (column.Parameters?.['iceberg.field.current'] === 'false') return;
    const key = column.Name.toLowerCase();
    if (seen.has(key)) problems.push(new InputError(source, `${where}.Name`, `a unique column name ("${column.Name}" repeats)`));
    seen.add(key);
    let type: GlueType;
    try {
      type = parseGlueType(column.Type, column.Name);
    } catch (error) {
      if (error instanceof TypeParseError) {
        problems.push(new InputError(source, `${where}.Type`, error.message, { cause: error }));
        return;
      }
      throw error;
    }
    parsed.push(column.Comment === undefined || column.Comment === '' ? { name: column.Name, type } : { name: column.Name, type, comment: column.Comment });
  });
  return parsed;
}

/** Builds the canonical model from a parsed Glue Table; `source` names the input in errors. */
export function catalogTableFrom(source: string, table: GlueTableShape, fieldPrefix = 'Table'): CatalogTable {
  const problems: InputError[] = [];
  const sd = table.StorageDescriptor;
  const at = (field: string): string => (fieldPrefix === '' ? field : `${fieldPrefix}.${field}`);
  const columns = parseColumns(source, at('StorageDescriptor.Columns'), sd?.Columns ?? [], problems);
  const partitionKeys = parseColumns(source, at('PartitionKeys'), table.PartitionKeys ?? [], problems);
  const clash = partitionKeys.find((p) => columns.some((c) => c.name.toLowerCase() === p.name.toLowerCase()));
  if (clash !== undefined) {
    problems.push(new InputError(source, at('PartitionKeys'), `partition key "${clash.name}" not also a column`));
  }
  if (problems.length > 0) throw new InputErrors(problems);

  const parameters = table.Parameters ?? {};
  const serdeParameters = sd?.SerdeInfo?.Parameters ?? {};
  const format = deriveStorageFormat({
    parameters,
    serdeLibrary: sd?.SerdeInfo?.SerializationLibrary,
    serdeParameters,
    inputFormat: sd?.InputFormat,
  });
  const storage: StorageSchema = {
    format,
    ...optional('location', nonEmpty(sd?.Location)),
    ...optional('inputFormat', nonEmpty(sd?.InputFormat)),
    ...optional('outputFormat', nonEmpty(sd?.OutputFormat)),
    ...optional('serdeLibrary', nonEmpty(sd?.SerdeInfo?.SerializationLibrary)),
    serdeParameters: sortedRecord(
      Object.fromEntries(Object.entries(serdeParameters).filter(([name]) => !matchesParameter(DERIVED_SERDE_PARAMETERS, name))),
    ),
  };
  const schema: TableSchema = {
    database: table.DatabaseName,
    name: table.Name,
    columns,
    partitionKeys,
    storage,
    ...optional('tableType', nonEmpty(table.TableType)),
    parameters: sortedRecord(
      Object.fromEntries(Object.entries(parameters).filter(([name]) => !matchesParameter(BOOKKEEPING_PARAMETERS, name))),
    ),
  };
  const crawler = nonEmpty(parameters.UPDATED_BY_CRAWLER);
  return {
    schema,
    ...optional('versionId', table.VersionId),
    ...optional('updatedByCrawler', crawler),
  };
}

/** Accepts `{"Table": {...}}` (what `aws glue get-table` prints) or a bare Table. */
export function parseGlueTableDocument(source: string, document: unknown): CatalogTable {
  checkJsonShape(source, document);
  const wrapped = getTableOutput.safeParse(document);
  if (wrapped.success) return catalogTableFrom(source, wrapped.data.Table);
  const isWrapped = typeof document === 'object' && document !== null && 'Table' in document;
  if (isWrapped) throw inputErrorsFromZod(source, wrapped.error);
  const bare = glueTableShape.safeParse(document);
  if (!bare.success) throw inputErrorsFromZod(source, bare.error);
  return catalogTableFrom(source, bare.data, '');
}

/** `{ key: value }` when value is defined, `{}` otherwise (exactOptionalPropertyTypes-friendly spreads). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

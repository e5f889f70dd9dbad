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
import { AVRO_SCHEMA_NONE, AvroSchemaError, parseAvroSchema } from './avro-schema.js';
import {
  BOOKKEEPING_TABLE_PARAMETERS,
  DERIVED_SERDE_PARAMETER_NAMES,
  MODELLED_SERDE_PARAMETERS,
  MODELLED_TABLE_PARAMETERS,
  READER_TABLE_PARAMETERS,
  matchesParameter,
} from './parameters.js';

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
  /**
   * The Avro reader schema (`avro.schema.literal`, SerDe parameters first, then table parameters; `none` ignored), as
   * stored: Hive's AvroSerDe reads every file with it, not with the columns. Absent on contracts written before it was
   * recorded.
   */
  readonly avroSchema?: string;
}

/** A view's definition as stored (`ViewOriginalText`, `ViewExpandedText`, and a Data Catalog view's dialects). */
export interface ViewText {
  readonly originalText?: string;
  readonly expandedText?: string;
  /**
   * A multi-dialect Data Catalog view's `ViewDefinition.Representations` (Lake Formation "Building AWS Glue Data
   * Catalog views", https://docs.aws.amazon.com/lake-formation/latest/dg/working-with-views.html): each dialect's SQL.
   */
  readonly representations?: readonly ViewRepresentation[];
}

export interface ViewRepresentation {
  readonly dialect: string;
  readonly originalText?: string;
  readonly expandedText?: string;
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
  /** A view's SQL (TableType VIRTUAL_VIEW): readers of a view read what it selects. */
  readonly view?: ViewText;
}

/** A table as read from the catalog: its schema plus the facts the guard acts on. */
export interface CatalogTable {
  readonly schema: TableSchema;
  readonly versionId?: string;
  /** `Parameters.UPDATED_BY_CRAWLER`: the crawler that wrote this version, if any. */
  readonly updatedByCrawler?: string;
}

/**
 * Parameters crawlers, engines and open table formats rewrite on their own (PARAMETER_REGISTRY in parameters.ts says
 * why each one), plus the guard's own notes on a version it restored. Changing only these is not drift.
 */
export const BOOKKEEPING_PARAMETERS: readonly (string | RegExp)[] = [...BOOKKEEPING_TABLE_PARAMETERS, new RegExp(`^${RECORD_PREFIX}`)];

/** SerDe parameters that restate the columns (the JSON crawler's `paths`): the column changes are judged on their own. */
export const DERIVED_SERDE_PARAMETERS: readonly (string | RegExp)[] = DERIVED_SERDE_PARAMETER_NAMES;

/** Table parameters that change how readers parse the data: a change to one of these breaks readers. */
export const READER_PARAMETERS: readonly (string | RegExp)[] = READER_TABLE_PARAMETERS;

export { matchesParameter };

/** Where the Avro reader schema is looked up, in order (Athena: SerDe properties; Hive examples: table properties). */
export const AVRO_SCHEMA_LITERAL = 'avro.schema.literal';

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
  ViewOriginalText: z.optional(z.string()),
  ViewExpandedText: z.optional(z.string()),
  ViewDefinition: z.optional(
    z.looseObject({
      Representations: z.optional(
        z.array(
          z.looseObject({
            Dialect: z.optional(z.string()),
            DialectVersion: z.optional(z.string()),
            ViewOriginalText: z.optional(z.string()),
            ViewExpandedText: z.optional(z.string()),
          }),
        ),
      ),
    }),
  ),
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
  const parameters = table.Parameters ?? {};
  const serdeParameters = sd?.SerdeInfo?.Parameters ?? {};
  const avro = avroSchemaOf(serdeParameters, parameters);
  if (avro !== undefined) {
    try {
      parseAvroSchema(avro.text);
    } catch (error) {
      if (!(error instanceof AvroSchemaError)) throw error;
      problems.push(new InputError(source, at(avro.field), error.message, { cause: error }));
    }
  }
  if (problems.length > 0) throw new InputErrors(problems);

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
      Object.fromEntries(
        Object.entries(serdeParameters).filter(
          ([name]) => !matchesParameter(DERIVED_SERDE_PARAMETERS, name) && !matchesParameter(MODELLED_SERDE_PARAMETERS, name),
        ),
      ),
    ),
    ...optional('avroSchema', avro?.text),
  };
  const representations = (table.ViewDefinition?.Representations ?? []).map(
    (r): ViewRepresentation => ({
      dialect: [r.Dialect, r.DialectVersion].filter((part) => part !== undefined && part !== '').join(' '),
      ...optional('originalText', nonEmpty(r.ViewOriginalText)),
      ...optional('expandedText', nonEmpty(r.ViewExpandedText)),
    }),
  );
  const view: ViewText = {
    ...optional('originalText', nonEmpty(table.ViewOriginalText)),
    ...optional('expandedText', nonEmpty(table.ViewExpandedText)),
    ...optional('representations', representations.length === 0 ? undefined : representations),
  };
  const schema: TableSchema = {
    database: table.DatabaseName,
    name: table.Name,
    columns,
    partitionKeys,
    storage,
    ...optional('tableType', nonEmpty(table.TableType)),
    parameters: sortedRecord(
      Object.fromEntries(
        Object.entries(parameters).filter(([name]) => !matchesParameter(BOOKKEEPING_PARAMETERS, name) && !matchesParameter(MODELLED_TABLE_PARAMETERS, name)),
      ),
    ),
    ...optional('view', Object.keys(view).length === 0 ? undefined : view),
  };
  const crawler = nonEmpty(parameters.UPDATED_BY_CRAWLER);
  return {
    schema,
    ...optional('versionId', table.VersionId),
    ...optional('updatedByCrawler', crawler),
  };
}

/** The Avro reader schema literal a table declares, and where: SerDe parameters first, then table parameters. */
function avroSchemaOf(
  serdeParameters: Readonly<Record<string, string>>,
  parameters: Readonly<Record<string, string>>,
): { text: string; field: string } | undefined {
  const lookup = (record: Readonly<Record<string, string>>): [string, string] | undefined => {
    const key = Object.keys(record).find((k) => k.toLowerCase() === AVRO_SCHEMA_LITERAL);
    const value = key === undefined ? undefined : record[key];
    return key === undefined || value === undefined || value.trim() === '' || value.trim().toLowerCase() === AVRO_SCHEMA_NONE ? undefined : [key, value];
  };
  const serde = lookup(serdeParameters);
  if (serde !== undefined) return { text: serde[1], field: `StorageDescriptor.SerdeInfo.Parameters[${JSON.stringify(serde[0])}]` };
  const table = lookup(parameters);
  return table === undefined ? undefined : { text: table[1], field: `Parameters[${JSON.stringify(table[0])}]` };
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

/**
 * The storage format of a Glue table, derived the way Athena reads it: open table formats first
 * (table_type / provider parameters), then the SerDe, then the InputFormat, then the crawler's
 * `classification`. Whether a format matches columns by name or by position decides which changes break.
 */

export const STORAGE_FORMATS = [
  'parquet',
  'orc',
  'avro',
  'json',
  'ion',
  'csv',
  'tsv',
  'text',
  'iceberg',
  'delta',
  'hudi',
  'unknown',
] as const;
export type StorageFormat = (typeof STORAGE_FORMATS)[number];

/**
 * Formats whose readers find columns by name by default: adding or moving a column elsewhere than the end is safe.
 * Parquet (and Hudi, which is Parquet underneath) is read by name unless `parquet.column.index.access=true`.
 */
export const BY_NAME_FORMATS: readonly StorageFormat[] = ['parquet', 'avro', 'json', 'ion', 'iceberg', 'delta', 'hudi'];
/**
 * Formats read by position by default (ORC by index is Athena's default unless `orc.column.index.access=false`);
 * an unknown format is treated the same way: fail closed.
 */
export const BY_POSITION_FORMATS: readonly StorageFormat[] = ['csv', 'tsv', 'text', 'orc', 'unknown'];

/** How readers match a table's columns to the data: by name or by position. */
export type ColumnMatching = 'name' | 'position';

/** What decides how a table's columns are read: its format, SerDe parameters and table type. */
export interface ReaderHints {
  readonly format: StorageFormat;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly tableType?: string | undefined;
}

/**
 * The SerDe parameters that switch Parquet and ORC between reading by name and by position. Athena,
 * "Handle schema updates" › "Understand index access for Apache ORC and Apache Parquet"
 * (https://docs.aws.amazon.com/athena/latest/ug/handling-schema-updates-chapter.html): "Parquet … read by name
 * by default … `'parquet.column.index.access'='true'` reads by index"; "ORC … read by index, by default …
 * `'orc.column.index.access'='false'` reads by name". Also "Update tables with partitions"
 * (https://docs.aws.amazon.com/athena/latest/ug/updates-and-partitions.html).
 */
export const INDEX_ACCESS_PARAMETERS = ['parquet.column.index.access', 'orc.column.index.access'] as const;

/**
 * How readers match columns, per the table's own declaration:
 * - a view (`VIRTUAL_VIEW`) is read through SQL, by column name ("Considerations and limitations for Athena views",
 *   https://docs.aws.amazon.com/athena/latest/ug/considerations-limitations-views.html);
 * - Parquet/Hudi: by name unless `parquet.column.index.access` is `true`;
 * - ORC: by position unless `orc.column.index.access` is `false` (Trino: `hive.orc.use-column-names` defaults to
 *   false: Trino docs "Object storage file formats", trinodb/trino docs/src/main/sphinx/connector/object-storage-file-formats.md);
 * - other formats: BY_NAME_FORMATS / BY_POSITION_FORMATS.
 * A value other than `true`/`false` keeps the format's default (what Athena does with an unparseable boolean is not
 * documented; the default is what the format documents).
 */
export function columnMatching(hints: ReaderHints): ColumnMatching {
  if (hints.tableType?.toUpperCase() === 'VIRTUAL_VIEW') return 'name';
  if (hints.format === 'parquet' || hints.format === 'hudi') {
    return parameter(hints.serdeParameters, 'parquet.column.index.access') === 'true' ? 'position' : 'name';
  }
  if (hints.format === 'orc') return parameter(hints.serdeParameters, 'orc.column.index.access') === 'false' ? 'name' : 'position';
  return BY_NAME_FORMATS.includes(hints.format) ? 'name' : 'position';
}
/** Open table formats keep a data pointer in Parameters: never roll their Glue versions back. */
export const OPEN_TABLE_FORMATS: readonly StorageFormat[] = ['iceberg', 'delta', 'hudi'];

export interface StorageHints {
  readonly parameters: Readonly<Record<string, string>>;
  readonly serdeLibrary?: string | undefined;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly inputFormat?: string | undefined;
}

const SERDE_FORMATS: readonly (readonly [RegExp, StorageFormat | 'delimited'])[] = [
  [/ParquetHiveSerDe$/i, 'parquet'],
  [/\.orc\.OrcSerde$/i, 'orc'],
  [/AvroSerDe$/i, 'avro'],
  [/JsonSerDe$/i, 'json'],
  [/IonHiveSerDe$/i, 'ion'],
  [/OpenCSVSerde$/i, 'csv'],
  [/LazySimpleSerDe$/i, 'delimited'],
  [/(RegexSerDe|GrokSerDe|CloudTrailSerde|MultiDelimitSerDe)$/i, 'text'],
];

const INPUT_FORMATS: readonly (readonly [RegExp, StorageFormat])[] = [
  [/HoodieParquet(RealtimeInputFormat|InputFormat)$/i, 'hudi'],
  [/Parquet\w*InputFormat$/i, 'parquet'],
  [/OrcInputFormat$/i, 'orc'],
  [/AvroContainerInputFormat$/i, 'avro'],
  [/IonInputFormat$/i, 'ion'],
  [/SymlinkTextInputFormat$/i, 'text'],
  [/TextInputFormat$/i, 'text'],
];

const CLASSIFICATIONS: Readonly<Record<string, StorageFormat>> = {
  parquet: 'parquet',
  orc: 'orc',
  avro: 'avro',
  json: 'json',
  csv: 'csv',
  tsv: 'tsv',
  ion: 'ion',
  iceberg: 'iceberg',
  delta: 'delta',
  hudi: 'hudi',
};

function parameter(parameters: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(parameters).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : parameters[key]?.toLowerCase();
}

function delimitedFormat(hints: StorageHints): StorageFormat {
  const delimiter = hints.serdeParameters['field.delim'] ?? hints.serdeParameters['separatorChar'];
  if (delimiter === '\t' || delimiter === '\\t') return 'tsv';
  if (delimiter === ',') return 'csv';
  const classification = parameter(hints.parameters, 'classification');
  return classification === 'csv' || classification === 'tsv' ? classification : 'text';
}

export function deriveStorageFormat(hints: StorageHints): StorageFormat {
  const tableType = parameter(hints.parameters, 'table_type');
  const openFormat = OPEN_TABLE_FORMATS.find((format) => format === tableType);
  if (openFormat !== undefined) return openFormat;
  const provider = parameter(hints.parameters, 'spark.sql.sources.provider');
  if (provider === 'delta') return 'delta';
  if (provider === 'hudi') return 'hudi';

  // Hudi tables use the Parquet SerDe: only their InputFormat tells them apart.
  if (hints.inputFormat !== undefined && /HoodieParquet(RealtimeInputFormat|InputFormat)$/i.test(hints.inputFormat)) return 'hudi';
  const serde = hints.serdeLibrary;
  if (serde !== undefined) {
    const match = SERDE_FORMATS.find(([pattern]) => pattern.test(serde));
    if (match !== undefined) return match[1] === 'delimited' ? delimitedFormat(hints) : match[1];
  }
  const input = hints.inputFormat;
  if (input !== undefined) {
    const match = INPUT_FORMATS.find(([pattern]) => pattern.test(input));
    if (match !== undefined) return match[1] === 'text' ? delimitedFormat(hints) : match[1];
  }
  const classification = parameter(hints.parameters, 'classification');
  // Own keys only: a classification such as "constructor" must not reach Object.prototype.
  return (classification !== undefined && Object.hasOwn(CLASSIFICATIONS, classification) ? CLASSIFICATIONS[classification] : undefined) ?? 'unknown';
}

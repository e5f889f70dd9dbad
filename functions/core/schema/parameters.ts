/**
 * The parameter registry: every table and SerDe parameter the judge treats specially, with its role and the reason
 * (and source) for it. `drift-guard rules` and the README print it next to the rules.
 *
 * - bookkeeping: written by crawlers, engines or open table formats on their own; a change is never drift.
 * - reader: changes how readers parse the data; a change breaks readers (READER_PARAMETER_CHANGED).
 * - derived: restates the columns; the column changes are judged on their own.
 * - modelled: read into the canonical schema and judged semantically (e.g. the Avro reader schema).
 * A table parameter not listed is judged TABLE_PARAMETER_CHANGED (info); a SerDe parameter not listed is judged
 * SERDE_PARAMETER_CHANGED (breaking: Hive hands table and SerDe parameters to the SerDe).
 */

export type ParameterRole = 'bookkeeping' | 'reader' | 'derived' | 'modelled';

export interface ParameterEntry {
  readonly name: string | RegExp;
  /** Where it lives: `Table.Parameters` or `StorageDescriptor.SerdeInfo.Parameters`. */
  readonly where: 'table' | 'serde';
  readonly role: ParameterRole;
  readonly reason: string;
  /** Judged (as a table parameter) before it was sorted as bookkeeping: contracts written then may hold it; loading drops it. */
  readonly formerlyJudged?: true;
}

const CRAWLER_PARAMETERS = 'https://docs.aws.amazon.com/glue/latest/dg/table-properties-crawler.html';
const SCHEMA_UPDATES = 'https://docs.aws.amazon.com/athena/latest/ug/handling-schema-updates-chapter.html';

const crawlerInternal = (name: string | RegExp, what: string): ParameterEntry => ({
  name,
  where: 'table',
  role: 'bookkeeping',
  reason: `${what}: set by the crawler "for internal calculations", accuracy not guaranteed, not read by readers (${CRAWLER_PARAMETERS}).`,
});
const engineStamp = (name: string | RegExp, what: string): ParameterEntry => ({ name, where: 'table', role: 'bookkeeping', reason: what });

export const PARAMETER_REGISTRY: readonly ParameterEntry[] = [
  crawlerInternal('recordCount', 'Row count estimate'),
  crawlerInternal('averageRecordSize', 'Average row size estimate'),
  crawlerInternal('objectCount', 'Object count'),
  crawlerInternal('sizeKey', 'Size estimate'),
  crawlerInternal('UPDATED_BY_CRAWLER', 'Name of the crawler that last wrote the table'),
  crawlerInternal(/^CrawlerSchema/, 'Crawler schema (de)serializer versions'),
  crawlerInternal('typeOfData', 'file/table/view'),
  { ...crawlerInternal('connectionName', 'JDBC connection the crawler used'), formerlyJudged: true },
  {
    name: 'compressionType',
    where: 'table',
    role: 'bookkeeping',
    reason: `Meant for users, not SerDes (${CRAWLER_PARAMETERS}); Athena detects compression from the files.`,
  },
  {
    name: 'columnsOrdered',
    where: 'table',
    role: 'bookkeeping',
    formerlyJudged: true,
    reason: `Crawler note on CSV tables; not among the crawler parameters AWS documents for use (${CRAWLER_PARAMETERS}); readers match CSV columns by position whatever it says.`,
  },
  {
    name: 'areColumnsQuoted',
    where: 'table',
    role: 'bookkeeping',
    formerlyJudged: true,
    reason: 'Crawler note on CSV tables; quoting is read from the SerDe (OpenCSVSerde `quoteChar`, https://docs.aws.amazon.com/athena/latest/ug/csv-serde.html), whose changes are judged.',
  },
  {
    name: 'delimiter',
    where: 'table',
    role: 'bookkeeping',
    formerlyJudged: true,
    reason: 'Crawler note on CSV tables; readers take the delimiter from the SerDe (`field.delim`/`separatorChar`, https://docs.aws.amazon.com/athena/latest/ug/serde-create-a-table.html), whose changes are judged.',
  },
  {
    name: 'exclusions',
    where: 'table',
    role: 'bookkeeping',
    formerlyJudged: true,
    reason: 'Crawler exclude patterns; no AWS source says Athena or Glue readers honour them (undocumented: treated as crawler configuration).',
  },
  {
    name: /^serde\.param\./i,
    where: 'table',
    role: 'bookkeeping',
    formerlyJudged: true,
    reason:
      'Table-level copies of SerDe parameters written by some crawlers and tools; readers parse with SerdeInfo.Parameters, whose changes are judged (undocumented: no AWS page describes the copies, so the SerDe parameters stay the source judged).',
  },
  engineStamp('transient_lastDdlTime', 'Hive DDL timestamp.'),
  engineStamp('last_modified_by', 'Hive audit stamp.'),
  engineStamp('last_modified_time', 'Hive audit stamp.'),
  engineStamp(/^(numFiles|numRows|totalSize|rawDataSize)$/i, 'Hive statistics.'),
  engineStamp('COLUMN_STATS_ACCURATE', 'Hive statistics flag.'),
  engineStamp('STATS_GENERATED_VIA_STATS_TASK', 'Hive statistics flag.'),
  engineStamp(
    /^(metadata_location|previous_metadata_location)$/i,
    'Iceberg: the current metadata file, rewritten on every commit (https://iceberg.apache.org/docs/latest/aws/#glue-catalog).',
  ),
  engineStamp(/^spark\.sql\.sources\.schema/, 'Spark: a JSON copy of the columns; the columns are judged on their own.'),
  engineStamp('spark.sql.create.version', 'Spark version that created the table.'),
  engineStamp(/^(last_commit_time_sync|last_commit_completion_time_sync)$/i, 'Hudi: commit stamped by every Glue sync.'),
  engineStamp(/^delta\.last/, 'Delta: commit stamped into the table.'),
  engineStamp(/^current-snapshot-/, 'Iceberg: snapshot stamps.'),
  engineStamp('snapshot-count', 'Iceberg: snapshot stamps.'),
  {
    name: 'classification',
    where: 'table',
    role: 'bookkeeping',
    reason: `Folded into the storage format, judged as STORAGE_FORMAT_CHANGED (${CRAWLER_PARAMETERS}).`,
  },
  { name: 'table_type', where: 'table', role: 'bookkeeping', reason: 'Folded into the storage format (ICEBERG, DELTA, HUDI), judged as STORAGE_FORMAT_CHANGED.' },
  {
    name: 'skip.header.line.count',
    where: 'table',
    role: 'reader',
    reason: 'Lines skipped at the top of each file (https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html); crawlers set it on CSV tables.',
  },
  { name: 'skip.footer.line.count', where: 'table', role: 'reader', reason: 'Lines skipped at the end of each file (Hive text tables).' },
  { name: 'serialization.encoding', where: 'table', role: 'reader', reason: 'Character set the text SerDes decode with.' },
  { name: 'serialization.null.format', where: 'table', role: 'reader', reason: 'The text that reads as NULL (https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html).' },
  { name: 'has_encrypted_data', where: 'table', role: 'reader', reason: 'Athena reads the files as client-side encrypted.' },
  {
    name: 'storage.location.template',
    where: 'table',
    role: 'reader',
    reason: 'Partition projection: which S3 prefixes readers list (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).',
  },
  { name: /^projection\./, where: 'table', role: 'reader', reason: 'Partition projection: which partitions readers see (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).' },
  {
    name: 'avro.schema.url',
    where: 'table',
    role: 'reader',
    reason: 'Avro reader schema kept outside the catalog: its content cannot be judged, so any change breaks (fail closed; Athena refuses it: https://docs.aws.amazon.com/athena/latest/ug/avro-serde.html).',
  },
  {
    name: 'avro.schema.literal',
    where: 'table',
    role: 'modelled',
    reason: 'The Avro reader schema (Hive AvroSerDe; TBLPROPERTIES in Hive examples): judged field by field under `avroSchema`, and against the columns.',
  },
  {
    name: 'avro.schema.literal',
    where: 'serde',
    role: 'modelled',
    reason: 'The Avro reader schema (https://docs.aws.amazon.com/athena/latest/ug/avro-serde.html): judged field by field under `avroSchema`, and against the columns.',
  },
  { name: 'paths', where: 'serde', role: 'derived', reason: 'OpenX JSON crawler restatement of the column names; the columns are judged on their own.' },
  {
    name: /^(parquet|orc)\.column\.index\.access$/i,
    where: 'serde',
    role: 'reader',
    reason: `Switches Parquet/ORC between reading by name and by position (${SCHEMA_UPDATES}): judged COLUMN_MATCHING_CHANGED, and it decides which column rules apply.`,
  },
];

export function matchesParameter(patterns: readonly (string | RegExp)[], name: string): boolean {
  return patterns.some((p) => (typeof p === 'string' ? p.toLowerCase() === name.toLowerCase() : p.test(name)));
}

const names = (where: ParameterEntry['where'], ...roles: ParameterRole[]): readonly (string | RegExp)[] =>
  PARAMETER_REGISTRY.filter((p) => p.where === where && roles.includes(p.role)).map((p) => p.name);

/** The role the registry gives a parameter, if any. */
export function parameterRole(where: ParameterEntry['where'], name: string): ParameterRole | undefined {
  return PARAMETER_REGISTRY.find((p) => p.where === where && matchesParameter([p.name], name))?.role;
}

/** Table parameters that are not schema (plus the guard's own notes, added in table-schema.ts). */
export const BOOKKEEPING_TABLE_PARAMETERS = names('table', 'bookkeeping');
/** Bookkeeping parameters that contracts written before they were sorted may still hold. */
export const FORMERLY_JUDGED_TABLE_PARAMETERS = PARAMETER_REGISTRY.filter((p) => p.formerlyJudged === true).map((p) => p.name);
/** Table parameters that change how readers parse the data. */
export const READER_TABLE_PARAMETERS = names('table', 'reader');
/** Parameters kept out of the parameter maps because the canonical schema models them. */
export const MODELLED_TABLE_PARAMETERS = names('table', 'modelled');
export const MODELLED_SERDE_PARAMETERS = names('serde', 'modelled');
export const DERIVED_SERDE_PARAMETER_NAMES = names('serde', 'derived');

/** Glue Table documents and contracts for core tests: a parquet `sales.orders`-like table in a few shapes. */
import type { Contract } from '../../functions/core/contracts/contract.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';

const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

export type Columns = readonly (readonly [string, string])[];

/** The columns a table has, in the shapes the tests judge. */
export const SHAPES = {
  accepted: [
    ['id', 'bigint'],
    ['amount', 'decimal(10,2)'],
  ],
  /** allowed under consumer-safe: a column added at the end. */
  added: [
    ['id', 'bigint'],
    ['amount', 'decimal(10,2)'],
    ['note', 'string'],
  ],
  /** breaking: `amount` retyped decimal → string. */
  retyped: [
    ['id', 'bigint'],
    ['amount', 'string'],
  ],
  /** breaking: `amount` removed. */
  dropped: [['id', 'bigint']],
} as const satisfies Record<string, Columns>;

export interface TableShape {
  readonly name?: string;
  readonly database?: string;
  readonly columns: Columns;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** A Glue `Table` as GetTable returns it (without VersionId: the catalog stamps it). */
export function glueTable({ name = 'orders', database = 'sales', columns, parameters = {} }: TableShape): Record<string, unknown> {
  return {
    Name: name,
    DatabaseName: database,
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: { Columns: columns.map(([Name, Type]) => ({ Name, Type })), Location: `s3://bucket/${name}/`, ...PARQUET },
    Parameters: { classification: 'parquet', ...parameters },
  };
}

/** An approved contract whose schema is `shape`. */
export function contractFor(shape: TableShape, overrides: Partial<Contract> = {}): Contract {
  return {
    version: 1,
    status: 'approved',
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: ['nightly'],
    owners: ['team'],
    approval: { reviewer: 'a', approvedAt: '2026-01-01T00:00:00Z', reason: 'baseline', glueVersionId: '1', acknowledges: [] },
    schema: parseGlueTableDocument('contract', glueTable(shape)).schema,
    ...overrides,
  };
}

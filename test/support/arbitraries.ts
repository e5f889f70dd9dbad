/** fast-check generators for Glue types and canonical table schemas. */
import fc from 'fast-check';
import { type GlueType, INTERVAL_UNITS, MAX_DECIMAL_PRECISION, PRIMITIVE_NAMES, type StructField } from '../../functions/core/schema/glue-type.js';
import { STORAGE_FORMATS } from '../../functions/core/schema/storage-format.js';
import type { Column, TableSchema } from '../../functions/core/schema/table-schema.js';

const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/);
/** Names that need backticks: spaces, dots, colons, angle brackets, even backticks. */
const unusualName = fc.stringMatching(/^[A-Za-z0-9 ._:<>,`$-]{1,10}$/).filter((s) => s.trim() === s && s !== '');
/** Names that are also Object.prototype members: legal in Glue, and a trap wherever a plain object is keyed by name. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);
const fieldName = fc.oneof({ weight: 4, arbitrary: identifier }, { weight: 1, arbitrary: unusualName }, { weight: 1, arbitrary: prototypeName });
/** Column names are lower case in Glue. */
const columnName = fc.oneof({ weight: 6, arbitrary: identifier }, { weight: 1, arbitrary: prototypeName.map((n) => n.toLowerCase()) });
const comment = fc.option(fc.string({ maxLength: 20 }).map((s) => s.replaceAll('\0', '')), { nil: undefined });

const leafType: fc.Arbitrary<GlueType> = fc.oneof(
  fc.constantFrom(...PRIMITIVE_NAMES).map((name): GlueType => ({ kind: 'primitive', name })),
  fc
    .integer({ min: 1, max: MAX_DECIMAL_PRECISION })
    .chain((precision) => fc.integer({ min: 0, max: precision }).map((scale): GlueType => ({ kind: 'decimal', precision, scale }))),
  fc.integer({ min: 1, max: 255 }).map((length): GlueType => ({ kind: 'char', length })),
  fc.integer({ min: 1, max: 65_535 }).map((length): GlueType => ({ kind: 'varchar', length })),
  fc.constantFrom<GlueType>(
    { kind: 'interval', from: 'year', to: 'month' },
    { kind: 'interval', from: 'day', to: 'second' },
    { kind: 'timestamptz' },
    { kind: 'opaque', text: 'timestamp_ns' },
    { kind: 'opaque', text: 'binary(16)' },
  ),
  fc.constantFrom(...INTERVAL_UNITS).map((from): GlueType => ({ kind: 'interval', from })),
);

function uniqueFields(fields: readonly StructField[]): StructField[] {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const key = f.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const glueType: fc.Arbitrary<GlueType> = fc.letrec<{ type: GlueType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafType,
    tie('type').map((element): GlueType => ({ kind: 'array', element })),
    fc.tuple(leafType, tie('type')).map(([key, value]): GlueType => ({ kind: 'map', key, value })),
    fc
      .array(
        fc.record({ name: fieldName, type: tie('type'), comment }).map(({ name, type, comment: c }): StructField =>
          c === undefined ? { name, type } : { name, type, comment: c },
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((fields): GlueType => ({ kind: 'struct', fields: uniqueFields(fields) })),
    fc.array(tie('type'), { minLength: 1, maxLength: 3 }).map((members): GlueType => ({ kind: 'union', members })),
  ),
})).type;

const column: fc.Arbitrary<Column> = fc
  .record({ name: columnName, type: glueType, comment })
  .map(({ name, type, comment: c }) => (c === undefined || c === '' ? { name, type } : { name, type, comment: c }));

const stringRecord = fc.dictionary(fc.stringMatching(/^[a-z][a-z.]{0,12}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 });

export const tableSchema: fc.Arbitrary<TableSchema> = fc
  .record({
    columns: fc.uniqueArray(column, { minLength: 1, maxLength: 8, selector: (c) => c.name }),
    partitionKeys: fc.uniqueArray(column, { maxLength: 2, selector: (c) => c.name }),
    format: fc.constantFrom(...STORAGE_FORMATS),
    location: fc.option(fc.constant('s3://bucket/prefix/'), { nil: undefined }),
    serdeParameters: stringRecord,
    parameters: stringRecord.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'classification'))),
  })
  .map(({ columns, partitionKeys, format, location, serdeParameters, parameters }) => {
    const names = new Set(columns.map((c) => c.name));
    return {
      database: 'db',
      name: 'table',
      columns,
      partitionKeys: partitionKeys.filter((p) => !names.has(p.name)),
      storage: { format, ...(location === undefined ? {} : { location }), serdeParameters: sortKeys(serdeParameters) },
      tableType: 'EXTERNAL_TABLE',
      parameters: sortKeys(parameters),
    };
  });

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

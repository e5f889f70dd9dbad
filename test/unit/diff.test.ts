import { describe, expect, it } from 'vitest';
import { type Change, diffTables } from '../../functions/core/judging/diff.js';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import { formatPath } from '../../functions/core/schema/path.js';
import type { TableSchema } from '../../functions/core/schema/table-schema.js';

function table(columns: readonly [string, string][], partitionKeys: readonly [string, string][] = []): TableSchema {
  const toColumns = (list: readonly [string, string][]) => list.map(([name, type]) => ({ name, type: parseGlueType(type) }));
  return {
    database: 'sales',
    name: 'orders',
    columns: toColumns(columns),
    partitionKeys: toColumns(partitionKeys),
    storage: { format: 'parquet', serdeParameters: {} },
    parameters: {},
  };
}

/** `kind path` lines, with before → after where the change has them. */
function summary(changes: readonly Change[]): string[] {
  return changes.map((c) => {
    const path = formatPath(c.path);
    if (c.kind === 'renamed') return `renamed ${path} → ${c.after}`;
    if (c.kind === 'moved') return `moved ${path} ${c.before} → ${c.after}`;
    if (c.kind === 'added' && 'atEnd' in c) return `added ${path}${c.atEnd ? ' at end' : ' midway'}`;
    return `${c.kind} ${path}`;
  });
}

describe('Neutral diff', () => {
  it('finds nothing between a table and itself', () => {
    const t = table([['id', 'bigint'], ['items', 'array<struct<sku:string,qty:int>>']]);
    expect(diffTables(t, t)).toEqual([]);
  });

  it('tells an addition at the end from one in the middle', () => {
    const before = table([['a', 'int'], ['b', 'int']]);
    const after = table([['a', 'int'], ['x', 'int'], ['b', 'int'], ['y', 'int'], ['z', 'int']]);
    expect(summary(diffTables(before, after))).toEqual(['added columns.x midway', 'added columns.y at end', 'added columns.z at end']);
  });

  it('reports a rename when a column of the same type takes the place of a removed one', () => {
    const before = table([['a', 'int'], ['b', 'string'], ['c', 'int']]);
    const after = table([['a', 'int'], ['b2', 'string'], ['c', 'int']]);
    expect(summary(diffTables(before, after))).toEqual(['renamed columns.b → b2']);
  });

  it('does not call it a rename when the type differs or the place differs', () => {
    const typeDiffers = diffTables(table([['a', 'int'], ['b', 'string']]), table([['a', 'int'], ['b2', 'int']]));
    expect(summary(typeDiffers)).toEqual(['removed columns.b', 'added columns.b2 at end']);
    const placeDiffers = diffTables(table([['a', 'int'], ['b', 'string'], ['c', 'int']]), table([['a', 'int'], ['c', 'int'], ['b2', 'string']]));
    expect(summary(placeDiffers)).toEqual(['removed columns.b', 'added columns.b2 at end']);
  });

  it('reports only the columns that moved, not everything after them', () => {
    const before = table([['a', 'int'], ['b', 'int'], ['c', 'int'], ['d', 'int'], ['e', 'int']]);
    const after = table([['a', 'int'], ['c', 'int'], ['d', 'int'], ['e', 'int'], ['b', 'int']]);
    expect(summary(diffTables(before, after))).toEqual(['moved columns.b 1 → 4']);
  });

  it('matches names case-insensitively, as Hive does', () => {
    expect(diffTables(table([['OrderId', 'int']]), table([['orderid', 'int']]))).toEqual([]);
  });

  it('descends into structs, arrays, maps and unions with paths', () => {
    const before = table([
      ['items', 'array<struct<sku:string,price:decimal(10,2),meta:struct<a:int>>>'],
      ['attrs', 'map<string,struct<city:string>>'],
      ['u', 'uniontype<int,string>'],
    ]);
    const after = table([
      ['items', 'array<struct<sku:string,price:decimal(12,2),meta:struct<a:bigint,b:int>>>'],
      ['attrs', 'map<int,struct<town:string>>'],
      ['u', 'uniontype<bigint,string>'],
    ]);
    expect(summary(diffTables(before, after))).toEqual([
      'updated columns.items[].price',
      'updated columns.items[].meta.a',
      'added columns.items[].meta.b at end',
      'updated columns.attrs{key}',
      'renamed columns.attrs{value}.city → town',
      'updated columns.u{0}',
    ]);
  });

  it('reports a container replaced by another kind as one type change', () => {
    const changes = diffTables(table([['x', 'array<int>']]), table([['x', 'struct<a:int>']]));
    expect(summary(changes)).toEqual(['updated columns.x']);
  });

  it('diffs partition keys, storage and table parameters', () => {
    const before: TableSchema = { ...table([['a', 'int']], [['dt', 'string']]), storage: { format: 'csv', location: 's3://a/', serdeParameters: { 'field.delim': ',' } }, tableType: 'EXTERNAL_TABLE', parameters: { 'skip.header.line.count': '1' } };
    const after: TableSchema = { ...table([['a', 'int']], [['dt', 'date']]), storage: { format: 'csv', location: 's3://b/', serdeParameters: { 'field.delim': '|' } }, parameters: {} };
    expect(summary(diffTables(before, after))).toEqual([
      'updated partitionKeys.dt',
      'updated storage.location',
      'updated storage.serdeParameters.`field.delim`',
      'removed table.type',
      'removed table.parameters.`skip.header.line.count`',
    ]);
  });
});

/**
 * Parity, Glue partitions: the same SDK calls on moto 5.2.1 and on the local stack give the same answers — the
 * partition API the guard's partition protection uses (create, batch create with per-entry Errors, get, list with an
 * Expression, batch get, update, batch update, delete, batch delete), and AWS's rule that UpdateTable leaves the
 * partitions' own schemas alone. Differences are declared in partition-gaps.ts and asserted there.
 */
import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchGetPartitionCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  DeletePartitionCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  UpdatePartitionCommand,
  UpdateTableCommand,
  paginateGetPartitions,
  type Partition,
  type PartitionInput,
  type TableInput,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type Backend, localBackend, motoBackend } from './backends.js';
import { failure } from './moto-gaps.js';
import { PARTITION_MOTO_GAPS } from './partition-gaps.js';

const backends: readonly { readonly name: Backend['name']; readonly start: () => Promise<Backend> }[] = [
  { name: 'moto', start: () => motoBackend(inject('python')) },
  { name: 'local stack', start: localBackend },
];

const TABLE = { DatabaseName: 'sales', TableName: 'orders' } as const;

function table(columns: readonly string[]): TableInput {
  return {
    Name: 'orders',
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: { Columns: columns.map((Name) => ({ Name, Type: 'string' })), Location: 's3://lake/sales/orders/' },
    PartitionKeys: [
      { Name: 'year', Type: 'int' },
      { Name: 'day', Type: 'string' },
    ],
  };
}

function part(day: string, columns: readonly string[] = ['id', 'amount']): PartitionInput {
  return {
    Values: ['2026', day],
    StorageDescriptor: { Columns: columns.map((Name) => ({ Name, Type: 'string' })), Location: `s3://lake/sales/orders/year=2026/day=${day}/` },
    Parameters: { classification: 'parquet' },
  };
}

/** What both backends must agree on (CreationTime: a Date on both, its value differs). */
function comparable(p: Partition | undefined): unknown {
  if (p === undefined) return undefined;
  expect(p.CreationTime).toBeInstanceOf(Date);
  return { Values: p.Values, DatabaseName: p.DatabaseName, TableName: p.TableName, StorageDescriptor: p.StorageDescriptor, Parameters: p.Parameters };
}

async function all(b: Backend, Expression?: string): Promise<Partition[]> {
  const out: Partition[] = [];
  for await (const page of paginateGetPartitions({ client: b.clients.glue, pageSize: 2 }, { ...TABLE, ...(Expression === undefined ? {} : { Expression }) })) {
    out.push(...(page.Partitions ?? []));
  }
  return out;
}

const days = (p: readonly Partition[]): string[] => p.map((x) => x.Values?.[1] ?? '').sort();

describe.each(backends)('partition parity on $name', { timeout: 120_000 }, ({ name, start }) => {
  const onMoto = name === 'moto';
  let backend: Backend | undefined;
  const running = (): Backend => {
    if (backend === undefined) throw new Error(`${name} is not running`);
    return backend;
  };

  beforeAll(async () => {
    backend = await start();
  }, 90_000);
  afterAll(async () => {
    await backend?.stop();
  });
  beforeEach(async () => {
    const b = running();
    await b.reset();
    await b.clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    await b.clients.glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: table(['id', 'amount']) }));
  });

  describe('declared moto gaps (partitions)', () => {
    it.each(PARTITION_MOTO_GAPS.map((gap, i) => ({ ...gap, i })))('$id', async (gap) => {
      const seen = await gap.probe(running(), `pgap${String(gap.i)}`);
      expect(seen).toBe(onMoto ? 'moto' : 'aws');
    });
  });

  it('create, batch create (per-entry AlreadyExistsException), get, list with an Expression, batch get', async () => {
    const { glue } = running().clients;
    await glue.send(new CreatePartitionCommand({ ...TABLE, PartitionInput: part('a') }));
    const created = await glue.send(new BatchCreatePartitionCommand({ ...TABLE, PartitionInputList: [part('b'), part('a'), part('c')] }));
    expect(created.Errors?.map((e) => ({ values: e.PartitionValues, code: e.ErrorDetail?.ErrorCode }))).toEqual([
      { values: ['2026', 'a'], code: 'AlreadyExistsException' },
    ]);

    const { Partition: got } = await glue.send(new GetPartitionCommand({ ...TABLE, PartitionValues: ['2026', 'b'] }));
    expect(comparable(got)).toEqual({
      Values: ['2026', 'b'],
      DatabaseName: 'sales',
      TableName: 'orders',
      StorageDescriptor: part('b').StorageDescriptor,
      Parameters: { classification: 'parquet' },
    });
    expect(days(await all(running()))).toEqual(['a', 'b', 'c']);
    expect(days(await all(running(), "year = 2026 AND day = 'c'"))).toEqual(['c']);
    expect(days(await all(running(), "day IN ('a', 'b')"))).toEqual(['a', 'b']);
    expect(days(await all(running(), "day LIKE 'b%'"))).toEqual(['b']);
    expect(days(await all(running(), "year BETWEEN 2025 AND 2026 AND day <> 'c'"))).toEqual(['a', 'b']);

    const batch = await glue.send(new BatchGetPartitionCommand({ ...TABLE, PartitionsToGet: [{ Values: ['2026', 'c'] }, { Values: ['2026', 'zz'] }] }));
    expect(days(batch.Partitions ?? [])).toEqual(['c']);
    expect(batch.UnprocessedKeys ?? []).toEqual([]);
  });

  it('update and batch update (per-entry EntityNotFoundException); UpdateTable leaves the partitions alone', async () => {
    const { glue } = running().clients;
    await glue.send(new BatchCreatePartitionCommand({ ...TABLE, PartitionInputList: [part('a'), part('b')] }));
    await glue.send(new UpdatePartitionCommand({ ...TABLE, PartitionValueList: ['2026', 'a'], PartitionInput: part('a', ['id']) }));
    const updated = await glue.send(
      new BatchUpdatePartitionCommand({
        ...TABLE,
        Entries: [
          { PartitionValueList: ['2026', 'b'], PartitionInput: part('b', ['id', 'amount', 'note']) },
          { PartitionValueList: ['2026', 'zz'], PartitionInput: part('zz') },
        ],
      }),
    );
    expect(updated.Errors?.map((e) => ({ values: e.PartitionValueList, code: e.ErrorDetail?.ErrorCode }))).toEqual([
      { values: ['2026', 'zz'], code: 'EntityNotFoundException' },
    ]);
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: table(['id', 'amount', 'renamed']) }));
    const columns = async (day: string): Promise<string[]> => {
      const { Partition: p } = await glue.send(new GetPartitionCommand({ ...TABLE, PartitionValues: ['2026', day] }));
      return (p?.StorageDescriptor?.Columns ?? []).map((c) => c.Name ?? '');
    };
    expect(await columns('a')).toEqual(['id']);
    expect(await columns('b')).toEqual(['id', 'amount', 'note']);
  });

  it('delete and batch delete (per-entry EntityNotFoundException); missing table and partition errors', async () => {
    const { glue } = running().clients;
    await glue.send(new BatchCreatePartitionCommand({ ...TABLE, PartitionInputList: [part('a'), part('b'), part('c')] }));
    await glue.send(new DeletePartitionCommand({ ...TABLE, PartitionValues: ['2026', 'a'] }));
    expect((await failure(() => glue.send(new GetPartitionCommand({ ...TABLE, PartitionValues: ['2026', 'a'] }))))?.name).toBe(
      'EntityNotFoundException',
    );
    expect((await failure(() => glue.send(new DeletePartitionCommand({ ...TABLE, PartitionValues: ['2026', 'a'] }))))?.name).toBe(
      'EntityNotFoundException',
    );
    const deleted = await glue.send(new BatchDeletePartitionCommand({ ...TABLE, PartitionsToDelete: [{ Values: ['2026', 'b'] }, { Values: ['2026', 'zz'] }] }));
    expect(deleted.Errors?.map((e) => ({ values: e.PartitionValues, code: e.ErrorDetail?.ErrorCode }))).toEqual([
      { values: ['2026', 'zz'], code: 'EntityNotFoundException' },
    ]);
    expect(days(await all(running()))).toEqual(['c']);

    const missing = { DatabaseName: 'sales', TableName: 'nope' };
    expect((await failure(() => glue.send(new GetPartitionsCommand(missing))))?.name).toBe('EntityNotFoundException');
    expect((await failure(() => glue.send(new BatchCreatePartitionCommand({ ...missing, PartitionInputList: [part('a')] }))))?.name).toBe(
      'EntityNotFoundException',
    );
    expect((await failure(() => glue.send(new CreatePartitionCommand({ ...missing, PartitionInput: part('a') }))))?.name).toBe(
      'EntityNotFoundException',
    );
  });
});

/**
 * The local AWS stack, Glue partitions, through the real @aws-sdk/client-glue over HTTP: every partition operation,
 * its validation and errors, paging, batch limits and per-entry Errors, and the Table State Change events each write
 * emits (typeOfChange = the operation, changedPartitions "[v1, v2]", ≤ 100 per event).
 */
import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchGetPartitionCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  DeletePartitionCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GetPartitionCommand,
  GetPartitionsCommand,
  GlueClient,
  InvalidInputException,
  ResourceNumberLimitExceededException,
  UpdatePartitionCommand,
  UpdateTableCommand,
  ValidationException,
  paginateGetPartitions,
  type Partition,
  type PartitionInput,
  type StorageDescriptor,
  type TableInput,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO, ordersPartitionInput, seedDemoCatalog, seedOrdersPartitions } from '../../infra/local/demo/demo-catalog.js';
import { CRAWLER_STATE_CHANGE, startLocalStack, TABLE_STATE_CHANGE, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;

const partitionDetail = z.object({
  databaseName: z.string(),
  tableName: z.string(),
  typeOfChange: z.string(),
  changedPartitions: z.array(z.string()).optional(),
});

function storage(columns: readonly (readonly [string, string])[], location: string): StorageDescriptor {
  return {
    Columns: columns.map(([Name, Type]) => ({ Name, Type })),
    Location: location,
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
  };
}

const ORDERS_COLUMNS = [
  ['id', 'bigint'],
  ['amount', 'decimal(10,2)'],
] as const;

function ordersTable(): TableInput {
  return {
    Name: 'orders',
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: storage(ORDERS_COLUMNS, 's3://lake/sales/orders/'),
    PartitionKeys: [
      { Name: 'year', Type: 'int' },
      { Name: 'day', Type: 'string' },
    ],
  };
}

function part(year: number, day: string, columns: readonly (readonly [string, string])[] = ORDERS_COLUMNS): PartitionInput {
  return {
    Values: [String(year), day],
    StorageDescriptor: storage(columns, `s3://lake/sales/orders/year=${String(year)}/day=${day}/`),
    Parameters: { classification: 'parquet' },
  };
}

async function seedOrders(): Promise<void> {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
  await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: ordersTable() }));
}

function partitionEvents(): z.output<typeof partitionDetail>[] {
  return stack.bus.events
    .filter((e) => e['detail-type'] === TABLE_STATE_CHANGE)
    .map((e) => partitionDetail.parse(e.detail))
    .filter((d) => d.typeOfChange !== 'UpdateTable');
}

function days(n: number, year = 2026): PartitionInput[] {
  return Array.from({ length: n }, (_, i) => part(year, `d${String(i).padStart(4, '0')}`));
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 12 });
  glue = new GlueClient({ ...stack.clientConfig(), maxAttempts: 1 });
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(async () => {
  stack.reset();
  await seedOrders();
});

describe('CreatePartition / GetPartition', () => {
  it('stores the partition with its own StorageDescriptor and returns the Partition structure', async () => {
    const before = Date.now();
    await glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2026, '2026-12-01') }));
    const { Partition: got } = await glue.send(
      new GetPartitionCommand({ DatabaseName: 'SALES', TableName: 'Orders', PartitionValues: ['2026', '2026-12-01'] }),
    );
    expect(got).toMatchObject({
      Values: ['2026', '2026-12-01'],
      DatabaseName: 'sales',
      TableName: 'orders',
      CatalogId: stack.accountId,
      Parameters: { classification: 'parquet' },
      StorageDescriptor: { Location: 's3://lake/sales/orders/year=2026/day=2026-12-01/', Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'decimal(10,2)' }] },
    });
    expect(got?.CreationTime).toBeInstanceOf(Date);
    expect(got?.CreationTime?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('answers AlreadyExistsException for an existing partition and EntityNotFoundException for a missing one', async () => {
    const input = { DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2026, '2026-12-01') };
    await glue.send(new CreatePartitionCommand(input));
    await expect(glue.send(new CreatePartitionCommand(input))).rejects.toBeInstanceOf(AlreadyExistsException);
    await expect(
      glue.send(new GetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2026', '2026-12-02'] })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('answers EntityNotFoundException for a missing table or database', async () => {
    await expect(
      glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'nope', PartitionInput: part(2026, 'x') })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(
      glue.send(new CreatePartitionCommand({ DatabaseName: 'nope', TableName: 'orders', PartitionInput: part(2026, 'x') })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'nope' })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('rejects Values whose count differs from the table PartitionKeys, missing Values, and over-long values', async () => {
    const base = { DatabaseName: 'sales', TableName: 'orders' };
    await expect(glue.send(new CreatePartitionCommand({ ...base, PartitionInput: { ...part(2026, 'x'), Values: ['2026'] } }))).rejects.toBeInstanceOf(
      InvalidInputException,
    );
    await expect(
      glue.send(new CreatePartitionCommand({ ...base, PartitionInput: { ...part(2026, 'x'), Values: ['2026', 'x', 'y'] } })),
    ).rejects.toBeInstanceOf(InvalidInputException);
    const noValues: PartitionInput = { ...part(2026, 'x') };
    delete noValues.Values;
    await expect(glue.send(new CreatePartitionCommand({ ...base, PartitionInput: noValues }))).rejects.toBeInstanceOf(InvalidInputException);
    await expect(
      glue.send(new CreatePartitionCommand({ ...base, PartitionInput: { ...part(2026, 'x'), Values: ['2026', 'x'.repeat(1025)] } })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      glue.send(new CreatePartitionCommand({ ...base, PartitionInput: { ...part(2026, 'x'), Values: ['2026', ''] } })),
    ).rejects.toBeInstanceOf(ValidationException);
    expect(stack.glue.getPartitions('sales', 'orders')).toEqual([]);
  });

  it('rejects read-only Partition members in PartitionInput (strict shape, like TableInput)', async () => {
    const raw = await fetch(stack.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSGlue.CreatePartition' },
      body: JSON.stringify({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: { Values: ['2026', 'x'], CreationTime: 1 } }),
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
  });

  it('keeps partitions when UpdateTable changes the table schema, and drops them with the table', async () => {
    await glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2026, 'a') }));
    const wider = { ...ordersTable(), StorageDescriptor: storage([...ORDERS_COLUMNS, ['note', 'string']], 's3://lake/sales/orders/') };
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: wider }));
    const { Partition: got } = await glue.send(
      new GetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2026', 'a'] }),
    );
    expect(got?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['id', 'amount']);

    await glue.send(new DeleteTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: ordersTable() }));
    expect((await glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders' }))).Partitions).toEqual([]);
  });
});

describe('BatchCreatePartition', () => {
  it('creates up to 100 partitions and reports per-entry Errors for the rest, writing the good ones', async () => {
    await glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2026, 'dup') }));
    const res = await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: 'sales',
        TableName: 'orders',
        PartitionInputList: [part(2026, 'ok1'), part(2026, 'dup'), { ...part(2026, 'bad'), Values: ['2026'] }, part(2026, 'ok2')],
      }),
    );
    expect(res.Errors).toEqual([
      { PartitionValues: ['2026', 'dup'], ErrorDetail: { ErrorCode: 'AlreadyExistsException', ErrorMessage: expect.any(String) as string } },
      { PartitionValues: ['2026'], ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: expect.any(String) as string } },
    ]);
    expect(stack.glue.getPartitions('sales', 'orders').map((p) => p.Values?.[1])).toEqual(['dup', 'ok1', 'ok2']);
  });

  it('rejects more than 100 entries (ValidationException) writing nothing; a missing table fails the whole call', async () => {
    await expect(
      glue.send(new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInputList: days(101) })),
    ).rejects.toThrow(/Member must have length less than or equal to 100/);
    expect(stack.glue.getPartitions('sales', 'orders')).toEqual([]);
    await expect(
      glue.send(new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'nope', PartitionInputList: days(2) })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('reports a value repeated inside one batch as AlreadyExistsException for the second entry', async () => {
    const res = await glue.send(
      new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInputList: [part(2026, 'a'), part(2026, 'a')] }),
    );
    expect(res.Errors?.map((e) => e.ErrorDetail?.ErrorCode)).toEqual(['AlreadyExistsException']);
    expect(stack.glue.getPartitions('sales', 'orders')).toHaveLength(1);
  });
});

describe('GetPartitions', () => {
  beforeEach(() => {
    stack.glue.putPartitions('sales', 'orders', [...days(25, 2025), ...days(25, 2026)], { emit: false });
  });

  it('pages with NextToken (MaxResults 1–1000) and returns every partition once', async () => {
    const seen: Partition[] = [];
    for await (const page of paginateGetPartitions({ client: glue, pageSize: 7 }, { DatabaseName: 'sales', TableName: 'orders' })) {
      expect((page.Partitions ?? []).length).toBeLessThanOrEqual(7);
      seen.push(...(page.Partitions ?? []));
    }
    expect(seen).toHaveLength(50);
    expect(new Set(seen.map((p) => JSON.stringify(p.Values))).size).toBe(50);
    await expect(glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 1001 }))).rejects.toThrow(
      /less than or equal to 1000/,
    );
    await expect(glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 0 }))).rejects.toBeInstanceOf(
      ValidationException,
    );
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', NextToken: 'garbage' })),
    ).rejects.toBeInstanceOf(InvalidInputException);
  });

  it('pages at 100 when MaxResults is not given (AWS documents no default: strict side)', async () => {
    stack.glue.putPartitions('sales', 'orders', days(60, 2027), { emit: false });
    const first = await glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders' }));
    expect(first.Partitions).toHaveLength(100);
    const rest = await glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', NextToken: first.NextToken }));
    expect(rest.Partitions).toHaveLength(10);
    expect(rest.NextToken).toBeUndefined();
  });

  it('filters with the supported Expression subset, typed by the partition key', async () => {
    const values = async (Expression: string): Promise<string[]> => {
      const res = await glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Expression, MaxResults: 1000 }));
      return (res.Partitions ?? []).map((p) => (p.Values ?? []).join('/'));
    };
    expect(await values("year = 2025 AND day = 'd0003'")).toEqual(['2025/d0003']);
    expect(await values("day IN ('d0001', 'd0002') AND year > 2025")).toEqual(['2026/d0001', '2026/d0002']);
    expect(await values("(year = 2025 OR year = 2026) AND day BETWEEN 'd0023' AND 'd0024'")).toHaveLength(4);
    expect(await values("year <> 2025 AND day >= 'd0024'")).toEqual(['2026/d0024']);
    expect(await values("YEAR <= 2025 and day < 'd0001'")).toEqual(['2025/d0000']);
    expect(await values("day LIKE '%24' AND NOT year = 2026")).toEqual(['2025/d0024']);
    // int keys compare as numbers, not strings: 2025 > 9 (as strings "2025" < "9")
    expect(await values('year > 9')).toHaveLength(50);
  });

  it('rejects an Expression it cannot evaluate instead of ignoring the filter', async () => {
    for (const Expression of ["day NOT LIKE 'd%'", 'day IS NULL', "missing = 'x'", "day = 'unterminated", 'year = 20 25', "year = 'abc'"]) {
      await expect(glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Expression }))).rejects.toMatchObject({
        name: 'InvalidInputException',
        message: expect.stringContaining(Expression) as string,
      });
    }
  });

  it('refuses the governed-table members it does not model (TransactionId, QueryAsOfTime) instead of ignoring them', async () => {
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', TransactionId: 'tx-1' })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', QueryAsOfTime: new Date() })),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('ExcludeColumnSchema leaves the columns out; Segment splits the partitions into disjoint parts', async () => {
    const res = await glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', ExcludeColumnSchema: true, MaxResults: 3 }));
    expect(res.Partitions?.every((p) => p.StorageDescriptor?.Columns === undefined && p.StorageDescriptor?.Location !== undefined)).toBe(true);

    const segment = async (n: number): Promise<string[]> => {
      const out = await glue.send(
        new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Segment: { SegmentNumber: n, TotalSegments: 3 }, MaxResults: 1000 }),
      );
      return (out.Partitions ?? []).map((p) => JSON.stringify(p.Values));
    };
    const parts = [await segment(0), await segment(1), await segment(2)];
    expect(parts.flat()).toHaveLength(50);
    expect(new Set(parts.flat()).size).toBe(50);
    expect(parts.every((p) => p.length > 0)).toBe(true);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Segment: { SegmentNumber: 3, TotalSegments: 3 } })),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Segment: { SegmentNumber: 0, TotalSegments: 11 } })),
    ).rejects.toBeInstanceOf(ValidationException);
  });
});

describe('BatchGetPartition', () => {
  it('returns the partitions found, leaves missing ones out, and rejects more than 1000 keys', async () => {
    stack.glue.putPartitions('sales', 'orders', days(3), { emit: false });
    const res = await glue.send(
      new BatchGetPartitionCommand({
        DatabaseName: 'sales',
        TableName: 'orders',
        PartitionsToGet: [{ Values: ['2026', 'd0002'] }, { Values: ['2026', 'zzz'] }, { Values: ['2026', 'd0000'] }],
      }),
    );
    expect(res.Partitions?.map((p) => p.Values?.[1]).sort()).toEqual(['d0000', 'd0002']);
    expect(res.UnprocessedKeys ?? []).toEqual([]);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ Values: ['2026', String(i)] }));
    await expect(
      glue.send(new BatchGetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToGet: tooMany })),
    ).rejects.toThrow(/less than or equal to 1000/);
  });

  it('hands back keys beyond settings.batchGetPartitionMaxProcessed as UnprocessedKeys (AWS may, callers must retry them)', async () => {
    stack.glue.putPartitions('sales', 'orders', days(5), { emit: false });
    stack.glue.settings.batchGetPartitionMaxProcessed = 2;
    const keys = days(5).map((p) => ({ Values: p.Values ?? [] }));
    const res = await glue.send(new BatchGetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToGet: keys }));
    expect(res.Partitions).toHaveLength(2);
    expect(res.UnprocessedKeys).toEqual(keys.slice(2));
  });
});

describe('UpdatePartition / BatchUpdatePartition', () => {
  it('replaces the partition definition, keeps CreationTime, and refuses to change Values', async () => {
    await glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2026, 'a') }));
    const created = stack.glue.getPartition('sales', 'orders', ['2026', 'a']);
    const narrowed = part(2026, 'a', [['id', 'string']]);
    await glue.send(new UpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValueList: ['2026', 'a'], PartitionInput: narrowed }));
    const updated = stack.glue.getPartition('sales', 'orders', ['2026', 'a']);
    expect(updated?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'string' }]);
    expect(updated?.CreationTime).toEqual(created?.CreationTime);

    await expect(
      glue.send(
        new UpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValueList: ['2026', 'a'], PartitionInput: part(2026, 'b') }),
      ),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(
      glue.send(
        new UpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValueList: ['2026', 'zz'], PartitionInput: part(2026, 'zz') }),
      ),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
    expect(stack.glue.getPartitions('sales', 'orders').map((p) => p.Values)).toEqual([['2026', 'a']]);
  });

  it('BatchUpdatePartition updates each entry and reports BatchUpdatePartitionFailureEntry Errors; 1–100 entries', async () => {
    stack.glue.putPartitions('sales', 'orders', [part(2026, 'a'), part(2026, 'b')], { emit: false });
    const res = await glue.send(
      new BatchUpdatePartitionCommand({
        DatabaseName: 'sales',
        TableName: 'orders',
        Entries: [
          { PartitionValueList: ['2026', 'a'], PartitionInput: part(2026, 'a', [['id', 'string']]) },
          { PartitionValueList: ['2026', 'missing'], PartitionInput: part(2026, 'missing') },
          { PartitionValueList: ['2026', 'b'], PartitionInput: part(2026, 'renamed') },
        ],
      }),
    );
    expect(res.Errors).toEqual([
      { PartitionValueList: ['2026', 'missing'], ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: expect.any(String) as string } },
      { PartitionValueList: ['2026', 'b'], ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: expect.any(String) as string } },
    ]);
    expect(stack.glue.getPartition('sales', 'orders', ['2026', 'a'])?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'string' }]);
    await expect(glue.send(new BatchUpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', Entries: [] }))).rejects.toBeInstanceOf(
      ValidationException,
    );
    const entries = days(101).map((p) => ({ PartitionValueList: p.Values ?? [], PartitionInput: p }));
    await expect(glue.send(new BatchUpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', Entries: entries }))).rejects.toThrow(
      /less than or equal to 100/,
    );
  });
});

describe('DeletePartition / BatchDeletePartition', () => {
  it('deletes one partition; a missing one is EntityNotFoundException', async () => {
    stack.glue.putPartitions('sales', 'orders', [part(2026, 'a')], { emit: false });
    await glue.send(new DeletePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2026', 'a'] }));
    expect(stack.glue.getPartitions('sales', 'orders')).toEqual([]);
    await expect(
      glue.send(new DeletePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2026', 'a'] })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('BatchDeletePartition takes at most 25, deletes the rest and reports missing ones as PartitionError', async () => {
    stack.glue.putPartitions('sales', 'orders', days(30), { emit: false });
    const keys = days(30).map((p) => ({ Values: p.Values ?? [] }));
    await expect(
      glue.send(new BatchDeletePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToDelete: keys.slice(0, 26) })),
    ).rejects.toThrow(/less than or equal to 25/);
    expect(stack.glue.getPartitions('sales', 'orders')).toHaveLength(30);
    const res = await glue.send(
      new BatchDeletePartitionCommand({
        DatabaseName: 'sales',
        TableName: 'orders',
        PartitionsToDelete: [...keys.slice(0, 24), { Values: ['2026', 'gone'] }],
      }),
    );
    expect(res.Errors).toEqual([
      { PartitionValues: ['2026', 'gone'], ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: expect.any(String) as string } },
    ]);
    expect(stack.glue.getPartitions('sales', 'orders')).toHaveLength(6);
  });
});

describe('partition events', () => {
  it('each write emits a Table State Change named after the operation, with "[v1, v2]" partition names', async () => {
    const base = { DatabaseName: 'sales', TableName: 'orders' };
    await glue.send(new CreatePartitionCommand({ ...base, PartitionInput: part(2026, 'a') }));
    await glue.send(new BatchCreatePartitionCommand({ ...base, PartitionInputList: [part(2026, 'b'), part(2026, 'a')] }));
    await glue.send(new UpdatePartitionCommand({ ...base, PartitionValueList: ['2026', 'a'], PartitionInput: part(2026, 'a') }));
    await glue.send(
      new BatchUpdatePartitionCommand({ ...base, Entries: [{ PartitionValueList: ['2026', 'b'], PartitionInput: part(2026, 'b') }] }),
    );
    await glue.send(new DeletePartitionCommand({ ...base, PartitionValues: ['2026', 'a'] }));
    await glue.send(new BatchDeletePartitionCommand({ ...base, PartitionsToDelete: [{ Values: ['2026', 'b'] }, { Values: ['2026', 'zz'] }] }));
    // a batch where every entry fails changes nothing and emits nothing
    await glue.send(new BatchCreatePartitionCommand({ ...base, PartitionInputList: [{ ...part(2026, 'c'), Values: ['x'] }] }));

    expect(partitionEvents()).toEqual([
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'CreatePartition', changedPartitions: ['[2026, a]'] },
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchCreatePartition', changedPartitions: ['[2026, b]'] },
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'UpdatePartition', changedPartitions: ['[2026, a]'] },
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchUpdatePartition', changedPartitions: ['[2026, b]'] },
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'DeletePartition', changedPartitions: ['[2026, a]'] },
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchDeletePartition', changedPartitions: ['[2026, b]'] },
    ]);
    const event = stack.bus.events.find((e) => e['detail-type'] === TABLE_STATE_CHANGE);
    expect(event).toMatchObject({ source: 'aws.glue', resources: [`arn:aws:glue:${stack.region}:${stack.accountId}:table/sales/orders`] });
  });

  it('splits more than 100 changed partitions into events of at most 100 (seeding with emit)', () => {
    stack.glue.putPartitions('sales', 'orders', days(250), { emit: true });
    const events = partitionEvents();
    expect(events.map((e) => e.changedPartitions?.length)).toEqual([100, 100, 50]);
    expect(events.every((e) => e.typeOfChange === 'BatchCreatePartition')).toBe(true);
    expect(events.flatMap((e) => e.changedPartitions ?? [])).toEqual(days(250).map((p) => `[${(p.Values ?? []).join(', ')}]`));
  });

  it('partition events go through the bus faults: dropRate 1 loses them all', async () => {
    stack.bus.configure({ dropRate: 1 });
    await glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2026, 'a') }));
    expect(stack.bus.lost.map((e) => e['detail-type'])).toEqual([TABLE_STATE_CHANGE]);
  });
});

describe('faults', () => {
  it('per-entry failures: the entry is reported in Errors (or UnprocessedKeys) and not applied; the rest is', async () => {
    stack.glue.putPartitions('sales', 'orders', days(3), { emit: false });
    stack.glue.failPartitionEntries({ operation: 'BatchDeletePartition', values: ['2026', 'd0001'] });
    stack.glue.failPartitionEntries({ operation: 'BatchCreatePartition', errorCode: 'OperationTimeoutException' });
    stack.glue.failPartitionEntries({ operation: 'BatchGetPartition', values: ['2026', 'd0002'] });
    stack.glue.failPartitionEntries({ operation: 'BatchUpdatePartition', count: 2 });

    const keys = days(3).map((p) => ({ Values: p.Values ?? [] }));
    const got = await glue.send(new BatchGetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToGet: keys }));
    expect(got.Partitions?.map((p) => p.Values?.[1])).toEqual(['d0000', 'd0001']);
    expect(got.UnprocessedKeys).toEqual([{ Values: ['2026', 'd0002'] }]);

    const deleted = await glue.send(new BatchDeletePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToDelete: keys.slice(0, 2) }));
    expect(deleted.Errors?.map((e) => [e.PartitionValues, e.ErrorDetail?.ErrorCode])).toEqual([[['2026', 'd0001'], 'InternalServiceException']]);
    expect(stack.glue.getPartitions('sales', 'orders').map((p) => p.Values?.[1])).toEqual(['d0001', 'd0002']);

    const created = await glue.send(
      new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInputList: [part(2027, 'x'), part(2027, 'y')] }),
    );
    expect(created.Errors?.map((e) => [e.PartitionValues, e.ErrorDetail?.ErrorCode])).toEqual([[['2027', 'x'], 'OperationTimeoutException']]);
    expect(stack.glue.getPartition('sales', 'orders', ['2027', 'x'])).toBeUndefined();
    expect(stack.glue.getPartition('sales', 'orders', ['2027', 'y'])).toBeDefined();

    const entries = ['d0001', 'd0002'].map((d) => ({ PartitionValueList: ['2026', d], PartitionInput: part(2026, d, [['id', 'string']]) }));
    const updated = await glue.send(new BatchUpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', Entries: entries }));
    expect(updated.Errors).toHaveLength(2);
    expect(stack.glue.getPartition('sales', 'orders', ['2026', 'd0001'])?.StorageDescriptor?.Columns).toHaveLength(2);
    // spent: the next call succeeds
    const again = await glue.send(new BatchUpdatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', Entries: entries }));
    expect(again.Errors ?? []).toEqual([]);
  });

  it('whole-call faults (failNext, throttling) apply to the partition operations like to any other', async () => {
    stack.faults.set({ failNext: { operation: 'BatchCreatePartition', error: 'ThrottlingException' } });
    await expect(
      glue.send(new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInputList: days(2) })),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(stack.glue.getPartitions('sales', 'orders')).toEqual([]);
    expect(partitionEvents()).toEqual([]);
    expect(stack.calls.countByOperation()).toMatchObject({ BatchCreatePartition: 1 });
  });

  it('stack.reset() forgets injected entry faults', async () => {
    stack.glue.failPartitionEntries({ operation: 'BatchCreatePartition' });
    stack.reset();
    await seedOrders();
    const res = await glue.send(new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInputList: days(1) }));
    expect(res.Errors ?? []).toEqual([]);
  });
});

describe('seeding and limits', () => {
  it('seeds thousands of partitions in-process quickly, and validates the whole seed before writing any', () => {
    const started = performance.now();
    stack.glue.putPartitions('sales', 'orders', days(5000), { emit: false });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(stack.glue.getPartitions('sales', 'orders')).toHaveLength(5000);
    expect(() => stack.glue.putPartitions('sales', 'orders', [part(2027, 'new'), { ...part(2027, 'bad'), Values: ['x'] }])).toThrow(
      /partition keys/,
    );
    expect(stack.glue.getPartition('sales', 'orders', ['2027', 'new'])).toBeUndefined();
  });

  it('seeds the demo table\'s daily partitions with the approved schema at dt=<day>/', () => {
    stack.reset();
    seedDemoCatalog(stack);
    seedOrdersPartitions(stack, ['2026-11-30', '2026-12-01']);
    const table = stack.glue.getTable(DEMO.database, DEMO.table);
    const [first] = stack.glue.getPartitions(DEMO.database, DEMO.table);
    expect(first?.Values).toEqual(['2026-11-30']);
    expect(first?.StorageDescriptor?.Columns).toEqual(table?.StorageDescriptor?.Columns);
    expect(first?.StorageDescriptor?.Location).toBe(`${table?.StorageDescriptor?.Location ?? ''}dt=2026-11-30/`);
    expect(ordersPartitionInput('2026-12-02').Values).toEqual(['2026-12-02']);
    expect(partitionEvents()).toEqual([]);
  });

  it('seeds over the control API', async () => {
    const res = await fetch(`${stack.endpoint}/_local/partitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ databaseName: 'sales', tableName: 'orders', partitions: days(3), emit: false }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ created: 3 });
    expect(stack.glue.getPartitions('sales', 'orders')).toHaveLength(3);
    expect(partitionEvents()).toEqual([]);
  });

  it('enforces the partitions-per-table and per-account quotas (ResourceNumberLimitExceededException)', async () => {
    stack.glue.settings.maxPartitionsPerTable = 3;
    const res = await glue.send(new BatchCreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInputList: days(4) }));
    expect(res.Errors?.map((e) => e.ErrorDetail?.ErrorCode)).toEqual(['ResourceNumberLimitExceededException']);
    await expect(
      glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionInput: part(2030, 'x') })),
    ).rejects.toBeInstanceOf(ResourceNumberLimitExceededException);

    stack.glue.settings.maxPartitionsPerTable = 100;
    stack.glue.settings.maxPartitionsPerAccount = 4;
    await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: { ...ordersTable(), Name: 'orders_held' } }));
    await glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders_held', PartitionInput: part(2030, 'x') }));
    await expect(
      glue.send(new CreatePartitionCommand({ DatabaseName: 'sales', TableName: 'orders_held', PartitionInput: part(2030, 'y') })),
    ).rejects.toBeInstanceOf(ResourceNumberLimitExceededException);
  });
});

describe('crawls that write partitions', () => {
  const crawled = (): TableInput => ({ ...ordersTable(), StorageDescriptor: storage([['id', 'string']], 's3://lake/sales/orders/') });

  beforeEach(() => {
    stack.glue.createCrawler({ Name: 'orders-crawler', DatabaseName: 'sales' });
    stack.glue.putPartitions('sales', 'orders', [part(2026, 'old'), part(2026, 'kept')], { emit: false });
  });

  it('creates and replaces the listed partitions with the crawled schema, leaves the others, and counts them', () => {
    const result = stack.simulateCrawlerRun('orders-crawler', [
      { tableInput: crawled(), partitions: [{ Values: ['2026', 'old'] }, { Values: ['2026', 'new'] }] },
    ]);
    expect(result).toMatchObject({ state: 'Succeeded', tablesUpdated: 1, partitionsCreated: 1, partitionsUpdated: 1 });
    const columns = (day: string): unknown => stack.glue.getPartition('sales', 'orders', ['2026', day])?.StorageDescriptor?.Columns;
    expect(columns('old')).toEqual([{ Name: 'id', Type: 'string' }]);
    expect(columns('new')).toEqual([{ Name: 'id', Type: 'string' }]);
    expect(columns('kept')).toEqual([
      { Name: 'id', Type: 'bigint' },
      { Name: 'amount', Type: 'decimal(10,2)' },
    ]);
    expect(stack.glue.getPartition('sales', 'orders', ['2026', 'new'])?.StorageDescriptor?.Location).toBe('s3://lake/sales/orders/year=2026/day=new/');
    expect(partitionEvents()).toEqual([
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchCreatePartition', changedPartitions: ['[2026, new]'] },
      { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchUpdatePartition', changedPartitions: ['[2026, old]'] },
    ]);
    const succeeded = stack.bus.events.filter((e) => e['detail-type'] === CRAWLER_STATE_CHANGE).at(-1)?.detail;
    expect(succeeded).toMatchObject({ state: 'Succeeded', partitionsCreated: '1', partitionsUpdated: '1' });
  });

  it('fails the crawl and writes nothing when a listed partition does not fit the table', () => {
    const before = stack.glue.getTable('sales', 'orders')?.VersionId;
    const result = stack.simulateCrawlerRun('orders-crawler', [{ tableInput: crawled(), partitions: [{ Values: ['2026'] }] }]);
    expect(result).toMatchObject({ state: 'Failed', partitionsCreated: 0, partitionsUpdated: 0 });
    expect(stack.glue.getTable('sales', 'orders')?.VersionId).toBe(before);
    expect(stack.glue.getPartitions('sales', 'orders')).toHaveLength(2);
  });

  it('runs a partition-writing crawl through the HTTP control API', async () => {
    const response = await fetch(`${stack.endpoint}/_local/crawlers/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crawlerName: 'orders-crawler', writes: [{ tableInput: crawled(), partitions: [{ Values: ['2026', 'x'] }] }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'Succeeded', partitionsCreated: 1 });
    expect(stack.glue.getPartition('sales', 'orders', ['2026', 'x'])?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'string' }]);
  });
});

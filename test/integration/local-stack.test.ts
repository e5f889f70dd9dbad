/**
 * The local AWS stack, Glue Data Catalog part, through the real AWS SDK v3 clients:
 * databases, tables, versions, paging, optimistic locking, typed errors, validation.
 */
import {
  AlreadyExistsException,
  BatchDeleteTableCommand,
  BatchDeleteTableVersionCommand,
  ConcurrentModificationException,
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteTableVersionCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetTableCommand,
  GetTablesCommand,
  GetTableVersionCommand,
  GetTableVersionsCommand,
  GlueClient,
  InvalidInputException,
  ResourceNumberLimitExceededException,
  UpdateTableCommand,
  ValidationException,
  paginateGetTableVersions,
  type TableInput,
  type TableVersion,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;

function ordersInput(columns: readonly (readonly [string, string])[], parameters: Record<string, string> = {}): TableInput {
  return {
    Name: 'orders',
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', ...parameters },
    StorageDescriptor: {
      Columns: columns.map(([Name, Type]) => ({ Name, Type })),
      Location: 's3://lake/sales/orders/',
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    },
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
  };
}

async function seedOrders(): Promise<void> {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
  await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'bigint']]) }));
}

async function rawGlueCall(operation: string, body: string): Promise<{ status: number; errorType: string | null; json: unknown }> {
  const response = await fetch(stack.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSGlue.${operation}` },
    body,
  });
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), json: await response.json() };
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 11 });
  glue = new GlueClient(stack.clientConfig());
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
});

describe('local stack: databases', () => {
  it('creates, reads and pages databases with server-side fields', async () => {
    // Prepare
    for (const name of ['a_db', 'b_db', 'c_db']) await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));

    // Act
    const one = await glue.send(new GetDatabaseCommand({ Name: 'b_db' }));
    const first = await glue.send(new GetDatabasesCommand({ MaxResults: 2 }));
    const second = await glue.send(new GetDatabasesCommand({ MaxResults: 2, NextToken: first.NextToken }));

    // Assess
    expect(one.Database?.CatalogId).toBe('123456789012');
    expect(one.Database?.CreateTime).toBeInstanceOf(Date);
    expect(first.DatabaseList?.map((d) => d.Name)).toEqual(['a_db', 'b_db']);
    expect(second.DatabaseList?.map((d) => d.Name)).toEqual(['c_db']);
    expect(second.NextToken).toBeUndefined();
  });

  it('raises AlreadyExistsException and EntityNotFoundException as typed SDK errors', async () => {
    // Prepare
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));

    // Act
    const duplicate = glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    const missing = glue.send(new GetDatabaseCommand({ Name: 'nowhere' }));

    // Assess
    await expect(duplicate).rejects.toBeInstanceOf(AlreadyExistsException);
    await expect(missing).rejects.toBeInstanceOf(EntityNotFoundException);
  });
});

describe('local stack: tables', () => {
  it('returns the stored table with Glue read-only fields, lower-cased names and VersionId "0"', async () => {
    // Prepare
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'Sales' } }));
    const input = { ...ordersInput([['id', 'bigint']]), Name: 'Orders', LastAccessTime: new Date(1_700_000_000_500) };

    // Act
    await glue.send(new CreateTableCommand({ DatabaseName: 'Sales', TableInput: input }));
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'ORDERS' }));

    // Assess
    expect(Table).toMatchObject({
      Name: 'orders',
      DatabaseName: 'sales',
      CatalogId: '123456789012',
      VersionId: '0',
      IsRegisteredWithLakeFormation: false,
      IsMultiDialectView: false,
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    });
    expect(Table?.CreatedBy).toMatch(/^arn:aws:iam::123456789012:/);
    expect(Table?.CreateTime).toBeInstanceOf(Date);
    expect(Table?.UpdateTime).toBeInstanceOf(Date);
    expect(Table?.LastAccessTime?.getTime()).toBe(1_700_000_000_500);
    expect(Table?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'bigint' }]);
  });

  it('raises EntityNotFoundException for a missing table and database', async () => {
    // Prepare
    await seedOrders();

    // Act
    const missingTable = glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'nope' }));
    const missingDb = glue.send(new GetTableCommand({ DatabaseName: 'nope', Name: 'orders' }));

    // Assess
    await expect(missingTable).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(missingDb).rejects.toThrow(/Database nope not found/);
  });

  it('increments VersionId by one per UpdateTable and archives every previous version', async () => {
    // Prepare
    await seedOrders();

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'bigint'], ['amount', 'double']]) }));
    await glue.send(
      new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'bigint'], ['amount', 'decimal(10,2)']]), VersionId: '1' }),
    );
    const current = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    const first = await glue.send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '0' }));
    const versions = await glue.send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders' }));

    // Assess
    expect(current.Table?.VersionId).toBe('2');
    expect(current.Table?.StorageDescriptor?.Columns?.map((c) => c.Type)).toEqual(['bigint', 'decimal(10,2)']);
    expect(first.TableVersion?.Table?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'bigint' }]);
    expect(versions.TableVersions?.map((v) => v.VersionId).sort()).toEqual(['0', '1', '2']);
  });

  it('GetTableVersion by id: EntityNotFoundException for a deleted or never-written version, AccessDeniedException without Lake Formation DESCRIBE', async () => {
    // Prepare: versions 0..3, then retention deletes 0..2 in one batch (with a missing id and the current one refused).
    await seedOrders();
    for (let i = 0; i < 3; i += 1) await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'bigint'], [`c${String(i)}`, 'int']]) }));
    const batch = await glue.send(new BatchDeleteTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionIds: ['0', '1', '2', '3', '9'] }));
    // Assess
    expect(batch.Errors?.map((e) => [e.VersionId, e.ErrorDetail?.ErrorCode])).toEqual([
      ['3', 'InvalidInputException'],
      ['9', 'EntityNotFoundException'],
    ]);
    expect(stack.glue.getTableVersions('sales', 'orders').map((v) => v.VersionId)).toEqual(['3']);
    for (const VersionId of ['1', '9']) {
      await expect(glue.send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId }))).rejects.toBeInstanceOf(EntityNotFoundException);
    }
    expect((await glue.send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '3' }))).TableVersion?.VersionId).toBe('3');
    const tooMany = glue.send(new BatchDeleteTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionIds: Array.from({ length: 101 }, (_, i) => String(i)) }));
    await expect(tooMany).rejects.toMatchObject({ name: 'ValidationException' });
    stack.glue.denyDescribe('sales', 'orders');
    await expect(glue.send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '3' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('fails a stale VersionId with a ConcurrentModificationException instance and changes nothing', async () => {
    // Prepare
    await seedOrders();
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'bigint'], ['x', 'int']]) }));

    // Act
    const stale = glue.send(
      new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'string']]), VersionId: '0' }),
    );

    // Assess
    await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationException);
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    expect(Table?.VersionId).toBe('1');
    expect(stack.glue.getTableVersions('sales', 'orders')).toHaveLength(2);
  });

  it('replaces the current version without archiving it when SkipArchive is set', async () => {
    // Prepare
    await seedOrders();

    // Act
    await glue.send(
      new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'bigint'], ['y', 'int']]), SkipArchive: true }),
    );

    // Assess
    const versions = stack.glue.getTableVersions('sales', 'orders').map((v) => v.VersionId);
    expect(versions).toEqual(['1']);
  });

  it('pages GetTables with NextToken and filters by Expression', async () => {
    // Prepare
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    for (let i = 0; i < 5; i += 1) {
      await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: { Name: `t_${String(i)}` } }));
    }
    await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: { Name: 'other' } }));

    // Act
    const page1 = await glue.send(new GetTablesCommand({ DatabaseName: 'sales', Expression: 't_*', MaxResults: 3 }));
    const page2 = await glue.send(new GetTablesCommand({ DatabaseName: 'sales', Expression: 't_*', MaxResults: 3, NextToken: page1.NextToken }));

    // Assess
    expect(page1.TableList?.map((t) => t.Name)).toEqual(['t_0', 't_1', 't_2']);
    expect(page2.TableList?.map((t) => t.Name)).toEqual(['t_3', 't_4']);
    expect(page2.NextToken).toBeUndefined();
    expect(page1.TableList?.every((t) => t.VersionId === '0')).toBe(true);
  });

  it('rejects a NextToken minted by another listing', async () => {
    // Prepare
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    for (const name of ['a', 'b']) await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: { Name: name } }));
    const page = await glue.send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 1 }));

    // Act
    const misuse = glue.send(new GetDatabasesCommand({ NextToken: page.NextToken }));

    // Assess
    await expect(misuse).rejects.toBeInstanceOf(InvalidInputException);
  });

  it('batch-deletes tables and reports the missing ones as errors', async () => {
    // Prepare
    await seedOrders();

    // Act
    const out = await glue.send(new BatchDeleteTableCommand({ DatabaseName: 'sales', TablesToDelete: ['orders', 'ghost'] }));

    // Assess
    expect(out.Errors).toEqual([
      { TableName: 'ghost', ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Table ghost not found.' } },
    ]);
    expect(stack.glue.getTable('sales', 'orders')).toBeUndefined();
  });
});

describe('local stack: table versions', () => {
  it('pages more than 100 versions completely, in an order that is not sorted', async () => {
    // Prepare
    stack.glue.putTable('sales', ordersInput([['id', 'bigint']]), { emit: false });
    for (let i = 1; i <= 140; i += 1) {
      stack.glue.putTable('sales', ordersInput([['id', 'bigint'], [`c${String(i)}`, 'int']]), { emit: false });
    }

    // Act
    const seen: TableVersion[] = [];
    for await (const page of paginateGetTableVersions({ client: glue, pageSize: 100 }, { DatabaseName: 'sales', TableName: 'orders' })) {
      seen.push(...(page.TableVersions ?? []));
    }

    // Assess
    const ids = seen.map((v) => Number(v.VersionId));
    const sorted = [...ids].sort((a, b) => a - b);
    expect(stack.calls.count('GetTableVersions')).toBe(2);
    expect(ids).toHaveLength(141);
    expect(new Set(ids).size).toBe(141);
    expect(sorted).toEqual(Array.from({ length: 141 }, (_, i) => i));
    expect(ids).not.toEqual(sorted);
    expect(ids).not.toEqual([...sorted].reverse());
    expect(seen.find((v) => v.VersionId === '140')?.Table?.VersionId).toBe('140');
  });

  it('returns the same order on every read (deterministic for a seed)', async () => {
    // Prepare
    for (let i = 0; i < 10; i += 1) stack.glue.putTable('sales', ordersInput([['id', 'bigint'], [`c${String(i)}`, 'int']]), { emit: false });

    // Act
    const a = await glue.send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders' }));
    const b = await glue.send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders' }));

    // Assess
    expect(a.TableVersions?.map((v) => v.VersionId)).toEqual(b.TableVersions?.map((v) => v.VersionId));
  });

  it('rejects MaxResults above 100 with a ValidationException', async () => {
    // Prepare
    await seedOrders();

    // Act
    const tooMany = glue.send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 101 }));

    // Assess
    await expect(tooMany).rejects.toBeInstanceOf(ValidationException);
    await expect(tooMany).rejects.toThrow(/less than or equal to 100/);
  });

  it('deletes an archived version but never the current one', async () => {
    // Prepare
    await seedOrders();
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'string']]) }));

    // Act
    await glue.send(new DeleteTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '0' }));
    const current = glue.send(new DeleteTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '1' }));

    // Assess
    await expect(current).rejects.toBeInstanceOf(InvalidInputException);
    expect(stack.glue.getTableVersions('sales', 'orders').map((v) => v.VersionId)).toEqual(['1']);
  });

  it('enforces the per-table version limit with ResourceNumberLimitExceededException', async () => {
    // Prepare
    await seedOrders();
    stack.glue.settings.maxTableVersions = 2;
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'string']]) }));

    // Act
    const overLimit = glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: ordersInput([['id', 'int']]) }));

    // Assess
    await expect(overLimit).rejects.toBeInstanceOf(ResourceNumberLimitExceededException);
  });
});

describe('local stack: request validation on the wire', () => {
  it('rejects read-only Table fields inside TableInput instead of storing them', async () => {
    // Prepare
    await seedOrders();
    const body = JSON.stringify({ DatabaseName: 'sales', TableInput: { Name: 'orders', VersionId: '7', DatabaseName: 'sales' } });

    // Act
    const response = await rawGlueCall('UpdateTable', body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.errorType).toBe('ValidationException');
    expect(response.json).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/VersionId/) as unknown });
    expect(stack.glue.getTable('sales', 'orders')?.VersionId).toBe('0');
  });

  it('answers malformed JSON, wrong types and unknown operations with AWS errors, never a crash', async () => {
    // Prepare
    await seedOrders();

    // Act
    const notJson = await rawGlueCall('GetTable', '{not json');
    const wrongType = await rawGlueCall('GetTable', JSON.stringify({ DatabaseName: 5, Name: 'orders' }));
    const unknown = await rawGlueCall('DropEverything', '{}');
    const stillAlive = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));

    // Assess
    expect([notJson.status, notJson.errorType]).toEqual([400, 'SerializationException']);
    expect([wrongType.status, wrongType.errorType]).toEqual([400, 'ValidationException']);
    expect([unknown.status, unknown.errorType]).toEqual([400, 'UnknownOperationException']);
    expect(stillAlive.Table?.Name).toBe('orders');
  });

  it('serves clients configured only through AWS_ENDPOINT_URL', async () => {
    // Prepare
    await seedOrders();
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = stack.endpoint;
    const envClient = new GlueClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    // Act
    try {
      const { Table } = await envClient.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));

      // Assess
      expect(Table?.Name).toBe('orders');
    } finally {
      envClient.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });
});

/**
 * The Glue catalog adapter with a real GlueClient over HTTP against the local stack: restore through the
 * VersionId lock (the stack's strict TableInput rejects any read-only field), paging past 100 versions,
 * not-found answers and throttling under the SDK's default retry.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGlueCatalog, type GlueStoredTable } from '../../functions/aws/glue-catalog.js';
import { RestoreConflictError, type CatalogPort } from '../../functions/core/ports.js';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;
let catalog: CatalogPort<GlueStoredTable>;

const approvedColumns = [
  { Name: 'id', Type: 'bigint' },
  { Name: 'amount', Type: 'decimal(10,2)' },
];
const driftedColumns = [
  { Name: 'id', Type: 'bigint' },
  { Name: 'amount', Type: 'string' },
];

function ordersInput(columns: readonly { Name: string; Type: string }[]): Parameters<LocalStack['glue']['putTable']>[1] {
  return {
    Name: 'orders',
    Owner: 'sales-team',
    TableType: 'EXTERNAL_TABLE',
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    StorageDescriptor: {
      Columns: columns.map((c) => ({ ...c })),
      Location: 's3://sales/orders/',
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    },
    Parameters: { classification: 'parquet' },
  };
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 11 });
  glue = new GlueClient(stack.clientConfig());
  catalog = createGlueCatalog({ client: glue });
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
  stack.glue.putTable('sales', ordersInput(approvedColumns), { emit: false });
  stack.glue.putTable('sales', ordersInput(driftedColumns), { emit: false });
});

describe('GlueCatalog over the local stack: restore', () => {
  it('writes a new version equal to the old schema, with the annotations in Parameters', async () => {
    // Prepare
    const versions = await catalog.listVersions('sales', 'orders');
    const approved = versions.find((v) => v.versionId === '0');
    if (approved === undefined) throw new Error('version 0 missing');

    // Act
    await catalog.restore('sales', 'orders', approved, '1', { 'drift-guard:incident': 'inc-7', 'drift-guard:restored-from': '0' });

    // Assess
    const current = await catalog.getTable('sales', 'orders');
    expect(current?.versionId).toBe('2');
    expect(current?.table.StorageDescriptor).toEqual(approved.table.StorageDescriptor);
    expect(current?.table.PartitionKeys).toEqual(approved.table.PartitionKeys);
    expect(current?.table.Parameters).toEqual({ classification: 'parquet', 'drift-guard:incident': 'inc-7', 'drift-guard:restored-from': '0' });
    expect((await catalog.listVersions('sales', 'orders')).map((v) => v.versionId)).toEqual(['2', '1', '0']);
    expect(stack.calls.count({ operation: 'UpdateTable', ok: true })).toBe(1);
  });

  it('throws RestoreConflictError for a stale expectedVersionId and leaves the table alone', async () => {
    // Prepare
    const versions = await catalog.listVersions('sales', 'orders');
    const approved = versions.find((v) => v.versionId === '0');
    if (approved === undefined) throw new Error('version 0 missing');

    // Act
    const error: unknown = await catalog.restore('sales', 'orders', approved, '0', {}).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RestoreConflictError);
    expect(error).toMatchObject({ expectedVersionId: '0', cause: expect.objectContaining({ name: 'ConcurrentModificationException' }) as unknown });
    expect((await catalog.getTable('sales', 'orders'))?.versionId).toBe('1');
  });
});

describe('GlueCatalog over the local stack: reading', () => {
  it('lists every version across pages, newest first', async () => {
    // Prepare
    for (let i = 0; i < 129; i += 1) stack.glue.putTable('sales', ordersInput([...approvedColumns, { Name: `c${String(i)}`, Type: 'int' }]), { emit: false });
    stack.calls.clear();

    // Act
    const versions = await catalog.listVersions('sales', 'orders');

    // Assess
    expect(versions).toHaveLength(131);
    expect(versions.map((v) => Number(v.versionId))).toEqual(Array.from({ length: 131 }, (_, i) => 130 - i));
    expect(stack.calls.count({ operation: 'GetTableVersions' })).toBe(2);
  });

  it('answers undefined for a table or a database that does not exist', async () => {
    // Prepare
    const lookups = [
      ['sales', 'refunds'],
      ['nowhere', 'orders'],
    ] as const;

    // Act
    const found = await Promise.all(lookups.map(([db, table]) => catalog.getTable(db, table)));

    // Assess
    expect(found).toEqual([undefined, undefined]);
    expect(await catalog.listVersions('sales', 'refunds')).toEqual([]);
  });

  it('lists the databases a crawler writes to; undefined for an unknown crawler', async () => {
    // Prepare
    stack.glue.createCrawler({
      Name: 'sales-crawler',
      DatabaseName: 'raw',
      Targets: { CatalogTargets: [{ DatabaseName: 'sales', Tables: ['orders'] }, { DatabaseName: 'raw', Tables: ['x'] }] },
    });

    // Act
    const databases = await catalog.crawlerDatabases('sales-crawler');
    const unknown = await catalog.crawlerDatabases('nobody');

    // Assess
    expect(databases).toEqual(['raw', 'sales']);
    expect(unknown).toBeUndefined();
  });
});

describe('GlueCatalog over the local stack: throttling', () => {
  it('gets through a 30% throttle rate with the default SDK retry', async () => {
    // Prepare
    stack.faults.set({ throttleRate: 0.3, services: ['glue'] });

    // Act
    const results: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const current = await catalog.getTable('sales', 'orders');
      const versions = await catalog.listVersions('sales', 'orders');
      const previous = versions[1];
      if (current === undefined || previous === undefined) throw new Error('table vanished');
      await catalog.restore('sales', 'orders', previous, current.versionId, { 'drift-guard:incident': `inc-${String(i)}` });
      results.push(current.versionId);
    }

    // Assess
    expect(results).toEqual(['1', '2', '3']);
    expect(stack.calls.count({ fault: 'throttle' })).toBeGreaterThan(0);
    expect((await catalog.getTable('sales', 'orders'))?.versionId).toBe('4');
  });
});

/**
 * Parity, the guard's partition adapter (functions/aws/glue-partitions.ts): the calls a move makes, through the
 * adapter, on moto 5.2.1 and on the local stack — the held table created (and found already there), 250 partitions
 * copied in (three BatchCreatePartition calls of ≤ 100; those already there reported with their definition, never
 * overwritten), read back (BatchGetPartition; missing ones left out), deleted 30 at a time (BatchDeletePartition, ≤ 25
 * a call; missing ones count as deleted), listed (GetPartitions, every page), and the held table deleted. On the local
 * stack only: BatchGetPartition's UnprocessedKeys are asked again (moto never leaves any).
 */
import { CreateDatabaseCommand, CreateTableCommand, type StorageDescriptor } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createGluePartitions, definitionOf } from '../../functions/aws/glue-partitions.js';
import type { PartitionDefinition } from '../../functions/core/ports.js';
import { startLocalStack } from '../../infra/local/index.js';
import { GlueClient } from '@aws-sdk/client-glue';
import { type Backend, localBackend, motoBackend } from './backends.js';

const backends: readonly { readonly name: Backend['name']; readonly start: () => Promise<Backend> }[] = [
  { name: 'moto', start: () => motoBackend(inject('python')) },
  { name: 'local stack', start: localBackend },
];

const sd = (day: string, type = 'bigint'): StorageDescriptor => ({
  Columns: [
    { Name: 'id', Type: type },
    { Name: 'amount', Type: 'decimal(10,2)' },
  ],
  Location: `s3://lake/sales/orders/dt=${day}/`,
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
});

const day = (i: number): string => `2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
const partition = (i: number, type = 'bigint'): PartitionDefinition => ({ Values: [day(i)], StorageDescriptor: sd(day(i), type), Parameters: { recordCount: String(i), 'drift-guard:incident': 'dg-000000000000' } });
const table = (name: string) => ({ Name: name, TableType: 'EXTERNAL_TABLE', PartitionKeys: [{ Name: 'dt', Type: 'string' }], StorageDescriptor: sd('x'), Parameters: { classification: 'parquet' } });
const sortedValues = (ps: readonly PartitionDefinition[]): string[] => ps.map((p) => p.Values.join()).sort();
/** What both backends must keep exactly: the definition PartitionInput took. */
const own = (p: PartitionDefinition | undefined) => (p === undefined ? undefined : { Values: p.Values, StorageDescriptor: p.StorageDescriptor, Parameters: p.Parameters });

describe.each(backends)('partition adapter parity on $name', { timeout: 120_000 }, ({ name, start }) => {
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
    await b.clients.glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: table('orders') }));
  });

  it('a move and its way back: create the held table, copy 250 in, read, delete, list, delete the held table', async () => {
    const port = createGluePartitions({ client: running().clients.glue });
    expect(await port.createTable('sales', table('orders_drift_guard_held'))).toBe('created');
    expect(await port.createTable('sales', table('orders_drift_guard_held'))).toBe('exists');

    const written = Array.from({ length: 250 }, (_, i) => partition(i));
    const created = await port.createPartitions('sales', 'orders_drift_guard_held', written);
    expect(created.map((c) => c.outcome)).toEqual(written.map(() => 'created'));
    // Copied again (a retried move) with one changed: reported as there, with what is there; nothing overwritten.
    const again = await port.createPartitions('sales', 'orders_drift_guard_held', [partition(0), partition(1, 'string')]);
    expect(again.map((c) => c.outcome)).toEqual(['exists', 'exists']);
    expect(again.map((c) => (c.outcome === 'exists' ? own(c.existing) : undefined))).toEqual([own(partition(0)), own(partition(1))]);

    const got = await port.getPartitions('sales', 'orders_drift_guard_held', [[day(0)], [day(249)], ['2099-01-01']]);
    expect(sortedValues(got ?? [])).toEqual([day(0), day(249)].sort());
    expect(own(got?.find((p) => p.Values[0] === day(0)))).toEqual(own(partition(0)));
    expect(await port.getPartitions('sales', 'nope', [[day(0)]])).toBeUndefined();

    await port.deletePartitions('sales', 'orders_drift_guard_held', [...written.slice(0, 30).map((p) => p.Values), ['2099-01-01']]);
    const listed = await port.listPartitions('sales', 'orders_drift_guard_held');
    expect(listed).toHaveLength(220);
    expect(sortedValues(listed ?? [])).toEqual(sortedValues(written.slice(30)));
    expect(await port.listPartitions('sales', 'nope')).toBeUndefined();

    await port.deleteTable('sales', 'orders_drift_guard_held');
    await port.deleteTable('sales', 'orders_drift_guard_held');
    expect(await port.listPartitions('sales', 'orders_drift_guard_held')).toBeUndefined();
  });
});

describe('partition adapter on the local stack only', () => {
  it('asks BatchGetPartition again for its UnprocessedKeys, and splits every batch at AWS\'s limits', async () => {
    const stack = await startLocalStack({ seed: 3 });
    const glue = new GlueClient(stack.clientConfig());
    try {
      stack.glue.createDatabase('sales');
      await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: table('orders') }));
      const port = createGluePartitions({ client: glue });
      await port.createPartitions('sales', 'orders', Array.from({ length: 250 }, (_, i) => partition(i)));
      stack.glue.settings.batchGetPartitionMaxProcessed = 40;
      const got = await port.getPartitions('sales', 'orders', Array.from({ length: 100 }, (_, i) => [day(i)]));
      expect(got).toHaveLength(100);
      await port.deletePartitions('sales', 'orders', Array.from({ length: 60 }, (_, i) => [day(i)]));
      const ops = (operation: string): number => stack.calls.list().filter((c) => c.operation === operation).length;
      expect({ create: ops('BatchCreatePartition'), get: ops('BatchGetPartition'), del: ops('BatchDeletePartition') }).toEqual({ create: 3, get: 3, del: 3 });
      expect(stack.calls.list().filter((c) => !c.ok)).toEqual([]);
      expect(definitionOf(stack.glue.getPartitions('sales', 'orders')[0] ?? {}).Values).toHaveLength(1);
    } finally {
      glue.destroy();
      await stack.stop();
    }
  });
});

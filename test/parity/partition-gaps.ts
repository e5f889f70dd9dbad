/**
 * Where moto 5.2.1's Glue partitions differ from AWS (and from the local stack). Same contract as moto-gaps.ts:
 * each probe returns whose behaviour it saw; test/parity/partitions.test.ts asserts 'moto' on moto and 'aws' on the
 * local stack, so a moto upgrade that closes a gap fails loudly (drop the row here and in infra/local/README.md).
 */
import {
  BatchDeletePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  UpdatePartitionCommand,
  type PartitionInput,
} from '@aws-sdk/client-glue';
import type { Backend } from './backends.js';
import { failure, type MotoGap } from './moto-gaps.js';

const input = (day: string): PartitionInput => ({
  Values: ['2026', day],
  StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: `s3://b/t/year=2026/day=${day}/` },
});

/** A table partitioned by (year int, day string) with partitions `days`. */
async function partitionedTable(backend: Backend, unique: string, days: readonly string[]): Promise<{ DatabaseName: string; TableName: string }> {
  const { glue } = backend.clients;
  const DatabaseName = `db_${unique.toLowerCase()}`;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DatabaseName } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName,
      TableInput: {
        Name: 't',
        StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: 's3://b/t/' },
        PartitionKeys: [
          { Name: 'year', Type: 'int' },
          { Name: 'day', Type: 'string' },
        ],
      },
    }),
  );
  for (const day of days) await glue.send(new CreatePartitionCommand({ DatabaseName, TableName: 't', PartitionInput: input(day) }));
  return { DatabaseName, TableName: 't' };
}

export const PARTITION_MOTO_GAPS: readonly MotoGap[] = [
  {
    id: 'GetPartitions does not page',
    aws: 'MaxResults 1–1000 and a NextToken while more partitions remain (Glue API, "GetPartitions action")',
    moto: 'ignores MaxResults and returns every partition in one page, without NextToken',
    scenario: 'the parity scenario reads with the SDK paginator, which works on both; paging itself is proven on the local stack',
    async probe(backend, unique) {
      const table = await partitionedTable(backend, unique, ['a', 'b']);
      const page = await backend.clients.glue.send(new GetPartitionsCommand({ ...table, MaxResults: 1 }));
      return page.Partitions?.length === 1 && page.NextToken !== undefined ? 'aws' : 'moto';
    },
  },
  {
    id: 'partition Values not checked against the PartitionKeys',
    aws: 'one value per partition key, else InvalidInputException (AWS docs silent on the check; strict side taken)',
    moto: 'stores a partition with any number of values',
    scenario: 'the scenario only writes well-formed partitions; the check is proven on the local stack',
    async probe(backend, unique) {
      const table = await partitionedTable(backend, unique, []);
      const result = await failure(() =>
        backend.clients.glue.send(new CreatePartitionCommand({ ...table, PartitionInput: { ...input('a'), Values: ['2026'] } })),
      );
      return result?.name === 'InvalidInputException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'UpdatePartition changes Values',
    aws: '"The Values property can\'t be changed. If you want to change the partition key values for a partition, delete and recreate the partition." (Glue API, "UpdatePartition action"): InvalidInputException',
    moto: 'renames the partition to the new Values',
    scenario: 'the guard never renames a partition (it moves one with BatchCreatePartition + BatchDeletePartition); the refusal is proven on the local stack',
    async probe(backend, unique) {
      const table = await partitionedTable(backend, unique, ['a']);
      const result = await failure(() =>
        backend.clients.glue.send(new UpdatePartitionCommand({ ...table, PartitionValueList: ['2026', 'a'], PartitionInput: input('b') })),
      );
      return result?.name === 'InvalidInputException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'partition batch limits not enforced',
    aws: 'BatchDeletePartition takes at most 25 partitions (also BatchCreatePartition / BatchUpdatePartition 100, BatchGetPartition 1000): ValidationException, nothing done (Glue API, "BatchDeletePartition action")',
    moto: 'accepts 26 and deletes them',
    scenario: 'the scenario stays within the limits; they are enforced on the local stack only',
    async probe(backend, unique) {
      const days = Array.from({ length: 26 }, (_, i) => `d${String(i)}`);
      const table = await partitionedTable(backend, unique, days);
      const result = await failure(() =>
        backend.clients.glue.send(new BatchDeletePartitionCommand({ ...table, PartitionsToDelete: days.map((d) => ({ Values: ['2026', d] })) })),
      );
      return result?.name === 'ValidationException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'Partition has no CatalogId',
    aws: 'the Partition structure carries CatalogId (Glue API, "Partition structure")',
    moto: 'returns no CatalogId',
    scenario: 'nothing reads a partition\'s CatalogId; compared on the local stack only',
    async probe(backend, unique) {
      const table = await partitionedTable(backend, unique, ['a']);
      const { Partition } = await backend.clients.glue.send(new GetPartitionCommand({ ...table, PartitionValues: ['2026', 'a'] }));
      return Partition?.CatalogId === backend.accountId ? 'aws' : 'moto';
    },
  },
];

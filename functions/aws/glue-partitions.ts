/**
 * PartitionPort over the Glue Data Catalog. Batches are split at AWS's limits (AWS Glue API reference:
 * BatchGetPartition "PartitionsToGet … Maximum number of 1000 items", BatchCreatePartition "PartitionInputList …
 * Maximum number of 100 items", BatchDeletePartition "PartitionsToDelete … Maximum number of 25 items"); GetPartitions
 * is read with the SDK's own paginator. Batch calls report per-partition failures in `Errors` (and BatchGetPartition
 * leaves what it could not read in `UnprocessedKeys`): a failure the port does not define is thrown, never dropped.
 */
import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchGetPartitionCommand,
  CreateTableCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GlueClient,
  paginateGetPartitions,
  type Partition,
  type PartitionError,
  type PartitionInput,
  type StorageDescriptor,
  type TableInput,
} from '@aws-sdk/client-glue';
import type { PartitionCreation, PartitionDefinition, PartitionPort } from '../core/ports.js';
import { awsCallError, UnexpectedResponseError } from './errors.js';

export const PARTITION_BATCH_LIMITS = { get: 1_000, create: 100, delete: 25 } as const;
const PARTITIONS_PAGE_SIZE = 1_000;
/** BatchGetPartition's UnprocessedKeys are asked again this many times before the read fails. */
const UNPROCESSED_RETRIES = 5;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** A Glue Partition → the definition PartitionInput takes back (the read-only fields left out). */
export function definitionOf(partition: Partition): PartitionDefinition {
  if (partition.Values === undefined) throw new UnexpectedResponseError('glue:GetPartition', 'a partition without Values');
  return {
    Values: partition.Values,
    ...(partition.StorageDescriptor === undefined ? {} : { StorageDescriptor: partition.StorageDescriptor }),
    ...(partition.Parameters === undefined ? {} : { Parameters: partition.Parameters }),
    ...(partition.LastAccessTime === undefined ? {} : { LastAccessTime: partition.LastAccessTime }),
    ...(partition.LastAnalyzedTime === undefined ? {} : { LastAnalyzedTime: partition.LastAnalyzedTime }),
  };
}

/** The StorageDescriptor core carried back: the object the SDK read (core never builds one), checked to be an object. */
function storageDescriptorOf(value: unknown): StorageDescriptor | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('a partition StorageDescriptor must be an object');
  return value;
}

export function partitionInputOf(definition: PartitionDefinition): PartitionInput {
  const storage = storageDescriptorOf(definition.StorageDescriptor);
  return {
    Values: [...definition.Values],
    ...(storage === undefined ? {} : { StorageDescriptor: storage }),
    ...(definition.Parameters === undefined ? {} : { Parameters: { ...definition.Parameters } }),
    ...(definition.LastAccessTime === undefined ? {} : { LastAccessTime: definition.LastAccessTime }),
    ...(definition.LastAnalyzedTime === undefined ? {} : { LastAnalyzedTime: definition.LastAnalyzedTime }),
  };
}

const keyOf = (values: readonly string[]): string => JSON.stringify(values);

function failure(action: string, errors: readonly PartitionError[]): Error {
  const first = errors[0];
  return new UnexpectedResponseError(action, `${errors.length} partition(s) failed, first [${(first?.PartitionValues ?? []).join(', ')}]: ${first?.ErrorDetail?.ErrorCode ?? '?'}: ${first?.ErrorDetail?.ErrorMessage ?? ''}`);
}

export function createGluePartitions({ client = new GlueClient({}) }: { client?: GlueClient } = {}): PartitionPort {
  async function getPartitions(database: string, table: string, values: readonly (readonly string[])[]): Promise<readonly PartitionDefinition[] | undefined> {
    const found: PartitionDefinition[] = [];
    for (const chunk of chunks(values, PARTITION_BATCH_LIMITS.get)) {
      let pending = chunk.map((v) => ({ Values: [...v] }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > UNPROCESSED_RETRIES) throw new UnexpectedResponseError('glue:BatchGetPartition', `${pending.length} partition(s) of ${database}.${table} stayed unprocessed`);
        try {
          const out = await client.send(new BatchGetPartitionCommand({ DatabaseName: database, TableName: table, PartitionsToGet: pending }));
          found.push(...(out.Partitions ?? []).map(definitionOf));
          pending = (out.UnprocessedKeys ?? []).map((k) => ({ Values: k.Values ?? [] }));
        } catch (error) {
          if (error instanceof EntityNotFoundException) return undefined;
          if (error instanceof UnexpectedResponseError) throw error;
          throw awsCallError('glue:BatchGetPartition', error);
        }
      }
    }
    return found;
  }

  return {
    getPartitions,

    async listPartitions(database, table) {
      const found: PartitionDefinition[] = [];
      try {
        for await (const page of paginateGetPartitions({ client, pageSize: PARTITIONS_PAGE_SIZE }, { DatabaseName: database, TableName: table })) {
          found.push(...(page.Partitions ?? []).map(definitionOf));
        }
      } catch (error) {
        if (error instanceof EntityNotFoundException) return undefined;
        if (error instanceof UnexpectedResponseError) throw error;
        throw awsCallError('glue:GetPartitions', error);
      }
      return found;
    },

    async createPartitions(database, table, partitions) {
      const results: PartitionCreation[] = [];
      for (const chunk of chunks(partitions, PARTITION_BATCH_LIMITS.create)) {
        let errors: PartitionError[];
        try {
          const out = await client.send(new BatchCreatePartitionCommand({ DatabaseName: database, TableName: table, PartitionInputList: chunk.map(partitionInputOf) }));
          errors = out.Errors ?? [];
        } catch (error) {
          throw awsCallError('glue:BatchCreatePartition', error);
        }
        const exists = errors.filter((e) => e.ErrorDetail?.ErrorCode === 'AlreadyExistsException');
        const others = errors.filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
        if (others.length > 0) throw failure('glue:BatchCreatePartition', others);
        const existing = new Map<string, PartitionDefinition>();
        if (exists.length > 0) {
          const read = await getPartitions(database, table, exists.map((e) => e.PartitionValues ?? []));
          for (const p of read ?? []) existing.set(keyOf(p.Values), p);
        }
        const already = new Set(exists.map((e) => keyOf(e.PartitionValues ?? [])));
        for (const p of chunk) {
          const key = keyOf(p.Values);
          results.push(already.has(key) ? { values: p.Values, outcome: 'exists', existing: existing.get(key) } : { values: p.Values, outcome: 'created' });
        }
      }
      return results;
    },

    async deletePartitions(database, table, values) {
      for (const chunk of chunks(values, PARTITION_BATCH_LIMITS.delete)) {
        let errors: PartitionError[];
        try {
          const out = await client.send(new BatchDeletePartitionCommand({ DatabaseName: database, TableName: table, PartitionsToDelete: chunk.map((v) => ({ Values: [...v] })) }));
          errors = out.Errors ?? [];
        } catch (error) {
          if (error instanceof EntityNotFoundException) return;
          throw awsCallError('glue:BatchDeletePartition', error);
        }
        // A partition already gone is deleted: a retry of a move converges.
        const others = errors.filter((e) => e.ErrorDetail?.ErrorCode !== 'EntityNotFoundException');
        if (others.length > 0) throw failure('glue:BatchDeletePartition', others);
      }
    },

    async createTable(database, input) {
      try {
        const tableInput: TableInput = { ...input, Name: typeof input.Name === 'string' ? input.Name : '' };
        await client.send(new CreateTableCommand({ DatabaseName: database, TableInput: tableInput }));
        return 'created';
      } catch (error) {
        if (error instanceof AlreadyExistsException) return 'exists';
        throw awsCallError('glue:CreateTable', error);
      }
    },

    async deleteTable(database, table) {
      try {
        await client.send(new DeleteTableCommand({ DatabaseName: database, Name: table }));
      } catch (error) {
        if (error instanceof EntityNotFoundException) return;
        throw awsCallError('glue:DeleteTable', error);
      }
    },
  };
}

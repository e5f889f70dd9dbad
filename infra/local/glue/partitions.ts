/**
 * Glue partitions (Glue API reference, "Partition API"): stored with their table (DeleteTable drops them), each with
 * its own StorageDescriptor — UpdateTable never touches them (Athena, "Update tables with partitions": "the schemas
 * for partitions are not updated").
 *
 * Rules (strict side where the docs are silent, noted in infra/local/README.md):
 * - the table must exist (EntityNotFoundException);
 * - Values is required ("you must specify this parameter for a valid input") and must hold exactly one value per
 *   table PartitionKey (InvalidInputException; AWS docs silent on the check, strict side);
 * - UpdatePartition cannot change Values ("The Values property can't be changed. If you want to change the partition
 *   key values for a partition, delete and recreate the partition."): InvalidInputException when they differ;
 * - CreationTime is set by the service and kept by updates;
 * - quotas from "AWS Glue endpoints and quotas": partitions per table and per account (ResourceNumberLimitExceeded);
 * - batch calls apply each good entry and report the others in Errors; a missing table fails the whole call;
 * - each write emits Table State Change events (typeOfChange = the operation, ≤ 100 changedPartitions per event).
 */
import type { Partition } from '@aws-sdk/client-glue';
import { AwsServiceError, glueError } from '../errors.js';
import { fnv1a } from '../prng.js';
import type { GlueCatalog, PartitionStore } from './catalog.js';
import { clone, type GlueContext, type GlueSettings } from './context.js';
import type { TableTypeOfChange } from './events.js';
import { compilePartitionExpression } from './partition-expression.js';
import type { ParsedPartitionInput } from './schemas.js';

export interface ErrorDetail {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/** BatchCreatePartition / BatchDeletePartition `Errors` entry (PartitionError). */
export interface PartitionError {
  readonly PartitionValues: string[];
  readonly ErrorDetail: ErrorDetail;
}

/** BatchUpdatePartition `Errors` entry (BatchUpdatePartitionFailureEntry). */
export interface BatchUpdatePartitionFailureEntry {
  readonly PartitionValueList: string[];
  readonly ErrorDetail: ErrorDetail;
}

export interface ListPartitionsOptions {
  readonly expression?: string | undefined;
  readonly segment?: { readonly SegmentNumber: number; readonly TotalSegments: number } | undefined;
  readonly excludeColumnSchema?: boolean | undefined;
}

/**
 * A per-entry failure of a batch partition call, injected by tests (`stack.glue.failPartitionEntries`): the batch APIs
 * report failures per entry (`Errors`, or `UnprocessedKeys` for BatchGetPartition) and a caller must handle a batch
 * that partly fails — e.g. not delete from the guarded table a partition whose copy failed.
 */
export interface PartitionEntryFault {
  readonly operation: 'BatchCreatePartition' | 'BatchUpdatePartition' | 'BatchDeletePartition' | 'BatchGetPartition';
  /** The entry's partition values; omitted: any entry. */
  readonly values?: readonly string[];
  /** ErrorCode in ErrorDetail (default InternalServiceException; unused for BatchGetPartition). */
  readonly errorCode?: string;
  readonly message?: string;
  /** How many matching entries fail (default 1). */
  readonly count?: number;
}

export interface EmitOption {
  /** Emit the Table State Change events (default true). */
  readonly emit?: boolean;
}

export function partitionKey(values: readonly string[]): string {
  return JSON.stringify(values);
}

function detailOf(error: unknown): ErrorDetail {
  if (error instanceof AwsServiceError) return { ErrorCode: error.code, ErrorMessage: error.message };
  throw error;
}

function describeValues(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

export class GluePartitions {
  private readonly ctx: GlueContext;
  private readonly catalog: GlueCatalog;
  private readonly settings: GlueSettings;

  private faults: { fault: PartitionEntryFault; left: number }[] = [];

  constructor(ctx: GlueContext, catalog: GlueCatalog, settings: GlueSettings) {
    this.ctx = ctx;
    this.catalog = catalog;
    this.settings = settings;
  }

  /** Makes the next `count` matching entries of a batch call fail (see PartitionEntryFault). */
  failEntries(fault: PartitionEntryFault): void {
    this.faults.push({ fault, left: fault.count ?? 1 });
  }

  /** Forgets injected entry faults (partitions themselves live with their tables). */
  clear(): void {
    this.faults = [];
  }

  create(databaseName: string, tableName: string, input: ParsedPartitionInput, options: EmitOption = {}): Partition {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const now = this.ctx.now();
    const partition = this.build(store, input, now);
    const values = partition.Values ?? [];
    if (store.partitions.has(partitionKey(values))) throw glueError.alreadyExists('Partition already exists.');
    this.checkQuota(store, 1);
    store.partitions.set(partitionKey(values), partition);
    this.announce(store, 'CreatePartition', now, [values], options);
    return clone(partition);
  }

  batchCreate(
    databaseName: string,
    tableName: string,
    inputs: readonly ParsedPartitionInput[],
    options: EmitOption = {},
  ): PartitionError[] {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const now = this.ctx.now();
    const errors: PartitionError[] = [];
    const created: string[][] = [];
    for (const input of inputs) {
      try {
        this.injected('BatchCreatePartition', input.Values ?? []);
        const partition = this.build(store, input, now);
        const values = partition.Values ?? [];
        if (store.partitions.has(partitionKey(values))) throw glueError.alreadyExists('Partition already exists.');
        this.checkQuota(store, 1);
        store.partitions.set(partitionKey(values), partition);
        created.push(values);
      } catch (error: unknown) {
        errors.push({ PartitionValues: [...(input.Values ?? [])], ErrorDetail: detailOf(error) });
      }
    }
    this.announce(store, 'BatchCreatePartition', now, created, options);
    return errors;
  }

  /**
   * Direct seeding: validates every input first and writes nothing when one is bad (no 100-entry limit);
   * emits BatchCreatePartition events of ≤ 100 partitions unless `emit: false`.
   */
  seed(databaseName: string, tableName: string, inputs: readonly ParsedPartitionInput[], options: EmitOption = {}): Partition[] {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const now = this.ctx.now();
    const built = inputs.map((input) => this.build(store, input, now));
    const keys = new Set<string>();
    for (const partition of built) {
      const key = partitionKey(partition.Values ?? []);
      if (store.partitions.has(key) || keys.has(key)) {
        throw glueError.alreadyExists(`Partition ${describeValues(partition.Values ?? [])} already exists.`);
      }
      keys.add(key);
    }
    this.checkQuota(store, built.length);
    for (const partition of built) store.partitions.set(partitionKey(partition.Values ?? []), partition);
    this.announce(
      store,
      'BatchCreatePartition',
      now,
      built.map((p) => p.Values ?? []),
      options,
    );
    return built.map((p) => clone(p));
  }

  /**
   * A crawler's partition writes: creates the new partitions and replaces the existing ones (CreationTime kept),
   * validating all before writing any; emits BatchCreatePartition and BatchUpdatePartition events (≤ 100 each).
   * AWS docs do not say which API a crawler's partition writes are announced as; these two are the batch writes.
   */
  upsert(databaseName: string, tableName: string, inputs: readonly ParsedPartitionInput[], options: EmitOption = {}): { created: number; updated: number } {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const now = this.ctx.now();
    const seen = new Set<string>();
    const writes = inputs.map((input) => {
      const built = this.build(store, input, now);
      const key = partitionKey(built.Values ?? []);
      if (seen.has(key)) throw glueError.invalidInput(`Partition ${describeValues(built.Values ?? [])} is written twice.`);
      seen.add(key);
      const current = store.partitions.get(key);
      return { key, partition: current === undefined ? built : { ...built, CreationTime: current.CreationTime }, isNew: current === undefined };
    });
    const created = writes.filter((w) => w.isNew);
    this.checkQuota(store, created.length);
    for (const w of writes) store.partitions.set(w.key, w.partition);
    this.announce(store, 'BatchCreatePartition', now, created.map((w) => w.partition.Values ?? []), options);
    const updated = writes.filter((w) => !w.isNew);
    this.announce(store, 'BatchUpdatePartition', now, updated.map((w) => w.partition.Values ?? []), options);
    return { created: created.length, updated: updated.length };
  }

  get(databaseName: string, tableName: string, values: readonly string[]): Partition {
    const store = this.catalog.partitionStore(databaseName, tableName);
    return clone(this.existing(store, values));
  }

  find(databaseName: string, tableName: string, values: readonly string[]): Partition | undefined {
    const partition = this.catalog.partitionStore(databaseName, tableName).partitions.get(partitionKey(values));
    return partition === undefined ? undefined : clone(partition);
  }

  /** Every partition of the table, filtered; in creation order (an order AWS does not promise). Copies. */
  list(databaseName: string, tableName: string, options: ListPartitionsOptions = {}): Partition[] {
    return this.select(databaseName, tableName, options).map((p) => this.present(p, options.excludeColumnSchema));
  }

  /**
   * The stored partitions matching the filter, not copied (GetPartitions pages first, then copies only the page):
   * callers must not mutate them and must pass what they return through `present`.
   */
  select(databaseName: string, tableName: string, options: ListPartitionsOptions = {}): readonly Partition[] {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const predicate = options.expression === undefined ? undefined : compilePartitionExpression(options.expression, store.partitionKeys);
    const segment = options.segment;
    if (segment !== undefined && segment.SegmentNumber >= segment.TotalSegments) {
      throw glueError.invalidInput(
        `SegmentNumber ${String(segment.SegmentNumber)} must be less than TotalSegments ${String(segment.TotalSegments)}.`,
      );
    }
    const out: Partition[] = [];
    for (const [key, partition] of store.partitions) {
      if (predicate !== undefined && !predicate(partition.Values ?? [])) continue;
      if (segment !== undefined && fnv1a(key) % segment.TotalSegments !== segment.SegmentNumber) continue;
      out.push(partition);
    }
    return out;
  }

  /** A copy of a stored partition as the API returns it (without Columns when `excludeColumnSchema`). */
  present(partition: Partition, excludeColumnSchema: boolean | undefined): Partition {
    const copy = clone(partition);
    if (excludeColumnSchema === true && copy.StorageDescriptor !== undefined) delete copy.StorageDescriptor.Columns;
    return copy;
  }

  batchGet(
    databaseName: string,
    tableName: string,
    keys: readonly { readonly Values: readonly string[] }[],
  ): { Partitions: Partition[]; UnprocessedKeys: { Values: string[] }[] } {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const limit = this.settings.batchGetPartitionMaxProcessed;
    const found: Partition[] = [];
    const unprocessed: { Values: string[] }[] = [];
    keys.forEach((key, i) => {
      if (i >= limit || this.takeFault('BatchGetPartition', key.Values) !== undefined) {
        unprocessed.push({ Values: [...key.Values] });
        return;
      }
      const partition = store.partitions.get(partitionKey(key.Values));
      if (partition !== undefined) found.push(clone(partition));
    });
    return { Partitions: found, UnprocessedKeys: unprocessed };
  }

  update(
    databaseName: string,
    tableName: string,
    values: readonly string[],
    input: ParsedPartitionInput,
    options: EmitOption = {},
  ): Partition {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const now = this.ctx.now();
    const updated = this.replace(store, values, input);
    this.announce(store, 'UpdatePartition', now, [[...values]], options);
    return clone(updated);
  }

  batchUpdate(
    databaseName: string,
    tableName: string,
    entries: readonly { readonly PartitionValueList: readonly string[]; readonly PartitionInput: ParsedPartitionInput }[],
    options: EmitOption = {},
  ): BatchUpdatePartitionFailureEntry[] {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const now = this.ctx.now();
    const errors: BatchUpdatePartitionFailureEntry[] = [];
    const changed: string[][] = [];
    for (const entry of entries) {
      try {
        this.injected('BatchUpdatePartition', entry.PartitionValueList);
        this.replace(store, entry.PartitionValueList, entry.PartitionInput);
        changed.push([...entry.PartitionValueList]);
      } catch (error: unknown) {
        errors.push({ PartitionValueList: [...entry.PartitionValueList], ErrorDetail: detailOf(error) });
      }
    }
    this.announce(store, 'BatchUpdatePartition', now, changed, options);
    return errors;
  }

  delete(databaseName: string, tableName: string, values: readonly string[], options: EmitOption = {}): void {
    const store = this.catalog.partitionStore(databaseName, tableName);
    this.existing(store, values);
    store.partitions.delete(partitionKey(values));
    this.announce(store, 'DeletePartition', this.ctx.now(), [[...values]], options);
  }

  batchDelete(
    databaseName: string,
    tableName: string,
    keys: readonly { readonly Values: readonly string[] }[],
    options: EmitOption = {},
  ): PartitionError[] {
    const store = this.catalog.partitionStore(databaseName, tableName);
    const errors: PartitionError[] = [];
    const deleted: string[][] = [];
    for (const key of keys) {
      const fault = this.takeFault('BatchDeletePartition', key.Values);
      if (fault !== undefined) errors.push({ PartitionValues: [...key.Values], ErrorDetail: detailOf(fault) });
      else if (store.partitions.delete(partitionKey(key.Values))) deleted.push([...key.Values]);
      else errors.push({ PartitionValues: [...key.Values], ErrorDetail: detailOf(this.notFound(key.Values)) });
    }
    this.announce(store, 'BatchDeletePartition', this.ctx.now(), deleted, options);
    return errors;
  }

  // ---------- internals ----------

  /** The injected failure for this entry, consumed; undefined when none matches. */
  private takeFault(operation: PartitionEntryFault['operation'], values: readonly string[]): AwsServiceError | undefined {
    const match = this.faults.find(
      (f) => f.left > 0 && f.fault.operation === operation && (f.fault.values === undefined || partitionKey(f.fault.values) === partitionKey(values)),
    );
    if (match === undefined) return undefined;
    match.left -= 1;
    this.faults = this.faults.filter((f) => f.left > 0);
    const code = match.fault.errorCode ?? 'InternalServiceException';
    return new AwsServiceError(code, match.fault.message ?? `${code} (injected by the local stack)`, 500);
  }

  private injected(operation: PartitionEntryFault['operation'], values: readonly string[]): void {
    const fault = this.takeFault(operation, values);
    if (fault !== undefined) throw fault;
  }

  private notFound(values: readonly string[]): AwsServiceError {
    return glueError.entityNotFound(`Cannot find partition ${describeValues(values)}.`);
  }

  private existing(store: PartitionStore, values: readonly string[]): Partition {
    const partition = store.partitions.get(partitionKey(values));
    if (partition === undefined) throw this.notFound(values);
    return partition;
  }

  private checkValues(store: PartitionStore, values: readonly string[] | undefined): readonly string[] {
    if (values === undefined || values.length === 0) {
      throw glueError.invalidInput('PartitionInput.Values is required: one value per partition key of the table.');
    }
    if (values.length !== store.partitionKeys.length) {
      throw glueError.invalidInput(
        `The number of partition keys do not match the number of partition values: table ${store.databaseName}.${store.tableName} has ${String(store.partitionKeys.length)} partition keys, got ${String(values.length)} values.`,
      );
    }
    return values;
  }

  private build(store: PartitionStore, input: ParsedPartitionInput, creationTime: Date): Partition {
    const values = this.checkValues(store, input.Values);
    return {
      Values: [...values],
      DatabaseName: store.databaseName,
      TableName: store.tableName,
      CreationTime: creationTime,
      LastAccessTime: input.LastAccessTime,
      StorageDescriptor: clone(input.StorageDescriptor),
      Parameters: clone(input.Parameters),
      LastAnalyzedTime: input.LastAnalyzedTime,
      CatalogId: this.ctx.accountId,
    };
  }

  private replace(store: PartitionStore, values: readonly string[], input: ParsedPartitionInput): Partition {
    const current = this.existing(store, values);
    const newValues = this.checkValues(store, input.Values);
    if (partitionKey(newValues) !== partitionKey(values)) {
      throw glueError.invalidInput(
        `The Values of a partition cannot be changed (${describeValues(values)} → ${describeValues(newValues)}): delete and recreate the partition.`,
      );
    }
    const updated = { ...this.build(store, input, current.CreationTime ?? this.ctx.now()) };
    store.partitions.set(partitionKey(values), updated);
    return updated;
  }

  private checkQuota(store: PartitionStore, adding: number): void {
    if (store.partitions.size + adding > this.settings.maxPartitionsPerTable) {
      throw glueError.resourceNumberLimitExceeded(
        `Number of partitions in table ${store.databaseName}.${store.tableName} would exceed the limit of ${String(this.settings.maxPartitionsPerTable)}.`,
      );
    }
    if (this.catalog.partitionCount() + adding > this.settings.maxPartitionsPerAccount) {
      throw glueError.resourceNumberLimitExceeded(
        `Number of partitions in the account would exceed the limit of ${String(this.settings.maxPartitionsPerAccount)}.`,
      );
    }
  }

  private announce(
    store: PartitionStore,
    typeOfChange: TableTypeOfChange,
    at: Date,
    changed: readonly (readonly string[])[],
    options: EmitOption,
  ): void {
    if (options.emit === false) return;
    for (const event of this.ctx.events.partitionStateChanges(store.databaseName, store.tableName, typeOfChange, at, changed)) {
      this.ctx.emit(event);
    }
  }
}

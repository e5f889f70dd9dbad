/**
 * The Glue Data Catalog events the guard listens to: each `detail` parsed strictly, and what each event
 * asks the guard to look at. The EventBridge envelope around them is parsed at the handler boundary
 * (functions/handlers/glue-event.ts). No event carries the schema, the actor or the VersionId: the guard
 * always reads the table. Partition creations and updates name their partitions (`changedPartitions`): the guard
 * judges those partitions (partitions.ts); partition deletions change no schema and are ignored (the deployed rule
 * filters them out, serverless.yml).
 */
import * as z from 'zod/mini';
import type { TableRef } from '../incidents/incident.js';

const name = z.string().check(z.minLength(1));

export const TABLE_STATE_CHANGE = 'Glue Data Catalog Table State Change';
export const DATABASE_STATE_CHANGE = 'Glue Data Catalog Database State Change';
export const CRAWLER_STATE_CHANGE = 'Glue Crawler State Change';

export const tableStateChangeDetail = z.looseObject({
  databaseName: name,
  tableName: name,
  typeOfChange: name,
  changedPartitions: z.optional(z.array(z.string()).check(z.maxLength(100))),
});

export const databaseStateChangeDetail = z.looseObject({
  databaseName: name,
  typeOfChange: name,
  changedTables: z.optional(z.array(name).check(z.maxLength(100))),
});

export const crawlerStateChangeDetail = z.looseObject({
  crawlerName: name,
  state: name,
});

/** A Glue event as far as the guard's work depends on it: which kind, and its parsed detail. */
export type GlueChange =
  | { readonly 'detail-type': typeof TABLE_STATE_CHANGE; readonly detail: z.infer<typeof tableStateChangeDetail> }
  | { readonly 'detail-type': typeof DATABASE_STATE_CHANGE; readonly detail: z.infer<typeof databaseStateChangeDetail> }
  | { readonly 'detail-type': typeof CRAWLER_STATE_CHANGE; readonly detail: z.infer<typeof crawlerStateChangeDetail> };

/** Partition writes: each names the partitions it wrote, whose StorageDescriptor the guard judges. */
export const PARTITION_WRITES: readonly string[] = ['CreatePartition', 'BatchCreatePartition', 'UpdatePartition', 'BatchUpdatePartition'];
/** Partition deletions: no partition is left to judge (and the deployed rule does not deliver them). */
export const PARTITION_DELETES: readonly string[] = ['DeletePartition', 'BatchDeletePartition'];
const TABLE_CREATIONS = new Set(['CreateTable']);


/** What an event asks the guard to do. */
export type EventWork =
  | { readonly kind: 'tables'; readonly tables: readonly TableRef[] }
  | { readonly kind: 'crawler'; readonly crawlerName: string }
  /** Partitions of one table, as the event names them: `[v1, v2]` strings (Glue joins a partition's values with ", "). */
  | { readonly kind: 'partitions'; readonly table: TableRef; readonly changedPartitions: readonly string[] }
  | { readonly kind: 'ignore'; readonly reason: string };

export function workFor(event: GlueChange): EventWork {
  switch (event['detail-type']) {
    case TABLE_STATE_CHANGE: {
      const { databaseName, tableName, typeOfChange, changedPartitions } = event.detail;
      if (PARTITION_DELETES.includes(typeOfChange)) return { kind: 'ignore', reason: `partition deletion (${typeOfChange})` };
      if (PARTITION_WRITES.includes(typeOfChange)) {
        if (changedPartitions === undefined || changedPartitions.length === 0) return { kind: 'ignore', reason: `${typeOfChange} names no partition` };
        return { kind: 'partitions', table: { database: databaseName, table: tableName }, changedPartitions };
      }
      // UpdateTable, and any change type Glue adds later: reading the table is cheap, missing a schema change is not.
      return { kind: 'tables', tables: [{ database: databaseName, table: tableName }] };
    }
    case DATABASE_STATE_CHANGE: {
      const { databaseName, typeOfChange, changedTables } = event.detail;
      if (!TABLE_CREATIONS.has(typeOfChange)) return { kind: 'ignore', reason: `${typeOfChange} changes no table schema` };
      return { kind: 'tables', tables: (changedTables ?? []).map((table) => ({ database: databaseName, table })) };
    }
    case CRAWLER_STATE_CHANGE: {
      const { crawlerName, state } = event.detail;
      if (state !== 'Succeeded') return { kind: 'ignore', reason: `crawler ${state.toLowerCase()}` };
      return { kind: 'crawler', crawlerName };
    }
  }
}

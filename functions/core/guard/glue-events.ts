/**
 * The Glue Data Catalog events the guard listens to: each `detail` parsed strictly, and what each event
 * asks the guard to look at. The EventBridge envelope around them is parsed at the handler boundary
 * (functions/handlers/glue-event.ts). No event carries the schema, the actor or the VersionId: the guard
 * always reads the table. Partition-only changes are ignored without a single AWS call.
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

const PARTITION_CHANGES = new Set(['CreatePartition', 'BatchCreatePartition', 'DeletePartition', 'BatchDeletePartition', 'UpdatePartition', 'BatchUpdatePartition']);
const TABLE_CREATIONS = new Set(['CreateTable']);


/** What an event asks the guard to do. */
export type EventWork =
  | { readonly kind: 'tables'; readonly tables: readonly TableRef[] }
  | { readonly kind: 'crawler'; readonly crawlerName: string }
  | { readonly kind: 'ignore'; readonly reason: string };

export function workFor(event: GlueChange): EventWork {
  switch (event['detail-type']) {
    case TABLE_STATE_CHANGE: {
      const { databaseName, tableName, typeOfChange } = event.detail;
      if (PARTITION_CHANGES.has(typeOfChange)) return { kind: 'ignore', reason: `partition-only change (${typeOfChange})` };
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

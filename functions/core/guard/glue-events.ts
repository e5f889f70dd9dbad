/**
 * The Glue Data Catalog events the guard listens to, parsed strictly at the boundary, and what each
 * asks the guard to look at. No event carries the schema, the actor or the VersionId: the guard
 * always reads the table. Partition-only changes are ignored without a single AWS call.
 */
import * as z from 'zod/mini';
import { checkJsonShape, inputErrorsFromZod } from '../errors.js';
import type { TableRef } from '../incidents/incident.js';

const name = z.string().check(z.minLength(1));

/** The EventBridge envelope, as a rule's Lambda target receives it. */
const envelope = {
  version: z.string(),
  id: z.string(),
  source: z.literal('aws.glue'),
  account: z.string().check(z.regex(/^\d{12}$/, 'a 12-digit account id')),
  time: z.iso.datetime(),
  region: name,
  resources: z.array(z.string()),
  'replay-name': z.optional(z.string()),
};

export const tableStateChange = z.looseObject({
  ...envelope,
  'detail-type': z.literal('Glue Data Catalog Table State Change'),
  detail: z.looseObject({
    databaseName: name,
    tableName: name,
    typeOfChange: name,
    changedPartitions: z.optional(z.array(z.string()).check(z.maxLength(100))),
  }),
});

export const databaseStateChange = z.looseObject({
  ...envelope,
  'detail-type': z.literal('Glue Data Catalog Database State Change'),
  detail: z.looseObject({
    databaseName: name,
    typeOfChange: name,
    changedTables: z.optional(z.array(name).check(z.maxLength(100))),
  }),
});

export const crawlerStateChange = z.looseObject({
  ...envelope,
  'detail-type': z.literal('Glue Crawler State Change'),
  detail: z.looseObject({
    crawlerName: name,
    state: name,
  }),
});

export const glueEvent = z.discriminatedUnion('detail-type', [tableStateChange, databaseStateChange, crawlerStateChange]);
export type GlueEvent = z.infer<typeof glueEvent>;

const PARTITION_CHANGES = new Set(['CreatePartition', 'BatchCreatePartition', 'DeletePartition', 'BatchDeletePartition', 'UpdatePartition', 'BatchUpdatePartition']);
const TABLE_CREATIONS = new Set(['CreateTable']);


/** What an event asks the guard to do. */
export type EventWork =
  | { readonly kind: 'tables'; readonly tables: readonly TableRef[] }
  | { readonly kind: 'crawler'; readonly crawlerName: string }
  | { readonly kind: 'ignore'; readonly reason: string };

/**
 * A Lambda failure-destination record (what the dead-letter queue holds for an invocation that failed after
 * Lambda's retries) wraps the original event in `requestPayload`: redriving one hands back the event inside.
 */
const destinationRecord = z.looseObject({
  version: z.string(),
  requestContext: z.looseObject({ functionArn: z.string() }),
  requestPayload: z.unknown(),
});

export function unwrapRedrive(event: unknown): unknown {
  const record = destinationRecord.safeParse(event);
  return record.success ? record.data.requestPayload : event;
}

/** Parses an EventBridge event from Glue; anything else is an InputErrors naming the field. */
export function parseGlueEvent(event: unknown): GlueEvent {
  checkJsonShape('event', event);
  const parsed = glueEvent.safeParse(event);
  if (!parsed.success) throw inputErrorsFromZod('event', parsed.error);
  return parsed.data;
}

export function workFor(event: GlueEvent): EventWork {
  switch (event['detail-type']) {
    case 'Glue Data Catalog Table State Change': {
      const { databaseName, tableName, typeOfChange } = event.detail;
      if (PARTITION_CHANGES.has(typeOfChange)) return { kind: 'ignore', reason: `partition-only change (${typeOfChange})` };
      // UpdateTable, and any change type Glue adds later: reading the table is cheap, missing a schema change is not.
      return { kind: 'tables', tables: [{ database: databaseName, table: tableName }] };
    }
    case 'Glue Data Catalog Database State Change': {
      const { databaseName, typeOfChange, changedTables } = event.detail;
      if (!TABLE_CREATIONS.has(typeOfChange)) return { kind: 'ignore', reason: `${typeOfChange} changes no table schema` };
      return { kind: 'tables', tables: (changedTables ?? []).map((table) => ({ database: databaseName, table })) };
    }
    case 'Glue Crawler State Change': {
      const { crawlerName, state } = event.detail;
      if (state !== 'Succeeded') return { kind: 'ignore', reason: `crawler ${state.toLowerCase()}` };
      return { kind: 'crawler', crawlerName };
    }
  }
}


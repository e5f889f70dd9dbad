/**
 * The demo's catalog: `sales.orders` (a Parquet table a crawler maintains), the crawler, and the
 * `sales-nightly` workflow that runs the crawler and then the job consuming the table.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Column, PartitionInput, StorageDescriptor, TableInput } from '@aws-sdk/client-glue';
import { z } from 'zod';
import type { LocalStack } from '../index.js';

export const DEMO = {
  database: 'sales',
  table: 'orders',
  crawler: 'sales-orders-crawler',
  workflow: 'sales-nightly',
  job: 'sales-orders-aggregate',
  triggers: { schedule: 'sales-nightly-0200', afterCrawl: 'sales-nightly-after-crawl', manual: 'sales-nightly-manual' },
} as const;

const column = z.object({ Name: z.string(), Type: z.string(), Comment: z.string().optional() });
const demoTable = z.object({
  Table: z.object({
    Name: z.string(),
    Owner: z.string(),
    Retention: z.number(),
    TableType: z.string(),
    Parameters: z.record(z.string(), z.string()),
    PartitionKeys: z.array(column),
    StorageDescriptor: z.object({
      Columns: z.array(column),
      Location: z.string(),
      InputFormat: z.string(),
      OutputFormat: z.string(),
      Compressed: z.boolean(),
      NumberOfBuckets: z.number(),
      SerdeInfo: z.object({ SerializationLibrary: z.string(), Parameters: z.record(z.string(), z.string()) }),
      BucketColumns: z.array(z.string()),
      SortColumns: z.array(z.never()),
      Parameters: z.record(z.string(), z.string()),
      StoredAsSubDirectories: z.boolean(),
    }),
  }),
});

/** The table as `aws glue get-table` printed it when the team approved contract v1, as a TableInput. */
export function ordersTableInput(): TableInput {
  // Beside this file in the sources; from dist/, back in the sources.
  const here = new URL('./sales-orders.table.json', import.meta.url);
  const path = existsSync(here) ? here : new URL('../../../../infra/local/demo/sales-orders.table.json', import.meta.url);
  const { Table } = demoTable.parse(JSON.parse(readFileSync(path, 'utf8')));
  return { ...Table, StorageDescriptor: { ...Table.StorageDescriptor, SortColumns: [] } };
}

/** A crawler's rewrite of the table: new columns, with the bookkeeping a crawler updates every run. */
export function recrawled(input: TableInput, edit: (columns: Column[]) => Column[], recordCount: number): TableInput {
  const sd: StorageDescriptor = input.StorageDescriptor ?? {};
  const bookkeeping = { recordCount: String(recordCount), objectCount: String(Math.ceil(recordCount / 60_000)), UPDATED_BY_CRAWLER: DEMO.crawler };
  return {
    ...input,
    Parameters: { ...input.Parameters, ...bookkeeping },
    StorageDescriptor: { ...sd, Columns: edit([...(sd.Columns ?? [])]), Parameters: { ...sd.Parameters, ...bookkeeping } },
  };
}

/**
 * A daily partition of sales.orders (`dt` = the day) as a crawler writes it: the given table's StorageDescriptor
 * (default: the approved one) at `<table location>dt=<day>/`.
 */
export function ordersPartitionInput(day: string, table: TableInput = ordersTableInput()): PartitionInput {
  const sd: StorageDescriptor = structuredClone(table.StorageDescriptor ?? {});
  return { Values: [day], StorageDescriptor: { ...sd, Location: `${sd.Location ?? ''}dt=${day}/` }, Parameters: { classification: 'parquet' } };
}

/** Seeds daily partitions of sales.orders (silently unless `emit`), e.g. for a partition storm. */
export function seedOrdersPartitions(stack: LocalStack, days: readonly string[], options: { emit?: boolean } = {}): void {
  stack.glue.putPartitions(DEMO.database, DEMO.table, days.map((day) => ordersPartitionInput(day)), { emit: options.emit ?? false });
}

/** Creates the database, table, crawler, job, workflow and its triggers, and one running workflow run. */
export function seedDemoCatalog(stack: LocalStack): void {
  const glue = stack.glue;
  glue.createDatabase(DEMO.database);
  glue.putTable(DEMO.database, ordersTableInput(), { emit: false });
  glue.createCrawler({
    Name: DEMO.crawler,
    Role: `arn:aws:iam::${stack.accountId}:role/AWSGlueServiceRole-sales`,
    DatabaseName: DEMO.database,
    Targets: { S3Targets: [{ Path: 's3://acme-datalake-raw/sales/orders/' }] },
  });
  glue.createJob(DEMO.job);
  glue.createWorkflow({ Name: DEMO.workflow, Description: 'Nightly: crawl sales.orders, then aggregate it' });
  glue.createTrigger({
    Name: DEMO.triggers.schedule,
    WorkflowName: DEMO.workflow,
    Type: 'SCHEDULED',
    Schedule: 'cron(0 2 * * ? *)',
    Actions: [{ CrawlerName: DEMO.crawler }],
    StartOnCreation: true,
  });
  glue.createTrigger({
    Name: DEMO.triggers.afterCrawl,
    WorkflowName: DEMO.workflow,
    Type: 'CONDITIONAL',
    Predicate: { Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: DEMO.crawler, CrawlState: 'SUCCEEDED' }] },
    Actions: [{ JobName: DEMO.job }],
    StartOnCreation: true,
  });
  glue.createTrigger({ Name: DEMO.triggers.manual, WorkflowName: DEMO.workflow, Type: 'ON_DEMAND', Actions: [{ CrawlerName: DEMO.crawler }] });
  glue.call('StartWorkflowRun', { Name: DEMO.workflow });
}

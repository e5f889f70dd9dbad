/**
 * A synthetic lake for the chaos run: N guarded Parquet tables maintained by one crawler whose workflow
 * consumes them, their contracts on disk, and the guard wired to the local stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Column, TableInput } from '@aws-sdk/client-glue';
import { writeContractVersion } from '../../functions/core/contracts/contract-repository.js';
import { nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import type { BusEvent } from '../../infra/local/index.js';
import { type GuardedStack, type GuardedStackOptions, startGuardedStack } from '../support/guarded-stack.js';

export const DB = 'lake';
export const CRAWLER = 'lake-crawler';
export const WORKFLOW = 'lake-nightly';
export const TRIGGERS = { schedule: 'lake-nightly-0100', afterCrawl: 'lake-nightly-after-crawl', manual: 'lake-nightly-manual' } as const;

export type Change = 'breaking' | 'allowed' | 'bookkeeping';

/** Table i's kind of change: a third of each. */
export const changeOf = (i: number): Change => (['breaking', 'allowed', 'bookkeeping'] as const)[i % 3] ?? 'bookkeeping';
export const tableName = (i: number): string => `events_${String(i).padStart(4, '0')}`;

function columns(i: number): Column[] {
  return [
    { Name: 'event_id', Type: 'bigint' },
    { Name: 'tenant', Type: 'string' },
    { Name: 'occurred_at', Type: 'timestamp' },
    { Name: 'amount', Type: 'decimal(12,2)' },
    { Name: 'payload', Type: `struct<kind:string,size:int,tags:array<string>,meta:map<string,string>,n${i % 7}:double>` },
    { Name: 'country', Type: 'char(2)' },
    { Name: 'score', Type: 'double' },
    { Name: 'flags', Type: 'array<boolean>' },
  ];
}

export function tableInput(i: number, recordCount = 1_000): TableInput {
  const parameters = { classification: 'parquet', UPDATED_BY_CRAWLER: CRAWLER, recordCount: String(recordCount) };
  return {
    Name: tableName(i),
    TableType: 'EXTERNAL_TABLE',
    Parameters: parameters,
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    StorageDescriptor: {
      Columns: columns(i),
      Location: `s3://chaos-lake/events/${tableName(i)}/`,
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
      Parameters: parameters,
    },
  };
}

/** The crawler's next version of table i: its kind of change, plus new bookkeeping. */
export function changed(i: number, change: Change = changeOf(i)): TableInput {
  const base = tableInput(i, 2_000 + i);
  const cols = base.StorageDescriptor?.Columns ?? [];
  const edited =
    change === 'breaking'
      ? cols.filter((c) => c.Name !== 'tenant').map((c) => (c.Name === 'amount' ? { ...c, Type: 'string' } : c))
      : change === 'allowed'
        ? [...cols, { Name: 'channel', Type: 'string' }]
        : cols;
  return { ...base, StorageDescriptor: { ...base.StorageDescriptor, Columns: edited } };
}

/** Contracts for tables 0..n-1 (their baseline), depending on the lake's workflow. */
export async function writeContracts(dir: string, n: number): Promise<void> {
  await writeContractsFor(
    dir,
    Array.from({ length: n }, (_, i) => tableInput(i)),
  );
}

/** A contract (version 1, the table as given) for each table, depending on the lake's workflow. */
export async function writeContractsFor(dir: string, inputs: readonly TableInput[]): Promise<void> {
  for (const input of inputs) {
    const table = parseGlueTableDocument(`${input.Name ?? 'table'}.json`, { ...input, DatabaseName: DB, VersionId: '0' });
    const next = nextContractVersion(undefined, table, { reviewer: 'chaos', reason: 'baseline', approvedAt: new Date('2026-11-01T00:00:00Z') }, { dependentWorkflows: [WORKFLOW], owners: ['team-lake'] });
    if (next.outcome !== 'created') throw new Error('expected a first contract version');
    await writeContractVersion(dir, next.contract);
  }
}

export interface World {
  readonly g: GuardedStack;
  readonly n: number;
  readonly clock: { now: number };
  cleanup(): Promise<void>;
}

/** A fresh stack with tables 0..n-1 at their baseline, their contracts, the crawler and its workflow. */
export async function startWorld(n: number, options: Partial<GuardedStackOptions> = {}, contractsDir?: string): Promise<World> {
  const dir = contractsDir ?? mkdtempSync(join(tmpdir(), 'chaos-contracts-'));
  if (contractsDir === undefined) await writeContracts(dir, n);
  const clock = { now: Date.parse('2026-11-21T01:00:00Z') };
  const g = await startGuardedStack({ contractsDir: dir, now: () => new Date(clock.now), stack: { seed: 42 }, ...options });
  const glue = g.stack.glue;
  glue.createDatabase(DB);
  for (let i = 0; i < n; i += 1) glue.putTable(DB, tableInput(i), { emit: false });
  glue.createCrawler({ Name: CRAWLER, Role: 'arn:aws:iam::123456789012:role/crawler', DatabaseName: DB, Targets: { S3Targets: [{ Path: 's3://chaos-lake/events/' }] } });
  glue.createJob('lake-aggregate');
  glue.createWorkflow({ Name: WORKFLOW });
  glue.createTrigger({ Name: TRIGGERS.schedule, WorkflowName: WORKFLOW, Type: 'SCHEDULED', Schedule: 'cron(0 1 * * ? *)', Actions: [{ CrawlerName: CRAWLER }], StartOnCreation: true });
  glue.createTrigger({
    Name: TRIGGERS.afterCrawl,
    WorkflowName: WORKFLOW,
    Type: 'CONDITIONAL',
    Predicate: { Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: CRAWLER, CrawlState: 'SUCCEEDED' }] },
    Actions: [{ JobName: 'lake-aggregate' }],
    StartOnCreation: true,
  });
  glue.createTrigger({ Name: TRIGGERS.manual, WorkflowName: WORKFLOW, Type: 'ON_DEMAND', Actions: [{ CrawlerName: CRAWLER }] });
  return {
    g,
    n,
    clock,
    cleanup: async () => {
      await g.stop();
      if (contractsDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One crawler run rewriting the given tables. */
export function crawlTables(world: World, indexes: readonly number[], change?: Change): void {
  world.g.stack.simulateCrawlerRun(
    CRAWLER,
    indexes.map((i) => ({ databaseName: DB, tableInput: changed(i, change ?? changeOf(i)) })),
  );
}

/** Delivers events to the guard as Lambda would retry them; returns the events that were never handled. */
export async function deliverWithRetries(world: World, events: readonly BusEvent[], retries = 3): Promise<BusEvent[]> {
  let pending = [...events];
  for (let round = 0; round <= retries && pending.length > 0; round += 1) {
    const failed: BusEvent[] = [];
    for (const event of pending) {
      try {
        await world.g.handler(event);
      } catch {
        failed.push(event);
      }
    }
    pending = failed;
    // Lambda retries a failed asynchronous invocation after a minute, then two more.
    world.clock.now += 120_000;
  }
  return pending;
}

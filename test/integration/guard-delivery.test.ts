/**
 * The guard under real delivery conditions, on the local stack through the real SDK: duplicates, its
 * own events, racing writes, throttling, missing tables, tables it must not roll back, observe mode,
 * malformed events.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { writeContractVersion } from '../../functions/core/contracts/contract-repository.js';
import { printGlueType } from '../../functions/core/schema/glue-type.js';
import { nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { ordersTableInput, recrawled } from '../../infra/local/demo/demo-catalog.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { MalformedEventError } from '../../functions/handlers/guard-app.js';
import { IncidentInFlightError } from '../../functions/core/guard/guard.js';
import { tableFixture } from '../support/fixtures.js';
import {
  DEMO,
  alerts,
  crawl,
  currentVerdict,
  dropCurrencyAndRetypeAmount,
  startDemo,
  triggerState,
} from '../support/guard-scenario.js';

describe('The guard under real delivery (local stack, real SDK)', () => {
  let guarded: GuardedStack | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** The demo with a breaking crawl whose first delivery "dies" right after its restore; the clock is the guard's. */
  async function breakingCrawlThatCrashesAfterRestore() {
    const clock = { now: Date.parse('2026-11-21T03:00:00Z') };
    let crashes = 1;
    guarded = await startDemo({
      now: () => new Date(clock.now),
      wrapCatalog: (catalog) => ({
        ...catalog,
        restore: async (database, table, version, expected, annotations) => {
          await catalog.restore(database, table, version, expected, annotations);
          if (annotations['drift-guard:alert'] === 'pending' && crashes > 0) {
            crashes -= 1;
            throw new Error('process killed (simulated)');
          }
        },
      }),
    });
    guarded.stack.bus.configure({ autoDeliver: false });
    crawl(guarded, dropCurrencyAndRetypeAmount);
    const event = guarded.stack.bus.events.find((e) => e['detail-type'] === 'Glue Data Catalog Table State Change');
    return { g: guarded, event, clock };
  }

  const updateTableCalls = (g: GuardedStack): number => g.stack.calls.list().filter((c) => c.operation === 'UpdateTable' && c.ok).length;

  it('ten duplicate deliveries of a breaking change, at once → one restore, one alert', async () => {
    // Prepare: hold deliveries, let the crawler write, take the event it emitted.
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ autoDeliver: false });
    crawl(g, dropCurrencyAndRetypeAmount);
    const event = g.stack.bus.events.find((e) => e['detail-type'] === 'Glue Data Catalog Table State Change');
    const crawlerWrites = updateTableCalls(g);
    // Act: EventBridge delivers it ten times, concurrently; deliveries that found the restore in flight are retried later.
    const first = await Promise.allSettled(Array.from({ length: 10 }, () => g.handler(event)));
    const retried: unknown[] = first.flatMap((r): unknown[] => (r.status === 'rejected' ? [r.reason] : []));
    const again = await Promise.all(retried.map(() => g.handler(event)));
    // Assess: one delivery restored and alerted; the others either found it done or asked to be retried, and then found it done.
    const outcomes = [...first.flatMap((r) => (r.status === 'fulfilled' ? r.value.tables.map((t) => t.outcome) : [])), ...again.flatMap((r) => r.tables.map((t) => t.outcome))];
    expect(outcomes.filter((o) => o === 'blocked')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'blocked' && o !== 'compliant')).toEqual([]);
    for (const reason of retried) expect(reason).toBeInstanceOf(IncidentInFlightError);
    expect(updateTableCalls(g) - crawlerWrites).toBe(2); // the restore, and the note that its alert went out
    expect(alerts(g)).toHaveLength(1);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
  });

  it('the process dies after the restore, before the alert: redeliveries send the alert exactly once', async () => {
    // Prepare: the first delivery "dies" right after its UpdateTable (nothing after it runs).
    const { g, event, clock } = await breakingCrawlThatCrashesAfterRestore();
    // Act + Assess: the dying delivery restored the table but alerted nobody.
    await expect(g.handler(event)).rejects.toThrow('process killed');
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
    expect(alerts(g)).toEqual([]);
    // A redelivery at once: the first delivery might still be alive, so it asks to be retried later.
    await expect(g.handler(event)).rejects.toThrow(IncidentInFlightError);
    // Other events (the guard's own UpdateTable) never send another delivery's alert.
    const own = g.stack.bus.events.filter((e) => e['detail-type'] === 'Glue Data Catalog Table State Change').at(-1);
    expect((await g.handler(own)).tables.map((t) => t.outcome)).toEqual(['compliant']);
    // After the function timeout, the redelivery finishes the job: pause and one alert.
    clock.now += 120_000;
    expect((await g.handler(event)).tables.map((t) => t.outcome)).toEqual(['blocked']);
    expect((await g.handler(event)).tables.map((t) => t.outcome)).toEqual(['compliant']);
    expect(alerts(g).map((a) => a.attributes.outcome)).toEqual(['blocked']);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('DEACTIVATED');
  });

  it('a later write that copied a pending note is judged afresh, not taken for the interrupted restore', async () => {
    const { g, event, clock } = await breakingCrawlThatCrashesAfterRestore();
    await expect(g.handler(event)).rejects.toThrow('process killed');
    // An operator's get-table → update-table keeps every parameter (the pending note too) and drops `status`.
    const restored = g.stack.glue.getTable(DEMO.database, DEMO.table);
    const columns = (restored?.StorageDescriptor?.Columns ?? []).filter((c) => c.Name !== 'status');
    g.stack.glue.putTable(DEMO.database, {
      Name: DEMO.table,
      ...(restored?.Parameters === undefined ? {} : { Parameters: restored.Parameters }),
      ...(restored?.PartitionKeys === undefined ? {} : { PartitionKeys: restored.PartitionKeys }),
      StorageDescriptor: { ...restored?.StorageDescriptor, Columns: columns },
    });
    clock.now += 120_000;
    // The retry judges the table as it is: breaking again, restored again, and the catalog ends compliant.
    expect((await g.handler(event)).tables.map((t) => t.outcome)).toEqual(['blocked']);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
    const columnsNow = (g.stack.glue.getTable(DEMO.database, DEMO.table)?.StorageDescriptor?.Columns ?? []).map((c) => c.Name);
    expect(columnsNow).toContain('status');
  });

  it('a crawler write racing the restore is never overwritten blindly: the guard re-reads and re-judges', async () => {
    // Prepare: just before the guard's UpdateTable, the crawler writes the original schema again.
    let raced = false;
    guarded = await startDemo({
      wrapCatalog: (catalog, stack) => ({
        ...catalog,
        restore: async (database, table, version, expected, annotations) => {
          if (!raced) {
            raced = true;
            stack.glue.putTable(DEMO.database, recrawled(ordersTableInput(), (c) => c, 2_000_000));
          }
          await catalog.restore(database, table, version, expected, annotations);
        },
      }),
    });
    const g = guarded;
    // Act
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    // Assess: the stale UpdateTable failed on the VersionId lock, the re-read found a compliant table.
    expect(g.stack.calls.list().some((c) => c.operation === 'UpdateTable' && c.error === 'ConcurrentModificationException')).toBe(true);
    expect(await currentVerdict(g)).toEqual({ versionId: '2', verdict: 'compliant' });
    expect(alerts(g)).toEqual([]);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
  });

  it('under 30 % throttling the SDK backs off and the guard still restores once and alerts once', async () => {
    guarded = await startDemo({ retryDelayMs: 20 });
    const g = guarded;
    g.stack.faults.set({ throttleRate: 0.3, services: ['glue', 'sns', 'events'] });
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    g.stack.faults.clear();
    expect(g.stack.calls.list().some((c) => c.error === 'ThrottlingException')).toBe(true);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
    expect(alerts(g).map((a) => a.attributes.outcome)).toEqual(['blocked']);
    expect(g.stack.bus.deadLetters).toEqual([]);
  });

  it('a table re-created breaking, with no version the contract accepts → nothing invented: "not restored" alert, pipeline paused, once', async () => {
    // Prepare: the table is dropped and a crawler creates it anew without `currency` (Database State Change: CreateTable).
    guarded = await startDemo();
    const g = guarded;
    await g.clients.glue.send(new DeleteTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
    await g.stack.bus.drain();
    // Act: the crawler creates it, then re-crawls it with the same schema.
    g.stack.simulateCrawlerRun(DEMO.crawler, [{ databaseName: DEMO.database, tableInput: recrawled(ordersTableInput(), dropCurrencyAndRetypeAmount, 10) }]);
    await g.stack.bus.drain();
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    // Assess: still breaking (nothing invented), one alert for the incident, the workflow held.
    expect(g.summaries.some((s) => s.detailType === 'Glue Data Catalog Database State Change' && s.tables.some((t) => t.outcome === 'cannot-restore'))).toBe(true);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'breaking' });
    const [alert, ...more] = alerts(g);
    expect(more).toEqual([]);
    expect(alert?.attributes.outcome).toBe('cannot-restore');
    expect(alert?.body.content.description).toContain('Catalog NOT restored: no earlier Glue version of this table is accepted by the contract.');
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('DEACTIVATED');
  });

  it('an Iceberg table is never rolled back: alert only (and its pipeline held)', async () => {
    // Prepare: a contract for an Iceberg table, and the table in the stack.
    const dir = await mkdtemp(join(tmpdir(), 'contracts-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const iceberg = tableFixture('iceberg-java-glue-catalog.json');
    const next = nextContractVersion(undefined, iceberg, { reviewer: 'test', reason: 'baseline', approvedAt: new Date() });
    if (next.outcome !== 'created') throw new Error('expected a new contract');
    await writeContractVersion(dir, next.contract);
    guarded = await startDemo({ contractsDir: dir });
    const g = guarded;
    const { database, name, columns } = iceberg.schema;
    const input = {
      Name: name,
      TableType: 'EXTERNAL_TABLE',
      Parameters: { table_type: 'ICEBERG', metadata_location: 's3://lake/events/metadata/00001.metadata.json' },
      StorageDescriptor: { Location: iceberg.schema.storage.location, Columns: columns.map((c) => ({ Name: c.name, Type: printGlueType(c.type) })) },
    };
    g.stack.glue.putTable(database, input, { emit: false });
    // Act: a writer drops a column and commits new metadata.
    g.stack.glue.putTable(database, {
      ...input,
      Parameters: { table_type: 'ICEBERG', metadata_location: 's3://lake/events/metadata/00002.metadata.json' },
      StorageDescriptor: { ...input.StorageDescriptor, Columns: input.StorageDescriptor.Columns.slice(1) },
    });
    await g.stack.bus.drain();
    // Assess
    expect(g.stack.calls.list().filter((c) => c.operation === 'UpdateTable')).toEqual([]); // the guard wrote nothing
    const [alert] = alerts(g);
    expect(alert?.attributes.outcome).toBe('cannot-restore');
    expect(alert?.body.content.description).toContain('iceberg tables keep their data pointer in the table parameters');
  });

  it('a table deleted between the event and the read is left alone, quietly', async () => {
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ autoDeliver: false });
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.clients.glue.send(new DeleteTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
    await g.stack.bus.drain();
    const outcomes = g.summaries.flatMap((s) => s.tables.map((t) => t.outcome));
    expect(outcomes.every((o) => o === 'missing')).toBe(true);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(alerts(g)).toEqual([]);
  });

  it('observe mode changes nothing: the breaking change stays, the pipeline runs, one "observed" alert', async () => {
    guarded = await startDemo({ settings: { mode: 'observe' } });
    const g = guarded;
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    expect(updateTableCalls(g)).toBe(0); // the guard wrote nothing
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'breaking' });
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(alerts(g).map((a) => a.attributes.outcome)).toEqual(['observed']);
  });

  it('partition deletions are ignored without a single AWS call', async () => {
    guarded = await startDemo();
    const g = guarded;
    const callsBefore = g.stack.calls.list().length;
    const summary = await g.handler({
      version: '0',
      id: 'a5f0e1b2-0000-4000-8000-000000000001',
      'detail-type': 'Glue Data Catalog Table State Change',
      source: 'aws.glue',
      account: '123456789012',
      time: '2026-11-21T02:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchDeletePartition', changedPartitions: ['[2026-11-21]'] },
    });
    expect(summary.tables).toEqual([]);
    expect(g.stack.calls.list().length).toBe(callsBefore);
  });

  it('a dead-letter record redriven into the guard is handled like the event it wraps', async () => {
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ autoDeliver: false });
    crawl(g, dropCurrencyAndRetypeAmount);
    const event = g.stack.bus.events.find((e) => e['detail-type'] === 'Glue Data Catalog Table State Change');
    // What Lambda's on-failure destination puts in the queue for an invocation that kept failing.
    const record = {
      version: '1.0',
      timestamp: '2026-11-21T03:00:09.000Z',
      requestContext: { requestId: 'c0ffee', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:glue-drift-guard-prod-guard:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'AwsCallError', errorMessage: 'sns:Publish failed: InternalError' },
    };
    const summary = await g.handler(record);
    expect(summary.tables.map((t) => t.outcome)).toEqual(['blocked']);
  });

  it('a malformed event is rejected (thrown, so it is retried and dead-lettered), never swallowed', async () => {
    guarded = await startDemo();
    const g = guarded;
    const malformed = { version: '0', id: 'x', 'detail-type': 'Glue Data Catalog Table State Change', source: 'aws.glue', detail: { databaseName: 'sales' } };
    await expect(g.handler(malformed)).rejects.toThrow(MalformedEventError);
    await expect(g.handler(malformed)).rejects.toThrow(/detail\.tableName/);
    expect(g.log.records.some((r) => r.level === 'error' && r.message === 'malformed Glue event rejected')).toBe(true);
  });
});

/**
 * The local AWS stack, event side: the EventBridge events Glue would emit (table, database, crawler state
 * changes), delivered by the in-process bus asynchronously, at least once, optionally duplicated / reordered,
 * with redelivery, dead letters and a deterministic drain.
 */
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GetCrawlerCommand,
  GetTableCommand,
  GetTableVersionsCommand,
  GlueClient,
  UpdateTableCommand,
  type Column,
  type TableInput,
} from '@aws-sdk/client-glue';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startLocalStack, type BusEvent, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;

const tableChangeDetail = z.object({ databaseName: z.string(), tableName: z.string(), typeOfChange: z.string() });
const databaseChangeDetail = z.object({
  databaseName: z.string(),
  typeOfChange: z.string(),
  changedTables: z.array(z.string()).optional(),
});

function tableInput(name: string, columns: readonly string[]): TableInput {
  return { Name: name, StorageDescriptor: { Columns: columns.map((c): Column => ({ Name: c, Type: 'string' })) } };
}

function ofType(type: string): BusEvent[] {
  return stack.bus.events.filter((e) => e['detail-type'] === type);
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 3 });
  glue = new GlueClient(stack.clientConfig());
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
});

afterEach(() => {
  stack.bus.unsubscribeAll();
});

describe('local stack events: Glue Data Catalog state changes', () => {
  it('emits a Table State Change with the exact EventBridge envelope on UpdateTable', async () => {
    // Prepare
    stack.glue.putTable('sales', tableInput('orders', ['id']), { emit: false });
    const received: BusEvent[] = [];
    stack.bus.subscribe((event) => {
      received.push(event);
    });

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id', 'amount']) }));
    await stack.bus.drain();

    // Assess
    expect(received).toHaveLength(1);
    const [event] = received;
    expect(Object.keys(event ?? {}).sort()).toEqual(
      ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'].sort(),
    );
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Glue Data Catalog Table State Change',
      source: 'aws.glue',
      account: '123456789012',
      region: 'us-east-1',
      resources: ['arn:aws:glue:us-east-1:123456789012:table/sales/orders'],
      detail: { databaseName: 'sales', tableName: 'orders', typeOfChange: 'UpdateTable' },
    });
    expect(event?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('emits Database State Change events for CreateDatabase and CreateTable', async () => {
    // Prepare
    const detailOf = (e: BusEvent) => databaseChangeDetail.parse(e.detail);

    // Act
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    await glue.send(new CreateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id']) }));

    // Assess
    expect(ofType('Glue Data Catalog Database State Change').map(detailOf)).toEqual([
      { databaseName: 'sales', typeOfChange: 'CreateDatabase' },
      { databaseName: 'sales', typeOfChange: 'CreateTable', changedTables: ['orders'] },
    ]);
  });

  it('holds deliveries until drain when autoDeliver is off, then delivers each after its response', async () => {
    // Prepare
    stack.glue.putTable('sales', tableInput('orders', ['id']), { emit: false });
    stack.bus.configure({ autoDeliver: false });
    const received: string[] = [];
    stack.bus.subscribe((event) => {
      received.push(event.id);
    });

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id', 'a']) }));
    const queuedBeforeDrain = stack.bus.pending;
    const receivedBeforeDrain = received.length;
    await stack.bus.drain();

    // Assess
    expect(queuedBeforeDrain).toBe(1);
    expect(receivedBeforeDrain).toBe(0);
    expect(received).toEqual([stack.bus.events[0]?.id]);
  });

  it('delivers the event of an UpdateTable made by a listener itself (a rollback), and drain waits for it', async () => {
    // Prepare: a guard-like listener that restores the previous version when a column named "bad" appears
    stack.glue.putTable('sales', tableInput('orders', ['id']), { emit: false });
    const seenVersions: string[] = [];
    stack.bus.subscribe(
      async (event) => {
        const detail = tableChangeDetail.parse(event.detail);
        const { Table } = await glue.send(new GetTableCommand({ DatabaseName: detail.databaseName, Name: detail.tableName }));
        seenVersions.push(Table?.VersionId ?? '');
        const columns = Table?.StorageDescriptor?.Columns ?? [];
        if (!columns.some((c) => c.Name === 'bad')) return;
        const versions = await glue.send(new GetTableVersionsCommand({ DatabaseName: detail.databaseName, TableName: detail.tableName }));
        const previous = (versions.TableVersions ?? [])
          .filter((v) => Number(v.VersionId) < Number(Table?.VersionId))
          .sort((a, b) => Number(b.VersionId) - Number(a.VersionId))[0];
        await glue.send(
          new UpdateTableCommand({
            DatabaseName: detail.databaseName,
            TableInput: { Name: detail.tableName, StorageDescriptor: previous?.Table?.StorageDescriptor },
            VersionId: Table?.VersionId,
          }),
        );
      },
      { source: ['aws.glue'], detailType: ['Glue Data Catalog Table State Change'] },
    );

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id', 'bad']) }));
    await stack.bus.drain();

    // Assess
    expect(ofType('Glue Data Catalog Table State Change')).toHaveLength(2);
    expect(seenVersions).toEqual(['1', '2']);
    expect(stack.glue.getTable('sales', 'orders')?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['id']);
    expect(stack.calls.count({ operation: 'UpdateTable', ok: true })).toBe(2);
  });

  it('duplicates deliveries with the same event id when duplicateRate is 1', async () => {
    // Prepare
    stack.glue.putTable('sales', tableInput('orders', ['id']), { emit: false });
    stack.bus.configure({ duplicateRate: 1 });
    const received: string[] = [];
    stack.bus.subscribe((event) => {
      received.push(event.id);
    });

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id', 'a']) }));
    await stack.bus.drain();

    // Assess
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(received[1]);
  });

  it('reorders queued deliveries deterministically, losing none', async () => {
    // Prepare
    const names = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
    for (const name of names) stack.glue.putTable('sales', tableInput(name, ['id']), { emit: false });
    stack.bus.configure({ autoDeliver: false, reorder: true });
    const received: string[] = [];
    stack.bus.subscribe((event) => {
      received.push(tableChangeDetail.parse(event.detail).tableName);
    });

    // Act
    for (const name of names) {
      await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput(name, ['id', 'x']) }));
    }
    await stack.bus.drain();

    // Assess
    expect(received).not.toEqual(names);
    expect([...received].sort()).toEqual(names);
  });

  it('records listener errors, redelivers, and dead-letters after maxRedeliveries', async () => {
    // Prepare
    stack.glue.putTable('sales', tableInput('flaky', ['id']), { emit: false });
    stack.glue.putTable('sales', tableInput('broken', ['id']), { emit: false });
    stack.bus.configure({ maxRedeliveries: 2 });
    const attemptsByTable = new Map<string, number>();
    stack.bus.subscribe((event) => {
      const { tableName } = tableChangeDetail.parse(event.detail);
      const attempt = (attemptsByTable.get(tableName) ?? 0) + 1;
      attemptsByTable.set(tableName, attempt);
      if (tableName === 'broken' || attempt === 1) throw new Error(`cannot handle ${tableName} (attempt ${String(attempt)})`);
    });

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('flaky', ['id', 'a']) }));
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('broken', ['id', 'a']) }));
    await stack.bus.drain();

    // Assess
    expect(attemptsByTable.get('flaky')).toBe(2);
    expect(attemptsByTable.get('broken')).toBe(3);
    expect(stack.bus.failures.map((f) => f.message)).toEqual([
      'cannot handle flaky (attempt 1)',
      'cannot handle broken (attempt 1)',
      'cannot handle broken (attempt 2)',
      'cannot handle broken (attempt 3)',
    ]);
    expect(stack.bus.deadLetters).toHaveLength(1);
    expect(stack.bus.deadLetters[0]?.attempts).toBe(3);
    expect(tableChangeDetail.parse(stack.bus.deadLetters[0]?.event.detail).tableName).toBe('broken');
  });

  it('rejects drain when a listener keeps re-triggering itself', async () => {
    // Prepare
    stack.glue.putTable('sales', tableInput('orders', ['id']), { emit: false });
    let n = 0;
    stack.bus.subscribe(async () => {
      n += 1;
      await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id', `c${String(n)}`]) }));
    });

    // Act
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: tableInput('orders', ['id', 'start']) }));
    const drained = stack.bus.drain({ maxDeliveries: 5 });

    // Assess
    await expect(drained).rejects.toThrow(/did not settle after 5 deliveries/);
  });

  it('filters subscriptions by source and detail-type', async () => {
    // Prepare
    const glueOnly: string[] = [];
    stack.bus.subscribe(
      (event) => {
        glueOnly.push(event['detail-type']);
      },
      { source: ['aws.glue'], detailType: ['Glue Data Catalog Table State Change'] },
    );

    // Act
    stack.glue.putTable('sales', tableInput('orders', ['id']));
    stack.glue.putTable('sales', tableInput('orders', ['id', 'b']));
    await stack.bus.drain();

    // Assess
    expect(stack.bus.events.map((e) => e['detail-type'])).toEqual([
      'Glue Data Catalog Database State Change',
      'Glue Data Catalog Database State Change',
      'Glue Data Catalog Table State Change',
    ]);
    expect(glueOnly).toEqual(['Glue Data Catalog Table State Change']);
  });
});

describe('local stack events: crawler runs', () => {
  it('runs READY → RUNNING → READY, stamps UPDATED_BY_CRAWLER and emits Started, table changes and Succeeded', async () => {
    // Prepare
    stack.glue.putTable('raw', tableInput('clicks', ['id']), { emit: false });
    stack.glue.createCrawler({ Name: 'raw-crawler', DatabaseName: 'raw' });
    const run = stack.glue.startCrawlerRun('raw-crawler');
    const whileRunning = await glue.send(new GetCrawlerCommand({ Name: 'raw-crawler' }));

    // Act
    run.write({ tableInput: tableInput('clicks', ['id', 'referrer']) });
    run.write({ tableInput: tableInput('views', ['id']) });
    const result = run.finish();
    const afterwards = await glue.send(new GetCrawlerCommand({ Name: 'raw-crawler' }));

    // Assess
    expect(whileRunning.Crawler?.State).toBe('RUNNING');
    expect(afterwards.Crawler?.State).toBe('READY');
    expect(afterwards.Crawler?.LastCrawl?.Status).toBe('SUCCEEDED');
    expect(result).toMatchObject({ state: 'Succeeded', tablesCreated: 1, tablesUpdated: 1 });
    expect(stack.glue.getTable('raw', 'clicks')?.Parameters?.UPDATED_BY_CRAWLER).toBe('raw-crawler');
    expect(stack.glue.getTable('raw', 'views')?.Parameters?.UPDATED_BY_CRAWLER).toBe('raw-crawler');
    expect(stack.bus.events.map((e) => [e['detail-type'], e.detail.typeOfChange ?? e.detail.state])).toEqual([
      ['Glue Crawler State Change', 'Started'],
      ['Glue Data Catalog Table State Change', 'UpdateTable'],
      ['Glue Data Catalog Database State Change', 'CreateTable'],
      ['Glue Crawler State Change', 'Succeeded'],
    ]);
    expect(ofType('Glue Crawler State Change')[1]?.detail).toMatchObject({
      crawlerName: 'raw-crawler',
      state: 'Succeeded',
      message: 'Crawler Succeeded',
      tablesCreated: '1',
      tablesUpdated: '1',
      tablesDeleted: '0',
      partitionsCreated: '0',
      accountId: '123456789012',
    });
  });

  it('announces a large crawl in Database State Change events of at most 100 tables', () => {
    // Prepare
    stack.glue.createDatabase('raw', {}, { emit: false });
    stack.glue.createCrawler({ Name: 'bulk', DatabaseName: 'raw' });
    const writes = Array.from({ length: 150 }, (_, i) => ({ tableInput: tableInput(`t_${String(i).padStart(3, '0')}`, ['id']) }));

    // Act
    const result = stack.simulateCrawlerRun('bulk', writes);

    // Assess
    const created = ofType('Glue Data Catalog Database State Change').map((e) => databaseChangeDetail.parse(e.detail));
    expect(result.tablesCreated).toBe(150);
    expect(created.map((d) => d.changedTables?.length)).toEqual([100, 50]);
    expect(created.flatMap((d) => d.changedTables ?? [])).toHaveLength(150);
  });

  it('emits a Failed event when a crawl fails', () => {
    // Prepare
    stack.glue.createCrawler({ Name: 'lost', DatabaseName: 'missing_db' });

    // Act
    const result = stack.simulateCrawlerRun('lost', [{ tableInput: tableInput('x', ['id']) }]);

    // Assess
    expect(result.state).toBe('Failed');
    expect(ofType('Glue Crawler State Change').map((e) => e.detail)).toEqual([
      expect.objectContaining({ state: 'Started', crawlerName: 'lost' }),
      expect.objectContaining({ state: 'Failed', message: 'Crawler Failed', errorMessage: 'Database missing_db not found.' }),
    ]);
    expect(stack.glue.getCrawler('lost').State).toBe('READY');
  });

  it('runs a crawl through the HTTP control API', async () => {
    // Prepare
    stack.glue.putTable('raw', tableInput('clicks', ['id']), { emit: false });
    stack.glue.createCrawler({ Name: 'raw-crawler', DatabaseName: 'raw' });

    // Act
    const response = await fetch(`${stack.endpoint}/_local/crawlers/run`, {
      method: 'POST',
      body: JSON.stringify({ crawlerName: 'raw-crawler', writes: [{ tableInput: { Name: 'clicks', Parameters: { a: 'b' } } }] }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'Succeeded', tablesUpdated: 1 });
    expect(stack.glue.getTable('raw', 'clicks')?.Parameters).toMatchObject({ a: 'b', UPDATED_BY_CRAWLER: 'raw-crawler' });
  });
});

/**
 * Restores need no history scan: the AWS calls the guard makes for one event do not grow with the number of Glue
 * versions the table has, and a table whose accepted versions retention deleted is still restored (from the
 * contract applied to the table as it is). Local stack, real SDK clients over HTTP, counted by its call log.
 */
import { BatchDeleteTableVersionCommand, DeleteTableVersionCommand, GetTableCommand } from '@aws-sdk/client-glue';
import type { TableInput } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { ordersTableInput, recrawled } from '../../infra/local/demo/demo-catalog.js';
import { MAX_VERSIONS_WALKED } from '../../functions/core/guard/plan.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { DEMO, addChannelAtEnd, alerts, currentVerdict, dropCurrencyAndRetypeAmount, startDemo } from '../support/guard-scenario.js';

/** `count` more versions of the demo table, each a crawler's bookkeeping-only rewrite (no events). */
function seedVersions(g: GuardedStack, count: number, input: TableInput = ordersTableInput()): void {
  for (let i = 1; i <= count; i += 1) g.stack.glue.putTable(DEMO.database, recrawled(input, (c) => c, 1_000 + i), { emit: false });
}

/** One crawl's write, handled as its Table State Change event; returns the calls the guard made for it. */
async function handleCrawl(g: GuardedStack, edit: Parameters<typeof recrawled>[1], base: TableInput = ordersTableInput()): Promise<{ readonly operations: readonly string[] }> {
  g.stack.bus.configure({ autoDeliver: false });
  g.stack.glue.putTable(DEMO.database, recrawled(base, edit, 1_900_000), { emit: false });
  const { Table } = await g.clients.glue.send(new GetTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
  const event = {
    version: '0',
    id: `evt-${Table?.VersionId ?? ''}`,
    'detail-type': 'Glue Data Catalog Table State Change',
    source: 'aws.glue',
    account: g.stack.accountId,
    time: new Date().toISOString(),
    region: g.stack.region,
    resources: [`arn:aws:glue:${g.stack.region}:${g.stack.accountId}:table/${DEMO.database}/${DEMO.table}`],
    detail: { databaseName: DEMO.database, typeOfChange: 'UpdateTable', tableName: DEMO.table, changedPartitions: [] },
  };
  g.stack.calls.clear();
  await g.handler(event);
  return { operations: g.stack.calls.list({ service: 'glue' }).map((c) => c.operation) };
}

describe('Restores need no history scan (local stack, real SDK clients)', () => {
  let guarded: GuardedStack | undefined;
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
  });

  it('a breaking event costs the same Glue calls at 10 and at 3,000 versions, and restores by the third call', async () => {
    const callsAt = async (versions: number): Promise<readonly string[]> => {
      guarded = await startDemo();
      seedVersions(guarded, versions - 1);
      const { operations } = await handleCrawl(guarded, dropCurrencyAndRetypeAmount);
      expect((await currentVerdict(guarded)).verdict).toBe('compliant');
      await guarded.stop();
      guarded = undefined;
      return operations;
    };
    const few = await callsAt(10);
    const many = await callsAt(3_000);
    expect(many).toEqual(few);
    expect(many).not.toContain('GetTableVersions');
    expect(many.slice(0, 3)).toEqual(['GetTable', 'GetTableVersion', 'UpdateTable']);
    expect(many.filter((op) => op === 'GetTableVersion')).toHaveLength(1);
  });

  it('an allowed event reads one earlier version (is the drift new?), whatever the history', async () => {
    guarded = await startDemo();
    seedVersions(guarded, 2_000);
    const { operations } = await handleCrawl(guarded, addChannelAtEnd);
    expect(operations).toEqual(['GetTable', 'GetTableVersion']);
    expect(alerts(guarded).map((a) => a.attributes.outcome)).toEqual(['allowed']);
  });

  it('a table whose accepted versions were deleted is restored from the contract applied to it, and judged compliant', async () => {
    guarded = await startDemo();
    const g = guarded;
    seedVersions(g, 4);
    // Three breaking writes the guard never saw (their events were lost), then retention deletes every older version.
    const broken = recrawled(ordersTableInput(), dropCurrencyAndRetypeAmount, 5);
    for (let i = 0; i < 3; i += 1) g.stack.glue.putTable(DEMO.database, { ...broken, Owner: `etl-${String(i)}` }, { emit: false });
    await g.clients.glue.send(new BatchDeleteTableVersionCommand({ DatabaseName: DEMO.database, TableName: DEMO.table, VersionIds: ['0', '1', '2', '3'] }));
    await g.clients.glue.send(new DeleteTableVersionCommand({ DatabaseName: DEMO.database, TableName: DEMO.table, VersionId: '4' }));

    const { operations } = await handleCrawl(g, dropCurrencyAndRetypeAmount, { ...ordersTableInput(), Owner: 'etl-crawler' });

    expect(operations).not.toContain('GetTableVersions');
    // current−1 … current−3 (breaking), the contract's approved version 0 (deleted): then the contract applied.
    expect(operations.filter((op) => op === 'GetTableVersion')).toHaveLength(MAX_VERSIONS_WALKED + 1);
    expect(await currentVerdict(g)).toEqual({ versionId: '10', verdict: 'compliant' });
    const { Table } = await g.clients.glue.send(new GetTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
    // What the contract does not govern is kept from the table as it was: the owner, the crawler's bookkeeping.
    expect(Table?.Owner).toBe('etl-crawler');
    expect(Table?.Parameters).toMatchObject({ recordCount: '1900000', 'drift-guard:restored-from-version': 'contract-v1' });
    const [alert, ...more] = alerts(g);
    expect(more).toEqual([]);
    expect(alert?.attributes.outcome).toBe('blocked');
    expect(alert?.body.content.description).toContain('Restored the schema contract v1 describes');
  });

  it('GetTableVersion answers EntityNotFoundException for a deleted version, as Glue does', async () => {
    guarded = await startDemo();
    const g = guarded;
    seedVersions(g, 2);
    await g.clients.glue.send(new DeleteTableVersionCommand({ DatabaseName: DEMO.database, TableName: DEMO.table, VersionId: '1' }));
    const { GetTableVersionCommand } = await import('@aws-sdk/client-glue');
    await expect(g.clients.glue.send(new GetTableVersionCommand({ DatabaseName: DEMO.database, TableName: DEMO.table, VersionId: '1' }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });
});

/**
 * Incident ids across a table's re-creation, on the local stack through the real SDK: Glue numbers a re-created
 * table's versions from the start again, so an id made of (database, table, VersionId) alone would be reused by a
 * later, different drift, and the guard's deduplication would swallow its alert.
 */
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-glue';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, ordersTableInput } from '../../infra/local/demo/demo-catalog.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { addChannelAtEnd, alerts, crawl, dropCurrencyAndRetypeAmount, startDemo } from '../support/guard-scenario.js';

describe('incident ids across a dropped and re-created table', { timeout: 60_000 }, () => {
  let guarded: GuardedStack | undefined;
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
  });

  it('two different drifts at the same VersionId of two lives of a table are two incidents, each alerted once', async () => {
    const g = await startDemo();
    guarded = g;
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    const [first] = alerts(g);
    expect(first?.attributes.outcome).toBe('blocked');

    // The table is dropped and created again (its versions start over), then drifts differently.
    await g.clients.glue.send(new DeleteTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
    await sleep(5);
    await g.clients.glue.send(new CreateTableCommand({ DatabaseName: DEMO.database, TableInput: ordersTableInput() }));
    await g.stack.bus.drain();
    crawl(g, addChannelAtEnd);
    await g.stack.bus.drain();

    const later = alerts(g).slice(1);
    expect(later.map((a) => a.attributes.outcome)).toEqual(['allowed']);
    expect(later[0]?.attributes.incident).toMatch(/^dg-[0-9a-f]{12}$/);
    expect(later[0]?.attributes.incident).not.toBe(first?.attributes.incident);
    // The same drift redelivered keeps its id: one alert, not two.
    const event = g.stack.bus.events.filter((e) => e['detail-type'] === 'Glue Data Catalog Table State Change').at(-1);
    if (event === undefined) throw new Error('no table event');
    g.stack.bus.publish({ ...event, id: 'redelivered' });
    await g.stack.bus.drain();
    expect(alerts(g)).toHaveLength(2);
  });
});

/**
 * Issue 11, item 6: a drift written by Athena DDL, a Glue job or EMR (an UpdateTable, no crawler) whose Glue event
 * is lost is caught by reconcile's scheduled sweep, built by the production wiring, on the local stack through the
 * real SDK; and it is handled once.
 */
import { GetTableCommand, UpdateTableCommand } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { tableInputFromTable } from '../../functions/aws/glue-catalog.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { DEMO, alerts, currentVerdict, dropCurrencyAndRetypeAmount, startDemo, triggerState } from '../support/guard-scenario.js';
import { lambdaContext, scheduledEvent } from '../support/lambda-context.js';

/** `ALTER TABLE sales.orders REPLACE COLUMNS (…)` as Athena sends it: an UpdateTable with the edited columns. */
async function alterOrders(g: GuardedStack): Promise<void> {
  const { Table } = await g.clients.glue.send(new GetTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
  if (Table === undefined) throw new Error('sales.orders is not in the catalog');
  const input = tableInputFromTable(Table);
  const columns = dropCurrencyAndRetypeAmount(input.StorageDescriptor?.Columns ?? []);
  await g.clients.glue.send(new UpdateTableCommand({ DatabaseName: DEMO.database, TableInput: { ...input, StorageDescriptor: { ...input.StorageDescriptor, Columns: columns } } }));
}

describe('The sweep on the local stack: a drift whose event Glue never delivered', () => {
  let guarded: GuardedStack | undefined;
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
  });

  it('the scheduled reconcile restores it, holds the workflow and alerts once; the next run does nothing', async () => {
    // Prepare: the drift's event is lost, so the guard never hears of it.
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ dropRate: 1 });
    await alterOrders(g);
    await g.stack.bus.drain();
    g.stack.bus.configure({ dropRate: 0 });
    expect(g.stack.bus.lost.map((e) => e['detail-type'])).toEqual(['Glue Data Catalog Table State Change']);
    expect(g.summaries.flatMap((s) => s.tables)).toEqual([]);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'breaking' });
    const reconcile = await g.reconcile();
    // Act
    const first = await reconcile(scheduledEvent('2026-12-01T10:15:00Z'), lambdaContext('glue-drift-guard-prod-reconcile', 'req-1'));
    await g.stack.bus.drain(); // the guard hears the sweep's own writes: compliant, nothing to do
    g.stack.calls.clear();
    const second = await reconcile(scheduledEvent('2026-12-01T10:30:00Z'), lambdaContext('glue-drift-guard-prod-reconcile', 'req-2'));
    // Assess
    expect(first.trigger).toBe('schedule');
    expect(first.sweep).toMatchObject({ sweepId: 'sweep:2026-12-01T10:15Z', tables: 1, outcomes: { blocked: 1 } });
    expect(first.sweep?.drifted).toEqual([expect.objectContaining({ database: DEMO.database, table: DEMO.table, outcome: 'blocked', alerted: true })]);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('DEACTIVATED');
    const [alert, ...more] = alerts(g);
    expect(more).toEqual([]);
    expect(alert?.attributes).toMatchObject({ outcome: 'blocked', table: DEMO.table, incident: first.sweep?.drifted[0]?.incidentId });
    expect(g.summaries.flatMap((s) => s.tables.map((t) => t.outcome))).not.toContain('blocked');
    // The next run: the open incident waits for approval; the table costs its share of one GetTables page.
    expect(second.incidents.map((i) => i.outcome)).toEqual(['waiting']);
    expect(second.sweep).toMatchObject({ tables: 1, outcomes: { compliant: 1 }, drifted: [] });
    expect(g.stack.calls.countByOperation({ operation: 'GetTables' })).toEqual({ GetTables: 1 });
    expect(g.stack.calls.count({ operation: 'UpdateTable' }) + g.stack.calls.count({ operation: 'Publish' })).toBe(0);
  });

  it('a deploy-triggered or manual run resumes only; {"reconcile":"sweep"} sweeps by hand', async () => {
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ dropRate: 1 });
    await alterOrders(g);
    await g.stack.bus.drain();
    g.stack.bus.configure({ dropRate: 0 });
    const reconcile = await g.reconcile();

    const manual = await reconcile({ reconcile: 'now' }, lambdaContext('glue-drift-guard-prod-reconcile', 'req-1'));
    expect(manual.sweep).toBeUndefined();
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'breaking' });

    const sweep = await reconcile({ reconcile: 'sweep' }, lambdaContext('glue-drift-guard-prod-reconcile', 'req-2'));
    expect(sweep.sweep).toMatchObject({ sweepId: 'sweep:req-2', outcomes: { blocked: 1 } });
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
    expect(alerts(g)).toHaveLength(1);
  });
});

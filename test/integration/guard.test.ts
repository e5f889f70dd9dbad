import { afterEach, describe, expect, it } from 'vitest';
import type { GuardedStack } from '../support/guarded-stack.js';
import {
  DEMO,
  addChannelAtEnd,
  alerts,
  crawl,
  currentVerdict,
  dropCurrencyAndRetypeAmount,
  runStatuses,
  startDemo,
  triggerState,
} from '../support/guard-scenario.js';

describe('The guard on the local stack (real SDK clients over HTTP)', () => {
  let guarded: GuardedStack | undefined;
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
  });

  it('breaking crawl → catalog restored, workflow paused and tagged, ON_DEMAND untouched, one alert', async () => {
    // Prepare
    guarded = await startDemo();
    const g = guarded;
    // Act
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    // Assess: the catalog holds an accepted schema again, as a new version (2, then 3 recording that the alert went out).
    expect(await currentVerdict(g)).toEqual({ versionId: '3', verdict: 'compliant' });
    // Paused: scheduled and conditional triggers stopped and tagged; ON_DEMAND never touched or fired.
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('DEACTIVATED');
    expect(await triggerState(g, DEMO.triggers.afterCrawl)).toBe('DEACTIVATED');
    expect(await triggerState(g, DEMO.triggers.manual)).toBe('CREATED');
    expect(g.stack.glue.triggerFirings).toEqual([]);
    const [alert, ...more] = alerts(g);
    expect(more).toEqual([]);
    const incident = alert?.attributes.incident ?? '';
    expect(incident).toMatch(/^dg-[0-9a-f]{12}$/);
    expect(g.stack.glue.getTags(g.stack.glue.arn('trigger', DEMO.triggers.schedule))).toMatchObject({ 'drift-guard:incident': incident });
    expect(g.stack.glue.getTags(g.stack.glue.arn('trigger', DEMO.triggers.manual))).toEqual({});
    // Runs are not stopped by default (stopRunningRuns off): the alert names the run left running.
    expect(await runStatuses(g)).toContain('RUNNING');
    expect(alert?.body.content.description).toMatch(/left run `wr_[0-9a-f]+` running/);
    // One chat-ready alert that says what changed, what was done, and how to accept it.
    expect(alert?.subject).toBe('[drift-guard] BLOCKED breaking schema change on sales.orders');
    expect(alert?.attributes).toMatchObject({ severity: 'breaking', database: 'sales', table: 'orders', verdict: 'breaking', outcome: 'blocked' });
    expect(alert?.body.content.description).toContain('Column `currency` (string) removed (COLUMN_REMOVED)');
    expect(alert?.body.content.description).toContain('Column `amount` changed type decimal(10,2) → string (TYPE_CHANGED)');
    expect(alert?.body.content.description).toContain('Restored the schema of Glue version 0');
    expect(alert?.body.content.description).toContain(`Paused workflow \`${DEMO.workflow}\``);
    expect(alert?.body.content.nextSteps[0]).toContain(`drift-guard approve sales.orders --incident ${incident}`);
    expect(alert?.body.metadata.threadId).toBe('glue-drift-guard/sales.orders');
    const events = g.stack.eventBridge.entries.filter((e) => e.source === 'glue-drift-guard');
    expect(events.map((e) => e.detailType)).toEqual(['Glue Schema Drift Blocked']);
  });

  it('allowed crawl (column added at the end) → catalog untouched, nothing paused, one informational alert', async () => {
    guarded = await startDemo();
    const g = guarded;
    crawl(g, addChannelAtEnd);
    await g.stack.bus.drain();
    expect(await currentVerdict(g)).toEqual({ versionId: '1', verdict: 'allowed' });
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(alerts(g).map((a) => [a.attributes.outcome, a.attributes.severity])).toEqual([['allowed', 'info']]);
  });

  it("the guard's own UpdateTable event is a no-op: one GetTable, no second alert", async () => {
    guarded = await startDemo();
    const g = guarded;
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    const outcomes = g.summaries.flatMap((s) => s.tables.map((t) => `${s.detailType}: ${t.outcome}`));
    // The crawler's change, its Succeeded event, then the guard's two writes (restore, alert confirmed).
    expect(outcomes).toEqual([
      'Glue Data Catalog Table State Change: blocked',
      'Glue Crawler State Change: compliant',
      'Glue Data Catalog Table State Change: compliant',
      'Glue Data Catalog Table State Change: compliant',
    ]);
    expect(alerts(g)).toHaveLength(1);
  });
});

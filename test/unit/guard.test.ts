/**
 * The guard's executor (read → plan → act → announce) on in-memory ports: which calls it makes, in which order,
 * what it writes in the catalog, and what it publishes. The decisions themselves are plan.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { indexContracts } from '../../functions/core/contracts/contract-index.js';
import type { EventWork } from '../../functions/core/guard/glue-events.js';
import {
  DEFAULT_SETTINGS,
  type GuardSettings,
  IncidentInFlightError,
  RestoreContentionError,
  type TableOutcome,
  createGuard,
} from '../../functions/core/guard/guard.js';
import { incidentIdFor } from '../../functions/core/incidents/incident.js';
import { versionNoteOf } from '../../functions/core/incidents/records.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { DETAIL_TYPES } from '../../functions/core/wording/alert.js';
import { type FakePorts, HOME, fakePorts } from '../support/fake-ports.js';
import { type Columns, SHAPES, contractFor, glueTable } from '../support/tables.js';

const ORIGIN = { ...HOME, eventId: 'event-1' };
const ORDERS = { database: 'sales', table: 'orders' };
const ORDERS_CONTRACT = contractFor({ columns: SHAPES.accepted });
const CLAIM_TIMEOUT = DEFAULT_SETTINGS.claimTimeoutMs;

const tablesEvent = (...tables: { database: string; table: string }[]): EventWork => ({ kind: 'tables', tables });
const ordersEvent = tablesEvent(ORDERS);
/** The fakes create every table at the clock's start. */
const incidentOf = (versionId: string): string => incidentIdFor('sales', 'orders', versionId, '2026-12-01T10:00:00.000Z');

/** A guard (one container) over `ports`; several guards over the same ports are several containers. */
function guardOver(ports: FakePorts, contracts: readonly Contract[] = [ORDERS_CONTRACT], settings: Partial<GuardSettings> = {}) {
  const { catalog, workflows, pipelines, notifier, events, log, now } = ports;
  return createGuard({ catalog, workflows, pipelines, notifier, events, contracts: indexContracts(contracts), log, now }, { ...DEFAULT_SETTINGS, ...settings });
}

/** Ports with the `nightly` workflow (a schedule, an on-demand trigger and a running run) and sales.orders at version 1. */
function world(): FakePorts {
  const ports = fakePorts();
  ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }, { name: 'nightly-manual', type: 'ON_DEMAND' }], [{ id: 'wr_1', status: 'RUNNING' }]);
  ports.catalog.write('sales', glueTable({ columns: SHAPES.accepted }));
  return ports;
}

/** A crawler (or job) writes sales.orders' next version. */
function crawl(ports: FakePorts, columns: Columns, parameters: Record<string, string> = {}): string {
  return ports.catalog.write('sales', glueTable({ columns, parameters })).versionId;
}

function only(results: readonly { readonly result: TableOutcome }[]): TableOutcome {
  const [first, ...rest] = results;
  if (first === undefined || rest.length > 0) throw new Error(`expected one table result, got ${results.length}`);
  return first.result;
}

function noteOn(ports: FakePorts, versionId: string) {
  const version = ports.catalog.versionsOf('sales', 'orders').find((v) => v.versionId === versionId);
  return version === undefined ? undefined : versionNoteOf(version.versionId, version.document);
}

const verdictOf = (ports: FakePorts): string => {
  const current = ports.catalog.currentOf('sales', 'orders');
  return current === undefined ? 'missing' : judgeDocument(ORDERS_CONTRACT, 'current', current.document).verdict;
};

describe('the guard: tables that need nothing', () => {
  it('a compliant table costs one GetTable and nothing else', async () => {
    // Prepare
    const ports = world();
    // Act
    const results = await guardOver(ports).handle(ordersEvent, ORIGIN);
    // Assess
    expect(only(results)).toEqual({ outcome: 'compliant' });
    expect(ports.world.names()).toEqual(['catalog.getTable']);
  });

  it('a table without a contract is left alone without a single call', async () => {
    const ports = world();
    const results = await guardOver(ports).handle(tablesEvent({ database: 'sales', table: 'customers' }), ORIGIN);
    expect(only(results)).toEqual({ outcome: 'unguarded' });
    expect(ports.world.calls).toEqual([]);
  });

  it('a guarded table deleted since the event is missing, after one GetTable', async () => {
    const ports = world();
    ports.catalog.remove('sales', 'orders');
    const results = await guardOver(ports).handle(ordersEvent, ORIGIN);
    expect(only(results)).toEqual({ outcome: 'missing' });
    expect(ports.world.names()).toEqual(['catalog.getTable']);
  });

  it('an ignored event makes no call', async () => {
    const ports = world();
    const results = await guardOver(ports).handle({ kind: 'ignore', reason: 'partition change' }, ORIGIN);
    expect(results).toEqual([]);
    expect(ports.world.calls).toEqual([]);
  });
});

describe('the guard: drift it reports', () => {
  it('allowed drift: the chat alert and the outcome event go out together, and nothing is changed', async () => {
    // Prepare
    const ports = world();
    const drifted = crawl(ports, SHAPES.added);
    // Act
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    // Assess
    expect(result).toMatchObject({ outcome: 'allowed', incidentId: incidentOf(drifted), alerted: true });
    expect(ports.world.names()).toEqual(['catalog.getTable', 'catalog.getVersion', 'notifier.publish', 'events.publish']);
    expect(ports.events.published.map((e) => [e.detailType, e.detail.incidentId])).toEqual([[DETAIL_TYPES.allowed, incidentOf(drifted)]]);
    expect(ports.notifier.published.map((a) => [a.attributes.outcome, a.attributes.incident])).toEqual([['allowed', incidentOf(drifted)]]);
    expect(ports.catalog.currentOf('sales', 'orders')?.versionId).toBe(drifted);
  });

  it('a dropped and re-created table gets new incident ids: a later, different drift at the same VersionId is alerted', async () => {
    // Prepare
    const ports = world();
    const guard = guardOver(ports);
    crawl(ports, SHAPES.added); // version 2 of the first table
    const first = only(await guard.handle(ordersEvent, ORIGIN));
    ports.catalog.remove('sales', 'orders');
    ports.advance(60_000);
    ports.catalog.write('sales', glueTable({ columns: SHAPES.accepted })); // re-created: version 1 again
    crawl(ports, SHAPES.added); // version 2 again, a new drift of the new table
    // Act
    const second = only(await guard.handle(ordersEvent, ORIGIN));
    // Assess
    const ids = [first, second].map((r) => ('incidentId' in r ? r.incidentId : undefined));
    expect(ids[0]).toBe(incidentOf('2'));
    expect(ids[1]).toBe(incidentIdFor('sales', 'orders', '2', '2026-12-01T10:01:00.000Z'));
    expect(second).toMatchObject({ outcome: 'allowed', alerted: true });
    expect(ports.notifier.published.map((a) => a.attributes.incident)).toEqual(ids);
  });

  it('allowed drift: a redelivery on the same guard sends no second alert, and reads no versions', async () => {
    const ports = world();
    crawl(ports, SHAPES.added);
    const guard = guardOver(ports);
    await guard.handle(ordersEvent, ORIGIN);
    const before = ports.world.calls.length;

    const again = only(await guard.handle(ordersEvent, ORIGIN));

    expect(again).toMatchObject({ outcome: 'allowed', alerted: false });
    expect(ports.world.names().slice(before)).toEqual(['catalog.getTable']);
    expect(ports.notifier.published).toHaveLength(1);
    expect(ports.events.published).toHaveLength(1);
  });

  it('breaking drift under an observe contract is observed: alerted, never restored or held', async () => {
    const ports = world();
    const drifted = crawl(ports, SHAPES.dropped);

    const result = only(await guardOver(ports, [contractFor({ columns: SHAPES.accepted }, { enforcement: 'observe' })]).handle(ordersEvent, ORIGIN));

    expect(result).toMatchObject({ outcome: 'observed', incidentId: incidentOf(drifted), alerted: true });
    expect(ports.world.names()).toEqual(['catalog.getTable', 'catalog.getVersion', 'notifier.publish', 'events.publish']);
    expect(ports.events.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES.observed]);
    expect(ports.catalog.restores).toEqual([]);
  });

  it('breaking drift with the guard in observe mode is observed whatever the contract says', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    const result = only(await guardOver(ports, [ORDERS_CONTRACT], { mode: 'observe' }).handle(ordersEvent, ORIGIN));
    expect(result).toMatchObject({ outcome: 'observed', alerted: true });
    expect(ports.world.count('catalog.restore') + ports.world.count('workflows.pause')).toBe(0);
  });

  it('a notifier failure fails the delivery after the outcome event went out; a retry on this container sends only the alert', async () => {
    // Prepare
    const ports = world();
    const drifted = crawl(ports, SHAPES.added);
    const failure = new Error('SNS unavailable');
    ports.world.fail('notifier.publish', failure);
    const guard = guardOver(ports);
    // Act
    const delivery = guard.handle(ordersEvent, ORIGIN);
    // Assess
    await expect(delivery).rejects.toBe(failure);
    expect(ports.events.published).toHaveLength(1);
    expect(ports.notifier.published).toHaveLength(0);

    const retry = only(await guard.handle(ordersEvent, ORIGIN));
    expect(retry).toMatchObject({ outcome: 'allowed', incidentId: incidentOf(drifted), alerted: true });
    expect(ports.events.published).toHaveLength(1);
    expect(ports.notifier.published.map((a) => a.attributes.incident)).toEqual([incidentOf(drifted)]);
  });

  it('an EventBridge failure does not keep the chat alert from going out; the delivery fails so the event is retried', async () => {
    // Prepare
    const ports = world();
    const drifted = crawl(ports, SHAPES.added);
    const failure = new Error('EventBridge unavailable');
    ports.world.fail('events.publish', failure);
    const guard = guardOver(ports);
    // Act
    const delivery = guard.handle(ordersEvent, ORIGIN);
    // Assess
    await expect(delivery).rejects.toBe(failure);
    expect(ports.notifier.published.map((a) => a.attributes.incident)).toEqual([incidentOf(drifted)]);
    expect(ports.events.published).toHaveLength(0);

    const retry = only(await guard.handle(ordersEvent, ORIGIN));
    expect(retry).toMatchObject({ outcome: 'allowed', alerted: true });
    expect(ports.events.published.map((e) => e.detail.incidentId)).toEqual([incidentOf(drifted)]);
    expect(ports.notifier.published).toHaveLength(1);
  });
});

describe('the guard: breaking drift, enforced', () => {
  it('restores the newest accepted version, holds, announces, then confirms the alert, in that order', async () => {
    // Prepare
    const ports = world();
    ports.jobs.addWorkflow('ingest', [{ name: 'ingest-hourly' }]);
    ports.jobs.crawlerWorkflows.set('orders-crawler', 'ingest');
    crawl(ports, SHAPES.added); // 2: allowed, the newest accepted one
    const drifted = crawl(ports, SHAPES.retyped, { UPDATED_BY_CRAWLER: 'orders-crawler' }); // 3
    // Act
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    // Assess
    expect(ports.world.names()).toEqual([
      'catalog.getTable',
      'catalog.getVersion',
      'catalog.restore',
      'workflows.workflowOfCrawler',
      'workflows.pause',
      'workflows.pause',
      // No workflows.holdSchedule: the crawler is in the held `ingest` workflow, whose pause held its schedule.
      'notifier.publish',
      'events.publish',
      'catalog.restore',
    ]);
    const incidentId = incidentOf(drifted);
    expect(result).toMatchObject({ outcome: 'blocked', incidentId, alerted: true });
    expect(result.outcome === 'blocked' ? [result.report.restoredFromVersionId, result.report.offendingVersionId, result.report.crawler] : []).toEqual([
      '2',
      '3',
      'orders-crawler',
    ]);
    const claim = { kind: 'restore', incidentId, restoredFrom: '2', replaced: '3', eventId: 'event-1', claimedAt: ports.now().toISOString() };
    expect(noteOn(ports, '4')).toEqual({ ...claim, alert: 'pending' });
    expect(noteOn(ports, '5')).toEqual({ ...claim, alert: 'sent' });
    expect(ports.catalog.restores.map((r) => [r.fromVersionId, r.expectedVersionId])).toEqual([
      ['2', '3'],
      ['2', '4'],
    ]);
    expect(verdictOf(ports)).toBe('allowed');
    expect(ports.jobs.pauses.map((p) => [p.workflow, p.incident.id])).toEqual([
      ['nightly', incidentId],
      ['ingest', incidentId],
    ]);
    expect(ports.events.published.map((e) => [e.detailType, e.detail.incidentId, e.detail.restoredFromVersionId])).toEqual([
      [DETAIL_TYPES.blocked, incidentId, '2'],
    ]);
    expect(ports.notifier.published.map((a) => [a.attributes.outcome, a.attributes.incident])).toEqual([['blocked', incidentId]]);
    // Every line about the table carries it, and those about the incident carry its id too.
    expect(ports.log.at('warn').map((e) => [e.message, e.extra.database, e.extra.table, e.extra.incidentId])).toEqual([
      ['breaking schema change blocked', 'sales', 'orders', incidentId],
    ]);
  });

  it('holds the pipeline as the policy says: scheduled triggers stopped, on-demand ones untouched, runs left running by default', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);

    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));

    const pauses = result.outcome === 'blocked' ? result.report.pauses : [];
    expect(pauses.map((p) => [p.workflow, p.stoppedTriggers, p.untouchedTriggers.map((t) => t.name), p.stoppedRuns, p.runsLeftRunning])).toEqual([
      ['nightly', ['nightly-0200'], ['nightly-manual'], [], ['wr_1']],
    ]);
    expect(ports.jobs.pauses.map((p) => p.options)).toEqual([{ stopRunningRuns: false }]);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('DEACTIVATED');
    expect(ports.jobs.triggers.get('nightly-manual')?.state).toBe('ACTIVATED');
    expect(ports.notifier.published[0]?.body).toContain('left run `wr_1` running');
  });

  it.each([
    ['the deployment says so', { stopRunningRuns: true }, undefined],
    ['the contract says so (x-stop-running-runs: true), whatever the deployment', { stopRunningRuns: false }, true],
  ] as const)('stops RUNNING runs when %s', async (_, settings, contractSetting) => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    const contract = contractSetting === undefined ? ORDERS_CONTRACT : { ...ORDERS_CONTRACT, stopRunningRuns: contractSetting };

    const result = only(await guardOver(ports, [contract], settings).handle(ordersEvent, ORIGIN));

    const pauses = result.outcome === 'blocked' ? result.report.pauses : [];
    expect(pauses.map((p) => [p.stoppedRuns, p.runsLeftRunning])).toEqual([[['wr_1'], []]]);
    expect(ports.jobs.pauses.map((p) => p.options)).toEqual([{ stopRunningRuns: true }]);
  });

  it('stops the own schedule of the crawler that wrote the drift (tagged with the incident), after the workflows, and says so', async () => {
    const ports = world();
    ports.jobs.scheduledCrawler('orders-hourly');
    const drifted = crawl(ports, SHAPES.dropped, { UPDATED_BY_CRAWLER: 'orders-hourly' });

    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));

    expect(result.outcome === 'blocked' ? result.report.crawlerSchedule : undefined).toEqual({ crawler: 'orders-hourly', scheduled: true, stopped: true });
    expect(ports.jobs.schedules.get('orders-hourly')).toEqual({ state: 'NOT_SCHEDULED', tags: { 'drift-guard:incident': incidentOf(drifted), 'drift-guard:table': 'sales.orders' } });
    const names = ports.world.names();
    expect(names.indexOf('workflows.holdSchedule')).toBeGreaterThan(names.indexOf('workflows.pause'));
    expect(names.indexOf('workflows.holdSchedule')).toBeLessThan(names.indexOf('events.publish'));
    expect(ports.notifier.published[0]?.body).toContain('Stopped the schedule of crawler `orders-hourly`');
    expect(ports.events.published[0]?.detail).toMatchObject({ crawlerSchedule: { crawler: 'orders-hourly', stopped: true } });
  });

  it('a crawler without a schedule of its own is not reported; one whose schedule is already stopped by someone else is, as not stopped', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped, { UPDATED_BY_CRAWLER: 'orders-on-demand' });
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    expect(result.outcome === 'blocked' ? result.report.crawlerSchedule : 'not blocked').toBeUndefined();

    const other = world();
    other.jobs.scheduledCrawler('orders-hourly', 'NOT_SCHEDULED');
    crawl(other, SHAPES.dropped, { UPDATED_BY_CRAWLER: 'orders-hourly' });
    const left = only(await guardOver(other).handle(ordersEvent, ORIGIN));
    expect(left.outcome === 'blocked' ? left.report.crawlerSchedule : undefined).toMatchObject({ crawler: 'orders-hourly', stopped: false });
    expect(other.notifier.published[0]?.body).toContain('The schedule of crawler `orders-hourly` was not stopped');
  });

  it('a contract with x-stop-running-runs: false leaves runs running even where the deployment stops them', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);

    await guardOver(ports, [{ ...ORDERS_CONTRACT, stopRunningRuns: false }], { stopRunningRuns: true }).handle(ordersEvent, ORIGIN);

    expect(ports.jobs.pauses.map((p) => p.options)).toEqual([{ stopRunningRuns: false }]);
  });

  it('the guard’s own writes and duplicates afterwards cost one GetTable and do nothing', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    await guardOver(ports).handle(ordersEvent, ORIGIN);
    const before = ports.world.calls.length;

    const again = only(await guardOver(ports).handle(ordersEvent, { ...ORIGIN, eventId: 'event-of-the-restore' }));

    expect(again).toEqual({ outcome: 'compliant' });
    expect(ports.world.names().slice(before)).toEqual(['catalog.getTable']);
  });

  it('a write racing the restore: the guard re-reads, re-plans and restores over the newer version', async () => {
    // Prepare
    const ports = world();
    crawl(ports, SHAPES.dropped); // 2
    ports.world.before('catalog.restore', () => {
      crawl(ports, SHAPES.retyped); // 3, between the guard's read and its write
    });
    // Act
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    // Assess
    expect(result).toMatchObject({ outcome: 'blocked', incidentId: incidentOf('3') });
    expect(ports.world.names().slice(0, 5)).toEqual(['catalog.getTable', 'catalog.getVersion', 'catalog.restore', 'catalog.getTable', 'catalog.getVersion']);
    expect(ports.catalog.restores.map((r) => [r.fromVersionId, r.expectedVersionId])).toEqual([
      ['1', '3'],
      ['1', '4'],
    ]);
    expect(noteOn(ports, '5')).toMatchObject({ alert: 'sent', replaced: '3' });
    expect(ports.notifier.published).toHaveLength(1);
  });

  it('a racing write that fixes the table: the re-read finds it compliant, nothing is held or alerted', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    ports.world.before('catalog.restore', () => {
      crawl(ports, SHAPES.accepted);
    });

    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));

    expect(result).toEqual({ outcome: 'compliant' });
    expect(ports.world.count('workflows.pause') + ports.world.count('notifier.publish') + ports.world.count('events.publish')).toBe(0);
  });

  it('a table that keeps moving: after maxRestoreAttempts the delivery fails with RestoreContentionError, unannounced', async () => {
    // Prepare
    const ports = world();
    crawl(ports, SHAPES.dropped);
    ports.world.before('catalog.restore', () => void crawl(ports, SHAPES.retyped), { times: 10 });
    // Act
    const delivery = guardOver(ports, [ORDERS_CONTRACT], { maxRestoreAttempts: 2 }).handle(ordersEvent, ORIGIN);
    // Assess
    await expect(delivery).rejects.toBeInstanceOf(RestoreContentionError);
    expect(ports.world.count('catalog.restore')).toBe(2);
    expect(ports.catalog.restores).toEqual([]);
    expect(ports.world.count('workflows.pause') + ports.world.count('events.publish') + ports.world.count('notifier.publish')).toBe(0);
  });

  it('a failure other than a conflict during the restore fails the delivery as it is', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    const failure = new Error('glue:UpdateTable: access denied');
    ports.world.fail('catalog.restore', failure);

    await expect(guardOver(ports).handle(ordersEvent, ORIGIN)).rejects.toBe(failure);
    expect(ports.world.count('catalog.getTable')).toBe(1);
  });

  it('the confirming write failing is logged, not thrown: the alert went out once', async () => {
    // Prepare
    const ports = world();
    crawl(ports, SHAPES.dropped);
    ports.world.fail('catalog.restore', new Error('glue:UpdateTable: throttled'), { at: 2 });
    // Act
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    // Assess
    expect(result).toMatchObject({ outcome: 'blocked', alerted: true });
    expect(ports.notifier.published).toHaveLength(1);
    expect(noteOn(ports, '3')).toMatchObject({ alert: 'pending' });
    expect(ports.catalog.currentOf('sales', 'orders')?.versionId).toBe('3');
    expect(ports.log.at('warn').map((e) => e.extra.error)).toContain('glue:UpdateTable: throttled');
  });

  it('the table moving before the confirming write is logged, and the newer write stands', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    ports.world.before('catalog.restore', () => void crawl(ports, SHAPES.added), { at: 2 });

    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));

    expect(result).toMatchObject({ outcome: 'blocked' });
    expect(ports.catalog.restores).toHaveLength(1);
    expect(ports.catalog.currentOf('sales', 'orders')?.versionId).toBe('4');
    expect(ports.log.at('warn').some((e) => e.extra.table === 'orders' && e.extra.error === undefined)).toBe(true);
  });
});

describe('the guard: a delivery that died after its restore', () => {
  /** The first delivery restores, then fails publishing the outcome event (EventBridge down): the claim stays pending. */
  async function interruptedDelivery(ports: FakePorts): Promise<void> {
    crawl(ports, SHAPES.dropped); // 2; the restore writes 3
    // The delivery dies before anyone is told: neither the chat alert nor the outcome event went out.
    ports.world.fail('events.publish', new Error('EventBridge unavailable'));
    ports.world.fail('notifier.publish', new Error('SNS unavailable'));
    await expect(guardOver(ports).handle(ordersEvent, ORIGIN)).rejects.toThrow(/unavailable/);
    expect(noteOn(ports, '3')).toMatchObject({ alert: 'pending' });
  }

  it('a redelivery while the claim is young is in flight: it fails with IncidentInFlightError after one GetTable', async () => {
    const ports = world();
    await interruptedDelivery(ports);
    const before = ports.world.calls.length;
    ports.advance(CLAIM_TIMEOUT - 1_000);

    const redelivery = guardOver(ports).handle(ordersEvent, ORIGIN);

    await expect(redelivery).rejects.toBeInstanceOf(IncidentInFlightError);
    await expect(redelivery).rejects.toMatchObject({ incidentId: incidentOf('2') });
    expect(ports.world.names().slice(before)).toEqual(['catalog.getTable']);
  });

  it('a redelivery past the claim timeout holds, announces and confirms, exactly once', async () => {
    // Prepare
    const ports = world();
    await interruptedDelivery(ports);
    const before = ports.world.calls.length;
    ports.advance(CLAIM_TIMEOUT + 1_000);
    // Act
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    const afterwards = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    // Assess
    expect(result).toMatchObject({ outcome: 'blocked', incidentId: incidentOf('2'), alerted: true });
    expect(result.outcome === 'blocked' ? [result.report.offendingVersionId, result.report.restoredFromVersionId, result.report.judgement.verdict] : []).toEqual([
      '2',
      '1',
      'breaking',
    ]);
    expect(ports.world.names().slice(before)).toEqual([
      'catalog.getTable',
      'catalog.getVersion',
      'workflows.pause',
      'notifier.publish',
      'events.publish',
      'catalog.restore',
      'catalog.getTable',
    ]);
    expect(noteOn(ports, '4')).toMatchObject({ alert: 'sent', incidentId: incidentOf('2'), replaced: '2' });
    expect(afterwards).toEqual({ outcome: 'compliant' });
    expect(ports.notifier.published.map((a) => a.attributes.incident)).toEqual([incidentOf('2')]);
    expect(ports.log.at('warn').map((e) => e.extra.incidentId)).toContain(incidentOf('2'));
  });

  it('another event finding the pending claim is not in flight: the restored table is judged as usual', async () => {
    const ports = world();
    await interruptedDelivery(ports);
    const result = only(await guardOver(ports).handle(ordersEvent, { ...ORIGIN, eventId: 'event-2' }));
    expect(result).toEqual({ outcome: 'compliant' });
  });
});

describe('the guard: breaking drift it cannot restore', () => {
  it('no accepted earlier version: holds and alerts cannot-restore, writing nothing', async () => {
    // Prepare
    const ports = fakePorts();
    ports.catalog.firstVersionId = '0'; // as Glue numbers a new table: its whole history is within reach
    ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }]);
    const drifted = ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped })).versionId;
    // Act
    const result = only(await guardOver(ports).handle(ordersEvent, ORIGIN));
    // Assess
    expect(result).toMatchObject({ outcome: 'cannot-restore', incidentId: incidentOf(drifted), alerted: true });
    expect(ports.world.names()).toEqual(['catalog.getTable', 'workflows.pause', 'notifier.publish', 'events.publish']);
    expect(ports.events.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES['cannot-restore']]);
    expect(ports.catalog.restores).toEqual([]);
  });

  it('the same drift in a later version (a re-crawl) is neither held nor alerted again', async () => {
    const ports = fakePorts();
    ports.catalog.firstVersionId = '0'; // as Glue numbers a new table: its whole history is within reach
    ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }]);
    ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped }));
    await guardOver(ports).handle(ordersEvent, ORIGIN);
    ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped, parameters: { recordCount: '42' } }));
    const before = ports.world.calls.length;

    const result = only(await guardOver(ports).handle(ordersEvent, { ...ORIGIN, eventId: 'event-2' }));

    expect(result).toMatchObject({ outcome: 'cannot-restore', incidentId: incidentOf('1'), alerted: false });
    expect(ports.world.names().slice(before)).toEqual(['catalog.getTable', 'catalog.getVersion']);
  });

  it('a redelivery on the same guard holds again (idempotently) but does not alert again', async () => {
    const ports = fakePorts();
    ports.catalog.firstVersionId = '0'; // as Glue numbers a new table: its whole history is within reach
    ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }]);
    ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped }));
    const guard = guardOver(ports);
    const first = only(await guard.handle(ordersEvent, ORIGIN));

    const again = only(await guard.handle(ordersEvent, ORIGIN));

    expect(again).toMatchObject({ outcome: 'cannot-restore', alerted: false });
    expect(ports.notifier.published).toHaveLength(1);
    const stopped = (outcome: TableOutcome) => (outcome.outcome === 'cannot-restore' ? outcome.report.pauses.map((p) => p.stoppedTriggers) : []);
    expect(stopped(again)).toEqual(stopped(first));
    expect(stopped(first)).toEqual([['nightly-0200']]);
  });
});

describe('the guard: events naming several tables', () => {
  const CUSTOMERS_CONTRACT = contractFor({ name: 'customers', columns: SHAPES.accepted });
  const REFUNDS_CONTRACT = contractFor({ name: 'refunds', database: 'finance', columns: SHAPES.accepted });

  it('a crawler event judges every guarded table of the crawler’s databases, quietly', async () => {
    // Prepare
    const ports = world();
    crawl(ports, SHAPES.added); // sales.orders: allowed drift
    ports.catalog.write('sales', glueTable({ name: 'customers', columns: SHAPES.accepted }));
    ports.catalog.write('finance', glueTable({ name: 'refunds', database: 'finance', columns: SHAPES.dropped }));
    ports.catalog.addCrawler('sales-crawler', ['sales']);
    const contracts = [ORDERS_CONTRACT, CUSTOMERS_CONTRACT, REFUNDS_CONTRACT];
    // Act
    const results = await guardOver(ports, contracts).handle({ kind: 'crawler', crawlerName: 'sales-crawler' }, ORIGIN);
    // Assess
    expect(results.map((r) => [r.database, r.table, r.result.outcome])).toEqual([
      ['sales', 'orders', 'allowed'],
      ['sales', 'customers', 'compliant'],
    ]);
    expect(results[0]?.result).toMatchObject({ alerted: false });
    expect(ports.world.count('notifier.publish') + ports.world.count('events.publish') + ports.world.count('catalog.getVersion')).toBe(0);
  });

  it('a crawler event still restores a breaking table (the safety net) and alerts the restore', async () => {
    const ports = world();
    crawl(ports, SHAPES.dropped);
    ports.catalog.addCrawler('sales-crawler', ['sales']);

    const results = await guardOver(ports).handle({ kind: 'crawler', crawlerName: 'sales-crawler' }, ORIGIN);

    expect(only(results)).toMatchObject({ outcome: 'blocked', alerted: true });
    expect(verdictOf(ports)).toBe('compliant');
  });

  it('an unknown crawler: nothing judged, a warning logged', async () => {
    const ports = world();
    const results = await guardOver(ports).handle({ kind: 'crawler', crawlerName: 'gone' }, ORIGIN);
    expect(results).toEqual([]);
    expect(ports.world.names()).toEqual(['catalog.crawlerDatabases']);
    expect(ports.log.at('warn').map((e) => e.extra.crawler)).toEqual(['gone']);
  });

  it('one table failing does not stop the others being settled; the delivery then fails with that error', async () => {
    // Prepare
    const ports = world();
    ports.catalog.write('sales', glueTable({ name: 'customers', columns: SHAPES.accepted }));
    ports.catalog.write('sales', glueTable({ name: 'customers', columns: SHAPES.dropped }));
    const failure = new Error('glue:GetTable: throttled');
    ports.world.fail('catalog.getTable', failure); // the first table's read
    // Act
    const delivery = guardOver(ports, [ORDERS_CONTRACT, CUSTOMERS_CONTRACT], { concurrency: 1 }).handle(
      tablesEvent(ORDERS, { database: 'sales', table: 'customers' }),
      ORIGIN,
    );
    // Assess
    await expect(delivery).rejects.toBe(failure);
    expect(ports.world.calls.filter((c) => c.name === 'catalog.getTable').map((c) => c.subject)).toEqual(['sales.orders', 'sales.customers']);
    expect(ports.catalog.restores.map((r) => r.table)).toEqual(['customers', 'customers']);
    expect(ports.notifier.published.map((a) => a.attributes.table)).toEqual(['customers']);
  });
});

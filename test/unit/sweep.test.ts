/**
 * Reconcile's sweep through the guard's executor, on in-memory ports: a drift whose Glue event never arrived is
 * judged from the GetTables pages and handled exactly as an event would handle it, once.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { indexContracts } from '../../functions/core/contracts/contract-index.js';
import { DEFAULT_SETTINGS, IncidentInFlightError, type SweepRecords, type TableResult, createGuard } from '../../functions/core/guard/guard.js';
import { versionNoteOf } from '../../functions/core/incidents/records.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { DETAIL_TYPES } from '../../functions/core/wording/alert.js';
import { type FakePorts, HOME, fakePorts } from '../support/fake-ports.js';
import { type Columns, SHAPES, contractFor, glueTable } from '../support/tables.js';

const SWEEP = { ...HOME, eventId: 'sweep:2026-12-01T10:15Z' };
const NEXT_SWEEP = { ...HOME, eventId: 'sweep:2026-12-01T10:30Z' };
const ORDERS_CONTRACT = contractFor({ columns: SHAPES.accepted });

function guardOver(ports: FakePorts, contracts: readonly Contract[] = [ORDERS_CONTRACT]) {
  const { catalog, workflows, pipelines, notifier, events, log, now } = ports;
  return createGuard({ catalog, workflows, pipelines, notifier, events, contracts: indexContracts(contracts), log, now }, DEFAULT_SETTINGS);
}

/** What reconcile gives the sweep: the incidents the guard's tags say are open, read once and only when asked. */
function recordsOf(ports: FakePorts): SweepRecords & { reads: number } {
  const records = {
    reads: 0,
    openIncidents: async () => {
      records.reads += 1;
      const triggers = await ports.pipelines.findPausedTriggers(HOME);
      const workflows = await ports.pipelines.findPausedWorkflows(HOME);
      return new Set([...triggers.map((t) => t.incidentId), ...workflows.map((w) => w.incidentId)]);
    },
  };
  return records;
}

/** Ports with the `nightly` workflow (a schedule and a running run) and sales.orders at version 1, compliant. */
function world(): FakePorts {
  const ports = fakePorts();
  ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }], [{ id: 'wr_1', status: 'RUNNING' }]);
  ports.catalog.write('sales', glueTable({ columns: SHAPES.accepted }));
  return ports;
}

/** Athena DDL, a Glue job or EMR writes sales.orders' next version; its event is lost. */
function writeUnseen(ports: FakePorts, columns: Columns, name = 'orders'): string {
  return ports.catalog.write('sales', glueTable({ name, columns })).versionId;
}

function only(results: readonly TableResult[]): TableResult['result'] {
  const [first, ...rest] = results;
  if (first === undefined || rest.length > 0) throw new Error(`expected one table result, got ${results.length}`);
  return first.result;
}

const verdictOf = (ports: FakePorts): string => {
  const current = ports.catalog.currentOf('sales', 'orders');
  return current === undefined ? 'missing' : judgeDocument(ORDERS_CONTRACT, 'current', current.document).verdict;
};

describe('the sweep: drift whose event was missed', () => {
  it('is restored, held and alerted once, from the page’s copy of the table (no GetTable)', async () => {
    // Prepare
    const ports = world();
    const drifted = writeUnseen(ports, SHAPES.dropped); // 2
    // Act
    const result = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));
    // Assess
    expect(result).toMatchObject({ outcome: 'blocked', alerted: true });
    expect(ports.world.names()).toEqual([
      'catalog.listTables',
      'catalog.getVersion',
      'catalog.restore',
      'workflows.pause',
      'notifier.publish',
      'events.publish',
      'catalog.restore',
    ]);
    expect(verdictOf(ports)).toBe('compliant');
    const confirmed = ports.catalog.currentOf('sales', 'orders');
    expect(confirmed === undefined ? undefined : versionNoteOf(confirmed.versionId, confirmed.document)).toMatchObject({
      kind: 'restore',
      replaced: drifted,
      restoredFrom: '1',
      alert: 'sent',
      eventId: SWEEP.eventId,
    });
    expect(ports.events.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES.blocked]);
    expect(ports.notifier.published.map((a) => a.attributes.outcome)).toEqual(['blocked']);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('DEACTIVATED');
  });

  it('a second sweep, and the guard’s own write, find the table compliant: one page read, nothing else', async () => {
    const ports = world();
    writeUnseen(ports, SHAPES.dropped);
    await guardOver(ports).sweep(SWEEP, recordsOf(ports));
    ports.forget();
    const records = recordsOf(ports);

    const again = only(await guardOver(ports).sweep(NEXT_SWEEP, records));

    expect(again).toEqual({ outcome: 'compliant' });
    expect(ports.world.names()).toEqual(['catalog.listTables']);
    expect(records.reads).toBe(0);
  });

  it('a stale page: the restore loses the lock, the guard re-reads with GetTable and re-plans', async () => {
    // Prepare
    const ports = world();
    writeUnseen(ports, SHAPES.dropped); // 2, on the page
    ports.world.before('catalog.restore', () => void writeUnseen(ports, SHAPES.retyped)); // 3, after the page was read
    // Act
    const result = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));
    // Assess
    // Versions by id: 1 for the page's 2; for the re-read 3, its 2 (breaking), then 1.
    expect(ports.world.names().slice(0, 7)).toEqual([
      'catalog.listTables',
      'catalog.getVersion',
      'catalog.restore',
      'catalog.getTable',
      'catalog.getVersion',
      'catalog.getVersion',
      'catalog.restore',
    ]);
    expect(ports.catalog.restores.map((r) => [r.fromVersionId, r.expectedVersionId])).toEqual([
      ['1', '3'],
      ['1', '4'],
    ]);
    expect(result).toMatchObject({ outcome: 'blocked', alerted: true, report: { offendingVersionId: '3' } });
    expect(ports.notifier.published).toHaveLength(1);
  });

  it('a retried sweep run (same sweep id) that died after its restore finishes the alert, exactly once', async () => {
    // Prepare: the first run restores, then SNS and EventBridge fail: the claim stays pending under the sweep's id.
    const ports = world();
    writeUnseen(ports, SHAPES.dropped);
    ports.world.fail('events.publish', new Error('EventBridge unavailable'));
    ports.world.fail('notifier.publish', new Error('SNS unavailable'));
    await expect(guardOver(ports).sweep(SWEEP, recordsOf(ports))).rejects.toThrow(/unavailable/);
    // Act: Lambda retries the run a minute later (still in flight), then two minutes after that.
    ports.advance(60_000);
    await expect(guardOver(ports).sweep(SWEEP, recordsOf(ports))).rejects.toBeInstanceOf(IncidentInFlightError);
    ports.advance(120_000);
    const finished = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));
    const later = only(await guardOver(ports).sweep(NEXT_SWEEP, recordsOf(ports)));
    // Assess
    expect(finished).toMatchObject({ outcome: 'blocked', alerted: true });
    expect(later).toEqual({ outcome: 'compliant' });
    expect(ports.notifier.published).toHaveLength(1);
    expect(ports.catalog.restores).toHaveLength(2); // the restore and its confirmation
  });

  it('a drift the event already blocked is not touched again by the sweep', async () => {
    const ports = world();
    writeUnseen(ports, SHAPES.dropped);
    const guard = guardOver(ports);
    await guard.handle({ kind: 'tables', tables: [{ database: 'sales', table: 'orders' }] }, { ...HOME, eventId: 'event-1' });
    ports.forget();

    const result = only(await guard.sweep(SWEEP, recordsOf(ports)));

    expect(result).toEqual({ outcome: 'compliant' });
    expect(ports.world.names()).toEqual(['catalog.listTables']);
  });
});

describe('the sweep: what it costs and what it reads', () => {
  it('250 compliant guarded tables cost three GetTables pages and nothing else; an unguarded database is not read', async () => {
    // Prepare
    const ports = fakePorts();
    const contracts = Array.from({ length: 250 }, (_, i) => contractFor({ name: `t${String(i).padStart(3, '0')}`, columns: SHAPES.accepted }));
    for (const c of contracts) ports.catalog.write('sales', glueTable({ name: c.schema.name, columns: SHAPES.accepted }));
    ports.catalog.write('scratch', glueTable({ name: 'anything', database: 'scratch', columns: SHAPES.dropped }));
    // Act
    const results = await guardOver(ports, contracts).sweep(SWEEP, recordsOf(ports));
    // Assess
    expect(results).toHaveLength(250);
    expect(results.every((r) => r.result.outcome === 'compliant')).toBe(true);
    expect(ports.world.calls).toEqual([
      { name: 'catalog.listTables', subject: 'sales#1' },
      { name: 'catalog.listTables', subject: 'sales#2' },
      { name: 'catalog.listTables', subject: 'sales#3' },
    ]);
  });

  it('a guarded table not on the pages (deleted, or hidden by Lake Formation) is missing, without a GetTable', async () => {
    const ports = world();
    ports.catalog.remove('sales', 'orders');
    ports.catalog.write('sales', glueTable({ name: 'customers', columns: SHAPES.accepted }));

    const result = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));

    expect(result).toEqual({ outcome: 'missing' });
    expect(ports.world.names()).toEqual(['catalog.listTables']);
  });

  it('allowed drift is left to the event that reported it: no alert, no versions read (no record says it was alerted)', async () => {
    const ports = world();
    writeUnseen(ports, SHAPES.added);

    const result = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));

    expect(result).toMatchObject({ outcome: 'allowed', alerted: false });
    expect(ports.world.names()).toEqual(['catalog.listTables']);
  });

  it('one database failing does not stop the others being swept; the run then fails, to be retried', async () => {
    const ports = world();
    ports.catalog.write('finance', glueTable({ name: 'refunds', database: 'finance', columns: SHAPES.dropped }));
    ports.catalog.write('finance', glueTable({ name: 'refunds', database: 'finance', columns: SHAPES.accepted }));
    writeUnseen(ports, SHAPES.dropped);
    const failure = new Error('glue:GetTables: throttled');
    ports.world.fail('catalog.listTables', failure); // finance's page (databases are swept in name order)
    const contracts = [ORDERS_CONTRACT, contractFor({ name: 'refunds', database: 'finance', columns: SHAPES.accepted })];

    await expect(guardOver(ports, contracts).sweep(SWEEP, recordsOf(ports))).rejects.toBe(failure);
    expect(verdictOf(ports)).toBe('compliant');
    expect(ports.notifier.published.map((a) => a.attributes.table)).toEqual(['orders']);
  });
});

describe('the sweep: breaking drift it cannot restore', () => {
  /** sales.orders born drifted: no earlier version the contract accepts. */
  function unrestorable(): FakePorts {
    const ports = fakePorts();
    ports.catalog.firstVersionId = '0'; // as Glue numbers a new table: its whole history is within reach
    ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }]);
    ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped }));
    return ports;
  }

  it('a missed one is held and alerted once; later sweeps see its incident open and neither hold nor alert', async () => {
    // Prepare
    const ports = unrestorable();
    // Act
    const first = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));
    ports.jobs.triggers.forEach((t) => {
      if (t.name === 'nightly-0200') t.state = 'ACTIVATED'; // an operator lets the pipeline run while the incident stays open
    });
    const records = recordsOf(ports);
    const second = only(await guardOver(ports).sweep(NEXT_SWEEP, records));
    // Assess
    expect(first).toMatchObject({ outcome: 'cannot-restore', alerted: true });
    expect(second).toMatchObject({ outcome: 'cannot-restore', alerted: false });
    expect(ports.notifier.published).toHaveLength(1);
    expect(ports.jobs.pauses).toHaveLength(1);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('ACTIVATED');
    expect(records.reads).toBe(1);
  });

  it('one the event already alerted (its incident open) is not re-alerted by the sweep', async () => {
    const ports = unrestorable();
    await guardOver(ports).handle({ kind: 'tables', tables: [{ database: 'sales', table: 'orders' }] }, { ...HOME, eventId: 'event-1' });
    ports.forget();

    const result = only(await guardOver(ports).sweep(SWEEP, recordsOf(ports)));

    expect(result).toMatchObject({ outcome: 'cannot-restore', alerted: false });
    expect(ports.world.count('workflows.pause') + ports.world.count('notifier.publish') + ports.world.count('events.publish')).toBe(0);
  });

  it('one whose hold records nothing (no workflow to hold) is reported quietly: no record could stop a repeat', async () => {
    const ports = fakePorts();
    ports.catalog.firstVersionId = '0';
    ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped }));

    const result = only(await guardOver(ports, [contractFor({ columns: SHAPES.accepted }, { dependentWorkflows: [] })]).sweep(SWEEP, recordsOf(ports)));

    expect(result).toMatchObject({ outcome: 'cannot-restore', alerted: false });
    expect(ports.notifier.published).toEqual([]);
  });
});

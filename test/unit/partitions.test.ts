/**
 * Partitions are judged and protected (core/guard/partitions.ts) on in-memory ports: a partition event's cost, the
 * move of breaking partitions to the held table (none lost, definitions identical), one alert per incident under
 * storms, duplicates, reordering and crashes, observe mode, and the held table's name.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { indexContracts } from '../../functions/core/contracts/contract-index.js';
import type { EventWork } from '../../functions/core/guard/glue-events.js';
import { workFor } from '../../functions/core/guard/glue-events.js';
import { DEFAULT_SETTINGS, type GuardSettings, type TableOutcome, createGuard } from '../../functions/core/guard/guard.js';
import { PartitionIncidentInFlightError, parsePartitionName, sameDefinition } from '../../functions/core/guard/partitions.js';
import { heldTableName } from '../../functions/core/incidents/incident.js';
import { holdsForOf, partitionAlertClaimsOf, partitionHoldOf, withoutGuardRecords } from '../../functions/core/incidents/records.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { judgePartition } from '../../functions/core/judging/partition-judge.js';
import type { PartitionDefinition } from '../../functions/core/ports.js';
import { returnAllHeldPartitions } from '../../functions/core/reviewing/held-partitions.js';
import { resumeTable } from '../../functions/core/reviewing/resume.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { resumeCatalogText } from '../../functions/core/wording/incident.js';
import { type FakePorts, HOME, fakePorts } from '../support/fake-ports.js';
import { type Columns, SHAPES, contractFor, glueTable } from '../support/tables.js';

const ORDERS = { database: 'sales', table: 'orders' };
const HELD = heldTableName('orders');
const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

function partitionedTable(columns: Columns = SHAPES.accepted): Record<string, unknown> {
  return { ...glueTable({ columns }), PartitionKeys: [{ Name: 'dt', Type: 'string' }] };
}

const CONTRACT: Contract = contractFor({ columns: SHAPES.accepted }, { schema: parseGlueTableDocument('contract', partitionedTable()).schema });

/** A partition as a crawler writes it: its own Location and bookkeeping parameters. */
function partition(dt: string, columns: Columns = SHAPES.accepted): PartitionDefinition {
  return {
    Values: [dt],
    StorageDescriptor: { Columns: columns.map(([Name, Type]) => ({ Name, Type })), Location: `s3://bucket/orders/dt=${dt}/`, ...PARQUET },
    Parameters: { classification: 'parquet', recordCount: '12', averageRecordSize: '40', objectCount: '1', sizeKey: '480', UPDATED_BY_CRAWLER: 'orders-crawler', CrawlerSchemaSerializerVersion: '1.0' },
    LastAccessTime: new Date('2026-11-30T00:00:00.000Z'),
  };
}

const days = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `2026-${String(1 + Math.floor((from + i) / 28)).padStart(2, '0')}-${String(1 + ((from + i) % 28)).padStart(2, '0')}`);

function world(): FakePorts {
  const ports = fakePorts();
  ports.jobs.addWorkflow('nightly', [{ name: 'nightly-0200' }], []);
  ports.catalog.write('sales', partitionedTable());
  return ports;
}

function guardOver(ports: FakePorts, settings: Partial<GuardSettings> = {}, contracts: readonly Contract[] = [CONTRACT]) {
  const { catalog, partitions, workflows, pipelines, notifier, events, log, now } = ports;
  return createGuard({ catalog, partitions, workflows, pipelines, notifier, events, contracts: indexContracts(contracts), log, now }, { ...DEFAULT_SETTINGS, ...settings });
}

/** A crawl writes these partitions and Glue sends the event naming them. */
function crawlPartitions(ports: FakePorts, written: readonly PartitionDefinition[]): EventWork {
  for (const p of written) ports.partitions.put('sales', 'orders', p);
  return workFor({
    'detail-type': 'Glue Data Catalog Table State Change',
    detail: { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchCreatePartition', changedPartitions: written.map((p) => `[${p.Values.join(', ')}]`) },
  });
}

function partitionsOutcome(results: readonly { readonly result: TableOutcome }[]) {
  const [first] = results;
  if (first?.result.outcome !== 'partitions') throw new Error(`expected a partition outcome, got ${JSON.stringify(first?.result)}`);
  return first.result.partitions;
}

const origin = (eventId: string) => ({ ...HOME, eventId });

describe('partition events: what the guard reads', () => {
  it('a partition that matches the table (its own Location, crawler bookkeeping) judges compliant', () => {
    expect(judgePartition(CONTRACT, ORDERS, partition('2026-01-01')).verdict).toBe('compliant');
    expect(judgePartition(CONTRACT, ORDERS, partition('2026-01-01', SHAPES.retyped)).verdict).toBe('breaking');
    expect(judgePartition(CONTRACT, ORDERS, partition('2026-01-01', SHAPES.added)).verdict).toBe('allowed');
  });

  it('a partition whose format changed is breaking, as a table\'s would be', () => {
    const csv: PartitionDefinition = { ...partition('2026-01-01'), StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'decimal(10,2)' }], SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde' } }, Parameters: { classification: 'csv' } };
    expect(judgePartition(CONTRACT, ORDERS, csv).verdict).toBe('breaking');
  });

  it('compliant partitions cost one BatchGetPartition and nothing else', async () => {
    const ports = world();
    const event = crawlPartitions(ports, days(0, 100).map((d) => partition(d)));
    ports.forget();
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    expect(outcome).toEqual({ outcome: 'compliant' });
    expect(ports.world.names()).toEqual(['partitions.getPartitions']);
  });

  it('partition deletions and the held table\'s own events cost nothing', async () => {
    const ports = world();
    const deleted = workFor({ 'detail-type': 'Glue Data Catalog Table State Change', detail: { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchDeletePartition', changedPartitions: ['[2026-01-01]'] } });
    const held = workFor({ 'detail-type': 'Glue Data Catalog Table State Change', detail: { databaseName: 'sales', tableName: HELD, typeOfChange: 'BatchCreatePartition', changedPartitions: ['[2026-01-01]'] } });
    const guard = guardOver(ports);
    expect(await guard.handle(deleted, origin('e-1'))).toEqual([]);
    expect(partitionsOutcome(await guard.handle(held, origin('e-2')))).toEqual({ outcome: 'unguarded' });
    expect(ports.world.calls).toEqual([]);
  });

  it('event names: "[v1, v2]" is read only when it has exactly one reading', () => {
    expect(parsePartitionName('[2026, 01]', 2)).toEqual(['2026', '01']);
    expect(parsePartitionName('[a, b, c]', 2)).toBeUndefined();
    expect(parsePartitionName('[2026]', 2)).toBeUndefined();
    expect(parsePartitionName('[]', 1)).toEqual(['']);
    // The developer guide's example form: `2018,01`.
    expect(parsePartitionName('2018,01', 2)).toEqual(['2018', '01']);
    expect(parsePartitionName('2026', 1)).toEqual(['2026']);
    expect(parsePartitionName('a,b,c', 2)).toBeUndefined();
  });

  it('a named partition found nowhere (deleted since, or a name read the wrong way) is looked for in the table\'s list, never taken as compliant', async () => {
    const ports = world();
    ports.partitions.put('sales', 'orders', { ...partition('x', SHAPES.retyped), Values: ['2026,01'] });
    // Read as the developer guide's form, `2026,01` is two values: the one-key table has no such partition.
    const event: EventWork = { kind: 'partitions', table: ORDERS, changedPartitions: ['2026,01'] };
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    expect(outcome.outcome).toBe('held');
    expect(ports.partitions.of('sales', HELD).map((p) => p.Values)).toEqual([['2026,01']]);
  });

  it('a partition deleted since the event costs the reads that prove it, and nothing else', async () => {
    const ports = world();
    const event: EventWork = { kind: 'partitions', table: ORDERS, changedPartitions: ['[2026-01-01]'] };
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    expect(outcome).toEqual({ outcome: 'compliant' });
    expect(ports.world.names()).toEqual(['partitions.getPartitions', 'partitions.getPartitions', 'partitions.listPartitions']);
  });

  it('a name with ", " in a value is never judged unread: the table\'s partitions are read and matched by name', async () => {
    const ports = world();
    const odd = { ...partition('x'), Values: ['a, b'] };
    const event = crawlPartitions(ports, [odd]);
    ports.forget();
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    expect(outcome).toEqual({ outcome: 'compliant' });
    expect(ports.world.names()).toEqual(['partitions.listPartitions']);
  });
});

describe('breaking partitions are moved to the held table', () => {
  it('a crawl adding 250 breaking partitions (3 events): all moved with identical definitions, one alert, the pipeline held', async () => {
    const ports = world();
    const written = days(0, 250).map((d) => partition(d, SHAPES.retyped));
    const events = [written.slice(0, 100), written.slice(100, 200), written.slice(200)].map((batch) => crawlPartitions(ports, batch));
    const guard = guardOver(ports);
    const outcomes = [];
    for (const [i, event] of events.entries()) outcomes.push(partitionsOutcome(await guard.handle(event, origin(`e-${i}`))));

    expect(ports.partitions.of('sales', 'orders')).toEqual([]);
    const held = ports.partitions.of('sales', HELD);
    expect(held).toHaveLength(250);
    for (const original of written) {
      const copy = held.find((p) => p.Values[0] === original.Values[0]);
      expect(copy === undefined ? undefined : sameDefinition(copy, original)).toBe(true);
      expect(copy?.StorageDescriptor).toEqual(original.StorageDescriptor);
      expect(withoutGuardRecords(copy?.Parameters)).toEqual(original.Parameters);
      expect(partitionHoldOf(copy?.Parameters)?.incidentId).toMatch(/^dg-[0-9a-f]{12}$/);
    }
    const incidentIds = new Set(outcomes.flatMap((o) => (o.outcome === 'held' ? o.incidentIds : [])));
    expect(incidentIds.size).toBe(1);
    expect(ports.notifier.published).toHaveLength(1);
    expect(ports.events.published).toHaveLength(1);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('DEACTIVATED');
    const heldTable = ports.catalog.currentOf('sales', HELD)?.document as { Parameters?: Record<string, string>; PartitionKeys?: unknown; StorageDescriptor?: unknown };
    expect(holdsForOf(heldTable.Parameters)).toBe('sales.orders');
    expect(heldTable.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(heldTable.StorageDescriptor).toEqual(written[0]?.StorageDescriptor);
    expect([...partitionAlertClaimsOf(heldTable.Parameters).values()].map((c) => c.alert)).toEqual(['sent']);
    // The alert says which partitions, where they went and how to query them.
    const body = ports.notifier.published[0]?.body ?? '';
    expect(body).toContain('Moved 100 partitions');
    expect(body).toContain('[2026-01-01]');
    expect(body).toContain(`sales.${HELD}`);
    expect(body).toContain('SHOW PARTITIONS');
  });

  it('duplicate and reordered deliveries converge: nothing lost, nothing alerted again', async () => {
    const ports = world();
    const first = crawlPartitions(ports, days(0, 30).map((d) => partition(d, SHAPES.retyped)));
    const second = crawlPartitions(ports, days(30, 30).map((d) => partition(d, SHAPES.retyped)));
    const guard = guardOver(ports);
    await guard.handle(second, origin('e-2'));
    await guard.handle(first, origin('e-1'));
    await guardOver(ports).handle(second, origin('e-2'));
    await guardOver(ports).handle(first, origin('e-1'));
    expect(ports.partitions.of('sales', HELD)).toHaveLength(60);
    expect(ports.partitions.of('sales', 'orders')).toEqual([]);
    expect(ports.notifier.published).toHaveLength(1);
  });

  it('a crash between the copy and the delete leaves the partitions in both places; the retry converges', async () => {
    const ports = world();
    const written = days(0, 40).map((d) => partition(d, SHAPES.retyped));
    const event = crawlPartitions(ports, written);
    ports.world.fail('partitions.deletePartitions');
    await expect(guardOver(ports).handle(event, origin('e-1'))).rejects.toThrow(/injected/);
    expect(ports.partitions.of('sales', HELD)).toHaveLength(40);
    expect(ports.partitions.of('sales', 'orders')).toHaveLength(40);
    await guardOver(ports).handle(event, origin('e-1'));
    expect(ports.partitions.of('sales', HELD)).toHaveLength(40);
    expect(ports.partitions.of('sales', 'orders')).toEqual([]);
    expect(ports.notifier.published).toHaveLength(1);
  });

  it('a delivery that dies before alerting: a redelivery within the claim timeout retries later, past it alerts (at least once)', async () => {
    const ports = world();
    const event = crawlPartitions(ports, days(0, 10).map((d) => partition(d, SHAPES.retyped)));
    ports.world.fail('notifier.publish');
    await expect(guardOver(ports).handle(event, origin('e-1'))).rejects.toThrow(/injected/);
    expect(ports.partitions.of('sales', HELD)).toHaveLength(10);
    await expect(guardOver(ports).handle(event, origin('e-1'))).rejects.toBeInstanceOf(PartitionIncidentInFlightError);
    ports.advance(DEFAULT_SETTINGS.claimTimeoutMs + 1);
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    expect(outcome.outcome === 'held' && outcome.alerted).toBe(true);
    expect(ports.notifier.published).toHaveLength(1);
    expect(ports.notifier.published[0]?.body).toContain('[2026-01-01]');
  });

  it('concurrent deliveries of a storm claim the alert once (the held table\'s VersionId lock)', async () => {
    const ports = world();
    const a = crawlPartitions(ports, days(0, 20).map((d) => partition(d, SHAPES.retyped)));
    const b = crawlPartitions(ports, days(20, 20).map((d) => partition(d, SHAPES.retyped)));
    const c = crawlPartitions(ports, days(40, 20).map((d) => partition(d, SHAPES.retyped)));
    await Promise.all([guardOver(ports).handle(a, origin('e-a')), guardOver(ports).handle(b, origin('e-b')), guardOver(ports).handle(c, origin('e-c'))]);
    expect(ports.partitions.of('sales', HELD)).toHaveLength(60);
    expect(ports.notifier.published).toHaveLength(1);
  });

  it('a held partition with the same values but another definition is never overwritten: left in place and reported', async () => {
    const ports = world();
    await guardOver(ports).handle(crawlPartitions(ports, [partition('2026-01-01', SHAPES.retyped)]), origin('e-1'));
    const again = { ...partition('2026-01-01', SHAPES.retyped), Parameters: { classification: 'parquet', recordCount: '99' } };
    const outcome = partitionsOutcome(await guardOver(ports).handle(crawlPartitions(ports, [again]), origin('e-2')));
    expect(ports.partitions.of('sales', 'orders')).toHaveLength(1);
    expect(withoutGuardRecords(ports.partitions.of('sales', HELD)[0]?.Parameters).recordCount).toBe('12');
    expect(outcome.outcome === 'held' ? outcome.reports[0]?.partitions?.conflicts : undefined).toEqual([['2026-01-01']]);
  });

  it('different breaking schemas are different incidents; allowed partition drift moves nothing and alerts nothing', async () => {
    const ports = world();
    const event = crawlPartitions(ports, [partition('2026-01-01', SHAPES.retyped), partition('2026-01-02', SHAPES.dropped), partition('2026-01-03', SHAPES.added)]);
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    expect(outcome.outcome === 'held' ? outcome.incidentIds : []).toHaveLength(2);
    expect(ports.notifier.published).toHaveLength(2);
    expect(ports.partitions.of('sales', 'orders').map((p) => p.Values)).toEqual([['2026-01-03']]);
  });

  it('observe mode reports and moves nothing', async () => {
    const ports = world();
    const event = crawlPartitions(ports, days(0, 5).map((d) => partition(d, SHAPES.retyped)));
    const outcome = partitionsOutcome(await guardOver(ports, { mode: 'observe' }).handle(event, origin('e-1')));
    expect(outcome.outcome).toBe('observed');
    expect(ports.partitions.of('sales', 'orders')).toHaveLength(5);
    expect(ports.catalog.currentOf('sales', HELD)).toBeUndefined();
    expect(ports.notifier.published).toHaveLength(1);
    expect(ports.notifier.published[0]?.body).toContain('observe mode');
  });

  it('a table of the held table\'s name that the guard did not create is never written to', async () => {
    const ports = world();
    ports.catalog.write('sales', { ...glueTable({ name: HELD, columns: SHAPES.accepted }) });
    const event = crawlPartitions(ports, [partition('2026-01-01', SHAPES.retyped)]);
    await expect(guardOver(ports).handle(event, origin('e-1'))).rejects.toThrow(/not the guard's held table/);
    expect(ports.partitions.of('sales', 'orders')).toHaveLength(1);
    expect(ports.partitions.of('sales', HELD)).toEqual([]);
  });
});

describe('the held table\'s name', () => {
  it('is derived, lower case, within Glue\'s 255 bytes, and hashed when the name is long or not Athena-safe', () => {
    expect(heldTableName('Orders')).toBe('orders_drift_guard_held');
    const long = heldTableName('t'.repeat(255));
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toMatch(/^t+_[0-9a-f]{12}_drift_guard_held$/);
    expect(heldTableName('t'.repeat(255))).not.toBe(heldTableName(`${'t'.repeat(254)}u`));
    expect(heldTableName('we"ird name;')).toMatch(/^dg_[0-9a-f]{12}_drift_guard_held$/);
  });
});

describe('coming back: approval, reconcile and resume', () => {
  /** The contract v2 a reviewer approved: `amount` is a string now. */
  const APPROVED: Contract = { ...contractFor({ columns: SHAPES.retyped }, { schema: parseGlueTableDocument('contract', partitionedTable(SHAPES.retyped)).schema }), version: 2 };

  async function heldWorld() {
    const ports = world();
    const written = days(0, 120).map((d) => partition(d, SHAPES.retyped));
    const event = crawlPartitions(ports, written);
    const outcome = partitionsOutcome(await guardOver(ports).handle(event, origin('e-1')));
    const incidentId = outcome.outcome === 'held' ? outcome.incidentIds[0] ?? '' : '';
    return { ports, written, incidentId };
  }

  it('once the deployed contract accepts them, reconcile moves held partitions back exactly as they were and deletes the emptied held table', async () => {
    const { ports, written } = await heldWorld();
    const deps = { catalog: ports.catalog, partitions: ports.partitions, contracts: indexContracts([APPROVED]), log: ports.log };
    const [result] = await returnAllHeldPartitions(deps, () => Promise.resolve(new Set<string>()));
    expect(result?.returned).toHaveLength(120);
    expect(result?.heldTableDeleted).toBe(true);
    const back = ports.partitions.of('sales', 'orders');
    expect(back).toHaveLength(120);
    for (const original of written) expect(back.find((p) => p.Values[0] === original.Values[0])).toEqual(original);
    expect(ports.catalog.currentOf('sales', HELD)).toBeUndefined();
  });

  it('under the old contract nothing comes back; a held table of an open incident is kept', async () => {
    const { ports, incidentId } = await heldWorld();
    const [kept] = await returnAllHeldPartitions({ catalog: ports.catalog, partitions: ports.partitions, contracts: indexContracts([CONTRACT]), log: ports.log }, () => Promise.resolve(new Set<string>()));
    expect(kept?.returned).toEqual([]);
    expect(kept?.stillHeld).toHaveLength(120);
    const [open] = await returnAllHeldPartitions({ catalog: ports.catalog, partitions: ports.partitions, contracts: indexContracts([APPROVED]), log: ports.log }, () => Promise.resolve(new Set([incidentId])));
    expect(open?.returned).toHaveLength(120);
    expect(open?.heldTableDeleted).toBe(false);
  });

  it('a partition the table has again is never overwritten: it stays held and is reported', async () => {
    const { ports } = await heldWorld();
    const newer = partition('2026-01-01', SHAPES.retyped);
    ports.partitions.put('sales', 'orders', { ...newer, Parameters: { classification: 'parquet', recordCount: '1' } });
    const [result] = await returnAllHeldPartitions({ catalog: ports.catalog, partitions: ports.partitions, contracts: indexContracts([APPROVED]), log: ports.log }, () => Promise.resolve(new Set<string>()));
    expect(result?.conflicts).toEqual([['2026-01-01']]);
    expect(result?.returned).toHaveLength(119);
    expect(ports.partitions.of('sales', HELD).map((p) => p.Values)).toEqual([['2026-01-01']]);
    expect(ports.partitions.of('sales', 'orders').find((p) => p.Values[0] === '2026-01-01')?.Parameters?.recordCount).toBe('1');
  });

  it('a crawl that changes the table and writes partitions with its schema: approving the table incident brings both back', async () => {
    const ports = world();
    const guard = guardOver(ports);
    // The crawl: the table's next version and its partitions, with the same breaking schema.
    ports.catalog.write('sales', partitionedTable(SHAPES.retyped));
    const table = await guard.handle({ kind: 'tables', tables: [ORDERS] }, origin('e-table'));
    const tableIncident = table[0]?.result.outcome === 'blocked' ? table[0].result.incidentId : '';
    const event = crawlPartitions(ports, days(0, 40).map((d) => partition(d, SHAPES.retyped)));
    const held = partitionsOutcome(await guard.handle(event, origin('e-partitions')));
    expect(held.outcome).toBe('held');
    expect(ports.partitions.of('sales', 'orders')).toEqual([]);
    // The reviewers approve the table incident's schema (contract v2); reconcile completes it and the held pass runs.
    const deps = { catalog: ports.catalog, partitions: ports.partitions, pipelines: ports.pipelines };
    const resumed = await resumeTable(deps, APPROVED, ORDERS, HOME, { incidentId: tableIncident });
    expect(resumed.catalogNote.kind).toBe('wrote-back');
    const [back] = await returnAllHeldPartitions({ ...deps, contracts: indexContracts([APPROVED]), log: ports.log }, () => Promise.resolve(new Set<string>()));
    expect(back?.returned).toHaveLength(40);
    const current = ports.catalog.currentOf('sales', 'orders');
    expect(current === undefined ? undefined : judgeDocument(APPROVED, 'now', current.document).verdict).toBe('compliant');
    expect(ports.partitions.of('sales', 'orders').every((p) => judgePartition(APPROVED, ORDERS, p).verdict === 'compliant')).toBe(true);
  });

  it('resume: refused while the contract rejects them; --keep-current releases the pipeline and says where they stay; after approval they come back', async () => {
    const { ports, incidentId } = await heldWorld();
    const deps = { catalog: ports.catalog, partitions: ports.partitions, pipelines: ports.pipelines };
    await expect(resumeTable(deps, CONTRACT, ORDERS, HOME, { incidentId })).rejects.toThrow(/still rejects 120 partitions/);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('DEACTIVATED');
    const kept = await resumeTable(deps, CONTRACT, ORDERS, HOME, { incidentId, keepCurrent: true });
    expect(kept.catalogNote).toEqual({ kind: 'partitions', heldTable: `sales.${HELD}`, returned: 0, stillHeld: 120, conflicts: 0 });
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('ACTIVATED');
    expect(resumeCatalogText(kept.catalogNote)).toContain(`stay held in sales.${HELD}`);
    const approved = await resumeTable(deps, APPROVED, ORDERS, HOME, { incidentId });
    expect(approved.catalogNote).toMatchObject({ kind: 'partitions', returned: 120, stillHeld: 0 });
    expect(ports.partitions.of('sales', 'orders')).toHaveLength(120);
  });
});

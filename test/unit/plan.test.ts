/**
 * The guard's planner with plain data: one test (or more) per plan branch. No ports, no clock but the one given.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { type PlanInput, type PlanSettings, type TablePlan, planTable } from '../../functions/core/guard/plan.js';
import { incidentIdFor } from '../../functions/core/incidents/incident.js';
import { type RestoreNote, versionNoteParameters } from '../../functions/core/incidents/records.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import type { StoredTable } from '../../functions/core/ports.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';

const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

type Columns = readonly (readonly [string, string])[];

function glueTable(columns: Columns, parameters: Record<string, string> = {}): Record<string, unknown> {
  return {
    Name: 'orders',
    DatabaseName: 'sales',
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: { Columns: columns.map(([Name, Type]) => ({ Name, Type })), Location: 's3://bucket/orders/', ...PARQUET },
    Parameters: { classification: 'parquet', ...parameters },
  };
}

function stored(versionId: string, columns: Columns, parameters: Record<string, string> = {}): StoredTable {
  return { versionId, document: { ...glueTable(columns, parameters), VersionId: versionId } };
}

const V1: Columns = [
  ['id', 'bigint'],
  ['amount', 'decimal(10,2)'],
];
const ADDED: Columns = [...V1, ['note', 'string']];
const RETYPED: Columns = [
  ['id', 'bigint'],
  ['amount', 'string'],
];
const DROPPED: Columns = [['id', 'bigint']];

function contractFor(columns: Columns, overrides: Partial<Contract> = {}): Contract {
  return {
    version: 1,
    status: 'approved',
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: ['nightly'],
    owners: ['team'],
    approval: { reviewer: 'a', approvedAt: '2026-01-01T00:00:00Z', reason: 'r', acknowledges: [] },
    schema: parseGlueTableDocument('contract', glueTable(columns)).schema,
    ...overrides,
  };
}

const SETTINGS: PlanSettings = { mode: 'enforce', infoAlerts: true, claimTimeoutMs: 90_000, stopRunningRuns: false };
const NOW = new Date('2026-12-01T10:00:00.000Z');
const ORIGIN = { region: 'eu-west-1', account: '111122223333', eventId: 'event-1' };

function input(current: StoredTable | undefined, overrides: Partial<PlanInput<StoredTable>> = {}): PlanInput<StoredTable> {
  const contract = overrides.contract ?? contractFor(V1);
  return {
    contract,
    ref: { database: 'sales', table: 'orders' },
    origin: ORIGIN,
    current,
    judged: (s) => judgeDocument(contract, `v${s.versionId}`, s.document),
    settings: SETTINGS,
    now: NOW,
    quiet: false,
    alreadyAlerted: () => false,
    ...overrides,
  };
}

/** Plans twice when the first plan asks for versions, as the executor does. */
function plan(current: StoredTable | undefined, versions: readonly StoredTable[], overrides: Partial<PlanInput<StoredTable>> = {}): TablePlan<StoredTable> {
  const first = planTable(input(current, overrides));
  return first.kind === 'read-versions' ? planTable(input(current, { ...overrides, versions })) : first;
}

const pendingNote = (overrides: Partial<RestoreNote> = {}): RestoreNote => ({
  kind: 'restore',
  incidentId: incidentIdFor('sales', 'orders', '3'),
  restoredFrom: '2',
  replaced: '3',
  alert: 'pending',
  eventId: 'event-1',
  claimedAt: new Date(NOW.getTime() - 10_000).toISOString(),
  ...overrides,
});

describe('planTable', () => {
  it.each([
    [undefined, false, false],
    [undefined, true, true],
    [true, false, true],
    [false, true, false],
  ] as const)('the incident stops RUNNING runs as the contract (%s) or else the deployment (%s) says: %s', (contractSetting, deploySetting, expected) => {
    const contract = contractFor(V1, contractSetting === undefined ? {} : { stopRunningRuns: contractSetting });
    const result = plan(stored('3', RETYPED), [stored('3', RETYPED), stored('2', V1)], { contract, settings: { ...SETTINGS, stopRunningRuns: deploySetting } });
    if (result.kind !== 'restore') throw new Error(`expected restore, got ${result.kind}`);
    expect(result.incident.stopRunningRuns).toBe(expected);
  });

  it('missing: the table is gone', () => {
    expect(planTable(input(undefined))).toEqual({ kind: 'missing' });
  });

  it('compliant: the table matches its contract, with no version read', () => {
    expect(planTable(input(stored('5', V1)))).toEqual({ kind: 'compliant' });
  });

  describe('an earlier delivery of this event restored the table', () => {
    const restored = (note: RestoreNote, versionId = '4') => stored(versionId, V1, versionNoteParameters(note));

    it('in-flight: its pending claim is younger than the timeout', () => {
      const result = planTable(input(restored(pendingNote())));
      expect(result).toEqual({ kind: 'in-flight', incidentId: incidentIdFor('sales', 'orders', '3'), retryInMs: 80_000 });
    });

    it('finish-alert: its claim is past the timeout; the replaced version is judged, the confirmation locks on the restored one', () => {
      const note = pendingNote({ claimedAt: new Date(NOW.getTime() - 91_000).toISOString() });
      const current = restored(note);
      const result = plan(current, [current, stored('3', RETYPED), stored('2', V1)]);
      if (result.kind !== 'finish-alert') throw new Error(`expected finish-alert, got ${result.kind}`);
      expect(result.incident.incidentId).toBe(note.incidentId);
      expect(result.incident.offendingVersionId).toBe('3');
      expect(result.incident.judgement.findings.map((f) => f.ruleId)).toEqual(['TYPE_CHANGED']);
      expect(result.restoredFromVersionId).toBe('2');
      expect(result.confirm).toEqual({ version: current, expectedVersionId: '4', note: { ...note, alert: 'sent' } });
    });

    it('finish-alert: the replaced version was deleted by retention: the restored table stands in for it', () => {
      const note = pendingNote({ claimedAt: new Date(NOW.getTime() - 91_000).toISOString() });
      const current = restored(note);
      const result = plan(current, [current]);
      expect(result.kind === 'finish-alert' ? result.incident.judgement.verdict : result.kind).toBe('compliant');
    });

    it('a claim by another event is not this delivery’s: the table is judged as usual', () => {
      expect(planTable(input(restored(pendingNote({ eventId: 'event-2' }))))).toEqual({ kind: 'compliant' });
    });

    it('a claim copied into a later version by someone else’s write is stale: judged as usual', () => {
      const copied = stored('6', RETYPED, versionNoteParameters(pendingNote()));
      expect(planTable(input(copied)).kind).toBe('read-versions');
    });

    it('a confirmed (sent) claim is never in flight', () => {
      const sent = stored('5', V1, versionNoteParameters(pendingNote({ alert: 'sent' })));
      expect(planTable(input(sent))).toEqual({ kind: 'compliant' });
    });
  });

  describe('the table is the guard’s own restore', () => {
    const restoreOf = (alert: 'pending' | 'sent', versionId: string) =>
      stored(versionId, V1, { UPDATED_BY_CRAWLER: 'orders-crawler', ...versionNoteParameters(pendingNote({ alert, eventId: 'event-0' })) });

    it('complete: the deployed contract now accepts the schema it blocked: that incident is completed, no new one', () => {
      const approved = contractFor(RETYPED, { version: 2 });
      for (const current of [restoreOf('pending', '4'), restoreOf('sent', '5')]) {
        const result = plan(current, [current, stored('3', RETYPED, { UPDATED_BY_CRAWLER: 'orders-crawler' }), stored('2', V1)], { contract: approved });
        expect(result).toEqual({ kind: 'complete', incidentId: pendingNote().incidentId, blockedVersionId: '3' });
      }
    });

    it('a contract that accepts neither is a new incident, never blamed on the crawler whose version the restore copied', () => {
      const current = restoreOf('sent', '5');
      const result = plan(current, [current, stored('3', RETYPED), stored('2', V1)], { contract: contractFor(ADDED, { version: 2 }) });
      if (result.kind !== 'cannot-restore' && result.kind !== 'restore') throw new Error(`expected an incident, got ${result.kind}`);
      expect(result.incident.crawler).toBeUndefined();
      expect(result.incident.incidentId).toBe(incidentIdFor('sales', 'orders', '5'));
    });

    it('a crawler’s own write is still attributed to it', () => {
      const current = stored('4', DROPPED, { UPDATED_BY_CRAWLER: 'orders-crawler' });
      const result = plan(current, [current, stored('3', V1)]);
      expect(result.kind === 'restore' ? result.incident.crawler : result.kind).toBe('orders-crawler');
    });
  });

  describe('incident ids', () => {
    it('the same drift has the same id on every delivery; a re-created table’s drift at the same VersionId has another', () => {
      const at = (createTime: string) => ({ versionId: '2', document: { ...glueTable(ADDED), VersionId: '2', CreateTime: createTime } });
      const idOf = (s: StoredTable) => {
        const result = plan(s, [s, { versionId: '1', document: { ...glueTable(V1), VersionId: '1' } }]);
        return result.kind === 'report' ? result.incident.incidentId : result.kind;
      };
      expect(idOf(at('2026-11-01T08:00:00.000Z'))).toBe(idOf(at('2026-11-01T08:00:00.000Z')));
      expect(idOf(at('2026-11-01T08:00:00.000Z'))).not.toBe(idOf(at('2026-11-30T08:00:00.000Z')));
    });
  });

  describe('allowed drift', () => {
    it('asks for the versions, then reports it with an alert when it is new', () => {
      const current = stored('4', ADDED);
      expect(planTable(input(current))).toEqual({ kind: 'read-versions' });
      const result = plan(current, [current, stored('3', V1)]);
      expect(result).toMatchObject({ kind: 'report', outcome: 'allowed', alert: true });
      expect(result.kind === 'report' ? result.incident.incidentId : '').toBe(incidentIdFor('sales', 'orders', '4'));
      expect(result.kind === 'report' ? result.incident.dependentWorkflows : []).toEqual(['nightly']);
    });

    it('no alert when the version that last stood had the same drift (a restore of it, a redelivery)', () => {
      const current = stored('6', ADDED);
      const result = plan(current, [current, stored('5', RETYPED), stored('4', ADDED), stored('3', V1)]);
      expect(result).toMatchObject({ kind: 'report', outcome: 'allowed', alert: false });
    });

    it('no alert and no version read when informational alerts are off, on a crawler event, or already alerted here', () => {
      const current = stored('4', ADDED);
      for (const overrides of [{ settings: { ...SETTINGS, infoAlerts: false } }, { quiet: true }, { alreadyAlerted: () => true }]) {
        expect(planTable(input(current, overrides))).toMatchObject({ kind: 'report', outcome: 'allowed', alert: false });
      }
    });
  });

  describe('breaking drift, observed', () => {
    it('a contract in observe mode reports it (observed), never restores', () => {
      const current = stored('4', DROPPED);
      const result = plan(current, [current, stored('3', V1)], { contract: contractFor(V1, { enforcement: 'observe' }) });
      expect(result).toMatchObject({ kind: 'report', outcome: 'observed', alert: true });
    });

    it('a guard in observe mode reports it whatever the contract says', () => {
      const current = stored('4', DROPPED);
      const result = plan(current, [current, stored('3', V1)], { settings: { ...SETTINGS, mode: 'observe' } });
      expect(result).toMatchObject({ kind: 'report', outcome: 'observed', alert: true });
    });
  });

  describe('breaking drift, enforced', () => {
    it('restore: the newest earlier version the contract accepts, claiming the alert for this event; the confirmation follows it', () => {
      const current = stored('7', DROPPED);
      const versions = [current, stored('6', RETYPED), stored('5', ADDED), stored('4', V1)];
      expect(planTable(input(current))).toEqual({ kind: 'read-versions' });
      const result = plan(current, versions);
      if (result.kind !== 'restore') throw new Error(`expected restore, got ${result.kind}`);
      const note: RestoreNote = {
        kind: 'restore',
        incidentId: incidentIdFor('sales', 'orders', '7'),
        restoredFrom: '5',
        replaced: '7',
        alert: 'pending',
        eventId: 'event-1',
        claimedAt: NOW.toISOString(),
      };
      expect(result.restore).toEqual({ version: versions[2], expectedVersionId: '7', note });
      expect(result.confirm).toEqual({ version: versions[2], expectedVersionId: '8', note: { ...note, alert: 'sent' } });
      expect(result.incident.offendingVersionId).toBe('7');
    });

    it('versions are compared as integers in strings, beyond 2^53 and in any order', () => {
      const big = '9007199254740993';
      const current = stored(big, DROPPED);
      const result = plan(current, [stored('9007199254740991', V1), current, stored('9007199254740992', RETYPED)]);
      expect(result.kind === 'restore' ? [result.restore.version.versionId, result.confirm.expectedVersionId] : result.kind).toEqual([
        '9007199254740991',
        '9007199254740994',
      ]);
    });

    it('an unreadable table is breaking, never compliant, and restored', () => {
      const current: StoredTable = { versionId: '4', document: { Name: 'orders', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'struct<' }] } } };
      const result = plan(current, [current, stored('3', V1)]);
      expect(result.kind === 'restore' ? result.incident.judgement.findings.map((f) => f.ruleId) : result.kind).toEqual(['SCHEMA_UNREADABLE']);
    });

    it('cannot-restore: no earlier version is accepted: hold and alert', () => {
      const current = stored('2', DROPPED);
      const result = plan(current, [current, stored('1', RETYPED)]);
      expect(result).toMatchObject({ kind: 'cannot-restore', reason: { code: 'no-accepted-version' }, hold: true, alert: true });
    });

    it('cannot-restore: a drift an older version already had is neither held nor alerted again', () => {
      const current = stored('3', DROPPED, { recordCount: '10' });
      const result = plan(current, [current, stored('2', DROPPED), stored('1', RETYPED)]);
      expect(result).toMatchObject({ kind: 'cannot-restore', hold: false, alert: false });
    });

    it('cannot-restore: on a crawler event it holds but does not alert; nor when this container alerted it', () => {
      const current = stored('2', DROPPED);
      for (const overrides of [{ quiet: true }, { alreadyAlerted: () => true }]) {
        expect(plan(current, [current], overrides)).toMatchObject({ kind: 'cannot-restore', hold: true, alert: false });
      }
    });

    it('cannot-restore: an incident open by the guard’s records in AWS is neither held nor alerted again', () => {
      const current = stored('2', DROPPED);
      const open = incidentIdFor('sales', 'orders', '2');
      expect(plan(current, [current], { openIncident: (id) => id === open })).toMatchObject({ kind: 'cannot-restore', hold: false, alert: false });
      expect(plan(current, [current], { openIncident: () => false })).toMatchObject({ kind: 'cannot-restore', hold: true, alert: true });
    });

    it('a sweep: restores and opens incidents as an event would, but reports allowed and observed drift quietly, reading no version', () => {
      const added = stored('2', ADDED);
      expect(planTable(input(added, { sweep: true }))).toMatchObject({ kind: 'report', outcome: 'allowed', alert: false });
      const dropped = stored('2', DROPPED);
      expect(planTable(input(dropped, { sweep: true, settings: { ...SETTINGS, mode: 'observe' } }))).toMatchObject({ kind: 'report', outcome: 'observed', alert: false });
      expect(plan(dropped, [dropped, stored('1', V1)], { sweep: true })).toMatchObject({ kind: 'restore', restore: { expectedVersionId: '2' } });
      expect(plan(dropped, [dropped], { sweep: true })).toMatchObject({ kind: 'cannot-restore', hold: true, alert: true });
    });

    it('cannot-restore: open table formats are never rolled back, even with an accepted version at hand', () => {
      const iceberg = { table_type: 'ICEBERG', metadata_location: 's3://bucket/orders/metadata/2.json' };
      const contract = { ...contractFor(V1), schema: parseGlueTableDocument('contract', glueTable(V1, iceberg)).schema };
      const current = stored('4', DROPPED, iceberg);
      const result = plan(current, [current, stored('3', V1, iceberg)], { contract });
      expect(result.kind === 'cannot-restore' ? result.reason : result.kind).toEqual({ code: 'data-pointer-format', format: 'iceberg' });
    });
  });
});

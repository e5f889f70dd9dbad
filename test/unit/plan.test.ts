/**
 * The guard's planner with plain data: one test (or more) per plan branch. No ports, no clock but the one given.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { MAX_VERSIONS_WALKED, type PlanInput, type PlanSettings, type TablePlan, planTable } from '../../functions/core/guard/plan.js';
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

/**
 * Plans as the executor does: each `read-version` answered from `versions` (the versions Glue still stores; any
 * other id is not found), until the plan needs none. `asked`: the ids read, in order.
 */
function planned(
  current: StoredTable | undefined,
  versions: readonly StoredTable[],
  overrides: Partial<PlanInput<StoredTable>> = {},
): { readonly result: TablePlan<StoredTable>; readonly asked: readonly string[] } {
  const read = new Map<string, StoredTable | undefined>();
  let result = planTable(input(current, overrides));
  while (result.kind === 'read-version') {
    const id = result.versionId;
    if (read.has(id) || read.size > MAX_VERSIONS_WALKED + 2) throw new Error(`the plan asked for ${id} again, or for too many versions`);
    read.set(id, versions.find((v) => v.versionId === id));
    result = planTable(input(current, { ...overrides, versions: read }));
  }
  return { result, asked: [...read.keys()] };
}

function plan(current: StoredTable | undefined, versions: readonly StoredTable[], overrides: Partial<PlanInput<StoredTable>> = {}): TablePlan<StoredTable> {
  return planned(current, versions, overrides).result;
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
      expect(planTable(input(copied))).toEqual({ kind: 'read-version', versionId: '5' });
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
      expect(planTable(input(current))).toEqual({ kind: 'read-version', versionId: '3' });
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
      expect(planTable(input(current))).toEqual({ kind: 'read-version', versionId: '6' });
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

    it('cannot-restore: no version of the table was ever accepted (its whole history read): hold and alert, nothing invented', () => {
      const current = stored('2', DROPPED);
      const { result, asked } = planned(current, [current, stored('1', RETYPED), stored('0', RETYPED)]);
      expect(asked).toEqual(['1', '0']);
      expect(result).toMatchObject({ kind: 'cannot-restore', reason: { code: 'no-accepted-version' }, hold: true, alert: true });
    });

    it('cannot-restore: a drift an older version already had is neither held nor alerted again', () => {
      const current = stored('3', DROPPED, { recordCount: '10' });
      const result = plan(current, [current, stored('2', DROPPED), stored('1', RETYPED), stored('0', RETYPED)]);
      expect(result).toMatchObject({ kind: 'cannot-restore', hold: false, alert: false });
    });

    it('cannot-restore: on a crawler event it holds but does not alert; nor when this container alerted it', () => {
      const current = stored('0', DROPPED);
      for (const overrides of [{ quiet: true }, { alreadyAlerted: () => true }]) {
        expect(plan(current, [current], overrides)).toMatchObject({ kind: 'cannot-restore', hold: true, alert: false });
      }
    });

    it('cannot-restore: an incident open by the guard’s records in AWS is neither held nor alerted again', () => {
      const current = stored('0', DROPPED);
      const open = incidentIdFor('sales', 'orders', '0');
      expect(plan(current, [current], { openIncident: (id) => id === open })).toMatchObject({ kind: 'cannot-restore', hold: false, alert: false });
      expect(plan(current, [current], { openIncident: () => false })).toMatchObject({ kind: 'cannot-restore', hold: true, alert: true });
    });

    it('a sweep: restores and opens incidents as an event would, but reports allowed and observed drift quietly, reading no version', () => {
      const added = stored('2', ADDED);
      expect(planTable(input(added, { sweep: true }))).toMatchObject({ kind: 'report', outcome: 'allowed', alert: false });
      const dropped = stored('2', DROPPED);
      expect(planTable(input(dropped, { sweep: true, settings: { ...SETTINGS, mode: 'observe' } }))).toMatchObject({ kind: 'report', outcome: 'observed', alert: false });
      expect(plan(dropped, [dropped, stored('1', V1)], { sweep: true })).toMatchObject({ kind: 'restore', restore: { expectedVersionId: '2' } });
      const born = stored('0', DROPPED);
      expect(plan(born, [born], { sweep: true })).toMatchObject({ kind: 'cannot-restore', hold: true, alert: true });
    });

    it('cannot-restore: open table formats are never rolled back, even with an accepted version at hand', () => {
      const iceberg = { table_type: 'ICEBERG', metadata_location: 's3://bucket/orders/metadata/2.json' };
      const contract = { ...contractFor(V1), schema: parseGlueTableDocument('contract', glueTable(V1, iceberg)).schema };
      const current = stored('4', DROPPED, iceberg);
      const result = plan(current, [current, stored('3', V1, iceberg)], { contract });
      expect(result.kind === 'cannot-restore' ? result.reason : result.kind).toEqual({ code: 'data-pointer-format', format: 'iceberg' });
    });
  });
  describe('versions read by id, a bounded number, whatever the history', () => {
    const far = (from: number, to: number, columns: Columns): StoredTable[] => Array.from({ length: from - to + 1 }, (_, i) => stored(String(from - i), columns));

    it('a breaking event reads only the version before the current one when the contract accepts it', () => {
      const current = stored('99999', DROPPED);
      const { result, asked } = planned(current, [current, ...far(99998, 0, V1)]);
      expect(asked).toEqual(['99998']);
      expect(result.kind === 'restore' ? result.restore.note.restoredFrom : result.kind).toBe('99998');
    });

    it(`walks back through breaking and deleted versions, at most ${String(MAX_VERSIONS_WALKED)}; never further`, () => {
      const current = stored('10', DROPPED);
      // 8 was deleted by retention; 6 is accepted but out of reach.
      const { result, asked } = planned(current, [current, stored('9', RETYPED), stored('7', RETYPED), stored('6', V1)]);
      expect(asked).toEqual(['9', '8', '7']);
      expect(result.kind === 'restore' ? result.restore.note.restoredFrom : result.kind).toBe('contract-v1');
    });

    it('then the version the contract was approved from (x-approval.glueVersionId), when Glue still has it and the contract accepts it', () => {
      const current = stored('10', DROPPED);
      const contract = contractFor(V1, { approval: { reviewer: 'a', approvedAt: '2026-01-01T00:00:00Z', reason: 'r', glueVersionId: '2', acknowledges: [] } });
      const { result, asked } = planned(current, [current, ...far(9, 3, RETYPED), stored('2', V1)], { contract });
      expect(asked).toEqual(['9', '8', '7', '2']);
      if (result.kind !== 'restore') throw new Error(`expected restore, got ${result.kind}`);
      expect([result.restore.version.versionId, result.restore.note.restoredFrom]).toEqual(['2', '2']);
    });

    it('else the contract applied to the current table: what it governs from the contract, the rest kept; judged before it is written', () => {
      const document = {
        ...glueTable(RETYPED, { recordCount: '42', UPDATED_BY_CRAWLER: 'orders-crawler', 'skip.header.line.count': '1' }),
        VersionId: '10',
        Owner: 'etl',
        Description: 'orders, one row per order',
        StorageDescriptor: {
          Columns: [
            { Name: 'ID', Type: 'bigint', Parameters: { 'pii': 'no' } },
            { Name: 'amount', Type: 'string', Comment: 'now a string' },
          ],
          Location: 's3://bucket/orders-v2/',
          Compressed: true,
          ...PARQUET,
          SerdeInfo: { ...PARQUET.SerdeInfo, Parameters: { paths: 'ID,amount' } },
        },
      };
      const current: StoredTable = { versionId: '10', document };
      const { result, asked } = planned(current, [current]);
      expect(asked).toEqual(['9', '8', '7']);
      if (result.kind !== 'restore') throw new Error(`expected restore, got ${result.kind}`);
      const built = result.restore.version.document;
      expect(built).toMatchObject({
        Name: 'orders',
        Owner: 'etl',
        Description: 'orders, one row per order',
        Parameters: { classification: 'parquet', recordCount: '42', UPDATED_BY_CRAWLER: 'orders-crawler' },
        StorageDescriptor: {
          Columns: [
            { Name: 'id', Type: 'bigint', Parameters: { pii: 'no' } },
            { Name: 'amount', Type: 'decimal(10,2)' },
          ],
          Location: 's3://bucket/orders/',
          Compressed: true,
          SerdeInfo: { Parameters: {} },
        },
      });
      expect(built).not.toHaveProperty('Parameters.skip\\.header\\.line\\.count');
      expect(judgeDocument(contractFor(V1), 'built', built).verdict).toBe('compliant');
      expect(result.restore.note).toMatchObject({ restoredFrom: 'contract-v1', replaced: '10' });
      expect(result.confirm).toMatchObject({ version: result.restore.version, expectedVersionId: '11' });
    });

    it('a contract-applied definition the judge does not accept is never written: cannot-restore', () => {
      // A table known by its classification alone: the classification is bookkeeping the contract does not set, so the
      // built definition keeps the current one (csv), and the judge finds the format is not the contract's (json).
      const bare = (columns: Columns, classification: string) => ({
        Name: 'orders',
        DatabaseName: 'sales',
        StorageDescriptor: { Columns: columns.map(([Name, Type]) => ({ Name, Type })), Location: 's3://bucket/orders/' },
        Parameters: { classification },
      });
      const contract = contractFor(V1, { schema: parseGlueTableDocument('contract', bare(V1, 'json')).schema });
      const current: StoredTable = { versionId: '10', document: { ...bare(DROPPED, 'csv'), VersionId: '10' } };
      const result = plan(current, [current], { contract });
      expect(result).toMatchObject({ kind: 'cannot-restore', reason: { code: 'no-accepted-version' } });
    });

    it('is this drift new? bounded too: past the reach it is new (one alert more, never a silence)', () => {
      const current = stored('10', ADDED);
      const { result, asked } = planned(current, [current, ...far(9, 7, RETYPED), stored('6', ADDED)]);
      expect(asked).toEqual(['9', '8', '7']);
      expect(result).toMatchObject({ kind: 'report', outcome: 'allowed', alert: true });
    });

    it('finish-alert and complete read the one version the guard’s note names', () => {
      const stale = pendingNote({ claimedAt: new Date(NOW.getTime() - 91_000).toISOString() });
      const finishing = stored('4', V1, versionNoteParameters(stale));
      expect(planned(finishing, [finishing, stored('3', RETYPED)]).asked).toEqual(['3']);
      const restored = stored('5', V1, versionNoteParameters(pendingNote({ alert: 'sent', eventId: 'event-0' })));
      const { result, asked } = planned(restored, [restored, stored('3', RETYPED)], { contract: contractFor(RETYPED, { version: 2 }) });
      expect(asked).toEqual(['3']);
      expect(result).toMatchObject({ kind: 'complete', blockedVersionId: '3' });
    });
  });
});

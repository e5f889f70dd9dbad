/**
 * The reviewer's side on in-memory ports: resume (and the open incidents it picks from), approve, history, audit
 * and reconcile. The blocked state they start from is made by the guard itself, on the same fake catalog and
 * workflows, as in production.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { indexContracts } from '../../functions/core/contracts/contract-index.js';
import type { ContractHistory } from '../../functions/core/contracts/contract-repository.js';
import { DEFAULT_SETTINGS, createGuard } from '../../functions/core/guard/guard.js';
import { type IncidentRef, incidentIdFor } from '../../functions/core/incidents/incident.js';
import { versionNoteOf } from '../../functions/core/incidents/records.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { ApprovalRefusedError, planApproval } from '../../functions/core/reviewing/approval.js';
import { audit } from '../../functions/core/reviewing/audit.js';
import { tableHistory } from '../../functions/core/reviewing/history.js';
import { reconcile } from '../../functions/core/reviewing/reconcile.js';
import { ResumeRefusedError, openIncidents, resumeTable } from '../../functions/core/reviewing/resume.js';
import { REVIEW_VERSIONS_WALKED } from '../../functions/core/reviewing/version-lookup.js';
import type { StoredTable } from '../../functions/core/ports.js';
import { type FakePorts, HOME, fakePorts } from '../support/fake-ports.js';
import { type Columns, SHAPES, contractFor, glueTable } from '../support/tables.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE, handleResumeRequest, parseResumeRequest } from '../../functions/core/reviewing/resume-request.js';

const ORIGIN = HOME;
const ORDERS = { database: 'sales', table: 'orders' };
const CRAWLER = 'orders-crawler';
/** The contract the guard blocked the change under, and the next version that approves it. */
const V1 = contractFor({ columns: SHAPES.accepted });
const V2 = contractFor({ columns: SHAPES.retyped }, { version: 2, approval: { reviewer: 'maria', approvedAt: '2026-12-01T11:00:00.000Z', reason: 'string upstream', glueVersionId: '2', acknowledges: [] } });
const APPROVAL = { reviewer: 'maria', reason: 'amount is a string upstream now', approvedAt: new Date('2026-12-01T12:00:00.000Z') };

/** The fakes create every table at the clock's start. */
const incidentOf = (versionId: string, table = 'orders'): string => incidentIdFor('sales', table, versionId, '2026-12-01T10:00:00.000Z');
const refOf = (id: string, table = 'orders'): IncidentRef => ({ id, database: 'sales', table, ...ORIGIN });

function historyOf(...contracts: Contract[]): ContractHistory {
  return { database: 'sales', table: 'orders', directory: 'contracts/sales/orders', versions: contracts.map((contract) => ({ file: `v${contract.version}.json`, contract })) };
}

/** Writes `columns` as the table's next version, as the crawler does. */
function crawl(ports: FakePorts, columns: Columns, table = 'orders'): string {
  return ports.catalog.write('sales', glueTable({ name: table, columns, parameters: { UPDATED_BY_CRAWLER: CRAWLER } })).versionId;
}

/**
 * sales.<table> at 1 (accepted by v1), the crawler's breaking version 2, blocked by the guard: restored (3, 4 the
 * confirmation), its workflow's trigger and run stopped (for orders: `nightly`, `nightly-0200`, `wr_1`), tagged with
 * the incident. What the ports were called with so far is forgotten.
 */
async function blocked(columns: Columns = SHAPES.retyped, ports: FakePorts = fakePorts(), table = 'orders'): Promise<FakePorts> {
  const workflow = table === 'orders' ? 'nightly' : `${table}-nightly`;
  ports.jobs.addWorkflow(workflow, [{ name: `${workflow}-0200` }], [{ id: table === 'orders' ? 'wr_1' : `wr_${table}`, status: 'RUNNING' }]);
  crawl(ports, SHAPES.accepted, table);
  crawl(ports, columns, table);
  const contract = contractFor({ name: table, columns: SHAPES.accepted }, { dependentWorkflows: [workflow] });
  const guard = createGuard({ ...ports, contracts: indexContracts([contract]) }, { ...DEFAULT_SETTINGS, stopRunningRuns: true });
  const [result] = await guard.handle({ kind: 'tables', tables: [{ database: 'sales', table }] }, { ...ORIGIN, eventId: `event-${table}` });
  if (result?.result.outcome !== 'blocked') throw new Error(`the guard did not block sales.${table}: ${String(result?.result.outcome)}`);
  ports.forget();
  return ports;
}

const noteOf = (stored: StoredTable | undefined) => (stored === undefined ? undefined : versionNoteOf(stored.versionId, stored.document));

describe('resumeTable', () => {
  it('writes the approved schema back over the restore, restarts the incident’s trigger and keeps holding the run it stopped', async () => {
    // Prepare
    const ports = await blocked();
    const incidentId = incidentOf('2');
    // Act
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN);
    // Assess
    expect(report).toMatchObject({ incidentId, contractVersion: 2, wroteBackVersionId: '2', workflows: [], stillHeld: [{ workflow: 'nightly', runs: ['wr_1'] }] });
    expect(report.catalogNote).toEqual({ kind: 'wrote-back', versionId: '2', contractVersion: 2 });
    expect(ports.catalog.restores.map((r) => [r.fromVersionId, r.expectedVersionId])).toEqual([['2', '4']]);
    const current = ports.catalog.currentOf('sales', 'orders');
    expect(noteOf(current)).toEqual({ kind: 'resume', incidentId, resumedFrom: '2', replaced: '4' });
    expect(current === undefined ? 'missing' : judgeDocument(V2, 'now', current.document).verdict).toBe('compliant');
    expect(report.triggers).toEqual([{ trigger: 'nightly-0200', outcome: 'restarted' }]);
    expect(ports.jobs.triggers.get('nightly-0200')).toMatchObject({ state: 'ACTIVATED', tags: {} });
    // Neither resumed nor restarted: the run stays recorded on the workflow, so the incident stays open.
    expect(report.runs.map((r) => [r.runId, r.outcome])).toEqual([['wr_1', 'held']]);
    expect(ports.world.count('pipelines.resumeRun') + ports.world.count('pipelines.restartRun')).toBe(0);
    expect(ports.jobs.workflowTags.get('nightly')).toEqual({ 'drift-guard:incident': incidentId, 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1' });
    expect((await openIncidents(ports, ORDERS, ORIGIN)).map((i) => i.incidentId)).toEqual([incidentId]);
  });

  it('finds the blocked version by id, never listing the history: after 11 more writes, through the contract’s approved version', async () => {
    // Prepare: blocked at 2 (restored 3, confirmed 4), then 11 compliant writes: version 2 is out of the walk's reach.
    const ports = await blocked();
    for (let i = 0; i < 11; i += 1) crawl(ports, SHAPES.accepted);
    ports.forget();
    const incidentId = incidentOf('2');
    // Act + Assess: with no pointer to it (no note within reach, an approval naming no version), refused, naming
    // what was looked at: bounded reads, no listing.
    const unpointed = { reviewer: 'maria', approvedAt: '2026-12-01T12:00:00Z', reason: 'ok', acknowledges: [] };
    await expect(resumeTable(ports, { ...V2, approval: unpointed }, ORDERS, ORIGIN, { incidentId })).rejects.toThrow(/within reach.*10 versions before the current one/);
    expect(ports.world.count('catalog.listVersions')).toBe(0);
    expect(ports.world.count('catalog.getVersion')).toBe(REVIEW_VERSIONS_WALKED);
    // The approval `drift-guard approve --incident` writes names the blocked version: one read finds it.
    ports.forget();
    const approved: Contract = { ...V2, approval: { ...unpointed, glueVersionId: '2' } };
    const report = await resumeTable(ports, approved, ORDERS, ORIGIN, { incidentId });
    expect(report.catalogNote).toEqual({ kind: 'wrote-back', versionId: '2', contractVersion: 2 });
    expect(ports.world.calls.filter((c) => c.name === 'catalog.getVersion').map((c) => c.subject)).toEqual(['sales.orders@2']);
  });

  it('a second resume with --restart-runs starts the stopped run again and closes the incident', async () => {
    // Prepare
    const ports = await blocked();
    await resumeTable(ports, V2, ORDERS, ORIGIN);
    // Act: the incident is found from the workflow alone (its trigger was restarted by the first resume)
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN, { restartRuns: true });
    // Assess
    expect(report.catalogNote.kind).toBe('already-approved');
    expect(report.runs).toEqual([{ runId: 'wr_1', outcome: 'restarted', detail: 'wr_1-restarted', status: 'STOPPED' }]);
    expect(report).toMatchObject({ workflows: ['nightly'], stillHeld: [] });
    expect(ports.jobs.workflowTags.get('nightly')).toEqual({});
    expect(await openIncidents(ports, ORDERS, ORIGIN)).toEqual([]);
  });

  it('a run still STOPPING stays held: the tag keeps it and the incident stays open', async () => {
    // Prepare
    const ports = await blocked();
    ports.jobs.restartResults.set('wr_1', { runId: 'wr_1', outcome: 'held', detail: 'run is STOPPING: still held', status: 'STOPPING' });
    // Act
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN, { keepCurrent: false, restartRuns: true, resumeRuns: true });
    // Assess: a STOPPING run is neither restarted nor resumed (resume is tried only on COMPLETED runs)
    expect(ports.world.count('pipelines.resumeRun')).toBe(0);
    expect(report.stillHeld).toEqual([{ workflow: 'nightly', runs: ['wr_1'] }]);
    expect(ports.jobs.workflowTags.get('nightly')?.['drift-guard:stopped-runs']).toBe('wr_1');
  });

  it('with restartRuns and resumeRuns, a COMPLETED run is resumed rather than started again', async () => {
    // Prepare
    const ports = await blocked();
    ports.jobs.restartResults.set('wr_1', { runId: 'wr_1', outcome: 'held', detail: 'run is COMPLETED', status: 'COMPLETED' });
    // Act
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN, { restartRuns: true, resumeRuns: true });
    // Assess
    expect(report.runs.map((r) => [r.runId, r.outcome])).toEqual([['wr_1', 'resumed']]);
    expect(report.stillHeld).toEqual([]);
  });

  it('--leave-runs lets the stopped runs go: nothing started, the incident closes', async () => {
    const ports = await blocked();
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN, { leaveRuns: true });
    expect(report.runs.map((r) => [r.runId, r.outcome])).toEqual([['wr_1', 'skipped']]);
    expect(ports.world.count('pipelines.resumeRun') + ports.world.count('pipelines.restartRun')).toBe(0);
    expect(report.stillHeld).toEqual([]);
    expect(ports.jobs.workflowTags.get('nightly')).toEqual({});
  });

  it('publishes the resumed alert to the incident’s thread, after the pipeline restarted', async () => {
    const ports = await blocked();
    await resumeTable(ports, V2, ORDERS, ORIGIN);
    expect(ports.notifier.published.map((a) => [a.attributes.outcome, a.attributes.incident])).toEqual([['resumed', incidentOf('2')]]);
    expect(ports.world.names().at(-1)).toBe('notifier.publish');
    expect(ports.world.names().indexOf('pipelines.restartTrigger')).toBeLessThan(ports.world.names().indexOf('notifier.publish'));
  });

  it('with resumeRuns, the stopped runs are resumed', async () => {
    const ports = await blocked();
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN, { resumeRuns: true });
    expect(report.runs).toEqual([{ runId: 'wr_1', outcome: 'resumed', detail: 'wr_1-resumed' }]);
    expect(report.stillHeld).toEqual([]);
    expect(ports.world.calls.filter((c) => c.name === 'pipelines.resumeRun').map((c) => c.subject)).toEqual(['nightly/wr_1']);
  });

  it('refuses while the active contract does not accept the blocked schema: nothing written, nothing restarted', async () => {
    const ports = await blocked();
    const resume = resumeTable(ports, V1, ORDERS, ORIGIN);
    await expect(resume).rejects.toBeInstanceOf(ResumeRefusedError);
    await expect(resume).rejects.toThrow(incidentOf('2'));
    expect(ports.world.count('catalog.restore') + ports.world.count('pipelines.restartTrigger') + ports.world.count('notifier.publish')).toBe(0);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('DEACTIVATED');
  });

  it('--keep-current: the change stays rejected, the catalog is not written, the pipeline restarts', async () => {
    const ports = await blocked();
    const report = await resumeTable({ catalog: ports.catalog, pipelines: ports.pipelines }, V1, ORDERS, ORIGIN, { keepCurrent: true });
    expect(report).not.toHaveProperty('wroteBackVersionId');
    expect(report.catalogNote).toMatchObject({ kind: 'kept-current', versionId: '4', blockedVersionId: '2' });
    expect(ports.world.count('catalog.restore')).toBe(0);
    expect(report.triggers.map((t) => t.outcome)).toEqual(['restarted']);
    expect(ports.world.count('notifier.publish')).toBe(0);
  });

  it('--keep-current is refused while the table is still breaking', async () => {
    const ports = await blocked();
    crawl(ports, SHAPES.dropped);
    await expect(resumeTable(ports, V1, ORDERS, ORIGIN, { keepCurrent: true })).rejects.toBeInstanceOf(ResumeRefusedError);
    expect(ports.world.count('pipelines.restartTrigger')).toBe(0);
  });

  it('restarts exactly the incident’s triggers: another incident’s, another table’s and untagged ones stay stopped', async () => {
    // Prepare
    const ports = await blocked();
    ports.jobs.addPausedTrigger('nightly-older', 'nightly', refOf(incidentOf('1')));
    ports.jobs.addPausedTrigger('customers-0300', 'customers-nightly', refOf(incidentOf('2'), 'customers'));
    ports.jobs.addWorkflow('manual', [{ name: 'by-hand', state: 'DEACTIVATED' }]);
    // Act
    const report = await resumeTable(ports, V2, ORDERS, ORIGIN, { incidentId: incidentOf('2') });
    // Assess
    expect(report.triggers.map((t) => t.trigger)).toEqual(['nightly-0200']);
    expect(['nightly-older', 'customers-0300', 'by-hand'].map((name) => ports.jobs.triggers.get(name)?.state)).toEqual(['DEACTIVATED', 'DEACTIVATED', 'DEACTIVATED']);
  });

  it('a trigger restarted by hand only loses its tags; an EVENT trigger is refused', async () => {
    const ports = await blocked();
    const byHand = ports.jobs.triggers.get('nightly-0200');
    if (byHand !== undefined) byHand.state = 'ACTIVATED';
    ports.jobs.addPausedTrigger('nightly-on-upload', 'nightly', refOf(incidentOf('2')), 'EVENT');

    const report = await resumeTable(ports, V2, ORDERS, ORIGIN);

    expect(report.triggers.map((t) => [t.trigger, t.outcome])).toEqual([
      ['nightly-0200', 'already-active'],
      ['nightly-on-upload', 'refused'],
    ]);
  });

  it('a write racing the write-back becomes a refusal: run resume again; nothing restarted', async () => {
    const ports = await blocked();
    ports.world.before('catalog.restore', () => void crawl(ports, SHAPES.added));

    const resume = resumeTable(ports, V2, ORDERS, ORIGIN);

    await expect(resume).rejects.toBeInstanceOf(ResumeRefusedError);
    await expect(resume).rejects.toThrow(/\b4\b/);
    expect(ports.catalog.currentOf('sales', 'orders')?.versionId).toBe('5');
    expect(ports.world.count('pipelines.restartTrigger')).toBe(0);
  });

  it('any other failure of the write-back is not a refusal: it is thrown as it is', async () => {
    const ports = await blocked();
    const failure = new Error('glue:UpdateTable: access denied');
    ports.world.fail('catalog.restore', failure);
    await expect(resumeTable(ports, V2, ORDERS, ORIGIN)).rejects.toBe(failure);
  });

  it('a catalog that already holds the approved schema is not written again', async () => {
    const ports = await blocked();
    await resumeTable(ports, V2, ORDERS, ORIGIN);
    const restores = ports.catalog.restores.length;

    const again = await resumeTable(ports, V2, ORDERS, ORIGIN, { incidentId: incidentOf('2') });

    expect(again).not.toHaveProperty('wroteBackVersionId');
    expect(again.catalogNote).toEqual({ kind: 'already-approved', versionId: '5' });
    expect(again.triggers).toEqual([]);
    expect(ports.catalog.restores).toHaveLength(restores);
  });

  it('refuses when there is nothing to resume, an unknown incident, or a table gone from the catalog', async () => {
    const quiet = fakePorts();
    crawl(quiet, SHAPES.accepted);
    await expect(resumeTable(quiet, V1, ORDERS, ORIGIN)).rejects.toBeInstanceOf(ResumeRefusedError);

    const ports = await blocked();
    await expect(resumeTable(ports, V2, ORDERS, ORIGIN, { incidentId: 'dg-000000000000' })).rejects.toThrow('dg-000000000000');
    ports.world.before('catalog.getTable', () => {
      ports.catalog.remove('sales', 'orders');
    });
    await expect(resumeTable(ports, V2, ORDERS, ORIGIN)).rejects.toBeInstanceOf(ResumeRefusedError);
    expect(ports.world.count('pipelines.restartTrigger')).toBe(0);
  });

  it('an open table format is never written back: refused, resume with --keep-current', async () => {
    // Prepare: an Iceberg table the guard could only hold (never restored); someone wrote a version since.
    const iceberg = { table_type: 'ICEBERG', metadata_location: 's3://bucket/orders/metadata/2.json' };
    const ports = fakePorts();
    ports.catalog.write('sales', glueTable({ columns: SHAPES.accepted, parameters: iceberg }));
    ports.catalog.write('sales', glueTable({ columns: SHAPES.retyped, parameters: iceberg }));
    ports.catalog.write('sales', glueTable({ columns: SHAPES.dropped, parameters: iceberg }));
    ports.jobs.addPausedTrigger('nightly-0200', 'nightly', refOf(incidentOf('2')));
    const approved = { ...V2, schema: contractFor({ columns: SHAPES.retyped, parameters: iceberg }).schema };
    // Act
    const resume = resumeTable(ports, approved, ORDERS, ORIGIN);
    // Assess
    await expect(resume).rejects.toBeInstanceOf(ResumeRefusedError);
    await expect(resume).rejects.toThrow(/iceberg/i);
    expect(ports.world.count('catalog.restore')).toBe(0);
  });
});

describe('openIncidents', () => {
  it('no paused trigger: none, without reading the versions', async () => {
    const ports = fakePorts();
    crawl(ports, SHAPES.accepted);
    expect(await openIncidents(ports, ORDERS, ORIGIN)).toEqual([]);
    expect(ports.world.names()).toEqual(['pipelines.findPausedTriggers', 'pipelines.findPausedWorkflows', 'pipelines.findHeldProducers']);
  });

  it('newest blocked version first; an incident with no version of this table last', async () => {
    // Prepare
    const ports = fakePorts();
    for (const columns of [SHAPES.accepted, SHAPES.retyped, SHAPES.accepted, SHAPES.dropped]) crawl(ports, columns);
    ports.jobs.addPausedTrigger('a', 'nightly', refOf('dg-elsewhere'));
    ports.jobs.addPausedTrigger('b', 'nightly', refOf(incidentOf('2')));
    ports.jobs.addPausedTrigger('c', 'nightly', refOf(incidentOf('4')));
    ports.jobs.addPausedTrigger('d', 'hourly', refOf(incidentOf('2')));
    ports.jobs.addPausedTrigger('e', 'customers', refOf(incidentOf('3'), 'customers'));
    // Act
    const open = await openIncidents(ports, ORDERS, ORIGIN);
    // Assess
    expect(open.map((i) => [i.incidentId, i.version?.versionId, i.triggers.map((t) => t.name)])).toEqual([
      [incidentOf('4'), '4', ['c']],
      [incidentOf('2'), '2', ['b', 'd']],
      ['dg-elsewhere', undefined, ['a']],
    ]);
  });
});

describe('planApproval', () => {
  /** Versions 1 accepted, 2 dropped, 3 retyped (both breaking), 4 added (allowed). */
  function drifted(): FakePorts {
    const ports = fakePorts();
    for (const columns of [SHAPES.accepted, SHAPES.dropped, SHAPES.retyped, SHAPES.added]) crawl(ports, columns);
    return ports;
  }

  it('by incident: that version becomes the next contract version, its breaking findings acknowledged', async () => {
    // Prepare
    const ports = drifted();
    // Act
    const plan = await planApproval(ports.catalog, historyOf(V1), ORDERS, { incidentId: incidentOf('3') }, APPROVAL);
    // Assess
    if (plan.outcome !== 'approved') throw new Error(`expected approved, got ${plan.outcome}`);
    expect([plan.source, plan.incidentId, plan.next.contract.version]).toEqual([{ kind: 'glue-version', versionId: '3' }, incidentOf('3'), 2]);
    expect(plan.next.contract.approval).toMatchObject({ reviewer: 'maria', glueVersionId: '3', acknowledges: [{ ruleId: 'TYPE_CHANGED', path: 'columns.amount' }] });
    expect(judgeDocument(plan.next.contract, 'v3', ports.catalog.versionsOf('sales', 'orders')[1]?.document).verdict).toBe('compliant');
    expect(plan.notes).toEqual([expect.objectContaining({ kind: 'catalog-moved-on', approvedVersionId: '3', currentVersionId: '4' })]);
  });

  it('by Glue version', async () => {
    const plan = await planApproval(drifted().catalog, historyOf(V1), ORDERS, { glueVersion: '2' }, APPROVAL);
    expect(plan).toMatchObject({ outcome: 'approved', source: { kind: 'glue-version', versionId: '2' }, incidentId: incidentOf('2') });
  });

  it('by Glue version, compared as an integer (03 is version 3)', async () => {
    const plan = await planApproval(drifted().catalog, historyOf(V1), ORDERS, { glueVersion: '03' }, APPROVAL);
    expect(plan).toMatchObject({ outcome: 'approved', source: { kind: 'glue-version', versionId: '3' }, incidentId: incidentOf('3') });
  });

  it('by default: the newest version the contract does not accept, not the newest drift', async () => {
    const plan = await planApproval(drifted().catalog, historyOf(V1), ORDERS, {}, APPROVAL);
    expect(plan).toMatchObject({ outcome: 'approved', source: { kind: 'glue-version', versionId: '3' } });
  });

  it('by default, with no breaking version: the newest drift; no note when it is the current version', async () => {
    const ports = fakePorts();
    for (const columns of [SHAPES.accepted, SHAPES.added]) crawl(ports, columns);
    const plan = await planApproval(ports.catalog, historyOf(V1), ORDERS, {}, APPROVAL);
    expect(plan).toMatchObject({ outcome: 'approved', source: { kind: 'glue-version', versionId: '2' }, notes: [] });
  });

  it('approving twice is harmless: already approved by the active version', async () => {
    const plan = await planApproval(drifted().catalog, historyOf(V1, V2), ORDERS, { glueVersion: '3' }, APPROVAL);
    expect(plan).toMatchObject({ outcome: 'already-approved', version: 2, source: { kind: 'glue-version', versionId: '3' } });
  });

  it('refuses what cannot be approved, naming it', async () => {
    const ports = drifted();
    const refusal = (selector: { incidentId?: string; glueVersion?: string }, history: ContractHistory | undefined) =>
      planApproval(ports.catalog, history, ORDERS, selector, APPROVAL);
    await expect(refusal({ glueVersion: '9' }, historyOf(V1))).rejects.toThrow(/no Glue version 9 \(its current version is 4/);
    await expect(refusal({ incidentId: incidentOf('2', 'customers') }, historyOf(V1))).rejects.toThrow(incidentOf('2', 'customers'));
    await expect(refusal({}, undefined)).rejects.toBeInstanceOf(ApprovalRefusedError);
    await expect(refusal({}, historyOf({ ...V1, status: 'proposed' }))).rejects.toBeInstanceOf(ApprovalRefusedError);
    // Versions by id only: approving never lists the table's history.
    expect(ports.world.count('catalog.listVersions')).toBe(0);
  });

  it('refuses when every version matches, when the table has no versions, and an unreadable version', async () => {
    const compliant = fakePorts();
    crawl(compliant, SHAPES.accepted);
    await expect(planApproval(compliant.catalog, historyOf(V1), ORDERS, {}, APPROVAL)).rejects.toBeInstanceOf(ApprovalRefusedError);
    await expect(planApproval(fakePorts().catalog, historyOf(V1), ORDERS, {}, APPROVAL)).rejects.toBeInstanceOf(ApprovalRefusedError);
    const unreadable = fakePorts();
    unreadable.catalog.write('sales', glueTable({ columns: [['id', 'struct<']] }));
    await expect(planApproval(unreadable.catalog, historyOf(V1), ORDERS, { glueVersion: '1' }, APPROVAL)).rejects.toThrow(/version 1/);
  });
});

describe('tableHistory', () => {
  it('each version with its writer, the guard’s restore, confirmation and resume, and the approvals', async () => {
    // Prepare: blocked by the guard, approved as v2, resumed; then an API call rewrites the table copying its notes.
    const ports = await blocked();
    await resumeTable(ports, V2, ORDERS, ORIGIN);
    const resumed = ports.catalog.currentOf('sales', 'orders');
    ports.catalog.write('sales', { ...(resumed?.document ?? {}), Name: 'orders', Description: 'edited by hand' });
    const incidentId = incidentOf('2');
    // Act
    const history = await tableHistory(ports, historyOf(V1, V2), ORDERS, ORIGIN);
    // Assess
    expect(history.activeContract).toBe(2);
    const rows = history.entries.map((e) => [e.versionId, e.judgement.verdict, e.incidentId]);
    expect(rows).toEqual([
      ['1', 'breaking', undefined],
      ['2', 'compliant', incidentId],
      ['3', 'breaking', undefined],
      ['4', 'breaking', undefined],
      ['5', 'compliant', undefined],
      ['6', 'compliant', undefined],
    ]);
    const entry = (versionId: string) => history.entries.find((e) => e.versionId === versionId);
    expect(entry('2')?.writer).toEqual({ kind: 'crawler', crawler: CRAWLER });
    expect(['3', '4', '5'].map((v) => entry(v)?.writer)).toEqual([{ kind: 'guard' }, { kind: 'guard' }, { kind: 'guard' }]);
    expect(entry('6')?.writer).not.toEqual({ kind: 'guard' });
    expect(entry('6')?.events).toEqual([]);
    expect(entry('1')?.events).toEqual([expect.objectContaining({ kind: 'approved', contractVersion: 1 })]);
    expect(entry('2')?.events).toEqual([expect.objectContaining({ kind: 'approved', contractVersion: 2 })]);
    expect(entry('3')?.events).toEqual([{ kind: 'restore', incidentId, restoredFrom: '1', replaced: '2' }]);
    expect(entry('4')?.events).toEqual([{ kind: 'alert-sent', incidentId }]);
    expect(entry('5')?.events).toEqual([{ kind: 'resume', incidentId, resumedFrom: '2' }]);
    expect(entry('5')?.updateTime).toBe(ports.now().toISOString());
  });

  it('an incident still open names its paused triggers', async () => {
    const ports = await blocked();
    const history = await tableHistory(ports, historyOf(V1), ORDERS, ORIGIN);
    const blockedEntry = history.entries.find((e) => e.versionId === '2');
    expect(blockedEntry?.incidentId).toBe(incidentOf('2'));
    expect(blockedEntry?.events).toContainEqual({ kind: 'open', incidentId: incidentOf('2'), triggers: ['nightly-0200'] });
  });

  it('drift the guard never raised an incident for has no incident id; without contracts everything reads compliant', async () => {
    const ports = fakePorts();
    for (const columns of [SHAPES.accepted, SHAPES.retyped]) crawl(ports, columns);
    const judged = await tableHistory(ports, historyOf(V1), ORDERS, ORIGIN);
    const unjudged = await tableHistory(ports, undefined, ORDERS, ORIGIN);
    expect(judged.entries.map((e) => [e.judgement.verdict, e.incidentId])).toEqual([
      ['compliant', undefined],
      ['breaking', undefined],
    ]);
    expect(unjudged).not.toHaveProperty('activeContract');
    expect(unjudged.entries.map((e) => e.judgement.verdict)).toEqual(['compliant', 'compliant']);
  });
});

describe('audit', () => {
  it('sorts guarded tables into drifted, compliant and missing, lists unguarded tables and the open incidents', async () => {
    // Prepare
    const ports = await blocked(SHAPES.retyped, fakePorts(), 'orders');
    crawl(ports, SHAPES.dropped, 'orders'); // drifted again after the restore
    crawl(ports, SHAPES.accepted, 'customers');
    crawl(ports, SHAPES.accepted, 'scratch');
    ports.jobs.tagStoppedRuns('hourly', 'dg-runs-only', ['wr_9'], 'sales.customers');
    const contracts = indexContracts([V1, contractFor({ name: 'customers', columns: SHAPES.accepted }), contractFor({ name: 'refunds', columns: SHAPES.accepted })]);
    // Act
    const report = await audit({ ...ports, contracts }, ORIGIN, ['sales', 'archive']);
    // Assess
    expect(report.drifted.map((t) => [t.table, t.versionId, t.contractVersion, t.judgement.verdict])).toEqual([['orders', '5', 1, 'breaking']]);
    expect(report.compliant).toEqual([{ database: 'sales', table: 'customers' }]);
    expect(report.missing).toEqual([{ database: 'sales', table: 'refunds' }]);
    expect(report.notVisible).toEqual([]);
    expect(report.unguarded).toEqual([{ database: 'sales', table: 'scratch' }]);
    expect(report.incidents.map((i) => [i.incidentId, i.table, i.triggers.map((t) => t.name), i.workflows])).toEqual([
      [incidentOf('2'), 'sales.orders', ['nightly-0200'], ['nightly']],
      ['dg-runs-only', 'sales.customers', [], ['hourly']],
    ]);
    expect(ports.world.count('catalog.restore')).toBe(0);
  });
});

describe('audit under Lake Formation', () => {
  it('a guarded table GetTables left out is "not visible" when GetTable is denied, missing when it does not exist, judged when it does', async () => {
    // Prepare
    const ports = fakePorts();
    crawl(ports, SHAPES.accepted, 'orders');
    crawl(ports, SHAPES.dropped, 'customers');
    ports.catalog.notVisible.add('sales.orders');
    const contracts = indexContracts([V1, contractFor({ name: 'customers', columns: SHAPES.accepted }), contractFor({ name: 'refunds', columns: SHAPES.accepted })]);
    // Act
    const report = await audit({ ...ports, contracts }, ORIGIN, ['sales']);
    // Assess
    expect(report.notVisible).toEqual([{ database: 'sales', table: 'orders', reason: expect.stringContaining('Lake Formation') as unknown }]);
    expect(report.missing).toEqual([{ database: 'sales', table: 'refunds' }]);
    expect(report.drifted.map((t) => t.table)).toEqual(['customers']);
    expect(ports.world.calls.filter((c) => c.name === 'catalog.lookUpTable').map((c) => c.subject)).toEqual(['sales.orders', 'sales.refunds']);
  });
});

describe('reconcile', () => {
  it('resumes what the contracts now accept, waits for the rest, names the unguarded, and carries on after a failure', async () => {
    // Prepare: four incidents; sales.orders' is approved, sales.customers' is not, `archive.old` has no contract,
    // and reading sales.refunds fails.
    const ports = await blocked(SHAPES.retyped, fakePorts(), 'refunds');
    await blocked(SHAPES.retyped, ports, 'orders');
    await blocked(SHAPES.dropped, ports, 'customers');
    ports.jobs.addPausedTrigger('archive-daily', 'archive', { ...refOf('dg-archive'), database: 'archive', table: 'old' });
    const contracts = indexContracts([V2, contractFor({ name: 'customers', columns: SHAPES.accepted }), contractFor({ name: 'refunds', columns: SHAPES.retyped })]);
    const failure = new Error('glue:GetTableVersion: throttled');
    ports.world.fail('catalog.getVersion', failure);
    // Act
    const outcomes = await reconcile({ ...ports, contracts }, ORIGIN);
    // Assess
    const byTable = Object.fromEntries(outcomes.map((o) => [o.table, o]));
    expect(outcomes.map((o) => [o.table, o.outcome])).toEqual([
      ['sales.refunds', 'failed'],
      ['sales.orders', 'resumed'],
      ['sales.customers', 'waiting'],
      ['archive.old', 'unguarded'],
    ]);
    expect(byTable['sales.refunds']).toMatchObject({ incidentId: incidentOf('2', 'refunds'), reason: failure.message });
    expect(byTable['sales.orders']).toMatchObject({ incidentId: incidentOf('2'), report: { wroteBackVersionId: '2' } });
    expect(byTable['sales.customers']).toMatchObject({ incidentId: incidentOf('2', 'customers') });
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('ACTIVATED');
    expect(ports.log.at('warn').map((e) => e.extra.incidentId)).toEqual([incidentOf('2', 'refunds')]);
  });

  // BUG (functions/core/reviewing/resume.ts): the "resumed" alert is published last and its failure is thrown, so an
  // incident whose catalog was written back and whose triggers were restarted is reported `failed` ("could not be
  // resumed"), and no later run sends the alert (the triggers no longer carry the incident's tag). `.fails` until fixed.
  it('a failing resumed alert does not turn a resume that happened into a failure', async () => {
    // Prepare
    const ports = await blocked();
    ports.world.fail('notifier.publish', new Error('SNS unavailable'));
    // Act
    const outcomes = await reconcile({ ...ports, contracts: indexContracts([V2]) }, ORIGIN);
    // Assess
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('ACTIVATED');
    expect(outcomes.map((o) => [o.table, o.outcome])).toEqual([['sales.orders', 'resumed']]);
    const [outcome] = outcomes;
    expect(outcome?.outcome === 'resumed' ? outcome.report.alert : undefined).toEqual({ status: 'failed', error: 'SNS unavailable' });
  });
});

describe('the guard completes an incident whose approval is deployed before reconcile runs', () => {
  it('an event on the restored table: the approved schema written back, the incident’s trigger restarted, one "resumed" alert, no new incident', async () => {
    // Prepare: blocked under v1; v2 (approving the blocked schema) is deployed; reconcile has not run.
    const ports = await blocked();
    const incidentId = incidentOf('2');
    const guard = createGuard({ ...ports, contracts: indexContracts([V2]) }, DEFAULT_SETTINGS);
    // Act: any event on the table (another crawler's Succeeded, a duplicate): here the table's own.
    const [result] = await guard.handle({ kind: 'tables', tables: [ORDERS] }, { ...ORIGIN, eventId: 'event-later' });
    // Assess
    expect(result?.result).toMatchObject({ outcome: 'resumed', incidentId });
    expect(noteOf(ports.catalog.currentOf('sales', 'orders'))).toEqual({ kind: 'resume', incidentId, resumedFrom: '2', replaced: '4' });
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('ACTIVATED');
    expect(ports.world.count('workflows.pause')).toBe(0);
    expect(ports.events.published).toEqual([]);
    expect(ports.notifier.published.map((a) => [a.attributes.outcome, a.attributes.incident])).toEqual([['resumed', incidentId]]);
    // …and the guard's own write-back event afterwards is a no-op.
    ports.forget();
    const [again] = await guard.handle({ kind: 'tables', tables: [ORDERS] }, { ...ORIGIN, eventId: 'event-write-back' });
    expect(again?.result.outcome).toBe('compliant');
    expect(ports.world.names()).toEqual(['catalog.getTable']);
  });
});

describe('the deployed guard (releasesIncidents: false; its role may not start triggers) hands that incident to reconcile', () => {
  it('an event on the restored table: nothing written, started or alerted, no new incident; it asks reconcile, which completes it', async () => {
    // Prepare: blocked under v1; v2 (approving the blocked schema) is deployed; reconcile has not run.
    const ports = await blocked();
    const incidentId = incidentOf('2');
    const deployed = { ...ports, contracts: indexContracts([V2]) };
    const guard = createGuard(deployed, { ...DEFAULT_SETTINGS, releasesIncidents: false });
    ports.forget();

    // Act
    const [result] = await guard.handle({ kind: 'tables', tables: [ORDERS] }, { ...ORIGIN, eventId: 'event-later' });

    // Assess
    expect(result?.result).toEqual({ outcome: 'left-to-reconcile', incidentId });
    expect(ports.world.count('catalog.restore') + ports.world.count('pipelines.restartTrigger') + ports.world.count('workflows.pause')).toBe(0);
    expect(ports.jobs.triggers.get('nightly-0200')?.state).not.toBe('ACTIVATED');
    expect(ports.notifier.published).toEqual([]);
    // The request it put on its bus is the one a reviewer's `drift-guard resume` puts there.
    expect(ports.events.published.map((e) => [e.source, e.detailType])).toEqual([[RESUME_REQUEST_SOURCE, RESUME_REQUEST_DETAIL_TYPE]]);
    const request = parseResumeRequest(ports.events.published[0]?.detail);
    expect(request).toMatchObject({ database: 'sales', table: 'orders', incidentId, requestedBy: 'drift-guard' });
    const outcome = await handleResumeRequest(deployed, request, ORIGIN);
    expect(outcome).toMatchObject({ outcome: 'resumed', report: { incidentId } });
    expect(ports.jobs.triggers.get('nightly-0200')?.state).toBe('ACTIVATED');
  });
});

describe('handleResumeRequest: a reviewer’s resume, carried out with the deployed contracts', () => {
  const request = (incidentId?: string) => ({ database: 'sales', table: 'orders', resumeRuns: false, requestedBy: 'maria', ...(incidentId === undefined ? {} : { incidentId }) });

  it('resumes when the deployed contract accepts the blocked schema', async () => {
    const ports = await blocked();
    const outcome = await handleResumeRequest({ ...ports, contracts: indexContracts([V2]) }, request(incidentOf('2')), ORIGIN);
    expect(outcome).toMatchObject({ outcome: 'resumed', table: 'sales.orders', report: { incidentId: incidentOf('2'), wroteBackVersionId: '2' } });
    expect(ports.notifier.published.map((a) => a.attributes.outcome)).toEqual(['resumed']);
  });

  it('refuses, in the incident’s thread, while the deployed contract does not accept it; nothing is written or restarted', async () => {
    const ports = await blocked();
    const outcome = await handleResumeRequest({ ...ports, contracts: indexContracts([V1]) }, request(), ORIGIN);
    expect(outcome).toMatchObject({ outcome: 'refused', reason: { code: 'not-approved-yet', contractVersion: 1 }, alerted: true });
    expect(ports.world.count('catalog.restore') + ports.world.count('pipelines.restartTrigger')).toBe(0);
    const [alert] = ports.notifier.published;
    expect(alert?.attributes).toMatchObject({ outcome: 'resume-refused', table: 'orders' });
    expect(alert?.body).toContain('glue-drift-guard/sales.orders');
    expect(alert?.subject.length).toBeLessThan(100);
  });

  it('refuses a table the deployed guard has no contract for', async () => {
    const ports = await blocked();
    const outcome = await handleResumeRequest({ ...ports, contracts: indexContracts([]) }, request(), ORIGIN);
    expect(outcome).toMatchObject({ outcome: 'refused', reason: { code: 'no-deployed-contract', table: 'sales.orders' } });
  });

  it('a malformed request is refused naming the field', () => {
    expect(() => parseResumeRequest({ database: 'sales', table: 'orders', resumeRuns: 'yes', requestedBy: 'maria' })).toThrow(/detail\.resumeRuns/);
    expect(() => parseResumeRequest({ ...request(), incidentId: 'inc-1' })).toThrow(/detail\.incidentId: an incident id/);
    expect(() => parseResumeRequest({ ...request(), extra: 1 })).toThrow(/extra/);
  });
});

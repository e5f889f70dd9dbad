/**
 * The guard's executor: for each table an event names, read → plan → act → announce, each step once per table.
 * Every decision is in plan.ts (pure); this file only carries plans out through the ports.
 *
 * Critical path for a breaking change: GetTable, GetTableVersion (the version just before), UpdateTable (the
 * restore), then the hold and the alert. Versions are read by id, a bounded number per table (plan.ts
 * MAX_VERSIONS_WALKED), never listed: the calls per event do not grow with the table's history. A compliant table
 * costs one GetTable. Duplicates and the guard's own UpdateTable events find a compliant
 * table: no-ops. Reconcile's sweep (`sweep`) runs the same steps from GetTables pages, for events Glue never delivered.
 */
import { renderAlert, renderOutcomeEvent } from '../wording/alert.js';
import type { Contract } from '../contracts/contract.js';
import type { ContractIndex } from '../contracts/contract-index.js';
import type { EventWork } from './glue-events.js';
import type { EventOrigin, TableRef } from '../incidents/incident.js';
import { STOP_RUNNING_RUNS_DEFAULT, workflowsToHold } from '../incidents/policy.js';
import { versionNoteParameters } from '../incidents/records.js';
import type { IncidentOutcome, IncidentReport } from '../incidents/report.js';
import {
  type CatalogPort,
  type GuardLog,
  type EventPublisherPort,
  type NotifierPort,
  type PartitionPort,
  type PipelinePort,
  type PauseResult,
  RestoreConflictError,
  type ScheduleHold,
  type StoredTable,
  type WorkflowPort,
} from '../ports.js';
import { mapBounded } from '../concurrency.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import type { ResumeReport } from '../reviewing/reports.js';
import { ResumeRefusedError, resumeTable } from '../reviewing/resume.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE, type ResumeRequest } from '../reviewing/resume-request.js';
import { type PartitionOutcome, createPartitionGuard } from './partitions.js';
import { MAX_VERSIONS_WALKED, type PlanInput, type PlanSettings, type PlannedIncident, type PlannedWrite, type TablePlan, planTable } from './plan.js';

export type { GuardMode } from './plan.js';

/**
 * Versions read for one table per attempt: the plan walks back MAX_VERSIONS_WALKED and may read the contract's
 * approved version and the version a restore replaced; this only stops a plan that would ask for more.
 */
const MAX_VERSION_READS = MAX_VERSIONS_WALKED + 3;

export interface GuardSettings extends PlanSettings {
  /** Re-read and re-plan at most this many times when the table moves during a restore. */
  readonly maxRestoreAttempts: number;
  /** Tables judged at once for one event (a Database State Change names up to 100). */
  readonly concurrency: number;
  /**
   * Complete an incident the deployed contracts now accept (restart what it holds) here, or leave it to reconcile:
   * the deployed guard function's role may not start triggers or runs (README "IAM per function").
   */
  readonly releasesIncidents: boolean;
}

export const DEFAULT_SETTINGS: GuardSettings = {
  mode: 'enforce',
  infoAlerts: true,
  maxRestoreAttempts: 3,
  concurrency: 8,
  claimTimeoutMs: 90_000,
  stopRunningRuns: STOP_RUNNING_RUNS_DEFAULT,
  releasesIncidents: true,
};

export type { GuardLog } from '../ports.js';

export interface GuardDeps<T extends StoredTable> {
  readonly catalog: CatalogPort<T>;
  readonly workflows: WorkflowPort;
  readonly notifier: NotifierPort;
  readonly events: EventPublisherPort;
  /** Releases what an incident holds when the guard completes it (an approval deployed before reconcile ran). */
  readonly pipelines: PipelinePort;
  readonly contracts: ContractIndex;
  /** Partitions (partitions.ts): without it, partition events are ignored as before. */
  readonly partitions?: PartitionPort;
  readonly log: GuardLog;
  /** The clock (tests move it to prove recovery after a crash). */
  readonly now?: () => Date;
}

export type TableOutcome =
  | { readonly outcome: 'unguarded' | 'missing' | 'compliant' }
  | { readonly outcome: 'resumed'; readonly incidentId: string; readonly report: ResumeReport }
  /** An incident the contracts now accept, left for reconcile to complete (it runs after every deploy). */
  | { readonly outcome: 'left-to-reconcile'; readonly incidentId: string }
  /** A partition event: what was judged and done about the partitions it names. */
  | { readonly outcome: 'partitions'; readonly partitions: PartitionOutcome }
  | { readonly outcome: IncidentOutcome; readonly incidentId: string; readonly alerted: boolean; readonly report: IncidentReport };

export interface TableResult {
  readonly database: string;
  readonly table: string;
  readonly result: TableOutcome;
}

/** The guard's records in AWS, for a sweep: reconcile reads them (the tags on what the guard holds). */
export interface SweepRecords<T extends StoredTable = StoredTable> {
  /**
   * GetTables of a database, when the caller has read it already this run (reconcile's pass over held tables reads
   * the same pages just before): the sweep then costs no second listing. Default: the catalog's.
   */
  readonly listTables?: (database: string) => Promise<readonly T[] | undefined>;
  /**
   * Incidents open by those records (pipelines still held under their id). Asked only when a sweep meets a breaking
   * drift it cannot restore, so the caller reads them at most once per sweep, lazily (it is a scan of tags).
   */
  readonly openIncidents: () => Promise<ReadonlySet<string>>;
}

/** A table as a sweep's GetTables page showed it (undefined: not on the pages), and the guard's records. */
interface SweptTable<T extends StoredTable> extends SweepRecords<T> {
  readonly current: T | undefined;
}

function tableNameOf(stored: StoredTable): string | undefined {
  const document = stored.document;
  if (typeof document !== 'object' || document === null || !('Name' in document)) return undefined;
  return typeof document.Name === 'string' ? document.Name : undefined;
}

/** What an incident holds: its workflows' pauses, and the own schedule of the crawler that wrote the drift. */
interface Holds {
  readonly pauses: readonly PauseResult[];
  readonly crawlerSchedule?: ScheduleHold;
}

/** A hold that left a record in AWS (a tagged trigger, workflow, crawler or rule): later sweeps know the incident is open. */
const leftRecord = ({ pauses, crawlerSchedule }: Holds): boolean =>
  crawlerSchedule?.stopped === true || pauses.some((p) => p.stoppedTriggers.length > 0 || p.stoppedRuns.length > 0 || p.stoppedSchedules.length > 0 || p.disabledRules.length > 0);

/**
 * A delivery of this event restored the table moments ago and may still be alerting: thrown so the platform
 * retries later, when that delivery is certainly over (then the alert is either confirmed or sent now).
 */
export class IncidentInFlightError extends Error {
  override readonly name = 'IncidentInFlightError';
  constructor(readonly incidentId: string, retryInMs: number) {
    super(`incident ${incidentId} is being handled by another delivery of this event; retry in ${Math.ceil(retryInMs / 1000)} s`);
  }
}

/** The table kept changing while the guard tried to restore it: thrown so the platform retries later. */
export class RestoreContentionError extends Error {
  override readonly name = 'RestoreContentionError';
  constructor(readonly database: string, readonly table: string, attempts: number, options?: { cause?: unknown }) {
    super(`${database}.${table} changed under the guard ${attempts} times in a row; giving up this delivery so it is retried`, options);
  }
}

/** A small memory of incidents alerted by this container: absorbs duplicate deliveries that land here. */
class RecentIncidents {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 1_000) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (oldest.done !== true) this.ids.delete(oldest.value);
    }
  }
}

/** Each stored version judged at most once per table per event. */
function memoisedJudge(contract: Contract, ref: TableRef): (stored: StoredTable) => DocumentJudgement {
  const cache = new Map<string, DocumentJudgement>();
  return (stored) => {
    const known = cache.get(stored.versionId);
    if (known !== undefined) return known;
    const judgement = judgeDocument(contract, `glue://${ref.database}/${ref.table}@${stored.versionId}`, stored.document);
    cache.set(stored.versionId, judgement);
    return judgement;
  };
}

export function createGuard<T extends StoredTable>(deps: GuardDeps<T>, settings: GuardSettings = DEFAULT_SETTINGS) {
  const { catalog, workflows, notifier, events, contracts } = deps;
  const now = deps.now ?? (() => new Date());
  const recent = new RecentIncidents();
  /** `<incident> chat` / `<incident> event`: delivered by this container (a retry here sends only what failed). */
  const delivered = new RecentIncidents(2_000);

  /**
   * Holds every workflow the incident names (together): the contract's, and the crawler's own; each pause also holds
   * what starts it from outside (its crawlers' own schedules, the EventBridge rules targeting it). Then the crawler
   * that wrote the drift, when it runs on its own schedule: its next run would write the drift again.
   */
  async function hold(incident: PlannedIncident, origin: EventOrigin): Promise<Holds> {
    const crawler = incident.crawler;
    const crawlerWorkflow = crawler === undefined ? undefined : await workflows.workflowOfCrawler(crawler);
    const ref = { id: incident.incidentId, database: incident.database, table: incident.table, region: origin.region, account: origin.account };
    const pauses = await Promise.all(workflowsToHold(incident.dependentWorkflows, crawlerWorkflow).map((name) => workflows.pause(name, ref, { stopRunningRuns: incident.stopRunningRuns })));
    // A crawler a held workflow starts is one of its graph's crawlers: that pause already held its schedule.
    if (crawler === undefined || crawlerWorkflow !== undefined) return { pauses };
    const crawlerSchedule = await workflows.holdSchedule(crawler, ref);
    return crawlerSchedule.scheduled ? { pauses, crawlerSchedule } : { pauses };
  }

  /**
   * The chat alert and the outcome event go out together, neither waiting for the other: an EventBridge failure
   * cannot keep the on-call engineer from hearing that the catalog was changed (and both are bounded: wording/budget.ts).
   * Either failing fails the delivery, so it is retried; what this container already delivered is not sent again by
   * a retry landing here (`delivered`). Both are at least once across containers: they carry the incident id.
   */
  async function announce(report: IncidentReport): Promise<void> {
    const id = report.incidentId;
    const sends: { readonly channel: string; readonly send: () => Promise<void> }[] = [
      { channel: 'chat', send: () => notifier.publish(renderAlert(report)) },
      { channel: 'event', send: () => events.publish(renderOutcomeEvent(report)) },
    ];
    const pending = sends.filter((s) => !delivered.has(`${id} ${s.channel}`));
    const results = await Promise.allSettled(pending.map((s) => s.send()));
    const failures: unknown[] = [];
    results.forEach((result, i) => {
      const channel = pending[i]?.channel;
      if (result.status === 'fulfilled' && channel !== undefined) delivered.add(`${id} ${channel}`);
      else if (result.status === 'rejected') failures.push(result.reason);
    });
    if (failures.length > 0) throw failures[0];
    recent.add(id);
  }

  /** Writes a planned version back; false when the table moved since it was read (the caller re-reads). */
  async function write(ref: TableRef, planned: PlannedWrite<T>): Promise<boolean> {
    try {
      await catalog.restore(ref.database, ref.table, planned.version, planned.expectedVersionId, versionNoteParameters(planned.note));
      return true;
    } catch (error) {
      if (error instanceof RestoreConflictError) return false;
      throw error;
    }
  }

  /**
   * Marks the restored version's alert as sent. A failure here is logged, not thrown: the alert went out, and a
   * retry must not send it twice (a pending claim past its timeout is finished by a redelivery, which re-sends).
   */
  async function confirm(ref: TableRef, planned: PlannedWrite<T>, log: GuardLog): Promise<void> {
    try {
      if (!(await write(ref, planned))) log.warn('could not record that the alert was sent: the table moved on');
    } catch (error) {
      log.warn('could not record that the alert was sent', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The blocked tail, shared by a restore and by a redelivery finishing one: hold, announce, confirm. */
  async function block(incident: PlannedIncident, origin: EventOrigin, restoredFromVersionId: string, confirmation: PlannedWrite<T>, log: GuardLog): Promise<TableOutcome> {
    const report: IncidentReport = { ...incident, outcome: 'blocked', restoredFromVersionId, ...(await hold(incident, origin)) };
    await announce(report);
    await confirm({ database: incident.database, table: incident.table }, confirmation, log);
    return { outcome: 'blocked', incidentId: incident.incidentId, alerted: true, report };
  }

  /** Carries out a plan; undefined when the restore lost a race with another write (re-read and re-plan). */
  async function act(plan: TablePlan<T>, contract: Contract, ref: TableRef, origin: EventOrigin, log: GuardLog, swept: boolean): Promise<TableOutcome | undefined> {
    const incidentLog = (incident: PlannedIncident): GuardLog => log.child({ incidentId: incident.incidentId });
    switch (plan.kind) {
      case 'missing':
        log.info('table no longer exists');
        return { outcome: 'missing' };
      case 'compliant':
        return { outcome: 'compliant' };
      case 'read-version':
        throw new Error(`the guard's plan for ${ref.database}.${ref.table} still needs version ${plan.versionId} after ${String(MAX_VERSION_READS)} reads`);
      case 'in-flight':
        throw new IncidentInFlightError(plan.incidentId, plan.retryInMs);
      case 'finish-alert': {
        const ilog = incidentLog(plan.incident);
        const outcome = await block(plan.incident, origin, plan.restoredFromVersionId, plan.confirm, ilog);
        ilog.warn('breaking schema change blocked (alert recovered after an interrupted delivery)');
        return outcome;
      }
      case 'report': {
        const report: IncidentReport = { ...plan.incident, outcome: plan.outcome, pauses: [] };
        if (plan.alert) await announce(report);
        incidentLog(plan.incident).info(`schema drift ${plan.outcome}`, { alerted: plan.alert, findings: report.judgement.findings.length });
        return { outcome: plan.outcome, incidentId: report.incidentId, alerted: plan.alert, report };
      }
      case 'cannot-restore': {
        const holds: Holds = plan.hold ? await hold(plan.incident, origin) : { pauses: [] };
        const report: IncidentReport = { ...plan.incident, outcome: 'cannot-restore', reason: plan.reason, ...holds };
        // A sweep sees the drift again on every run: it alerts only when the hold recorded the incident in AWS.
        const alert = plan.alert && (!swept || leftRecord(holds));
        if (alert) await announce(report);
        incidentLog(plan.incident).warn('breaking schema change not restored', { reason: plan.reason, alerted: alert });
        return { outcome: 'cannot-restore', incidentId: report.incidentId, alerted: alert, report };
      }
      case 'complete': {
        const ilog = log.child({ incidentId: plan.incidentId });
        if (!settings.releasesIncidents) {
          // This role may not start what it held: it asks reconcile, as a reviewer's `drift-guard resume` does, so the
          // incident is completed now rather than at reconcile's next run.
          const request: ResumeRequest = { database: ref.database, table: ref.table, incidentId: plan.incidentId, resumeRuns: false, requestedBy: 'drift-guard' };
          await events.publish({ source: RESUME_REQUEST_SOURCE, detailType: RESUME_REQUEST_DETAIL_TYPE, detail: { ...request }, resources: [] });
          ilog.info('incident accepted by the deployed contracts: reconcile asked to complete it', { blockedVersionId: plan.blockedVersionId });
          return { outcome: 'left-to-reconcile', incidentId: plan.incidentId };
        }
        try {
          const report = await resumeTable({ catalog, pipelines: deps.pipelines, notifier }, contract, ref, origin, { incidentId: plan.incidentId });
          ilog.info('incident completed: its approved schema is written back and its pipeline released', { blockedVersionId: plan.blockedVersionId });
          return { outcome: 'resumed', incidentId: plan.incidentId, report };
        } catch (error) {
          // The table moved while writing back: re-read and plan again, like a restore that lost the lock.
          if (error instanceof ResumeRefusedError && error.reason.code === 'changed-while-resuming') return undefined;
          throw error;
        }
      }
      case 'restore': {
        if (!(await write(ref, plan.restore))) return undefined;
        const ilog = incidentLog(plan.incident);
        const outcome = await block(plan.incident, origin, plan.restore.note.restoredFrom, plan.confirm, ilog);
        ilog.warn('breaking schema change blocked', { restoredFrom: plan.restore.note.restoredFrom });
        return outcome;
      }
    }
  }

  /**
   * Judges one table and acts on it. `swept`: a sweep already read it from a GetTables page (the first plan uses that
   * copy; the restore's optimistic lock catches a stale page, and the re-plan reads the table with GetTable).
   */
  async function guardTable(ref: TableRef, origin: EventOrigin, quiet = false, swept?: SweptTable<T>): Promise<TableOutcome> {
    const log = deps.log.child({ database: ref.database, table: ref.table });
    const contract = contracts.active(ref.database, ref.table);
    if (contract === undefined) {
      log.debug('table has no contract: left alone');
      return { outcome: 'unguarded' };
    }
    const judged = memoisedJudge(contract, ref);
    const alreadyAlerted = (id: string): boolean => recent.has(id);
    for (let attempt = 1; attempt <= settings.maxRestoreAttempts; attempt += 1) {
      const current = attempt === 1 && swept !== undefined ? swept.current : await catalog.getTable(ref.database, ref.table);
      let input: PlanInput<T> = { contract, ref, origin, current, judged, settings, now: now(), quiet, alreadyAlerted, ...(swept === undefined ? {} : { sweep: true }) };
      let plan = planTable(input);
      // One version at a time, by id (GetTableVersion), as the plan asks: a bounded number, whatever the history.
      const versions = new Map<string, T | undefined>();
      while (plan.kind === 'read-version' && versions.size < MAX_VERSION_READS) {
        versions.set(plan.versionId, await catalog.getVersion(ref.database, ref.table, plan.versionId));
        input = { ...input, versions };
        plan = planTable(input);
      }
      // A sweep meets a standing unrestorable drift on every run: the guard's records say whether it is already open.
      if (swept !== undefined && plan.kind === 'cannot-restore' && plan.hold) {
        const open = await swept.openIncidents();
        plan = planTable({ ...input, openIncident: (id) => open.has(id) });
      }
      const outcome = await act(plan, contract, ref, origin, log, swept !== undefined);
      if (outcome !== undefined) return outcome;
      log.info('table changed during restore: re-reading', { attempt });
    }
    throw new RestoreContentionError(ref.database, ref.table, settings.maxRestoreAttempts);
  }

  const partitionGuard =
    deps.partitions === undefined
      ? undefined
      : createPartitionGuard(
          { catalog, partitions: deps.partitions, contracts, log: deps.log, now, hold, announce, alreadyAlerted: (id) => recent.has(id), maxAttempts: settings.maxRestoreAttempts },
          settings,
        );

  async function tablesOf(work: EventWork): Promise<readonly TableRef[]> {
    if (work.kind === 'tables') return work.tables;
    if (work.kind === 'ignore' || work.kind === 'partitions') return [];
    const databases = await catalog.crawlerDatabases(work.crawlerName);
    if (databases === undefined) {
      deps.log.warn('crawler not found', { crawler: work.crawlerName });
      return [];
    }
    return databases.flatMap((database) => contracts.tablesIn(database));
  }

  return {
    /** Judges one table and acts on it, reading it first (an event names it). */
    guardTable: (ref: TableRef, origin: EventOrigin, quiet = false): Promise<TableOutcome> => guardTable(ref, origin, quiet),
    /** Handles one parsed Glue event: every table it names, a bounded number at a time. */
    async handle(work: EventWork, origin: EventOrigin): Promise<readonly TableResult[]> {
      if (work.kind === 'ignore') {
        deps.log.debug('event ignored', { reason: work.reason });
        return [];
      }
      if (work.kind === 'partitions') {
        if (partitionGuard === undefined) {
          deps.log.debug('event ignored', { reason: 'partition change (no partition port wired)' });
          return [];
        }
        return [{ ...work.table, result: { outcome: 'partitions', partitions: await partitionGuard.guardPartitions(work.table, work.changedPartitions, origin) } }];
      }
      const tables = await tablesOf(work);
      const quiet = work.kind === 'crawler';
      return mapBounded(tables, settings.concurrency, async (ref) => ({ ...ref, result: await guardTable(ref, origin, quiet) }));
    },
    /**
     * Reconcile's sweep for events Glue never delivered: every guarded table judged from its database's GetTables
     * pages and handled as an event would handle it (same plan, restore, hold, alert and records). A database
     * without contracts is not read; a compliant table costs nothing beyond its share of a page. `origin.eventId`
     * names the sweep run (the same for every retry of it), so a retried sweep finishes its own restores' alerts.
     */
    async sweep(origin: EventOrigin, records: SweepRecords<T>): Promise<readonly TableResult[]> {
      const listTables = records.listTables ?? ((database: string) => catalog.listTables(database));
      const results: TableResult[] = [];
      const failures: unknown[] = [];
      // One database (or table) failing does not stop the others being swept; the run then fails, so it is retried.
      for (const database of contracts.databases()) {
        try {
          const byName = new Map<string, T>();
          for (const stored of (await listTables(database)) ?? []) {
            const name = tableNameOf(stored);
            if (name !== undefined) byName.set(name.toLowerCase(), stored);
          }
          const swept = await mapBounded(contracts.tablesIn(database), settings.concurrency, async (ref) => ({
            ...ref,
            result: await guardTable(ref, origin, false, { current: byName.get(ref.table.toLowerCase()), openIncidents: records.openIncidents }),
          }));
          results.push(...swept);
        } catch (error) {
          deps.log.warn('sweep of a database failed', { database, error: error instanceof Error ? error.message : String(error) });
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
      return results;
    },
  };
}

export type Guard = ReturnType<typeof createGuard>;

/**
 * The guard: for each table an event names, decide from the catalog's current state (never from the
 * event), and when a guarded table breaks its contract, restore the newest version the contract
 * accepts, then pause the dependent workflows (together), then alert on SNS and EventBridge (together:
 * the alert says what was paused).
 *
 * Critical path for a breaking change: GetTable, GetTableVersions, UpdateTable. A compliant table costs
 * one GetTable. Duplicates and the guard's own UpdateTable events find a compliant table: no-ops.
 */
import { createHash } from 'node:crypto';
import { type IncidentOutcome, type IncidentReport, renderAlert, renderOutcomeEvent } from '../wording/alert.js';
import type { Contract } from '../contracts/contract.js';
import type { ContractIndex } from '../contracts/contract-index.js';
import type { EventWork, TableRef } from './glue-events.js';
import {
  type CatalogPort,
  type EventPublisherPort,
  type NotifierPort,
  type PauseResult,
  RestoreConflictError,
  type StoredTable,
  type WorkflowPort,
} from '../ports.js';
import { mapBounded } from '../concurrency.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';

export type GuardMode = 'enforce' | 'observe';

export interface GuardSettings {
  /** observe: never restore or pause, whatever the contracts say (GUARD_MODE). */
  readonly mode: GuardMode;
  /** Send informational alerts for allowed (non-breaking) drift. */
  readonly infoAlerts: boolean;
  /** Re-read and re-judge at most this many times when the table moves during a restore. */
  readonly maxRestoreAttempts: number;
  /** Tables judged at once for one event (a Database State Change names up to 100). */
  readonly concurrency: number;
  /**
   * How long a restore's pending alert belongs to the delivery that made it. Past this (longer than the
   * function's timeout, so that delivery is certainly over), a redelivery of the same event sends the alert.
   */
  readonly claimTimeoutMs: number;
}

export const DEFAULT_SETTINGS: GuardSettings = { mode: 'enforce', infoAlerts: true, maxRestoreAttempts: 3, concurrency: 8, claimTimeoutMs: 90_000 };

/** The structured logger the guard writes to (Powertools Logger fits it). */
export interface GuardLog {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  /** A log whose every line also carries `keys` (e.g. database, table, incident), besides this one's. */
  child(keys: Record<string, unknown>): GuardLog;
}

export interface GuardDeps<T extends StoredTable> {
  readonly catalog: CatalogPort<T>;
  readonly workflows: WorkflowPort;
  readonly notifier: NotifierPort;
  readonly events: EventPublisherPort;
  readonly contracts: ContractIndex;
  readonly log: GuardLog;
  /** The clock (tests move it to prove recovery after a crash). */
  readonly now?: () => Date;
}

/** Where the event came from: region and account build ARNs. */
export interface EventOrigin {
  readonly region: string;
  readonly account: string;
  /** The EventBridge event id: the same for every delivery of one event. */
  readonly eventId: string;
}

export type TableOutcome =
  | { readonly outcome: 'unguarded' | 'missing' | 'compliant' }
  | { readonly outcome: IncidentOutcome; readonly incidentId: string; readonly alerted: boolean; readonly report: IncidentReport };

export interface TableResult {
  readonly database: string;
  readonly table: string;
  readonly result: TableOutcome;
}

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

/** The guard's notes on a version it restored: which incident, and whether its alert went out. */
interface RestoreNote {
  readonly incidentId: string;
  readonly alert: 'pending' | 'sent';
  readonly eventId: string;
  readonly claimedAt: number;
  readonly restoredFrom: string;
  readonly replaced: string;
}

function restoreNoteOf(document: unknown): RestoreNote | undefined {
  const parameters = typeof document === 'object' && document !== null && 'Parameters' in document ? document.Parameters : undefined;
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  const read = (key: string): string | undefined => {
    const value: unknown = Reflect.get(parameters, `drift-guard:${key}`);
    return typeof value === 'string' ? value : undefined;
  };
  const [incidentId, alert, eventId, claimedAt, restoredFrom, replaced] = ['incident', 'alert', 'event', 'claimed-at', 'restored-from-version', 'replaced-version'].map(read);
  if (incidentId === undefined || eventId === undefined || restoredFrom === undefined || replaced === undefined) return undefined;
  if (alert !== 'pending' && alert !== 'sent') return undefined;
  return { incidentId, alert, eventId, claimedAt: Date.parse(claimedAt ?? ''), restoredFrom, replaced };
}

/** What every report of an incident on this table says, whatever the outcome. */
function reportBase(contract: Contract, ref: TableRef, origin: EventOrigin, incidentId: string, offendingVersionId: string, judgement: DocumentJudgement) {
  const crawler = judgement.table?.updatedByCrawler;
  return {
    incidentId,
    database: ref.database,
    table: ref.table,
    region: origin.region,
    account: origin.account,
    contractVersion: contract.version,
    judgement,
    offendingVersionId,
    ...(crawler === undefined ? {} : { crawler }),
  };
}

/** The table kept changing while the guard tried to restore it: thrown so the platform retries later. */
export class RestoreContentionError extends Error {
  override readonly name = 'RestoreContentionError';
  constructor(readonly database: string, readonly table: string, attempts: number, options?: { cause?: unknown }) {
    super(`${database}.${table} changed under the guard ${attempts} times in a row; giving up this delivery so it is retried`, options);
  }
}

/** Deterministic: retries and duplicate deliveries of the same change converge on one incident. */
export function incidentIdFor(database: string, table: string, versionId: string): string {
  const digest = createHash('sha256').update(`${database.toLowerCase()}\0${table.toLowerCase()}\0${versionId}`).digest('hex');
  return `dg-${digest.slice(0, 12)}`;
}

const findingKeys = (judgement: DocumentJudgement): string =>
  judgement.findings
    .map((f) => `${f.ruleId} ${f.path}`)
    .sort()
    .join('\n');

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

export function createGuard<T extends StoredTable>(deps: GuardDeps<T>, settings: GuardSettings = DEFAULT_SETTINGS) {
  const { catalog, workflows, notifier, events, contracts, log } = deps;
  const now = deps.now ?? (() => new Date());
  const recent = new RecentIncidents();

  const judgeStored = (contract: Contract, ref: TableRef, stored: T): DocumentJudgement =>
    judgeDocument(contract, `glue://${ref.database}/${ref.table}@${stored.versionId}`, stored.document);

  /**
   * Was this drift already there in the version that last stood (the newest earlier version that was
   * not breaking; breaking ones were restored away)? Then there is nothing new to report: this is how
   * the guard's own restore of an allowed version, and re-deliveries, stay quiet.
   */
  function isNewDrift(contract: Contract, ref: TableRef, current: T, judgement: DocumentJudgement, versions: readonly T[]): boolean {
    for (const version of versions) {
      if (Number(version.versionId) >= Number(current.versionId)) continue;
      const earlier = judgeStored(contract, ref, version);
      if (earlier.verdict === 'breaking' && judgement.verdict !== 'breaking') continue;
      return findingKeys(earlier) !== findingKeys(judgement);
    }
    return true;
  }

  async function pauseAll(contract: Contract, incident: { id: string; database: string; table: string } & EventOrigin, crawler: string | undefined): Promise<PauseResult[]> {
    const names = new Set(contract.dependentWorkflows);
    if (crawler !== undefined) {
      const workflow = await workflows.workflowOfCrawler(crawler);
      if (workflow !== undefined) names.add(workflow);
    }
    return Promise.all([...names].map((name) => workflows.pause(name, incident)));
  }

  /**
   * The outcome event first, then the chat alert: if EventBridge fails, nobody has been alerted yet and the
   * retried delivery sends both; the chat alert, last, is sent once. (Outcome events are at least once: they
   * carry the incident id for deduplication.) Either failing fails the delivery, so it is retried.
   */
  async function announce(report: IncidentReport): Promise<void> {
    await events.publish(renderOutcomeEvent(report));
    await notifier.publish(renderAlert(report));
    recent.add(report.incidentId);
  }

  /**
   * `quiet`: report allowed / observed drift only through the table's own event (a crawler's
   * Succeeded event is a safety net for restores, not a second informational alert).
   */
  async function guardTable(ref: TableRef, origin: EventOrigin, quiet = false): Promise<TableOutcome> {
    const contract = contracts.active(ref.database, ref.table);
    if (contract === undefined) {
      log.debug('table has no contract: left alone', { database: ref.database, table: ref.table });
      return { outcome: 'unguarded' };
    }
    for (let attempt = 1; attempt <= settings.maxRestoreAttempts; attempt += 1) {
      const current = await catalog.getTable(ref.database, ref.table);
      if (current === undefined) {
        log.info('table no longer exists', { database: ref.database, table: ref.table });
        return { outcome: 'missing' };
      }
      const pending = restoreNoteOf(current.document);
      // Only the restore's own version: a later write that copied the parameters carries a stale note.
      const isRestoreItself = pending !== undefined && Number(current.versionId) === Number(pending.replaced) + 1;
      if (pending?.alert === 'pending' && pending.eventId === origin.eventId && isRestoreItself) {
        // This event's earlier delivery restored the table; its alert is not confirmed.
        const age = now().getTime() - pending.claimedAt;
        if (age < settings.claimTimeoutMs) throw new IncidentInFlightError(pending.incidentId, settings.claimTimeoutMs - age);
        return completeRestore(contract, ref, origin, current, pending);
      }
      const judgement = judgeStored(contract, ref, current);
      if (judgement.verdict === 'compliant') return { outcome: 'compliant' };

      const incidentId = incidentIdFor(ref.database, ref.table, current.versionId);
      const crawler = judgement.table?.updatedByCrawler;
      const base = reportBase(contract, ref, origin, incidentId, current.versionId, judgement);
      const incident = { id: incidentId, database: ref.database, table: ref.table, ...origin };

      // Allowed drift, and breaking drift the guard only observes: report once, change nothing.
      const observeOnly = settings.mode === 'observe' || contract.enforcement === 'observe';
      if (judgement.verdict === 'allowed' || observeOnly) {
        const outcome: IncidentOutcome = judgement.verdict === 'allowed' && !judgement.hasBreakingFindings ? 'allowed' : 'observed';
        const report: IncidentReport = { ...base, outcome, pauses: [] };
        if ((outcome === 'allowed' && !settings.infoAlerts) || quiet || recent.has(incidentId)) return { outcome, incidentId, alerted: false, report };
        const versions = await catalog.listVersions(ref.database, ref.table);
        const alerted = isNewDrift(contract, ref, current, judgement, versions);
        if (alerted) await announce(report);
        log.info(`schema drift ${outcome}`, { database: ref.database, table: ref.table, incidentId, alerted, findings: judgement.findings.length });
        return { outcome, incidentId, alerted, report };
      }

      // Breaking, enforced.
      const versions = await catalog.listVersions(ref.database, ref.table);
      const candidate = judgement.table?.openTableFormat === true ? undefined : newestAccepted(contract, ref, current, versions);
      if (candidate === undefined) {
        const reason =
          judgement.table?.openTableFormat === true
            ? `${judgement.table.schema.storage.format} tables keep their data pointer in the table parameters: restoring an old version would move it, so the guard never rolls them back`
            : 'no earlier Glue version of this table is accepted by the contract';
        // A drift already reported (an older version had it) keeps its incident: neither re-paused nor re-alerted.
        const newDrift = isNewDrift(contract, ref, current, judgement, versions);
        const alerted = newDrift && !quiet && !recent.has(incidentId);
        const pauses = newDrift ? await pauseAll(contract, incident, crawler) : [];
        const report: IncidentReport = { ...base, outcome: 'cannot-restore', reason, pauses };
        if (alerted) await announce(report);
        log.warn('breaking schema change not restored', { database: ref.database, table: ref.table, incidentId, reason, alerted });
        return { outcome: 'cannot-restore', incidentId, alerted, report };
      }
      // The restore also claims the alert for this event: until it is confirmed, only this event may send it.
      const note = {
        'drift-guard:incident': incidentId,
        'drift-guard:restored-from-version': candidate.versionId,
        'drift-guard:replaced-version': current.versionId,
        'drift-guard:event': origin.eventId,
        'drift-guard:claimed-at': now().toISOString(),
      };
      try {
        await catalog.restore(ref.database, ref.table, candidate, current.versionId, { ...note, 'drift-guard:alert': 'pending' });
      } catch (error) {
        if (!(error instanceof RestoreConflictError)) throw error;
        log.info('table changed during restore: re-reading', { database: ref.database, table: ref.table, attempt });
        continue;
      }
      const pauses = await pauseAll(contract, incident, crawler);
      const report: IncidentReport = { ...base, outcome: 'blocked', restoredFromVersionId: candidate.versionId, pauses };
      await announce(report);
      await confirmAlert(ref, candidate, String(Number(current.versionId) + 1), note);
      log.warn('breaking schema change blocked', { database: ref.database, table: ref.table, incidentId, restoredFrom: candidate.versionId });
      return { outcome: 'blocked', incidentId, alerted: true, report };
    }
    throw new RestoreContentionError(ref.database, ref.table, settings.maxRestoreAttempts);
  }

  /**
   * Marks the restored version's alert as sent (a copy of it, same schema, locked on its VersionId). A failure
   * here is logged, not thrown: the alert went out, and a retry must not send it twice.
   */
  async function confirmAlert(ref: TableRef, restored: T, restoredVersionId: string, note: Readonly<Record<string, string>>): Promise<void> {
    try {
      await catalog.restore(ref.database, ref.table, restored, restoredVersionId, { ...note, 'drift-guard:alert': 'sent' });
    } catch (error) {
      log.warn('could not record that the alert was sent (the table moved on, or the write failed)', {
        database: ref.database,
        table: ref.table,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** A redelivery after the delivery that restored the table died before confirming its alert: finish the job. */
  async function completeRestore(contract: Contract, ref: TableRef, origin: EventOrigin, current: T, note: RestoreNote): Promise<TableOutcome> {
    const versions = await catalog.listVersions(ref.database, ref.table);
    const offending = versions.find((v) => v.versionId === note.replaced);
    const judgement = offending === undefined ? judgeStored(contract, ref, current) : judgeStored(contract, ref, offending);
    const crawler = judgement.table?.updatedByCrawler;
    const incident = { id: note.incidentId, database: ref.database, table: ref.table, ...origin };
    const pauses = await pauseAll(contract, incident, crawler);
    const report: IncidentReport = {
      ...reportBase(contract, ref, origin, note.incidentId, note.replaced, judgement),
      outcome: 'blocked',
      restoredFromVersionId: note.restoredFrom,
      pauses,
    };
    await announce(report);
    await confirmAlert(ref, current, current.versionId, {
      'drift-guard:incident': note.incidentId,
      'drift-guard:restored-from-version': note.restoredFrom,
      'drift-guard:replaced-version': note.replaced,
      'drift-guard:event': note.eventId,
      'drift-guard:claimed-at': new Date(note.claimedAt).toISOString(),
    });
    log.warn('breaking schema change blocked (alert recovered after an interrupted delivery)', { database: ref.database, table: ref.table, incidentId: note.incidentId });
    return { outcome: 'blocked', incidentId: note.incidentId, alerted: true, report };
  }

  /** The newest version older than `current` that the contract does not judge breaking. */
  function newestAccepted(contract: Contract, ref: TableRef, current: T, versions: readonly T[]): T | undefined {
    for (const version of versions) {
      if (Number(version.versionId) >= Number(current.versionId)) continue;
      if (judgeStored(contract, ref, version).verdict !== 'breaking') return version;
    }
    return undefined;
  }

  async function tablesOf(work: EventWork): Promise<readonly TableRef[]> {
    if (work.kind === 'tables') return work.tables;
    if (work.kind === 'ignore') return [];
    const databases = await catalog.crawlerDatabases(work.crawlerName);
    if (databases === undefined) {
      log.warn('crawler not found', { crawler: work.crawlerName });
      return [];
    }
    return databases.flatMap((database) => contracts.tablesIn(database));
  }

  return {
    guardTable,
    /** Handles one parsed Glue event: every table it names, a bounded number at a time. */
    async handle(work: EventWork, origin: EventOrigin): Promise<readonly TableResult[]> {
      if (work.kind === 'ignore') {
        log.debug('event ignored', { reason: work.reason });
        return [];
      }
      const tables = await tablesOf(work);
      const quiet = work.kind === 'crawler';
      return mapBounded(tables, settings.concurrency, async (ref) => ({ ...ref, result: await guardTable(ref, origin, quiet) }));
    },
  };
}

export type Guard = ReturnType<typeof createGuard>;

/**
 * The guard's decisions for one table, as a pure function: given the contract, the table as it is now, the
 * versions it asked for, the guard's own records and the settings, it returns what to do. No ports, no clock
 * it was not given. The executor (guard.ts) reads, asks for a plan, and carries it out.
 *
 * The decisions: is the table compliant; is an earlier delivery of this event still finishing a restore (in flight)
 * or did it die before alerting (finish its alert); report allowed / observed drift, and only when it is new;
 * restore the newest version the contract accepts and hold the pipeline; or, when nothing can be restored, hold and
 * alert once per drift.
 */
import type { Contract } from '../contracts/contract.js';
import type { DocumentJudgement } from '../judging/judge.js';
import { type EventOrigin, type TableRef, incidentIdOf } from '../incidents/incident.js';
import { type CannotRestoreReason, restoreRefusal, stopsRunningRuns } from '../incidents/policy.js';
import { type RestoreNote, versionNoteOf } from '../incidents/records.js';
import { type IncidentFacts, incidentFacts } from '../incidents/report.js';
import type { StoredTable } from '../ports.js';
import { compareVersionIds, nextVersionId } from '../version-ids.js';

export type GuardMode = 'enforce' | 'observe';

export interface PlanSettings {
  /** observe: never restore or pause, whatever the contracts say (GUARD_MODE). */
  readonly mode: GuardMode;
  /** Send informational alerts for allowed (non-breaking) drift. */
  readonly infoAlerts: boolean;
  /**
   * How long a restore's pending alert belongs to the delivery that made it. Past this (longer than the
   * function's timeout, so that delivery is certainly over), a redelivery of the same event sends the alert.
   */
  readonly claimTimeoutMs: number;
  /** The deployment's setting for stopping RUNNING runs of held workflows (STOP_RUNNING_RUNS); a contract may override it. */
  readonly stopRunningRuns: boolean;
}

export interface PlanInput<T extends StoredTable> {
  readonly contract: Contract;
  readonly ref: TableRef;
  readonly origin: EventOrigin;
  /** GetTable's answer: undefined when the table does not exist. */
  readonly current: T | undefined;
  /** Every stored version, newest first; only once a plan asked for them (`read-versions`). */
  readonly versions?: readonly T[];
  /** The judgement of a stored version against the contract (memoised by the caller: each version is judged once). */
  readonly judged: (stored: T) => DocumentJudgement;
  readonly settings: PlanSettings;
  readonly now: Date;
  /**
   * A crawler's Succeeded event: a safety net for restores, not a second informational alert, so allowed and
   * observed drift and unrestorable drift are not alerted from it.
   */
  readonly quiet: boolean;
  /** Did this container alert this incident already (duplicate deliveries landing on the same container)? */
  readonly alreadyAlerted: (incidentId: string) => boolean;
  /**
   * Reconcile's sweep, not an event. It sees a standing drift on every run, and the guard keeps no record in AWS of
   * an allowed or observed drift's alert: the sweep reports those quietly. Restores and the incidents it opens are
   * alerted as an event's would be, once (their records in AWS say so).
   */
  readonly sweep?: boolean;
  /** Is this incident open by the guard's own records in AWS (pipelines held under its id)? Then it is neither held nor alerted again. */
  readonly openIncident?: (incidentId: string) => boolean;
}

/** An incident the plan acts on: its facts and what to hold. */
export interface PlannedIncident extends IncidentFacts {
  /** Workflows the contract names; the crawler's own workflow is looked up by the executor. */
  readonly dependentWorkflows: readonly string[];
  /** Holding the workflows also stops their RUNNING runs (policy.ts `stopsRunningRuns`: contract, then deployment). */
  readonly stopRunningRuns: boolean;
}

/** Writing `version` back over `expectedVersionId` (the optimistic lock) with the guard's `note`. */
export interface PlannedWrite<T extends StoredTable> {
  readonly version: T;
  readonly expectedVersionId: string;
  readonly note: RestoreNote;
}

export type TablePlan<T extends StoredTable> =
  | { readonly kind: 'missing' }
  | { readonly kind: 'compliant' }
  /** The plan needs the table's stored versions: read them and plan again. */
  | { readonly kind: 'read-versions' }
  /** This event's earlier delivery restored the table moments ago and may still be alerting: retry later. */
  | { readonly kind: 'in-flight'; readonly incidentId: string; readonly retryInMs: number }
  /** This event's earlier delivery restored the table and died before confirming its alert: hold, alert, confirm. */
  | { readonly kind: 'finish-alert'; readonly incident: PlannedIncident; readonly restoredFromVersionId: string; readonly confirm: PlannedWrite<T> }
  /** Allowed drift, or breaking drift only observed: change nothing; alert when `alert`. */
  | { readonly kind: 'report'; readonly outcome: 'allowed' | 'observed'; readonly incident: PlannedIncident; readonly alert: boolean }
  /**
   * The table is the guard's restore for `incidentId`, and the contract now accepts the schema that restore blocked
   * (its approval is deployed): write that schema back, release exactly what the incident holds, say so once.
   */
  | { readonly kind: 'complete'; readonly incidentId: string; readonly blockedVersionId: string }
  /** Breaking and enforced: restore, hold, alert, then confirm the alert on the restored version. */
  | { readonly kind: 'restore'; readonly incident: PlannedIncident; readonly restore: PlannedWrite<T>; readonly confirm: PlannedWrite<T> }
  /** Breaking and enforced, but nothing can be restored: hold and alert once per drift. */
  | { readonly kind: 'cannot-restore'; readonly incident: PlannedIncident; readonly reason: CannotRestoreReason; readonly hold: boolean; readonly alert: boolean };

const findingKeys = (judgement: DocumentJudgement): string =>
  judgement.findings
    .map((f) => `${f.ruleId} ${f.path}`)
    .sort()
    .join('\n');

/** Versions older than `current`, newest first. */
function earlier<T extends StoredTable>(versions: readonly T[], current: T): T[] {
  return versions.filter((v) => compareVersionIds(v.versionId, current.versionId) < 0).sort((a, b) => compareVersionIds(b.versionId, a.versionId));
}

/**
 * Was this drift already there in the version that last stood (the newest earlier version that was not breaking;
 * breaking ones were restored away)? Then there is nothing new to report: this is how the guard's own restore of an
 * allowed version, and re-deliveries, stay quiet.
 */
function isNewDrift<T extends StoredTable>(input: PlanInput<T>, current: T, judgement: DocumentJudgement, versions: readonly T[]): boolean {
  for (const version of earlier(versions, current)) {
    const before = input.judged(version);
    if (before.verdict === 'breaking' && judgement.verdict !== 'breaking') continue;
    return findingKeys(before) !== findingKeys(judgement);
  }
  return true;
}

/** The restore target: the newest version older than `current` that the contract does not judge breaking. */
function newestAccepted<T extends StoredTable>(input: PlanInput<T>, current: T, versions: readonly T[]): T | undefined {
  return earlier(versions, current).find((version) => input.judged(version).verdict !== 'breaking');
}

function planned<T extends StoredTable>(
  input: PlanInput<T>,
  incidentId: string,
  offendingVersionId: string,
  judgement: DocumentJudgement,
  writtenByGuard = false,
): PlannedIncident {
  const { crawler, ...facts } = incidentFacts(input.contract, input.ref, input.origin, incidentId, offendingVersionId, judgement);
  return {
    ...facts,
    ...(crawler === undefined || writtenByGuard ? {} : { crawler }),
    dependentWorkflows: input.contract.dependentWorkflows,
    stopRunningRuns: stopsRunningRuns(input.contract.stopRunningRuns, input.settings.stopRunningRuns),
  };
}

/** The confirmation of a pending restore: the same schema written again, with the alert marked sent. */
function confirmation<T extends StoredTable>(note: RestoreNote, restored: T, restoredVersionId: string): PlannedWrite<T> {
  return { version: restored, expectedVersionId: restoredVersionId, note: { ...note, alert: 'sent' } };
}

/** A pending claim by an earlier delivery of this very event, on the version that delivery wrote. */
function pendingClaim<T extends StoredTable>(input: PlanInput<T>, current: T): RestoreNote | undefined {
  const note = versionNoteOf(current.versionId, current.document);
  if (note?.kind !== 'restore' || note.alert !== 'pending' || note.eventId !== input.origin.eventId) return undefined;
  return note;
}

export function planTable<T extends StoredTable>(input: PlanInput<T>): TablePlan<T> {
  const { current, versions, settings, contract } = input;
  if (current === undefined) return { kind: 'missing' };

  const claim = pendingClaim(input, current);
  if (claim !== undefined) {
    const age = input.now.getTime() - Date.parse(claim.claimedAt);
    if (age < settings.claimTimeoutMs) return { kind: 'in-flight', incidentId: claim.incidentId, retryInMs: settings.claimTimeoutMs - age };
    if (versions === undefined) return { kind: 'read-versions' };
    // The report judges the version the restore replaced; if retention deleted it, the restored table stands in.
    const offending = versions.find((v) => compareVersionIds(v.versionId, claim.replaced) === 0) ?? current;
    return {
      kind: 'finish-alert',
      incident: planned(input, claim.incidentId, claim.replaced, input.judged(offending)),
      restoredFromVersionId: claim.restoredFrom,
      confirm: confirmation(claim, current, current.versionId),
    };
  }

  const judgement = input.judged(current);
  if (judgement.verdict === 'compliant') return { kind: 'compliant' };

  // The table is the guard's own restore, and the contract no longer accepts it: the contract changed, not the table.
  // When it now accepts the schema the restore blocked, the reviewers approved it: complete that incident, never
  // open a new one.
  const own = versionNoteOf(current.versionId, current.document);
  if (own?.kind === 'restore') {
    if (versions === undefined) return { kind: 'read-versions' };
    const blocked = versions.find((v) => compareVersionIds(v.versionId, own.replaced) === 0);
    if (blocked !== undefined && input.judged(blocked).verdict !== 'breaking') {
      return { kind: 'complete', incidentId: own.incidentId, blockedVersionId: blocked.versionId };
    }
  }
  const incidentId = incidentIdOf(input.ref, current.versionId, current.document);
  // A version the guard wrote carries the crawler of the version it copied: it is not that crawler's write.
  const incident = planned(input, incidentId, current.versionId, judgement, own !== undefined);

  // Allowed drift, and breaking drift the guard only observes: report once, change nothing.
  if (judgement.verdict === 'allowed' || settings.mode === 'observe' || contract.enforcement === 'observe') {
    const outcome = judgement.verdict === 'allowed' && !judgement.hasBreakingFindings ? 'allowed' : 'observed';
    if ((outcome === 'allowed' && !settings.infoAlerts) || input.quiet || input.sweep === true || input.alreadyAlerted(incidentId)) {
      return { kind: 'report', outcome, incident, alert: false };
    }
    if (versions === undefined) return { kind: 'read-versions' };
    return { kind: 'report', outcome, incident, alert: isNewDrift(input, current, judgement, versions) };
  }

  // Breaking, enforced.
  if (versions === undefined) return { kind: 'read-versions' };
  const refusal = judgement.table === undefined ? undefined : restoreRefusal(judgement.table.schema.storage.format);
  const target = refusal === undefined ? newestAccepted(input, current, versions) : undefined;
  if (target === undefined) {
    // A drift already reported (an older version had it, or its incident is open) is neither re-held nor re-alerted.
    const newDrift = isNewDrift(input, current, judgement, versions) && input.openIncident?.(incidentId) !== true;
    return {
      kind: 'cannot-restore',
      incident,
      reason: refusal ?? { code: 'no-accepted-version' },
      hold: newDrift,
      alert: newDrift && !input.quiet && !input.alreadyAlerted(incidentId),
    };
  }
  // The restore also claims the alert for this event: until it is confirmed, only this event may send it.
  const note: RestoreNote = {
    kind: 'restore',
    incidentId,
    restoredFrom: target.versionId,
    replaced: current.versionId,
    alert: 'pending',
    eventId: input.origin.eventId,
    claimedAt: input.now.toISOString(),
  };
  return {
    kind: 'restore',
    incident,
    restore: { version: target, expectedVersionId: current.versionId, note },
    confirm: confirmation(note, target, nextVersionId(current.versionId)),
  };
}

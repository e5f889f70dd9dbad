/**
 * The guard's decisions for one table, as a pure function: given the contract, the table as it is now, the
 * versions it asked for, the guard's own records and the settings, it returns what to do. No ports, no clock
 * it was not given. The executor (guard.ts) reads, asks for a plan, and carries it out.
 *
 * The decisions: is the table compliant; is an earlier delivery of this event still finishing a restore (in flight)
 * or did it die before alerting (finish its alert); report allowed / observed drift, and only when it is new;
 * restore the newest version the contract accepts and hold the pipeline; or, when nothing can be restored, hold and
 * alert once per drift.
 *
 * Versions are read by id, never listed: a plan asks for one version at a time (`read-version`), at most
 * MAX_VERSIONS_WALKED back from the current one plus the contract's approved version, so the AWS calls and the
 * memory per event do not grow with the table's history (Glue keeps up to 100,000 versions a table). Past that
 * reach, the restore is the contract applied to the current table (contract-table.ts), judged before it is written.
 */
import type { Contract } from '../contracts/contract.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import { type EventOrigin, type TableRef, incidentIdOf } from '../incidents/incident.js';
import { type CannotRestoreReason, restoreRefusal, stopsRunningRuns } from '../incidents/policy.js';
import { type RestoreNote, contractRestoreSource, versionNoteOf } from '../incidents/records.js';
import { type IncidentFacts, incidentFacts } from '../incidents/report.js';
import type { StoredTable } from '../ports.js';
import { compareVersionIds, isVersionId, nextVersionId, versionIdBefore } from '../version-ids.js';
import { contractAppliedDocument } from './contract-table.js';

/**
 * How far back from the current version the guard looks for the version that last stood (is this drift new?) and
 * for a version to restore: current−1 … current−MAX_VERSIONS_WALKED, skipping deleted ones. A constant: the calls
 * per event never depend on how many versions the table has.
 */
export const MAX_VERSIONS_WALKED = 3;

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
  /**
   * The versions read so far for this plan, by VersionId (each asked for by a `read-version` plan); undefined when
   * Glue has no such version (deleted by retention, or never archived). At most a few: see MAX_VERSIONS_WALKED.
   */
  readonly versions?: ReadonlyMap<string, T | undefined>;
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

/**
 * Writing `version` back over `expectedVersionId` (the optimistic lock) with the guard's `note`. `version` is a stored
 * version, or the contract applied to the current table (`note.restoredFrom` is then `contract-v<N>`).
 */
export interface PlannedWrite<T extends StoredTable> {
  readonly version: T | StoredTable;
  readonly expectedVersionId: string;
  readonly note: RestoreNote;
}

export type TablePlan<T extends StoredTable> =
  | { readonly kind: 'missing' }
  | { readonly kind: 'compliant' }
  /** The plan needs one stored version (GetTableVersion): read it and plan again. */
  | { readonly kind: 'read-version'; readonly versionId: string }
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

/** A version the plan needs: read (the version, or undefined when Glue has none), or still to be asked for. */
type Needed<T> = { readonly kind: 'read'; readonly version: T | undefined } | { readonly kind: 'ask'; readonly versionId: string };

function needed<T extends StoredTable>(input: PlanInput<T>, versionId: string): Needed<T> {
  const versions = input.versions;
  if (versions === undefined || !versions.has(versionId)) return { kind: 'ask', versionId };
  return { kind: 'read', version: versions.get(versionId) };
}

/**
 * `none.whole`: the walk read every version down to the table's first ("0"; Glue numbers a new table's versions
 * from 0), none deleted: the table never had a version the walk wanted.
 */
type Walked<T> =
  | { readonly kind: 'found'; readonly version: T }
  | { readonly kind: 'none'; readonly whole: boolean }
  | { readonly kind: 'ask'; readonly versionId: string };

/**
 * The newest of current−1 … current−MAX_VERSIONS_WALKED that `wanted` accepts, deleted versions skipped; asks for
 * the next unread one. `none` when no version within reach is wanted.
 */
function walkBack<T extends StoredTable>(input: PlanInput<T>, current: T, wanted: (version: T) => boolean): Walked<T> {
  let id = versionIdBefore(current.versionId);
  let deleted = false;
  for (let step = 0; step < MAX_VERSIONS_WALKED && id !== undefined; step += 1) {
    const read = needed(input, id);
    if (read.kind === 'ask') return read;
    if (read.version !== undefined && wanted(read.version)) return { kind: 'found', version: read.version };
    deleted ||= read.version === undefined;
    id = versionIdBefore(id);
  }
  return { kind: 'none', whole: id === undefined && !deleted };
}

/**
 * Was this drift already there in the version that last stood (the newest earlier version that was not breaking;
 * breaking ones were restored away)? Then there is nothing new to report: this is how the guard's own restore of an
 * allowed version, and re-deliveries, stay quiet. Bounded: past MAX_VERSIONS_WALKED it is new (alerting once more
 * rather than staying silent).
 */
function isNewDrift<T extends StoredTable>(input: PlanInput<T>, current: T, judgement: DocumentJudgement): boolean | { readonly ask: string } {
  const stood = walkBack(input, current, (version) => !(input.judged(version).verdict === 'breaking' && judgement.verdict !== 'breaking'));
  if (stood.kind === 'ask') return { ask: stood.versionId };
  if (stood.kind === 'none') return true;
  return findingKeys(input.judged(stood.version)) !== findingKeys(judgement);
}

type Target<T> = { readonly kind: 'target'; readonly version: T | StoredTable; readonly restoredFrom: string } | { readonly kind: 'none' } | { readonly kind: 'ask'; readonly versionId: string };

/**
 * The restore target, without reading the history: the newest of the few versions before `current` that the contract
 * does not judge breaking; else the version the contract was approved from (`x-approval.glueVersionId`), if Glue
 * still has it and the contract accepts it; else the contract applied to the current table, if the judge accepts
 * that. None: nothing the contract accepts can be written, or the table never had a schema the contract accepts
 * (every version of it was read, none deleted): nothing is invented for a table that never matched its contract.
 */
function restoreTarget<T extends StoredTable>(input: PlanInput<T>, current: T): Target<T> {
  const accepted = (version: T): boolean => input.judged(version).verdict !== 'breaking';
  const walked = walkBack(input, current, accepted);
  if (walked.kind === 'ask') return walked;
  if (walked.kind === 'found') return { kind: 'target', version: walked.version, restoredFrom: walked.version.versionId };
  if (walked.whole) return { kind: 'none' };
  const approved = input.contract.approval?.glueVersionId;
  if (approved !== undefined && isVersionId(approved) && compareVersionIds(approved, current.versionId) < 0) {
    const read = needed(input, approved);
    if (read.kind === 'ask') return read;
    if (read.version !== undefined && accepted(read.version)) return { kind: 'target', version: read.version, restoredFrom: read.version.versionId };
  }
  const built = contractAppliedDocument(input.contract, current.document);
  if (built === undefined) return { kind: 'none' };
  const restoredFrom = contractRestoreSource(input.contract.version);
  const verdict = judgeDocument(input.contract, `${restoredFrom} applied to glue://${input.ref.database}/${input.ref.table}@${current.versionId}`, built).verdict;
  return verdict === 'breaking' ? { kind: 'none' } : { kind: 'target', version: { versionId: current.versionId, document: built }, restoredFrom };
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
function confirmation<T extends StoredTable>(note: RestoreNote, restored: StoredTable, restoredVersionId: string): PlannedWrite<T> {
  return { version: restored, expectedVersionId: restoredVersionId, note: { ...note, alert: 'sent' } };
}

/** A pending claim by an earlier delivery of this very event, on the version that delivery wrote. */
function pendingClaim<T extends StoredTable>(input: PlanInput<T>, current: T): RestoreNote | undefined {
  const note = versionNoteOf(current.versionId, current.document);
  if (note?.kind !== 'restore' || note.alert !== 'pending' || note.eventId !== input.origin.eventId) return undefined;
  return note;
}

export function planTable<T extends StoredTable>(input: PlanInput<T>): TablePlan<T> {
  const { current, settings, contract } = input;
  if (current === undefined) return { kind: 'missing' };

  const claim = pendingClaim(input, current);
  if (claim !== undefined) {
    const age = input.now.getTime() - Date.parse(claim.claimedAt);
    if (age < settings.claimTimeoutMs) return { kind: 'in-flight', incidentId: claim.incidentId, retryInMs: settings.claimTimeoutMs - age };
    // The report judges the version the restore replaced; if retention deleted it, the restored table stands in.
    const replaced = needed(input, claim.replaced);
    if (replaced.kind === 'ask') return { kind: 'read-version', versionId: replaced.versionId };
    const offending = replaced.version ?? current;
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
    const read = needed(input, own.replaced);
    if (read.kind === 'ask') return { kind: 'read-version', versionId: read.versionId };
    const blocked = read.version;
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
    const isNew = isNewDrift(input, current, judgement);
    if (typeof isNew !== 'boolean') return { kind: 'read-version', versionId: isNew.ask };
    return { kind: 'report', outcome, incident, alert: isNew };
  }

  // Breaking, enforced.
  const refusal = judgement.table === undefined ? undefined : restoreRefusal(judgement.table.schema.storage.format);
  const target: Target<T> = refusal === undefined ? restoreTarget(input, current) : { kind: 'none' };
  if (target.kind === 'ask') return { kind: 'read-version', versionId: target.versionId };
  if (target.kind === 'none') {
    // A drift already reported (an older version had it, or its incident is open) is neither re-held nor re-alerted.
    const isNew = isNewDrift(input, current, judgement);
    if (typeof isNew !== 'boolean') return { kind: 'read-version', versionId: isNew.ask };
    const newDrift = isNew && input.openIncident?.(incidentId) !== true;
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
    restoredFrom: target.restoredFrom,
    replaced: current.versionId,
    alert: 'pending',
    eventId: input.origin.eventId,
    claimedAt: input.now.toISOString(),
  };
  return {
    kind: 'restore',
    incident,
    restore: { version: target.version, expectedVersionId: current.versionId, note },
    confirm: confirmation(note, target.version, nextVersionId(current.versionId)),
  };
}

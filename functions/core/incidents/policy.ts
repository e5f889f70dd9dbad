/**
 * The guard's policy, in one place: which tables it never restores, which triggers it stops (and so must
 * restart), which workflows an incident holds. Adapters carry these decisions out; they never make them.
 */
import { OPEN_TABLE_FORMATS, type StorageFormat } from '../schema/storage-format.js';

/**
 * Formats whose table keeps a data pointer in its parameters (Iceberg `metadata_location`, Delta and Hudi sync
 * state): writing an old Glue version back would move the table to old data, so the guard never rolls them back.
 */
export const NEVER_RESTORED_FORMATS: readonly StorageFormat[] = OPEN_TABLE_FORMATS;

/** Why the guard will not write an old version back (worded in core/wording/incident.ts). */
export type RestoreRefusal = { readonly code: 'data-pointer-format'; readonly format: StorageFormat };

/** Why a breaking change was not restored: the table's format forbids it, or no earlier version is accepted. */
export type CannotRestoreReason = RestoreRefusal | { readonly code: 'no-accepted-version' };

/** Why the guard will not write an old version of a `format` table back; undefined when it may. */
export function restoreRefusal(format: StorageFormat): RestoreRefusal | undefined {
  if (!NEVER_RESTORED_FORMATS.includes(format)) return undefined;
  return { code: 'data-pointer-format', format };
}

export interface TriggerFacts {
  /** Glue trigger Type: SCHEDULED, CONDITIONAL, ON_DEMAND, EVENT. */
  readonly type: string;
  /** Glue trigger State: CREATED, ACTIVATED, DEACTIVATED, … */
  readonly state: string;
}

/**
 * What holding a workflow does to one of its triggers:
 * - stop: an ACTIVATED SCHEDULED, CONDITIONAL or EVENT trigger is tagged, then stopped (StopTrigger);
 * - check-own: a DEACTIVATED one may be this incident's own earlier stop (a retry): it counts as stopped when its
 *   tag names the incident, else it is left alone;
 * - leave: everything else, with the reason the alert shows.
 * ON_DEMAND triggers never (de)activate and StartTrigger fires them (Glue API, StartTrigger), so they are never
 * touched. EVENT triggers: the StopTrigger reference is silent on them; the guard tries (a refusal,
 * InvalidInputException, is reported and its tags are taken back), since a stop that works holds the pipeline.
 */
export type TriggerHoldAction = { readonly action: 'stop' } | { readonly action: 'check-own' } | { readonly action: 'leave'; readonly reason: HoldLeaveReason };

/** Why a trigger is left alone when a workflow is held (worded in core/wording/incident.ts). */
export type HoldLeaveReason =
  | { readonly code: 'on-demand' }
  | { readonly code: 'not-stoppable'; readonly type: string }
  | { readonly code: 'not-active'; readonly state: string };

const STOPPABLE_TRIGGER_TYPES: readonly string[] = ['SCHEDULED', 'CONDITIONAL', 'EVENT'];

export function triggerHoldAction(trigger: TriggerFacts): TriggerHoldAction {
  if (trigger.type === 'ON_DEMAND') return { action: 'leave', reason: { code: 'on-demand' } };
  if (!STOPPABLE_TRIGGER_TYPES.includes(trigger.type)) return { action: 'leave', reason: { code: 'not-stoppable', type: trigger.type } };
  if (trigger.state === 'ACTIVATED') return { action: 'stop' };
  if (trigger.state === 'DEACTIVATED') return { action: 'check-own' };
  return { action: 'leave', reason: { code: 'not-active', state: trigger.state } };
}

/**
 * Releasing a trigger the guard stopped: only a DEACTIVATED SCHEDULED / CONDITIONAL trigger is started again; an
 * ACTIVATED one was restarted by hand (its tags are removed only). Never StartTrigger on ON_DEMAND (it would fire
 * it) or EVENT (Glue refuses).
 */
export type TriggerReleaseAction =
  | { readonly action: 'start' }
  | { readonly action: 'untag-only' }
  | { readonly action: 'refuse'; readonly reason: ReleaseRefusal };

/** Why a trigger the guard stopped is not started again (worded in core/wording/incident.ts). */
export type ReleaseRefusal = { readonly code: 'on-demand' } | { readonly code: 'event' } | { readonly code: 'unsettled'; readonly state: string };

export function triggerReleaseAction(trigger: TriggerFacts): TriggerReleaseAction {
  if (trigger.type === 'ON_DEMAND') return { action: 'refuse', reason: { code: 'on-demand' } };
  if (trigger.type === 'EVENT') return { action: 'refuse', reason: { code: 'event' } };
  if (trigger.state === 'ACTIVATED') return { action: 'untag-only' };
  if (trigger.state !== 'DEACTIVATED') return { action: 'refuse', reason: { code: 'unsettled', state: trigger.state } };
  return { action: 'start' };
}

/** The workflows an incident holds: the contract's dependent workflows, and the workflow that runs the crawler that wrote the drift. */
export function workflowsToHold(dependentWorkflows: readonly string[], crawlerWorkflow: string | undefined): readonly string[] {
  return [...new Set([...dependentWorkflows, ...(crawlerWorkflow === undefined ? [] : [crawlerWorkflow])])];
}

/**
 * Whether holding a workflow stops its RUNNING runs: the contract's `x-stop-running-runs` when it says, else the
 * deployment's `stopRunningRuns`. StopWorkflowRun terminates the run's running jobs and crawlers at once, with no
 * rollback (Glue API, StopWorkflowRun); not stopping lets a run already under way finish on what it read. The
 * deployment default is off: the guard's other holds (restore, StopTrigger) can be undone, a killed job cannot.
 */
export function stopsRunningRuns(contractSetting: boolean | undefined, deploySetting: boolean): boolean {
  return contractSetting ?? deploySetting;
}

/** The deployment default for stopping RUNNING runs (serverless.yml param `stopRunningRuns`, STOP_RUNNING_RUNS). */
export const STOP_RUNNING_RUNS_DEFAULT = false;

/**
 * What became of a run the guard stopped, when resuming (worded in core/wording/incident.ts). Glue resumes only
 * COMPLETED runs (developer guide, "Repairing and resuming a workflow run"); a STOPPED run is started again with
 * StartWorkflowRun; a run still STOPPING is neither until it settles.
 */
export type RunReleaseNote =
  /** held: nobody asked to resume or restart the runs (no --resume-runs / --restart-runs). */
  | { readonly code: 'not-asked'; readonly workflow: string }
  /** skipped: the reviewer let the run go (--leave-runs). */
  | { readonly code: 'left'; readonly workflow: string }
  /** held: the run has not settled (RUNNING, STOPPING). */
  | { readonly code: 'unsettled'; readonly status: string }
  /** held: STOPPED, and only --resume-runs was asked (Glue does not resume STOPPED runs). */
  | { readonly code: 'stopped-needs-restart' }
  /** held: COMPLETED, and only --restart-runs was asked (a COMPLETED run is resumed, not started again). */
  | { readonly code: 'completed-needs-resume' }
  /** held: a state in which the guard neither resumes nor restarts (ERROR, …). */
  | { readonly code: 'not-releasable'; readonly status: string }
  /** held: Glue refused for now (ConcurrentRunsExceededException at MaxConcurrentRuns, a state change). */
  | { readonly code: 'refused-for-now'; readonly error: string; readonly message: string }
  /** skipped: the run, or its workflow, no longer exists. */
  | { readonly code: 'not-found'; readonly message: string }
  /** skipped: the COMPLETED run left no job or crawler unfinished. */
  | { readonly code: 'nothing-unfinished' }
  /** skipped: already resumed / restarted as `runId`. */
  | { readonly code: 'already-resumed'; readonly runId: string }
  | { readonly code: 'already-restarted'; readonly runId: string };

/**
 * Holding a producer of the drift (its next run would write it again): a crawler on its own schedule, or an
 * EventBridge rule that starts a held workflow (EVENT triggers cannot be stopped; the rules that fire them can).
 * - stop: a SCHEDULED crawler schedule / an ENABLED rule is tagged, then stopped (StopCrawlerSchedule / DisableRule);
 * - check-own: NOT_SCHEDULED / DISABLED may be this incident's own earlier hold (a retry): held when its tag says so;
 * - leave: everything else, with the reason the alert shows. A managed rule (ManagedBy: created by an AWS service)
 *   is never forced (DisableRule refuses it without Force, API_DisableRule); ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 *   is left alone because EnableRule could not put that state back.
 * A rule with other targets than the workflow is disabled all the same (its other targets stop too, and the alert says
 * so): removing only the workflow's target would need the target's whole definition (RoleArn, Input, retry and
 * dead-letter settings) recorded to put it back, which a 256-character tag cannot hold, and a lost record would
 * delete the pipeline's start for good; a disabled rule is one bit, put back by EnableRule.
 */
export type ProducerHoldAction = { readonly action: 'stop' } | { readonly action: 'check-own' } | { readonly action: 'leave'; readonly reason: ProducerLeaveReason };

/** Why a producer is left alone when an incident holds its pipeline (worded in core/wording/incident.ts). */
export type ProducerLeaveReason =
  | { readonly code: 'no-schedule' }
  | { readonly code: 'not-found' }
  | { readonly code: 'managed'; readonly by: string }
  | { readonly code: 'state'; readonly state: string }
  | { readonly code: 'changed-meanwhile'; readonly detail: string };

export function scheduleHoldAction(schedule: { readonly expression?: string | undefined; readonly state?: string | undefined } | undefined): ProducerHoldAction {
  if (schedule?.expression === undefined || schedule.expression === '') return { action: 'leave', reason: { code: 'no-schedule' } };
  if (schedule.state === 'SCHEDULED') return { action: 'stop' };
  if (schedule.state === 'NOT_SCHEDULED') return { action: 'check-own' };
  return { action: 'leave', reason: { code: 'state', state: schedule.state ?? 'UNKNOWN' } };
}

export function ruleHoldAction(rule: { readonly state?: string | undefined; readonly managedBy?: string | undefined }): ProducerHoldAction {
  if (rule.managedBy !== undefined && rule.managedBy !== '') return { action: 'leave', reason: { code: 'managed', by: rule.managedBy } };
  if (rule.state === 'ENABLED') return { action: 'stop' };
  if (rule.state === 'DISABLED') return { action: 'check-own' };
  return { action: 'leave', reason: { code: 'state', state: rule.state ?? 'UNKNOWN' } };
}

/**
 * Releasing a producer the guard holds (its tag names the incident): NOT_SCHEDULED / DISABLED → start it again
 * (StartCrawlerSchedule / EnableRule), then untag; SCHEDULED / ENABLED → someone re-enabled it by hand: untag only;
 * a schedule removed since → untag only (nothing to start); anything else (TRANSITIONING) → not now, the tag stays.
 */
export type ProducerReleaseAction = { readonly action: 'start' } | { readonly action: 'untag-only'; readonly why: 'already-active' | 'no-schedule' } | { readonly action: 'wait'; readonly state: string };

export function scheduleReleaseAction(schedule: { readonly expression?: string | undefined; readonly state?: string | undefined } | undefined): ProducerReleaseAction {
  if (schedule?.expression === undefined || schedule.expression === '') return { action: 'untag-only', why: 'no-schedule' };
  if (schedule.state === 'NOT_SCHEDULED') return { action: 'start' };
  if (schedule.state === 'SCHEDULED') return { action: 'untag-only', why: 'already-active' };
  return { action: 'wait', state: schedule.state ?? 'UNKNOWN' };
}

export function ruleReleaseAction(rule: { readonly state?: string | undefined }): ProducerReleaseAction {
  if (rule.state === 'DISABLED') return { action: 'start' };
  if (rule.state === 'ENABLED' || rule.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') return { action: 'untag-only', why: 'already-active' };
  return { action: 'wait', state: rule.state ?? 'UNKNOWN' };
}

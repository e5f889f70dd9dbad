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

/** Why the guard will not write an old version of a `format` table back; undefined when it may. */
export function restoreRefusal(format: StorageFormat): string | undefined {
  if (!NEVER_RESTORED_FORMATS.includes(format)) return undefined;
  return `${format} tables keep their data pointer in the table parameters: restoring an old version would move it, so the guard never rolls them back`;
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
export type TriggerHoldAction = { readonly action: 'stop' } | { readonly action: 'check-own' } | { readonly action: 'leave'; readonly reason: string };

export const ON_DEMAND_HOLD_REASON = 'ON_DEMAND: never stopped, starting it would fire it';

const STOPPABLE_TRIGGER_TYPES: readonly string[] = ['SCHEDULED', 'CONDITIONAL', 'EVENT'];

export function triggerHoldAction(trigger: TriggerFacts): TriggerHoldAction {
  if (trigger.type === 'ON_DEMAND') return { action: 'leave', reason: ON_DEMAND_HOLD_REASON };
  if (!STOPPABLE_TRIGGER_TYPES.includes(trigger.type)) return { action: 'leave', reason: `type ${trigger.type}: not a trigger the guard stops` };
  if (trigger.state === 'ACTIVATED') return { action: 'stop' };
  if (trigger.state === 'DEACTIVATED') return { action: 'check-own' };
  return { action: 'leave', reason: `already ${trigger.state}` };
}

/**
 * Releasing a trigger the guard stopped: only a DEACTIVATED SCHEDULED / CONDITIONAL trigger is started again; an
 * ACTIVATED one was restarted by hand (its tags are removed only). Never StartTrigger on ON_DEMAND (it would fire
 * it) or EVENT (Glue refuses).
 */
export type TriggerReleaseAction =
  | { readonly action: 'start' }
  | { readonly action: 'untag-only' }
  | { readonly action: 'refuse'; readonly reason: string };

export function triggerReleaseAction(trigger: TriggerFacts): TriggerReleaseAction {
  if (trigger.type === 'ON_DEMAND') return { action: 'refuse', reason: 'ON_DEMAND: never started, starting it would fire it' };
  if (trigger.type === 'EVENT') return { action: 'refuse', reason: 'EVENT: Glue cannot start an EVENT trigger (it never deactivates)' };
  if (trigger.state === 'ACTIVATED') return { action: 'untag-only' };
  if (trigger.state !== 'DEACTIVATED') return { action: 'refuse', reason: `state ${trigger.state}, not the DEACTIVATED the guard left it in; run resume again once it settles` };
  return { action: 'start' };
}

/** The workflows an incident holds: the contract's dependent workflows, and the workflow that runs the crawler that wrote the drift. */
export function workflowsToHold(dependentWorkflows: readonly string[], crawlerWorkflow: string | undefined): readonly string[] {
  return [...new Set([...dependentWorkflows, ...(crawlerWorkflow === undefined ? [] : [crawlerWorkflow])])];
}

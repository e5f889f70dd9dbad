/**
 * Everything the guard records in AWS, written and read only here: notes in the Parameters of the table versions
 * it writes, tags on the triggers it stops and on the workflows whose runs it stops, tags on the crawlers whose own
 * schedule it stops and on the EventBridge rules it disables (the producers it holds). State lives in AWS, not in a
 * database of the guard's own, so these records ARE the incident's state.
 *
 * One rule decides whose record it is: a version note belongs to the write that made it (a later write by anyone
 * that copies the table's parameters carries a stale copy, which is ignored); a tag belongs to the incident it names.
 */
import type { IncidentRef } from './incident.js';
import { compareVersionIds, isVersionId, versionIdAfter } from '../version-ids.js';

/** Every key the guard writes starts with this; such keys are bookkeeping, never judged as drift. */
export const RECORD_PREFIX = 'drift-guard:';

export function isGuardRecordKey(key: string): boolean {
  return key.startsWith(RECORD_PREFIX);
}

/**
 * Glue tags: at most 50 per resource, values up to 256 Unicode characters (AWS Glue developer guide, "AWS tags in
 * AWS Glue": "Maximum number of tags per resource: 50", "Maximum value length: 256 Unicode characters in UTF-8").
 */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_VALUE_LENGTH = 256;

const KEY = {
  incident: 'drift-guard:incident',
  alert: 'drift-guard:alert',
  event: 'drift-guard:event',
  claimedAt: 'drift-guard:claimed-at',
  restoredFrom: 'drift-guard:restored-from-version',
  resumedFrom: 'drift-guard:resumed-from-version',
  replaced: 'drift-guard:replaced-version',
  table: 'drift-guard:table',
  stoppedRuns: 'drift-guard:stopped-runs',
  restartOf: 'drift-guard:restart-of',
} as const;

type Tags = Readonly<Record<string, string>>;

// ---------------------------------------------------------------- version notes

/**
 * On a version the guard restored: which incident, which version's schema it wrote back over which, and the alert's
 * claim. `pending`: written by the restore itself (the alert belongs to `eventId` until it is confirmed);
 * `sent`: written by the confirming write just after (same schema), once the alert went out.
 */
export interface RestoreNote {
  readonly kind: 'restore';
  readonly incidentId: string;
  readonly restoredFrom: string;
  readonly replaced: string;
  readonly alert: 'pending' | 'sent';
  readonly eventId: string;
  /** ISO time of the claim; a pending claim older than the function's timeout is abandoned. */
  readonly claimedAt: string;
}

/**
 * `restoredFrom` of a restore built from the contract (its columns, partition keys, storage and parameters applied
 * to the table as it was) rather than copied from a stored version: `contract-v<N>`.
 */
export function contractRestoreSource(contractVersion: number): string {
  return `contract-v${String(contractVersion)}`;
}

/** The contract version a `restoredFrom` names, when the restore was built from a contract; undefined for a VersionId. */
export function contractOfRestoreSource(restoredFrom: string): number | undefined {
  const match = /^contract-v(\d+)$/.exec(restoredFrom);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** On a version a resume wrote: the approved schema of `resumedFrom` written back over `replaced`. */
export interface ResumeNote {
  readonly kind: 'resume';
  readonly incidentId: string;
  readonly resumedFrom: string;
  readonly replaced: string;
}

export type VersionNote = RestoreNote | ResumeNote;

/** The Parameters entries that record `note` on the version being written. */
export function versionNoteParameters(note: VersionNote): Record<string, string> {
  if (note.kind === 'resume') {
    return { [KEY.incident]: note.incidentId, [KEY.resumedFrom]: note.resumedFrom, [KEY.replaced]: note.replaced };
  }
  return {
    [KEY.incident]: note.incidentId,
    [KEY.restoredFrom]: note.restoredFrom,
    [KEY.replaced]: note.replaced,
    [KEY.event]: note.eventId,
    [KEY.claimedAt]: note.claimedAt,
    [KEY.alert]: note.alert,
  };
}

/** How many writes after `replaced` the write carrying this note is: the restore is the first, its confirmation the second. */
function writeOffset(note: VersionNote): number {
  return note.kind === 'restore' && note.alert === 'sent' ? 2 : 1;
}

/** The VersionId of the write that carries `note`. */
export function versionCarrying(note: VersionNote): string {
  return versionIdAfter(note.replaced, writeOffset(note));
}

function parametersOf(document: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof document !== 'object' || document === null || !('Parameters' in document)) return undefined;
  const parameters: unknown = document.Parameters;
  return typeof parameters === 'object' && parameters !== null ? Object.fromEntries(Object.entries(parameters)) : undefined;
}

function decodeNote(parameters: Readonly<Record<string, unknown>>): VersionNote | undefined {
  const read = (key: string): string | undefined => {
    const value = parameters[key];
    return typeof value === 'string' ? value : undefined;
  };
  const incidentId = read(KEY.incident);
  const replaced = read(KEY.replaced);
  if (incidentId === undefined || replaced === undefined || !isVersionId(replaced)) return undefined;
  const restoredFrom = read(KEY.restoredFrom);
  if (restoredFrom !== undefined) {
    const alert = read(KEY.alert);
    const eventId = read(KEY.event);
    const claimedAt = read(KEY.claimedAt);
    if ((alert !== 'pending' && alert !== 'sent') || eventId === undefined || claimedAt === undefined) return undefined;
    return { kind: 'restore', incidentId, restoredFrom, replaced, alert, eventId, claimedAt };
  }
  const resumedFrom = read(KEY.resumedFrom);
  if (resumedFrom !== undefined) return { kind: 'resume', incidentId, resumedFrom, replaced };
  return undefined;
}

/**
 * The guard's note on the version `versionId` of a table (its Glue Table `document`), when the guard wrote that
 * version. A note copied into a later version by someone else's write is not that version's: undefined.
 */
export function versionNoteOf(versionId: string, document: unknown): VersionNote | undefined {
  const parameters = parametersOf(document);
  const note = parameters === undefined ? undefined : decodeNote(parameters);
  if (note === undefined) return undefined;
  return compareVersionIds(versionCarrying(note), versionId) === 0 ? note : undefined;
}

// ---------------------------------------------------------------- trigger and workflow tags

/** A trigger the guard stopped carries the incident and `database.table`. */
export interface TriggerHold {
  readonly incidentId: string;
  /** `database.table` whose drift stopped it. */
  readonly table: string;
}

/**
 * A workflow whose runs the guard stopped carries the incident, `database.table` and the run ids still to be released
 * (as many as fit in one tag value). Resume rewrites the run list with what remains and removes the tags once nothing
 * does: while the tag is there, the incident is open.
 */
export interface WorkflowHold {
  readonly incidentId: string;
  /** `database.table` whose drift stopped the runs ('' on tags written before the guard recorded it). */
  readonly table: string;
  readonly stoppedRuns: readonly string[];
}

export const TRIGGER_HOLD_KEYS: readonly string[] = [KEY.incident, KEY.table];
export const WORKFLOW_HOLD_KEYS: readonly string[] = [KEY.incident, KEY.table, KEY.stoppedRuns];

export function triggerHoldTags(incident: IncidentRef): Record<string, string> {
  return { [KEY.incident]: incident.id, [KEY.table]: `${incident.database}.${incident.table}`.slice(0, MAX_TAG_VALUE_LENGTH) };
}

export function triggerHoldOf(tags: Tags | undefined): TriggerHold | undefined {
  const incidentId = tags?.[KEY.incident];
  return incidentId === undefined ? undefined : { incidentId, table: tags?.[KEY.table] ?? '' };
}

/** Space-joined ids, keeping those that fit in a tag value; `dropped` counts the rest. */
export function joinWithinTagValue(ids: readonly string[]): { readonly value: string; readonly dropped: number } {
  const kept: string[] = [];
  let length = 0;
  for (const id of ids) {
    const added = (kept.length === 0 ? 0 : 1) + id.length;
    if (length + added > MAX_TAG_VALUE_LENGTH) break;
    kept.push(id);
    length += added;
  }
  return { value: kept.join(' '), dropped: ids.length - kept.length };
}

/** The workflow's tags for `runIds` held by the incident of `hold`; `dropped` run ids did not fit in the tag value. */
export function workflowHoldTags(hold: Pick<WorkflowHold, 'incidentId' | 'table'>, runIds: readonly string[]): { readonly tags: Record<string, string>; readonly dropped: number } {
  const { value, dropped } = joinWithinTagValue(runIds);
  return { tags: { [KEY.incident]: hold.incidentId, [KEY.table]: hold.table.slice(0, MAX_TAG_VALUE_LENGTH), [KEY.stoppedRuns]: value }, dropped };
}

export function workflowHoldOf(tags: Tags | undefined): WorkflowHold | undefined {
  const incidentId = tags?.[KEY.incident];
  if (incidentId === undefined) return undefined;
  return { incidentId, table: tags?.[KEY.table] ?? '', stoppedRuns: (tags?.[KEY.stoppedRuns] ?? '').split(' ').filter((id) => id !== '') };
}

/**
 * The run property a run started again by resume carries: the id of the stopped run it restarts. StartWorkflowRun
 * links no run to another (ResumeWorkflowRun sets PreviousRunId; a fresh start does not), so this is how a second
 * resume finds that a run was restarted already and does not start it twice.
 */
export function restartRunProperties(stoppedRunId: string): Record<string, string> {
  return { [KEY.restartOf]: stoppedRunId };
}

/** The stopped run a run restarts, from its WorkflowRunProperties; undefined for any other run. */
export function restartOf(properties: Tags | undefined): string | undefined {
  return properties?.[KEY.restartOf];
}

/** The one rule for tags: a hold is an incident's when the resource's incident tag names it. */
export function heldBy(tags: Tags | undefined, incidentId: string): boolean {
  return tags?.[KEY.incident] === incidentId;
}

// ---------------------------------------------------------------- producer tags (crawler schedules, EventBridge rules)

/**
 * A crawler whose own schedule the guard stopped (StopCrawlerSchedule), or an EventBridge rule it disabled, carries the
 * same two tags as a stopped trigger: the incident and `database.table`. Release (StartCrawlerSchedule / EnableRule)
 * is for exactly the producers carrying the incident's tag; the tags go after it.
 */
export type ProducerHold = TriggerHold;

export const PRODUCER_HOLD_KEYS: readonly string[] = TRIGGER_HOLD_KEYS;

export function producerHoldTags(incident: IncidentRef): Record<string, string> {
  return triggerHoldTags(incident);
}

export function producerHoldOf(tags: Tags | undefined): ProducerHold | undefined {
  return triggerHoldOf(tags);
}

/** EventBridge writes tags as a list of { Key, Value } (API_TagResource); Glue as a map. */
export function tagList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function tagMap(list: readonly { readonly Key?: string | undefined; readonly Value?: string | undefined }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));
}

/** The tag key naming the stopped runs (for messages that point at it). */
export const STOPPED_RUNS_TAG = KEY.stoppedRuns;

// ---------------------------------------------------------------- held partitions and their held table

const HELD = {
  holdsFor: 'drift-guard:holds-for',
  heldAt: 'drift-guard:held-at',
  alertPrefix: 'drift-guard:partition-alert:',
} as const;

/** On a partition the guard moved to a held table: the incident that moved it and when. */
export interface PartitionHoldRecord {
  readonly incidentId: string;
  readonly heldAt: string;
}

/** The Parameters entries a held partition carries on top of its own (they are removed when it comes back). */
export function partitionHoldParameters(record: PartitionHoldRecord): Record<string, string> {
  return { [KEY.incident]: record.incidentId, [HELD.heldAt]: record.heldAt };
}

/** The hold recorded on a held partition's Parameters; undefined on a partition the guard did not move. */
export function partitionHoldOf(parameters: Tags | undefined): PartitionHoldRecord | undefined {
  const incidentId = parameters?.[KEY.incident];
  const heldAt = parameters?.[HELD.heldAt];
  return incidentId === undefined || heldAt === undefined ? undefined : { incidentId, heldAt };
}

/** A partition's own Parameters: every guard record removed (what it had before the guard moved it). */
export function withoutGuardRecords(parameters: Tags | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters ?? {}).filter(([key]) => !isGuardRecordKey(key)));
}

/** The held table's parameter naming the guarded table (`database.table`) it holds partitions for. */
export function heldTableParameters(guarded: { readonly database: string; readonly table: string }): Record<string, string> {
  return { [HELD.holdsFor]: `${guarded.database}.${guarded.table}` };
}

/** `database.table` a held table holds partitions for; undefined on any other table. */
export function holdsForOf(parameters: Tags | undefined): string | undefined {
  return parameters?.[HELD.holdsFor];
}

/**
 * The alert claim of a partition incident, on its held table's Parameters (one key per incident): `pending` while the
 * delivery `eventId` that claimed it is alerting, `sent` once the alert went out. Written with UpdateTable's VersionId
 * lock, so concurrent deliveries of a partition storm claim it once.
 */
export interface PartitionAlertClaim {
  readonly incidentId: string;
  readonly alert: 'pending' | 'sent';
  readonly eventId: string;
  readonly claimedAt: string;
}

export function partitionAlertClaimParameters(claim: PartitionAlertClaim): Record<string, string> {
  return { [`${HELD.alertPrefix}${claim.incidentId}`]: `${claim.alert} ${claim.claimedAt} ${claim.eventId}` };
}

/** Every alert claim on a held table's Parameters, by incident id (malformed entries are not claims). */
export function partitionAlertClaimsOf(parameters: Tags | undefined): ReadonlyMap<string, PartitionAlertClaim> {
  const claims = new Map<string, PartitionAlertClaim>();
  for (const [key, value] of Object.entries(parameters ?? {})) {
    if (!key.startsWith(HELD.alertPrefix)) continue;
    const incidentId = key.slice(HELD.alertPrefix.length);
    const [alert, claimedAt, ...event] = value.split(' ');
    const eventId = event.join(' ');
    if ((alert !== 'pending' && alert !== 'sent') || claimedAt === undefined || eventId === '' || incidentId === '') continue;
    claims.set(incidentId, { incidentId, alert, claimedAt, eventId });
  }
  return claims;
}

/** The guard's records on a held table (`drift-guard:*` Parameters), to write back with one claim changed. */
export function heldTableRecords(parameters: Tags | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters ?? {}).filter(([key]) => isGuardRecordKey(key)));
}

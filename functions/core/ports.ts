/**
 * What the guard needs from the outside world, as small interfaces. functions/aws/ implements them
 * with the AWS SDK; tests and the local stack can implement them otherwise. Core never imports @aws-sdk.
 */
import type { IncidentRef, Origin } from './incidents/incident.js';
import type { FindingJson } from './wording/findings.js';

export type { IncidentRef, Origin } from './incidents/incident.js';

/** A table version as the catalog stores it; `document` is the Glue Table object, parsed by core. */
export interface StoredTable {
  readonly versionId: string;
  readonly document: unknown;
}

export type TableLookUp<T extends StoredTable = StoredTable> =
  | { readonly kind: 'found'; readonly table: T }
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-visible'; readonly reason: string };

export interface CatalogPort<T extends StoredTable = StoredTable> {
  /** The table as it is now; undefined when it does not exist (deleted since the event). */
  getTable(database: string, table: string): Promise<T | undefined>;
  /**
   * Every archived version (the current one included), newest first by numeric VersionId: one GetTableVersions page
   * per 100 versions. Only `drift-guard history` reads this (the user asked for the whole history); the guard,
   * resume, approve and reconcile read versions by id (`getVersion`), a bounded number per table.
   */
  listVersions(database: string, table: string): Promise<readonly T[]>;
  /** One version by its VersionId (GetTableVersion); undefined when Glue has no such version (never written, deleted, or the table is gone). */
  getVersion(database: string, table: string, versionId: string): Promise<T | undefined>;
  /**
   * Writes `version` back as the table (a new version), only if the table is still at
   * `expectedVersionId`; otherwise throws RestoreConflictError. `annotations` replace every `drift-guard:*`
   * key of the version's Parameters (the guard's notes: bookkeeping, never judged as drift). `version` is a stored
   * version, or a Glue Table document the guard built (the contract applied to the current table).
   */
  restore(database: string, table: string, version: StoredTable, expectedVersionId: string, annotations: Readonly<Record<string, string>>): Promise<void>;
  /** Every table of a database as it is now (one paged call); undefined when the database does not exist. */
  listTables(database: string): Promise<readonly T[] | undefined>;
  /**
   * A table GetTables did not return: found after all, missing (EntityNotFoundException), or not visible to the caller
   * (AccessDeniedException: under Lake Formation, GetTables silently omits tables the caller may not DESCRIBE).
   */
  lookUpTable(database: string, table: string): Promise<TableLookUp<T>>;
  /** Databases a crawler writes to (its DatabaseName and catalog targets); undefined when the crawler does not exist. */
  crawlerDatabases(crawlerName: string): Promise<readonly string[] | undefined>;
}

export interface PauseResult {
  readonly workflow: string;
  /** False when the workflow does not exist. */
  readonly found: boolean;
  /** Triggers the guard stopped (and tagged with the incident): exactly these are restarted on resume. */
  readonly stoppedTriggers: readonly string[];
  /** Triggers left alone and why (ON_DEMAND, already deactivated, ...). */
  readonly untouchedTriggers: readonly { readonly name: string; readonly reason: string }[];
  readonly stoppedRuns: readonly string[];
  /** RUNNING runs left running because the pause did not stop runs (`stopRunningRuns` off). */
  readonly runsLeftRunning: readonly string[];
  /** Problems that did not stop the pause (a resource at its 50-tag limit, a run list cut to fit a tag). */
  readonly warnings: readonly string[];
  /**
   * Crawlers of the workflow's graph whose own schedule the guard stopped (StopCrawlerSchedule, from SCHEDULED) and
   * tagged with the incident: exactly these get StartCrawlerSchedule on release.
   */
  readonly stoppedSchedules: readonly string[];
  /**
   * EventBridge rules (default bus) targeting the workflow that the guard disabled (DisableRule, from ENABLED) and
   * tagged with the incident: exactly these get EnableRule on release. EVENT triggers cannot be stopped; their rules can.
   */
  readonly disabledRules: readonly string[];
}

/** The own schedule of the crawler that wrote the drift (a crawler outside any held workflow). */
export interface ScheduleHold {
  readonly crawler: string;
  /** False when the crawler has no schedule of its own (or no longer exists): nothing to hold, nothing to say. */
  readonly scheduled: boolean;
  /** True when its schedule is stopped by this incident (now, or by an earlier delivery of it). */
  readonly stopped: boolean;
  /** Why it was left alone (no schedule, not SCHEDULED, not found, ...). */
  readonly reason?: string;
}

export interface WorkflowPort {
  /** The workflow whose trigger starts this crawler, if any (the first found, when several do). */
  workflowOfCrawler(crawlerName: string): Promise<string | undefined>;
  pause(workflow: string, incident: IncidentRef, options: PauseOptions): Promise<PauseResult>;
  /** Stops the crawler's own schedule when it is SCHEDULED (tagged with the incident first): its next run would re-apply the drift. */
  holdSchedule(crawler: string, incident: IncidentRef): Promise<ScheduleHold>;
}

export interface PauseOptions {
  /** Also StopWorkflowRun the workflow's RUNNING runs (core policy decides: `stopsRunningRuns`). */
  readonly stopRunningRuns: boolean;
}

/** What a chat / email subscriber receives: rendered in one place (functions/core/wording/alert.ts). */
export interface AlertMessage {
  readonly subject: string;
  /** The AWS Chatbot custom notification, as JSON text. */
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface NotifierPort {
  publish(alert: AlertMessage): Promise<void>;
}

export interface OutcomeEvent {
  /** The event's source; the publisher's own (`glue-drift-guard`) when not set. */
  readonly source?: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>> & { readonly findings?: readonly FindingJson[] };
  readonly resources: readonly string[];
}

export interface EventPublisherPort {
  publish(event: OutcomeEvent): Promise<void>;
}

/** The catalog moved between reading the table and writing it back. */
export class RestoreConflictError extends Error {
  override readonly name = 'RestoreConflictError';
  constructor(
    readonly database: string,
    readonly table: string,
    readonly expectedVersionId: string,
    options?: { cause?: unknown },
  ) {
    super(`${database}.${table} changed since version ${expectedVersionId} was read; not overwriting it`, options);
  }
}

/** A trigger the guard stopped: it carries the `drift-guard:incident` and `drift-guard:table` tags. */
export interface PausedTrigger {
  readonly name: string;
  readonly workflow?: string;
  readonly incidentId: string;
  /** `database.table` from the `drift-guard:table` tag. */
  readonly table: string;
  /** The trigger's state now (DEACTIVATED unless someone restarted it by hand). */
  readonly state: string;
  readonly type: string;
}

export interface RestartResult {
  readonly trigger: string;
  /** restarted: StartTrigger sent; already-active: someone restarted it by hand (tags removed only); refused: never started (e.g. ON_DEMAND). */
  readonly outcome: 'restarted' | 'already-active' | 'refused';
  readonly reason?: string;
}

export interface PausedWorkflow {
  readonly workflow: string;
  readonly incidentId: string;
  /** `database.table` from the workflow's `drift-guard:table` tag ('' on tags from before it was recorded). */
  readonly table: string;
  /** Run ids the guard stopped and that are still to be released (from the workflow's `drift-guard:stopped-runs` tag). */
  readonly stoppedRuns: readonly string[];
}

export interface RunResumeResult {
  readonly runId: string;
  /**
   * resumed (ResumeWorkflowRun) / restarted (StartWorkflowRun): `detail` is the new run's id. skipped: nothing is left
   * to do for the run (it is dropped from the record). held: the run is still to be released (it stays recorded on the
   * workflow, and the incident stays open).
   */
  readonly outcome: 'resumed' | 'restarted' | 'skipped' | 'held';
  readonly detail: string;
  /** The run's status as read, when it was read (COMPLETED: resumable; STOPPED: to be started again). */
  readonly status?: string;
}

/** A producer the guard holds: a crawler's own schedule it stopped, or an EventBridge rule it disabled. */
export interface HeldProducer {
  readonly kind: 'schedule' | 'rule';
  /** The crawler's or the rule's name. */
  readonly name: string;
  readonly incidentId: string;
  /** `database.table` from the `drift-guard:table` tag. */
  readonly table: string;
}

export interface ProducerRelease {
  readonly kind: HeldProducer['kind'];
  readonly name: string;
  /**
   * restarted: StartCrawlerSchedule / EnableRule sent, then the tags removed. already-active: someone re-enabled it by
   * hand (tags removed only). untagged: nothing left to start (its schedule was removed): tags removed only.
   * refused: not released now (transitioning, running, gone): its tags stay while it exists.
   */
  readonly outcome: 'restarted' | 'already-active' | 'untagged' | 'refused';
  readonly reason?: string;
}

/** What resuming a paused pipeline needs: find what the guard stopped, start exactly that again. */
export interface PipelinePort {
  /** Triggers carrying the guard's tags, optionally only those of one table (`database.table`) or incident. */
  findPausedTriggers(origin: Origin, filter?: { readonly table?: string; readonly incidentId?: string }): Promise<readonly PausedTrigger[]>;
  /** Workflows carrying the guard's incident tag, optionally only one incident's. */
  findPausedWorkflows(origin: Origin, filter?: { readonly table?: string; readonly incidentId?: string }): Promise<readonly PausedWorkflow[]>;
  /**
   * Starts a trigger the guard stopped (never an ON_DEMAND one: starting it would fire it), then removes the
   * guard's tags. A trigger already ACTIVATED (restarted by hand) only loses the tags.
   */
  restartTrigger(trigger: PausedTrigger, origin: Origin): Promise<RestartResult>;
  /** ResumeWorkflowRun on a COMPLETED run the guard recorded (its nodes that had not succeeded); other states are held or skipped. */
  resumeRun(workflow: string, runId: string): Promise<RunResumeResult>;
  /** StartWorkflowRun for a STOPPED run the guard stopped (once: a second call finds the run it started); `detail` is the new run id. */
  restartRun(workflow: string, runId: string): Promise<RunResumeResult>;
  /**
   * Removes the incident tags from the workflow once nothing it holds is left; with `keepRuns`, the workflow stays
   * tagged with exactly those runs (still to be released: the incident stays open).
   */
  clearWorkflow(workflow: string, incidentId: string, origin: Origin, keepRuns?: readonly string[]): Promise<void>;
  /** Crawler schedules and EventBridge rules carrying the guard's tags, optionally only one table's or incident's. */
  findHeldProducers(origin: Origin, filter?: { readonly table?: string; readonly incidentId?: string }): Promise<readonly HeldProducer[]>;
  /** StartCrawlerSchedule / EnableRule on a producer still carrying the incident's tag, then removes the tags. */
  releaseProducer(held: HeldProducer, origin: Origin): Promise<ProducerRelease>;
}

/** The structured logger core writes to (Powertools Logger fits it, through functions/handlers/logging.ts). */
export interface GuardLog {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  /** A log whose every line also carries `keys` (e.g. database, table, incident), besides this one's. */
  child(keys: Record<string, unknown>): GuardLog;
}

/**
 * A partition's definition as PartitionInput takes it (Glue API "Partition" / "PartitionInput"): its values, its own
 * StorageDescriptor and Parameters, and the access / analysis times. `StorageDescriptor` stays the Glue object, as
 * read (core parses what it judges; the adapters write it back untouched, so a move keeps it exactly).
 */
export interface PartitionDefinition {
  readonly Values: readonly string[];
  readonly StorageDescriptor?: unknown;
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly LastAccessTime?: Date;
  readonly LastAnalyzedTime?: Date;
}

/** Creating partitions: per partition, created, or already there (AlreadyExistsException) with its definition now. */
export type PartitionCreation =
  | { readonly values: readonly string[]; readonly outcome: 'created' }
  | { readonly values: readonly string[]; readonly outcome: 'exists'; readonly existing: PartitionDefinition | undefined };

/** A table the guard created (the held table of a guarded table): CreateTable's answer. */
export type TableCreation = 'created' | 'exists';

/**
 * Partitions of Glue tables (functions/aws/glue-partitions.ts: BatchGetPartition, GetPartitions, BatchCreatePartition,
 * BatchDeletePartition, CreateTable, DeleteTable). Calls are split at AWS's limits by the adapter.
 */
export interface PartitionPort {
  /** BatchGetPartition (≤ 1,000 values per call): the partitions that exist, in any order; undefined when the table does not. */
  getPartitions(database: string, table: string, values: readonly (readonly string[])[]): Promise<readonly PartitionDefinition[] | undefined>;
  /** GetPartitions, every page: every partition of the table; undefined when the table does not exist. */
  listPartitions(database: string, table: string): Promise<readonly PartitionDefinition[] | undefined>;
  /** BatchCreatePartition (≤ 100 per call); a partition already there is reported with its definition, never overwritten. */
  createPartitions(database: string, table: string, partitions: readonly PartitionDefinition[]): Promise<readonly PartitionCreation[]>;
  /** BatchDeletePartition (≤ 25 per call); a partition already gone counts as deleted. */
  deletePartitions(database: string, table: string, values: readonly (readonly string[])[]): Promise<void>;
  /** CreateTable with `input` (a Glue TableInput); `exists` when a table of that name is there already. */
  createTable(database: string, input: Readonly<Record<string, unknown>>): Promise<TableCreation>;
  /** DeleteTable; a table already gone counts as deleted. */
  deleteTable(database: string, table: string): Promise<void>;
}

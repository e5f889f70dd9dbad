/**
 * In-memory implementations of the ports in functions/core/ports.ts, for unit tests of the core orchestration.
 * They keep the ports' contracts as the AWS adapters do (functions/aws/*), never kinder: a stale lock throws
 * RestoreConflictError, a restore drops the notes the copied version carried, a pause only stops what the policy
 * says, a restart only starts a trigger still tagged with its incident.
 *
 * Every port call is recorded, in order, in one FakeWorld; the world can fail a call or run a hook just before one
 * (a racing write, a crash).
 */
import { RestoreRefusedError } from '../../functions/aws/errors.js';
import type { GuardLog } from '../../functions/core/guard/guard.js';
import type { IncidentRef, Origin } from '../../functions/core/incidents/incident.js';
import { scheduleHoldAction, scheduleReleaseAction, triggerHoldAction, triggerReleaseAction } from '../../functions/core/incidents/policy.js';
import {
  heldBy,
  isGuardRecordKey,
  producerHoldOf,
  producerHoldTags,
  triggerHoldOf,
  triggerHoldTags,
  workflowHoldOf,
  workflowHoldTags,
} from '../../functions/core/incidents/records.js';
import {
  type AlertMessage,
  type CatalogPort,
  type EventPublisherPort,
  type HeldProducer,
  type NotifierPort,
  type OutcomeEvent,
  type PauseOptions,
  type PauseResult,
  type PausedTrigger,
  type PausedWorkflow,
  type PartitionCreation,
  type PartitionDefinition,
  type PartitionPort,
  type PipelinePort,
  type ProducerRelease,
  RestoreConflictError,
  type RestartResult,
  type RunResumeResult,
  type ScheduleHold,
  type StoredTable,
  type TableLookUp,
  type WorkflowPort,
} from '../../functions/core/ports.js';
import { nextVersionId } from '../../functions/core/version-ids.js';
import { holdLeaveText, producerLeaveText, producerWaitText, releaseRefusalText } from '../../functions/core/wording/incident.js';

// ---------------------------------------------------------------- the world: calls, failures, hooks

export type CallName =
  | 'catalog.getTable'
  | 'catalog.listVersions'
  | 'catalog.getVersion'
  | 'catalog.restore'
  | 'catalog.listTables'
  | 'catalog.lookUpTable'
  | 'catalog.crawlerDatabases'
  | 'workflows.workflowOfCrawler'
  | 'workflows.pause'
  | 'workflows.holdSchedule'
  | 'pipelines.findPausedTriggers'
  | 'pipelines.findPausedWorkflows'
  | 'pipelines.restartTrigger'
  | 'pipelines.resumeRun'
  | 'pipelines.restartRun'
  | 'pipelines.clearWorkflow'
  | 'pipelines.findHeldProducers'
  | 'pipelines.releaseProducer'
  | 'partitions.getPartitions'
  | 'partitions.listPartitions'
  | 'partitions.createPartitions'
  | 'partitions.deletePartitions'
  | 'partitions.createTable'
  | 'partitions.deleteTable'
  | 'notifier.publish'
  | 'events.publish';

export interface Call {
  readonly name: CallName;
  /** What the call was about: `database.table`, a workflow, a trigger, an incident id. */
  readonly subject: string;
}

interface Rule {
  readonly name: CallName;
  /** Calls to `name` still to let through before this rule applies. */
  skip: number;
  /** Calls the rule still applies to. */
  times: number;
  readonly apply: () => Promise<void> | void;
}

export class FakeWorld {
  readonly calls: Call[] = [];
  private readonly rules: Rule[] = [];

  /** The names of the calls made so far, in order, optionally only those of one port (`catalog`, `notifier`, ...). */
  names(port?: string): CallName[] {
    return this.calls.filter((c) => port === undefined || c.name.startsWith(`${port}.`)).map((c) => c.name);
  }

  count(name: CallName): number {
    return this.calls.filter((c) => c.name === name).length;
  }

  /** The `at`-th next call to `name` (1 = the next one), and the `times - 1` after it, throw `error`. */
  fail(name: CallName, error: Error = new Error(`${name}: injected failure`), { at = 1, times = 1 }: { at?: number; times?: number } = {}): this {
    this.rules.push({ name, skip: at - 1, times, apply: () => Promise.reject(error) });
    return this;
  }

  /** Runs `hook` just before the `at`-th next call to `name` (1 = the next one), and before the `times - 1` after it. */
  before(name: CallName, hook: () => Promise<void> | void, { at = 1, times = 1 }: { at?: number; times?: number } = {}): this {
    this.rules.push({ name, skip: at - 1, times, apply: hook });
    return this;
  }

  /** Records the call, then runs the hooks and failures due at it (a failure after the hooks). */
  async enter(name: CallName, subject: string): Promise<void> {
    this.calls.push({ name, subject });
    const due: Rule[] = [];
    for (const rule of this.rules) {
      if (rule.name !== name || rule.times === 0) continue;
      if (rule.skip > 0) rule.skip -= 1;
      else due.push(rule);
    }
    for (const rule of due) {
      rule.times -= 1;
      await rule.apply();
    }
  }
}

// ---------------------------------------------------------------- catalog

export interface RestoreCall {
  readonly database: string;
  readonly table: string;
  readonly fromVersionId: string;
  readonly expectedVersionId: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The Table fields UpdateTable takes back (functions/aws/glue-catalog.ts tableInputFromTable's allow-list). */
const TABLE_INPUT_FIELDS = [
  'Name',
  'Description',
  'Owner',
  'LastAccessTime',
  'LastAnalyzedTime',
  'Retention',
  'StorageDescriptor',
  'PartitionKeys',
  'ViewOriginalText',
  'ViewExpandedText',
  'TableType',
  'Parameters',
  'TargetTable',
  'ViewDefinition',
] as const;

type Document = Readonly<Record<string, unknown>>;

function asDocument(value: unknown): Document {
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
}

function stringParameters(document: Document): Record<string, string> {
  return Object.fromEntries(Object.entries(asDocument(document.Parameters)).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

/** GetTables' largest page (MaxResults ≤ 100), as the adapter asks for it. */
const TABLES_PAGE_SIZE = 100;

const tableKey = (database: string, table: string): string => `${database.toLowerCase()}.${table.toLowerCase()}`;

/**
 * A Glue Data Catalog: tables with numbered versions (each write +1, archived), databases, crawlers.
 * Tests write to it directly (`write`, `remove`) as a crawler or an API caller would; the guard writes through `restore`.
 */
export class FakeCatalog implements CatalogPort {
  readonly restores: RestoreCall[] = [];
  /**
   * The VersionId of a new table's first version. Glue's is "0"; most tests number from "1" (their version ids predate
   * this knob), which to the guard looks like a table whose version 0 retention deleted. Tests about a table's whole
   * history (born drifted: nothing to restore) set "0".
   */
  firstVersionId = '1';
  private readonly tables = new Map<string, { versions: StoredTable[]; deleted: boolean }>();
  private readonly databases = new Set<string>();
  private readonly crawlers = new Map<string, readonly string[]>();

  constructor(
    private readonly world: FakeWorld,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A write by someone else (crawler, job, API): the table's next version, exactly `document` (created when new). */
  write(database: string, document: Document): StoredTable {
    const name = typeof document.Name === 'string' ? document.Name : '';
    if (name === '') throw new Error('a table document needs a Name');
    this.databases.add(database.toLowerCase());
    const key = tableKey(database, name);
    const state = this.tables.get(key);
    if (state === undefined || state.deleted) {
      const stored = this.stamp(database, document, this.firstVersionId, undefined);
      this.tables.set(key, { versions: [stored], deleted: false });
      return stored;
    }
    const latest = state.versions.at(-1);
    const stored = this.stamp(database, document, latest === undefined ? this.firstVersionId : nextVersionId(latest.versionId), latest);
    state.versions.push(stored);
    return stored;
  }

  /** DeleteTableVersion (retention): an archived version is gone; the current one cannot be deleted. */
  deleteVersion(database: string, table: string, versionId: string): void {
    const state = this.tables.get(tableKey(database, table));
    if (state === undefined || state.versions.at(-1)?.versionId === versionId) throw new Error(`cannot delete version ${versionId} of ${database}.${table}`);
    state.versions = state.versions.filter((v) => v.versionId !== versionId);
  }

  /** DeleteTable: the table and its versions are gone. */
  remove(database: string, table: string): void {
    const state = this.tables.get(tableKey(database, table));
    if (state !== undefined) state.deleted = true;
  }

  addDatabase(database: string): void {
    this.databases.add(database.toLowerCase());
  }

  addCrawler(name: string, databases: readonly string[]): void {
    this.crawlers.set(name, databases);
  }

  /** The table's versions, newest first, without recording a call (for assertions). */
  versionsOf(database: string, table: string): readonly StoredTable[] {
    const state = this.tables.get(tableKey(database, table));
    if (state === undefined || state.deleted) return [];
    return [...state.versions].reverse();
  }

  /** The table now, without recording a call (for assertions). */
  currentOf(database: string, table: string): StoredTable | undefined {
    return this.versionsOf(database, table)[0];
  }

  async getTable(database: string, table: string): Promise<StoredTable | undefined> {
    await this.world.enter('catalog.getTable', `${database}.${table}`);
    return this.currentOf(database, table);
  }

  async listVersions(database: string, table: string): Promise<readonly StoredTable[]> {
    await this.world.enter('catalog.listVersions', `${database}.${table}`);
    return this.versionsOf(database, table);
  }

  /** GetTableVersion: one version by id; undefined (EntityNotFoundException) when it is not stored. */
  async getVersion(database: string, table: string, versionId: string): Promise<StoredTable | undefined> {
    await this.world.enter('catalog.getVersion', `${database}.${table}@${versionId}`);
    return this.versionsOf(database, table).find((v) => v.versionId === versionId);
  }

  async restore(database: string, table: string, version: StoredTable, expectedVersionId: string, annotations: Readonly<Record<string, string>>): Promise<void> {
    await this.world.enter('catalog.restore', `${database}.${table}`);
    const source = asDocument(version.document);
    if (typeof source.Name === 'string' && source.Name.toLowerCase() !== table.toLowerCase()) {
      throw new RestoreRefusedError(database, table, `version ${version.versionId} belongs to table ${source.Name}`);
    }
    const state = this.tables.get(tableKey(database, table));
    const current = state === undefined || state.deleted ? undefined : state.versions.at(-1);
    // UpdateTable with a stale VersionId: ConcurrentModificationException; on a deleted table: EntityNotFoundException.
    if (state === undefined || current === undefined || current.versionId !== expectedVersionId) {
      throw new RestoreConflictError(database, table, expectedVersionId);
    }
    // tableInputFromTable: an allow-list copy; with annotations, the copied version's own guard notes are dropped.
    const input: Record<string, unknown> = {};
    for (const field of TABLE_INPUT_FIELDS) if (source[field] !== undefined) input[field] = source[field];
    if (Object.keys(annotations).length > 0) {
      const own = Object.fromEntries(Object.entries(stringParameters(source)).filter(([key]) => !isGuardRecordKey(key)));
      input.Parameters = { ...own, ...annotations };
    }
    input.Name = typeof source.Name === 'string' ? source.Name : table;
    this.restores.push({ database, table, fromVersionId: version.versionId, expectedVersionId, annotations: { ...annotations } });
    state.versions.push(this.stamp(database, input, nextVersionId(current.versionId), current));
  }

  /**
   * GetTables, as the adapter pages it: one recorded call per page of 100 tables (`database#page`), tables in name
   * order (as Glue lists them), each as it stands now. Hooks before a later page see the earlier pages already read.
   */
  async listTables(database: string): Promise<readonly StoredTable[] | undefined> {
    const pageOf = (page: number) => this.world.enter('catalog.listTables', `${database}#${page}`);
    await pageOf(1);
    if (!this.databases.has(database.toLowerCase())) return undefined;
    const keys = [...this.tables.entries()]
      .filter(([key, state]) => key.startsWith(`${database.toLowerCase()}.`) && !state.deleted && !this.notVisible.has(key))
      .map(([key]) => key)
      .sort();
    const listed: StoredTable[] = [];
    for (let start = 0; start < keys.length; start += TABLES_PAGE_SIZE) {
      if (start > 0) await pageOf(start / TABLES_PAGE_SIZE + 1);
      for (const key of keys.slice(start, start + TABLES_PAGE_SIZE)) {
        const state = this.tables.get(key);
        const latest = state === undefined || state.deleted ? undefined : state.versions.at(-1);
        if (latest !== undefined) listed.push(latest);
      }
    }
    return listed;
  }

  /** Tables (`database.table`, lower case) the caller may not DESCRIBE (Lake Formation): left out of listTables. */
  readonly notVisible = new Set<string>();

  async lookUpTable(database: string, table: string): Promise<TableLookUp> {
    await this.world.enter('catalog.lookUpTable', `${database}.${table}`);
    const key = tableKey(database, table);
    const state = this.tables.get(key);
    const current = state === undefined || state.deleted ? undefined : state.versions.at(-1);
    if (current === undefined) return { kind: 'missing' };
    if (this.notVisible.has(key)) return { kind: 'not-visible', reason: `glue:GetTable: access denied by Lake Formation (Insufficient Lake Formation permission(s) on ${table})` };
    return { kind: 'found', table: current };
  }

  async crawlerDatabases(crawlerName: string): Promise<readonly string[] | undefined> {
    await this.world.enter('catalog.crawlerDatabases', crawlerName);
    return this.crawlers.get(crawlerName);
  }

  /** The Table Glue returns for a write: the input plus the fields Glue sets (VersionId, times, database). */
  private stamp(database: string, document: Document, versionId: string, previous: StoredTable | undefined): StoredTable {
    const createTime = previous === undefined ? this.clock() : asDocument(previous.document).CreateTime;
    const stamped = { ...document, DatabaseName: database, CreateTime: createTime, UpdateTime: this.clock(), VersionId: versionId };
    return { versionId, document: stamped };
  }
}

// ---------------------------------------------------------------- partitions

/** AWS's batch limits (AWS Glue API: BatchGetPartition 1,000 entries, BatchCreatePartition 100, BatchDeletePartition 25). */
export const PARTITION_BATCH_LIMITS = { get: 1_000, create: 100, delete: 25 } as const;

/**
 * Partitions of the fake catalog's tables, as the adapter sees them: one recorded call per AWS call (batches split at
 * AWS's limits), partitions only on tables that exist, AlreadyExists never overwrites, a missing partition deletes fine.
 */
export class FakePartitions implements PartitionPort {
  private readonly byTable = new Map<string, Map<string, PartitionDefinition>>();

  constructor(
    private readonly world: FakeWorld,
    private readonly catalog: FakeCatalog,
  ) {}

  private exists(database: string, table: string): boolean {
    return this.catalog.currentOf(database, table) !== undefined;
  }

  private partitionsOf(database: string, table: string): Map<string, PartitionDefinition> {
    const key = tableKey(database, table);
    let partitions = this.byTable.get(key);
    if (partitions === undefined || !this.exists(database, table)) {
      partitions = partitions !== undefined && this.exists(database, table) ? partitions : new Map();
      this.byTable.set(key, partitions);
    }
    return partitions;
  }

  /** A write by someone else (a crawler's BatchCreatePartition / UpdatePartition): the partition, exactly. */
  put(database: string, table: string, partition: PartitionDefinition): void {
    if (!this.exists(database, table)) throw new Error(`${database}.${table} does not exist`);
    this.partitionsOf(database, table).set(JSON.stringify(partition.Values), structuredClone(partition));
  }

  /** The table's partitions now, without recording a call (for assertions). */
  of(database: string, table: string): PartitionDefinition[] {
    if (!this.exists(database, table)) return [];
    return [...this.partitionsOf(database, table).values()].map((p) => structuredClone(p));
  }

  async getPartitions(database: string, table: string, values: readonly (readonly string[])[]): Promise<readonly PartitionDefinition[] | undefined> {
    const found: PartitionDefinition[] = [];
    for (let start = 0; start < values.length; start += PARTITION_BATCH_LIMITS.get) {
      await this.world.enter('partitions.getPartitions', `${database}.${table}`);
      if (!this.exists(database, table)) return undefined;
      const partitions = this.partitionsOf(database, table);
      for (const v of values.slice(start, start + PARTITION_BATCH_LIMITS.get)) {
        const partition = partitions.get(JSON.stringify(v));
        if (partition !== undefined) found.push(structuredClone(partition));
      }
    }
    return found;
  }

  async listPartitions(database: string, table: string): Promise<readonly PartitionDefinition[] | undefined> {
    await this.world.enter('partitions.listPartitions', `${database}.${table}`);
    return this.exists(database, table) ? this.of(database, table) : undefined;
  }

  async createPartitions(database: string, table: string, partitions: readonly PartitionDefinition[]): Promise<readonly PartitionCreation[]> {
    const results: PartitionCreation[] = [];
    for (let start = 0; start < partitions.length; start += PARTITION_BATCH_LIMITS.create) {
      await this.world.enter('partitions.createPartitions', `${database}.${table}`);
      if (!this.exists(database, table)) throw new Error(`glue:BatchCreatePartition: EntityNotFoundException: ${database}.${table}`);
      const existing = this.partitionsOf(database, table);
      for (const partition of partitions.slice(start, start + PARTITION_BATCH_LIMITS.create)) {
        const key = JSON.stringify(partition.Values);
        const there = existing.get(key);
        if (there !== undefined) {
          results.push({ values: partition.Values, outcome: 'exists', existing: structuredClone(there) });
          continue;
        }
        existing.set(key, structuredClone(partition));
        results.push({ values: partition.Values, outcome: 'created' });
      }
    }
    return results;
  }

  async deletePartitions(database: string, table: string, values: readonly (readonly string[])[]): Promise<void> {
    for (let start = 0; start < values.length; start += PARTITION_BATCH_LIMITS.delete) {
      await this.world.enter('partitions.deletePartitions', `${database}.${table}`);
      if (!this.exists(database, table)) return;
      const partitions = this.partitionsOf(database, table);
      for (const v of values.slice(start, start + PARTITION_BATCH_LIMITS.delete)) partitions.delete(JSON.stringify(v));
    }
  }

  async createTable(database: string, input: Readonly<Record<string, unknown>>): Promise<'created' | 'exists'> {
    const name = typeof input.Name === 'string' ? input.Name : '';
    await this.world.enter('partitions.createTable', `${database}.${name}`);
    if (this.exists(database, name)) return 'exists';
    this.catalog.write(database, input);
    this.byTable.set(tableKey(database, name), new Map());
    return 'created';
  }

  async deleteTable(database: string, table: string): Promise<void> {
    await this.world.enter('partitions.deleteTable', `${database}.${table}`);
    this.catalog.remove(database, table);
    this.byTable.delete(tableKey(database, table));
  }
}

// ---------------------------------------------------------------- workflows and pipelines

export interface FakeTrigger {
  readonly name: string;
  readonly workflow: string;
  /** SCHEDULED, CONDITIONAL, ON_DEMAND, EVENT. */
  readonly type: string;
  state: string;
  tags: Record<string, string>;
}

export interface FakeRun {
  readonly id: string;
  status: string;
}

/**
 * Glue workflows, triggers and runs, as WorkflowPort (pause) and PipelinePort (find what was paused, start it
 * again) see them: both act on the same triggers and tags, as functions/aws/glue-workflows.ts and
 * glue-pipelines.ts do on Glue.
 */
/** The region and account the fake resources live in: the ports called with another origin see none of them (ARNs differ). */
export const HOME: Origin = { region: 'eu-west-1', account: '111122223333' };

const isHome = (origin: Origin): boolean => origin.region === HOME.region && origin.account === HOME.account;

export class FakeGlueJobs {
  readonly triggers = new Map<string, FakeTrigger>();
  readonly workflowTags = new Map<string, Record<string, string>>();
  readonly runs = new Map<string, FakeRun[]>();
  readonly crawlerWorkflows = new Map<string, string>();
  /** Every pause asked for, in order, with the options the executor passed. */
  readonly pauses: { readonly workflow: string; readonly incident: IncidentRef; readonly options: PauseOptions }[] = [];
  /** Answers to give instead of pausing, by workflow (configurable PauseResult). */
  readonly pauseResults = new Map<string, PauseResult>();
  /** Answers to ResumeWorkflowRun by run id; by default a run resumes as `<runId>-resumed`. */
  readonly runResults = new Map<string, RunResumeResult>();
  /** Answers to StartWorkflowRun (restartRun) by run id; by default a run restarts as `<runId>-restarted`. */
  readonly restartResults = new Map<string, RunResumeResult>();

  constructor(private readonly world: FakeWorld) {}

  /** A workflow with its triggers (ACTIVATED unless given) and its runs. */
  addWorkflow(
    workflow: string,
    triggers: readonly { readonly name: string; readonly type?: string; readonly state?: string }[] = [],
    runs: readonly FakeRun[] = [],
  ): this {
    this.workflowTags.set(workflow, {});
    this.runs.set(workflow, runs.map((r) => ({ ...r })));
    for (const t of triggers) this.triggers.set(t.name, { name: t.name, workflow, type: t.type ?? 'SCHEDULED', state: t.state ?? 'ACTIVATED', tags: {} });
    return this;
  }

  /** As the guard leaves a trigger it stopped for `incident`: DEACTIVATED, tagged. */
  addPausedTrigger(name: string, workflow: string, incident: IncidentRef, type = 'SCHEDULED'): this {
    if (!this.workflowTags.has(workflow)) this.addWorkflow(workflow);
    this.triggers.set(name, { name, workflow, type, state: 'DEACTIVATED', tags: triggerHoldTags(incident) });
    return this;
  }

  /** Crawlers with a schedule of their own: state and tags, as producer-holds.ts reads and writes them. */
  readonly schedules = new Map<string, { state: 'SCHEDULED' | 'NOT_SCHEDULED' | 'TRANSITIONING'; tags: Record<string, string> }>();

  /** A crawler on its own schedule. */
  scheduledCrawler(name: string, state: 'SCHEDULED' | 'NOT_SCHEDULED' | 'TRANSITIONING' = 'SCHEDULED'): this {
    this.schedules.set(name, { state, tags: {} });
    return this;
  }

  /** As the guard leaves a workflow whose runs it stopped for `incidentId`. */
  tagStoppedRuns(workflow: string, incidentId: string, runIds: readonly string[], table = 'sales.orders'): this {
    this.workflowTags.set(workflow, { ...this.workflowTags.get(workflow), ...workflowHoldTags({ incidentId, table }, runIds).tags });
    return this;
  }

  readonly workflows: WorkflowPort = {
    workflowOfCrawler: async (crawlerName) => {
      await this.world.enter('workflows.workflowOfCrawler', crawlerName);
      return this.crawlerWorkflows.get(crawlerName);
    },
    pause: async (workflow, incident, options) => {
      await this.world.enter('workflows.pause', workflow);
      this.pauses.push({ workflow, incident, options });
      if (!isHome(incident)) throw new Error(`glue:TagResource: no such resource in ${incident.region}/${incident.account}`);
      return this.pauseResults.get(workflow) ?? this.pauseNow(workflow, incident, options);
    },
    holdSchedule: async (crawler, incident): Promise<ScheduleHold> => {
      await this.world.enter('workflows.holdSchedule', crawler);
      const schedule = this.schedules.get(crawler);
      if (schedule === undefined) return { crawler, scheduled: false, stopped: false, reason: producerLeaveText({ code: 'no-schedule' }) };
      const decision = scheduleHoldAction({ expression: 'cron(0 * * * ? *)', state: schedule.state });
      if (decision.action === 'leave') return { crawler, scheduled: true, stopped: false, reason: producerLeaveText(decision.reason) };
      if (decision.action === 'check-own') {
        return heldBy(schedule.tags, incident.id) ? { crawler, scheduled: true, stopped: true } : { crawler, scheduled: true, stopped: false, reason: 'already NOT_SCHEDULED' };
      }
      schedule.tags = { ...schedule.tags, ...producerHoldTags(incident) };
      schedule.state = 'NOT_SCHEDULED';
      return { crawler, scheduled: true, stopped: true };
    },
  };

  readonly pipelines: PipelinePort = {
    findPausedTriggers: async (origin, filter = {}) => {
      await this.world.enter('pipelines.findPausedTriggers', filter.incidentId ?? filter.table ?? '*');
      if (!isHome(origin)) return [];
      return [...this.triggers.values()].flatMap((t): PausedTrigger[] => {
        const hold = triggerHoldOf(t.tags);
        if (hold === undefined) return [];
        if (filter.incidentId !== undefined && hold.incidentId !== filter.incidentId) return [];
        if (filter.table !== undefined && hold.table !== filter.table) return [];
        return [{ name: t.name, workflow: t.workflow, incidentId: hold.incidentId, table: hold.table, state: t.state, type: t.type }];
      });
    },
    findPausedWorkflows: async (origin, filter = {}) => {
      await this.world.enter('pipelines.findPausedWorkflows', filter.incidentId ?? '*');
      if (!isHome(origin)) return [];
      return [...this.workflowTags.entries()].flatMap(([workflow, tags]): PausedWorkflow[] => {
        const hold = workflowHoldOf(tags);
        if (hold === undefined) return [];
        if (filter.incidentId !== undefined && hold.incidentId !== filter.incidentId) return [];
        if (filter.table !== undefined && hold.table !== filter.table) return [];
        return [{ workflow, incidentId: hold.incidentId, table: hold.table, stoppedRuns: hold.stoppedRuns }];
      });
    },
    restartTrigger: async (paused, origin): Promise<RestartResult> => {
      await this.world.enter('pipelines.restartTrigger', paused.name);
      const refused = (reason: string): RestartResult => ({ trigger: paused.name, outcome: 'refused', reason });
      const live = isHome(origin) ? this.triggers.get(paused.name) : undefined;
      if (live === undefined) return refused('the trigger no longer exists');
      const byType = triggerReleaseAction({ type: live.type, state: 'DEACTIVATED' });
      if (byType.action === 'refuse') return refused(releaseRefusalText(byType.reason));
      if (!heldBy(live.tags, paused.incidentId)) return refused(`it no longer carries incident ${paused.incidentId}'s tag`);
      const decision = triggerReleaseAction(live);
      if (decision.action === 'refuse') return refused(releaseRefusalText(decision.reason));
      const outcome = decision.action === 'untag-only' ? 'already-active' : 'restarted';
      live.state = 'ACTIVATED';
      live.tags = withoutGuardTags(live.tags);
      return { trigger: paused.name, outcome };
    },
    resumeRun: async (workflow, runId) => {
      await this.world.enter('pipelines.resumeRun', `${workflow}/${runId}`);
      return this.runResults.get(runId) ?? { runId, outcome: 'resumed', detail: `${runId}-resumed` };
    },
    restartRun: async (workflow, runId) => {
      await this.world.enter('pipelines.restartRun', `${workflow}/${runId}`);
      return this.restartResults.get(runId) ?? { runId, outcome: 'restarted', detail: `${runId}-restarted`, status: 'STOPPED' };
    },
    findHeldProducers: async (origin, filter = {}) => {
      await this.world.enter('pipelines.findHeldProducers', filter.incidentId ?? filter.table ?? '*');
      if (!isHome(origin)) return [];
      return [...this.schedules.entries()].flatMap(([name, schedule]): HeldProducer[] => {
        const hold = producerHoldOf(schedule.tags);
        if (hold === undefined) return [];
        if (filter.incidentId !== undefined && hold.incidentId !== filter.incidentId) return [];
        if (filter.table !== undefined && hold.table !== filter.table) return [];
        return [{ kind: 'schedule', name, ...hold }];
      });
    },
    releaseProducer: async (held, origin): Promise<ProducerRelease> => {
      await this.world.enter('pipelines.releaseProducer', held.name);
      const schedule = isHome(origin) ? this.schedules.get(held.name) : undefined;
      if (held.kind !== 'schedule' || schedule === undefined) return { kind: held.kind, name: held.name, outcome: 'refused', reason: 'the crawler no longer exists' };
      if (!heldBy(schedule.tags, held.incidentId)) return { kind: held.kind, name: held.name, outcome: 'refused', reason: `it no longer carries incident ${held.incidentId}'s tag` };
      const decision = scheduleReleaseAction({ expression: 'cron(0 * * * ? *)', state: schedule.state });
      if (decision.action === 'wait') return { kind: held.kind, name: held.name, outcome: 'refused', reason: producerWaitText(decision.state) };
      schedule.tags = withoutGuardTags(schedule.tags);
      if (decision.action === 'untag-only') return { kind: held.kind, name: held.name, outcome: 'already-active' };
      schedule.state = 'SCHEDULED';
      return { kind: held.kind, name: held.name, outcome: 'restarted' };
    },
    clearWorkflow: async (workflow, incidentId, origin, keepRuns = []) => {
      await this.world.enter('pipelines.clearWorkflow', workflow);
      const tags = isHome(origin) ? this.workflowTags.get(workflow) : undefined;
      const hold = workflowHoldOf(tags);
      if (tags === undefined || hold === undefined || !heldBy(tags, incidentId)) return;
      this.workflowTags.set(workflow, keepRuns.length === 0 ? withoutGuardTags(tags) : { ...tags, ...workflowHoldTags(hold, keepRuns).tags });
    },
  };

  /** What glue-workflows.ts does: stop (and tag) what the policy says, stop RUNNING runs and record them on the workflow. */
  private pauseNow(workflow: string, incident: IncidentRef, options: PauseOptions): PauseResult {
    const tags = this.workflowTags.get(workflow);
    if (tags === undefined) return { workflow, found: false, stoppedTriggers: [], untouchedTriggers: [], stoppedRuns: [], runsLeftRunning: [], warnings: [], stoppedSchedules: [], disabledRules: [] };
    const stoppedTriggers: string[] = [];
    const untouchedTriggers: { name: string; reason: string }[] = [];
    const mine = [...this.triggers.values()].filter((t) => t.workflow === workflow).sort((a, b) => a.name.localeCompare(b.name));
    for (const trigger of mine) {
      const decision = triggerHoldAction(trigger);
      if (decision.action === 'leave') untouchedTriggers.push({ name: trigger.name, reason: holdLeaveText(decision.reason) });
      else if (decision.action === 'check-own') {
        if (heldBy(trigger.tags, incident.id)) stoppedTriggers.push(trigger.name);
        else untouchedTriggers.push({ name: trigger.name, reason: `already ${trigger.state}` });
      } else {
        trigger.tags = { ...trigger.tags, ...triggerHoldTags(incident) };
        trigger.state = 'DEACTIVATED';
        stoppedTriggers.push(trigger.name);
      }
    }
    const runs = this.runs.get(workflow) ?? [];
    const running = runs.filter((r) => r.status === 'RUNNING');
    if (!options.stopRunningRuns) return { workflow, found: true, stoppedTriggers, untouchedTriggers, stoppedRuns: [], runsLeftRunning: running.map((r) => r.id), warnings: [], stoppedSchedules: [], disabledRules: [] };
    const own = workflowHoldOf(tags);
    const earlier = own?.incidentId === incident.id ? own.stoppedRuns : [];
    const stoppedRuns = [...new Set([...earlier, ...running.map((r) => r.id)])];
    const hold = { incidentId: incident.id, table: `${incident.database}.${incident.table}` };
    if (stoppedRuns.length > 0) this.workflowTags.set(workflow, { ...tags, ...workflowHoldTags(hold, stoppedRuns).tags });
    for (const run of running) run.status = 'STOPPED';
    return { workflow, found: true, stoppedTriggers, untouchedTriggers, stoppedRuns, runsLeftRunning: [], warnings: [], stoppedSchedules: [], disabledRules: [] };
  }
}

function withoutGuardTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !isGuardRecordKey(key)));
}

// ---------------------------------------------------------------- notifier, events, log

export class FakeNotifier implements NotifierPort {
  readonly published: AlertMessage[] = [];
  constructor(private readonly world: FakeWorld) {}
  async publish(alert: AlertMessage): Promise<void> {
    await this.world.enter('notifier.publish', alert.attributes.incident ?? '');
    this.published.push(alert);
  }
}

export class FakeEventPublisher implements EventPublisherPort {
  readonly published: OutcomeEvent[] = [];
  constructor(private readonly world: FakeWorld) {}
  async publish(event: OutcomeEvent): Promise<void> {
    const incidentId = event.detail.incidentId;
    await this.world.enter('events.publish', typeof incidentId === 'string' ? incidentId : '');
    this.published.push(event);
  }
}

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn';
  readonly message: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Records every line; a child shares its parent's entries and adds its keys to each of its lines. */
export class FakeLog implements GuardLog {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly keys: Readonly<Record<string, unknown>> = {},
  ) {}
  child(keys: Record<string, unknown>): FakeLog {
    return new FakeLog(this.entries, { ...this.keys, ...keys });
  }
  debug(message: string, ...extra: Record<string, unknown>[]): void {
    this.push('debug', message, extra);
  }
  info(message: string, ...extra: Record<string, unknown>[]): void {
    this.push('info', message, extra);
  }
  warn(message: string, ...extra: Record<string, unknown>[]): void {
    this.push('warn', message, extra);
  }
  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
  private push(level: LogEntry['level'], message: string, extra: readonly Record<string, unknown>[]): void {
    this.entries.push({ level, message, extra: extra.reduce<Record<string, unknown>>((all, e) => ({ ...all, ...e }), { ...this.keys }) });
  }
}

/** Every fake on one world and one movable clock. */
export function fakePorts(start = new Date('2026-12-01T10:00:00.000Z')) {
  const world = new FakeWorld();
  const clock = { now: start };
  const jobs = new FakeGlueJobs(world);
  const catalog = new FakeCatalog(world, () => clock.now);
  const partitions = new FakePartitions(world, catalog);
  const notifier = new FakeNotifier(world);
  const events = new FakeEventPublisher(world);
  const log = new FakeLog();
  return {
    world,
    clock,
    now: (): Date => clock.now,
    /** Moves the clock on by `ms`. */
    advance(ms: number): void {
      clock.now = new Date(clock.now.getTime() + ms);
    },
    catalog,
    partitions,
    jobs,
    workflows: jobs.workflows,
    pipelines: jobs.pipelines,
    notifier,
    events,
    log,
    /** Forgets what was called, published and logged so far (the state of the catalog and workflows stays). */
    forget(): void {
      world.calls.length = 0;
      catalog.restores.length = 0;
      jobs.pauses.length = 0;
      notifier.published.length = 0;
      events.published.length = 0;
      log.entries.length = 0;
    },
  };
}

export type FakePorts = ReturnType<typeof fakePorts>;

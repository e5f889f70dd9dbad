/**
 * The local Glue service: state plus the operations table, and a direct (no HTTP) API for seeding and
 * inspecting state from tests. Direct writes go through the same validation and emit the same events as
 * API calls (pass `{ emit: false }` to seed silently).
 */
import type {
  Crawler,
  Database,
  Partition,
  PartitionInput,
  Table,
  TableInput,
  TableVersion,
  Trigger,
  Workflow,
  WorkflowRun,
} from '@aws-sdk/client-glue';
import type { BusEvent } from '../bus.js';
import { glueError } from '../errors.js';
import type { Prng } from '../prng.js';
import { parseRequest } from '../validation.js';
import { glueArn, type ArnContext, type GlueResourceKind, type GlueResourceRef } from './arns.js';
import { GlueCatalog, type UpdateTableOptions } from './catalog.js';
import type { GlueContext, GlueSettings } from './context.js';
import { GlueCrawlers, type CrawlerRun, type CrawlerRunResult, type CrawlerWrite } from './crawlers.js';
import { GlueEventFactory } from './events.js';
import { GlueJobs } from './jobs.js';
import { createGlueOperations, type GlueOperation } from './operations.js';
import { GluePartitions, type PartitionEntryFault } from './partitions.js';
import {
  createCrawlerRequest,
  createJobRequest,
  createTriggerRequest,
  createWorkflowRequest,
  databaseInputSchema,
  partitionInputSchema,
  tableInputSchema,
} from './schemas.js';
import { GlueTags } from './tags.js';
import { GlueTriggers, type TriggerFiring } from './triggers.js';
import { GlueWorkflows } from './workflows.js';

export interface LocalGlueOptions {
  readonly region: string;
  readonly accountId: string;
  readonly seed: number;
  readonly ids: Prng;
  readonly emit: (event: BusEvent) => void;
  readonly now?: () => Date;
}

const DEFAULT_SETTINGS: GlueSettings = {
  maxTableVersions: 100_000,
  stopObservations: 1,
  maxPartitionsPerTable: 10_000_000,
  maxPartitionsPerAccount: 20_000_000,
  batchGetPartitionMaxProcessed: 1000,
};

export class LocalGlue {
  /** Knobs: table version limit, how long a stopped workflow run reports STOPPING. */
  readonly settings: GlueSettings = { ...DEFAULT_SETTINGS };
  readonly catalog: GlueCatalog;
  readonly partitions: GluePartitions;
  readonly crawlers: GlueCrawlers;
  readonly jobs: GlueJobs;
  readonly triggers: GlueTriggers;
  readonly workflows: GlueWorkflows;
  readonly tags: GlueTags;
  private readonly operations: Readonly<Record<string, GlueOperation>>;
  private readonly arnContext: ArnContext;

  constructor(options: LocalGlueOptions) {
    this.arnContext = { region: options.region, accountId: options.accountId };
    const ctx: GlueContext = {
      region: options.region,
      accountId: options.accountId,
      seed: options.seed,
      ids: options.ids,
      emit: options.emit,
      now: options.now ?? (() => new Date()),
      events: new GlueEventFactory(this.arnContext, options.ids),
      principalArn: `arn:aws:iam::${options.accountId}:user/local-stack`,
    };
    this.catalog = new GlueCatalog(ctx, this.settings);
    this.partitions = new GluePartitions(ctx, this.catalog, this.settings);
    this.crawlers = new GlueCrawlers(ctx, this.catalog, this.partitions);
    this.jobs = new GlueJobs(ctx);
    this.triggers = new GlueTriggers(ctx, {
      hasJob: (name) => this.jobs.has(name),
      hasCrawler: (name) => this.crawlers.has(name),
      hasWorkflow: (name) => this.workflows.has(name),
    });
    this.workflows = new GlueWorkflows(ctx, this.settings, this.triggers);
    this.tags = new GlueTags(this.arnContext, (ref) => this.exists(ref));
    this.operations = createGlueOperations({
      arnContext: this.arnContext,
      catalog: this.catalog,
      partitions: this.partitions,
      crawlers: this.crawlers,
      jobs: this.jobs,
      triggers: this.triggers,
      workflows: this.workflows,
      tags: this.tags,
    });
  }

  /** Names of the operations served over HTTP. */
  get operationNames(): string[] {
    return Object.keys(this.operations).sort();
  }

  /** Runs one API operation without HTTP (same validation and errors). Output values are model values (Dates). */
  call(operation: string, input: unknown): unknown {
    const handler = this.operations[operation];
    if (handler === undefined) throw glueError.unknownOperation(`AWSGlue.${operation}`);
    return handler(input);
  }

  hasOperation(operation: string): boolean {
    return Object.hasOwn(this.operations, operation);
  }

  arn(kind: GlueResourceKind, ...path: string[]): string {
    return glueArn(this.arnContext, kind, ...path);
  }

  // ---------- direct API: catalog ----------

  createDatabase(name: string, input: Partial<Omit<Database, 'Name'>> = {}, options: { emit?: boolean } = {}): Database {
    const parsed = parseRequest(
      databaseInputSchema,
      { Name: name, Description: input.Description, LocationUri: input.LocationUri, Parameters: input.Parameters },
      glueError.validation,
    );
    return this.catalog.createDatabase(parsed, options);
  }

  /** Creates the table (and its database if missing), or updates it when it exists. Returns the current Table. */
  putTable(databaseName: string, tableInput: TableInput, options: UpdateTableOptions = {}): Table {
    const input = parseRequest(tableInputSchema, tableInput, glueError.validation);
    const emit = options.emit === undefined ? {} : { emit: options.emit };
    if (!this.catalog.hasDatabase(databaseName)) this.catalog.createDatabase({ Name: databaseName }, emit);
    if (this.catalog.hasTable(databaseName, input.Name)) return this.catalog.updateTable(databaseName, input, options);
    return this.catalog.createTable(databaseName, input, emit);
  }

  getTable(databaseName: string, tableName: string): Table | undefined {
    return this.catalog.hasTable(databaseName, tableName) ? this.catalog.getTable(databaseName, tableName) : undefined;
  }

  /** Every stored version, sorted by VersionId ascending. */
  getTableVersions(databaseName: string, tableName: string): TableVersion[] {
    return this.catalog.tableVersionsSorted(databaseName, tableName);
  }

  // ---------- direct API: partitions ----------

  /**
   * Seeds partitions in-process, any number at once (no 100-entry batch limit): every input is validated (shape,
   * one value per partition key, not already there, quotas) before any is written. Emits BatchCreatePartition events
   * of ≤ 100 partitions unless `{ emit: false }`.
   */
  putPartitions(databaseName: string, tableName: string, inputs: readonly PartitionInput[], options: { emit?: boolean } = {}): Partition[] {
    const parsed = inputs.map((input) => parseRequest(partitionInputSchema, input, glueError.validation));
    return this.partitions.seed(databaseName, tableName, parsed, options);
  }

  /**
   * Makes the next matching entries of a batch partition call fail: reported in that call's `Errors` with the given
   * ErrorCode (default InternalServiceException), or returned in `UnprocessedKeys` for BatchGetPartition; the entry is
   * not applied. Cleared by `clear()` / `stack.reset()`.
   */
  failPartitionEntries(fault: PartitionEntryFault): void {
    this.partitions.failEntries(fault);
  }

  /** Every partition of the table, in creation order. */
  getPartitions(databaseName: string, tableName: string): Partition[] {
    return this.partitions.list(databaseName, tableName);
  }

  getPartition(databaseName: string, tableName: string, values: readonly string[]): Partition | undefined {
    return this.partitions.find(databaseName, tableName, values);
  }

  // ---------- direct API: crawlers ----------

  createCrawler(input: { Name: string; Role?: string; DatabaseName?: string; Targets?: unknown; Schedule?: string }): Crawler {
    const parsed = parseRequest(
      createCrawlerRequest,
      { Role: `arn:aws:iam::${this.arnContext.accountId}:role/local-crawler`, Targets: { S3Targets: [] }, ...input },
      glueError.validation,
    );
    return this.crawlers.create(parsed);
  }

  getCrawler(name: string): Crawler {
    return this.crawlers.get(name);
  }

  /** The scheduler's tick for a crawler on its own schedule: crawls `writes` only when its schedule is SCHEDULED. */
  fireCrawlerSchedule(crawlerName: string, writes: readonly CrawlerWrite[]): CrawlerRunResult | undefined {
    return this.crawlers.fireSchedule(crawlerName, writes);
  }

  /** Starts a crawl (READY → RUNNING, Started event); write tables, then `finish()` or `fail(message)`. */
  startCrawlerRun(crawlerName: string): CrawlerRun {
    return this.crawlers.start(crawlerName);
  }

  /** A whole crawl: Started, the writes, then Succeeded (counts as strings) — or Failed. */
  simulateCrawlerRun(crawlerName: string, writes: readonly CrawlerWrite[], options: { fail?: string } = {}): CrawlerRunResult {
    return this.crawlers.simulate(crawlerName, writes, options);
  }

  // ---------- direct API: jobs, triggers, workflows ----------

  createJob(name: string, role = `arn:aws:iam::${this.arnContext.accountId}:role/local-job`): void {
    this.jobs.create(parseRequest(createJobRequest, { Name: name, Role: role, Command: { Name: 'glueetl' } }, glueError.validation));
  }

  createTrigger(input: unknown): Trigger {
    return this.triggers.create(parseRequest(createTriggerRequest, input, glueError.validation));
  }

  getTrigger(name: string): Trigger {
    return this.triggers.get(name);
  }

  /** Every ON_DEMAND firing caused by StartTrigger, in order. */
  get triggerFirings(): readonly TriggerFiring[] {
    return this.triggers.firings;
  }

  /** Lake Formation: the caller has no DESCRIBE on the table (GetTables omits it; GetTable answers AccessDeniedException). */
  denyDescribe(databaseName: string, tableName: string): void {
    this.catalog.denyDescribe(databaseName, tableName);
  }

  createWorkflow(input: unknown): Workflow {
    return this.workflows.create(parseRequest(createWorkflowRequest, input, glueError.validation));
  }

  /**
   * An EventBridge rule target: a workflow ARN of this account starts a run when the workflow has an EVENT trigger
   * (Glue developer guide, "Starting a workflow with an Amazon EventBridge event"); any other target, or a workflow
   * without one, starts nothing. Returns the new run id. A refusal (MaxConcurrentRuns) is dropped, as EventBridge
   * would after its retries.
   */
  startWorkflowFromEvent(targetArn: string): string | undefined {
    const prefix = glueArn(this.arnContext, 'workflow', '');
    if (!targetArn.startsWith(prefix)) return undefined;
    const name = targetArn.slice(prefix.length);
    if (!this.workflows.has(name)) return undefined;
    if (!this.triggers.list({ workflowName: name }).some((t) => t.Type === 'EVENT')) return undefined;
    try {
      return this.workflows.startRun(name);
    } catch {
      return undefined;
    }
  }

  getWorkflowRuns(workflowName: string): WorkflowRun[] {
    return this.workflows.getRuns(workflowName);
  }

  /** Ends a RUNNING workflow run as COMPLETED (or ERROR). */
  completeWorkflowRun(workflowName: string, runId: string, status: 'COMPLETED' | 'ERROR' = 'COMPLETED'): WorkflowRun {
    return this.workflows.completeRun(workflowName, runId, status);
  }

  // ---------- direct API: tags ----------

  getTags(arn: string): Record<string, string> {
    return this.tags.get(arn);
  }

  /** Drops every database, table, crawler, job, trigger, workflow and tag; restores default settings. */
  clear(): void {
    Object.assign(this.settings, DEFAULT_SETTINGS);
    this.catalog.clear();
    this.partitions.clear();
    this.crawlers.clear();
    this.jobs.clear();
    this.triggers.clear();
    this.workflows.clear();
    this.tags.clear();
  }

  private exists(ref: GlueResourceRef): boolean {
    const [first = '', second = ''] = ref.path;
    switch (ref.kind) {
      case 'database':
        return this.catalog.hasDatabase(first);
      case 'table':
        return this.catalog.hasTable(first, second);
      case 'trigger':
        return this.triggers.has(first);
      case 'workflow':
        return this.workflows.has(first);
      case 'crawler':
        return this.crawlers.has(first);
      case 'job':
        return this.jobs.has(first);
    }
  }
}

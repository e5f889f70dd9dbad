/**
 * Crawlers: definitions (CreateCrawler / GetCrawler / GetCrawlers) and simulated runs. A run goes
 * READY → RUNNING → READY and emits `Glue Crawler State Change` (Started, then Succeeded with string counts or
 * Failed). Tables it writes are stamped with `Parameters.UPDATED_BY_CRAWLER = <crawler name>`; an existing
 * table is updated (Table State Change, UpdateTable, at write time), a new one created; the tables a crawl
 * creates are announced when it ends, as Database State Change CreateTable events of ≤100 names each.
 *
 * Schedules (Glue API, "Crawler scheduler API": Schedule { ScheduleExpression, State: SCHEDULED | NOT_SCHEDULED |
 * TRANSITIONING }): CreateCrawler with a Schedule starts SCHEDULED. StopCrawlerSchedule (API_StopCrawlerSchedule):
 * SCHEDULED → NOT_SCHEDULED, "but does not stop the crawler if it is already running"; NOT_SCHEDULED or no schedule →
 * SchedulerNotRunningException (the docs are silent on a crawler without a schedule: the strict side refuses);
 * TRANSITIONING → SchedulerTransitioningException. StartCrawlerSchedule (API_StartCrawlerSchedule): NOT_SCHEDULED →
 * SCHEDULED; no schedule → NoScheduleException; SCHEDULED → SchedulerRunningException; TRANSITIONING →
 * SchedulerTransitioningException; "unless the crawler is already running": which error a RUNNING crawler answers is
 * not documented, the strict side refuses with CrawlerRunningException. UpdateCrawlerSchedule changes the expression
 * (TRANSITIONING → SchedulerTransitioningException). The stack has no clock: `fireSchedule` is the scheduler's tick,
 * and crawls only a SCHEDULED crawler.
 * A write may list partitions: each is created or replaced with the crawled schema (the table's new
 * StorageDescriptor unless the partition brings its own), announced as BatchCreatePartition / BatchUpdatePartition
 * at write time and counted in partitionsCreated / partitionsUpdated.
 */
import type { Crawler, PartitionInput, StorageDescriptor, Table, TableInput } from '@aws-sdk/client-glue';
import { AwsServiceError, glueError } from '../errors.js';
import { parseRequest } from '../validation.js';
import type { GlueCatalog } from './catalog.js';
import { clone, type GlueContext } from './context.js';
import { eventTime } from './events.js';
import type { GluePartitions } from './partitions.js';
import { partitionInputSchema, tableInputSchema, type createCrawlerRequest } from './schemas.js';
import type { z } from 'zod';

export type CreateCrawlerInput = z.output<typeof createCrawlerRequest>;

export interface CrawlerWrite {
  /** Defaults to the crawler's DatabaseName. */
  readonly databaseName?: string;
  readonly tableInput: TableInput;
  /**
   * Partitions the crawl writes into this table (Values required). Without a StorageDescriptor a partition gets the
   * crawled table's, located at `<table location><key>=<value>/...`.
   */
  readonly partitions?: readonly PartitionInput[];
}

export interface CrawlerRunResult {
  readonly crawlerName: string;
  readonly state: 'Succeeded' | 'Failed';
  readonly tablesCreated: number;
  readonly tablesUpdated: number;
  readonly tablesDeleted: number;
  readonly partitionsCreated: number;
  readonly partitionsUpdated: number;
  readonly errorMessage?: string;
  readonly tables: readonly Table[];
}

/** A crawl in progress: write tables, then finish or fail it. */
export interface CrawlerRun {
  readonly crawlerName: string;
  write(write: CrawlerWrite): 'created' | 'updated';
  finish(): CrawlerRunResult;
  fail(errorMessage: string): CrawlerRunResult;
}

/** Parameters a real crawler stamps on every table it writes. */
function crawlerParameters(crawlerName: string, input: TableInput): Record<string, string> {
  return {
    CrawlerSchemaDeserializerVersion: '1.0',
    CrawlerSchemaSerializerVersion: '1.0',
    ...input.Parameters,
    UPDATED_BY_CRAWLER: crawlerName,
  };
}

/** The partition as the crawler writes it: its own StorageDescriptor, or the table's at the partition's path. */
function crawledPartition(partition: PartitionInput, table: TableInput): PartitionInput {
  if (partition.StorageDescriptor !== undefined || table.StorageDescriptor === undefined) return partition;
  const keys = table.PartitionKeys ?? [];
  const base = table.StorageDescriptor.Location;
  const suffix = keys.map((k, i) => `${k.Name ?? ''}=${partition.Values?.[i] ?? ''}/`).join('');
  const location = base === undefined ? undefined : `${base.endsWith('/') ? base : `${base}/`}${suffix}`;
  const storage: StorageDescriptor = { ...structuredClone(table.StorageDescriptor), ...(location === undefined ? {} : { Location: location }) };
  return { ...partition, StorageDescriptor: storage };
}

export class GlueCrawlers {
  private readonly crawlers = new Map<string, Crawler>();
  private readonly ctx: GlueContext;
  private readonly catalog: GlueCatalog;
  private readonly partitions: GluePartitions;

  constructor(ctx: GlueContext, catalog: GlueCatalog, partitions: GluePartitions) {
    this.ctx = ctx;
    this.catalog = catalog;
    this.partitions = partitions;
  }

  has(name: string): boolean {
    return this.crawlers.has(name);
  }

  create(input: CreateCrawlerInput): Crawler {
    if (this.crawlers.has(input.Name)) throw glueError.alreadyExists(`${input.Name} already exists`);
    const now = this.ctx.now();
    const crawler: Crawler = {
      Name: input.Name,
      Role: input.Role,
      Targets: {
        S3Targets: input.Targets.S3Targets ?? [],
        JdbcTargets: [],
        MongoDBTargets: [],
        DynamoDBTargets: [],
        CatalogTargets: input.Targets.CatalogTargets ?? [],
        DeltaTargets: [],
        IcebergTargets: [],
        HudiTargets: [],
      },
      DatabaseName: input.DatabaseName,
      Description: input.Description,
      Classifiers: input.Classifiers ?? [],
      RecrawlPolicy: { RecrawlBehavior: input.RecrawlPolicy?.RecrawlBehavior ?? 'CRAWL_EVERYTHING' },
      SchemaChangePolicy: {
        UpdateBehavior: input.SchemaChangePolicy?.UpdateBehavior ?? 'UPDATE_IN_DATABASE',
        DeleteBehavior: input.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE',
      },
      LineageConfiguration: { CrawlerLineageSettings: 'DISABLE' },
      State: 'READY',
      TablePrefix: input.TablePrefix,
      Schedule: input.Schedule === undefined ? undefined : { ScheduleExpression: input.Schedule, State: 'SCHEDULED' },
      CrawlElapsedTime: 0,
      CreationTime: now,
      LastUpdated: now,
      Version: 1,
      Configuration: input.Configuration,
      CrawlerSecurityConfiguration: input.CrawlerSecurityConfiguration,
      LakeFormationConfiguration: { UseLakeFormationCredentials: false, AccountId: '' },
    };
    this.crawlers.set(input.Name, crawler);
    return clone(crawler);
  }

  get(name: string): Crawler {
    const crawler = this.crawlers.get(name);
    if (crawler === undefined) throw glueError.entityNotFound(`Crawler with name ${name} not found.`);
    return clone(crawler);
  }

  list(): Crawler[] {
    return [...this.crawlers.values()].map((c) => clone(c)).sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
  }

  clear(): void {
    this.crawlers.clear();
  }

  private live(name: string): Crawler {
    const crawler = this.crawlers.get(name);
    if (crawler === undefined) throw glueError.entityNotFound(`Crawler with name ${name} not found.`);
    return crawler;
  }

  stopSchedule(name: string): void {
    const crawler = this.live(name);
    const state = crawler.Schedule?.State;
    if (state === 'TRANSITIONING') throw glueError.schedulerTransitioning(`Schedule of crawler ${name} is transitioning.`);
    if (crawler.Schedule === undefined || state !== 'SCHEDULED') throw glueError.schedulerNotRunning(`Schedule of crawler ${name} is not running.`);
    crawler.Schedule = { ...crawler.Schedule, State: 'NOT_SCHEDULED' };
  }

  startSchedule(name: string): void {
    const crawler = this.live(name);
    const schedule = crawler.Schedule;
    if (schedule?.ScheduleExpression === undefined) throw glueError.noSchedule(`Crawler ${name} has no schedule.`);
    if (schedule.State === 'TRANSITIONING') throw glueError.schedulerTransitioning(`Schedule of crawler ${name} is transitioning.`);
    if (schedule.State === 'SCHEDULED') throw glueError.schedulerRunning(`Schedule of crawler ${name} is already running.`);
    if (crawler.State !== 'READY') throw glueError.crawlerRunning(`Crawler with name ${name} is running; its schedule cannot be started.`);
    crawler.Schedule = { ...schedule, State: 'SCHEDULED' };
  }

  updateSchedule(name: string, expression: string | undefined): void {
    const crawler = this.live(name);
    if (crawler.Schedule?.State === 'TRANSITIONING') throw glueError.schedulerTransitioning(`Schedule of crawler ${name} is transitioning.`);
    if (expression === undefined || expression === '') {
      crawler.Schedule = undefined;
      return;
    }
    crawler.Schedule = { ScheduleExpression: expression, State: crawler.Schedule?.State ?? 'SCHEDULED' };
  }

  /** Test knob: put the schedule in a state (TRANSITIONING is otherwise never observed locally). */
  setScheduleState(name: string, state: 'SCHEDULED' | 'NOT_SCHEDULED' | 'TRANSITIONING'): void {
    const crawler = this.live(name);
    if (crawler.Schedule?.ScheduleExpression === undefined) throw new Error(`crawler ${name} has no schedule`);
    crawler.Schedule = { ...crawler.Schedule, State: state };
  }

  /** The scheduler's tick: a SCHEDULED, READY crawler crawls `writes`; otherwise nothing runs (undefined). */
  fireSchedule(name: string, writes: readonly CrawlerWrite[]): CrawlerRunResult | undefined {
    const crawler = this.live(name);
    if (crawler.Schedule?.State !== 'SCHEDULED' || crawler.State !== 'READY') return undefined;
    return this.simulate(name, writes);
  }

  /** Starts a crawl: READY → RUNNING, emits Started. */
  start(name: string): CrawlerRun {
    const crawler = this.crawlers.get(name);
    if (crawler === undefined) throw glueError.entityNotFound(`Crawler with name ${name} not found.`);
    if (crawler.State !== 'READY') throw glueError.crawlerRunning(`Crawler with name ${name} has already started`);
    const startedAt = this.ctx.now();
    const messagePrefix = this.ctx.ids.uuid();
    crawler.State = 'RUNNING';
    this.ctx.emit(
      this.ctx.events.crawlerStateChange(
        name,
        { accountId: this.ctx.accountId, crawlerName: name, startTime: eventTime(startedAt), state: 'Started', message: 'Crawler Started' },
        startedAt,
      ),
    );
    let created = 0;
    let updated = 0;
    let partitionsCreated = 0;
    let partitionsUpdated = 0;
    const tables: Table[] = [];
    const createdByDatabase = new Map<string, string[]>();
    let done = false;

    const settle = (status: 'SUCCEEDED' | 'FAILED', errorMessage?: string): Date => {
      if (done) throw new Error(`crawler run ${name} already finished`);
      done = true;
      const finishedAt = this.ctx.now();
      for (const [databaseName, names] of createdByDatabase) {
        for (const event of this.ctx.events.databaseStateChange(databaseName, 'CreateTable', finishedAt, names)) this.ctx.emit(event);
      }
      crawler.State = 'READY';
      crawler.CrawlElapsedTime = 0;
      crawler.LastCrawl = {
        Status: status,
        ErrorMessage: errorMessage,
        LogGroup: '/aws-glue/crawlers',
        LogStream: name,
        MessagePrefix: messagePrefix,
        StartTime: startedAt,
      };
      return finishedAt;
    };

    return {
      crawlerName: name,
      write: (write) => {
        if (done) throw new Error(`crawler run ${name} already finished`);
        const databaseName = write.databaseName ?? crawler.DatabaseName;
        if (databaseName === undefined) throw glueError.invalidInput(`Crawler ${name} has no DatabaseName and the write names none`);
        const input = parseRequest(
          tableInputSchema,
          { ...write.tableInput, Parameters: crawlerParameters(name, write.tableInput) },
          glueError.validation,
        );
        // Partitions are checked before the table is written, so a bad partition list writes nothing.
        const partitionInputs = (write.partitions ?? []).map((p) =>
          parseRequest(partitionInputSchema, crawledPartition(p, write.tableInput), glueError.validation),
        );
        const keyCount = (input.PartitionKeys ?? []).length;
        const wrongCount = partitionInputs.find((p) => (p.Values ?? []).length !== keyCount || keyCount === 0);
        if (wrongCount !== undefined) {
          throw glueError.invalidInput(
            `The number of partition keys do not match the number of partition values: ${input.Name} has ${String(keyCount)} partition keys.`,
          );
        }
        const writePartitions = (): void => {
          if (partitionInputs.length === 0) return;
          const counts = this.partitions.upsert(databaseName, input.Name, partitionInputs);
          partitionsCreated += counts.created;
          partitionsUpdated += counts.updated;
        };
        if (this.catalog.hasTable(databaseName, input.Name)) {
          tables.push(this.catalog.updateTable(databaseName, input));
          updated += 1;
          writePartitions();
          return 'updated';
        }
        const table = this.catalog.createTable(databaseName, input, { emit: false });
        tables.push(table);
        const dbName = table.DatabaseName ?? databaseName;
        createdByDatabase.set(dbName, [...(createdByDatabase.get(dbName) ?? []), table.Name ?? input.Name]);
        created += 1;
        writePartitions();
        return 'created';
      },
      finish: () => {
        const finishedAt = settle('SUCCEEDED');
        const seconds = Math.max(0, Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000));
        this.ctx.emit(
          this.ctx.events.crawlerStateChange(
            name,
            {
              tablesCreated: String(created),
              warningMessage: 'N/A',
              partitionsUpdated: String(partitionsUpdated),
              tablesUpdated: String(updated),
              message: 'Crawler Succeeded',
              partitionsDeleted: '0',
              accountId: this.ctx.accountId,
              'runningTime (sec)': String(seconds),
              tablesDeleted: '0',
              crawlerName: name,
              completionDate: eventTime(finishedAt),
              state: 'Succeeded',
              partitionsCreated: String(partitionsCreated),
              cloudWatchLogLink: this.ctx.events.cloudWatchLogLink(name),
            },
            finishedAt,
          ),
        );
        return {
          crawlerName: name,
          state: 'Succeeded',
          tablesCreated: created,
          tablesUpdated: updated,
          tablesDeleted: 0,
          partitionsCreated,
          partitionsUpdated,
          tables,
        };
      },
      fail: (errorMessage) => {
        const finishedAt = settle('FAILED', errorMessage);
        this.ctx.emit(
          this.ctx.events.crawlerStateChange(
            name,
            {
              crawlerName: name,
              errorMessage,
              accountId: this.ctx.accountId,
              cloudWatchLogLink: this.ctx.events.cloudWatchLogLink(name),
              state: 'Failed',
              message: 'Crawler Failed',
            },
            finishedAt,
          ),
        );
        return {
          crawlerName: name,
          state: 'Failed',
          tablesCreated: created,
          tablesUpdated: updated,
          tablesDeleted: 0,
          partitionsCreated,
          partitionsUpdated,
          errorMessage,
          tables,
        };
      },
    };
  }

  /** Runs a whole crawl: start, write every table, then succeed — or fail on the first write error / `fail`. */
  simulate(name: string, writes: readonly CrawlerWrite[], options: { fail?: string } = {}): CrawlerRunResult {
    const run = this.start(name);
    for (const write of writes) {
      try {
        run.write(write);
      } catch (error: unknown) {
        const message = error instanceof AwsServiceError || error instanceof Error ? error.message : String(error);
        return run.fail(message);
      }
    }
    return options.fail === undefined ? run.finish() : run.fail(options.fail);
  }
}

/**
 * The EventBridge events Glue emits (source `aws.glue`), with the detail shapes from the AWS examples.
 * No event carries the schema, the actor or the VersionId.
 */
import type { BusEvent } from '../bus.js';
import type { Prng } from '../prng.js';
import { glueArn, type ArnContext } from './arns.js';

export const TABLE_STATE_CHANGE = 'Glue Data Catalog Table State Change';
export const DATABASE_STATE_CHANGE = 'Glue Data Catalog Database State Change';
export const CRAWLER_STATE_CHANGE = 'Glue Crawler State Change';

/** Glue caps `changedTables` / `changedPartitions` at 100 names per event ("up to 100 affected partitions in one notification"). */
export const MAX_NAMES_PER_EVENT = 100;

export type TableTypeOfChange =
  | 'UpdateTable'
  | 'CreatePartition'
  | 'BatchCreatePartition'
  | 'UpdatePartition'
  | 'BatchUpdatePartition'
  | 'DeletePartition'
  | 'BatchDeletePartition';

/**
 * A partition as `changedPartitions` names it: its values in brackets, joined by ", " — the form of events captured
 * from AWS (`"[2021-01-13 00:00:00]"`, `"[SE, 20210308, 2021030817]"`). Unsure: the Glue developer guide's example
 * ("Automating AWS Glue with CloudWatch Events") writes `"2018,01"`; consumers should treat the names as a hint and
 * read the partitions back (infra/local/README.md).
 */
export function partitionEventName(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

export type DatabaseTypeOfChange = 'CreateDatabase' | 'DeleteDatabase' | 'CreateTable' | 'DeleteTable' | 'BatchDeleteTable';

export type TableStateChangeDetail = {
  readonly databaseName: string;
  readonly tableName: string;
  readonly typeOfChange: TableTypeOfChange;
  readonly changedPartitions?: readonly string[];
};

export type DatabaseStateChangeDetail = {
  readonly databaseName: string;
  readonly typeOfChange: DatabaseTypeOfChange;
  readonly changedTables?: readonly string[];
};

export type CrawlerStartedDetail = {
  readonly accountId: string;
  readonly crawlerName: string;
  readonly startTime: string;
  readonly state: 'Started';
  readonly message: 'Crawler Started';
};

export type CrawlerSucceededDetail = {
  readonly tablesCreated: string;
  readonly warningMessage: string;
  readonly partitionsUpdated: string;
  readonly tablesUpdated: string;
  readonly message: 'Crawler Succeeded';
  readonly partitionsDeleted: string;
  readonly accountId: string;
  readonly 'runningTime (sec)': string;
  readonly tablesDeleted: string;
  readonly crawlerName: string;
  readonly completionDate: string;
  readonly state: 'Succeeded';
  readonly partitionsCreated: string;
  readonly cloudWatchLogLink: string;
};

export type CrawlerFailedDetail = {
  readonly crawlerName: string;
  readonly errorMessage: string;
  readonly accountId: string;
  readonly cloudWatchLogLink: string;
  readonly state: 'Failed';
  readonly message: 'Crawler Failed';
};

export type CrawlerStateChangeDetail = CrawlerStartedDetail | CrawlerSucceededDetail | CrawlerFailedDetail;

/** ISO-8601 without milliseconds, as EventBridge writes `time`. */
export function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class GlueEventFactory {
  private readonly ctx: ArnContext;
  private readonly ids: Prng;

  constructor(ctx: ArnContext, ids: Prng) {
    this.ctx = ctx;
    this.ids = ids;
  }

  private envelope<D extends Readonly<Record<string, unknown>>>(
    detailType: string,
    resources: string[],
    detail: D,
    at: Date,
  ): BusEvent<D> {
    return {
      version: '0',
      id: this.ids.uuid(),
      'detail-type': detailType,
      source: 'aws.glue',
      account: this.ctx.accountId,
      time: eventTime(at),
      region: this.ctx.region,
      resources,
      detail,
    };
  }

  tableStateChange(
    databaseName: string,
    tableName: string,
    typeOfChange: TableTypeOfChange,
    at: Date,
    changedPartitions?: readonly string[],
  ): BusEvent<TableStateChangeDetail> {
    const detail: TableStateChangeDetail =
      changedPartitions === undefined
        ? { databaseName, tableName, typeOfChange }
        : { databaseName, changedPartitions, typeOfChange, tableName };
    return this.envelope(TABLE_STATE_CHANGE, [glueArn(this.ctx, 'table', databaseName, tableName)], detail, at);
  }

  /** Partition writes: one Table State Change per ≤100 changed partitions (none when nothing changed). */
  partitionStateChanges(
    databaseName: string,
    tableName: string,
    typeOfChange: TableTypeOfChange,
    at: Date,
    changed: readonly (readonly string[])[],
  ): BusEvent<TableStateChangeDetail>[] {
    const names = changed.map(partitionEventName);
    const events: BusEvent<TableStateChangeDetail>[] = [];
    for (let i = 0; i < names.length; i += MAX_NAMES_PER_EVENT) {
      events.push(this.tableStateChange(databaseName, tableName, typeOfChange, at, names.slice(i, i + MAX_NAMES_PER_EVENT)));
    }
    return events;
  }

  /** One event per ≤100 table names. Database-level changes carry no `changedTables`. */
  databaseStateChange(
    databaseName: string,
    typeOfChange: DatabaseTypeOfChange,
    at: Date,
    changedTables: readonly string[] = [],
  ): BusEvent<DatabaseStateChangeDetail>[] {
    if (changedTables.length === 0) {
      return [this.envelope(DATABASE_STATE_CHANGE, [glueArn(this.ctx, 'database', databaseName)], { databaseName, typeOfChange }, at)];
    }
    const events: BusEvent<DatabaseStateChangeDetail>[] = [];
    for (let i = 0; i < changedTables.length; i += MAX_NAMES_PER_EVENT) {
      const chunk = changedTables.slice(i, i + MAX_NAMES_PER_EVENT);
      const resources = chunk.map((table) => glueArn(this.ctx, 'table', databaseName, table));
      events.push(this.envelope(DATABASE_STATE_CHANGE, resources, { databaseName, typeOfChange, changedTables: chunk }, at));
    }
    return events;
  }

  crawlerStateChange(crawlerName: string, detail: CrawlerStateChangeDetail, at: Date): BusEvent<CrawlerStateChangeDetail> {
    return this.envelope(CRAWLER_STATE_CHANGE, [], { ...detail, crawlerName }, at);
  }

  cloudWatchLogLink(crawlerName: string): string {
    return `https://console.aws.amazon.com/cloudwatch/home?region=${this.ctx.region}#logEventViewer:group=/aws-glue/crawlers;stream=${crawlerName}`;
  }
}

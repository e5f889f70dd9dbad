/**
 * zod schemas for the Glue request shapes the local stack serves (AWS Glue API reference, 2017-03-31).
 * Timestamps arrive as epoch seconds on the wire (JSON 1.1) or as Date from the direct API; both become Date.
 * TableInput and everything under it is strict: read-only `Table` fields (DatabaseName, CreateTime, VersionId,
 * CreatedBy, ...) are rejected, never stored. Top-level request objects ignore unknown members like AWS does.
 */
import { z } from 'zod';

export const name255 = z.string().min(1).max(255);
const description = z.string().max(2048);
const stringMap = z.record(z.string().min(1).max(255), z.string().max(512_000));
export const tagsMap = z.record(z.string().min(1).max(128), z.string().max(256));
const timestamp = z
  .union([z.number(), z.date()])
  .transform((value) => (value instanceof Date ? new Date(value.getTime()) : new Date(value * 1000)));

export const columnSchema = z.strictObject({
  Name: name255,
  Type: z.string().max(131_072).optional(),
  Comment: z.string().max(255).optional(),
  Parameters: stringMap.optional(),
});

const serdeInfoSchema = z.strictObject({
  Name: name255.optional(),
  SerializationLibrary: name255.optional(),
  Parameters: stringMap.optional(),
});

export const storageDescriptorSchema = z.strictObject({
  Columns: z.array(columnSchema).optional(),
  Location: z.string().max(2056).optional(),
  AdditionalLocations: z.array(z.string()).optional(),
  InputFormat: z.string().max(128).optional(),
  OutputFormat: z.string().max(128).optional(),
  Compressed: z.boolean().optional(),
  NumberOfBuckets: z.number().int().optional(),
  SerdeInfo: serdeInfoSchema.optional(),
  BucketColumns: z.array(name255).optional(),
  SortColumns: z.array(z.strictObject({ Column: name255, SortOrder: z.number().int().min(0).max(1) })).optional(),
  Parameters: stringMap.optional(),
  SkewedInfo: z
    .strictObject({
      SkewedColumnNames: z.array(name255).optional(),
      SkewedColumnValues: z.array(z.string()).optional(),
      SkewedColumnValueLocationMaps: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  StoredAsSubDirectories: z.boolean().optional(),
  SchemaReference: z
    .strictObject({
      SchemaId: z
        .strictObject({
          SchemaArn: z.string().optional(),
          SchemaName: z.string().optional(),
          RegistryName: z.string().optional(),
        })
        .optional(),
      SchemaVersionId: z.string().optional(),
      SchemaVersionNumber: z.number().int().min(1).optional(),
    })
    .optional(),
});

const viewDefinitionSchema = z.strictObject({
  IsProtected: z.boolean().optional(),
  Definer: z.string().optional(),
  Representations: z
    .array(
      z.strictObject({
        Dialect: z.enum(['ATHENA', 'REDSHIFT', 'SPARK']).optional(),
        DialectVersion: z.string().optional(),
        ViewOriginalText: z.string().optional(),
        ViewExpandedText: z.string().optional(),
        ValidationConnection: z.string().optional(),
      }),
    )
    .optional(),
  SubObjects: z.array(z.string()).optional(),
});

/** TableInput: exactly the writable members of a Glue table. */
export const tableInputSchema = z.strictObject({
  Name: name255,
  Description: description.optional(),
  Owner: name255.optional(),
  LastAccessTime: timestamp.optional(),
  LastAnalyzedTime: timestamp.optional(),
  Retention: z.number().int().min(0).optional(),
  StorageDescriptor: storageDescriptorSchema.optional(),
  PartitionKeys: z.array(columnSchema).optional(),
  ViewOriginalText: z.string().max(409_600).optional(),
  ViewExpandedText: z.string().max(409_600).optional(),
  TableType: z.string().max(255).optional(),
  Parameters: stringMap.optional(),
  TargetTable: z
    .strictObject({
      CatalogId: z.string().optional(),
      DatabaseName: z.string().optional(),
      Name: z.string().optional(),
      Region: z.string().optional(),
    })
    .optional(),
  FederatedTable: z
    .strictObject({
      Identifier: z.string().optional(),
      DatabaseIdentifier: z.string().optional(),
      ConnectionName: z.string().optional(),
      ConnectionType: z.string().optional(),
    })
    .optional(),
  ViewDefinition: viewDefinitionSchema.optional(),
});
export type ParsedTableInput = z.output<typeof tableInputSchema>;

export const databaseInputSchema = z.strictObject({
  Name: name255,
  Description: description.optional(),
  LocationUri: z.string().max(1024).optional(),
  Parameters: stringMap.optional(),
  CreateTableDefaultPermissions: z
    .array(
      z.strictObject({
        Principal: z.strictObject({ DataLakePrincipalIdentifier: z.string().optional() }).optional(),
        Permissions: z
          .array(
            z.enum([
              'ALL',
              'ALTER',
              'CREATE_DATABASE',
              'CREATE_TABLE',
              'DATA_LOCATION_ACCESS',
              'DELETE',
              'DROP',
              'INSERT',
              'SELECT',
            ]),
          )
          .optional(),
      }),
    )
    .optional(),
  TargetDatabase: z
    .strictObject({ CatalogId: z.string().optional(), DatabaseName: z.string().optional(), Region: z.string().optional() })
    .optional(),
});

export const catalogId = z.string().min(1).max(255).optional();
const nextToken = z.string().optional();

export function maxResults(max: number): z.ZodOptional<z.ZodNumber> {
  return z
    .number()
    .int()
    .min(1, { message: 'Member must have value greater than or equal to 1' })
    .max(max, { message: `Member must have value less than or equal to ${String(max)}` })
    .optional();
}

// ---- Databases ----
export const createDatabaseRequest = z.object({
  CatalogId: catalogId,
  DatabaseInput: databaseInputSchema,
  Tags: tagsMap.optional(),
});
export const getDatabaseRequest = z.object({ CatalogId: catalogId, Name: name255 });
export const getDatabasesRequest = z.object({ CatalogId: catalogId, NextToken: nextToken, MaxResults: maxResults(100) });
export const deleteDatabaseRequest = z.object({ CatalogId: catalogId, Name: name255 });

// ---- Tables ----
export const createTableRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  Name: name255.optional(),
  TableInput: tableInputSchema,
});
export const getTableRequest = z.object({ CatalogId: catalogId, DatabaseName: name255, Name: name255 });
export const getTablesRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  Expression: z.string().max(2048).optional(),
  NextToken: nextToken,
  MaxResults: maxResults(100),
});
export const updateTableRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  Name: name255.optional(),
  TableInput: tableInputSchema,
  SkipArchive: z.boolean().optional(),
  VersionId: z.string().min(1).max(255).optional(),
});
export const deleteTableRequest = z.object({ CatalogId: catalogId, DatabaseName: name255, Name: name255 });
export const batchDeleteTableRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TablesToDelete: z.array(name255).min(1).max(100),
});
export const getTableVersionsRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  NextToken: nextToken,
  MaxResults: maxResults(100),
});
export const getTableVersionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  VersionId: z.string().min(1).max(255).optional(),
});
export const deleteTableVersionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  VersionId: z.string().min(1).max(255),
});
/** Glue API, "BatchDeleteTableVersion action": VersionIds "Minimum number of 0 items. Maximum number of 100 items." */
export const batchDeleteTableVersionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  VersionIds: z.array(z.string().min(1).max(255)).max(100),
});

// ---- Partitions (Glue API reference, "Partition API": PartitionInput, PartitionValueList) ----
/** One partition value: 1–1024 characters (PartitionValueList "Length Constraints"). */
const partitionValue = z.string().min(1).max(1024);
/** A partition's values: at most 100 (the array limit of PartitionValueList / BatchUpdatePartitionRequestEntry). */
export const partitionValues = z.array(partitionValue).max(100);
/**
 * PartitionInput: exactly its writable members (strict: read-only Partition members such as CreationTime,
 * DatabaseName are rejected). `Values` is optional in the model ("not required by the SDK") but "you must specify
 * this parameter for a valid input": checked per partition (InvalidInputException), so batches report it per entry.
 */
export const partitionInputSchema = z.strictObject({
  Values: partitionValues.optional(),
  LastAccessTime: timestamp.optional(),
  StorageDescriptor: storageDescriptorSchema.optional(),
  Parameters: stringMap.optional(),
  LastAnalyzedTime: timestamp.optional(),
});
export type ParsedPartitionInput = z.output<typeof partitionInputSchema>;
const partitionValueList = z.object({ Values: partitionValues });
/** Lake Formation governed-table members the local stack does not model: rejected rather than ignored. */
const notServed = z.undefined({ message: 'not served by the local stack (no governed tables)' }).optional();

export const createPartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionInput: partitionInputSchema,
});
export const batchCreatePartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionInputList: z.array(partitionInputSchema).max(100, { message: 'Member must have length less than or equal to 100' }),
});
export const getPartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionValues: partitionValues,
});
export const getPartitionsRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  Expression: z.string().max(2048).optional(),
  NextToken: nextToken,
  Segment: z
    .object({
      SegmentNumber: z.number().int().min(0),
      TotalSegments: z
        .number()
        .int()
        .min(1, { message: 'Member must have value greater than or equal to 1' })
        .max(10, { message: 'Member must have value less than or equal to 10' }),
    })
    .optional(),
  MaxResults: maxResults(1000),
  ExcludeColumnSchema: z.boolean().optional(),
  TransactionId: notServed,
  QueryAsOfTime: notServed,
});
export const batchGetPartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionsToGet: z.array(partitionValueList).max(1000, { message: 'Member must have length less than or equal to 1000' }),
});
export const updatePartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionValueList: partitionValues,
  PartitionInput: partitionInputSchema,
});
export const batchUpdatePartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  Entries: z
    .array(z.object({ PartitionValueList: partitionValues, PartitionInput: partitionInputSchema }))
    .min(1, { message: 'Member must have length greater than or equal to 1' })
    .max(100, { message: 'Member must have length less than or equal to 100' }),
});
export const deletePartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionValues: partitionValues,
});
export const batchDeletePartitionRequest = z.object({
  CatalogId: catalogId,
  DatabaseName: name255,
  TableName: name255,
  PartitionsToDelete: z.array(partitionValueList).max(25, { message: 'Member must have length less than or equal to 25' }),
});

// ---- Crawlers ----
const crawlerTargetsSchema = z.object({
  S3Targets: z
    .array(
      z.object({
        Path: z.string().optional(),
        Exclusions: z.array(z.string()).optional(),
        ConnectionName: z.string().optional(),
        SampleSize: z.number().int().optional(),
        EventQueueArn: z.string().optional(),
        DlqEventQueueArn: z.string().optional(),
      }),
    )
    .optional(),
  CatalogTargets: z
    .array(
      z.object({
        DatabaseName: name255,
        Tables: z.array(name255).min(1),
        ConnectionName: z.string().optional(),
        EventQueueArn: z.string().optional(),
        DlqEventQueueArn: z.string().optional(),
      }),
    )
    .optional(),
});
export const createCrawlerRequest = z.object({
  Name: name255,
  Role: z.string().min(1),
  DatabaseName: z.string().optional(),
  Description: description.optional(),
  Targets: crawlerTargetsSchema,
  Schedule: z.string().optional(),
  Classifiers: z.array(z.string()).optional(),
  TablePrefix: z.string().max(128).optional(),
  SchemaChangePolicy: z
    .object({
      UpdateBehavior: z.enum(['LOG', 'UPDATE_IN_DATABASE']).optional(),
      DeleteBehavior: z.enum(['LOG', 'DELETE_FROM_DATABASE', 'DEPRECATE_IN_DATABASE']).optional(),
    })
    .optional(),
  RecrawlPolicy: z
    .object({ RecrawlBehavior: z.enum(['CRAWL_EVERYTHING', 'CRAWL_NEW_FOLDERS_ONLY', 'CRAWL_EVENT_MODE']).optional() })
    .optional(),
  Configuration: z.string().optional(),
  CrawlerSecurityConfiguration: z.string().max(128).optional(),
  Tags: tagsMap.optional(),
});
export const getCrawlerRequest = z.object({ Name: name255 });
export const getCrawlersRequest = z.object({ MaxResults: maxResults(1000), NextToken: nextToken });
/** StopCrawlerSchedule / StartCrawlerSchedule: `CrawlerName`, 1..255 characters. */
export const crawlerScheduleRequest = z.object({ CrawlerName: name255 });
export const updateCrawlerScheduleRequest = z.object({ CrawlerName: name255, Schedule: z.string().optional() });

// ---- Jobs ----
export const createJobRequest = z.object({
  Name: name255,
  Role: z.string().min(1),
  Command: z.object({
    Name: z.string().optional(),
    ScriptLocation: z.string().max(400_000).optional(),
    PythonVersion: z.string().optional(),
    Runtime: z.string().optional(),
  }),
  Description: description.optional(),
  DefaultArguments: z.record(z.string(), z.string()).optional(),
  GlueVersion: z.string().optional(),
  Tags: tagsMap.optional(),
});
export const getJobRequest = z.object({ JobName: name255 });

// ---- Triggers ----
const actionSchema = z.object({
  JobName: name255.optional(),
  Arguments: z.record(z.string(), z.string()).optional(),
  Timeout: z.number().int().min(1).optional(),
  SecurityConfiguration: z.string().optional(),
  NotificationProperty: z.object({ NotifyDelayAfter: z.number().int().min(1).optional() }).optional(),
  CrawlerName: name255.optional(),
});
const predicateSchema = z.object({
  Logical: z.enum(['AND', 'ANY']).optional(),
  Conditions: z
    .array(
      z.object({
        LogicalOperator: z.enum(['EQUALS']).optional(),
        JobName: name255.optional(),
        State: z
          .enum(['STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'SUCCEEDED', 'FAILED', 'TIMEOUT', 'ERROR', 'WAITING', 'EXPIRED'])
          .optional(),
        CrawlerName: name255.optional(),
        CrawlState: z.enum(['RUNNING', 'CANCELLING', 'CANCELLED', 'SUCCEEDED', 'FAILED', 'ERROR']).optional(),
      }),
    )
    .optional(),
});
export const triggerTypeSchema = z.enum(['SCHEDULED', 'CONDITIONAL', 'ON_DEMAND', 'EVENT']);
export const createTriggerRequest = z.object({
  Name: name255,
  WorkflowName: name255.optional(),
  Type: triggerTypeSchema,
  Schedule: z.string().optional(),
  Predicate: predicateSchema.optional(),
  Actions: z.array(actionSchema),
  Description: description.optional(),
  StartOnCreation: z.boolean().optional(),
  Tags: tagsMap.optional(),
  EventBatchingCondition: z
    .object({ BatchSize: z.number().int().min(1).max(100), BatchWindow: z.number().int().min(1).max(900).optional() })
    .optional(),
});
export const triggerNameRequest = z.object({ Name: name255 });
export const getTriggersRequest = z.object({
  NextToken: nextToken,
  DependentJobName: name255.optional(),
  MaxResults: maxResults(200),
});
export const listTriggersRequest = z.object({
  NextToken: nextToken,
  DependentJobName: name255.optional(),
  MaxResults: maxResults(200),
  Tags: tagsMap.optional(),
});

// ---- Workflows ----
export const createWorkflowRequest = z.object({
  Name: name255,
  Description: description.optional(),
  DefaultRunProperties: z.record(z.string(), z.string()).optional(),
  Tags: tagsMap.optional(),
  MaxConcurrentRuns: z.number().int().min(1).optional(),
});
export const getWorkflowRequest = z.object({ Name: name255, IncludeGraph: z.boolean().optional() });
export const listWorkflowsRequest = z.object({ NextToken: nextToken, MaxResults: maxResults(25) });
export const startWorkflowRunRequest = z.object({
  Name: name255,
  RunProperties: z.record(z.string(), z.string()).optional(),
});
export const getWorkflowRunsRequest = z.object({
  Name: name255,
  IncludeGraph: z.boolean().optional(),
  NextToken: nextToken,
  MaxResults: maxResults(1000),
});
export const getWorkflowRunRequest = z.object({ Name: name255, RunId: name255, IncludeGraph: z.boolean().optional() });
export const stopWorkflowRunRequest = z.object({ Name: name255, RunId: name255 });
export const resumeWorkflowRunRequest = z.object({ Name: name255, RunId: name255, NodeIds: z.array(name255).min(1) });

// ---- Tags ----
export const tagResourceRequest = z.object({ ResourceArn: z.string().min(1).max(10_240), TagsToAdd: tagsMap });
export const untagResourceRequest = z.object({
  ResourceArn: z.string().min(1).max(10_240),
  TagsToRemove: z.array(z.string().min(1).max(128)).max(50),
});
export const getTagsRequest = z.object({ ResourceArn: z.string().min(1).max(10_240) });

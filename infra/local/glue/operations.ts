/**
 * The Glue operations served over AWS JSON 1.1 (`X-Amz-Target: AWSGlue.<Operation>`): each validates its
 * request with zod and returns the response shape of the Glue API reference (model values; the protocol
 * layer turns Dates into epoch seconds).
 */
import type { z } from 'zod';
import { glueError } from '../errors.js';
import { parseRequest } from '../validation.js';
import { glueArn, type ArnContext } from './arns.js';
import type { GlueCatalog } from './catalog.js';
import type { GlueCrawlers } from './crawlers.js';
import type { GlueJobs } from './jobs.js';
import { paginate } from './paging.js';
import type { GluePartitions } from './partitions.js';
import * as s from './schemas.js';
import { MAX_TAGS_PER_RESOURCE, type GlueTags } from './tags.js';
import type { GlueTriggers } from './triggers.js';
import type { GlueWorkflows } from './workflows.js';

export interface GlueComponents {
  readonly arnContext: ArnContext;
  readonly catalog: GlueCatalog;
  readonly partitions: GluePartitions;
  readonly crawlers: GlueCrawlers;
  readonly jobs: GlueJobs;
  readonly triggers: GlueTriggers;
  readonly workflows: GlueWorkflows;
  readonly tags: GlueTags;
}

export type GlueOperation = (input: unknown) => unknown;

const parse = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> =>
  parseRequest(schema, input, glueError.validation);

/** Create* calls with Tags fail whole (before creating anything) when the tags alone exceed the limit. */
function checkTagCount(toAdd: Record<string, string> | undefined): void {
  if (toAdd !== undefined && Object.keys(toAdd).length > MAX_TAGS_PER_RESOURCE) {
    throw glueError.invalidInput(`Tag limit exceeded: a resource can have at most ${String(MAX_TAGS_PER_RESOURCE)} tags.`);
  }
}

function checkCatalogId(arnContext: ArnContext, catalogId: string | undefined): void {
  if (catalogId !== undefined && catalogId !== arnContext.accountId) {
    throw glueError.entityNotFound(`Catalog ${catalogId} not found.`);
  }
}

export function createGlueOperations(g: GlueComponents): Readonly<Record<string, GlueOperation>> {
  const { arnContext, catalog, partitions, crawlers, jobs, triggers, workflows, tags } = g;
  const applyTags = (arn: string, toAdd: Record<string, string> | undefined): void => {
    if (toAdd !== undefined && Object.keys(toAdd).length > 0) tags.tag(arn, toAdd);
  };

  return {
    // ---- databases ----
    CreateDatabase: (input) => {
      const req = parse(s.createDatabaseRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      checkTagCount(req.Tags);
      const db = catalog.createDatabase(req.DatabaseInput);
      applyTags(glueArn(arnContext, 'database', db.Name ?? ''), req.Tags);
      return {};
    },
    GetDatabase: (input) => {
      const req = parse(s.getDatabaseRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Database: catalog.getDatabase(req.Name) };
    },
    GetDatabases: (input) => {
      const req = parse(s.getDatabasesRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      const page = paginate(catalog.listDatabases(), 'GetDatabases', req.MaxResults, 100, req.NextToken);
      return { DatabaseList: page.items, NextToken: page.nextToken };
    },
    DeleteDatabase: (input) => {
      const req = parse(s.deleteDatabaseRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      catalog.deleteDatabase(req.Name);
      tags.forget(glueArn(arnContext, 'database', req.Name.toLowerCase()));
      return {};
    },

    // ---- tables ----
    CreateTable: (input) => {
      const req = parse(s.createTableRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      catalog.createTable(req.DatabaseName, req.TableInput);
      return {};
    },
    GetTable: (input) => {
      const req = parse(s.getTableRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      const table = catalog.getTable(req.DatabaseName, req.Name);
      catalog.checkDescribe(req.DatabaseName, req.Name);
      return { Table: table };
    },
    GetTables: (input) => {
      const req = parse(s.getTablesRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      const scope = `GetTables:${req.DatabaseName.toLowerCase()}:${req.Expression ?? ''}`;
      // Lake Formation: tables the caller may not DESCRIBE are left out, silently.
      const visible = catalog.listTables(req.DatabaseName, req.Expression).filter((t) => !catalog.describeDenied(req.DatabaseName, t.Name ?? ''));
      const page = paginate(visible, scope, req.MaxResults, 100, req.NextToken);
      return { TableList: page.items, NextToken: page.nextToken };
    },
    UpdateTable: (input) => {
      const req = parse(s.updateTableRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      catalog.checkDescribe(req.DatabaseName, req.TableInput.Name);
      catalog.updateTable(req.DatabaseName, req.TableInput, { versionId: req.VersionId, skipArchive: req.SkipArchive });
      return {};
    },
    DeleteTable: (input) => {
      const req = parse(s.deleteTableRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      catalog.deleteTable(req.DatabaseName, req.Name);
      return {};
    },
    BatchDeleteTable: (input) => {
      const req = parse(s.batchDeleteTableRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Errors: catalog.batchDeleteTable(req.DatabaseName, req.TablesToDelete) };
    },
    GetTableVersions: (input) => {
      const req = parse(s.getTableVersionsRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      const scope = `GetTableVersions:${req.DatabaseName.toLowerCase()}.${req.TableName.toLowerCase()}`;
      const versions = catalog.tableVersionsUnordered(req.DatabaseName, req.TableName);
      catalog.checkDescribe(req.DatabaseName, req.TableName);
      const page = paginate(versions, scope, req.MaxResults, 100, req.NextToken);
      return { TableVersions: page.items, NextToken: page.nextToken };
    },
    // Glue API, "GetTableVersion action": a version that does not exist (never written, or deleted) is
    // EntityNotFoundException; no VersionId is the current version. Lake Formation: DESCRIBE, as GetTable.
    GetTableVersion: (input) => {
      const req = parse(s.getTableVersionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      const version = catalog.tableVersion(req.DatabaseName, req.TableName, req.VersionId);
      catalog.checkDescribe(req.DatabaseName, req.TableName);
      return { TableVersion: version };
    },
    DeleteTableVersion: (input) => {
      const req = parse(s.deleteTableVersionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      catalog.deleteTableVersion(req.DatabaseName, req.TableName, req.VersionId);
      return {};
    },
    // Glue API, "BatchDeleteTableVersion action": per-version failures come back in Errors (TableVersionError).
    BatchDeleteTableVersion: (input) => {
      const req = parse(s.batchDeleteTableVersionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Errors: catalog.batchDeleteTableVersion(req.DatabaseName, req.TableName, req.VersionIds) };
    },

    // ---- partitions (partitions.ts) ----
    CreatePartition: (input) => {
      const req = parse(s.createPartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      partitions.create(req.DatabaseName, req.TableName, req.PartitionInput);
      return {};
    },
    BatchCreatePartition: (input) => {
      const req = parse(s.batchCreatePartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Errors: partitions.batchCreate(req.DatabaseName, req.TableName, req.PartitionInputList) };
    },
    GetPartition: (input) => {
      const req = parse(s.getPartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Partition: partitions.get(req.DatabaseName, req.TableName, req.PartitionValues) };
    },
    GetPartitions: (input) => {
      const req = parse(s.getPartitionsRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      const selected = partitions.select(req.DatabaseName, req.TableName, { expression: req.Expression, segment: req.Segment });
      const scope = `GetPartitions:${req.DatabaseName.toLowerCase()}.${req.TableName.toLowerCase()}:${JSON.stringify([req.Expression, req.Segment])}`;
      // Default page size: not documented; strict side, a small one (100), so a caller that does not page is caught.
      const page = paginate(selected, scope, req.MaxResults, 100, req.NextToken);
      return { Partitions: page.items.map((p) => partitions.present(p, req.ExcludeColumnSchema)), NextToken: page.nextToken };
    },
    BatchGetPartition: (input) => {
      const req = parse(s.batchGetPartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return partitions.batchGet(req.DatabaseName, req.TableName, req.PartitionsToGet);
    },
    UpdatePartition: (input) => {
      const req = parse(s.updatePartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      partitions.update(req.DatabaseName, req.TableName, req.PartitionValueList, req.PartitionInput);
      return {};
    },
    BatchUpdatePartition: (input) => {
      const req = parse(s.batchUpdatePartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Errors: partitions.batchUpdate(req.DatabaseName, req.TableName, req.Entries) };
    },
    DeletePartition: (input) => {
      const req = parse(s.deletePartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      partitions.delete(req.DatabaseName, req.TableName, req.PartitionValues);
      return {};
    },
    BatchDeletePartition: (input) => {
      const req = parse(s.batchDeletePartitionRequest, input);
      checkCatalogId(arnContext, req.CatalogId);
      return { Errors: partitions.batchDelete(req.DatabaseName, req.TableName, req.PartitionsToDelete) };
    },

    // ---- crawlers ----
    CreateCrawler: (input) => {
      const req = parse(s.createCrawlerRequest, input);
      checkTagCount(req.Tags);
      crawlers.create(req);
      applyTags(glueArn(arnContext, 'crawler', req.Name), req.Tags);
      return {};
    },
    GetCrawler: (input) => ({ Crawler: crawlers.get(parse(s.getCrawlerRequest, input).Name) }),
    GetCrawlers: (input) => {
      const req = parse(s.getCrawlersRequest, input);
      const page = paginate(crawlers.list(), 'GetCrawlers', req.MaxResults, 100, req.NextToken);
      return { Crawlers: page.items, NextToken: page.nextToken };
    },
    StopCrawlerSchedule: (input) => {
      crawlers.stopSchedule(parse(s.crawlerScheduleRequest, input).CrawlerName);
      return {};
    },
    StartCrawlerSchedule: (input) => {
      crawlers.startSchedule(parse(s.crawlerScheduleRequest, input).CrawlerName);
      return {};
    },
    UpdateCrawlerSchedule: (input) => {
      const req = parse(s.updateCrawlerScheduleRequest, input);
      crawlers.updateSchedule(req.CrawlerName, req.Schedule);
      return {};
    },

    // ---- jobs ----
    CreateJob: (input) => {
      const req = parse(s.createJobRequest, input);
      checkTagCount(req.Tags);
      jobs.create(req);
      applyTags(glueArn(arnContext, 'job', req.Name), req.Tags);
      return { Name: req.Name };
    },
    GetJob: (input) => ({ Job: jobs.get(parse(s.getJobRequest, input).JobName) }),

    // ---- triggers ----
    CreateTrigger: (input) => {
      const req = parse(s.createTriggerRequest, input);
      checkTagCount(req.Tags);
      triggers.create(req);
      applyTags(glueArn(arnContext, 'trigger', req.Name), req.Tags);
      return { Name: req.Name };
    },
    GetTrigger: (input) => ({ Trigger: triggers.get(parse(s.triggerNameRequest, input).Name) }),
    GetTriggers: (input) => {
      const req = parse(s.getTriggersRequest, input);
      const scope = `GetTriggers:${req.DependentJobName ?? ''}`;
      const page = paginate(triggers.list({ dependentJobName: req.DependentJobName }), scope, req.MaxResults, 100, req.NextToken);
      return { Triggers: page.items, NextToken: page.nextToken };
    },
    ListTriggers: (input) => {
      const req = parse(s.listTriggersRequest, input);
      const wanted = Object.entries(req.Tags ?? {});
      const names = triggers
        .list({ dependentJobName: req.DependentJobName })
        .map((t) => t.Name ?? '')
        .filter((name) => {
          const own = tags.peek(glueArn(arnContext, 'trigger', name));
          return wanted.every(([k, v]) => own[k] === v);
        });
      const scope = `ListTriggers:${req.DependentJobName ?? ''}:${JSON.stringify(wanted)}`;
      const page = paginate(names, scope, req.MaxResults, 100, req.NextToken);
      return { TriggerNames: page.items, NextToken: page.nextToken };
    },
    StartTrigger: (input) => ({ Name: triggers.start(parse(s.triggerNameRequest, input).Name).Name }),
    StopTrigger: (input) => ({ Name: triggers.stop(parse(s.triggerNameRequest, input).Name).Name }),
    DeleteTrigger: (input) => {
      const { Name } = parse(s.triggerNameRequest, input);
      triggers.delete(Name);
      tags.forget(glueArn(arnContext, 'trigger', Name));
      return { Name };
    },

    // ---- workflows ----
    CreateWorkflow: (input) => {
      const req = parse(s.createWorkflowRequest, input);
      checkTagCount(req.Tags);
      workflows.create(req);
      applyTags(glueArn(arnContext, 'workflow', req.Name), req.Tags);
      return { Name: req.Name };
    },
    GetWorkflow: (input) => {
      const req = parse(s.getWorkflowRequest, input);
      return { Workflow: workflows.get(req.Name, req.IncludeGraph === true) };
    },
    ListWorkflows: (input) => {
      const req = parse(s.listWorkflowsRequest, input);
      const page = paginate(workflows.listNames(), 'ListWorkflows', req.MaxResults, 25, req.NextToken);
      return { Workflows: page.items, NextToken: page.nextToken };
    },
    StartWorkflowRun: (input) => {
      const req = parse(s.startWorkflowRunRequest, input);
      return { RunId: workflows.startRun(req.Name, req.RunProperties) };
    },
    GetWorkflowRuns: (input) => {
      const req = parse(s.getWorkflowRunsRequest, input);
      const page = paginate(workflows.getRuns(req.Name, req.IncludeGraph === true), `GetWorkflowRuns:${req.Name}`, req.MaxResults, 100, req.NextToken);
      return { Runs: page.items, NextToken: page.nextToken };
    },
    GetWorkflowRun: (input) => {
      const req = parse(s.getWorkflowRunRequest, input);
      return { Run: workflows.getRun(req.Name, req.RunId, req.IncludeGraph === true) };
    },
    StopWorkflowRun: (input) => {
      const req = parse(s.stopWorkflowRunRequest, input);
      workflows.stopRun(req.Name, req.RunId);
      return {};
    },
    ResumeWorkflowRun: (input) => {
      const req = parse(s.resumeWorkflowRunRequest, input);
      return workflows.resumeRun(req.Name, req.RunId, req.NodeIds);
    },

    // ---- tags ----
    TagResource: (input) => {
      const req = parse(s.tagResourceRequest, input);
      tags.tag(req.ResourceArn, req.TagsToAdd);
      return {};
    },
    UntagResource: (input) => {
      const req = parse(s.untagResourceRequest, input);
      tags.untag(req.ResourceArn, req.TagsToRemove);
      return {};
    },
    GetTags: (input) => ({ Tags: tags.get(parse(s.getTagsRequest, input).ResourceArn) }),
  };
}

/**
 * CatalogPort over the Glue Data Catalog: GetTable, GetTableVersion (one version by id), GetTableVersions (all
 * pages, sorted numerically: `drift-guard history` only), UpdateTable with the VersionId optimistic lock, GetCrawler.
 */
import {
  ConcurrentModificationException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetTableCommand,
  GetTableVersionCommand,
  GlueClient,
  paginateGetTables,
  paginateGetTableVersions,
  UpdateTableCommand,
  type Table,
  type TableInput,
  type TableVersion,
  type ViewDefinition,
  type ViewDefinitionInput,
} from '@aws-sdk/client-glue';
import { RestoreConflictError, type CatalogPort, type StoredTable } from '../core/ports.js';
import { isGuardRecordKey } from '../core/incidents/records.js';
import { compareVersionIds, isVersionId } from '../core/version-ids.js';
import { AwsAccessDeniedError, awsCallError, RestoreRefusedError, UnexpectedResponseError } from './errors.js';

/** A stored version with the Glue Table it came from (`document` is that same object). */
export type GlueStoredTable = StoredTable & { readonly table: Table };

const VERSION_PAGE_SIZE = 100;

/** Drops keys whose value is undefined, so a request carries only what the source had. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Table.ViewDefinition → ViewDefinitionInput: the writable definition only. */
function viewDefinitionInput(view: ViewDefinition): ViewDefinitionInput {
  // Left out: SubObjectVersionIds, SubObjectsStatistics, SparkPipelineInfo, Representations[].IsStale (read-only) and
  // ViewVersionId / ViewVersionToken / LastRefreshType (a materialized view's snapshot pointer and refresh state:
  // writing an old one back would move data, like an Iceberg metadata_location).
  return compact({
    IsProtected: view.IsProtected,
    IsManaged: view.IsManaged,
    Definer: view.Definer,
    Representations: view.Representations?.map((r) =>
      compact({
        Dialect: r.Dialect,
        DialectVersion: r.DialectVersion,
        ViewOriginalText: r.ViewOriginalText,
        ViewExpandedText: r.ViewExpandedText,
        ValidationConnection: r.ValidationConnection,
      }),
    ),
    SubObjects: view.SubObjects,
    RefreshSeconds: view.RefreshSeconds,
  });
}

/**
 * The TableInput that writes `table` back: an allow-list copy (Glue keeps adding read-only Table fields, which
 * UpdateTable rejects), with `annotations` merged into Parameters.
 */
export function tableInputFromTable(table: Table, annotations: Readonly<Record<string, string>> = {}): TableInput {
  // The guard's notes describe the write that carries them: notes copied from an older version are dropped.
  const own = Object.keys(annotations).length === 0 ? table.Parameters : Object.fromEntries(Object.entries(table.Parameters ?? {}).filter(([key]) => !isGuardRecordKey(key)));
  const parameters = own === undefined && Object.keys(annotations).length === 0 ? undefined : { ...own, ...annotations };
  return compact({
    Name: table.Name,
    Description: table.Description,
    Owner: table.Owner,
    LastAccessTime: table.LastAccessTime,
    LastAnalyzedTime: table.LastAnalyzedTime,
    Retention: table.Retention,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
    TableType: table.TableType,
    Parameters: parameters,
    TargetTable: table.TargetTable,
    ViewDefinition: table.ViewDefinition === undefined ? undefined : viewDefinitionInput(table.ViewDefinition),
  });
}

function storedTable(action: string, table: Table | undefined, versionId: string | undefined): GlueStoredTable {
  if (table === undefined) throw new UnexpectedResponseError(action, 'a table version without its Table');
  const id = versionId ?? table.VersionId;
  if (id === undefined || !isVersionId(id)) {
    throw new UnexpectedResponseError(action, `table ${table.DatabaseName ?? '?'}.${table.Name ?? '?'} has no integer VersionId (${String(id)})`);
  }
  const document = table.VersionId === id ? table : { ...table, VersionId: id };
  return { versionId: id, document, table: document };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Glue Table document: a stored version's own Table, or one core built (the contract applied to the current table). */
function isTable(document: unknown): document is Table {
  if (!isRecord(document) || typeof document.Name !== 'string') return false;
  const sd = document.StorageDescriptor;
  return (sd === undefined || isRecord(sd)) && (document.Parameters === undefined || isRecord(document.Parameters));
}

function tableOf(database: string, table: string, version: StoredTable): Table {
  if ('table' in version && isTable(version.table)) return version.table;
  if (isTable(version.document)) return version.document;
  throw new RestoreRefusedError(database, table, `version ${version.versionId} is not a Glue Table document`);
}

export function createGlueCatalog({ client = new GlueClient({}) }: { client?: GlueClient } = {}): CatalogPort<GlueStoredTable> {
  return {
    async getTable(database, table) {
      let found: Table | undefined;
      try {
        found = (await client.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
      } catch (error) {
        if (error instanceof EntityNotFoundException) return undefined;
        throw awsCallError('glue:GetTable', error);
      }
      if (found === undefined) throw new UnexpectedResponseError('glue:GetTable', `no Table for ${database}.${table}`);
      return storedTable('glue:GetTable', found, found.VersionId);
    },

    async listVersions(database, table) {
      const versions: TableVersion[] = [];
      try {
        const pages = paginateGetTableVersions({ client, pageSize: VERSION_PAGE_SIZE }, { DatabaseName: database, TableName: table });
        for await (const page of pages) versions.push(...(page.TableVersions ?? []));
      } catch (error) {
        if (error instanceof EntityNotFoundException) return [];
        throw awsCallError('glue:GetTableVersions', error);
      }
      return versions
        .map((v) => storedTable('glue:GetTableVersions', v.Table, v.VersionId))
        .sort((a, b) => compareVersionIds(b.versionId, a.versionId));
    },

    async getVersion(database, table, versionId) {
      let found: TableVersion;
      try {
        // Glue API, "GetTableVersion action": EntityNotFoundException when the version (or the table) does not exist.
        found = (await client.send(new GetTableVersionCommand({ DatabaseName: database, TableName: table, VersionId: versionId }))).TableVersion ?? {};
      } catch (error) {
        if (error instanceof EntityNotFoundException) return undefined;
        throw awsCallError('glue:GetTableVersion', error);
      }
      return storedTable('glue:GetTableVersion', found.Table, found.VersionId ?? versionId);
    },

    async restore(database, table, version, expectedVersionId, annotations) {
      const source = tableOf(database, table, version);
      if (source.Name !== undefined && source.Name.toLowerCase() !== table.toLowerCase()) {
        throw new RestoreRefusedError(database, table, `version ${version.versionId} belongs to table ${source.Name}`);
      }
      const tableInput = { ...tableInputFromTable(source, annotations), Name: source.Name ?? table };
      try {
        await client.send(new UpdateTableCommand({ DatabaseName: database, TableInput: tableInput, VersionId: expectedVersionId }));
      } catch (error) {
        // A stale lock, or the table deleted since it was read: the caller re-reads and decides again.
        if (error instanceof ConcurrentModificationException || error instanceof EntityNotFoundException) {
          throw new RestoreConflictError(database, table, expectedVersionId, { cause: error });
        }
        throw awsCallError('glue:UpdateTable', error);
      }
    },

    async listTables(database) {
      const tables: GlueStoredTable[] = [];
      try {
        for await (const page of paginateGetTables({ client, pageSize: VERSION_PAGE_SIZE }, { DatabaseName: database })) {
          for (const table of page.TableList ?? []) tables.push(storedTable('glue:GetTables', table, table.VersionId));
        }
      } catch (error) {
        if (error instanceof EntityNotFoundException) return undefined;
        if (error instanceof UnexpectedResponseError) throw error;
        throw awsCallError('glue:GetTables', error);
      }
      return tables;
    },

    async lookUpTable(database, table) {
      let found: Table | undefined;
      try {
        found = (await client.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
      } catch (error) {
        if (error instanceof EntityNotFoundException) return { kind: 'missing' };
        const failure = awsCallError('glue:GetTable', error);
        if (failure instanceof AwsAccessDeniedError) return { kind: 'not-visible', reason: failure.message };
        throw failure;
      }
      if (found === undefined) throw new UnexpectedResponseError('glue:GetTable', `no Table for ${database}.${table}`);
      return { kind: 'found', table: storedTable('glue:GetTable', found, found.VersionId) };
    },

    async crawlerDatabases(crawlerName) {
      try {
        const { Crawler: crawler } = await client.send(new GetCrawlerCommand({ Name: crawlerName }));
        if (crawler === undefined) throw new UnexpectedResponseError('glue:GetCrawler', `no Crawler for ${crawlerName}`);
        const names = [crawler.DatabaseName, ...(crawler.Targets?.CatalogTargets ?? []).map((t) => t.DatabaseName)];
        return [...new Set(names.filter((n): n is string => n !== undefined && n !== ''))];
      } catch (error) {
        if (error instanceof EntityNotFoundException) return undefined;
        if (error instanceof UnexpectedResponseError) throw error;
        throw awsCallError('glue:GetCrawler', error);
      }
    },
  };
}

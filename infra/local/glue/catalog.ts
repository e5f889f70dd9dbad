/**
 * Databases, tables and table versions. Names are lower-cased like Glue does (Hive compatibility).
 * VersionId: "0" on CreateTable, +1 per UpdateTable; UpdateTable archives the previous version unless
 * SkipArchive; a VersionId in the request is an optimistic lock.
 */
import type { Column, Database, Partition, Table, TableVersion } from '@aws-sdk/client-glue';
import { glueError } from '../errors.js';
import { fnv1a } from '../prng.js';
import { clone, type GlueContext, type GlueSettings } from './context.js';
import type { ParsedTableInput } from './schemas.js';

export interface DatabaseInputModel {
  readonly Name: string;
  readonly Description?: string | undefined;
  readonly LocationUri?: string | undefined;
  readonly Parameters?: Record<string, string> | undefined;
  readonly CreateTableDefaultPermissions?: Database['CreateTableDefaultPermissions'];
  readonly TargetDatabase?: Database['TargetDatabase'];
}

interface TableRecord {
  readonly databaseName: string;
  readonly name: string;
  readonly createTime: Date;
  readonly createdBy: string;
  current: number;
  readonly versions: Map<number, Table>;
  /** Partitions by `partitionKey(values)`, in creation order; they go with the table (DeleteTable drops them). */
  readonly partitions: Map<string, Partition>;
}

/** What the partition operations see of a table: its names, current PartitionKeys and its partition map. */
export interface PartitionStore {
  readonly databaseName: string;
  readonly tableName: string;
  readonly partitionKeys: readonly Column[];
  readonly partitions: Map<string, Partition>;
}

interface DatabaseRecord {
  readonly database: Database;
  readonly tables: Map<string, TableRecord>;
}

export interface UpdateTableOptions {
  readonly versionId?: string | undefined;
  readonly skipArchive?: boolean | undefined;
  /** Emit the Table State Change event (default true). */
  readonly emit?: boolean;
}

export interface TableVersionErrorModel {
  readonly TableName: string;
  readonly VersionId: string;
  readonly ErrorDetail: { readonly ErrorCode: string; readonly ErrorMessage: string };
}

export interface BatchDeleteTableError {
  readonly TableName: string;
  readonly ErrorDetail: { readonly ErrorCode: string; readonly ErrorMessage: string };
}

const DEFAULT_PERMISSIONS: NonNullable<Database['CreateTableDefaultPermissions']> = [
  { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] },
];

export function normalizeName(name: string): string {
  return name.toLowerCase();
}

function expressionMatcher(expression: string | undefined): (name: string) => boolean {
  if (expression === undefined || expression === '' || expression === '*') return () => true;
  const source = expression.replace(/(^|[^.])\*/g, '$1.*');
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${source})$`, 'i');
  } catch {
    throw glueError.invalidInput(`Invalid Expression: ${expression}`);
  }
  return (name) => pattern.test(name);
}

export class GlueCatalog {
  private readonly databases = new Map<string, DatabaseRecord>();
  /** `database.table` (normalised) the caller has no Lake Formation DESCRIBE on. */
  private readonly noDescribe = new Set<string>();
  private readonly ctx: GlueContext;
  private readonly settings: GlueSettings;

  constructor(ctx: GlueContext, settings: GlueSettings) {
    this.ctx = ctx;
    this.settings = settings;
  }

  // ---------- databases ----------

  createDatabase(input: DatabaseInputModel, options: { emit?: boolean } = {}): Database {
    const name = normalizeName(input.Name);
    if (this.databases.has(name)) throw glueError.alreadyExists(`Database already exists.`);
    const now = this.ctx.now();
    const database: Database = {
      Name: name,
      Description: input.Description,
      LocationUri: input.LocationUri,
      Parameters: input.Parameters ?? {},
      CreateTime: now,
      CreateTableDefaultPermissions: input.CreateTableDefaultPermissions ?? clone(DEFAULT_PERMISSIONS),
      TargetDatabase: input.TargetDatabase,
      CatalogId: this.ctx.accountId,
    };
    this.databases.set(name, { database, tables: new Map() });
    if (options.emit !== false) this.emitAll(this.ctx.events.databaseStateChange(name, 'CreateDatabase', now));
    return clone(database);
  }

  hasDatabase(name: string): boolean {
    return this.databases.has(normalizeName(name));
  }

  getDatabase(name: string): Database {
    return clone(this.databaseRecord(name).database);
  }

  listDatabases(): Database[] {
    return [...this.databases.values()]
      .map((r) => clone(r.database))
      .sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
  }

  deleteDatabase(name: string): void {
    const record = this.databaseRecord(name);
    const dbName = record.database.Name ?? normalizeName(name);
    this.databases.delete(dbName);
    this.emitAll(this.ctx.events.databaseStateChange(dbName, 'DeleteDatabase', this.ctx.now()));
  }

  // ---------- tables ----------

  /**
   * Lake Formation, as the caller sees it: a table the caller has no DESCRIBE on is silently left out of GetTables,
   * and GetTable / GetTableVersions / UpdateTable on it answer AccessDeniedException (Lake Formation developer guide,
   * "Lake Formation permissions reference": DESCRIBE lets a principal see the table; without it Glue omits it).
   */
  denyDescribe(databaseName: string, tableName: string): void {
    this.noDescribe.add(`${normalizeName(databaseName)}.${normalizeName(tableName)}`);
  }

  describeDenied(databaseName: string, tableName: string): boolean {
    return this.noDescribe.has(`${normalizeName(databaseName)}.${normalizeName(tableName)}`);
  }

  /** Throws the AccessDeniedException Glue answers under Lake Formation when the caller lacks DESCRIBE on the table. */
  checkDescribe(databaseName: string, tableName: string): void {
    if (this.describeDenied(databaseName, tableName)) {
      throw glueError.accessDenied(`Insufficient Lake Formation permission(s) on ${tableName}`);
    }
  }

  hasTable(databaseName: string, tableName: string): boolean {
    return this.databases.get(normalizeName(databaseName))?.tables.has(normalizeName(tableName)) ?? false;
  }

  createTable(databaseName: string, input: ParsedTableInput, options: { emit?: boolean } = {}): Table {
    const db = this.databaseRecord(databaseName);
    const dbName = db.database.Name ?? normalizeName(databaseName);
    const name = normalizeName(input.Name);
    if (db.tables.has(name)) throw glueError.alreadyExists(`Table already exists.`);
    const now = this.ctx.now();
    const record: TableRecord = {
      databaseName: dbName,
      name,
      createTime: now,
      createdBy: this.ctx.principalArn,
      current: 0,
      versions: new Map(),
      partitions: new Map(),
    };
    record.versions.set(0, this.snapshot(record, input, 0, now));
    db.tables.set(name, record);
    if (options.emit !== false) this.emitAll(this.ctx.events.databaseStateChange(dbName, 'CreateTable', now, [name]));
    return this.currentTable(record);
  }

  getTable(databaseName: string, tableName: string): Table {
    return this.currentTable(this.tableRecord(databaseName, tableName));
  }

  listTables(databaseName: string, expression?: string): Table[] {
    const matches = expressionMatcher(expression);
    return [...this.databaseRecord(databaseName).tables.values()]
      .filter((r) => matches(r.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => this.currentTable(r));
  }

  updateTable(databaseName: string, input: ParsedTableInput, options: UpdateTableOptions = {}): Table {
    const record = this.tableRecord(databaseName, input.Name);
    if (options.versionId !== undefined && options.versionId !== String(record.current)) {
      throw glueError.concurrentModification(
        `Update table failed due to concurrent modifications: expected VersionId ${options.versionId}, current is ${String(record.current)}.`,
      );
    }
    if (options.skipArchive !== true && record.versions.size >= this.settings.maxTableVersions) {
      throw glueError.resourceNumberLimitExceeded(
        `Number of table versions for ${record.databaseName}.${record.name} exceeds the limit of ${String(this.settings.maxTableVersions)}.`,
      );
    }
    const now = this.ctx.now();
    const next = record.current + 1;
    if (options.skipArchive === true) record.versions.delete(record.current);
    record.versions.set(next, this.snapshot(record, input, next, now));
    record.current = next;
    if (options.emit !== false) {
      this.ctx.emit(this.ctx.events.tableStateChange(record.databaseName, record.name, 'UpdateTable', now));
    }
    return this.currentTable(record);
  }

  deleteTable(databaseName: string, tableName: string): void {
    const db = this.databaseRecord(databaseName);
    const record = this.tableRecord(databaseName, tableName);
    db.tables.delete(record.name);
    this.emitAll(this.ctx.events.databaseStateChange(record.databaseName, 'DeleteTable', this.ctx.now(), [record.name]));
  }

  batchDeleteTable(databaseName: string, tableNames: readonly string[]): BatchDeleteTableError[] {
    const db = this.databaseRecord(databaseName);
    const dbName = db.database.Name ?? normalizeName(databaseName);
    const errors: BatchDeleteTableError[] = [];
    const deleted: string[] = [];
    for (const raw of tableNames) {
      const name = normalizeName(raw);
      if (db.tables.delete(name)) deleted.push(name);
      else errors.push({ TableName: raw, ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: `Table ${raw} not found.` } });
    }
    if (deleted.length > 0) this.emitAll(this.ctx.events.databaseStateChange(dbName, 'BatchDeleteTable', this.ctx.now(), deleted));
    return errors;
  }

  /**
   * All versions of a table, including the current one, in an order callers must not rely on: a deterministic
   * pseudo-random order (seeded hash), stable while paging.
   */
  tableVersionsUnordered(databaseName: string, tableName: string): TableVersion[] {
    const record = this.tableRecord(databaseName, tableName);
    const key = (v: number): number => fnv1a(`${String(this.ctx.seed)}:${record.databaseName}.${record.name}:${String(v)}`);
    return [...record.versions.keys()]
      .sort((a, b) => key(a) - key(b) || a - b)
      .map((v) => this.versionOf(record, v));
  }

  /** All versions sorted by VersionId ascending (direct inspection helper; the API never promises this). */
  tableVersionsSorted(databaseName: string, tableName: string): TableVersion[] {
    const record = this.tableRecord(databaseName, tableName);
    return [...record.versions.keys()].sort((a, b) => a - b).map((v) => this.versionOf(record, v));
  }

  tableVersion(databaseName: string, tableName: string, versionId?: string): TableVersion {
    const record = this.tableRecord(databaseName, tableName);
    const version = versionId === undefined ? record.current : this.parseVersionId(versionId);
    if (!record.versions.has(version)) throw glueError.entityNotFound(`Version ${String(versionId)} of table ${record.name} not found.`);
    return this.versionOf(record, version);
  }

  deleteTableVersion(databaseName: string, tableName: string, versionId: string): void {
    const record = this.tableRecord(databaseName, tableName);
    const version = this.parseVersionId(versionId);
    if (!record.versions.has(version)) throw glueError.entityNotFound(`Version ${versionId} of table ${record.name} not found.`);
    if (version === record.current) throw glueError.invalidInput(`Cannot delete the current version (${versionId}) of table ${record.name}.`);
    record.versions.delete(version);
  }

  /** Deletes each version it can; a missing one (or the current one) is an entry in the errors, not a failure. */
  batchDeleteTableVersion(databaseName: string, tableName: string, versionIds: readonly string[]): TableVersionErrorModel[] {
    const record = this.tableRecord(databaseName, tableName);
    const errors: TableVersionErrorModel[] = [];
    for (const versionId of versionIds) {
      try {
        this.deleteTableVersion(databaseName, tableName, versionId);
      } catch (error) {
        const code = error instanceof Error ? error.name : 'InternalServiceException';
        const message = error instanceof Error ? error.message : String(error);
        errors.push({ TableName: record.name, VersionId: versionId, ErrorDetail: { ErrorCode: code, ErrorMessage: message } });
      }
    }
    return errors;
  }

  // ---------- partitions (their logic lives in partitions.ts) ----------

  /** The table's partition store (EntityNotFoundException for a missing database / table). */
  partitionStore(databaseName: string, tableName: string): PartitionStore {
    const record = this.tableRecord(databaseName, tableName);
    const table = this.currentTable(record);
    return {
      databaseName: record.databaseName,
      tableName: record.name,
      partitionKeys: table.PartitionKeys ?? [],
      partitions: record.partitions,
    };
  }

  /** Partitions in the whole catalog (the per-account quota). */
  partitionCount(): number {
    let count = 0;
    for (const db of this.databases.values()) for (const table of db.tables.values()) count += table.partitions.size;
    return count;
  }

  clear(): void {
    this.databases.clear();
    this.noDescribe.clear();
  }

  // ---------- internals ----------

  private parseVersionId(versionId: string): number {
    if (!/^\d+$/.test(versionId)) throw glueError.invalidInput(`Invalid VersionId: ${versionId}`);
    return Number(versionId);
  }

  private databaseRecord(name: string): DatabaseRecord {
    const record = this.databases.get(normalizeName(name));
    if (record === undefined) throw glueError.entityNotFound(`Database ${name} not found.`);
    return record;
  }

  private tableRecord(databaseName: string, tableName: string): TableRecord {
    const record = this.databaseRecord(databaseName).tables.get(normalizeName(tableName));
    if (record === undefined) throw glueError.entityNotFound(`Table ${tableName} not found.`);
    return record;
  }

  private snapshot(record: TableRecord, input: ParsedTableInput, version: number, at: Date): Table {
    return {
      ...clone(input),
      Name: record.name,
      DatabaseName: record.databaseName,
      CreateTime: record.createTime,
      UpdateTime: at,
      CreatedBy: record.createdBy,
      IsRegisteredWithLakeFormation: false,
      CatalogId: this.ctx.accountId,
      VersionId: String(version),
      IsMultiDialectView: false,
    };
  }

  private currentTable(record: TableRecord): Table {
    const table = record.versions.get(record.current);
    if (table === undefined) throw glueError.entityNotFound(`Table ${record.name} not found.`);
    return clone(table);
  }

  private versionOf(record: TableRecord, version: number): TableVersion {
    const table = record.versions.get(version);
    if (table === undefined) throw glueError.entityNotFound(`Version ${String(version)} of table ${record.name} not found.`);
    return { Table: clone(table), VersionId: String(version) };
  }

  private emitAll(events: readonly Parameters<GlueContext['emit']>[0][]): void {
    for (const event of events) this.ctx.emit(event);
  }
}
